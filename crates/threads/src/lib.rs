//! `threads`: C OS threads from `std::thread`, each making blocking requests until the work
//! runs out. One thread per request in flight, with the default stack.

use std::time::Instant;
use tvc_client::BlockingClient;
use tvc_core::{HttpPlan, HttpRun, Knob, Model, ModelError, RunReport, Variant};

pub struct Threads;

const VARIANTS: &[Variant] = &[Variant {
    name: "default",
    about: "C threads with Rust's default 2 MiB stack, one shared ureq agent",
}];

/// Rust's default for spawned threads (unless RUST_MIN_STACK says otherwise).
const DEFAULT_STACK_KIB: usize = 2048;

impl Model for Threads {
    fn name(&self) -> &'static str {
        "threads"
    }

    fn about(&self) -> &'static str {
        "std::thread OS threads"
    }

    fn variants(&self) -> &'static [Variant] {
        VARIANTS
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        ModelError::check_variant(self, variant)?;
        let client = BlockingClient::new(plan);
        let run = HttpRun::new(plan.n);
        let units = plan.concurrency.max(1);

        let start = Instant::now();
        std::thread::scope(|s| {
            let mut handles = Vec::with_capacity(units);
            for i in 0..units {
                let (run, client) = (&run, &client);
                let unit = std::thread::Builder::new()
                    .name(format!("tvc-unit-{i}"))
                    .spawn_scoped(s, move || {
                        while run.claim() {
                            let t = Instant::now();
                            let result = client.get();
                            run.record(i, t.elapsed(), result);
                        }
                    })
                    .map_err(ModelError::Start)?;
                handles.push(unit);
            }
            for h in handles {
                h.join().map_err(ModelError::from_panic)?;
            }
            Ok::<_, ModelError>(())
        })?;
        let wall = start.elapsed();

        let knobs = vec![
            Knob::new("client", "ureq"),
            Knob::new("stack_kib", DEFAULT_STACK_KIB),
        ];
        Ok(run.report(wall, units, units, knobs))
    }
}
