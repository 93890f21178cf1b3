//! What differs between the two runs of a comparison besides their figures, read from their
//! env.json: the machine, the build, the machine's speed (calibration), the repetitions, the
//! experiment file and the target. None of these stops a comparison (comparing this machine
//! with the reference run is the point), but each is said, with both values, because a
//! ratio between two machines or two builds is partly theirs.

use crate::format::{mem, pct, sig3, times};
use crate::reader::Run;

/// How far a calibration reading may move between the runs before it is said.
const CALIBRATION_DRIFT: f64 = 1.10;

/// The calibration readings of env.json: key, what it is, and the factor to its unit.
const CALIBRATION: [(&str, &str, &str, f64); 3] = [
    ("loop_ns", "hash round", "ns", 1.0),
    ("futex_round_trip_ns", "futex round trip", "µs", 1e-3),
    ("pipe_round_trip_ns", "pipe round trip", "µs", 1e-3),
];

/// One line per difference between the runs' conditions, each naming both values.
pub fn warnings(base: &Run, new: &Run) -> Vec<String> {
    let mut out = Vec::new();
    let same_dir = match (base.dir.canonicalize(), new.dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => base.dir == new.dir,
    };
    if same_dir {
        out.push("BASE and NEW are the same folder: every word will be `same`".into());
    }
    for (side, run) in [("BASE", base), ("NEW", new)] {
        if let Some(status) = run.env.text("status").filter(|s| s != "completed") {
            out.push(format!(
                "{side}'s run ended {status}: it holds only the points measured before"
            ));
        }
    }
    let machine = |run: &Run| {
        let e = &run.env;
        let mut facts = Vec::new();
        facts.extend(e.text("machine.cpu_model"));
        facts.extend(e.u64("machine.cpus").map(|n| format!("{n} CPUs")));
        facts.extend(e.text("machine.kernel").map(|k| format!("kernel {k}")));
        facts.extend(e.f64("machine.mem_total_kib").map(|k| mem(k * 1024.0)));
        facts.join(", ")
    };
    let (b, n) = (machine(base), machine(new));
    if b != n {
        out.push(format!(
            "different machines: BASE {}; NEW {}",
            or_unknown(&b),
            or_unknown(&n)
        ));
    }
    let build = |run: &Run| {
        let commit = run
            .env
            .text("git_commit")
            .map(|c| crate::format::short_commit(&c))
            .unwrap_or_else(|| "unknown".into());
        let rustc = run.env.text("rustc").unwrap_or_default();
        (commit, rustc)
    };
    let ((bc, br), (nc, nr)) = (build(base), build(new));
    if bc != nc || br != nr {
        let rustc = |r: &str| {
            if br != nr && !r.is_empty() {
                format!(" ({r})")
            } else {
                String::new()
            }
        };
        out.push(format!(
            "different builds: BASE commit {bc}{}, NEW commit {nc}{}",
            rustc(&br),
            rustc(&nr)
        ));
    }
    out.extend(calibration(base, new));
    let reps = |run: &Run| {
        let e = &run.env;
        let quick = match e.get("experiment.quick").and_then(|v| v.as_bool()) {
            Some(true) => " (quick)",
            Some(false) => " (full)",
            None => "",
        };
        e.text("experiment.repetitions")
            .map(|r| format!("{r} repetitions{quick}"))
            .unwrap_or_else(|| "repetitions unknown".into())
    };
    let (b, n) = (reps(base), reps(new));
    if b != n {
        out.push(format!("different repetitions: BASE {b}, NEW {n}"));
    }
    // A point-key column one version writes and another does not reads as its default in
    // the older file, so points that differ in it pair with nothing: say which.
    let key_columns = crate::columns::header::<crate::key::PointKey>();
    for column in key_columns {
        let (in_base, in_new) = (
            base.columns().contains(column),
            new.columns().contains(column),
        );
        if in_base != in_new {
            let (has, lacks) = if in_base {
                ("BASE", "NEW")
            } else {
                ("NEW", "BASE")
            };
            out.push(format!(
                "the point column `{column}` is in {has}'s raw.csv, not in {lacks}'s (another tvc \
                 version): {lacks}'s points read it as its default, so points that differ in it \
                 are listed as only in one run"
            ));
        }
    }
    let content = |run: &Run| run.env.text("experiment.content");
    if let (Some(b), Some(n)) = (content(base), content(new)) {
        if b != n {
            out.push(
                "the experiment file differs between the runs: points that only one of them \
                 has are listed as such"
                    .into(),
            );
        }
    }
    let target = |run: &Run| {
        let kind = run.env.text("server.kind").unwrap_or_default();
        let url = run.env.text("server.url").unwrap_or_default();
        if kind == "built-in" {
            kind
        } else {
            format!("{kind} {url}").trim().to_string()
        }
    };
    let (b, n) = (target(base), target(new));
    if b != n {
        out.push(format!(
            "different targets: BASE {}, NEW {}",
            or_unknown(&b),
            or_unknown(&n)
        ));
    }
    out
}

fn or_unknown(s: &str) -> &str {
    if s.is_empty() {
        "unknown"
    } else {
        s
    }
}

/// The machine's speed in each run (the mean of its start and end calibrations), said when
/// a reading moved by more than [`CALIBRATION_DRIFT`] or when one run has none.
fn calibration(base: &Run, new: &Run) -> Option<String> {
    let reading = |run: &Run, key: &str| {
        let at: Vec<f64> = ["start", "end"]
            .iter()
            .filter_map(|when| run.env.f64(&format!("calibration_{when}.{key}")))
            .filter(|v| v.is_finite() && *v > 0.0)
            .collect();
        (!at.is_empty()).then(|| at.iter().sum::<f64>() / at.len() as f64)
    };
    let has = |run: &Run| CALIBRATION.iter().any(|(k, ..)| reading(run, k).is_some());
    match (has(base), has(new)) {
        (false, false) => return None,
        (false, true) | (true, false) => {
            let (side, other) = if has(base) {
                ("NEW", "BASE")
            } else {
                ("BASE", "NEW")
            };
            return Some(format!(
                "{side} has no calibration in env.json (an older run), {other} has: the \
                 machines' speeds cannot be set side by side"
            ));
        }
        (true, true) => {}
    }
    let mut moved = false;
    let mut parts = Vec::new();
    for (key, what, unit, k) in CALIBRATION {
        if let (Some(b), Some(n)) = (reading(base, key), reading(new, key)) {
            let ratio = n / b;
            moved |= !(1.0 / CALIBRATION_DRIFT..=CALIBRATION_DRIFT).contains(&ratio);
            parts.push(format!(
                "{what} {} → {} {unit} ({})",
                sig3(b * k),
                sig3(n * k),
                times(ratio)
            ));
        }
    }
    moved.then(|| {
        format!(
            "the machine's speed differs by more than {} between the runs (calibration, BASE → \
             NEW): {}",
            pct(CALIBRATION_DRIFT - 1.0),
            parts.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::Env;
    use std::path::Path;

    fn run(dir: &str, env: serde_json::Value) -> Run {
        Run::from_rows(Path::new(dir), Vec::new(), Vec::new(), Env(env), None)
    }

    #[test]
    fn a_point_column_only_one_run_has_is_said() {
        let e = env("EPYC", "abc", 4.0);
        let old = Run::from_texts(
            Path::new("old"),
            "experiment,workload,model,variant,n,status\nx,switch,threads,default,2,ok\n",
            &e.to_string(),
            None,
        )
        .unwrap();
        let w = warnings(&old, &run("new", e)).join("\n");
        assert!(
            w.contains("`medium` is in NEW's raw.csv, not in BASE's"),
            "{w}"
        );
        assert!(!w.contains("`model`"), "{w}");
    }

    fn env(cpu: &str, commit: &str, loop_ns: f64) -> serde_json::Value {
        serde_json::json!({
            "status": "completed",
            "git_commit": commit,
            "rustc": "rustc 1.95.0",
            "machine": {"cpu_model": cpu, "cpus": 2, "kernel": "6.18", "mem_total_kib": 1024},
            "experiment": {"repetitions": 5, "quick": false, "content": "x"},
            "server": {"kind": "built-in", "url": "http://127.0.0.1:1"},
            "calibration_start": {"loop_ns": loop_ns, "futex_round_trip_ns": 9000.0,
                                  "pipe_round_trip_ns": 12000.0},
        })
    }

    #[test]
    fn the_same_conditions_say_nothing() {
        let a = run("a", env("EPYC", "abc", 4.0));
        let b = run("b", env("EPYC", "abc", 4.1));
        assert!(warnings(&a, &b).is_empty(), "{:?}", warnings(&a, &b));
    }

    #[test]
    fn machines_builds_and_speeds_are_named_with_both_values() {
        let a = run("a", env("EPYC", "0123456789abcdef", 4.0));
        let b = run("b", env("Xeon", "fedcba9876543210-dirty", 5.0));
        let w = warnings(&a, &b).join("\n");
        assert!(w.contains("different machines: BASE EPYC, 2 CPUs"), "{w}");
        assert!(w.contains("NEW Xeon"), "{w}");
        assert!(
            w.contains("BASE commit 0123456789ab, NEW commit fedcba987654-dirty"),
            "{w}"
        );
        assert!(w.contains("hash round 4 → 5 ns (1.25×)"), "{w}");
    }

    #[test]
    fn an_older_run_without_calibration_is_said() {
        let mut old = env("EPYC", "abc", 4.0);
        old.as_object_mut().unwrap().remove("calibration_start");
        let w = warnings(&run("a", old), &run("b", env("EPYC", "abc", 4.0))).join("\n");
        assert!(w.contains("BASE has no calibration"), "{w}");
    }
}
