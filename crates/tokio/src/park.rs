//! N tasks alive at once, each awaiting a watch channel that is closed to release them.

use crate::Rt;
use std::time::Duration;
use tvc_core::probe::ParkProbe;
use tvc_core::{Clock, ModelError, ParkPlan, Report};

pub(crate) fn run(rt: &Rt, plan: &ParkPlan) -> Result<Report, ModelError> {
    let clock = Clock::start();
    let figures = rt.block_on(async {
        let (release, gate) = tokio::sync::watch::channel(());
        let probe = ParkProbe::begin(plan.n);
        let mut handles = Vec::with_capacity(plan.n as usize);
        for _ in 0..plan.n {
            let (mut gate, arrivals) = (gate.clone(), probe.arrivals());
            handles.push(tokio::spawn(async move {
                arrivals.arrive();
                let _ = gate.changed().await;
            }));
        }
        probe.spawned();
        while !probe.arrivals().all() {
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        let figures = probe.parked();
        drop(release);
        for h in handles {
            h.await.map_err(|e| ModelError::Panicked(e.to_string()))?;
        }
        Ok::<_, ModelError>(figures)
    })?;
    Ok(Report {
        window: clock.stop(),
        workers: rt.workers(),
        knobs: rt.knobs(),
        check: None,
        park: Some(figures),
        ..Report::default()
    })
}
