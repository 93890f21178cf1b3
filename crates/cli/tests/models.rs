//! Every model, every variant, against the real built-in server on an ephemeral port.
//! One macro line per model variant generates the whole set of tests for it, and
//! `the_table_covers_every_model` fails if a model or variant is missing from the table.

use std::time::{Duration, Instant};
use tvc_core::{HttpPlan, Model, RunReport};
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
    }
}

fn model(name: &str) -> &'static dyn Model {
    tvc::models::find(name).expect("known model")
}

/// The concurrency a model is asked for (sequential ignores it, as the orchestrator does).
fn concurrency_for(name: &str) -> usize {
    if name == "sequential" {
        1
    } else {
        C
    }
}

fn run(name: &str, variant: &str, plan: &HttpPlan) -> RunReport {
    model(name).http(variant, plan).expect("the model runs")
}

/// Wall time is bounded below by the waves of requests the model can have in flight, and
/// (with a little slack for start-up) above by the same count plus four delays.
fn timing(name: &str, variant: &str) {
    let s = server();
    let r = run(name, variant, &plan(&s, N, concurrency_for(name), true));
    assert_eq!(r.ok, N, "{name}:{variant} errors: {:?}", r.errors);
    assert!(r.in_flight >= 1 && r.in_flight <= C);
    let waves = N.div_ceil(r.in_flight as u64);
    let floor = (waves * DELAY_MS) as f64;
    assert!(
        r.wall_ms >= floor,
        "{name}:{variant}: {} ms < {floor} ms",
        r.wall_ms
    );
    if name == "sequential" {
        assert!(r.wall_ms >= (N * DELAY_MS) as f64);
    }
    if r.in_flight == C {
        assert!(
            r.wall_ms < (5 * DELAY_MS) as f64,
            "{name}:{variant} took {} ms with {C} in flight",
            r.wall_ms
        );
    }
    let l = r.latency.expect("latencies");
    assert_eq!(l.count, N);
    assert!(l.p50_ms >= DELAY_MS as f64 && l.max_ms >= l.p99_ms && l.p99_ms >= l.p50_ms);
}

fn connections(name: &str, variant: &str) {
    let s = server();
    let before = s.stats();
    let r = run(name, variant, &plan(&s, N, concurrency_for(name), false));
    assert_eq!(r.ok, N, "{name}:{variant} errors: {:?}", r.errors);
    let opened = s.stats().connections - before.connections;
    assert_eq!(
        opened, N,
        "{name}:{variant}: keep-alive off must open one connection per request"
    );

    let before = s.stats();
    let r = run(name, variant, &plan(&s, N, concurrency_for(name), true));
    assert_eq!(r.ok, N);
    let opened = s.stats().connections - before.connections;
    assert!(
        opened <= r.in_flight as u64,
        "{name}:{variant}: keep-alive on opened {opened} connections for {} in flight",
        r.in_flight
    );
}

fn server_dies(name: &str, variant: &str) {
    let s = server();
    let n = 60;
    let p = plan(&s, n, concurrency_for(name).min(4), true);
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        s.stop();
    });
    let start = Instant::now();
    let r = run(name, variant, &p);
    stopper.join().unwrap();
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

fn unknown_variant(name: &str, _variant: &str) {
    let s = server();
    let e = model(name).http("no-such-variant", &plan(&s, 1, 1, true));
    assert!(e.is_err());
}

macro_rules! model_tests {
    ($($module:ident => ($name:literal, $variant:literal),)*) => {
        $(mod $module {
            #[test] fn timing() { super::timing($name, $variant) }
            #[test] fn keep_alive_off_opens_one_connection_per_request() { super::connections($name, $variant) }
            #[test] fn errors_are_counted_when_the_server_stops() { super::server_dies($name, $variant) }
            #[test] fn unknown_variants_are_refused() { super::unknown_variant($name, $variant) }
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
    threads => ("threads", "default"),
    rayon => ("rayon", "default"),
    rayon_pool_c => ("rayon", "pool=c"),
    tokio => ("tokio", "default"),
    tokio_reqwest => ("tokio", "reqwest"),
    async_std => ("async-std", "default"),
    smol => ("smol", "default"),
}
