//! tvc-report: REPORT.md, which sets each claim of the article (C1–C7) beside what the given
//! runs measured, with a verdict computed from the results files by a stated rule, the
//! charts (drawn by tvc-plot), the machine and the commands that reproduce it.

pub mod claims;
pub mod finding;
pub mod markdown;

use markdown::Sources;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use tvc_core::Workload;
use tvc_plot::PlotError;
use tvc_results::{ResultsError, Run};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("no results folder given")]
    NoRuns,
    #[error(transparent)]
    Results(#[from] ResultsError),
    #[error(transparent)]
    Charts(#[from] PlotError),
    /// The OS error is the source, so `{:#}` prints it once.
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl ReportError {
    /// Whether the user named no folder, or one that holds no results (exit code 2).
    pub fn is_usage(&self) -> bool {
        match self {
            ReportError::NoRuns => true,
            ReportError::Results(r) => r.is_usage(),
            ReportError::Charts(p) => p.is_usage(),
            ReportError::Write { .. } => false,
        }
    }
}

/// Which experiment a run is: its name when it is one of ours, else its workload's.
pub fn experiment_of(run: &Run) -> Option<&'static str> {
    let name = run.experiment();
    if let Some(known) = tvc_results::study::find(&name) {
        return Some(known.name);
    }
    let workload = run.raw.first().map(|r| r.key.workload)?;
    Some(match workload {
        Workload::Http if !run.open_loop_points().is_empty() => "open-loop",
        Workload::Http if tvc_plot::sweeps_concurrency(run) => "io-scaling",
        Workload::Http => "article",
        Workload::Park => "memory",
        Workload::Switch => "switch",
        Workload::Cpu => "cpu",
        Workload::Blocking => "blocking",
        Workload::SharedState => "shared-state",
    })
}

/// Writes `out_dir/REPORT.md` from the runs in `run_dirs` (the last run of an experiment wins)
/// and draws the charts it shows into `out_dir/charts/`. Returns the report's path.
pub fn write_report(run_dirs: &[PathBuf], out_dir: &Path) -> Result<PathBuf, ReportError> {
    if run_dirs.is_empty() {
        return Err(ReportError::NoRuns);
    }
    let runs = run_dirs
        .iter()
        .map(|d| Run::load(d))
        .collect::<Result<Vec<_>, _>>()?;
    let mut chosen: BTreeMap<&'static str, &Run> = BTreeMap::new();
    let mut ignored = Vec::new();
    for run in &runs {
        match experiment_of(run) {
            Some(e) => {
                if let Some(earlier) = chosen.insert(e, run) {
                    ignored.push(earlier);
                }
            }
            None => ignored.push(run),
        }
    }
    let charts_dir = out_dir.join("charts");
    let mut charts = BTreeSet::new();
    for run in chosen.values() {
        for path in tvc_plot::render_run(run, &charts_dir)? {
            if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                charts.insert(stem.to_string());
            }
        }
    }
    let get = |e: &str| chosen.get(e).copied();
    let findings = [
        claims::c1::finding(get("article")),
        claims::c2::finding(get("article")),
        claims::c3::finding(get("memory")),
        claims::c4::finding(get("switch")),
        claims::c5::finding(get("shared-state")),
        claims::c6::finding(get("io-scaling")),
        claims::c7::finding(get("cpu"), get("blocking")),
    ];
    let instrument = claims::open_loop::instrument(get("open-loop"));
    let text = markdown::render(
        &findings,
        instrument.as_ref(),
        &Sources {
            chosen: chosen.clone(),
            ignored,
            charts,
        },
    );
    let path = out_dir.join("REPORT.md");
    std::fs::create_dir_all(out_dir)
        .and_then(|_| std::fs::write(&path, text))
        .map_err(|source| ReportError::Write {
            path: path.clone(),
            source,
        })?;
    Ok(path)
}
