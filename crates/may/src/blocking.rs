//! The http units while CPU-bound units run (spawned right after the requests are), so the
//! CPU work lands while requests are in flight: as coroutines on the same scheduler
//! (`inline`: may does not preempt, so a coroutine computing holds its worker thread), or
//! on OS threads of their own (`offload`: may has no blocking pool, so one thread each, as
//! a blocking pool would grow to here).

use crate::Rt;
use std::sync::Arc;
use tvc_core::work::cpu_unit;
use tvc_core::{BlockingPlan, Clock, CpuMode, HttpRun, Knob, ModelError, RunReport};

/// A CPU unit running as a coroutine or on a thread of its own.
enum Unit {
    Coroutine(may::coroutine::JoinHandle<u64>),
    Thread(std::thread::JoinHandle<u64>),
}

pub(crate) fn run(rt: &Rt, plan: &BlockingPlan) -> Result<RunReport, ModelError> {
    let run = Arc::new(HttpRun::new(&plan.http));
    let iters = plan.iters;
    let target = crate::http::endpoint(rt, &plan.http)?;
    let clock = Clock::start();
    let io = crate::http::spawn_units(rt, &run, &target, &plan.http)?;
    let n = plan.cpu_tasks;
    let cpu = (0..n)
        .map(|i| match plan.mode {
            CpuMode::None => Ok(None),
            CpuMode::Inline => Ok(Some(Unit::Coroutine(
                rt.spawn(i, n, move || cpu_unit(i, iters))?,
            ))),
            CpuMode::Offload => std::thread::Builder::new()
                .spawn(move || cpu_unit(i, iters))
                .map(|h| Some(Unit::Thread(h)))
                .map_err(ModelError::Start),
        })
        .collect::<Result<Vec<_>, ModelError>>()?;
    for unit in io {
        unit.join().map_err(ModelError::from_panic)?;
    }
    let window = clock.stop();
    for unit in cpu.into_iter().flatten() {
        match unit {
            Unit::Coroutine(h) => h.join().map(drop),
            Unit::Thread(h) => h.join().map(drop),
        }
        .map_err(ModelError::from_panic)?;
    }
    let mut knobs = crate::http::knobs(rt);
    if plan.mode == CpuMode::Offload {
        knobs.push(Knob::new("offload", "std::thread::spawn"));
    }
    Ok(run.report(window, plan.http.concurrency.max(1), rt.workers(), knobs))
}
