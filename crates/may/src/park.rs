//! N coroutines alive at once, each blocked on may's `SyncFlag` until it is fired. Each
//! holds its own stack mapping, so this is where `vm.max_map_count` stops them: a stack
//! that cannot be mapped ends the spawning, and the run says how far it got.

use crate::Rt;
use may::sync::SyncFlag;
use std::sync::Arc;
use tvc_core::probe::{CoroutineLimit, ParkProbe};
use tvc_core::{Clock, ModelError, ParkPlan, Report};

pub(crate) fn run(rt: &Rt, plan: &ParkPlan) -> Result<Report, ModelError> {
    // Made before the first spawn, on the process as the run found it (at the limit even
    // reading /proc/self/maps may fail).
    let limit = CoroutineLimit::predict();
    let predicted = limit
        .predicted
        .map_or_else(String::new, |p| format!(" (about {p} predicted)"));
    let gate = Arc::new(SyncFlag::new());
    // Reserved up front: near the mapping limit, growing a large vector needs a new mapping.
    let mut handles = Vec::with_capacity(plan.n as usize);
    let mut failure = None;

    let probe = ParkProbe::begin(plan.n);
    let clock = Clock::start();
    for i in 0..plan.n {
        let (gate, arrivals) = (gate.clone(), probe.arrivals());
        let unit = rt.spawn(i, plan.n, move || {
            arrivals.arrive();
            gate.wait();
        });
        match unit {
            Ok(h) => {
                handles.push(h);
                // Progress on stderr: if the process aborts at the mapping limit (another
                // allocation can fail there before a stack does), the last line says how far
                // it got against the prediction (the orchestrator keeps it in the row's
                // reason).
                if (i + 1) % 1000 == 0 {
                    eprintln!("tvc: {} coroutines spawned{predicted}", i + 1);
                }
            }
            Err(e) => {
                failure = Some(e.past(&limit));
                break;
            }
        }
    }
    probe.spawned();
    let figures = failure.is_none().then(|| {
        probe.arrivals().wait_all();
        probe.parked()
    });

    gate.fire();
    for h in handles {
        h.join().map_err(ModelError::from_panic)?;
    }
    let window = clock.stop();
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(Report {
        window,
        workers: rt.workers(),
        knobs: rt.knobs(),
        check: None,
        park: figures,
        ..Report::default()
    })
}
