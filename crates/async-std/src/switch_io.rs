//! The switch ring again, but the token travels through a socket pair per task: each task
//! awaits readability of its own socket, so every hop is a wake-up by the runtime's reactor
//! (epoll, in async-io), as in a server, plus the write and the read themselves.

use crate::Rt;
use async_std::channel;
use async_std::io::{ReadExt, WriteExt};
use async_std::os::unix::net::UnixStream;
use tvc_core::work::{STOP, TOKEN_BYTES};
use tvc_core::{Knob, ModelError, Passes, Report, SwitchPlan};

pub(crate) fn run(rt: &Rt, plan: &SwitchPlan) -> Result<Report, ModelError> {
    let units = plan.units.max(2);
    let hops = plan.hops;
    let (window, passes_ms, check, forwarded) = rt.block_on(async {
        let (mut writers, readers): (Vec<_>, Vec<_>) = (0..units)
            .map(|_| UnixStream::pair())
            .collect::<Result<Vec<_>, _>>()
            .map_err(ModelError::Start)?
            .into_iter()
            .unzip();
        let mut first = writers[0].clone();
        writers.rotate_left(1);
        let (done_tx, done_rx) = channel::bounded::<u64>(1);
        let mut handles = Vec::with_capacity(units);
        for (mut inbox, mut next) in readers.into_iter().zip(writers) {
            let done = done_tx.clone();
            handles.push(async_std::task::spawn(async move {
                let mut forwarded = 0u64;
                while let Ok(token) = read_token(&mut inbox).await {
                    if token == STOP {
                        let _ = write_token(&mut next, STOP).await;
                        break;
                    }
                    if token == hops {
                        let _ = done.send(token).await;
                    } else if write_token(&mut next, token + 1).await.is_err() {
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
            let _ = write_token(&mut first, 0).await;
            check += done_rx.recv().await.unwrap_or(0);
            passes.end();
        }
        let (window, passes_ms) = passes.finish();

        let _ = write_token(&mut first, STOP).await;
        drop(first);
        let mut forwarded = Vec::with_capacity(units);
        for h in handles {
            forwarded.push(h.await);
        }
        Ok::<_, ModelError>((window, passes_ms, check, forwarded))
    })?;
    let mut knobs = rt.knobs();
    knobs.push(Knob::new("channel", "async_std UnixStream pairs"));
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

async fn write_token(to: &mut UnixStream, token: u64) -> std::io::Result<()> {
    to.write_all(&token.to_le_bytes()).await
}

async fn read_token(from: &mut UnixStream) -> std::io::Result<u64> {
    let mut bytes = [0; TOKEN_BYTES];
    from.read_exact(&mut bytes).await?;
    Ok(u64::from_le_bytes(bytes))
}
