//! C tasks, each with its own hyper connection, making requests until the work runs out.

use crate::{Rt, TokioNet};
use std::sync::Arc;
use std::time::Instant;
use tokio::task::JoinHandle;
use tvc_client::{Endpoint, HyperClient};
use tvc_core::{Clock, HttpPlan, HttpRun, Knob, ModelError, RunReport};

pub(crate) fn run(rt: &Rt, plan: &HttpPlan) -> Result<RunReport, ModelError> {
    let run = Arc::new(HttpRun::new(plan));
    let target = Endpoint::of(plan)?;
    let clock = Clock::start();
    rt.block_on(async {
        for unit in spawn_units(&run, &target, plan)? {
            unit.await
                .map_err(|e| ModelError::Panicked(e.to_string()))?;
        }
        Ok::<_, ModelError>(())
    })?;
    let window = clock.stop();
    Ok(run.report(window, plan.concurrency.max(1), rt.workers(), knobs(rt)))
}

pub(crate) fn knobs(rt: &Rt) -> Vec<Knob> {
    let mut knobs = vec![Knob::new("client", "hyper")];
    knobs.extend(rt.knobs());
    knobs
}

/// Spawns the C request units on the current runtime.
pub(crate) fn spawn_units(
    run: &Arc<HttpRun>,
    target: &Arc<Endpoint>,
    plan: &HttpPlan,
) -> Result<Vec<JoinHandle<()>>, ModelError> {
    let units = plan.concurrency.max(1);
    let mut handles = Vec::with_capacity(units);
    for i in 0..units {
        let run = run.clone();
        let mut client = HyperClient::<TokioNet>::new(target.clone(), plan);
        handles.push(tokio::spawn(async move {
            while let Some(due) = run.claim() {
                if let Some(wait) = due.wait() {
                    tokio::time::sleep(wait).await;
                }
                let sent = Instant::now();
                let result = client.get().await;
                run.record(i, due, sent, result);
            }
        }));
    }
    Ok(handles)
}
