//! The requests as a parallel iterator on the pool: each pool thread makes blocking requests
//! until the work runs out, so at most `pool size` are in flight.

use crate::Rt;
use rayon::prelude::*;
use std::time::Instant;
use tvc_client::BlockingClient;
use tvc_core::{Clock, HttpPlan, HttpRun, Knob, ModelError, RunReport};

pub(crate) fn run(rt: &Rt, plan: &HttpPlan) -> Result<RunReport, ModelError> {
    let pool = rt.pool(plan.concurrency)?;
    let workers = pool.current_num_threads();
    let client = BlockingClient::new(plan)?;
    let run = HttpRun::new(plan);

    let clock = Clock::start();
    pool.install(|| {
        (0..plan.n).into_par_iter().for_each(|_| {
            let Some(due) = run.claim() else { return };
            if let Some(wait) = due.wait() {
                std::thread::sleep(wait);
            }
            let sent = Instant::now();
            let result = client.get();
            let unit = rayon::current_thread_index().unwrap_or(0);
            run.record(unit, due, sent, result);
        })
    });
    let window = clock.stop();

    let mut knobs = vec![Knob::new("client", "ureq")];
    knobs.extend(rt.knobs(&pool));
    Ok(run.report(window, workers, workers, knobs))
}
