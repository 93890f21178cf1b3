//! `cargo bench --bench record`: the cost the harness adds to every request on its hot path,
//! claiming the next request and recording its latency into the sharded histograms, alone
//! and with every core doing the same at once.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::time::Instant;
use tvc_core::{HttpPlan, HttpRun, Served};

fn plan(rate: Option<f64>) -> HttpPlan {
    HttpPlan {
        url: String::new(),
        n: u64::MAX,
        concurrency: 1,
        keep_alive: true,
        request_timeout_ms: 1,
        rate,
        ca_file: None,
    }
}

fn record(c: &mut Criterion) {
    let served = Served {
        served: Some(std::time::Duration::from_micros(80)),
        asked: Some(std::time::Duration::from_micros(78)),
    };
    let mut g = c.benchmark_group("claim_and_record");
    g.throughput(Throughput::Elements(1));
    for (name, rate) in [("closed_loop", None), ("open_loop", Some(1e12))] {
        let run = HttpRun::new(&plan(rate));
        g.bench_function(name, |b| {
            b.iter(|| {
                let due = run.claim().expect("n is unbounded");
                run.record(0, due, Instant::now(), Ok(served));
            })
        });
    }
    // Every core claiming and recording at once, on different shards as units do.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let run = HttpRun::new(&plan(None));
    g.throughput(Throughput::Elements(threads as u64));
    g.bench_function(format!("contended_{threads}_threads"), |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            std::thread::scope(|s| {
                for unit in 0..threads {
                    let run = &run;
                    s.spawn(move || {
                        for _ in 0..iters {
                            let due = run.claim().expect("n is unbounded");
                            run.record(unit, due, Instant::now(), Ok(served));
                        }
                    });
                }
            });
            start.elapsed()
        })
    });
    g.finish();
}

criterion_group!(benches, record);
criterion_main!(benches);
