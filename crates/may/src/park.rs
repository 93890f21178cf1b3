//! N coroutines alive at once, each blocked on may's `SyncFlag` until it is fired. Each
//! holds its own stack mapping, so this is where `vm.max_map_count` stops them: a stack
//! that cannot be mapped ends the spawning, and the run says how far it got.

use crate::Rt;
use may::sync::SyncFlag;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tvc_core::probe::{CoroutineLimit, ParkProbe};
use tvc_core::{ModelError, ParkPlan, Report};

pub(crate) fn run(rt: &Rt, plan: &ParkPlan) -> Result<Report, ModelError> {
    // Made before the first spawn, on the process as the run found it (at the limit even
    // reading /proc/self/maps may fail).
    let limit = CoroutineLimit::predict();
    let predicted = limit
        .predicted
        .map_or_else(String::new, |p| format!(" (about {p} predicted)"));
    let gate = Arc::new(SyncFlag::new());
    let parked = Arc::new(AtomicU64::new(0));
    // Reserved up front: near the mapping limit, growing a large vector needs a new mapping.
    let mut handles = Vec::with_capacity(plan.n as usize);
    let mut failure = None;

    let probe = ParkProbe::begin();
    let start = Instant::now();
    for i in 0..plan.n {
        let (gate, parked) = (gate.clone(), parked.clone());
        let unit = rt.spawn(i, plan.n, move || {
            parked.fetch_add(1, Ordering::Release);
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
    let figures = failure.is_none().then(|| {
        while parked.load(Ordering::Acquire) < plan.n {
            std::thread::sleep(Duration::from_micros(200));
        }
        probe.parked(plan.n)
    });

    gate.fire();
    for h in handles {
        h.join().map_err(ModelError::from_panic)?;
    }
    let wall = start.elapsed();
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(Report {
        wall_ms: wall.as_secs_f64() * 1e3,
        workers: rt.workers(),
        knobs: rt.knobs(),
        check: None,
        park: figures,
    })
}
