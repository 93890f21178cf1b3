//! Every unit of CPU work one after another on the calling thread: the speedup baseline.

use crate::Rt;
use tvc_core::work::cpu_unit;
use tvc_core::{Clock, CpuPlan, ModelError, Report};

pub(crate) fn run(rt: &Rt, plan: &CpuPlan) -> Result<Report, ModelError> {
    let clock = Clock::start();
    let check = (0..plan.n).fold(0, |acc, i| acc ^ cpu_unit(i, plan.iters));
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
