//! The http units while CPU-bound tasks run (spawned right after the requests are), so the
//! CPU work lands while requests are in flight: on the same runtime as ordinary tasks
//! (`inline`, the classic mistake), or handed to `spawn_blocking` (`offload`).

use crate::Rt;
use std::sync::Arc;
use tvc_client::Endpoint;
use tvc_core::work::cpu_unit;
use tvc_core::{BlockingPlan, Clock, CpuMode, HttpRun, Knob, ModelError, RunReport};

pub(crate) fn run(rt: &Rt, plan: &BlockingPlan) -> Result<RunReport, ModelError> {
    let run = Arc::new(HttpRun::new(&plan.http));
    let iters = plan.iters;
    let target = Endpoint::of(&plan.http)?;
    let clock = Clock::start();
    let window = rt.block_on(async {
        let io = crate::http::spawn_units(&run, &target, &plan.http)?;
        let cpu: Vec<_> = match plan.mode {
            CpuMode::None => Vec::new(),
            CpuMode::Inline => (0..plan.cpu_tasks)
                .map(|i| tokio::spawn(async move { cpu_unit(i, iters) }))
                .collect(),
            CpuMode::Offload => (0..plan.cpu_tasks)
                .map(|i| tokio::task::spawn_blocking(move || cpu_unit(i, iters)))
                .collect(),
        };
        for unit in io {
            unit.await
                .map_err(|e| ModelError::Panicked(e.to_string()))?;
        }
        let window = clock.stop();
        for task in cpu {
            task.await
                .map_err(|e| ModelError::Panicked(e.to_string()))?;
        }
        Ok::<_, ModelError>(window)
    })?;
    let mut knobs = crate::http::knobs(rt);
    if plan.mode == CpuMode::Offload {
        knobs.push(Knob::new("offload", "tokio::task::spawn_blocking"));
    }
    Ok(run.report(window, plan.http.concurrency.max(1), rt.workers(), knobs))
}
