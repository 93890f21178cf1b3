//! `rayon`: the requests as a parallel iterator on rayon's work-stealing pool. By default
//! the pool has one thread per core, which is right for CPU work and wrong for I/O: at most
//! `pool size` requests are in flight. The `pool=c` variant sizes the pool to the concurrency.

use rayon::prelude::*;
use std::time::Instant;
use tvc_client::BlockingClient;
use tvc_core::{HttpPlan, HttpRun, Knob, Model, ModelError, RunReport, Variant};

pub struct Rayon;

const VARIANTS: &[Variant] = &[
    Variant {
        name: "default",
        about: "rayon's default pool (one thread per core)",
    },
    Variant {
        name: "pool=c",
        about: "a pool with as many threads as the concurrency",
    },
];

impl Model for Rayon {
    fn name(&self) -> &'static str {
        "rayon"
    }

    fn about(&self) -> &'static str {
        "the rayon work-stealing pool"
    }

    fn variants(&self) -> &'static [Variant] {
        VARIANTS
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        let variant = ModelError::check_variant(self, variant)?;
        let mut builder = rayon::ThreadPoolBuilder::new();
        if variant == "pool=c" {
            builder = builder.num_threads(plan.concurrency.max(1));
        }
        let pool = builder
            .build()
            .map_err(|e| ModelError::Start(std::io::Error::other(e)))?;
        let workers = pool.current_num_threads();
        let client = BlockingClient::new(plan);
        let run = HttpRun::new(plan.n);

        let start = Instant::now();
        pool.install(|| {
            (0..plan.n).into_par_iter().for_each(|_| {
                let t = Instant::now();
                let result = client.get();
                let unit = rayon::current_thread_index().unwrap_or(0);
                run.record(unit, t.elapsed(), result);
            })
        });
        let wall = start.elapsed();

        let knobs = vec![Knob::new("client", "ureq"), Knob::new("pool_size", workers)];
        Ok(run.report(wall, workers, workers, knobs))
    }
}
