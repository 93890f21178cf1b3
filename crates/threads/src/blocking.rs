//! The http threads while CPU-bound units run on OS threads beside them: the control for the
//! async runtimes' blocking workload, on the same cores. `inline`: one thread per CPU unit,
//! like every other unit of this model (the kernel shares the cores between I/O and CPU
//! threads); `offload`: the CPU units on a pool of one thread per core, the size of a
//! blocking pool's working set; `none`: the I/O alone.

use crate::Rt;
use std::sync::atomic::{AtomicU64, Ordering};
use tvc_client::Clients;
use tvc_core::work::cpu_unit;
use tvc_core::{
    available_cpus, BlockingPlan, Clock, CpuMode, HttpRun, Knob, ModelError, RunReport,
};

pub(crate) fn run(rt: &Rt, plan: &BlockingPlan) -> Result<RunReport, ModelError> {
    let clients = Clients::new(&plan.http, rt.client)?;
    let run = HttpRun::new(&plan.http);
    let units = plan.http.concurrency.max(1);
    let iters = plan.iters;
    let next = AtomicU64::new(0);
    // Offloaded, the CPU tasks share a pool of one thread per core (fewer if fewer tasks).
    let cpu_threads = match plan.mode {
        CpuMode::None => 0,
        CpuMode::Inline => plan.cpu_tasks as usize,
        CpuMode::Offload => available_cpus().min(plan.cpu_tasks as usize),
    };

    let clock = Clock::start();
    let window = std::thread::scope(|s| {
        let io = crate::http::spawn_units(s, rt, &run, &clients, units)?;
        let mut cpu = Vec::with_capacity(cpu_threads);
        for t in 0..cpu_threads {
            let (next, tasks, mode) = (&next, plan.cpu_tasks, plan.mode);
            let unit = rt.thread().spawn_scoped(s, move || match mode {
                CpuMode::Offload => {
                    let mut check = 0;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= tasks {
                            break check;
                        }
                        check ^= cpu_unit(i, iters);
                    }
                }
                _ => cpu_unit(t as u64, iters),
            });
            cpu.push(unit.map_err(|e| crate::spawn_failed(t as u64, cpu_threads as u64, e))?);
        }
        clock.started();
        for h in io {
            h.join().map_err(ModelError::from_panic)?;
        }
        let window = clock.stop();
        for h in cpu {
            h.join().map_err(ModelError::from_panic)?;
        }
        Ok::<_, ModelError>(window)
    })?;
    let mut knobs = crate::http::knobs(rt);
    if plan.mode == CpuMode::Offload {
        knobs.push(Knob::new(
            "offload",
            format!("a pool of {cpu_threads} threads"),
        ));
    }
    Ok(run.report(window, units, units, knobs))
}
