//! One blocking request after another, on the calling thread, until the work runs out.

use crate::Rt;
use std::time::Instant;
use tvc_client::Clients;
use tvc_core::{Clock, HttpPlan, HttpRun, Knob, ModelError, RunReport};

pub(crate) fn run(rt: &Rt, plan: &HttpPlan) -> Result<RunReport, ModelError> {
    let clients = Clients::new(plan, rt.client)?;
    let run = HttpRun::new(plan);

    let clock = Clock::start();
    let mut client = clients.unit();
    while let Some(due) = run.claim() {
        if let Some(wait) = due.wait() {
            std::thread::sleep(wait);
        }
        let sent = Instant::now();
        let result = client.get();
        run.record(0, due, sent, result);
    }
    let window = clock.stop();

    let mut knobs = vec![Knob::new("client", rt.client.name())];
    knobs.extend(rt.knobs());
    Ok(run.report(window, 1, rt.workers(), knobs))
}
