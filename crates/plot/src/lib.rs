//! tvc-plot: charts (SVG and PNG) of a tvc run, drawn from its results files only
//! (`raw.csv`, `summary.csv`, `env.json`, `fits.csv`), never from a live run.
//!
//! `plot_run(dir)` draws every chart whose data the run holds into `dir/charts/`. The
//! modules stand in floors, each importing only those below it:
//! - `theme` (sizes, font, colours, number formats), `error`, `names`;
//! - `axis` (scales and ticks), `marks` (text, whiskers), `legend`, `missing` (the notes
//!   and ✗ of points that measured nothing);
//! - `bars`, `lines` and `ratios`, the three kinds of panel;
//! - `chart`, a chart's layout and its rendering to SVG and PNG;
//! - one module per chart kind, each turning rows into a [`chart::Chart`];
//! - `compare`, the chart of two runs side by side (`tvc compare`), drawn from a
//!   comparison rather than one run;
//! - this file, which only lists the chart kinds and re-exports what other crates use.

mod article;
mod axis;
mod bars;
mod blocking;
mod chart;
mod compare;
mod cpu;
mod error;
mod io_scaling;
mod latency;
mod legend;
mod lines;
mod marks;
mod memory;
mod missing;
pub mod names;
mod open_loop;
mod ratios;
mod shared_state;
mod spawn;
mod switch;
mod theme;

pub use compare::plot_comparison;
pub use error::PlotError;
pub use io_scaling::sweeps_concurrency;
pub use missing::why_not;

use std::path::{Path, PathBuf};
use tvc_results::Run;

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
        spawn::charts(run),
        switch::charts(run),
        cpu::charts(run),
        blocking::charts(run),
        shared_state::charts(run),
    ];
    let mut written = Vec::new();
    for chart in charts.iter().flatten() {
        written.extend(chart::render(chart, out_dir)?);
    }
    Ok(written)
}
