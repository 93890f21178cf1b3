//! The `tvc` binary end to end: a tiny experiment under every model writes the results
//! contract; bad input exits 2 with file, line and key; a worker that crashes, aborts or
//! times out becomes a row and the run goes on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tvc::results::{read_raw, Status};

fn tvc(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tvc"));
    c.args(args);
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().expect("run tvc")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const ALL_MODELS: &str = r#"["sequential", "threads", "rayon", "rayon:pool=c", "tokio", "tokio:reqwest", "async-std", "smol"]"#;

fn tiny(models: &str, extra: &str) -> String {
    format!(
        "name = \"tiny\"\nworkload = \"http\"\nmodels = {models}\nrepetitions = 1\nwarmup = 0\n{extra}\n\
         [http]\nn = 4\nconcurrency = 4\ndelay_ms = 5\nkeep_alive = [true, false]\n"
    )
}

fn results_dir(out: &Output) -> PathBuf {
    let stdout = String::from_utf8_lossy(&out.stdout);
    PathBuf::from(
        stdout
            .lines()
            .last()
            .expect("stdout names the results folder")
            .trim(),
    )
}

#[test]
fn a_run_writes_the_results_contract() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "tiny.toml", &tiny(ALL_MODELS, ""));
    let out = tvc(
        &[
            "run",
            file.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results = results_dir(&out);
    assert!(results.starts_with(dir.path().join("tiny")));

    let rows = read_raw(&results.join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 16, "8 model variants x keep-alive on/off");
    for r in &rows {
        assert_eq!(
            r.status,
            Status::Ok,
            "{}:{} {}",
            r.model,
            r.variant,
            r.reason
        );
        assert_eq!(r.requests_ok, Some(4));
        assert!(r.wall_ms.unwrap() >= 5.0);
        assert!(r.peak_rss_kib.unwrap() > 0);
        assert!(r.threads.unwrap() >= 1);
    }
    let sequential = rows.iter().find(|r| r.model == "sequential").unwrap();
    assert_eq!(sequential.concurrency, 1);
    assert!(
        sequential.wall_ms.unwrap() >= 20.0,
        "4 requests x 5 ms one after another"
    );

    let summary = std::fs::read_to_string(results.join("summary.csv")).unwrap();
    assert!(summary.starts_with("experiment,workload,model,variant"));
    assert!(summary.contains(",wall_ms,"));
    let env: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(results.join("env.json")).unwrap()).unwrap();
    assert_eq!(env["status"], "completed");
    assert!(env["limits"]["kernel_pid_max"].as_u64().is_some());
    assert!(env["experiment"]["content"]
        .as_str()
        .unwrap()
        .contains("name = \"tiny\""));

    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("vs seq") && table.contains("tokio:reqwest"),
        "{table}"
    );
}

#[test]
fn crashed_aborted_and_timed_out_workers_become_rows() {
    let dir = tempfile::tempdir().unwrap();
    let text = tiny(r#"["threads", "tokio", "smol"]"#, "point_timeout_s = 2")
        .replace("delay_ms = 5", "delay_ms = [5, 4000]")
        .replace("keep_alive = [true, false]", "keep_alive = true");
    let file = write(dir.path(), "faulty.toml", &text);
    let out = tvc(
        &[
            "run",
            file.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ],
        &[("TVC_WORKER_FAULT", "abort:threads")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = read_raw(&results_dir(&out).join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 6, "no row is dropped");
    for r in &rows {
        let expected = match (r.model.as_str(), r.delay_ms) {
            ("threads", _) => Status::Aborted,
            (_, 4000) => Status::Timeout,
            _ => Status::Ok,
        };
        assert_eq!(
            r.status, expected,
            "{}:{} delay {}",
            r.model, r.variant, r.delay_ms
        );
        if expected != Status::Ok {
            assert!(!r.reason.is_empty());
            assert_eq!(r.wall_ms, None, "nothing measured is left empty, not zero");
        }
    }
    let aborted = rows.iter().find(|r| r.status == Status::Aborted).unwrap();
    assert!(aborted.reason.contains("SIGABRT"), "{}", aborted.reason);
}

#[test]
fn bad_experiment_files_exit_2_naming_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            tiny(ALL_MODELS, "").replace("n = 4", "n = -4"),
            ":8: key `n`",
        ),
        (
            tiny(ALL_MODELS, "").replace("n = 4", "n = 4\nspeed = 9"),
            ":9: key `speed`",
        ),
        (
            tiny(r#"["tokio", "coroutines"]"#, ""),
            "unknown model `coroutines` (known models: sequential",
        ),
        (
            tiny(ALL_MODELS, "").replace("concurrency = 4", "concurrency = 0"),
            ":9: key `concurrency`",
        ),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let file = write(dir.path(), &format!("bad{i}.toml"), text);
        let out = tvc(
            &[
                "run",
                file.to_str().unwrap(),
                "--out",
                dir.path().to_str().unwrap(),
            ],
            &[],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("bad{i}.toml")), "{stderr}");
        assert!(
            stderr.contains(expected),
            "expected {expected:?} in {stderr}"
        );
    }
    assert!(
        !dir.path().join("tiny").exists(),
        "nothing ran, no results folder"
    );

    let out = tvc(&["run", "/no/such/experiment.toml"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/experiment.toml"));
}

#[test]
fn serve_on_a_port_in_use_exits_2() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = tvc(&["serve", "--addr", &addr], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already in use"));
}

#[test]
fn the_built_in_article_experiment_parses() {
    let exp =
        tvc::experiment::Experiment::parse(Path::new("article.toml"), tvc::ARTICLE_TOML, false)
            .unwrap();
    assert_eq!(exp.repetitions, 5);
    assert_eq!(exp.sweep.n, vec![200]);
    assert_eq!(exp.sweep.delay_ms, vec![83]);
    assert_eq!(exp.points().len(), 5 * 16);
    let quick =
        tvc::experiment::Experiment::parse(Path::new("a"), tvc::ARTICLE_TOML, true).unwrap();
    assert_eq!(quick.repetitions, 2);
}
