//! A ring of tasks passing a token through async-std's channels.

use crate::Rt;
use async_std::channel;
use std::time::Instant;
use tvc_core::{Knob, ModelError, Report, SwitchPlan};

pub(crate) fn run(rt: &Rt, plan: &SwitchPlan) -> Result<Report, ModelError> {
    let units = plan.units.max(2);
    let hops = plan.hops;
    let wall = rt.block_on(async {
        let (senders, receivers): (Vec<_>, Vec<_>) =
            (0..units).map(|_| channel::bounded::<u64>(1)).unzip();
        let (done_tx, done_rx) = channel::bounded::<()>(1);
        let mut handles = Vec::with_capacity(units);
        for (i, inbox) in receivers.into_iter().enumerate() {
            let next = senders[(i + 1) % units].clone();
            let done = done_tx.clone();
            handles.push(async_std::task::spawn(async move {
                while let Ok(token) = inbox.recv().await {
                    if token == hops {
                        let _ = done.send(()).await;
                        break;
                    }
                    if next.send(token + 1).await.is_err() {
                        break;
                    }
                }
            }));
        }

        let start = Instant::now();
        let _ = senders[0].send(0).await;
        let _ = done_rx.recv().await;
        let wall = start.elapsed();

        drop(senders);
        for h in handles {
            h.await;
        }
        wall
    });
    let mut knobs = rt.knobs();
    knobs.push(Knob::new("channel", "async_std::channel"));
    Ok(Report {
        wall_ms: wall.as_secs_f64() * 1e3,
        workers: rt.workers(),
        knobs,
        ..Report::default()
    })
}
