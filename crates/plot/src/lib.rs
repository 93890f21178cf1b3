//! tvc-plot: charts (SVG and PNG) of a tvc run, drawn from its results files only
//! (`raw.csv`, `summary.csv`, `env.json`, `fits.csv`), never from a live run.
//!
//! `plot_run(dir)` draws every chart whose data the run holds into `dir/charts/`. Each chart
//! kind is one module that turns rows into a [`style::Chart`]; `bars` and `lines` draw them;
//! `style` holds what makes all charts alike (sizes, font, one colour per model).

mod article;
mod bars;
mod blocking;
mod cpu;
mod io_scaling;
mod latency;
mod lines;
mod memory;
mod open_loop;
mod shared_state;
mod style;
mod switch;

pub use tvc_core::registry::order as order_key;
pub use tvc_results::format::{bytes, number, sig3, thousands};

use std::path::{Path, PathBuf};
use style::Key;
use tvc_core::Workload;
use tvc_results::{PointKey, ResultsError, Run, Stat};

/// The file stems of the charts, for readers that link to them (the report).
pub mod names {
    pub const ARTICLE_WALL: &str = "article_wall";
    pub const LATENCY: &str = "latency";
    pub const IO_SCALING: &str = "io_scaling";
    pub const OPEN_LOOP: &str = "open_loop";
    pub const MEMORY: &str = "memory";
    pub const SWITCH: &str = "switch";
    pub const CPU_SPEEDUP: &str = "cpu_speedup";
    pub const BLOCKING: &str = "blocking_p99";
    pub const SHARED_STATE: &str = "shared_state";
}

#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error(transparent)]
    Results(#[from] ResultsError),
    /// The OS error is the source, so `{:#}` prints it once.
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot draw {}: {message}", path.display())]
    Draw { path: PathBuf, message: String },
}

impl PlotError {
    /// Whether the user named a folder that holds no results (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(self, PlotError::Results(r) if r.is_usage())
    }
}

/// Renders every chart whose data is present in `run_dir` to `run_dir/charts/NAME.svg` and
/// `NAME.png`, and returns the paths written (none when no chart applies).
pub fn plot_run(run_dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let run = Run::load(run_dir)?;
    render_run(&run, &run_dir.join("charts"))
}

/// Renders every chart a loaded run supports into `out_dir`.
pub fn render_run(run: &Run, out_dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let charts = [
        article::charts(run),
        latency::charts(run),
        io_scaling::charts(run),
        open_loop::charts(run),
        memory::charts(run),
        switch::charts(run),
        cpu::charts(run),
        blocking::charts(run),
        shared_state::charts(run),
    ];
    let mut written = Vec::new();
    for chart in charts.iter().flatten() {
        written.extend(style::render(chart, out_dir)?);
    }
    Ok(written)
}

/// The legend entry saying what the whiskers are, from the intervals actually drawn.
fn whisker_key<'a>(stats: impl IntoIterator<Item = &'a Stat>) -> Option<Key> {
    let with: Vec<&Stat> = stats.into_iter().filter(|s| s.has_interval()).collect();
    let level = with
        .iter()
        .map(|s| s.ci_level)
        .fold(f64::INFINITY, f64::min);
    let reps = with.iter().map(|s| s.measured).max()?;
    Some(Key::Whisker(format!(
        "{:.0} % CI of the median ({reps} runs)",
        (level * 100.0).floor()
    )))
}

/// Whether an http run sweeps concurrency (io-scaling) rather than comparing models at one
/// setting (the article).
pub fn sweeps_concurrency(run: &Run) -> bool {
    let mut cs: Vec<u64> = run
        .points_of(Workload::Http)
        .iter()
        .filter(|p| !p.is_baseline())
        .map(|p| p.concurrency)
        .collect();
    cs.sort_unstable();
    cs.dedup();
    run.experiment() == "io-scaling" || cs.len() >= 3
}

/// A note naming the points of one series that measured nothing, grouped by how they
/// ended, e.g. `rayon: timeout at N = 10k; failed at N = 100k, 1M`, or for a series that
/// measured nothing at all, its status and (for `unsupported`) the reason the run gave.
/// `None` when every point measured.
fn gaps(
    run: &Run,
    label: &str,
    pts: &[&PointKey],
    metric: &str,
    x: fn(&PointKey) -> u64,
    x_name: &str,
) -> Option<String> {
    let missing: Vec<&&PointKey> = pts
        .iter()
        .filter(|p| run.stat(p, metric).is_none())
        .collect();
    if missing.is_empty() {
        return None;
    }
    let statuses: Vec<String> = missing.iter().map(|p| run.statuses(p)).collect();
    if missing.len() == pts.len() && statuses.windows(2).all(|w| w[0] == w[1]) {
        let reason = (statuses[0] == "unsupported")
            .then(|| run.reason(missing[0]))
            .flatten()
            .filter(|r| r.chars().count() <= 150);
        return Some(match reason {
            Some(r) => format!("{label}: {}: {r}", statuses[0]),
            None => format!("{label}: {} (nothing measured)", statuses[0]),
        });
    }
    let mut by_status: Vec<(String, Vec<String>)> = Vec::new();
    for (p, s) in missing.iter().zip(&statuses) {
        let at = number(x(p) as f64);
        match by_status.iter_mut().find(|(k, _)| k == s) {
            Some((_, xs)) => xs.push(at),
            None => by_status.push((s.clone(), vec![at])),
        }
    }
    let parts: Vec<String> = by_status
        .iter()
        .map(|(s, xs)| format!("{s} at {x_name} = {}", xs.join(", ")))
        .collect();
    Some(format!("{label}: {}", parts.join("; ")))
}

/// The points of one series that measured nothing, as (x, status) for the ✗ marks of a
/// line chart. Empty when none measured (the series is not drawn; a note says why).
fn gap_points(
    run: &Run,
    pts: &[&PointKey],
    metric: &str,
    x: fn(&PointKey) -> u64,
) -> Vec<(f64, String)> {
    let missing: Vec<(f64, String)> = pts
        .iter()
        .filter(|p| run.stat(p, metric).is_none())
        .map(|p| (x(p) as f64, run.statuses(p)))
        .collect();
    if missing.len() == pts.len() {
        Vec::new()
    } else {
        missing
    }
}

/// How a point that measured nothing ended, with the run's reason when it is short enough
/// to print (a crash's backtrace is not): `unsupported: rayon has no channel of its own ...`.
pub fn why_not(run: &Run, point: &PointKey) -> String {
    let status = run.statuses(point);
    match run.reason(point) {
        Some(r) if r.chars().count() <= 200 => format!("{status}: {r}"),
        _ => status,
    }
}
