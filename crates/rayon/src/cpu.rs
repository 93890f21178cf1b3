//! The units as a parallel iterator on the pool, their results combined by `reduce`.

use crate::Rt;
use rayon::prelude::*;
use tvc_core::work::cpu_unit;
use tvc_core::{Clock, CpuPlan, ModelError, Report};

pub(crate) fn run(rt: &Rt, plan: &CpuPlan) -> Result<Report, ModelError> {
    let pool = rt.pool(plan.n as usize)?;
    let clock = Clock::start();
    let check = pool.install(|| {
        (0..plan.n)
            .into_par_iter()
            .map(|i| cpu_unit(i, plan.iters))
            .reduce(|| 0, |a, b| a ^ b)
    });
    let window = clock.stop();
    Ok(Report {
        window,
        workers: pool.current_num_threads(),
        knobs: rt.knobs(&pool),
        check: Some(check),
        park: None,
        ..Report::default()
    })
}
