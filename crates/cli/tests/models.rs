//! Every model, every variant (the Python peer's too, where Python and httpx are installed),
//! against the real built-in server on an ephemeral port.
//! One macro line per model variant generates the whole set of tests for it, and
//! `the_table_covers_every_model` fails if a model or variant is missing from the table.

use std::path::Path;
use std::time::{Duration, Instant};
use tvc_core::work::cpu_checksum;
use tvc_core::{
    BlockingPlan, CpuMode, CpuPlan, HttpPlan, Lock, Medium, Model, ModelError, ParkPlan, PlanError,
    RunReport, SharedPlan, SwitchPlan,
};
use tvc_mock_server::Server;

const N: u64 = 20;
const DELAY_MS: u64 = 50;
const C: usize = 20;

fn server() -> Server {
    Server::start("127.0.0.1:0".parse().unwrap()).expect("start the mock server")
}

fn plan(server: &Server, n: u64, concurrency: usize, keep_alive: bool) -> HttpPlan {
    HttpPlan {
        url: format!("{}/?delay_ms={DELAY_MS}", server.url()),
        n,
        concurrency,
        keep_alive,
        request_timeout_ms: 5_000,
        rate: None,
        ca_file: None,
    }
}

/// Tests that assert on wall time run one at a time, so they never measure each other.
fn timing_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// A model; a peer's only once the peers are set up (the test sets them up itself, and
/// fails where it cannot, unless TVC_SKIP_PEERS=1).
fn model(name: &str) -> &'static dyn Model {
    let m = tvc::models::find(name).expect("known model");
    if m.info().language != tvc_core::Language::Rust {
        tvc_peer::setup::ready_for_tests();
    }
    m
}

/// The concurrency a model is asked for (one after another ignores it, as the orchestrator
/// does: `sequential`, `python`).
fn concurrency_for(name: &str, variant: &str) -> usize {
    if tvc_core::registry::one_at_a_time(&tvc_core::registry::label(name, variant)) {
        1
    } else {
        C
    }
}

fn run(name: &str, variant: &str, plan: &HttpPlan) -> Option<RunReport> {
    supported(name, variant, model(name).http(variant, plan))
}

/// [`run`], and for a model that has only the other keep-alive setting (the article's
/// `httpx.get` never keeps a connection, its `AsyncClient` always does), with that one.
fn run_either(name: &str, variant: &str, plan: &HttpPlan) -> Option<RunReport> {
    run(name, variant, plan).or_else(|| {
        let other = HttpPlan {
            keep_alive: !plan.keep_alive,
            ..plan.clone()
        };
        run(name, variant, &other)
    })
}

/// Wall time is bounded below by the waves of requests the model can have in flight, and
/// (with a little slack for start-up) above by the same count plus four delays.
fn timing(name: &str, variant: &str) {
    let _serial = timing_lock();
    let s = server();
    let Some(r) = run_either(
        name,
        variant,
        &plan(&s, N, concurrency_for(name, variant), true),
    ) else {
        return;
    };
    assert_eq!(r.ok, N, "{name}:{variant} errors: {:?}", r.errors);
    assert!(r.in_flight >= 1 && r.in_flight <= C);
    let waves = N.div_ceil(r.in_flight as u64);
    let floor = (waves * DELAY_MS) as f64;
    assert!(
        r.window.wall_ms >= floor,
        "{name}:{variant}: {} ms < {floor} ms",
        r.window.wall_ms
    );
    if concurrency_for(name, variant) == 1 {
        assert!(r.window.wall_ms >= (N * DELAY_MS) as f64);
    }
    if r.in_flight == C {
        assert!(
            r.window.wall_ms < (5 * DELAY_MS) as f64,
            "{name}:{variant} took {} ms with {C} in flight",
            r.window.wall_ms
        );
    }
    let l = r.latency.expect("latencies");
    assert_eq!(l.count, N);
    // The built-in server says what it served, so the harness's overhead is measured.
    let o = r
        .overhead
        .expect("overhead measured against the built-in server");
    assert_eq!(o.count, N);
    assert!(
        o.p50_ms < l.p50_ms,
        "{name}:{variant}: overhead {o:?} vs latency {l:?}"
    );
    assert!(r.server_error.expect("server timing error").count == N);
    assert!(l.p50_ms >= DELAY_MS as f64 && l.max_ms >= l.p99_ms && l.p99_ms >= l.p50_ms);
}

fn connections(name: &str, variant: &str) {
    let s = server();
    // A model may have only one of the two settings (the article's Python code): each
    // that it has is checked.
    let before = s.stats();
    if let Some(r) = run(
        name,
        variant,
        &plan(&s, N, concurrency_for(name, variant), false),
    ) {
        assert_eq!(r.ok, N, "{name}:{variant} errors: {:?}", r.errors);
        let opened = s.stats().connections - before.connections;
        assert_eq!(
            opened, N,
            "{name}:{variant}: keep-alive off must open one connection per request"
        );
    }

    let before = s.stats();
    let Some(r) = run(
        name,
        variant,
        &plan(&s, N, concurrency_for(name, variant), true),
    ) else {
        return;
    };
    assert_eq!(r.ok, N);
    let opened = s.stats().connections - before.connections;
    assert!(
        opened <= r.in_flight as u64,
        "{name}:{variant}: keep-alive on opened {opened} connections for {} in flight",
        r.in_flight
    );
}

/// The requests a `tvc serve` process has answered, from its stats path.
fn served_requests(url: &str) -> u64 {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(url.trim_start_matches("http://")) else {
        return 0;
    };
    let _ = write!(s, "GET /__tvc/stats HTTP/1.0\r\n\r\n");
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    text.split("\"requests\":")
        .nth(1)
        .and_then(|t| t.trim_end_matches('}').trim().parse().ok())
        .unwrap_or(0)
}

/// `tvc serve` as its own process, SIGKILLed once a few requests have been answered: every
/// request is still counted once, as a success or an error.
fn server_killed(name: &str, variant: &str) {
    let _serial = timing_lock();
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_tvc"));
    let s = tvc::server::ServerChild::start(exe, None).expect("start tvc serve");
    let n = 60;
    let p = HttpPlan {
        url: format!("{}/?delay_ms={DELAY_MS}", s.url),
        n,
        concurrency: concurrency_for(name, variant).min(4),
        keep_alive: true,
        request_timeout_ms: 5_000,
        rate: None,
        ca_file: None,
    };
    let killer = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        while served_requests(&s.url) < 5 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        drop(s); // SIGKILL, then reaped
    });
    let start = Instant::now();
    let r = run_either(name, variant, &p);
    killer.join().unwrap();
    let Some(r) = r else {
        return;
    };
    assert_eq!(
        r.ok + r.error_count(),
        n,
        "{name}:{variant}: every request is counted once"
    );
    assert!(
        r.ok > 0,
        "{name}:{variant}: some requests finished before the stop"
    );
    assert!(
        r.error_count() > 0,
        "{name}:{variant}: the stop must show as errors"
    );
    assert!(start.elapsed() < Duration::from_secs(20));
}

/// Injected faults end every request as an error of the right kind, none as a panic.
fn faults(name: &str, variant: &str) {
    let s = server();
    let cases: [(&str, &[&str]); 4] = [
        ("error_pct=100", &["status_5xx"]),
        ("reset_pct=100&bytes=5000", &["reset", "protocol", "io"]),
        ("hang_pct=100", &["timeout"]),
        // The headers come at once, the body too slowly for the 300 ms timeout.
        ("slow_body_ms=2000&bytes=100", &["timeout"]),
    ];
    for (query, kinds) in cases {
        let p = HttpPlan {
            url: format!("{}/?{query}", s.url()),
            n: 4,
            concurrency: concurrency_for(name, variant).min(2),
            keep_alive: true,
            request_timeout_ms: 300,
            rate: None,
            ca_file: None,
        };
        let Some(r) = run_either(name, variant, &p) else {
            return;
        };
        assert_eq!(r.ok, 0, "{name}:{variant} {query}");
        assert_eq!(
            r.error_count(),
            4,
            "{name}:{variant} {query}: {:?}",
            r.errors
        );
        for kind in r.errors.keys() {
            assert!(
                kinds.contains(&kind.as_str()),
                "{name}:{variant} {query}: {:?}",
                r.errors
            );
        }
    }
}

/// A slow body within the timeout is a success whose latency includes the whole body.
fn slow_body(name: &str, variant: &str) {
    let s = server();
    let p = HttpPlan {
        url: format!("{}/?slow_body_ms=200&bytes=1000", s.url()),
        ..plan(&s, 4, concurrency_for(name, variant).min(2), true)
    };
    let Some(r) = run_either(name, variant, &p) else {
        return;
    };
    assert_eq!(r.ok, 4, "{name}:{variant}: {:?}", r.errors);
    let l = r.latency.unwrap();
    assert!(l.p50_ms >= 200.0, "{name}:{variant}: {l:?}");
}

/// Open loop against a server that stalls: requests due during the stall go out late, so
/// latency from the due time (corrected) rises far above latency from the send
/// (uncorrected), which only the few requests in flight during the stall see.
fn open_loop_shows_coordinated_omission(name: &str, variant: &str) {
    let _serial = timing_lock();
    let s = server();
    let (n, rate, stall_ms) = (800, 400.0, 300);
    let p = HttpPlan {
        url: format!(
            "{}/?delay_ms=1&stall_ms={stall_ms}&stall_every=400",
            s.url()
        ),
        n,
        concurrency: concurrency_for(name, variant).min(4),
        keep_alive: true,
        request_timeout_ms: 5_000,
        rate: Some(rate),
        ca_file: None,
    };
    let Some(r) = run(name, variant, &p) else {
        return;
    };
    assert_eq!(r.ok, n, "{name}:{variant}: {:?}", r.errors);
    // The schedule paces the run: request n-1 is due (n-1)/rate after the first.
    assert!(
        r.window.wall_ms >= (n - 1) as f64 / rate * 1e3,
        "{}",
        r.window.wall_ms
    );
    assert_eq!(r.rate_per_s, Some(rate));
    let achieved = r.achieved_rate_per_s.expect("achieved rate");
    assert!(
        achieved > 0.5 * rate && achieved < 1.1 * rate,
        "{name}:{variant}: {achieved}/s"
    );
    let (c, u) = (r.latency.unwrap(), r.uncorrected.unwrap());
    assert!(
        c.p99_ms >= stall_ms as f64 / 2.0,
        "{name}:{variant}: corrected p99 {} ms should show the {stall_ms} ms stall",
        c.p99_ms
    );
    assert!(
        c.p99_ms >= 3.0 * u.p99_ms,
        "{name}:{variant}: corrected p99 {} ms vs uncorrected {} ms",
        c.p99_ms,
        u.p99_ms
    );
    assert!(
        u.max_ms >= stall_ms as f64 / 2.0,
        "the in-flight ones saw it"
    );
}

/// An https server with a fresh self-signed certificate, and that certificate in a file.
fn tls_server() -> (Server, tempfile::NamedTempFile) {
    let s = Server::start_tls("127.0.0.1:0".parse().unwrap()).expect("start the TLS server");
    let ca = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        ca.path(),
        s.cert_pem().expect("a TLS server has a certificate"),
    )
    .unwrap();
    (s, ca)
}

fn https_plan(url: String, ca_file: Option<&Path>, name: &str, variant: &str) -> HttpPlan {
    HttpPlan {
        url,
        n: N,
        concurrency: concurrency_for(name, variant),
        keep_alive: true,
        request_timeout_ms: 10_000,
        ca_file: ca_file.map(|p| p.to_str().unwrap().to_string()),
        rate: None,
    }
}

/// Trusting the server's certificate through the plan's CA file, every request succeeds,
/// with and without keep-alive (a handshake per request), and the server's timing headers
/// arrive through TLS.
fn https_ok(name: &str, variant: &str) {
    let (s, ca) = tls_server();
    for keep_alive in [true, false] {
        let url = format!("{}/?delay_ms=5", s.url());
        assert!(url.starts_with("https://"));
        let plan = HttpPlan {
            keep_alive,
            ..https_plan(url, Some(ca.path()), name, variant)
        };
        let before = s.stats();
        let Some(r) = run(name, variant, &plan) else {
            continue;
        };
        assert_eq!(
            r.ok, N,
            "{name}:{variant} keep-alive {keep_alive}: {:?}",
            r.errors
        );
        assert_eq!(s.stats().requests - before.requests, N);
        assert_eq!(r.overhead.expect("served headers over TLS").count, N);
    }
}

/// Without the CA file the self-signed certificate is refused, and a plain http server
/// does not speak TLS at all: both are counted as `tls` errors, never a panic or a hang.
fn https_refused(name: &str, variant: &str) {
    let (s, _ca) = tls_server();
    let plain = server();
    let cases = [
        (format!("{}/", s.url()), "an untrusted certificate"),
        (format!("https://{}/", plain.addr()), "a server without TLS"),
    ];
    for (url, why) in cases {
        let plan = HttpPlan {
            n: 4,
            concurrency: concurrency_for(name, variant).min(2),
            ..https_plan(url, None, name, variant)
        };
        let Some(r) = run_either(name, variant, &plan) else {
            return;
        };
        assert_eq!(r.ok, 0, "{name}:{variant} {why}");
        assert_eq!(
            r.errors.get("tls"),
            Some(&4),
            "{name}:{variant} {why}: {:?}",
            r.errors
        );
    }
    assert_eq!(
        s.stats().requests,
        0,
        "nothing was served to an untrusting client"
    );
}

/// A CA file that cannot be used is the user's mistake: the run is refused up front.
fn bad_ca_file(name: &str, variant: &str) {
    let (s, _ca) = tls_server();
    let plan = https_plan(
        format!("{}/", s.url()),
        Some(Path::new("/no/such/ca.pem")),
        name,
        variant,
    );
    match model(name).http(variant, &plan) {
        Err(ModelError::Plan(PlanError::CaFile { path, .. })) => {
            assert_eq!(path, "/no/such/ca.pem")
        }
        Err(ModelError::Unsupported(_)) => {}
        other => panic!("{name}:{variant}: {other:?}"),
    }
    assert_eq!(s.stats().connections, 0);
}

fn unknown_variant(name: &str, _variant: &str) {
    let s = server();
    let e = model(name).http("no-such-variant", &plan(&s, 1, 1, true));
    assert!(e.is_err());
}

/// A workload result, or `None` when the model says (with a reason) it cannot express it.
/// A peer that cannot run here fails the test, unless TVC_SKIP_PEERS=1 lets it say so and
/// check nothing.
fn supported<T>(name: &str, variant: &str, r: Result<T, ModelError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(ModelError::Unsupported(reason)) => {
            assert!(
                reason.len() > 20,
                "{name}:{variant} must say why: {reason:?}"
            );
            if [tvc_python::ENABLE, tvc_go::ENABLE, tvc_java::ENABLE]
                .iter()
                .any(|e| reason.contains(e))
            {
                let skip = tvc_peer::setup::SKIP_PEERS_VAR;
                assert!(
                    std::env::var(skip).is_ok_and(|v| v == "1"),
                    "{name}:{variant} cannot run here (set {skip}=1 to let it skip): {reason}"
                );
                println!("NOT RUN ({skip}=1) {name}:{variant}: {reason}");
            }
            None
        }
        Err(e) => panic!("{name}:{variant}: {e}"),
    }
}

/// The token makes exactly `hops` hand-overs a pass (it is incremented at each), around
/// the same ring for every pass, through a channel or through sockets; each timed pass is
/// timed, inside the window.
fn switches(name: &str, variant: &str) {
    for (units, medium) in [
        (2, Medium::Channel),
        (5, Medium::Channel),
        (2, Medium::Socket),
        (5, Medium::Socket),
    ] {
        let plan = SwitchPlan {
            units,
            hops: 2000,
            passes: 3,
            warmup_passes: 1,
            medium,
        };
        if let Some(r) = supported(name, variant, model(name).switch(variant, &plan)) {
            assert_eq!(
                r.check,
                Some(4 * 2000),
                "{name}:{variant} ring of {units} via {medium:?}"
            );
            assert_eq!(r.passes_ms.len(), 3, "{name}:{variant}");
            // Every unit of the ring forwarded its share; one after another has no ring.
            if concurrency_for(name, variant) > 1 {
                assert!(
                    tvc_core::work::ring_ok(units as u64, 2000, 4, &r.forwarded),
                    "{name}:{variant} ring of {units} via {medium:?}: {:?}",
                    r.forwarded
                );
            }
            let timed: f64 = r.passes_ms.iter().sum();
            assert!(r.passes_ms.iter().all(|ms| *ms > 0.0));
            assert!(r.window.wall_ms >= timed, "{:?} {timed}", r.window);
        }
    }
}

fn cpu_result_is_right(name: &str, variant: &str) {
    let plan = CpuPlan {
        n: 8,
        iters: 20_000,
    };
    if let Some(r) = supported(name, variant, model(name).cpu(variant, &plan)) {
        // A peer in a slower language may run fewer rounds a unit, and says how many.
        let rounds = r.rounds.unwrap_or(20_000);
        assert!(rounds > 0 && rounds <= 20_000, "{name}:{variant}: {rounds}");
        assert_eq!(r.check, Some(cpu_checksum(8, rounds)), "{name}:{variant}");
        assert!(
            r.window.wall_ms > 0.0 && r.workers >= 1,
            "{name}:{variant}: {r:?}"
        );
    }
}

/// With a lock the count is exact; without one, exact where every unit shares one thread,
/// and never above the true count anywhere. A counter the units did not share (one each)
/// would be exact too, so a model whose units are threads must say it ran one per unit.
fn counter_is_exact(name: &str, variant: &str) {
    let label = tvc_core::registry::label(name, variant);
    let one_thread = tvc_core::registry::lookup(&label)
        .1
        .is_some_and(|v| v.single_threaded);
    for lock in Lock::ALL {
        let plan = SharedPlan {
            units: 4,
            increments: 1000,
            lock,
        };
        if let Some(r) = supported(name, variant, model(name).shared_state(variant, &plan)) {
            let count = r.check.expect("a final count");
            if lock.is_none() && !one_thread {
                assert!(count > 0 && count <= 4000, "{label} lock {lock:?}: {count}");
            } else {
                assert_eq!(count, 4000, "{label} lock {lock:?}");
            }
            let per_unit = tvc_core::registry::lookup(&label)
                .1
                .is_some_and(|v| v.thread_per_request);
            if per_unit {
                assert!(r.workers >= 4, "{label}: {} threads for 4 units", r.workers);
            }
        }
    }
}

/// N units are alive at once when the memory is read: each checked in, the threads (for a
/// model with a thread per unit) are there, and the process grew.
fn parks(name: &str, variant: &str) {
    let label = tvc_core::registry::label(name, variant);
    let n = 200;
    let Some(r) = supported(name, variant, model(name).park(variant, &ParkPlan { n })) else {
        return;
    };
    let f = r.park.unwrap_or_else(|| panic!("{label}: no park figures"));
    assert_eq!(f.n, n, "{label}");
    assert!(
        f.first_run_ms <= f.all_started_ms && f.all_started_ms <= f.spawn_ms,
        "{label}: {f:?}"
    );
    assert!(
        f.parked_rss_kib > 0 && f.baseline_rss_kib > 0,
        "{label}: {f:?}"
    );
    let per_unit = tvc_core::registry::lookup(&label)
        .1
        .is_some_and(|v| v.thread_per_request);
    if per_unit {
        assert!(
            f.parked_threads > n,
            "{label}: {} threads parked",
            f.parked_threads
        );
        assert!(f.parked_rss_kib > f.baseline_rss_kib, "{label}: {f:?}");
    }
}

fn blocking_completes(name: &str, variant: &str) {
    let s = server();
    for mode in [CpuMode::None, CpuMode::Inline, CpuMode::Offload] {
        let plan = BlockingPlan {
            http: plan(&s, 10, 5, true),
            cpu_tasks: 4,
            iters: 10_000,
            mode,
        };
        if let Some(r) = supported(name, variant, model(name).blocking(variant, &plan)) {
            assert_eq!(r.ok, 10, "{name}:{variant} {mode:?}: {:?}", r.errors);
        }
    }
}

/// Which model variants can express each workload; a model that starts or stops
/// supporting one must change this table on purpose.
#[test]
fn the_support_matrix_is_as_documented() {
    let mut park_ok = Vec::new();
    let mut lock_free = Vec::new();
    let mut no_http = Vec::new();
    let unreachable = HttpPlan {
        url: "http://127.0.0.1:9/".into(),
        n: 0,
        concurrency: 1,
        keep_alive: true,
        request_timeout_ms: 100,
        rate: None,
        ca_file: None,
    };
    // A peer's support depends on the machine (its interpreter) as well: tests/python.rs
    // checks it.
    let rust = tvc::models::all()
        .into_iter()
        .filter(|m| m.info().language == tvc_core::Language::Rust);
    for m in rust {
        for v in m.variants() {
            let spec = format!("{}:{}", m.name(), v.name);
            if matches!(
                m.http(v.name, &unreachable),
                Err(ModelError::Unsupported(_))
            ) {
                no_http.push(spec.clone());
            }
            if m.park(v.name, &ParkPlan { n: 1 }).is_ok() {
                park_ok.push(spec.clone());
            }
            let plan = SharedPlan {
                units: 2,
                increments: 10,
                lock: Lock::None,
            };
            if m.shared_state(v.name, &plan).is_ok() {
                lock_free.push(spec);
            }
        }
    }
    assert_eq!(
        park_ok,
        [
            "threads:default",
            "threads:stack=64k",
            "rayon:default",
            "rayon:pool=c",
            "tokio:default",
            "tokio:current-thread",
            "async-std:default",
            "smol:default",
            "may:default",
            "may:stack=16k"
        ]
    );
    assert_eq!(
        lock_free,
        ["sequential:default", "tokio:current-thread", "smol:local"],
        "a counter without a lock only exists on one thread"
    );
    assert_eq!(no_http, ["smol:local"]);
}

macro_rules! model_tests {
    ($($module:ident => ($name:literal, $variant:literal),)*) => {
        $(mod $module {
            #[test] fn timing() { super::timing($name, $variant) }
            #[test] fn keep_alive_off_opens_one_connection_per_request() { super::connections($name, $variant) }
            #[test] fn errors_are_counted_when_the_server_is_killed() { super::server_killed($name, $variant) }
            #[test] fn slow_bodies_are_waited_for() { super::slow_body($name, $variant) }
            #[test] fn open_loop_shows_coordinated_omission() { super::open_loop_shows_coordinated_omission($name, $variant) }
            #[test] fn unknown_variants_are_refused() { super::unknown_variant($name, $variant) }
            #[test] fn injected_faults_are_counted_by_kind() { super::faults($name, $variant) }
            #[test] fn https_with_the_ca_file_gets_every_request_ok() { super::https_ok($name, $variant) }
            #[test] fn https_refusals_are_counted_as_tls_errors() { super::https_refused($name, $variant) }
            #[test] fn an_unusable_ca_file_is_refused_up_front() { super::bad_ca_file($name, $variant) }
            #[test] fn switches_take_time() { super::switches($name, $variant) }
            #[test] fn cpu_result_is_right() { super::cpu_result_is_right($name, $variant) }
            #[test] fn shared_counter_is_exact() { super::counter_is_exact($name, $variant) }
            #[test] fn io_beside_cpu_work_completes() { super::blocking_completes($name, $variant) }
            #[test] fn parks_every_unit_at_once() { super::parks($name, $variant) }
        })*

        #[test]
        fn the_table_covers_every_model() {
            let listed: Vec<(&str, &str)> = vec![$(($name, $variant)),*];
            for m in tvc::models::all() {
                for v in m.variants() {
                    assert!(listed.contains(&(m.name(), v.name)), "add {}:{} to model_tests!", m.name(), v.name);
                }
            }
        }
    };
}

model_tests! {
    sequential => ("sequential", "default"),
    sequential_hyper => ("sequential", "hyper"),
    threads => ("threads", "default"),
    threads_stack_64k => ("threads", "stack=64k"),
    threads_hyper => ("threads", "hyper"),
    threads_http1 => ("threads", "http1"),
    rayon => ("rayon", "default"),
    rayon_pool_c => ("rayon", "pool=c"),
    tokio => ("tokio", "default"),
    tokio_reqwest => ("tokio", "reqwest"),
    tokio_current_thread => ("tokio", "current-thread"),
    async_std => ("async-std", "default"),
    smol => ("smol", "default"),
    smol_local => ("smol", "local"),
    may => ("may", "default"),
    may_stack_16k => ("may", "stack=16k"),
    python => ("python", "default"),
    python_threads => ("python", "threads"),
    python_asyncio => ("python", "asyncio"),
    python_uvloop => ("python", "uvloop"),
    python_processes => ("python", "processes"),
    go => ("go", "default"),
    go_gomaxprocs_1 => ("go", "gomaxprocs=1"),
    go_lockosthread => ("go", "lockosthread"),
    go_sequential => ("go", "sequential"),
    java => ("java", "default"),
    java_virtual => ("java", "virtual"),
    java_sequential => ("java", "sequential"),
    python_httpx_async => ("python", "httpx-async"),
    python_httpx_async_pool200 => ("python", "httpx-async-pool200"),
    python_httpx_async_unlimited => ("python", "httpx-async-unlimited"),
}
