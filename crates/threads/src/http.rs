//! C threads, each making blocking requests until the work runs out.

use crate::Rt;
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Instant;
use tvc_client::Clients;
use tvc_core::{Clock, HttpPlan, HttpRun, Knob, ModelError, RunReport};

pub(crate) fn run(rt: &Rt, plan: &HttpPlan) -> Result<RunReport, ModelError> {
    let clients = Clients::new(plan, rt.client)?;
    let run = HttpRun::new(plan);
    let units = plan.concurrency.max(1);

    let clock = Clock::start();
    std::thread::scope(|s| {
        let handles = spawn_units(s, rt, &run, &clients, units)?;
        clock.started();
        for h in handles {
            h.join().map_err(ModelError::from_panic)?;
        }
        Ok::<_, ModelError>(())
    })?;
    let window = clock.stop();

    Ok(run.report(window, units, units, knobs(rt)))
}

pub(crate) fn knobs(rt: &Rt) -> Vec<Knob> {
    let mut knobs = vec![Knob::new("client", rt.client.name())];
    knobs.extend(rt.knobs());
    knobs
}

/// Spawns the C request threads, each with its own unit of the client.
pub(crate) fn spawn_units<'scope>(
    s: &'scope Scope<'scope, '_>,
    rt: &Rt,
    run: &'scope HttpRun,
    clients: &'scope Clients,
    units: usize,
) -> Result<Vec<ScopedJoinHandle<'scope, ()>>, ModelError> {
    let mut handles = Vec::with_capacity(units);
    for i in 0..units {
        let unit = rt
            .thread()
            .spawn_scoped(s, move || {
                let mut client = clients.unit();
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
    Ok(handles)
}
