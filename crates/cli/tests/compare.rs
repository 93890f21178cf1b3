//! `tvc compare BASE NEW` end to end: two tiny runs against the built-in server, compared
//! (table, compare.csv, chart, the points of one run only), and folders that cannot be
//! compared refused with exit code 2 and the reason. Nothing here asserts on a timing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tvc_results::compare::CompareRow;

fn tvc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tvc"))
        .args(args)
        .output()
        .expect("run tvc")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A tiny http experiment of `models`, run twice per point; returns its results folder.
fn tiny_run(dir: &Path, file: &str, models: &str) -> PathBuf {
    let toml = format!(
        "name = \"tiny\"\nworkload = \"http\"\nmodels = {models}\nrepetitions = 2\nwarmup = 0\n\
         [http]\nn = 4\nconcurrency = 4\ndelay_ms = 5\nkeep_alive = [true, false]\n"
    );
    let path = dir.join(file);
    std::fs::write(&path, toml).unwrap();
    let out = tvc(&[
        "run",
        path.to_str().unwrap(),
        "--out",
        dir.join("results").to_str().unwrap(),
    ]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    PathBuf::from(stdout.lines().last().expect("the results folder").trim())
}

#[test]
fn two_runs_compare_into_a_table_a_csv_and_a_chart() {
    let dir = tempfile::tempdir().unwrap();
    let base = tiny_run(dir.path(), "a.toml", r#"["sequential", "tokio"]"#);
    let new = tiny_run(dir.path(), "b.toml", r#"["tokio", "smol"]"#);
    assert_ne!(base, new);

    let out = tvc(&["compare", base.to_str().unwrap(), new.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    for expected in [
        "NEW/BASE [interval]",
        "tokio keep_alive=true",
        "wall_ms",
        "peak_rss_kib",
        "only in BASE",
        "only in NEW",
        "rule: ratio = NEW median / BASE median",
    ] {
        assert!(stdout.contains(expected), "{expected:?} not in\n{stdout}");
    }
    assert!(
        stderr.contains("warning: the experiment file differs"),
        "{stderr}"
    );
    let name = base.file_name().unwrap().to_str().unwrap();
    let out_dir = new.join(format!("compare-vs-{name}"));
    for file in ["compare.csv", "compare.svg", "compare.png"] {
        let path = out_dir.join(file);
        assert!(path.is_file(), "{} not written", path.display());
        assert!(stdout.contains(path.to_str().unwrap()), "{stdout}");
    }
    let rows: Vec<CompareRow> =
        tvc_results::files::read_csv(&out_dir.join("compare.csv")).expect("compare.csv reads");
    let words = |model: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| r.key.model == model)
            .map(|r| r.word.as_str())
            .collect()
    };
    assert_eq!(words("sequential"), ["only in BASE", "only in BASE"]);
    assert_eq!(words("smol"), ["only in NEW", "only in NEW"]);
    let tokio_wall: Vec<&CompareRow> = rows
        .iter()
        .filter(|r| r.key.model == "tokio" && r.figure == "wall_ms")
        .collect();
    assert_eq!(tokio_wall.len(), 2, "keep-alive on and off");
    for r in tokio_wall {
        assert!(r.ratio.is_some_and(|x| x > 0.0), "{r:?}");
        assert!(
            r.ratio_low.is_some() && r.ratio_high.is_some(),
            "two repetitions each"
        );
        assert!(
            ["faster", "slower", "same"].contains(&r.word.as_str()),
            "{}",
            r.word
        );
    }
    let svg = std::fs::read_to_string(out_dir.join("compare.svg")).unwrap();
    assert!(svg.contains("tiny: NEW against BASE"), "the chart's title");

    // --out and --figures.
    let elsewhere = dir.path().join("elsewhere");
    let out = tvc(&[
        "compare",
        base.to_str().unwrap(),
        new.to_str().unwrap(),
        "--out",
        elsewhere.to_str().unwrap(),
        "--figures",
        "p50_ms",
    ]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("p50_ms") && !stdout.contains("peak_rss_kib  "),
        "{stdout}"
    );
    assert!(elsewhere.join("compare.csv").is_file());
}

/// A results folder written by hand: raw.csv's text and an empty env.json.
fn folder(root: &Path, name: &str, raw: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("raw.csv"), raw).unwrap();
    std::fs::write(dir.join("env.json"), "{}").unwrap();
    dir
}

#[test]
fn folders_that_cannot_be_compared_exit_2_with_the_reason() {
    let root = tempfile::tempdir().unwrap();
    let raw = |experiment: &str, workload: &str, wall: &str| {
        format!(
            "experiment,workload,model,status,{wall}\n{experiment},{workload},tokio,ok,10\n\
             {experiment},{workload},tokio,ok,12\n"
        )
    };
    let base = folder(root.path(), "base", &raw("tiny", "http", "wall_ms"));
    let cases = [
        (
            folder(root.path(), "other", &raw("memory", "http", "wall_ms")),
            "different experiments (tiny and memory)",
        ),
        (
            folder(root.path(), "park", &raw("tiny", "park", "wall_ms")),
            "different workloads (http and park)",
        ),
        (
            folder(root.path(), "seconds", &raw("tiny", "http", "wall_s")),
            "`wall_ms` in BASE, `wall_s` in NEW",
        ),
        (
            folder(
                root.path(),
                "empty",
                "experiment,workload,model,status,wall_ms\n",
            ),
            "has no results",
        ),
        (root.path().join("missing"), "is not a results folder"),
    ];
    for (new, reason) in cases {
        let out = tvc(&["compare", base.to_str().unwrap(), new.to_str().unwrap()]);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{}: {stderr}", new.display());
        assert!(stderr.contains(reason), "{reason:?} not in {stderr}");
        assert!(
            stderr.contains(new.to_str().unwrap()),
            "names the folder: {stderr}"
        );
        assert!(
            !new.join("compare-vs-base").exists(),
            "nothing written for a refused comparison"
        );
    }
    let file = root.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = tvc(&[
        "compare",
        base.to_str().unwrap(),
        base.to_str().unwrap(),
        "--out",
        file.join("sub").to_str().unwrap(),
    ]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot create the output folder"),
        "{stderr}"
    );
    let out = tvc(&[
        "compare",
        base.to_str().unwrap(),
        base.to_str().unwrap(),
        "--figures",
        "speed",
    ]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown figure `speed`"), "{stderr}");
}
