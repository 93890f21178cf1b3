//! tvc, the orchestrator: the command line, the experiment files, the worker processes and
//! the results files. `main.rs` only parses the options and calls [`run`], so tests can
//! drive the same code in-process.

pub mod child;
pub mod envinfo;
pub mod experiment;
pub mod models;
pub mod orchestrate;
pub mod results;
pub mod server;
pub mod table;
pub mod worker;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use experiment::Experiment;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The article experiment, built in so `cargo run --release` works from anywhere.
pub const ARTICLE_TOML: &str = include_str!("../../../experiments/article.toml");

#[derive(Debug, Parser)]
#[command(
    name = "tvc",
    version,
    about = "threads vs coroutines: the same workloads under six concurrency models, measured",
    long_about = "threads vs coroutines: runs the same workloads under six concurrency models \
                  (sequential, threads, rayon, tokio, async-std, smol), each point in its own \
                  process, against a built-in mock HTTP server, and writes CSV results.\n\n\
                  With no command, reproduces the article's experiment (`tvc reproduce`)."
)]
pub struct Opts {
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Reproduce the article's experiment (200 GETs, 83 ms each) on the built-in server.
    Reproduce {
        /// Fewer repetitions (the experiment's [quick] section).
        #[arg(long)]
        quick: bool,
        /// Where the results folder goes.
        #[arg(long, default_value = "results")]
        out: PathBuf,
    },
    /// Run an experiment file; writes results/<experiment>/<UTC time>/{raw,summary}.csv, env.json.
    Run {
        /// The experiment file (TOML), e.g. experiments/article.toml.
        file: PathBuf,
        /// Where the results folder goes.
        #[arg(long, default_value = "results")]
        out: PathBuf,
        /// Fewer repetitions and points (the experiment's [quick] section).
        #[arg(long)]
        quick: bool,
    },
    /// Serve the mock HTTP server: GET /?delay_ms=D&jitter_ms=J&bytes=B. Prints its address first.
    Serve {
        /// Address to bind; port 0 picks a free one.
        #[arg(long, default_value = "127.0.0.1:0")]
        addr: SocketAddr,
    },
    /// List the models and their variants.
    Models,
    /// Run one point in this process (used by `tvc run`; not for humans).
    #[command(hide = true)]
    Worker {
        /// The point as JSON.
        spec: String,
    },
}

/// An error that is the user's mistake: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Runs a parsed command line.
pub fn run(opts: Opts) -> Result<()> {
    match opts.command.unwrap_or(Cmd::Reproduce {
        quick: false,
        out: PathBuf::from("results"),
    }) {
        Cmd::Reproduce { quick, out } => {
            let path = Path::new("experiments/article.toml");
            let exp = Experiment::parse(path, ARTICLE_TOML, quick)?;
            finish(orchestrate::run(&exp, &out)?)
        }
        Cmd::Run { file, out, quick } => {
            let exp = Experiment::load(&file, quick)?;
            finish(orchestrate::run(&exp, &out)?)
        }
        Cmd::Serve { addr } => serve(addr),
        Cmd::Models => {
            print!("{}", models::describe());
            Ok(())
        }
        Cmd::Worker { spec } => {
            let spec: worker::Spec =
                serde_json::from_str(&spec).context("the worker spec is not valid JSON")?;
            let output = worker::run(&spec);
            println!(
                "{}{}",
                worker::RESULT_PREFIX,
                serde_json::to_string(&output)?
            );
            Ok(())
        }
    }
}

fn finish(dir: PathBuf) -> Result<()> {
    println!("{}", dir.display());
    Ok(())
}

fn serve(addr: SocketAddr) -> Result<()> {
    tvc_core::probe::raise_nofile_limit();
    let server = tvc_mock_server::Server::start(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::Error::new(UsageError(format!(
                "cannot listen on {addr}: the address is already in use"
            )))
        } else {
            anyhow::Error::new(e).context(format!("cannot listen on {addr}"))
        }
    })?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "{}", server.url())?;
    stdout.flush()?;
    eprintln!(
        "tvc mock server on {}: GET /?delay_ms=D&jitter_ms=J&bytes=B, stats at {}",
        server.url(),
        tvc_mock_server::STATS_PATH
    );
    loop {
        std::thread::park();
    }
}

/// The exit code for an error: 2 for the user's mistakes, 1 for everything else.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    if e.downcast_ref::<experiment::ExperimentError>().is_some()
        || e.downcast_ref::<UsageError>().is_some()
    {
        2
    } else {
        1
    }
}
