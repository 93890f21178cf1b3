//! tvc, the orchestrator: the command line, the experiment files, the worker processes and
//! the results files. `main.rs` only parses the options and calls [`run`], so tests can
//! drive the same code in-process.

pub mod child;
pub mod compare;
pub mod envinfo;
pub mod experiment;
pub mod interrupt;
pub mod models;
pub mod orchestrate;
pub mod peers;
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
    /// the report (REPORT.md, index.html) beside the results, in
    /// results/report/<UTC time>/ with results/report/latest pointing at it. Quick form
    /// unless --full.
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
        /// Where the report goes instead (e.g. `report/` for the committed one); default
        /// OUT/report/<UTC time>/, with OUT/report/latest pointing at it.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Skip the peer models (Python, Go, Java): their points say so; nothing is set up.
        #[arg(long)]
        no_peers: bool,
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
        /// Skip the peer models (Python, Go, Java): their points say so; nothing is set up.
        #[arg(long)]
        no_peers: bool,
    },
    /// Set up the peers' toolchains now (a pinned environment under target/peers/ with
    /// Python's packages, a Go toolchain and a Java runtime; the Go and Java programs built),
    /// as the main job does on its first run, and say what they are.
    Setup,
    /// Draw the charts of a results folder into RUN_DIR/charts/ (SVG and PNG).
    Plot {
        /// A results folder, e.g. results/article/2026-11-25T12-28-58Z.
        run_dir: PathBuf,
    },
    /// Set two results folders of one experiment side by side: per point and figure, the
    /// ratio NEW/BASE of the medians with its interval and a word; writes compare.csv and a
    /// chart (SVG and PNG).
    Compare {
        /// The results folder to compare against, e.g. results/reference/article.
        base: PathBuf,
        /// The results folder compared, e.g. results/article/2026-11-30T12-00-00Z.
        new: PathBuf,
        /// Where compare.csv and the chart go; default NEW/compare-vs-<BASE folder name>/.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The figures the table and the chart show (comma-separated column names, or
        /// `all`); default the workload's headline figures. compare.csv has every figure.
        #[arg(long, value_delimiter = ',')]
        figures: Vec<String>,
    },
    /// Write REPORT.md and index.html (claims, verdicts, charts, code) from one or more
    /// results folders.
    Report {
        /// Results folders, one per experiment.
        #[arg(required = true)]
        run_dirs: Vec<PathBuf>,
        /// Where REPORT.md, index.html and their charts go.
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
        report: None,
        no_peers: false,
    }) {
        Cmd::Reproduce {
            full,
            only,
            out,
            report,
            no_peers,
        } => {
            if no_peers {
                peers::skip();
            }
            reproduce(full, &only, &out, report.as_deref())
        }
        Cmd::Setup => {
            peers::set_up()
                .map_err(|why| anyhow::anyhow!("the peers could not be set up: {why}"))?;
            tvc_go::build().map_err(|why| anyhow::anyhow!("the Go peer cannot run: {why}"))?;
            tvc_java::build().map_err(|why| anyhow::anyhow!("the Java peer cannot run: {why}"))?;
            tvc_python::interpreter()
                .map_err(|why| anyhow::anyhow!("the Python peer cannot run: {why}"))?;
            println!("{}", serde_json::to_string_pretty(&peers::describe())?);
            Ok(())
        }
        Cmd::Plot { run_dir } => {
            for path in tvc_plot::plot_run(&run_dir)? {
                println!("{}", path.display());
            }
            Ok(())
        }
        Cmd::Compare {
            base,
            new,
            out,
            figures,
        } => compare::run(&base, &new, out.as_deref(), &figures),
        Cmd::Report { run_dirs, out } => {
            let written = tvc_report::write_report(&run_dirs, &out)?;
            println!("{}", written.markdown.display());
            println!("{}", written.html.display());
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
            no_peers,
        } => {
            if no_peers {
                peers::skip();
            }
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

/// Runs the study's experiments one after another, charts each, and writes the report:
/// into `report` when given, else beside the results (see [`report_home`]).
fn reproduce(full: bool, only: &[String], out: &Path, report: Option<&Path>) -> Result<()> {
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
    // Named for when the study started, as each results folder is named for its run's start.
    let home = report_home(out, !full);
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
    let shown = match report {
        Some(dir) => tvc_report::write_report(&dirs, dir)?.html,
        None => {
            let written = tvc_report::write_report(&dirs, &home.dir)?;
            point_latest(&home)
                .with_context(|| format!("cannot point {} at the report", home.latest.display()))?;
            // The stable name, which the next run moves; the folder itself stays.
            println!("report folder: {}", home.dir.display());
            home.latest.join(
                written
                    .html
                    .file_name()
                    .expect("the report's page has a name"),
            )
        }
    };
    println!("report: {}", shown.display());
    Ok(())
}

/// Where `tvc reproduce` writes its report when no `--report` is given: beside the results
/// it reads, so the repository's committed `report/` stays as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportHome {
    /// `OUT/report/<UTC time>[-quick]/`, this run's report.
    pub dir: PathBuf,
    /// `OUT/report/latest`, a symbolic link to the newest report's folder. It sits beside
    /// the timestamped folders, so the report's relative links to the results (`../../…`)
    /// resolve the same way through it.
    pub latest: PathBuf,
}

/// This run's report folder and the link to it, under `out`.
pub fn report_home(out: &Path, quick: bool) -> ReportHome {
    let (_, folder) = utc::utc_now();
    let reports = out.join("report");
    ReportHome {
        dir: reports.join(format!("{folder}{}", if quick { "-quick" } else { "" })),
        latest: reports.join("latest"),
    }
}

/// Points `home.latest` at `home.dir` (a relative link, made beside it and renamed over the
/// old one, so a reader never finds it missing).
pub fn point_latest(home: &ReportHome) -> std::io::Result<()> {
    let target = home.dir.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "a report folder has a name",
        )
    })?;
    let staged = home.latest.with_file_name(".latest.new");
    let _ = std::fs::remove_file(&staged);
    std::os::unix::fs::symlink(target, &staged)?;
    std::fs::rename(&staged, &home.latest)
}

fn finish(dir: PathBuf) -> Result<()> {
    println!("{}", dir.display());
    Ok(())
}

/// Tests of the harness set `TVC_SERVER_FAULT=exit-once:MS:MARKER` to make the first server
/// that finds no MARKER file create it and exit MS milliseconds after it started, as a server
/// killed from outside would.
const SERVER_FAULT_VAR: &str = "TVC_SERVER_FAULT";

fn injected_server_fault() {
    let Ok(fault) = std::env::var(SERVER_FAULT_VAR) else {
        return;
    };
    let mut parts = fault.splitn(3, ':');
    let (Some("exit-once"), Some(ms), Some(marker)) = (parts.next(), parts.next(), parts.next())
    else {
        return;
    };
    let (Ok(ms), marker) = (ms.parse::<u64>(), PathBuf::from(marker)) else {
        return;
    };
    if std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&marker)
        .is_ok()
    {
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(ms));
            std::process::exit(3);
        });
    }
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
    injected_server_fault();
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
        || e.downcast_ref::<tvc_results::compare::CompareError>()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_goes_beside_the_results_and_latest_follows_it() {
        let out = tempfile::tempdir().expect("tempdir");
        let home = report_home(out.path(), true);
        assert_eq!(home.latest, out.path().join("report/latest"));
        assert_eq!(home.dir.parent(), Some(out.path().join("report").as_path()));
        let name = home.dir.file_name().unwrap().to_str().unwrap().to_string();
        assert!(name.ends_with("Z-quick") && name.len() == 26, "{name}");
        let first = ReportHome {
            dir: out.path().join("report/a"),
            ..home.clone()
        };
        let second = ReportHome {
            dir: out.path().join("report/b"),
            ..home
        };
        for h in [&first, &second] {
            std::fs::create_dir_all(&h.dir).unwrap();
            std::fs::write(h.dir.join("index.html"), h.dir.to_str().unwrap()).unwrap();
            point_latest(h).expect("points");
            // A relative link, so the folder can move with its results.
            assert_eq!(
                std::fs::read_link(&h.latest).unwrap(),
                Path::new(h.dir.file_name().unwrap())
            );
            let page = std::fs::read_to_string(h.latest.join("index.html")).unwrap();
            assert_eq!(page, h.dir.to_str().unwrap());
        }
        assert!(!out.path().join("report/.latest.new").exists());
    }
}
