//! The switch ring again, but the token travels through a socket pair per task: each task
//! awaits readability of its own socket, so every hop is a wake-up by the reactor (epoll, in
//! async-io), as in a server, plus the write and the read themselves.

use crate::Rt;
use smol::channel;
use smol::io::{AsyncReadExt, AsyncWriteExt};
use smol::Async;
use std::os::unix::net::UnixStream;
use tvc_core::work::{STOP, TOKEN_BYTES};
use tvc_core::{Knob, ModelError, Passes, Report, SwitchPlan};

pub(crate) fn run(rt: &Rt, plan: &SwitchPlan) -> Result<Report, ModelError> {
    let units = plan.units.max(2);
    let hops = plan.hops;
    let (window, passes_ms, check, forwarded) = rt.block_on(async {
        let pairs = (0..units)
            .map(|_| UnixStream::pair())
            .collect::<Result<Vec<_>, _>>()
            .map_err(ModelError::Start)?;
        let first = pairs[0].0.try_clone().map_err(ModelError::Start)?;
        let mut first = Async::new(first).map_err(ModelError::Start)?;
        let (mut writers, mut readers) = (Vec::new(), Vec::new());
        for (to, from) in pairs {
            writers.push(Async::new(to).map_err(ModelError::Start)?);
            readers.push(Async::new(from).map_err(ModelError::Start)?);
        }
        writers.rotate_left(1);
        let (done_tx, done_rx) = channel::bounded::<u64>(1);
        let mut handles = Vec::with_capacity(units);
        for (mut inbox, mut next) in readers.into_iter().zip(writers) {
            let done = done_tx.clone();
            handles.push(smol::spawn(async move {
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
    knobs.push(Knob::new("channel", "smol::Async<UnixStream> pairs"));
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

async fn write_token(to: &mut Async<UnixStream>, token: u64) -> std::io::Result<()> {
    to.write_all(&token.to_le_bytes()).await
}

async fn read_token(from: &mut Async<UnixStream>) -> std::io::Result<u64> {
    let mut bytes = [0; TOKEN_BYTES];
    from.read_exact(&mut bytes).await?;
    Ok(u64::from_le_bytes(bytes))
}
