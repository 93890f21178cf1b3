//! `tvc run`: expands an experiment into points, starts the mock server, runs every point
//! in a fresh worker process, and writes the results as they come.

use crate::child::{self, Exit};
use crate::envinfo::{Env, ServerInfo};
use crate::experiment::{Experiment, Point};
use crate::server::ServerChild;
use crate::target::Policy;
use crate::utc::utc_now;
use crate::worker::{self, Measured, Output, Spec};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use tvc_core::{PeerProcess, Report, RunReport, Workload};
use tvc_results::{RawRow, RunWriter, Status};

/// Runs `exp` against the built-in server (or its loopback target) and returns the
/// results folder.
pub fn run(exp: &Experiment, out: &Path) -> Result<PathBuf> {
    run_with(exp, out, &Policy::default())
}

/// Runs `exp`; a real target is checked against `policy` before anything is written.
pub fn run_with(exp: &Experiment, out: &Path, policy: &Policy) -> Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find the tvc executable")?;
    let points = exp.points();
    let target = match &exp.target {
        Some(url) => Some(crate::target::check(url, &points, policy)?),
        None => None,
    };
    let ca_file = crate::target::ca_file(policy, target.as_ref().map(|(t, _)| t))?;
    let (started, stamp) = utc_now();
    let suffix = if exp.quick { "-quick" } else { "" };
    // Two runs started in the same second get distinct folders (-2, -3, ...).
    let base = out.join(&exp.name);
    // An output folder that cannot be written is the user's to fix: exit 2, nothing run.
    std::fs::create_dir_all(&base).map_err(|e| {
        crate::UsageError(format!(
            "cannot create the results folder {}: {e} (check --out)",
            base.display()
        ))
    })?;
    let mut dir = base.join(format!("{stamp}{suffix}"));
    let mut n = 1;
    loop {
        match std::fs::create_dir(&dir) {
            Ok(()) => break,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => {
                n += 1;
                dir = base.join(format!("{stamp}{suffix}-{n}"));
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot create the results folder {}", dir.display()))
            }
        }
    }

    let languages: Vec<tvc_core::Language> =
        points.iter().filter_map(|p| p.key.language()).collect();
    let peers = crate::peers::prepare(&languages);
    let (mut server, server_info) = match &target {
        Some((t, external)) => (
            None,
            ServerInfo {
                kind: if *external {
                    "external target"
                } else {
                    "loopback target"
                }
                .into(),
                url: t.url.clone(),
                pid: None,
                ca_file: ca_file.clone(),
                restarts: Vec::new(),
            },
        ),
        None => {
            let server = ServerChild::start(&exe, Some(&dir.join(SERVER_LOG)))?;
            let info = ServerInfo {
                kind: "built-in".into(),
                url: server.url.clone(),
                pid: Some(server.pid()),
                ca_file: None,
                restarts: Vec::new(),
            };
            (Some(server), info)
        }
    };
    let mut env = Env::collect(exp, started, server_info, points.len());
    env.peers = peers.clone();
    env.write(&dir.join(tvc_results::writer::ENV))?;
    let mut results = RunWriter::create(&dir)?;

    let progress = progress_bar(points.len() as u64);
    crate::interrupt::install();
    for point in &points {
        if crate::interrupt::interrupted() {
            break;
        }
        progress.set_message(describe(point));
        // A server that died (killed from outside, or a bug) would fail every point after
        // it: start another, and say so in env.json.
        if let Some(how) = server.as_mut().and_then(ServerChild::exited) {
            let note = format!(
                "exited ({how}) before point {}: {}",
                results.rows().len() + 1,
                describe(point)
            );
            eprintln!("tvc: the built-in server {note}; starting another");
            let started = ServerChild::start(&exe, Some(&dir.join(SERVER_LOG)))?;
            // env.json describes the server that serves from here on.
            env.server.url = started.url.clone();
            env.server.pid = Some(started.pid());
            server = Some(started);
            env.server.restarts.push(note);
            env.write(&dir.join(tvc_results::writer::ENV))?;
        }
        let url = match (&server, &target) {
            (Some(server), _) => point_url(&server.url, point),
            (None, Some((t, _))) => t.url.clone(),
            (None, None) => unreachable!("either a server or a target"),
        };
        if point.key.workload == Workload::Park {
            // Its kernel-memory figures are machine-wide: let the last worker's threads go.
            tvc_core::probe::KernelMemory::settle(Duration::from_secs(5));
        }
        let mut row = measure(
            &exe,
            point,
            url,
            ca_file.clone(),
            exp.point_timeout_s,
            &peers.worker_env,
        );
        if let Some(how) = server.as_mut().and_then(ServerChild::exited) {
            // Its failed requests are the server's, not the model's: the row says so.
            let note = format!("the built-in server exited ({how}) during this point");
            row.reason = match row.reason.is_empty() {
                true => note,
                false => format!("{note}; {}", row.reason),
            };
        }
        if progress.is_hidden() {
            eprintln!(
                "[{}/{}] {} -> {}{}",
                results.rows().len() + 1,
                points.len(),
                describe(point),
                row.status.name(),
                row.figures
                    .wall_ms
                    .map(|w| format!(" in {:.3} s", w / 1e3))
                    .unwrap_or_default()
            );
        }
        results.append(row)?;
        progress.inc(1);
    }
    progress.finish_and_clear();

    let interrupted = crate::interrupt::interrupted();
    env.finished_utc = Some(utc_now().0);
    env.calibration_end = Some(tvc_core::calibrate::Calibration::measure());
    env.status = if interrupted {
        "interrupted"
    } else {
        "completed"
    }
    .into();
    env.write(&dir.join(tvc_results::writer::ENV))?;
    print!("{}", crate::table::render(results.rows()));
    if interrupted {
        let done = results
            .rows()
            .iter()
            .filter(|r| r.status != Status::Interrupted)
            .count();
        return Err(crate::interrupt::Interrupted {
            done,
            total: points.len(),
            dir: dir.display().to_string(),
        }
        .into());
    }
    Ok(dir)
}

pub fn describe(point: &Point) -> String {
    let p = &point.key;
    let ka = if p.keep_alive { "on" } else { "off" };
    let what = match p.workload {
        Workload::Http => format!(
            "n={} C={} delay={}ms keep-alive={ka}",
            p.n, p.concurrency, p.delay_ms
        ),
        Workload::Blocking => format!(
            "n={} C={} delay={}ms cpu={}x{} {}",
            p.n,
            p.concurrency,
            p.delay_ms,
            p.cpu_tasks,
            p.iters,
            p.cpu_mode.name()
        ),
        Workload::Park => format!("n={}", p.n),
        Workload::Switch => format!(
            "units={} hops={} via {}",
            p.concurrency,
            p.n,
            p.medium.name()
        ),
        Workload::Cpu => format!("n={} iters={}", p.n, p.iters),
        Workload::SharedState => format!(
            "units={} increments={} lock={}",
            p.concurrency,
            p.n,
            p.lock.name()
        ),
    };
    let pinned = if p.pinned { " pinned" } else { "" };
    format!("{}:{} {what}{pinned} rep {}", p.model, p.variant, point.rep)
}

fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] point {pos}/{len}, {eta} left: {msg}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// The built-in server's stderr, in the results folder.
pub const SERVER_LOG: &str = "server.log";

/// The URL a point requests from the built-in server.
pub fn point_url(server: &str, p: &Point) -> String {
    format!(
        "{server}/?delay_ms={}&jitter_ms={}&bytes={}",
        p.key.delay_ms, p.key.jitter_ms, p.key.bytes
    )
}

/// Runs one point in a worker process and turns whatever happened into a row.
pub fn measure(
    exe: &Path,
    point: &Point,
    url: String,
    ca_file: Option<String>,
    timeout_s: u64,
    worker_env: &[(String, String)],
) -> RawRow {
    let new_row = |url: &str, started: String| {
        RawRow::new(point.key.clone(), point.rep, point.warmup, url, started)
    };
    let mut row = new_row(&url, utc_now().0);
    let spec = Spec {
        point: point.clone(),
        url,
        ca_file,
    };
    let spec_json = match serde_json::to_string(&spec) {
        Ok(j) => j,
        Err(e) => {
            row.status = Status::Failed;
            row.reason = format!("cannot encode the point: {e}");
            return row;
        }
    };
    let mut command = Command::new(exe);
    command.args(["worker", &spec_json]);
    command.envs(worker_env.iter().map(|(k, v)| (k, v)));
    let outcome = match child::run(command, Duration::from_secs(timeout_s)) {
        Ok(o) => o,
        Err(e) => {
            row.status = Status::Failed;
            row.reason = format!("cannot start a worker process: {e}");
            return row;
        }
    };
    match (worker::parse_output(&outcome.stdout), outcome.exit) {
        (
            Some(Output::Measured {
                report,
                check,
                peak_rss_kib,
                vm_peak_kib,
                rss_run,
            }),
            _,
        ) => {
            row.status = Status::Ok;
            row.peak_rss_scope = if rss_run { "run" } else { "life" }.into();
            let f = &mut row.figures;
            f.peak_rss_kib = Some(peak_rss_kib as f64);
            f.vm_peak_kib = Some(vm_peak_kib as f64);
            let window = window_of(&report);
            f.threads = window.threads.map(|t| t as f64);
            f.wall_ms = Some(window.wall_ms);
            f.user_ms = Some(window.usage.user_ms);
            f.sys_ms = Some(window.usage.sys_ms);
            f.vol_ctx_switches = Some(window.usage.vol_ctx_switches as f64);
            f.invol_ctx_switches = Some(window.usage.invol_ctx_switches as f64);
            let peer = match &*report {
                Measured::Http(r) => r.peer,
                Measured::Work(r) => r.peer,
            };
            if let Some(peer) = &peer {
                fill_peer(&mut row, peer);
            }
            match *report {
                Measured::Http(r) => fill_http(&mut row, &r),
                Measured::Work(r) => fill_work(&mut row, &r),
            }
            if let Some(c) = check {
                row.count_ok = Some(c.ok);
                let (workload, lock) = (row.key.workload, row.key.lock);
                if workload == Workload::SharedState {
                    row.figures.lost_updates = Some(c.want.saturating_sub(c.got) as f64);
                }
                if !c.ok && workload == Workload::SharedState && lock.is_none() {
                    // What a counter without a lock is there to show.
                    row.reason = format!(
                        "lost {} of {} updates without a lock",
                        c.want.saturating_sub(c.got),
                        c.want
                    );
                } else if !c.ok {
                    row.status = Status::Failed;
                    row.reason = format!("wrong result: got {}, expected {}", c.got, c.want);
                }
            }
        }
        (
            Some(Output::Failed {
                unsupported,
                reason,
            }),
            _,
        ) => {
            row.status = if unsupported {
                Status::Unsupported
            } else {
                Status::Failed
            };
            row.reason = reason;
        }
        (_, Exit::Interrupted) => {
            row = new_row(&row.target, row.started_utc.clone());
            row.status = Status::Interrupted;
            row.reason = "tvc was interrupted while this point ran; the worker was killed".into();
        }
        (None, Exit::TimedOut) => {
            row.status = Status::Timeout;
            row.reason =
                format!("the worker ran past the point timeout of {timeout_s} s and was killed");
        }
        (None, Exit::Signal(sig)) => {
            row.status = if sig == libc::SIGABRT {
                Status::Aborted
            } else {
                Status::Crashed
            };
            row.reason = format!(
                "the worker was killed by {}{}",
                child::signal_name(sig),
                last_line(&outcome.stderr_tail)
            );
        }
        (None, Exit::Code(code)) => {
            row.status = Status::Crashed;
            row.reason = format!(
                "the worker exited with code {code} and no result{}",
                last_line(&outcome.stderr_tail)
            );
        }
    }
    row
}

fn window_of(report: &Measured) -> tvc_core::Window {
    match report {
        Measured::Http(r) => r.window,
        Measured::Work(r) => r.window,
    }
}

fn knobs(knobs: &[tvc_core::Knob]) -> String {
    join(knobs.iter().map(|k| format!("{}={}", k.name, k.value)))
}

fn fill_http(row: &mut RawRow, report: &RunReport) {
    let errors = report.error_count();
    if errors > 0 {
        row.status = Status::Errors;
    }
    let f = &mut row.figures;
    let wall_s = report.window.wall_ms / 1e3;
    f.throughput_per_s = Some(report.ok as f64 / wall_s.max(f64::MIN_POSITIVE));
    f.requests_ok = Some(report.ok as f64);
    f.errors = Some(errors as f64);
    row.error_kinds = join(report.errors.iter().map(|(k, v)| format!("{k}={v}")));
    if let Some(l) = report.latency {
        f.mean_ms = Some(l.mean_ms);
        f.p50_ms = Some(l.p50_ms);
        f.p90_ms = Some(l.p90_ms);
        f.p99_ms = Some(l.p99_ms);
        f.p999_ms = Some(l.p999_ms);
        f.p9999_ms = Some(l.p9999_ms);
        f.max_ms = Some(l.max_ms);
    }
    if let Some(u) = report.uncorrected {
        f.p50_uncorrected_ms = Some(u.p50_ms);
        f.p99_uncorrected_ms = Some(u.p99_ms);
        f.max_uncorrected_ms = Some(u.max_ms);
    }
    f.achieved_rate_per_s = report.achieved_rate_per_s;
    row.rate_kept = report.rate_kept();
    if report.rate_per_s.is_some() {
        f.requests_unsent = Some(report.unsent as f64);
    }
    if let Some(o) = report.overhead {
        f.overhead_p50_ms = Some(o.p50_ms);
        f.overhead_p99_ms = Some(o.p99_ms);
    }
    if let Some(e) = report.server_error {
        f.server_error_p50_ms = Some(e.p50_ms);
        f.server_error_p99_ms = Some(e.p99_ms);
    }
    f.workers = Some(report.workers as f64);
    f.in_flight = Some(report.in_flight as f64);
    if let (Some(false), Some(rate)) = (row.rate_kept, report.rate_per_s) {
        let achieved = report.achieved_rate_per_s.unwrap_or(0.0);
        row.reason = format!(
            "rate not kept: requests went out at {achieved:.0}/s of the {rate:.0}/s asked, \
             {} never sent (every unit was busy); latency from the due time includes the wait",
            report.unsent
        );
    }
    row.knobs = knobs(&report.knobs);
}

/// A peer model's work ran in a process of its own (an interpreter, a Go program, a JVM,
/// a child of the worker), which measured itself as the worker measures a Rust model: its
/// peak resident set, threads and virtual size replace the worker's own, which measured only
/// the waiting (its window, CPU time and context switches are the run's window already).
fn fill_peer(row: &mut RawRow, peer: &PeerProcess) {
    let f = &mut row.figures;
    f.peak_rss_kib = Some(peer.peak_rss_kib as f64);
    f.vm_peak_kib = peer.vm_peak_kib.map(|v| v as f64);
    f.threads = peer.threads.map(|t| t as f64);
    row.peak_rss_scope = if peer.rss_window { "run" } else { "life" }.into();
}

fn fill_work(row: &mut RawRow, report: &Report) {
    let (k, f) = (&row.key, &mut row.figures);
    f.workers = Some(report.workers as f64);
    let ns = report.window.wall_ms * 1e6;
    match k.workload {
        Workload::Switch => {
            // One figure per timed pass; the row keeps their median and spread.
            let per_hop: Vec<f64> = report
                .passes_ms
                .iter()
                .map(|ms| ms * 1e6 / k.n as f64)
                .collect();
            if let Some(s) = tvc_results::summarize(&per_hop) {
                (f.ns_per_switch, f.ns_per_switch_min, f.ns_per_switch_max) =
                    (Some(s.median), Some(s.min), Some(s.max));
            }
        }
        Workload::SharedState => f.ns_per_increment = Some(ns / (k.n * k.concurrency) as f64),
        _ => {}
    }
    if let Some(p) = report.park {
        f.spawn_ms = Some(p.spawn_ms);
        f.first_run_ms = Some(p.first_run_ms);
        f.created_ms = p.created_ms;
        f.all_started_ms = Some(p.all_started_ms);
        f.baseline_rss_kib = Some(p.baseline_rss_kib as f64);
        f.baseline_vm_kib = Some(p.baseline_vm_kib as f64);
        f.rss_parked_kib = Some(p.parked_rss_kib as f64);
        f.vm_parked_kib = Some(p.parked_vm_kib as f64);
        let delta = |after: u64, before: u64| Some(after as f64 - before as f64);
        let (k0, k1) = (p.baseline_kernel, p.parked_kernel);
        f.kernel_stack_delta_kib = delta(k1.kernel_stack_kib, k0.kernel_stack_kib);
        f.page_tables_delta_kib = delta(k1.page_tables_kib, k0.page_tables_kib);
        f.slab_unreclaim_delta_kib = delta(k1.slab_unreclaim_kib, k0.slab_unreclaim_kib);
        // Read inside the worker while all units were parked, which sampling from outside
        // can miss.
        f.threads = Some(p.parked_threads as f64);
    }
    row.knobs = knobs(&report.knobs);
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(";")
}

/// The last progress line a model printed (`tvc: ...`) and the last two other non-empty
/// stderr lines, as `: a / b`, for a crash reason.
fn last_line(stderr: &str) -> String {
    let all: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let progress = all.iter().rev().find(|l| l.starts_with("tvc: ")).copied();
    let mut lines: Vec<&str> = all
        .iter()
        .rev()
        .filter(|l| !l.starts_with("tvc: "))
        .take(2)
        .copied()
        .collect();
    lines.reverse();
    if let Some(p) = progress {
        lines.insert(0, p.trim_start_matches("tvc: "));
    }
    if lines.is_empty() {
        String::new()
    } else {
        format!(": {}", lines.join(" / "))
    }
}
