//! One thread per unit of CPU work; the kernel spreads them over the cores.

use crate::Rt;
use std::time::Instant;
use tvc_core::work::cpu_unit;
use tvc_core::{CpuPlan, ModelError, Report};

pub(crate) fn run(rt: &Rt, plan: &CpuPlan) -> Result<Report, ModelError> {
    let iters = plan.iters;
    let start = Instant::now();
    let mut handles = Vec::with_capacity(plan.n as usize);
    for i in 0..plan.n {
        let unit = rt.thread().spawn(move || cpu_unit(i, iters));
        handles.push(unit.map_err(|e| crate::spawn_failed(i, plan.n, e))?);
    }
    let mut check = 0;
    for h in handles {
        check ^= h.join().map_err(ModelError::from_panic)?;
    }
    let wall = start.elapsed();
    Ok(Report {
        wall_ms: wall.as_secs_f64() * 1e3,
        workers: plan.n as usize,
        knobs: rt.knobs(),
        check: Some(check),
        park: None,
    })
}
