//! One task per unit of CPU work, spawned on the runtime as an ordinary task.

use crate::Rt;
use std::time::Instant;
use tvc_core::work::cpu_unit;
use tvc_core::{CpuPlan, ModelError, Report};

pub(crate) fn run(rt: &Rt, plan: &CpuPlan) -> Result<Report, ModelError> {
    let iters = plan.iters;
    let start = Instant::now();
    let check = rt.block_on(async {
        let handles: Vec<_> = (0..plan.n)
            .map(|i| smol::spawn(async move { cpu_unit(i, iters) }))
            .collect();
        let mut check = 0;
        for h in handles {
            check ^= h.await;
        }
        check
    });
    Ok(Report {
        wall_ms: start.elapsed().as_secs_f64() * 1e3,
        workers: rt.workers(),
        knobs: rt.knobs(),
        check: Some(check),
        park: None,
    })
}
