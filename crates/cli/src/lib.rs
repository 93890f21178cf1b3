//! tvc, the orchestrator: the command line, the experiment files, the worker processes and
//! the results files. `main.rs` only parses the options and calls [`run`], so tests can
//! drive the same code in-process.

pub mod child;
pub mod envinfo;
pub mod experiment;
pub mod interrupt;
pub mod models;
pub mod orchestrate;
pub mod server;
pub mod table;
pub mod target;
pub mod utc;
pub mod worker;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use experiment::Experiment;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The article experiment, built in so `cargo run --release` works from anywhere.
pub const ARTICLE_TOML: &str = tvc_results::study::STUDY[0].source;

#[derive(Debug, Parser)]
#[command(
    name = "tvc",
    version,
    about = "threads vs coroutines: the same workloads under seven concurrency models, measured",
    long_about = "threads vs coroutines: runs the same workloads under seven concurrency models \
                  (sequential, threads, rayon, tokio, async-std, smol, may) and the article's \
                  own Python code as a peer (python, when Python and httpx are installed), \
                  each point in its own process, against a built-in mock HTTP server, and \
                  writes CSV results.\n\n\
                  With no command, reproduces the whole study in quick form, with charts and \
                  the report (`tvc reproduce`)."
)]
pub struct Opts {
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Reproduce the whole study on the built-in server: every experiment, its charts, and
    /// report/REPORT.md. Quick form unless --full.
    Reproduce {
        /// The full sweeps and repetitions (about 25 minutes on 2 cores) instead of --quick.
        #[arg(long)]
        full: bool,
        /// Only these experiments (by name, e.g. article, memory); default all.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Where the results folders go.
        #[arg(long, default_value = "results")]
        out: PathBuf,
        /// Where the report goes.
        #[arg(long, default_value = "report")]
        report: PathBuf,
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
        /// Measure this URL instead of the built-in server (http and blocking experiments).
        #[arg(long)]
        target: Option<String>,
        /// Allow a target that is not loopback: a real server somebody else runs.
        #[arg(long)]
        allow_external: bool,
        /// Raise the per-point request cap for an external target (default 200, as the article).
        #[arg(long, default_value_t = target::DEFAULT_MAX_REQUESTS)]
        max_requests: u64,
        /// For an https target: trust the CA certificates in this PEM file too (beside the
        /// built-in Mozilla roots), e.g. the one `tvc serve --tls --cert-out` wrote.
        #[arg(long)]
        ca_file: Option<PathBuf>,
    },
    /// Draw the charts of a results folder into RUN_DIR/charts/ (SVG and PNG).
    Plot {
        /// A results folder, e.g. results/article/2026-11-25T12-28-58Z.
        run_dir: PathBuf,
    },
    /// Write REPORT.md (claims, verdicts, charts) from one or more results folders.
    Report {
        /// Results folders, one per experiment.
        #[arg(required = true)]
        run_dirs: Vec<PathBuf>,
        /// Where REPORT.md and its charts go.
        #[arg(long, default_value = "report")]
        out: PathBuf,
    },
    /// Serve the mock HTTP server: GET /?delay_ms=D&jitter_ms=J&bytes=B. Prints its address first.
    Serve {
        /// Address to bind; port 0 picks a free one.
        #[arg(long, default_value = "127.0.0.1:0")]
        addr: SocketAddr,
        /// Serve https with a self-signed certificate for localhost, 127.0.0.1 and ::1, made
        /// at start.
        #[arg(long)]
        tls: bool,
        /// Write that certificate (PEM) here before the address is printed, for
        /// `tvc run --ca-file`.
        #[arg(long, requires = "tls")]
        cert_out: Option<PathBuf>,
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
        full: false,
        only: Vec::new(),
        out: PathBuf::from("results"),
        report: PathBuf::from("report"),
    }) {
        Cmd::Reproduce {
            full,
            only,
            out,
            report,
        } => reproduce(full, &only, &out, &report),
        Cmd::Plot { run_dir } => {
            for path in tvc_plot::plot_run(&run_dir)? {
                println!("{}", path.display());
            }
            Ok(())
        }
        Cmd::Report { run_dirs, out } => {
            let path = tvc_report::write_report(&run_dirs, &out)?;
            println!("{}", path.display());
            Ok(())
        }
        Cmd::Run {
            file,
            out,
            quick,
            target,
            allow_external,
            max_requests,
            ca_file,
        } => {
            let mut exp = Experiment::load(&file, quick)?;
            if target.is_some() {
                if !exp.workload.is_http() {
                    return Err(UsageError(format!(
                        "--target needs an http or blocking experiment; {} is {}",
                        file.display(),
                        exp.workload.name()
                    ))
                    .into());
                }
                exp.target = target;
            }
            let policy = target::Policy {
                allow_external,
                max_requests,
                ca_file,
            };
            finish(orchestrate::run_with(&exp, &out, &policy)?)
        }
        Cmd::Serve {
            addr,
            tls,
            cert_out,
        } => serve(addr, tls, cert_out.as_deref()),
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

/// Runs the study's experiments one after another, charts each, and writes the report.
fn reproduce(full: bool, only: &[String], out: &Path, report: &Path) -> Result<()> {
    let mut experiments = Vec::new();
    for study in tvc_results::study::STUDY {
        // The study's own files parse; one can still be refused by this machine's limits
        // (too few file descriptors for its concurrency): say so and measure the rest. Any
        // other error in a built-in file is a bug in tvc, and stops the study.
        let exp = match Experiment::parse(Path::new(study.file), study.source, !full) {
            Ok(exp) => exp,
            Err(e) if e.machine_limit => {
                eprintln!("skipped, this machine cannot run it: {e}");
                continue;
            }
            Err(e) => anyhow::bail!("the built-in experiment {e} (a bug in tvc: please report it)"),
        };
        if only.is_empty() || only.contains(&exp.name) {
            experiments.push(exp);
        }
    }
    if experiments.is_empty() {
        let known: Vec<&str> = tvc_results::study::STUDY.iter().map(|e| e.name).collect();
        return Err(UsageError(format!(
            "--only {} names no experiment (known: {})",
            only.join(","),
            known.join(", ")
        ))
        .into());
    }
    let mut dirs = Vec::new();
    for (i, exp) in experiments.iter().enumerate() {
        eprintln!(
            "== experiment {}/{}: {} ({}) ==",
            i + 1,
            experiments.len(),
            exp.name,
            exp.about
        );
        let dir = orchestrate::run(exp, out)?;
        tvc_plot::plot_run(&dir).with_context(|| format!("charting {}", dir.display()))?;
        println!("{}", dir.display());
        dirs.push(dir);
    }
    let path = tvc_report::write_report(&dirs, report)?;
    println!("report: {}", path.display());
    Ok(())
}

fn finish(dir: PathBuf) -> Result<()> {
    println!("{}", dir.display());
    Ok(())
}

fn serve(addr: SocketAddr, tls: bool, cert_out: Option<&Path>) -> Result<()> {
    tvc_core::probe::raise_nofile_limit();
    let started = if tls {
        tvc_mock_server::Server::start_tls(addr)
    } else {
        tvc_mock_server::Server::start(addr)
    };
    let server = started.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::Error::new(UsageError(format!(
                "cannot listen on {addr}: the address is already in use"
            )))
        } else {
            anyhow::Error::new(e).context(format!("cannot listen on {addr}"))
        }
    })?;
    // The certificate is on disk before the address is printed, so whoever reads the
    // address can use it at once.
    if let (Some(path), Some(pem)) = (cert_out, server.cert_pem()) {
        std::fs::write(path, pem)
            .with_context(|| format!("cannot write the certificate to {}", path.display()))?;
    }
    let mut stdout = std::io::stdout();
    writeln!(stdout, "{}", server.url())?;
    stdout.flush()?;
    eprintln!(
        "tvc mock server on {}: GET /?delay_ms=D&jitter_ms=J&bytes=B, stats at {}",
        server.url(),
        tvc_mock_server::STATS_PATH
    );
    match (tls, cert_out) {
        (true, Some(path)) => eprintln!(
            "its self-signed certificate is in {}: trust it with tvc run --ca-file {}",
            path.display(),
            path.display()
        ),
        (true, None) => eprintln!(
            "its certificate is self-signed and was not written anywhere (--cert-out FILE), \
             so clients will refuse it"
        ),
        (false, _) => {}
    }
    loop {
        std::thread::park();
    }
}

/// The exit code for an error: 2 for the user's mistakes, 130 for an interrupted run, 1 for
/// everything else.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    if e.downcast_ref::<interrupt::Interrupted>().is_some() {
        interrupt::EXIT_INTERRUPTED
    } else if e.downcast_ref::<experiment::ExperimentError>().is_some()
        || e.downcast_ref::<UsageError>().is_some()
        || e.downcast_ref::<tvc_results::ResultsError>()
            .is_some_and(|r| r.is_usage())
        || e.downcast_ref::<tvc_plot::PlotError>()
            .is_some_and(|r| r.is_usage())
        || e.downcast_ref::<tvc_report::ReportError>()
            .is_some_and(|r| r.is_usage())
    {
        2
    } else {
        1
    }
}
