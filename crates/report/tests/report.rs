//! write_report end to end on the fixture runs of tvc-plot: the file, its table, its charts,
//! "not measured" with the command for an experiment that was not given, and named errors.

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../plot/tests/fixtures")
        .join(name)
}

#[test]
fn a_report_of_every_experiment() {
    let out = tempfile::tempdir().expect("tempdir");
    let runs: Vec<PathBuf> = [
        "article",
        "io-scaling",
        "memory",
        "switch",
        "cpu",
        "blocking",
        "shared-state",
    ]
    .iter()
    .map(|n| fixture(n))
    .collect();
    let path = tvc_report::write_report(&runs, out.path()).expect("writes");
    assert_eq!(path, out.path().join("REPORT.md"));
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains("| claim | the article says | measured here | verdict |"));
    for id in ["C1", "C2", "C3", "C4", "C5", "C6", "C7"] {
        assert!(text.contains(&format!("## {id}: ")), "no section for {id}");
    }
    assert!(
        !text.contains("not measured**"),
        "every claim has data here"
    );
    // Every chart the report shows was drawn beside it.
    for line in text.lines().filter(|l| l.starts_with("![")) {
        let file = line
            .split("](")
            .nth(1)
            .and_then(|s| s.strip_suffix(')'))
            .expect("image link");
        assert!(out.path().join(file).is_file(), "{file} missing");
    }
    assert!(text.contains("charts/memory.png") && text.contains("charts/article_wall.png"));
    assert!(text.contains("AMD EPYC") && text.contains("async-std is deprecated"));
    assert!(text.contains("tvc run experiments/memory.toml"));
}

#[test]
fn an_experiment_not_given_is_not_measured_with_its_command() {
    let out = tempfile::tempdir().expect("tempdir");
    let path = tvc_report::write_report(&[fixture("article")], out.path()).expect("writes");
    let text = std::fs::read_to_string(path).expect("readable");
    assert!(text.contains("**reproduced**"), "C1 and C2 are measured");
    assert!(text.contains("**Verdict: not measured.**"));
    assert!(text.contains("To measure it: `tvc run experiments/memory.toml`"));
    assert!(text.contains("`tvc run experiments/cpu.toml` and `tvc run experiments/blocking.toml`"));
    assert!(!out.path().join("charts/memory.png").exists());
}

#[test]
fn errors_name_the_file() {
    let out = tempfile::tempdir().expect("tempdir");
    let err = tvc_report::write_report(&[out.path().join("nowhere")], out.path())
        .expect_err("no such run")
        .to_string();
    assert!(err.contains("nowhere") && err.contains("raw.csv"), "{err}");
    let err = tvc_report::write_report(&[], out.path())
        .expect_err("no runs")
        .to_string();
    assert!(err.contains("no results folder"), "{err}");
}
