//! One coroutine per unit of CPU work, spawned on may's scheduler like any other.

use crate::Rt;
use tvc_core::work::cpu_unit;
use tvc_core::{Clock, CpuPlan, ModelError, Report};

pub(crate) fn run(rt: &Rt, plan: &CpuPlan) -> Result<Report, ModelError> {
    let iters = plan.iters;
    let clock = Clock::start();
    let mut handles = Vec::with_capacity(plan.n as usize);
    for i in 0..plan.n {
        handles.push(rt.spawn(i, plan.n, move || cpu_unit(i, iters))?);
    }
    let mut check = 0;
    for h in handles {
        check ^= h.join().map_err(ModelError::from_panic)?;
    }
    let window = clock.stop();
    Ok(Report {
        window,
        workers: rt.workers(),
        knobs: rt.knobs(),
        check: Some(check),
        park: None,
        ..Report::default()
    })
}
