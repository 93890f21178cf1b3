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
    // Every experiment of the study that has a fixture run.
    let runs: Vec<PathBuf> = tvc_results::study::STUDY
        .iter()
        .map(|e| fixture(e.name))
        .filter(|dir| dir.is_dir())
        .collect();
    assert_eq!(runs.len(), tvc_results::study::STUDY.len(), "{runs:?}");
    let path = tvc_report::write_report(&runs, out.path())
        .expect("writes")
        .markdown;
    assert_eq!(path, out.path().join("REPORT.md"));
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains("| claim | the article says | measured here (Rust) | verdict |"));
    for id in ["C1", "C2", "C3", "C4", "C5", "C6", "C7"] {
        assert!(text.contains(&format!("## {id}: ")), "no section for {id}");
    }
    assert!(
        !text.contains("(does the effect exist): not measured.**"),
        "every claim has data here"
    );
    // These runs predate the same-client control: the second question stays open.
    assert!(text.contains("**Due to coroutines: not measured.**"));
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
    let path = tvc_report::write_report(&[fixture("article")], out.path())
        .expect("writes")
        .markdown;
    let text = std::fs::read_to_string(path).expect("readable");
    assert!(text.contains("**reproduced**"), "C1 and C2 are measured");
    assert!(text.contains("**Verdict (does the effect exist): not measured.**"));
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
    assert!(
        err.contains("nowhere") && err.contains("no such folder"),
        "{err}"
    );
    let err = tvc_report::write_report(&[out.path().to_path_buf()], out.path())
        .expect_err("a folder without results")
        .to_string();
    assert!(
        err.contains("not a results folder") && err.contains("raw.csv"),
        "{err}"
    );
    let err = tvc_report::write_report(&[], out.path())
        .expect_err("no runs")
        .to_string();
    assert!(err.contains("no results folder"), "{err}");
}

/// The fixtures are real runs (2 cores; article full, the rest quick): the verdicts they give
/// are the ones the report on that machine shows.
#[test]
fn the_verdicts_of_the_real_runs() {
    use tvc_report::claims::{c1, c2, c3, c4, c5, c6, c7};
    use tvc_report::finding::Verdict;
    use tvc_results::Run;
    let load = |name: &str| Run::load(&fixture(name)).expect("fixture loads");
    let (article, memory, switch) = (load("article"), load("memory"), load("switch"));
    let (shared, io) = (load("shared-state"), load("io-scaling"));
    let (cpu, blocking) = (load("cpu"), load("blocking"));
    assert_eq!(c1::finding(Some(&article)).verdict, Verdict::Reproduced);
    assert_eq!(c2::finding(Some(&article)).verdict, Verdict::Reproduced);
    let c3 = c3::finding(Some(&memory));
    assert_eq!(c3.verdict, Verdict::Partly, "{:?}", c3.evidence);
    assert!(c3
        .evidence
        .iter()
        .any(|e| e.contains("sysctl -w vm.max_map_count")));
    assert_eq!(c4::finding(Some(&switch)).verdict, Verdict::Reproduced);
    let c5 = c5::finding(Some(&shared));
    assert_eq!(c5.verdict, Verdict::Partly, "{:?}", c5.evidence);
    assert!(
        c5.measured.contains("tokio:current-thread and smol:local"),
        "{}",
        c5.measured
    );
    assert_eq!(c6::finding(Some(&io)).verdict, Verdict::Partly);
    let c7 = c7::finding(Some(&cpu), Some(&blocking));
    assert_eq!(c7.verdict, Verdict::Partly, "{:?}", c7.evidence);
}
