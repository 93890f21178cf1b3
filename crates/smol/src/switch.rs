//! A ring of tasks passing a token through smol's channels.

use crate::Rt;
use smol::channel;
use tvc_core::work::STOP;
use tvc_core::{Knob, ModelError, Passes, Report, SwitchPlan};

pub(crate) fn run(rt: &Rt, plan: &SwitchPlan) -> Result<Report, ModelError> {
    let units = plan.units.max(2);
    let hops = plan.hops;
    let (window, passes_ms, check, forwarded) = rt.block_on(async {
        let (senders, receivers): (Vec<_>, Vec<_>) =
            (0..units).map(|_| channel::bounded::<u64>(1)).unzip();
        let (done_tx, done_rx) = channel::bounded::<u64>(1);
        let mut handles = Vec::with_capacity(units);
        for (i, inbox) in receivers.into_iter().enumerate() {
            let next = senders[(i + 1) % units].clone();
            let done = done_tx.clone();
            handles.push(smol::spawn(async move {
                let mut forwarded = 0u64;
                while let Ok(token) = inbox.recv().await {
                    if token == STOP {
                        let _ = next.send(STOP).await;
                        break;
                    }
                    if token == hops {
                        let _ = done.send(token).await;
                    } else if next.send(token + 1).await.is_err() {
                        break;
                    } else {
                        forwarded += 1;
                    }
                }
                forwarded
            }));
        }

        let mut passes = Passes::new(plan.warmup_passes, plan.passes);
        let mut check = 0;
        while passes.begin() {
            let _ = senders[0].send(0).await;
            check += done_rx.recv().await.unwrap_or(0);
            passes.end();
        }
        let (window, passes_ms) = passes.finish();

        let _ = senders[0].send(STOP).await;
        drop(senders);
        let mut forwarded = Vec::with_capacity(units);
        for h in handles {
            forwarded.push(h.await);
        }
        (window, passes_ms, check, forwarded)
    });
    let mut knobs = rt.knobs();
    knobs.push(Knob::new("channel", "smol::channel"));
    Ok(Report {
        window,
        workers: rt.workers(),
        knobs,
        check: Some(check),
        passes_ms,
        forwarded,
        ..Report::default()
    })
}
