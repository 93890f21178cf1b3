//! Every unit of CPU work one after another on the calling thread: the speedup baseline.

use crate::Rt;
use std::time::Instant;
use tvc_core::work::cpu_unit;
use tvc_core::{CpuPlan, ModelError, Report};

pub(crate) fn run(rt: &Rt, plan: &CpuPlan) -> Result<Report, ModelError> {
    let start = Instant::now();
    let check = (0..plan.n).fold(0, |acc, i| acc ^ cpu_unit(i, plan.iters));
    let wall = start.elapsed();
    Ok(Report {
        wall_ms: wall.as_secs_f64() * 1e3,
        workers: rt.workers(),
        knobs: rt.knobs(),
        check: Some(check),
        park: None,
    })
}
