//! N threads alive at once, each blocked on a condition variable until released.

use crate::Rt;
use std::sync::Arc;
use tvc_core::probe::{Gate, ParkProbe};
use tvc_core::{Clock, ModelError, ParkPlan, Report};

pub(crate) fn run(rt: &Rt, plan: &ParkPlan) -> Result<Report, ModelError> {
    let gate = Arc::new(Gate::default());
    let mut handles = Vec::with_capacity(plan.n as usize);
    let mut failure = None;

    let probe = ParkProbe::begin(plan.n);
    let clock = Clock::start();
    for i in 0..plan.n {
        let (gate, arrivals) = (gate.clone(), probe.arrivals());
        let unit = rt.thread().spawn(move || {
            arrivals.arrive();
            gate.park()
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
    probe.spawned();
    let figures = failure.is_none().then(|| {
        probe.arrivals().wait_all();
        probe.parked()
    });

    gate.open();
    for h in handles {
        h.join().map_err(ModelError::from_panic)?;
    }
    let window = clock.stop();
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(Report {
        window,
        workers: plan.n as usize,
        knobs: rt.knobs(),
        check: None,
        park: figures,
        ..Report::default()
    })
}
