//! tvc-plot: charts (SVG and PNG) of a tvc run, drawn from its results files only
//! (`raw.csv`, `summary.csv`, `env.json`, `fits.csv`), never from a live run.
//!
//! `plot_run(dir)` draws every chart whose data the run holds into `dir/charts/`. Each chart
//! kind is one module that turns rows into a [`style::Chart`]; `bars` and `lines` draw them;
//! `style` holds what makes all charts alike (sizes, font, one colour per model).

pub mod data;

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

pub use cpu::speedup;
pub use style::{bytes, number, sig3, thousands};

use data::{Run, Stat};
use std::path::{Path, PathBuf};
use style::Key;

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
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: line {line}: {message}", path.display())]
    Malformed {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{}: not valid JSON: {message}", path.display())]
    Json { path: PathBuf, message: String },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot draw {}: {message}", path.display())]
    Draw { path: PathBuf, message: String },
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

/// Models in the order the README lists them (variants after their model), then others.
pub fn order_key(label: &str) -> (usize, String) {
    const MODELS: [&str; 6] = [
        "sequential",
        "threads",
        "rayon",
        "tokio",
        "async-std",
        "smol",
    ];
    let model = label.split(':').next().unwrap_or(label);
    let rank = MODELS
        .iter()
        .position(|m| *m == model)
        .unwrap_or(MODELS.len());
    (rank, label.to_string())
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
        .points_of("http")
        .iter()
        .filter(|p| p.model != "sequential")
        .filter_map(|p| p.concurrency)
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
    pts: &[&data::Point],
    metric: &str,
    x: fn(&data::Point) -> Option<u64>,
    x_name: &str,
) -> Option<String> {
    let missing: Vec<&&data::Point> = pts
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
        let at = x(p).map(|v| number(v as f64)).unwrap_or_default();
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
    pts: &[&data::Point],
    metric: &str,
    x: fn(&data::Point) -> Option<u64>,
) -> Vec<(f64, String)> {
    let missing: Vec<(f64, String)> = pts
        .iter()
        .filter(|p| run.stat(p, metric).is_none())
        .filter_map(|p| Some((x(p)? as f64, run.statuses(p))))
        .collect();
    if missing.len() == pts.len() {
        Vec::new()
    } else {
        missing
    }
}

/// How a point that measured nothing ended, with the run's reason when it is short enough
/// to print (a crash's backtrace is not): `unsupported: rayon has no channel of its own ...`.
pub fn why_not(run: &Run, point: &data::Point) -> String {
    let status = run.statuses(point);
    match run.reason(point) {
        Some(r) if r.chars().count() <= 200 => format!("{status}: {r}"),
        _ => status,
    }
}
