//! C threads, each making blocking requests until the work runs out.

use crate::Rt;
use std::time::Instant;
use tvc_client::BlockingClient;
use tvc_core::{Clock, HttpPlan, HttpRun, Knob, ModelError, RunReport};

pub(crate) fn run(rt: &Rt, plan: &HttpPlan) -> Result<RunReport, ModelError> {
    let client = BlockingClient::new(plan)?;
    let run = HttpRun::new(plan);
    let units = plan.concurrency.max(1);

    let clock = Clock::start();
    std::thread::scope(|s| {
        let mut handles = Vec::with_capacity(units);
        for i in 0..units {
            let (run, client) = (&run, &client);
            let unit = rt
                .thread()
                .spawn_scoped(s, move || {
                    while let Some(due) = run.claim() {
                        if let Some(wait) = due.wait() {
                            std::thread::sleep(wait);
                        }
                        let sent = Instant::now();
                        let result = client.get();
                        run.record(i, due, sent, result);
                    }
                })
                .map_err(|e| crate::spawn_failed(i as u64, units as u64, e))?;
            handles.push(unit);
        }
        for h in handles {
            h.join().map_err(ModelError::from_panic)?;
        }
        Ok::<_, ModelError>(())
    })?;
    let window = clock.stop();

    let mut knobs = vec![Knob::new("client", "ureq")];
    knobs.extend(rt.knobs());
    Ok(run.report(window, units, units, knobs))
}
