//! The `tvc` binary end to end: a tiny experiment under every model writes the results
//! contract; bad input exits 2 with file, line and key; a worker that crashes, aborts or
//! times out becomes a row and the run goes on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tvc_results::{read_raw, Status};

/// End-to-end runs go one at a time: a run that parks thousands of threads slows every
/// process on a 2-core machine, and the others assert on timeouts.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

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

const ALL_MODELS: &str = r#"["sequential", "threads", "rayon", "rayon:pool=c", "tokio", "tokio:reqwest", "async-std", "smol", "may"]"#;

fn tiny(models: &str, extra: &str) -> String {
    format!(
        "name = \"tiny\"\nworkload = \"http\"\nmodels = {models}\nrepetitions = 1\nwarmup = 0\n{extra}\n\
         [http]\nn = 4\nconcurrency = 4\ndelay_ms = 5\nkeep_alive = [true, false]\n"
    )
}

/// `tvc run FILE --out DIR`.
fn run_to(file: &Path, out_dir: &Path) -> Output {
    tvc(
        &[
            "run",
            file.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
        &[],
    )
}

/// `tvc run FILE --out DIR`, which must succeed.
fn run_ok(file: &Path, out_dir: &Path) -> Output {
    let out = run_to(file, out_dir);
    assert_ok(&out);
    out
}

fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "tiny.toml", &tiny(ALL_MODELS, ""));
    let out = run_ok(&file, dir.path());
    let results = results_dir(&out);
    assert!(results.starts_with(dir.path().join("tiny")));

    let rows = read_raw(&results.join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 18, "9 model variants x keep-alive on/off");
    for r in &rows {
        assert_eq!(
            r.status,
            Status::Ok,
            "{}:{} {}",
            r.key.model,
            r.key.variant,
            r.reason
        );
        let f = &r.figures;
        assert_eq!(f.requests_ok, Some(4.0));
        assert!(f.wall_ms.unwrap() >= 5.0);
        // The worker's own peak: a small process, not the orchestrator's high-water mark.
        let peak = f.peak_rss_kib.unwrap();
        assert!(
            (1024.0..64.0 * 1024.0).contains(&peak),
            "{}: {peak} KiB",
            r.key.label()
        );
        // Threads sampled from outside: no harness thread inside the worker. (A run this
        // short can end between two samples, so only sequential's count is exact.)
        let threads = f.threads.unwrap();
        match r.key.model.as_str() {
            "sequential" => assert_eq!(threads, 1.0, "one thread, nothing beside it"),
            _ => assert!(threads >= 1.0, "{}: {threads}", r.key.label()),
        }
    }
    let sequential = rows.iter().find(|r| r.key.model == "sequential").unwrap();
    assert_eq!(sequential.key.concurrency, 1);
    assert!(
        sequential.figures.wall_ms.unwrap() >= 20.0,
        "4 requests x 5 ms one after another"
    );

    let summary = std::fs::read_to_string(results.join("summary.csv")).unwrap();
    assert!(summary.starts_with("experiment,workload,model,variant"));
    assert!(summary.contains(",wall_ms,"));
    let env: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(results.join("env.json")).unwrap()).unwrap();
    assert_eq!(env["status"], "completed");
    assert!(env["limits"]["kernel_pid_max"].as_u64().is_some());
    for at in ["calibration_start", "calibration_end"] {
        let ns = env[at]["futex_round_trip_ns"].as_f64().unwrap_or(0.0);
        assert!(ns > 100.0, "{at}: {}", env[at]);
    }
    assert_eq!(env["git_commit"], tvc::envinfo::build_commit().as_str());
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
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let text = tiny(r#"["threads", "tokio", "smol"]"#, "point_timeout_s = 5")
        .replace("delay_ms = 5", "delay_ms = [5, 60000]")
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
    assert_ok(&out);
    let rows = read_raw(&results_dir(&out).join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 6, "no row is dropped");
    for r in &rows {
        let expected = match (r.key.model.as_str(), r.key.delay_ms) {
            ("threads", _) => Status::Aborted,
            (_, 60000) => Status::Timeout,
            _ => Status::Ok,
        };
        assert_eq!(
            r.status, expected,
            "{}:{} delay {}: {}",
            r.key.model, r.key.variant, r.key.delay_ms, r.reason
        );
        if expected != Status::Ok {
            assert!(!r.reason.is_empty());
            assert_eq!(
                r.figures.wall_ms, None,
                "nothing measured is left empty, not zero"
            );
        }
    }
    let aborted = rows.iter().find(|r| r.status == Status::Aborted).unwrap();
    assert!(aborted.reason.contains("SIGABRT"), "{}", aborted.reason);
}

#[test]
fn a_server_that_dies_is_started_again_and_said_so() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let text = tiny(r#"["sequential", "threads", "tokio"]"#, "")
        .replace("repetitions = 1", "repetitions = 4");
    let file = write(dir.path(), "dies.toml", &text);
    let marker = dir.path().join("died");
    let fault = format!("exit-once:300:{}", marker.display());
    let out = tvc(
        &[
            "run",
            file.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ],
        &[("TVC_SERVER_FAULT", &fault)],
    );
    assert_ok(&out);
    assert!(marker.exists(), "the first server took the fault");
    let results = results_dir(&out);
    let env: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(results.join("env.json")).unwrap()).unwrap();
    let restarts = env["server"]["restarts"].as_array().expect("a list");
    assert_eq!(restarts.len(), 1, "{restarts:?}");
    assert!(
        restarts[0]
            .as_str()
            .unwrap()
            .starts_with("exited (exit status: 3) before point"),
        "{restarts:?}"
    );
    let rows = read_raw(&results.join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 4 * (2 + 2 + 2), "no row is dropped");
    // A row measured while the server was dying says so; every row after the restart is ok.
    for r in rows.iter().filter(|r| r.status != Status::Ok) {
        assert!(
            r.reason.contains("server exited"),
            "{}: {}",
            r.key.model,
            r.reason
        );
    }
    assert_eq!(rows.last().map(|r| r.status), Some(Status::Ok));
}

/// Memory is measured in a worker process per point (RSS is per process, so it cannot be
/// measured beside other tests): every model that can park grows with N, the others say why.
#[test]
fn parked_memory_grows_with_n_in_every_model() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let models: Vec<String> = tvc::models::all()
        .iter()
        .flat_map(|m| {
            m.variants()
                .iter()
                .map(move |v| format!("\"{}:{}\"", m.name(), v.name))
        })
        .collect();
    let text = format!(
        "name = \"mem\"\nworkload = \"park\"\nmodels = [{}]\nrepetitions = 1\nwarmup = 0\n\
         [park]\nn = [1, 3000]\n",
        models.join(", ")
    );
    let file = write(dir.path(), "mem.toml", &text);
    let out = run_ok(&file, dir.path());
    let results = results_dir(&out);
    let rows = read_raw(&results.join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 2 * models.len(), "no row is dropped");
    let mut measured = 0;
    for pair in rows.chunks(1) {
        let r = &pair[0];
        match r.status {
            Status::Ok => measured += 1,
            Status::Unsupported => assert!(!r.reason.is_empty()),
            other => panic!(
                "{}:{} n={}: {other:?} {}",
                r.key.model, r.key.variant, r.key.n, r.reason
            ),
        }
    }
    assert!(measured >= 20, "10 model variants can park");
    let grown = |r: &tvc_results::RawRow| {
        r.figures.rss_parked_kib.unwrap() as i64 - r.figures.baseline_rss_kib.unwrap() as i64
    };
    for small in rows
        .iter()
        .filter(|r| r.status == Status::Ok && r.key.n == 1)
    {
        let big = rows
            .iter()
            .find(|r| {
                r.key.model == small.key.model
                    && r.key.variant == small.key.variant
                    && r.key.n == 3000
            })
            .unwrap();
        assert!(
            grown(big) > grown(small),
            "{}:{}: 3000 units {} KiB vs 1 unit {} KiB",
            small.key.model,
            small.key.variant,
            grown(big),
            grown(small)
        );
        assert!(big.figures.vm_parked_kib.unwrap() >= big.figures.rss_parked_kib.unwrap());
    }
    let fits = std::fs::read_to_string(results.join("fits.csv")).unwrap();
    assert!(fits.contains("tokio,default,rss_bytes_per_unit"), "{fits}");
    let env = std::fs::read_to_string(results.join("env.json")).unwrap();
    assert!(env.contains("predicted_thread_limit"));
}

/// may's coroutines stop at the memory-mapping limit (two mappings per stack, whatever its
/// size): past it the point is a row saying how far it got, never a crash of the run, and
/// env.json holds the prediction.
#[test]
fn stackful_coroutines_past_the_mapping_limit_are_a_row_with_the_reason() {
    let _serial = serial();
    let predicted = tvc_core::probe::CoroutineLimit::predict().predicted;
    let Some(limit) = predicted.filter(|l| *l <= 100_000) else {
        println!("skipped: vm.max_map_count allows {predicted:?} coroutines, too many to test");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "name = \"limit\"\nworkload = \"park\"\nmodels = [\"may:stack=16k\"]\n\
         repetitions = 1\nwarmup = 0\n[park]\nn = [{}]\n",
        limit + 1000
    );
    let file = write(dir.path(), "limit.toml", &text);
    let out = run_ok(&file, dir.path());
    let results = results_dir(&out);
    let rows = read_raw(&results.join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    // Usually a stack is the mapping refused (failed, with the prediction); sometimes
    // another allocation is, and the worker aborts (its last progress line is the reason).
    match r.status {
        Status::Failed => assert!(
            r.reason.contains("could not be spawned") && r.reason.contains("vm.max_map_count"),
            "{}",
            r.reason
        ),
        Status::Aborted => assert!(r.reason.contains("coroutines spawned"), "{}", r.reason),
        other => panic!("{other:?}: {}", r.reason),
    }
    let env: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(results.join("env.json")).unwrap()).unwrap();
    assert!(env["predicted_coroutine_limit"]["predicted"]
        .as_u64()
        .is_some());
}

/// A real SIGINT mid-run: finished rows stay, the summary is written, the run is marked
/// interrupted, and tvc exits 130.
#[test]
fn sigint_keeps_what_was_measured() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let text = tiny(r#"["tokio", "smol", "threads"]"#, "")
        .replace("repetitions = 1", "repetitions = 20")
        .replace("delay_ms = 5", "delay_ms = 100");
    let file = write(dir.path(), "long.toml", &text);
    let child = Command::new(env!("CARGO_BIN_EXE_tvc"))
        .args([
            "run",
            file.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let raw = || {
        let folder = std::fs::read_dir(dir.path().join("tiny"))
            .ok()?
            .next()?
            .ok()?
            .path();
        Some(folder.join("raw.csv"))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let rows = raw().and_then(|p| read_raw(&p).ok()).map_or(0, |r| r.len());
        if rows >= 3 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no rows appeared");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));

    let raw = raw().unwrap();
    let rows = read_raw(&raw).unwrap();
    assert!(rows.len() >= 3 && rows.len() < 120, "{} rows", rows.len());
    assert!(rows[..3].iter().all(|r| r.status == Status::Ok));
    let folder = raw.parent().unwrap();
    let env = std::fs::read_to_string(folder.join("env.json")).unwrap();
    assert!(env.contains("\"status\": \"interrupted\""), "{env}");
    let summary = std::fs::read_to_string(folder.join("summary.csv")).unwrap();
    assert!(summary.lines().count() > 1);
    assert!(
        !folder.join("summary.tmp").exists(),
        "no temporary file left behind"
    );
}

#[test]
fn a_loopback_target_replaces_the_built_in_server() {
    let _serial = serial();
    let server = tvc_mock_server::Server::start("127.0.0.1:0".parse().unwrap()).unwrap();
    let url = format!("{}/?delay_ms=5", server.url());
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "t.toml",
        &tiny(r#"["sequential", "tokio"]"#, ""),
    );
    let out = tvc(
        &[
            "run",
            file.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
            "--target",
            &url,
        ],
        &[],
    );
    assert_ok(&out);
    let results = results_dir(&out);
    let rows = read_raw(&results.join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows
        .iter()
        .all(|r| r.status == Status::Ok && r.target == url));
    let env = std::fs::read_to_string(results.join("env.json")).unwrap();
    assert!(env.contains("loopback target"), "{env}");
    assert!(
        server.stats().requests >= 16,
        "the requests went to the target"
    );
}

/// `tvc serve` as a child process, killed when the test ends however it ends.
struct Served {
    child: std::process::Child,
    url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(args: &[&str]) -> Served {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tvc"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start tvc serve");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    Served {
        child,
        url: line.trim().to_string(),
    }
}

#[test]
fn an_https_target_with_its_ca_file_runs_every_model() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    let server = serve(&["--tls", "--cert-out", cert.to_str().unwrap()]);
    assert!(
        server.url.starts_with("https://127.0.0.1:"),
        "{}",
        server.url
    );
    let pem = std::fs::read_to_string(&cert).unwrap();
    assert!(pem.contains("BEGIN CERTIFICATE"), "{pem}");

    let url = format!("{}/?delay_ms=5", server.url);
    let file = write(dir.path(), "t.toml", &tiny(ALL_MODELS, ""));
    let out_dir = dir.path().to_str().unwrap();
    let args = ["run", file.to_str().unwrap(), "--out", out_dir];
    let out = tvc(
        &[
            &args[..],
            &["--target", &url, "--ca-file", cert.to_str().unwrap()],
        ]
        .concat(),
        &[],
    );
    assert_ok(&out);
    let results = results_dir(&out);
    let rows = read_raw(&results.join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 18, "9 model variants x keep-alive on/off");
    for r in &rows {
        assert_eq!(
            r.status,
            Status::Ok,
            "{}:{} {} {}",
            r.key.model,
            r.key.variant,
            r.reason,
            r.error_kinds
        );
        assert_eq!(r.figures.requests_ok, Some(4.0));
        assert_eq!(r.target, url);
    }
    let env: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(results.join("env.json")).unwrap()).unwrap();
    assert_eq!(env["server"]["url"], url.as_str());
    assert!(env["server"]["ca_file"]
        .as_str()
        .unwrap()
        .ends_with("cert.pem"));

    // The `target` key of an experiment file takes https too; without the CA file the
    // self-signed certificate is refused, and every request is a `tls` error in the rows.
    let file = write(
        dir.path(),
        "untrusted.toml",
        &tiny(r#"["sequential", "tokio"]"#, &format!("target = \"{url}\"")),
    );
    let out = tvc(&["run", file.to_str().unwrap(), "--out", out_dir], &[]);
    assert_ok(&out);
    let rows = read_raw(&results_dir(&out).join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 4);
    for r in &rows {
        assert_eq!(
            r.status,
            Status::Errors,
            "{}:{}",
            r.key.model,
            r.key.variant
        );
        assert_eq!(r.error_kinds, "tls=4", "{}:{}", r.key.model, r.key.variant);
    }

    // A CA file without an https target, or one holding no certificate, is a usage error.
    let plain = tvc(
        &[&args[..], &["--ca-file", cert.to_str().unwrap()]].concat(),
        &[],
    );
    assert_eq!(plain.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&plain.stderr).contains("needs an https target"));
    let not_pem = write(dir.path(), "not.pem", "hello\n");
    let bad = tvc(
        &[
            &args[..],
            &["--target", &url, "--ca-file", not_pem.to_str().unwrap()],
        ]
        .concat(),
        &[],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("no PEM CERTIFICATE"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn external_targets_need_a_flag_and_respect_the_cap() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "t.toml", &tiny(r#"["tokio"]"#, ""));
    let out_dir = dir.path().to_str().unwrap();
    // A documentation address (TEST-NET-1): refused before any packet is sent.
    let out = tvc(
        &[
            "run",
            file.to_str().unwrap(),
            "--out",
            out_dir,
            "--target",
            "http://192.0.2.1/",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not a loopback address") && stderr.contains("--allow-external"),
        "{stderr}"
    );

    let big = write(
        dir.path(),
        "big.toml",
        &tiny(r#"["tokio"]"#, "").replace("n = 4", "n = 300"),
    );
    let out = tvc(
        &[
            "run",
            big.to_str().unwrap(),
            "--out",
            out_dir,
            "--target",
            "http://192.0.2.1/",
            "--allow-external",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("above the cap of 200") && stderr.contains("--max-requests"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("tiny").exists(),
        "nothing ran, no results folder"
    );
}

#[test]
fn an_unreachable_target_is_named_and_leaves_no_folder() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "t.toml", &tiny(r#"["tokio"]"#, ""));
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{closed}/");
    let out = tvc(
        &[
            "run",
            file.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
            "--target",
            &url,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unreachable: connection refused"),
        "{stderr}"
    );
    assert!(!dir.path().join("tiny").exists());
}

#[test]
fn bad_experiment_files_exit_2_naming_file_line_and_key() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            tiny(ALL_MODELS, "").replace("n = 4", "n = -4"),
            ":8: key `n`: -4 (negative) is not a whole number of 0 or more",
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

/// `tvc plot` and `tvc report` on a folder that holds no results: the user's mistake, said
/// once (no OS error printed twice), naming what is missing, exit 2.
#[test]
fn plot_and_report_refuse_folders_without_results() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-run");
    let empty = dir.path();
    for args in [
        vec!["plot", missing.to_str().unwrap()],
        vec!["report", missing.to_str().unwrap()],
        vec!["plot", empty.to_str().unwrap()],
        vec![
            "report",
            empty.to_str().unwrap(),
            "--out",
            empty.to_str().unwrap(),
        ],
    ] {
        let out = tvc(&args, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("is not a results folder"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "said once: {stderr}");
        assert!(!stderr.contains("os error"), "{stderr}");
    }
    let out = tvc(&["plot", empty.to_str().unwrap()], &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no raw.csv"));
}

#[test]
fn serve_without_tls_stays_http_and_refuses_cert_out() {
    let _serial = serial();
    let server = serve(&[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let out = tvc(&["serve", "--cert-out", "/tmp/never-written.pem"], &[]);
    assert_eq!(out.status.code(), Some(2), "--cert-out needs --tls");
}

#[test]
fn serve_on_a_port_in_use_exits_2() {
    let _serial = serial();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = tvc(&["serve", "--addr", &addr], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already in use"));
}

/// An output folder that cannot be made (here: a file is in the way) is refused, exit 2,
/// naming the path; and `--only` with an unknown experiment lists the known ones.
#[test]
fn unusable_output_folders_and_unknown_names_exit_2() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "tiny.toml", &tiny(r#"["tokio"]"#, ""));
    let in_the_way = write(dir.path(), "a-file", "");
    let out = run_to(&file, &in_the_way);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot create the results folder") && stderr.contains("a-file"),
        "{stderr}"
    );
    let out = tvc(&["reproduce", "--only", "no-such-experiment"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("known: article"));
}

#[test]
fn the_built_in_article_experiment_parses() {
    let _serial = serial();
    let exp =
        tvc::experiment::Experiment::parse(Path::new("article.toml"), tvc::ARTICLE_TOML, false)
            .unwrap();
    assert_eq!(exp.repetitions, 5);
    assert_eq!(exp.sweep.n, vec![200]);
    assert_eq!(exp.sweep.delay_ms, vec![83]);
    // Every model at keep-alive on and off, sequential included (at C = 1), each repetition;
    // Go and Java at keep-alive on only (their experiment tables say so).
    let one_setting = exp
        .models
        .iter()
        .filter(|(m, _)| m == "go" || m == "java")
        .count();
    assert!(one_setting > 0);
    assert_eq!(exp.points().len(), 5 * (exp.models.len() * 2 - one_setting));
    assert!(exp.models.iter().any(|(m, _)| m == "sequential"));
    let quick =
        tvc::experiment::Experiment::parse(Path::new("a"), tvc::ARTICLE_TOML, true).unwrap();
    assert_eq!(quick.repetitions, 2);
}

/// A run keeps no per-request data: ten times the requests, same concurrency, and the
/// worker's peak RSS stays within 1.2×. (This build is unoptimised, so 10⁴ against 10⁵ here;
/// `cargo bench --bench constant_memory` checks 10⁴ against 10⁶ on the release build.)
#[test]
fn http_memory_does_not_grow_with_the_number_of_requests() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "mem.toml",
        "name = \"mem\"\nworkload = \"http\"\nmodels = [\"tokio\"]\nrepetitions = 1\nwarmup = 0\n\
         [http]\nn = [10000, 100000]\nconcurrency = 50\n",
    );
    let out = run_ok(&file, dir.path());
    let rows = read_raw(&results_dir(&out).join("raw.csv")).unwrap();
    let rss = |n: u64| {
        let r = rows.iter().find(|r| r.key.n == n).expect("a row per n");
        assert_eq!(r.status, Status::Ok, "{}", r.reason);
        assert_eq!(r.figures.requests_ok, Some(n as f64));
        r.figures.peak_rss_kib.expect("peak RSS measured") as f64
    };
    let (small, large) = (rss(10_000), rss(100_000));
    assert!(
        large <= 1.2 * small,
        "peak RSS {large} KiB at 100 000 requests vs {small} KiB at 10 000"
    );
}

/// The article's real target is refused without the flag, before any DNS lookup (so this
/// passes offline, and CI never asks about the host), and leaves no results folder.
#[test]
fn article_real_needs_the_external_flag() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../experiments/article-real.toml");
    let exp = tvc::experiment::Experiment::load(&file, false).expect("article-real parses");
    assert_eq!(exp.target.as_deref(), Some("http://www.baidu.com/"));
    assert!(exp
        .points()
        .iter()
        .all(|p| p.key.n <= 200 && p.key.concurrency <= 200));
    let out = run_to(&file, dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--allow-external"), "{stderr}");
    assert!(
        !stderr.contains("DNS"),
        "no lookup before the flag: {stderr}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Where the high-water mark cannot be reset (forced here, as on a kernel without a
/// writable /proc/self/clear_refs), points are still measured: the peak is the worker's
/// whole life, the row says so (`peak_rss_scope = life`), and the report marks it.
#[test]
fn without_clear_refs_the_peak_is_the_whole_lifes_and_says_so() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "tiny.toml",
        &tiny(r#"["threads", "tokio"]"#, ""),
    );
    let args = [
        "run",
        file.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ];
    let out = tvc(&args, &[(tvc_core::probe::NO_CLEAR_REFS_VAR, "1")]);
    assert_ok(&out);
    let run_dir = results_dir(&out);
    let rows = read_raw(&run_dir.join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 4);
    for r in &rows {
        assert_eq!(r.status, Status::Ok, "{}", r.reason);
        assert_eq!(
            r.peak_rss_scope, "life",
            "{}:{}",
            r.key.model, r.key.variant
        );
        assert!(r.figures.peak_rss_kib.is_some_and(|k| k > 1000.0));
    }
    let report = dir.path().join("report");
    let out = tvc(
        &[
            "report",
            run_dir.to_str().unwrap(),
            "--out",
            report.to_str().unwrap(),
        ],
        &[],
    );
    assert_ok(&out);
    let text = std::fs::read_to_string(report.join("REPORT.md")).unwrap();
    assert!(text.contains("whole life"), "the report marks the figures");

    let out = run_ok(&file, dir.path());
    let rows = read_raw(&results_dir(&out).join("raw.csv")).unwrap();
    assert!(rows.iter().all(|r| r.peak_rss_scope == "run"));
}
