//! N pool threads, each holding one blocked job. A blocked rayon job holds its pool thread,
//! so N parked units need a pool of N threads: the pool is always sized to N here, whatever
//! the variant.

use crate::Rt;
use std::sync::Arc;
use tvc_core::probe::{Gate, ParkProbe};
use tvc_core::{Clock, ModelError, ParkPlan, Report};

pub(crate) fn run(_rt: &Rt, plan: &ParkPlan) -> Result<Report, ModelError> {
    // Past the thread limit rayon's pool build does not return (it hangs, seen here),
    // so the point is refused up front, with the prediction as its reason.
    let limit = tvc_core::probe::ThreadLimit::predict();
    if let Some(max) = limit.predicted.filter(|max| plan.n > *max) {
        return Err(ModelError::Start(std::io::Error::other(format!(
            "a pool of {} threads is above this machine's predicted thread limit of {max} \
             ({}); rayon's pool build hangs instead of failing there, so it was not tried",
            plan.n, limit.binding
        ))));
    }
    let rt = Rt {
        pool_per_unit: true,
    };
    let gate = Arc::new(Gate::default());
    let probe = ParkProbe::begin(plan.n);
    let clock = Clock::start();
    let pool = rt.pool(plan.n as usize)?;
    // One blocking job per pool thread, delivered to each thread's own queue (a plain
    // `spawn` goes through the shared injector, and idle threads searching it would spin).
    let (unit_gate, arrivals) = (gate.clone(), probe.arrivals());
    pool.spawn_broadcast(move |_| {
        arrivals.arrive();
        unit_gate.park()
    });
    probe.spawned();
    probe.arrivals().wait_all();
    let figures = probe.parked();
    gate.open();
    let window = clock.stop();
    Ok(Report {
        window,
        workers: pool.current_num_threads(),
        knobs: rt.knobs(&pool),
        check: None,
        park: Some(figures),
        ..Report::default()
    })
}
