//! N tasks alive at once, each awaiting a channel that is closed to release them.

use crate::Rt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tvc_core::probe::ParkProbe;
use tvc_core::{ModelError, ParkPlan, Report};

pub(crate) fn run(rt: &Rt, plan: &ParkPlan) -> Result<Report, ModelError> {
    let parked = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let figures = rt.block_on(async {
        let (release, gate) = smol::channel::bounded::<()>(1);
        let probe = ParkProbe::begin();
        let mut handles = Vec::with_capacity(plan.n as usize);
        for _ in 0..plan.n {
            let (gate, parked) = (gate.clone(), parked.clone());
            handles.push(smol::spawn(async move {
                parked.fetch_add(1, Ordering::Release);
                let _ = gate.recv().await;
            }));
        }
        while parked.load(Ordering::Acquire) < plan.n {
            smol::Timer::after(Duration::from_micros(200)).await;
        }
        let figures = probe.parked(plan.n);
        drop(release);
        for h in handles {
            h.await;
        }
        figures
    });
    Ok(Report {
        wall_ms: start.elapsed().as_secs_f64() * 1e3,
        workers: rt.workers(),
        knobs: rt.knobs(),
        check: None,
        park: Some(figures),
    })
}
