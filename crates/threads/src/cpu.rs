//! One thread per unit of CPU work; the kernel spreads them over the cores.

use crate::Rt;
use tvc_core::work::cpu_unit;
use tvc_core::{Clock, CpuPlan, ModelError, Report};

pub(crate) fn run(rt: &Rt, plan: &CpuPlan) -> Result<Report, ModelError> {
    let iters = plan.iters;
    let clock = Clock::start();
    let mut handles = Vec::with_capacity(plan.n as usize);
    for i in 0..plan.n {
        let unit = rt.thread().spawn(move || cpu_unit(i, iters));
        handles.push(unit.map_err(|e| crate::spawn_failed(i, plan.n, e))?);
    }
    clock.started();
    let mut check = 0;
    for h in handles {
        check ^= h.join().map_err(ModelError::from_panic)?;
    }
    let window = clock.stop();
    Ok(Report {
        window,
        workers: plan.n as usize,
        knobs: rt.knobs(),
        check: Some(check),
        park: None,
        ..Report::default()
    })
}
