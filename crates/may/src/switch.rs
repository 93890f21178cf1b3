//! A ring of coroutines passing a token through may's channels: every hand-over parks one
//! coroutine and readies the next, a switch of stacks in user space (or a wake-up of another
//! worker thread when the next one was stolen there).

use crate::Rt;
use may::sync::mpsc;
use tvc_core::work::STOP;
use tvc_core::{Knob, ModelError, Passes, Report, SwitchPlan};

pub(crate) fn run(rt: &Rt, plan: &SwitchPlan) -> Result<Report, ModelError> {
    let units = plan.units.max(2);
    let hops = plan.hops;
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..units).map(|_| mpsc::channel::<u64>()).unzip();
    let (done_tx, done_rx) = mpsc::channel::<u64>();

    let mut handles = Vec::with_capacity(units);
    for (i, inbox) in receivers.into_iter().enumerate() {
        let next = senders[(i + 1) % units].clone();
        let done = done_tx.clone();
        handles.push(rt.spawn(i as u64, units as u64, move || {
            let mut forwarded = 0u64;
            while let Ok(token) = inbox.recv() {
                if token == STOP {
                    let _ = next.send(STOP);
                    break;
                }
                if token == hops {
                    let _ = done.send(token);
                } else if next.send(token + 1).is_err() {
                    break;
                } else {
                    forwarded += 1;
                }
            }
            forwarded
        })?);
    }

    let mut passes = Passes::new(plan.warmup_passes, plan.passes);
    let mut check = 0;
    while passes.begin() {
        let _ = senders[0].send(0);
        check += done_rx.recv().unwrap_or(0);
        passes.end();
    }
    let (window, passes_ms) = passes.finish();

    let _ = senders[0].send(STOP);
    drop(senders);
    let mut forwarded = Vec::with_capacity(units);
    for h in handles {
        forwarded.push(h.join().map_err(ModelError::from_panic)?);
    }
    let mut knobs = rt.knobs();
    knobs.push(Knob::new("channel", "may::sync::mpsc"));
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
