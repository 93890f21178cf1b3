//! The Python peer end to end: the article's two programs through a real `tvc run` (a worker
//! per point, the interpreter a child of the worker), the rows they write and the shapes of
//! their wall times; what the peer refuses; and what a machine without Python gets.
//!
//! Tests that need Python with httpx skip with a printed reason where it is missing, and fail
//! where `TVC_REQUIRE_PYTHON=1` (CI installs it).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tvc_core::{HttpPlan, ModelError};
use tvc_results::{read_raw, RawRow, Status};

/// End-to-end runs go one at a time: the shapes below are wall times.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// Whether the peer can run here; where it must (`TVC_REQUIRE_PYTHON=1`) and cannot, a
/// failure.
fn python_here() -> bool {
    if !tvc_peer::setup::ready_for_tests() {
        return false;
    }
    match tvc_python::interpreter() {
        Ok(_) => true,
        Err(why) => panic!("the peers are set up, but the Python peer cannot run: {why}"),
    }
}

/// `tvc run` of an http experiment with these models and `[http]` table, in `dir`, with
/// `envs` set (a `None` value removes the variable); its rows.
fn run(dir: &Path, models: &str, table: &str, envs: &[(&str, Option<&str>)]) -> Vec<RawRow> {
    let file = dir.join("python.toml");
    std::fs::write(
        &file,
        format!(
            "name = \"python\"\nworkload = \"http\"\nmodels = {models}\nrepetitions = 1\n\
             warmup = 0\n[http]\n{table}\n"
        ),
    )
    .unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_tvc"));
    c.args(["run", file.to_str().unwrap(), "--out"]).arg(dir);
    for (k, v) in envs {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    let out: Output = c.output().expect("run tvc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let results = PathBuf::from(stdout.lines().last().expect("the results folder").trim());
    read_raw(&results.join("raw.csv")).unwrap()
}

fn row<'a>(rows: &'a [RawRow], variant: &str, keep_alive: bool) -> &'a RawRow {
    rows.iter()
        .find(|r| r.key.variant == variant && r.key.keep_alive == keep_alive)
        .unwrap_or_else(|| panic!("a row for python:{variant} keep-alive {keep_alive}"))
}

fn wall_ms(r: &RawRow) -> f64 {
    assert_eq!(
        r.status,
        Status::Ok,
        "{}:{}: {}",
        r.key.model,
        r.key.variant,
        r.reason
    );
    r.figures.wall_ms.expect("a wall time")
}

/// The figures of the interpreter, as it measured its own window, not the worker's.
fn assert_peer_figures(r: &RawRow) {
    let f = &r.figures;
    assert_eq!(
        f.threads,
        Some(1.0),
        "{}: the interpreter's threads",
        r.key.variant
    );
    let rss = f.peak_rss_kib.expect("peak RSS");
    assert!(
        rss > 8.0 * 1024.0,
        "{}: Python with httpx is larger than {rss} KiB",
        r.key.variant
    );
    // Python's own CPU time in the window: httpx spends milliseconds on each request.
    assert!(f.user_ms.unwrap() + f.sys_ms.unwrap() >= 10.0, "{f:?}");
    assert!(f.vm_peak_kib.is_some_and(|v| v >= rss));
    assert!(r.knobs.contains("httpx="), "{}", r.knobs);
    assert!(!r.reason.contains("whole life"), "{}", r.reason);
}

/// The article's sequential loop takes at least one delay per request; its AsyncClient takes
/// a wave of requests per pool's worth of connections (150 requests: two waves through
/// httpx's default 100 connections, one without limits), and far less than the loop.
#[test]
fn the_articles_two_programs_keep_their_shapes() {
    if !python_here() {
        return;
    }
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();

    let (n, delay) = (10, 20);
    let rows = run(
        dir.path(),
        r#"["python"]"#,
        &format!("n = {n}\nconcurrency = {n}\ndelay_ms = {delay}\nkeep_alive = [true, false]"),
        &[],
    );
    let sync = row(&rows, "default", false);
    assert!(wall_ms(sync) >= (n * delay) as f64, "{:?}", sync.figures);
    assert_eq!(sync.figures.requests_ok, Some(n as f64));
    assert_eq!(sync.figures.in_flight, Some(1.0));
    assert_peer_figures(sync);
    let refused = row(&rows, "default", true);
    assert_eq!(refused.status, Status::Unsupported);
    assert!(
        refused.reason.contains("new connection"),
        "{}",
        refused.reason
    );

    let (n, delay) = (150, 100);
    let rows = run(
        dir.path(),
        r#"["python:httpx-async", "python:httpx-async-unlimited"]"#,
        &format!("n = {n}\nconcurrency = {n}\ndelay_ms = {delay}\nkeep_alive = [true, false]"),
        &[],
    );
    let pooled = row(&rows, "httpx-async", true);
    let unlimited = row(&rows, "httpx-async-unlimited", true);
    for r in [pooled, unlimited] {
        assert_eq!(r.figures.requests_ok, Some(n as f64), "{}", r.key.variant);
        assert_peer_figures(r);
    }
    assert_eq!(pooled.figures.in_flight, Some(100.0));
    assert_eq!(unlimited.figures.in_flight, Some(n as f64));
    let (two_waves, one_wave) = (wall_ms(pooled), wall_ms(unlimited));
    println!("{n} GETs at {delay} ms: {two_waves:.0} ms pooled, {one_wave:.0} ms unlimited");
    assert!(two_waves >= 2.0 * delay as f64, "{two_waves} ms");
    assert!(one_wave >= delay as f64, "{one_wave} ms");
    // Python's own cost per request comes on top of the waves (here 0.3–0.5 s of CPU for
    // 150 requests, more without pool limits: httpcore scans every pooled connection for
    // every queued request); the bound leaves room for a slow machine and still tells a
    // few waves from the loop's 150.
    let loop_ms = (n * delay) as f64;
    assert!(two_waves < loop_ms / 5.0, "{two_waves} ms");
    assert!(one_wave < loop_ms / 5.0, "{one_wave} ms");
    assert_eq!(
        row(&rows, "httpx-async", false).status,
        Status::Unsupported,
        "the pool keeps connections alive"
    );
}

/// Without the interpreter every python point is `unsupported` with the command that
/// enables it, and the rest of the run goes on; where the peer is required, the point fails.
#[test]
fn without_python_the_points_say_how_to_enable_them() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let table = "n = 4\nconcurrency = 4\ndelay_ms = 1\nkeep_alive = false";
    let models = r#"["sequential", "python"]"#;
    let missing = Some("/no/such/python");
    let rows = run(
        dir.path(),
        models,
        table,
        &[
            (tvc_python::PYTHON_VAR, missing),
            (tvc_python::REQUIRE_VAR, None),
        ],
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].status, Status::Ok, "{}", rows[0].reason);
    let python = &rows[1];
    assert_eq!(python.status, Status::Unsupported);
    assert!(
        python.reason.contains(tvc_python::ENABLE) && python.reason.contains("/no/such/python"),
        "{}",
        python.reason
    );

    let rows = run(
        dir.path(),
        models,
        table,
        &[
            (tvc_python::PYTHON_VAR, missing),
            (tvc_python::REQUIRE_VAR, Some("1")),
        ],
    );
    assert_eq!(rows[1].status, Status::Failed);
    assert!(
        rows[1].reason.contains(tvc_python::REQUIRE_VAR),
        "{}",
        rows[1].reason
    );
}

/// What the article's code cannot do is refused with its reason before any interpreter is
/// looked for, so it reads the same on every machine.
#[test]
fn the_peer_refuses_what_the_articles_code_cannot_do() {
    let python = tvc::models::find("python").expect("the peer is a model");
    let plan = HttpPlan {
        url: "http://127.0.0.1:9/".into(),
        n: 10,
        concurrency: 10,
        keep_alive: true,
        request_timeout_ms: 1000,
        rate: None,
        ca_file: None,
    };
    let reason = |r: Result<tvc_core::RunReport, ModelError>| match r {
        Err(ModelError::Unsupported(why)) => why,
        other => panic!("{other:?}"),
    };
    assert!(reason(python.http("default", &plan)).contains("new connection"));
    let closing = HttpPlan {
        keep_alive: false,
        ..plan.clone()
    };
    assert!(reason(python.http("httpx-async", &closing)).contains("keeps them alive"));
    let paced = HttpPlan {
        rate: Some(100.0),
        ..plan.clone()
    };
    assert!(reason(python.http("httpx-async", &paced)).contains("closed loop"));
    let unsupported = |r: Result<tvc_core::Report, ModelError>| {
        assert!(matches!(r, Err(ModelError::Unsupported(_))), "{r:?}")
    };
    unsupported(python.cpu("httpx-async", &tvc_core::CpuPlan { n: 1, iters: 1 }));
    unsupported(python.park("processes", &tvc_core::ParkPlan { n: 1 }));
    assert!(matches!(
        python.http("no-such-variant", &plan),
        Err(ModelError::UnknownVariant { .. })
    ));
    assert_eq!(python.info().language, tvc_core::Language::Python);
}

/// The rows of `tvc run` of a small experiment of `workload` with these models and table,
/// in `dir`, with `envs` set (`None` removes a variable) and `args` added.
fn run_with(
    dir: &Path,
    workload: &str,
    models: &str,
    table: &str,
    envs: &[(&str, Option<&str>)],
    args: &[&str],
) -> (Vec<RawRow>, String) {
    let file = dir.join(format!("{workload}.toml"));
    std::fs::write(
        &file,
        format!(
            "name = \"{workload}\"\nworkload = \"{workload}\"\nmodels = {models}\n\
             repetitions = 1\nwarmup = 0\n[{workload}]\n{table}\n"
        ),
    )
    .unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_tvc"));
    c.args(["run", file.to_str().unwrap(), "--out"])
        .arg(dir)
        .args(args);
    for (k, v) in envs {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    let out: Output = c.output().expect("run tvc");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let results = PathBuf::from(stdout.lines().last().expect("the results folder").trim());
    (read_raw(&results.join("raw.csv")).unwrap(), stderr)
}

const PARK: &str = "n = 3";

/// A program that is not a Python, and a Python without the packages: each a reason in the
/// rows, and the rest of the run measured.
#[test]
fn an_interpreter_that_cannot_run_the_peer_says_why() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let models = r#"["threads", "python:threads"]"#;
    let not_python = [
        (tvc_python::PYTHON_VAR, Some("/bin/true")),
        (tvc_python::REQUIRE_VAR, None),
    ];
    let (rows, _) = run_with(dir.path(), "park", models, PARK, &not_python, &[]);
    assert_eq!(rows[0].status, Status::Ok, "{}", rows[0].reason);
    assert_eq!(rows[1].status, Status::Unsupported, "{}", rows[1].reason);
    assert!(
        rows[1].reason.contains("/bin/true")
            && (rows[1].reason.contains("before it started")
                || rows[1].reason.contains("before it was sent its run")),
        "{}",
        rows[1].reason
    );

    // A Python 3 with none of the packages: a virtual environment of its own.
    let bare = dir.path().join("bare");
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&bare)
        .status();
    if !made.is_ok_and(|s| s.success()) {
        println!("skipped the bare-interpreter half: python3 -m venv failed here");
        return;
    }
    let python = bare.join("bin/python");
    let bare_env = [
        (tvc_python::PYTHON_VAR, python.to_str()),
        (tvc_python::REQUIRE_VAR, None),
    ];
    let (rows, _) = run_with(dir.path(), "park", models, PARK, &bare_env, &[]);
    assert_eq!(rows[1].status, Status::Unsupported, "{}", rows[1].reason);
    assert!(
        rows[1].reason.contains("cannot import") && rows[1].reason.contains("httpx"),
        "{}",
        rows[1].reason
    );
}

/// A set-up that fails half-way (the package index unreachable) leaves no half-made
/// environment behind, says why in the rows, and the run goes on; `--no-peers` sets nothing
/// up and says so.
#[test]
fn a_failed_set_up_leaves_nothing_behind_and_the_run_goes_on() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let peers = dir.path().join("peers");
    let peers_dir = peers.to_str().unwrap();
    let models = r#"["threads", "python:asyncio"]"#;
    let offline = [
        (tvc_peer::place::PEERS_DIR_VAR, Some(peers_dir)),
        (tvc_python::PYTHON_VAR, None),
        (tvc_python::REQUIRE_VAR, None),
        ("PIP_INDEX_URL", Some("http://127.0.0.1:9/simple")),
        ("PIP_NO_CACHE_DIR", Some("1")),
        ("PIP_FIND_LINKS", None),
    ];
    let (rows, stderr) = run_with(dir.path(), "park", models, PARK, &offline, &[]);
    assert!(
        stderr.contains("setting up the peers' environment"),
        "{stderr}"
    );
    assert_eq!(rows[0].status, Status::Ok, "{}", rows[0].reason);
    assert_eq!(rows[1].status, Status::Unsupported, "{}", rows[1].reason);
    assert!(
        rows[1].reason.contains("pip could not install"),
        "{}",
        rows[1].reason
    );
    let left: Vec<_> = std::fs::read_dir(&peers)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("python-env-"))
        .collect();
    assert!(
        left.is_empty(),
        "a half-made environment was left: {left:?}"
    );

    let (rows, stderr) = run_with(dir.path(), "park", models, PARK, &offline, &["--no-peers"]);
    assert!(!stderr.contains("setting up"), "{stderr}");
    assert_eq!(rows[1].status, Status::Unsupported);
    assert!(rows[1].reason.contains("--no-peers"), "{}", rows[1].reason);
}

/// Without a lock, Python threads lose updates when a call sits between the counter's read
/// and its write, the GIL's switching point; asyncio's tasks, on one thread, lose none. (A
/// counter each unit kept to itself could not lose any.)
#[test]
fn python_threads_lose_updates_where_a_call_splits_the_increment() {
    if !python_here() {
        return;
    }
    let python = tvc::models::find("python").expect("the peer is a model");
    let plan = tvc_core::SharedPlan {
        units: 8,
        increments: 200_000,
        lock: tvc_core::Lock::NoneCall,
    };
    let threads = python
        .shared_state("threads", &plan)
        .expect("python:threads runs");
    let lost = 1_600_000 - threads.check.expect("a count");
    assert!(
        lost > 0,
        "8 threads × 200 000 split increments lost nothing"
    );
    assert_eq!(threads.workers, 8);
    let tasks = python
        .shared_state("asyncio", &plan)
        .expect("python:asyncio runs");
    assert_eq!(tasks.check, Some(1_600_000));
}
