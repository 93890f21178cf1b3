//! C coroutines, each with its own connection over may's TCP stream, making blocking-style
//! requests until the work runs out.

use crate::{MayNet, Rt};
use may::coroutine::JoinHandle;
use std::sync::Arc;
use std::time::Instant;
use tvc_client::{Endpoint, Http1Client};
use tvc_core::{Clock, HttpPlan, HttpRun, Knob, ModelError, RunReport};

/// The least stack an https unit is given: a rustls handshake was measured at about 19 KiB
/// of coroutine stack; past the stack a coroutine aborts the process.
const HTTPS_STACK: usize = 24 * 1024;

pub(crate) fn run(rt: &Rt, plan: &HttpPlan) -> Result<RunReport, ModelError> {
    let run = Arc::new(HttpRun::new(plan));
    let target = endpoint(rt, plan)?;
    let clock = Clock::start();
    for unit in spawn_units(rt, &run, &target, plan)? {
        unit.join().map_err(ModelError::from_panic)?;
    }
    let window = clock.stop();
    Ok(run.report(window, plan.concurrency.max(1), rt.workers(), knobs(rt)))
}

pub(crate) fn knobs(rt: &Rt) -> Vec<Knob> {
    let mut knobs = vec![Knob::new("client", "tvc-http1")];
    knobs.extend(rt.knobs());
    knobs
}

/// The target, once it is known to fit this variant's coroutine stack.
pub(crate) fn endpoint(rt: &Rt, plan: &HttpPlan) -> Result<Arc<Endpoint>, ModelError> {
    let target = Endpoint::of(plan)?;
    if target.tls.is_some() && rt.stack < HTTPS_STACK {
        return Err(ModelError::Unsupported(format!(
            "https does not fit a {} KiB coroutine stack: a rustls handshake was measured at \
             about 19 KiB, and a coroutine that outgrows its stack aborts the process",
            rt.stack / 1024
        )));
    }
    Ok(target)
}

/// Spawns the C request units on may's scheduler.
pub(crate) fn spawn_units(
    rt: &Rt,
    run: &Arc<HttpRun>,
    target: &Arc<Endpoint>,
    plan: &HttpPlan,
) -> Result<Vec<JoinHandle<()>>, ModelError> {
    let units = plan.concurrency.max(1);
    let mut handles = Vec::with_capacity(units);
    for i in 0..units {
        let run = run.clone();
        let mut client = Http1Client::<MayNet>::new(target.clone(), plan);
        handles.push(rt.spawn(i as u64, units as u64, move || {
            while let Some(due) = run.claim() {
                if let Some(wait) = due.wait() {
                    may::coroutine::sleep(wait);
                }
                let sent = Instant::now();
                let result = client.get();
                run.record(i, due, sent, result);
            }
        })?);
    }
    Ok(handles)
}
