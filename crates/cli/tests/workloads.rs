//! Every workload through a real `tvc worker` process, its figure columns checked against
//! what the workload must have done; and the worker's own figures (peak memory, CPU time,
//! context switches) shown to belong to the measured run alone.

use std::path::{Path, PathBuf};
use std::process::Command;
use tvc_core::{CpuMode, Lock, Workload};
use tvc_results::{read_raw, PointKey, RawRow, Status};

/// Runs go one at a time: they assert on CPU time and context switches.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_tvc"))
}

/// `tvc run` on an experiment file's text; the rows it wrote.
fn run(dir: &Path, text: &str) -> Vec<RawRow> {
    let file = dir.join("e.toml");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(exe())
        .args(["run", file.to_str().unwrap(), "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let folder = PathBuf::from(stdout.lines().last().unwrap().trim());
    let rows = read_raw(&folder.join("raw.csv")).unwrap();
    for r in &rows {
        assert!(
            r.status.measured() || r.status == Status::Unsupported,
            "{} {:?}: {}",
            r.key.label(),
            r.status,
            r.reason
        );
    }
    rows
}

fn ok(rows: &[RawRow]) -> impl Iterator<Item = &RawRow> {
    rows.iter().filter(|r| r.status == Status::Ok)
}

fn experiment(workload: &str, models: &str, table: &str) -> String {
    format!(
        "name = \"w\"\nworkload = \"{workload}\"\nmodels = {models}\nrepetitions = 1\nwarmup = 1\n\
         [{workload}]\n{table}\n"
    )
}

#[test]
fn switch_rows_carry_the_median_pass_and_its_spread() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let rows = run(
        dir.path(),
        &experiment(
            "switch",
            r#"["sequential", "threads", "tokio", "async-std", "smol", "may"]"#,
            "units = 2\nhops = 2000\npasses = 5",
        ),
    );
    assert_eq!(ok(&rows).count(), 6);
    for r in ok(&rows) {
        let f = &r.figures;
        let (lo, mid, hi) = (
            f.ns_per_switch_min.unwrap(),
            f.ns_per_switch.unwrap(),
            f.ns_per_switch_max.unwrap(),
        );
        assert!(
            lo > 0.0 && lo <= mid && mid <= hi,
            "{}: {lo} {mid} {hi}",
            r.key.label()
        );
        assert_eq!(
            r.count_ok,
            Some(true),
            "{}: every pass made its hops",
            r.key.label()
        );
        assert_eq!(r.key.passes, 5);
        // The window covers the 5 timed passes of 2000 hops.
        let timed_ms = 5.0 * 2000.0 * lo / 1e6;
        assert!(f.wall_ms.unwrap() >= timed_ms * 0.99, "{}", r.key.label());
    }
    let by = |m: &str| ok(&rows).find(|r| r.key.model == m).unwrap();
    let (seq, threads) = (by("sequential"), by("threads"));
    assert!(
        threads.figures.ns_per_switch.unwrap() > 10.0 * seq.figures.ns_per_switch.unwrap(),
        "a thread hand-over goes through the kernel; the baseline is a local variable"
    );
    assert!(
        threads.figures.vol_ctx_switches.unwrap() >= 5.0 * 2000.0 / 2.0,
        "threads block at every hop they wait: {:?}",
        threads.figures.vol_ctx_switches
    );
}

#[test]
fn cpu_rows_check_the_result_and_count_the_cpu_time() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let rows = run(
        dir.path(),
        &experiment(
            "cpu",
            r#"["sequential", "threads", "rayon", "tokio", "may"]"#,
            "n = 64\niters = 300000",
        ),
    );
    assert_eq!(ok(&rows).count(), 5);
    let cpu = |r: &RawRow| r.figures.user_ms.unwrap() + r.figures.sys_ms.unwrap();
    let threads = ok(&rows).find(|r| r.key.model == "threads").unwrap();
    let seq = ok(&rows).find(|r| r.key.model == "sequential").unwrap();
    for r in ok(&rows) {
        let f = &r.figures;
        assert_eq!(r.count_ok, Some(true), "{}", r.key.label());
        // The same work is the same CPU time whoever runs it, all of it inside the window
        // (however busy the machine), and no more than every core for the wall time.
        assert!(
            cpu(r) >= 0.8 * cpu(seq),
            "{}: {} vs {}",
            r.key.label(),
            cpu(r),
            cpu(seq)
        );
        let cores = tvc_core::available_cpus() as f64;
        assert!(
            cpu(r) <= 1.1 * cores * f.wall_ms.unwrap() + 10.0,
            "{}",
            r.key.label()
        );
    }
    assert_eq!(seq.figures.threads, Some(1.0));
    assert!(
        threads.figures.threads.unwrap() > 2.0,
        "64 units, one thread each"
    );
    assert!(
        threads.figures.peak_rss_kib.unwrap() > seq.figures.peak_rss_kib.unwrap(),
        "threads' stacks show in the worker's own peak, which is not floored at the \
         orchestrator's: {:?} vs {:?}",
        threads.figures.peak_rss_kib,
        seq.figures.peak_rss_kib
    );
}

#[test]
fn shared_state_rows_check_the_count() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let rows = run(
        dir.path(),
        &experiment(
            "shared-state",
            r#"["threads", "tokio:current-thread", "smol:local", "may"]"#,
            "units = 4\nincrements = 5000\nlock = [\"mutex\", \"none\"]",
        ),
    );
    // threads and may's coroutines (which move between worker threads) cannot share a
    // counter without a lock: unsupported rows with their reason.
    let unsupported: Vec<_> = rows
        .iter()
        .filter(|r| r.status == Status::Unsupported)
        .collect();
    assert_eq!(unsupported.len(), 2);
    for r in unsupported {
        assert_eq!(r.key.lock, Lock::None);
        assert!(r.reason.contains("Send"), "{}", r.reason);
    }
    assert_eq!(ok(&rows).count(), 6);
    for r in ok(&rows) {
        assert_eq!(r.count_ok, Some(true), "{}", r.key.label());
        let ns = r.figures.ns_per_increment.unwrap();
        let per = r.figures.wall_ms.unwrap() * 1e6 / 20_000.0;
        assert!((ns - per).abs() < 1e-6 * per, "{ns} vs {per}");
    }
}

#[test]
fn blocking_rows_measure_the_io_beside_the_cpu_work() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let rows = run(
        dir.path(),
        &experiment(
            "blocking",
            r#"["tokio:current-thread"]"#,
            "n = 20\nconcurrency = 10\ndelay_ms = 20\ncpu_tasks = 4\niters = 2000000\n\
             cpu_mode = [\"none\", \"inline\"]",
        ),
    );
    let p99 = |mode: CpuMode| {
        ok(&rows)
            .find(|r| r.key.cpu_mode == mode)
            .and_then(|r| r.figures.p99_ms)
            .unwrap()
    };
    assert!(p99(CpuMode::None) >= 20.0);
    for r in ok(&rows) {
        assert_eq!(r.figures.requests_ok, Some(20.0));
    }
    assert!(
        p99(CpuMode::Inline) > p99(CpuMode::None) + 5.0,
        "CPU work on the one executor thread delays the requests beside it: {} vs {}",
        p99(CpuMode::Inline),
        p99(CpuMode::None)
    );
}

#[test]
fn park_rows_read_the_kernels_memory_too() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let rows = run(
        dir.path(),
        &experiment("park", r#"["threads", "tokio", "may"]"#, "n = [10, 1000]"),
    );
    let row = |m: &str, n: u64| {
        ok(&rows)
            .find(|r| r.key.model == m && r.key.n == n)
            .unwrap()
    };
    let big = row("threads", 1000);
    let f = &big.figures;
    // 1 000 parked threads hold 1 000 kernel stacks (16 KiB each on x86_64); the machine is
    // not quiet (other tests run), so only a lower bound is checked.
    assert!(
        f.kernel_stack_delta_kib.unwrap() >= 0.5 * 1000.0 * 8.0,
        "{:?}",
        f.kernel_stack_delta_kib
    );
    assert!(f.threads.unwrap() >= 1000.0);
    assert!(f.spawn_ms.unwrap() > 0.0);
    assert!(row("tokio", 1000).figures.kernel_stack_delta_kib.unwrap() < 1000.0 * 8.0);
    // may's coroutine stacks are user memory: the kernel holds no stack for them.
    let may = row("may", 1000);
    assert!(may.figures.kernel_stack_delta_kib.unwrap() < 1000.0 * 8.0);
    assert!(may.figures.rss_parked_kib.unwrap() > may.figures.baseline_rss_kib.unwrap());
}

/// Sequential's requests block one at a time: its context switches are of the order of its
/// requests. (A sampler thread inside the worker added 200 a second, 200 here, before.)
#[test]
fn sequential_context_switches_follow_its_requests() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let rows = run(
        dir.path(),
        &experiment(
            "http",
            r#"["sequential"]"#,
            "n = 20\ndelay_ms = 50\nkeep_alive = true",
        ),
    );
    let f = &rows[0].figures;
    assert!(f.wall_ms.unwrap() >= 1000.0);
    let vol = f.vol_ctx_switches.unwrap();
    assert!((20.0..100.0).contains(&vol), "20 requests, 1 s: {vol}");
}

/// The worker's peak resident set is its own, for the measured run: a parent holding
/// 300 MiB (which a forked child inherits in `ru_maxrss`) does not show in it.
#[test]
fn a_workers_peak_is_independent_of_its_parents() {
    let _serial = serial();
    let ballast: Vec<u8> = vec![1; 300 << 20];
    std::hint::black_box(&ballast);
    let point = tvc::experiment::Point {
        key: PointKey {
            experiment: "peak".into(),
            workload: Workload::Cpu,
            model: "sequential".into(),
            variant: "default".into(),
            n: 2,
            concurrency: 2,
            iters: 1000,
            ..PointKey::default()
        },
        request_timeout_ms: 1000,
        rep: 1,
        warmup: 0,
    };
    let row = tvc::orchestrate::measure(exe(), &point, String::new(), None, 60, &[]);
    assert_eq!(row.status, Status::Ok, "{}", row.reason);
    let peak = row.figures.peak_rss_kib.unwrap();
    assert!(
        peak < 100.0 * 1024.0,
        "peak {peak} KiB with a 300 MiB parent"
    );
    drop(ballast);
}
