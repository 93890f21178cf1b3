//! The report as both renderers lay it out (`markdown` for REPORT.md, `html` for index.html):
//! every part decided once here from the findings and the runs, so the two files cannot say
//! different things. Text fields may hold `code` spans in backticks; each renderer shows them
//! its own way.

use crate::claims::Claim;
use crate::finding::{Answer, Finding, Instrument, Table, Verdict};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use tvc_core::{Language, Workload};
use tvc_plot::names::{OPEN_LOOP, SPAWN};
use tvc_results::format::{pct, sig3, times};
use tvc_results::Run;

pub const TITLE: &str = "Threads vs coroutines: the article's claims, measured";

pub const INTRO: &str = "A popular article timed 200 HTTP GETs in Python (16.6 s one after \
    another, 4.5 s with coroutines) and made six more claims about coroutines and threads. \
    This report sets each claim beside what `tvc` measured on this machine. Every figure below \
    comes from the results files of the runs listed at the end; every verdict is computed from \
    them by the rule printed next to it.";

pub const SPAWN_TITLE: &str = "Beyond the article: what creating a unit costs";

pub const SPAWN_INTRO: &str = "Not one of the article's claims, and no verdict: the public \
    benchmarks this study is measured against also time how long a unit takes to create and to \
    start, which decides whether spawning one per request (or per connection) is affordable. \
    Measured by the memory experiment: each park point times its spawn loop and the moment \
    the last unit ran its first instruction, and the cost of one more unit is the slope of \
    those times over N, for every model of every language (a peer's unit is created by its \
    own runtime: a Python thread's start waits until the thread runs).";

pub const SPAWN_NOT_MEASURED: &str = "Not measured: run `tvc run experiments/memory.toml` and \
    pass its results folder to `tvc report`.";

pub const INSTRUMENT_TITLE: &str = "The instrument: open loop and coordinated omission";

pub const INSTRUMENT_INTRO: &str = "The article's timings, and the claims above, come from a \
    closed loop: C requests in flight, the next one sent when one returns. A client that falls \
    behind then simply sends less, and its latency still looks fine (coordinated omission). In \
    an open loop requests are sent on a fixed schedule at a rate, as wrk2 does, and latency is \
    measured from when each was due (corrected) as well as from when it was sent.";

pub const INSTRUMENT_NOT_MEASURED: &str = "Not measured: run `tvc run experiments/open-loop.toml` \
    and pass its results folder to `tvc report`.";

/// A peer language's column in the claims table.
pub fn language_column(language: Language) -> String {
    match language {
        Language::Python => "in Python (the article's language)".into(),
        l => format!("in {}", l.name()),
    }
}

/// A peer language's cell in the claims table: its verdict and, for a claim that asks, its
/// answer to "due to coroutines?".
pub fn language_cell(l: &LanguagePart) -> String {
    let mut cell = format!("**{}**: {}", l.finding.verdict.text(), l.finding.measured);
    if let Some(answer) = l.due_answer {
        cell.push_str(&format!("; due to coroutines: **{}**", answer.text()));
    }
    cell
}

pub const DUE_LEAD: &str = "Against OS threads driving the same HTTP client:";

/// The runs a report draws on, by experiment, and those it set aside.
pub struct Sources<'a> {
    pub chosen: BTreeMap<&'static str, &'a Run>,
    /// Runs of an experiment already covered by a later run given on the command line.
    pub ignored: Vec<&'a Run>,
    /// Chart file stems rendered into `charts/`, each with the experiment whose run it draws.
    pub charts: BTreeMap<String, &'static str>,
}

/// A chart the report shows: its file stem under `charts/`, its caption, and the results
/// folder whose data it draws.
#[derive(Debug, Clone)]
pub struct Chart {
    pub stem: String,
    pub alt: String,
    pub run_dir: Option<PathBuf>,
}

/// One claim's answer in a peer language (the same rule, on that language's models).
pub struct LanguagePart<'a> {
    pub language: Language,
    pub finding: &'a Finding,
    /// The answer to "is it the coroutines'?" in that language, for a claim that asks it.
    pub due_answer: Option<Answer>,
    /// Whether its verdict differs from Rust's (both measured).
    pub disagrees: bool,
}

/// One claim's section.
pub struct ClaimPart<'a> {
    pub claim: &'static Claim,
    /// Rust's finding.
    pub finding: &'a Finding,
    /// Each peer language's, in the registry's order.
    pub languages: Vec<LanguagePart<'a>>,
    /// The results folders it was measured from (empty: none was given).
    pub runs: Vec<String>,
    /// The answer to "is it the coroutines'?" for a claim that asks it.
    pub due_answer: Option<Answer>,
    /// How to measure it, when nothing did.
    pub to_measure: Vec<String>,
    pub charts: Vec<Chart>,
    /// The workloads its experiments run: whose code the page shows.
    pub workloads: Vec<Workload>,
}

/// A section that is not a claim and has no verdict (the spawn cost, the open-loop check):
/// its words, and what was measured when its run was given.
pub struct Extra<'a> {
    /// The anchor of its section in the page.
    pub id: &'static str,
    pub title: &'static str,
    /// Its short name in the page's navigation bar.
    pub nav: &'static str,
    pub intro: &'static str,
    pub not_measured: &'static str,
    pub part: Option<InstrumentPart<'a>>,
}

/// What an [`Extra`] section measured, from one run.
pub struct InstrumentPart<'a> {
    pub run: String,
    pub found: &'a Instrument,
    pub chart: Option<Chart>,
}

/// The machine the runs come from (the first run's env.json).
pub struct Machine {
    /// Label and value; labels may hold `code`.
    pub rows: Vec<(String, String)>,
    /// When the runs come from more than one machine, which.
    pub others: Option<String>,
}

/// The calibration readings of each run and, when they spread, a sentence saying so.
pub struct Calibration {
    pub table: Table,
    pub drift: Option<String>,
}

/// One run in the reproduce table.
pub struct RunRow {
    pub experiment: &'static str,
    pub folder: String,
    pub started: String,
    pub status: String,
    pub repetitions: String,
    pub commit: String,
}

/// How to make the report again.
pub struct Reproduce {
    pub runs: Vec<RunRow>,
    /// Folders given but not used (a later run of their experiment was).
    pub ignored: Vec<String>,
    pub commit: String,
    /// The commands, one a line, after `cargo build --release`.
    pub commands: Vec<String>,
}

/// The whole report.
pub struct Report<'a> {
    /// Rust's findings.
    pub findings: &'a [Finding],
    /// The peer languages the runs measured, in the registry's order: a column each.
    pub languages: Vec<Language>,
    pub claims: Vec<ClaimPart<'a>>,
    /// The sections after the claims, in order: the spawn cost, the open-loop check.
    pub extras: Vec<Extra<'a>>,
    pub machine: Option<Machine>,
    pub calibration: Option<Calibration>,
    pub reproduce: Reproduce,
    pub caveats: Vec<String>,
}

impl<'a> Report<'a> {
    pub fn new(
        findings: &'a [Finding],
        peers: &'a [(Language, Vec<Finding>)],
        spawn: Option<&'a Instrument>,
        open_loop: Option<&'a Instrument>,
        src: &Sources<'a>,
    ) -> Report<'a> {
        let claims = findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut part = claim_part(f, src);
                part.languages = peers
                    .iter()
                    .filter_map(|(language, found)| {
                        let finding = found.get(i)?;
                        Some(LanguagePart {
                            language: *language,
                            finding,
                            due_answer: due_answer(finding),
                            disagrees: finding.verdict != f.verdict
                                && ![finding.verdict, f.verdict].contains(&Verdict::NotMeasured),
                        })
                    })
                    .collect();
                part
            })
            .collect();
        Report {
            findings,
            languages: peers.iter().map(|(l, _)| *l).collect(),
            claims,
            extras: vec![
                Extra {
                    id: "spawn",
                    title: SPAWN_TITLE,
                    nav: "Spawn cost",
                    intro: SPAWN_INTRO,
                    not_measured: SPAWN_NOT_MEASURED,
                    part: part(spawn, "memory", SPAWN, "Cost of creating a unit", src),
                },
                Extra {
                    id: "instrument",
                    title: INSTRUMENT_TITLE,
                    nav: "The instrument",
                    intro: INSTRUMENT_INTRO,
                    not_measured: INSTRUMENT_NOT_MEASURED,
                    part: part(
                        open_loop,
                        "open-loop",
                        OPEN_LOOP,
                        "Open loop: p99 from the due time and from the send",
                        src,
                    ),
                },
            ],
            machine: machine(src),
            calibration: calibration(src),
            reproduce: reproduce(src),
            caveats: caveats(src),
        }
    }
}

pub use tvc_results::format::capitalised;

/// The first 12 hex digits of the commit a run was built from, `-dirty` kept.
fn short_commit(run: &Run) -> String {
    let c = run.env.text("git_commit");
    tvc_results::format::short_commit(c.as_deref().unwrap_or("unknown"))
}

fn run_path(run: &Run) -> String {
    run.dir.display().to_string()
}

fn experiment_file(run: &Run) -> String {
    run.env
        .text("experiment.file")
        .unwrap_or_else(|| format!("experiments/{}.toml", run.experiment()))
}

fn quick(run: &Run) -> bool {
    run.env.get("experiment.quick").and_then(|v| v.as_bool()) == Some(true)
}

/// The workloads of the study's experiments a claim names, from their files' `workload` key.
fn workloads(claim: &Claim) -> Vec<Workload> {
    let mut out = Vec::new();
    for e in claim.experiments {
        let named = tvc_results::study::find(e).and_then(|s| {
            s.source.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == "workload").then(|| Workload::parse(v.trim().trim_matches('"')))?
            })
        });
        if let Some(w) = named.filter(|w| !out.contains(w)) {
            out.push(w);
        }
    }
    out
}

fn chart(stem: &str, alt: String, src: &Sources) -> Option<Chart> {
    let experiment = src.charts.get(stem)?;
    Some(Chart {
        stem: stem.to_string(),
        alt,
        run_dir: src.chosen.get(experiment).map(|r| r.dir.clone()),
    })
}

fn claim_part<'a>(f: &'a Finding, src: &Sources) -> ClaimPart<'a> {
    let c = f.claim;
    let runs = c
        .experiments
        .iter()
        .filter_map(|e| src.chosen.get(e))
        .map(|r| run_path(r))
        .collect();
    let to_measure = if f.verdict == Verdict::NotMeasured {
        c.experiments
            .iter()
            .map(|e| format!("tvc run experiments/{e}.toml"))
            .collect()
    } else {
        Vec::new()
    };
    ClaimPart {
        claim: c,
        finding: f,
        languages: Vec::new(),
        runs,
        due_answer: due_answer(f),
        to_measure,
        charts: c
            .charts
            .iter()
            .filter_map(|ch| chart(ch, format!("{}: {}", c.id, c.title), src))
            .collect(),
        workloads: workloads(c),
    }
}

/// The answer to "is it the coroutines'?" of a claim that asks it.
fn due_answer(f: &Finding) -> Option<Answer> {
    f.claim
        .due_rule
        .map(|_| f.due.as_ref().map_or(Answer::NotMeasured, |d| d.answer))
}

fn part<'a>(
    found: Option<&'a Instrument>,
    experiment: &str,
    stem: &str,
    alt: &str,
    src: &Sources,
) -> Option<InstrumentPart<'a>> {
    let (found, run) = (found?, src.chosen.get(experiment)?);
    Some(InstrumentPart {
        run: run_path(run),
        found,
        chart: chart(stem, alt.into(), src),
    })
}

fn machine(src: &Sources) -> Option<Machine> {
    let env = &src.chosen.values().next()?.env;
    let text = |path: &str| env.text(path).unwrap_or_else(|| "unknown".into());
    let mem = env
        .u64("machine.mem_total_kib")
        .map_or("unknown".into(), |k| {
            format!("{:.1} GiB", k as f64 / 1024.0 / 1024.0)
        });
    let mut rows: Vec<(String, String)> = [
        (
            "CPU",
            format!(
                "{} ({} logical CPUs)",
                text("machine.cpu_model"),
                text("machine.cpus")
            ),
        ),
        ("kernel", text("machine.kernel")),
        ("memory", mem),
        ("`ulimit -u`", text("limits.ulimit_u")),
        ("`vm.max_map_count`", text("limits.vm_max_map_count")),
        ("`kernel.pid_max`", text("limits.kernel_pid_max")),
        ("`kernel.threads-max`", text("limits.kernel_threads_max")),
        (
            "default thread stack (`ulimit -s`)",
            env.u64("limits.ulimit_s_kib")
                .map_or("unknown".into(), |k| format!("{k} KiB")),
        ),
        ("rustc", text("rustc")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(crates) = env.get("crates").and_then(|c| c.as_object()) {
        let list: Vec<String> = crates
            .iter()
            .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or("?")))
            .collect();
        rows.push(("crates".into(), list.join(", ")));
    }
    let others: BTreeSet<String> = src
        .chosen
        .values()
        .map(|r| {
            format!(
                "{} / {} / {}",
                r.env.text("machine.cpu_model").unwrap_or_default(),
                r.env.text("machine.cpus").unwrap_or_default(),
                r.env.text("machine.kernel").unwrap_or_default()
            )
        })
        .collect();
    Some(Machine {
        rows,
        others: (others.len() > 1).then(|| others.into_iter().collect::<Vec<_>>().join("; ")),
    })
}

/// How far the calibrations of the runs in one report may spread before the report says so.
const CALIBRATION_DRIFT: f64 = 1.10;

/// The machine's speed at the start and end of each run (env.json): a run made when the
/// machine was slow shows it here, and figures from runs whose calibrations differ compare
/// only through them.
fn calibration(src: &Sources) -> Option<Calibration> {
    const FIGURES: [(&str, &str, f64); 3] = [
        ("loop_ns", "hash round, ns", 1.0),
        ("futex_round_trip_ns", "futex round trip, µs", 1e-3),
        ("pipe_round_trip_ns", "pipe round trip, µs", 1e-3),
    ];
    let mut rows = Vec::new();
    let mut readings: Vec<Vec<f64>> = vec![Vec::new(); FIGURES.len()];
    for (name, run) in &src.chosen {
        let at = |when: &str, key: &str| run.env.f64(&format!("calibration_{when}.{key}"));
        if at("start", "loop_ns").is_none() {
            continue;
        }
        let mut row = vec![
            format!("`{name}`"),
            run.env.text("started_utc").unwrap_or_default(),
        ];
        for (i, (key, _, k)) in FIGURES.iter().enumerate() {
            let (a, b) = (at("start", key), at("end", key));
            readings[i].extend(a.iter().chain(b.iter()).copied());
            row.push(match (a, b) {
                (Some(a), Some(b)) => format!("{} → {}", sig3(a * k), sig3(b * k)),
                (Some(a), None) => sig3(a * k),
                _ => "—".into(),
            });
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return None;
    }
    let mut header = vec!["run".to_string(), "started".to_string()];
    header.extend(FIGURES.iter().map(|(_, h, _)| h.to_string()));
    let widest = readings
        .iter()
        .zip(FIGURES)
        .filter_map(|(xs, (_, name, _))| {
            let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = xs.iter().copied().fold(0.0, f64::max);
            (lo > 0.0 && lo.is_finite()).then_some((hi / lo, name))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let drift = widest
        .filter(|(r, _)| *r > CALIBRATION_DRIFT)
        .map(|(ratio, name)| {
            format!(
                "The machine's speed moved during these runs: its {name} reading varies {} \
                 between the fastest and the slowest, more than {}; figures of different runs \
                 compare only as far as that.",
                times(ratio),
                pct(CALIBRATION_DRIFT - 1.0)
            )
        });
    Some(Calibration {
        table: Table {
            caption: "Calibration, at the start → the end of each run (a fixed hash loop, and a \
                      futex and a pipe round trip between two threads, each the median of five): \
                      a slow machine shows here before it shows in a model's figures"
                .into(),
            header,
            rows,
        },
        drift,
    })
}

fn reproduce(src: &Sources) -> Reproduce {
    let runs = src
        .chosen
        .iter()
        .map(|(name, run)| RunRow {
            experiment: name,
            folder: run_path(run),
            started: run.env.text("started_utc").unwrap_or_default(),
            status: run.env.text("status").unwrap_or_default(),
            repetitions: format!(
                "{}{}",
                run.env.text("experiment.repetitions").unwrap_or_default(),
                if quick(run) { " (quick)" } else { "" }
            ),
            commit: short_commit(run),
        })
        .collect();
    let commit = src
        .chosen
        .values()
        .find_map(|r| r.env.text("git_commit"))
        .map(|c| c.trim_end_matches("-dirty").to_string())
        .unwrap_or_else(|| "<commit>".into());
    let mut commands = vec!["cargo build --release".to_string()];
    for run in src.chosen.values() {
        let q = if quick(run) { " --quick" } else { "" };
        commands.push(format!(
            "target/release/tvc run {}{q}",
            experiment_file(run)
        ));
    }
    commands.push("# then, with the results folders each run printed last:".into());
    let dirs: Vec<String> = src.chosen.values().map(|r| run_path(r)).collect();
    commands.push(format!(
        "target/release/tvc report {} --out report/",
        dirs.join(" ")
    ));
    Reproduce {
        runs,
        ignored: src.ignored.iter().map(|r| run_path(r)).collect(),
        commit,
        commands,
    }
}

fn caveats(src: &Sources) -> Vec<String> {
    let cores = src
        .chosen
        .values()
        .next()
        .and_then(|r| r.env.u64("machine.cpus"));
    let mut items = vec![
        "The latency was injected by tvc's own server on loopback, not a real network: no \
         packet loss, no bandwidth limit, no variance beyond the configured jitter."
            .to_string(),
        match cores {
            Some(c) => format!(
                "Client and server share the machine's {c} cores, so at high concurrency part of \
                 every latency is the other side's CPU time."
            ),
            None => "Client and server share the machine's cores, so at high concurrency part \
                     of every latency is the other side's CPU time."
                .to_string(),
        },
        "async-std is deprecated upstream in favour of smol; it is kept because readers still \
         meet it."
            .to_string(),
        "Intervals are distribution-free confidence intervals of the median; with few \
         repetitions their coverage is below 95 % and is stated as it is: 93.75 % for 5 runs, \
         75 % for 3, 50 % for 2, none for a single run."
            .to_string(),
        "The article measured Python (httpx, asyncio). Each claim is answered from the Rust \
         models and again from the Python peer's (CPython: its threads, asyncio and processes, \
         and the article's own code), by the same rule; the Python answer is the article's \
         reader's."
            .to_string(),
    ];
    let quick_runs: Vec<&str> = src
        .chosen
        .iter()
        .filter(|(_, r)| quick(r))
        .map(|(k, _)| *k)
        .collect();
    if !quick_runs.is_empty() {
        items.push(format!(
            "Quick runs (fewer repetitions, wider intervals): {}.",
            quick_runs.join(", ")
        ));
    }
    let dirty: Vec<&str> = src
        .chosen
        .iter()
        .filter(|(_, r)| {
            r.env
                .text("git_commit")
                .is_some_and(|c| c.ends_with("-dirty"))
        })
        .map(|(k, _)| *k)
        .collect();
    if !dirty.is_empty() {
        items.push(format!(
            "Built from a working tree with uncommitted changes (`-dirty`): {}. The commit alone \
             may not rebuild exactly the code that measured them.",
            dirty.join(", ")
        ));
    }
    for (name, run) in &src.chosen {
        let whole_life = run
            .raw
            .iter()
            .filter(|r| r.peak_rss_scope == "life")
            .count();
        if whole_life > 0 {
            items.push(format!(
                "In `{name}`, the peak resident set (`peak_rss_kib`) of {whole_life} of {} rows \
                 is over the worker's whole life, start-up and warm-up included, not the \
                 measured run alone: its high-water mark could not be reset \
                 (`/proc/self/clear_refs`), as the rows' `peak_rss_scope` = `life` says.",
                run.raw.len()
            ));
        }
    }
    for run in src.chosen.values() {
        if let Some(status) = run.env.text("status").filter(|s| s != "completed") {
            items.push(format!(
                "`{}` says its status is `{status}`: it may be incomplete.",
                run_path(run)
            ));
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::CLAIMS;

    #[test]
    fn each_claim_runs_the_workloads_of_its_experiments() {
        let names = |c: &Claim| workloads(c).iter().map(|w| w.name()).collect::<Vec<_>>();
        assert_eq!(names(CLAIMS[0]), ["http"]);
        assert_eq!(names(CLAIMS[2]), ["park"]);
        assert_eq!(names(CLAIMS[4]), ["shared-state"]);
        assert_eq!(names(CLAIMS[6]), ["cpu", "blocking"]);
        assert!(CLAIMS.iter().all(|c| !workloads(c).is_empty()));
    }
}
