//! `cargo bench --bench round_trip`: one GET round trip on a kept-alive connection, per model
//! variant, against the built-in server on loopback with no delay. Each sample runs the
//! model's own http workload for `iters` requests with one unit in flight and reports its
//! measured wall time, so runtime start-up and the first connect are spread over many
//! requests and what remains is the per-request cost of client, runtime and server.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::time::Duration;
use tvc_core::HttpPlan;
use tvc_mock_server::Server;

fn round_trip(c: &mut Criterion) {
    let server = Server::start("127.0.0.1:0".parse().expect("a socket address"))
        .expect("start the mock server");
    let mut g = c.benchmark_group("round_trip");
    g.throughput(Throughput::Elements(1));
    for model in tvc::models::all() {
        for variant in model.variants() {
            let plan = |n: u64| HttpPlan {
                url: format!("{}/", server.url()),
                n,
                concurrency: 1,
                keep_alive: true,
                request_timeout_ms: 5_000,
                rate: None,
                ca_file: None,
            };
            // Variants that cannot make requests (smol:local) say so; skip them.
            if model.http(variant.name, &plan(1)).is_err() {
                continue;
            }
            g.bench_function(format!("{}:{}", model.name(), variant.name), |b| {
                b.iter_custom(|iters| match model.http(variant.name, &plan(iters)) {
                    Ok(r) if r.error_count() == 0 => {
                        Duration::from_secs_f64(r.window.wall_ms / 1e3)
                    }
                    Ok(r) => panic!("{}: errors {:?}", model.name(), r.errors),
                    Err(e) => panic!("{}: {e}", model.name()),
                })
            });
        }
    }
    g.finish();
    server.stop();
}

criterion_group!(benches, round_trip);
criterion_main!(benches);
