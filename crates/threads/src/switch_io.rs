//! The switch ring again, but the token travels through a socket pair per thread: each
//! thread blocks in read(2) until the one before it writes, so every hop is a wake-up caused
//! by I/O readiness, as in a server, plus the write and the read themselves.

use crate::Rt;
use std::os::unix::net::UnixStream;
use std::sync::mpsc;
use tvc_core::work::{read_token, write_token, STOP};
use tvc_core::{Knob, ModelError, Passes, Report, SwitchPlan};

pub(crate) fn run(rt: &Rt, plan: &SwitchPlan) -> Result<Report, ModelError> {
    let units = plan.units.max(2);
    let hops = plan.hops;
    let (mut writers, readers): (Vec<_>, Vec<_>) = (0..units)
        .map(|_| UnixStream::pair())
        .collect::<Result<Vec<_>, _>>()
        .map_err(ModelError::Start)?
        .into_iter()
        .unzip();
    let mut first = writers[0].try_clone().map_err(ModelError::Start)?;
    writers.rotate_left(1);
    let (done_tx, done_rx) = mpsc::channel::<u64>();

    let mut handles = Vec::with_capacity(units);
    for (i, (mut inbox, mut next)) in readers.into_iter().zip(writers).enumerate() {
        let done = done_tx.clone();
        let unit = rt.thread().spawn(move || {
            let mut forwarded = 0u64;
            while let Ok(token) = read_token(&mut inbox) {
                if token == STOP {
                    let _ = write_token(&mut next, STOP);
                    break;
                }
                if token == hops {
                    let _ = done.send(token);
                } else if write_token(&mut next, token + 1).is_err() {
                    break;
                } else {
                    forwarded += 1;
                }
            }
            forwarded
        });
        handles.push(unit.map_err(|e| crate::spawn_failed(i as u64, units as u64, e))?);
    }

    let mut passes = Passes::new(plan.warmup_passes, plan.passes);
    let mut check = 0;
    while passes.begin() {
        let _ = write_token(&mut first, 0);
        check += done_rx.recv().unwrap_or(0);
        passes.end();
    }
    let (window, passes_ms) = passes.finish();

    let _ = write_token(&mut first, STOP);
    drop(first);
    let mut forwarded = Vec::with_capacity(units);
    for h in handles {
        forwarded.push(h.join().map_err(ModelError::from_panic)?);
    }
    let mut knobs = rt.knobs();
    knobs.push(Knob::new("channel", "std UnixStream pairs (blocking read)"));
    Ok(Report {
        window,
        workers: units,
        knobs,
        check: Some(check),
        passes_ms,
        forwarded,
        ..Report::default()
    })
}
