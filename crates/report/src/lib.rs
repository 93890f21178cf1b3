//! tvc-report: REPORT.md, which sets each claim of the article (C1–C7) beside what the given
//! runs measured, with a verdict computed from the results files by a stated rule, the
//! charts (drawn by tvc-plot), the machine and the commands that reproduce it; and
//! index.html, the same report as one self-contained page, with the charts inline and each
//! workload's code in every model side by side.
//!
//! `claims` measure and word the findings, `model` decides every part of the report once,
//! and `markdown` and `html` only lay that model out.

pub mod claims;
pub mod code;
pub mod finding;
pub mod html;
pub mod markdown;
pub mod model;

use finding::Finding;
use model::{Report, Sources};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tvc_core::{Language, Workload};
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

/// Every claim's finding from one language's runs (by experiment).
fn findings<'a>(get: &dyn Fn(&str) -> Option<&'a Run>) -> Vec<Finding> {
    vec![
        claims::c1::finding(get("article")),
        claims::c2::finding(get("article")),
        claims::c3::finding(get("memory")),
        claims::c4::finding(get("switch")),
        claims::c5::finding(get("shared-state")),
        claims::c6::finding(get("io-scaling")),
        claims::c7::finding(get("cpu"), get("blocking")),
    ]
}

/// The files a report was written to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub markdown: PathBuf,
    pub html: PathBuf,
}

fn write(path: PathBuf, text: &str) -> Result<PathBuf, ReportError> {
    std::fs::write(&path, text).map_err(|source| ReportError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Writes `out_dir/REPORT.md` and `out_dir/index.html` from the runs in `run_dirs` (the last
/// run of an experiment wins) and draws the charts they show into `out_dir/charts/`.
pub fn write_report(run_dirs: &[PathBuf], out_dir: &Path) -> Result<Written, ReportError> {
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
    let mut charts = BTreeMap::new();
    for (experiment, run) in &chosen {
        for path in tvc_plot::render_run(run, &charts_dir)? {
            if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                charts.insert(stem.to_string(), *experiment);
            }
        }
    }
    // Each claim is answered once per language, from that language's points alone: Rust's
    // first, then each peer's that the runs measured.
    let mut languages: Vec<Language> = vec![Language::Rust];
    for run in chosen.values() {
        for l in run.languages() {
            if !languages.contains(&l) {
                languages.push(l);
            }
        }
    }
    languages.sort();
    let answers: Vec<(Language, Vec<Finding>)> = languages
        .iter()
        .map(|&l| {
            let runs: BTreeMap<&str, Run> =
                chosen.iter().map(|(e, r)| (*e, r.of_language(l))).collect();
            (l, findings(&|e| runs.get(e)))
        })
        .collect();
    let (rust, peers) = answers.split_first().ok_or(ReportError::NoRuns)?;
    let rust_runs: BTreeMap<&str, Run> = chosen
        .iter()
        .map(|(e, r)| (*e, r.of_language(Language::Rust)))
        .collect();
    let instrument = claims::open_loop::instrument(rust_runs.get("open-loop"));
    let sources = Sources {
        chosen: chosen.clone(),
        ignored,
        charts,
    };
    // Every language's units side by side: a cost, not a claim, so no language of its own.
    let spawn = claims::spawn::section(chosen.get("memory").copied());
    let report = Report::new(
        &rust.1,
        peers,
        spawn.as_ref(),
        instrument.as_ref(),
        &sources,
    );
    std::fs::create_dir_all(out_dir).map_err(|source| ReportError::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let markdown = write(out_dir.join("REPORT.md"), &markdown::render(&report))?;
    let html = write(out_dir.join("index.html"), &html::render(&report, out_dir))?;
    Ok(Written { markdown, html })
}
