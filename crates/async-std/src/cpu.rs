//! One task per unit of CPU work, spawned on the runtime as an ordinary task.

use crate::Rt;
use tvc_core::work::cpu_unit;
use tvc_core::{Clock, CpuPlan, ModelError, Report};

pub(crate) fn run(rt: &Rt, plan: &CpuPlan) -> Result<Report, ModelError> {
    let iters = plan.iters;
    let clock = Clock::start();
    let check = rt.block_on(async {
        let handles: Vec<_> = (0..plan.n)
            .map(|i| async_std::task::spawn(async move { cpu_unit(i, iters) }))
            .collect();
        let mut check = 0;
        for h in handles {
            check ^= h.await;
        }
        check
    });
    Ok(Report {
        window: clock.stop(),
        workers: rt.workers(),
        knobs: rt.knobs(),
        check: Some(check),
        park: None,
        ..Report::default()
    })
}
