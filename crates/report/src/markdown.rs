//! REPORT.md's text: the claims table, one section per claim (figures, verdict and rule,
//! chart, why), the machine, the commands that reproduce it, and the caveats. Pure text
//! assembly: every number arrives already computed in a `Finding`.

use crate::finding::{Answer, Finding, Instrument, Table, Verdict};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use tvc_plot::names::OPEN_LOOP;
use tvc_results::format::{pct, sig3, times};
use tvc_results::Run;

/// The runs a report draws on, by experiment, and those it set aside.
pub struct Sources<'a> {
    pub chosen: BTreeMap<&'static str, &'a Run>,
    /// Runs of an experiment already covered by a later run given on the command line.
    pub ignored: Vec<&'a Run>,
    /// Chart file stems rendered into `charts/`.
    pub charts: BTreeSet<String>,
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// The first 12 hex digits of the commit a run was built from, `-dirty` kept.
fn short_commit(run: &Run) -> String {
    let c = run
        .env
        .text("git_commit")
        .unwrap_or_else(|| "unknown".into());
    let (hash, dirty) = match c.strip_suffix("-dirty") {
        Some(h) => (h, "-dirty"),
        None => (c.as_str(), ""),
    };
    format!("{}{dirty}", &hash[..hash.len().min(12)])
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

/// The whole report.
pub fn render(findings: &[Finding], open_loop: Option<&Instrument>, src: &Sources) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "# Threads vs coroutines: the article's claims, measured\n"
    );
    let _ = writeln!(
        w,
        "A popular article timed 200 HTTP GETs in Python (16.6 s one after another, 4.5 s with \
         coroutines) and made six more claims about coroutines and threads. This report sets \
         each claim beside what `tvc` measured on this machine. Every figure below comes from \
         the results files of the runs listed at the end; every verdict is computed from them \
         by the rule printed next to it.\n"
    );
    let _ = writeln!(
        w,
        "| claim | the article says | measured here | verdict | due to coroutines? |"
    );
    let _ = writeln!(w, "|---|---|---|---|---|");
    for f in findings {
        let due = match (&f.due, f.claim.due_rule) {
            (Some(d), _) => format!("**{}**: {}", d.answer.text(), cell(&d.measured)),
            (None, Some(_)) => Answer::NotMeasured.text().to_string(),
            (None, None) => "—".to_string(),
        };
        let _ = writeln!(
            w,
            "| [{}](#{}) {} | {} | {} | **{}** | {due} |",
            f.claim.id,
            f.claim.id.to_lowercase(),
            cell(f.claim.claim),
            cell(f.claim.article),
            cell(&f.measured),
            f.verdict.text()
        );
    }
    let _ = writeln!(w);
    for f in findings {
        section(w, f, src);
    }
    instrument(w, open_loop, src);
    machine(w, src);
    reproduce(w, src);
    caveats(w, src);
    out
}

fn section(w: &mut String, f: &Finding, src: &Sources) {
    let c = f.claim;
    let _ = writeln!(w, "<a id=\"{}\"></a>\n", c.id.to_lowercase());
    let _ = writeln!(w, "## {}: {}\n", c.id, c.title);
    let _ = writeln!(w, "**Claim.** {}\n", c.claim);
    let _ = writeln!(w, "**The article.** {}.\n", capitalised(c.article));
    let runs: Vec<String> = c
        .experiments
        .iter()
        .filter_map(|e| src.chosen.get(e))
        .map(|r| format!("`{}`", run_path(r)))
        .collect();
    if runs.is_empty() {
        let _ = writeln!(
            w,
            "**Measured.** Nothing: no run of this experiment was given.\n"
        );
    } else {
        let _ = writeln!(w, "**Measured** (from {}):\n", runs.join(", "));
        for e in &f.evidence {
            let _ = writeln!(w, "- {e}");
        }
        if f.evidence.is_empty() && f.tables.is_empty() {
            let _ = writeln!(w, "- the run holds no measured point for this claim");
        }
        let _ = writeln!(w);
        for t in &f.tables {
            table(w, t);
        }
    }
    if let Some(d) = &f.due {
        let _ = writeln!(
            w,
            "**Is it the coroutines'?** Against OS threads driving the same HTTP client:\n"
        );
        for e in &d.evidence {
            let _ = writeln!(w, "- {e}");
        }
        let _ = writeln!(w);
    }
    let _ = writeln!(
        w,
        "**Verdict (does the effect exist): {}.** Rule: {}\n",
        f.verdict.text(),
        (c.rule)()
    );
    if let Some(rule) = c.due_rule {
        let answer = f.due.as_ref().map_or(Answer::NotMeasured, |d| d.answer);
        let _ = writeln!(
            w,
            "**Due to coroutines: {}.** Rule: {}\n",
            answer.text(),
            rule()
        );
    }
    if f.verdict == Verdict::NotMeasured {
        let commands: Vec<String> = c
            .experiments
            .iter()
            .map(|e| format!("`tvc run experiments/{e}.toml`"))
            .collect();
        let _ = writeln!(
            w,
            "To measure it: {}, then pass the results folder to `tvc report`.\n",
            commands.join(" and ")
        );
    }
    for chart in c.charts.iter().filter(|ch| src.charts.contains(**ch)) {
        let _ = writeln!(
            w,
            "![{}: {}](charts/{chart}.png)\n\n([SVG](charts/{chart}.svg))\n",
            c.id, c.title
        );
    }
    let _ = writeln!(w, "**Why.** {}\n", c.why);
}

/// Not a claim: how far a closed-loop measurement (the article's, and C1–C7's) can be
/// trusted, from the open-loop run when one was given.
fn instrument(w: &mut String, open_loop: Option<&Instrument>, src: &Sources) {
    let _ = writeln!(
        w,
        "## The instrument: open loop and coordinated omission
"
    );
    let _ = writeln!(
        w,
        "The article's timings, and the claims above, come from a closed loop: C requests in \
         flight, the next one sent when one returns. A client that falls behind then simply \
         sends less, and its latency still looks fine (coordinated omission). In an open loop \
         requests are sent on a fixed schedule at a rate, as wrk2 does, and latency is \
         measured from when each was due (corrected) as well as from when it was sent.\n"
    );
    let (Some(found), Some(run)) = (open_loop, src.chosen.get("open-loop")) else {
        let _ = writeln!(
            w,
            "Not measured: run `tvc run experiments/open-loop.toml` and pass its results \
             folder to `tvc report`.\n"
        );
        return;
    };
    let _ = writeln!(w, "**Measured** (from `{}`):\n", run_path(run));
    for e in &found.evidence {
        let _ = writeln!(w, "- {e}");
    }
    let _ = writeln!(w);
    table(w, &found.table);
    if src.charts.contains(OPEN_LOOP) {
        let _ = writeln!(
            w,
            "![Open loop: p99 from the due time and from the send](charts/{OPEN_LOOP}.png)\n\n\
             ([SVG](charts/{OPEN_LOOP}.svg))\n"
        );
    }
}

fn table(w: &mut String, t: &Table) {
    let _ = writeln!(w, "{}:\n", t.caption);
    let _ = writeln!(
        w,
        "| {} |",
        t.header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(w, "|{}", "---|".repeat(t.header.len()));
    for row in &t.rows {
        let _ = writeln!(
            w,
            "| {} |",
            row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        );
    }
    let _ = writeln!(w);
}

fn machine(w: &mut String, src: &Sources) {
    let _ = writeln!(w, "## The machine\n");
    let Some(first) = src.chosen.values().next() else {
        return;
    };
    let env = &first.env;
    let text = |path: &str| env.text(path).unwrap_or_else(|| "unknown".into());
    let mem = env
        .u64("machine.mem_total_kib")
        .map_or("unknown".into(), |k| {
            format!("{:.1} GiB", k as f64 / 1024.0 / 1024.0)
        });
    let _ = writeln!(w, "| | |\n|---|---|");
    let rows = [
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
    ];
    for (k, v) in rows {
        let _ = writeln!(w, "| {k} | {} |", cell(&v));
    }
    if let Some(crates) = env.get("crates").and_then(|c| c.as_object()) {
        let list: Vec<String> = crates
            .iter()
            .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or("?")))
            .collect();
        let _ = writeln!(w, "| crates | {} |", cell(&list.join(", ")));
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
    if others.len() > 1 {
        let _ = writeln!(
            w,
            "\nThe runs come from more than one machine ({}); the table shows the first.",
            others.into_iter().collect::<Vec<_>>().join("; ")
        );
    }
    let _ = writeln!(w);
    calibration(w, src);
}

/// The machine's speed at the start and end of each run (env.json): a run made when the
/// machine was slow shows it here, and figures from runs whose calibrations differ compare
/// only through them.
fn calibration(w: &mut String, src: &Sources) {
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
        return;
    }
    let mut header = vec!["run".to_string(), "started".to_string()];
    header.extend(FIGURES.iter().map(|(_, h, _)| h.to_string()));
    table(
        w,
        &Table {
            caption: "Calibration, at the start → the end of each run (a fixed hash loop, and a \
                      futex and a pipe round trip between two threads, each the median of five): \
                      a slow machine shows here before it shows in a model's figures"
                .into(),
            header,
            rows,
        },
    );
    let widest = readings
        .iter()
        .zip(FIGURES)
        .filter_map(|(xs, (_, name, _))| {
            let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = xs.iter().copied().fold(0.0, f64::max);
            (lo > 0.0 && lo.is_finite()).then_some((hi / lo, name))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((ratio, name)) = widest.filter(|(r, _)| *r > CALIBRATION_DRIFT) {
        let _ = writeln!(
            w,
            "The machine's speed moved during these runs: its {name} reading varies {} between \
             the fastest and the slowest, more than {}; figures of different runs compare only \
             as far as that.\n",
            times(ratio),
            pct(CALIBRATION_DRIFT - 1.0)
        );
    }
}

/// How far the calibrations of the runs in one report may spread before the report says so.
const CALIBRATION_DRIFT: f64 = 1.10;

fn reproduce(w: &mut String, src: &Sources) {
    let _ = writeln!(w, "## Reproduce\n");
    let _ = writeln!(
        w,
        "| experiment | results folder | started | status | repetitions | tvc commit |"
    );
    let _ = writeln!(w, "|---|---|---|---|---|---|");
    for (name, run) in &src.chosen {
        let _ = writeln!(
            w,
            "| {name} | `{}` | {} | {} | {}{} | `{}` |",
            run_path(run),
            run.env.text("started_utc").unwrap_or_default(),
            run.env.text("status").unwrap_or_default(),
            run.env.text("experiment.repetitions").unwrap_or_default(),
            if quick(run) { " (quick)" } else { "" },
            short_commit(run)
        );
    }
    for run in &src.ignored {
        let _ = writeln!(
            w,
            "\nAlso given but not used (a later run of the same experiment was): `{}`.",
            run_path(run)
        );
    }
    let commit = src
        .chosen
        .values()
        .find_map(|r| r.env.text("git_commit"))
        .map(|c| c.trim_end_matches("-dirty").to_string())
        .unwrap_or_else(|| "<commit>".into());
    let _ = writeln!(
        w,
        "\nOn a machine with a Rust toolchain, from a checkout of commit `{commit}`:\n"
    );
    let _ = writeln!(w, "```sh\ncargo build --release");
    for run in src.chosen.values() {
        let q = if quick(run) { " --quick" } else { "" };
        let _ = writeln!(w, "target/release/tvc run {}{q}", experiment_file(run));
    }
    let _ = writeln!(w, "# then, with the results folders each run printed last:");
    let dirs: Vec<String> = src.chosen.values().map(|r| run_path(r)).collect();
    let _ = writeln!(
        w,
        "target/release/tvc report {} --out report/",
        dirs.join(" ")
    );
    let _ = writeln!(w, "```\n");
    let _ = writeln!(
        w,
        "`tvc plot RESULTS_FOLDER` draws one run's charts into its `charts/` folder.\n"
    );
}

fn caveats(w: &mut String, src: &Sources) {
    let _ = writeln!(w, "## Caveats\n");
    let mut items = vec![
        "The latency was injected by tvc's own server on loopback, not a real network: no \
         packet loss, no bandwidth limit, no variance beyond the configured jitter."
            .to_string(),
        "Client and server share the machine's cores, so at high concurrency part of every \
         latency is the other side's CPU time."
            .to_string(),
        "async-std is deprecated upstream in favour of smol; it is kept because readers still \
         meet it."
            .to_string(),
        "Intervals are distribution-free confidence intervals of the median; with few \
         repetitions their coverage is below 95 % and is stated as it is: 93.75 % for 5 runs, \
         75 % for 3, 50 % for 2, none for a single run."
            .to_string(),
        "The article measured Python (httpx, asyncio); these are Rust runtimes. The claims are \
         tested as general statements about threads and coroutines, not about Python."
            .to_string(),
    ];
    if let Some(first) = src.chosen.values().next() {
        if let Some(c) = first.env.u64("machine.cpus") {
            items[1] = format!(
                "Client and server share the machine's {c} cores, so at high concurrency part of \
                 every latency is the other side's CPU time."
            );
        }
    }
    let quick_runs: Vec<&&str> = src
        .chosen
        .iter()
        .filter(|(_, r)| quick(r))
        .map(|(k, _)| k)
        .collect();
    if !quick_runs.is_empty() {
        items.push(format!(
            "Quick runs (fewer repetitions, wider intervals): {}.",
            quick_runs
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", ")
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
    for run in src.chosen.values() {
        if run
            .env
            .text("status")
            .as_deref()
            .is_some_and(|s| s != "completed")
        {
            items.push(format!(
                "`{}` says its status is `{}`: it may be incomplete.",
                run_path(run),
                run.env.text("status").unwrap_or_default()
            ));
        }
    }
    for i in items {
        let _ = writeln!(w, "- {i}");
    }
}
