//! N threads alive at once, each blocked on a condition variable until released.

use crate::Stack;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;
use tvc_core::probe::{wait_for, ParkProbe};
use tvc_core::{ModelError, ParkPlan, Report};

pub(crate) fn run(stack: Stack, plan: &ParkPlan) -> Result<Report, ModelError> {
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let parked = Arc::new(AtomicU64::new(0));
    let mut handles = Vec::with_capacity(plan.n as usize);
    let mut failure = None;

    let probe = ParkProbe::begin();
    let start = Instant::now();
    for i in 0..plan.n {
        let (gate, parked) = (gate.clone(), parked.clone());
        let unit = stack.builder().spawn(move || {
            parked.fetch_add(1, Ordering::Release);
            let (open, wake) = &*gate;
            let mut open = open.lock().unwrap_or_else(|p| p.into_inner());
            while !*open {
                open = wake.wait(open).unwrap_or_else(|p| p.into_inner());
            }
        });
        match unit {
            Ok(h) => {
                handles.push(h);
                // Progress on stderr: if the process aborts at the thread limit, the last
                // line says how far it got (the orchestrator keeps it in the row's reason).
                if (i + 1) % 1000 == 0 {
                    eprintln!("tvc: {} threads spawned", i + 1);
                }
            }
            Err(e) => {
                failure = Some(crate::spawn_failed(i, plan.n, e));
                break;
            }
        }
    }
    let figures = failure.is_none().then(|| {
        wait_for(&parked, plan.n);
        probe.parked(plan.n)
    });

    *gate.0.lock().unwrap_or_else(|p| p.into_inner()) = true;
    gate.1.notify_all();
    for h in handles {
        h.join().map_err(ModelError::from_panic)?;
    }
    let wall = start.elapsed();
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(Report {
        wall_ms: wall.as_secs_f64() * 1e3,
        workers: plan.n as usize,
        knobs: vec![stack.knob()],
        check: None,
        park: figures,
    })
}
