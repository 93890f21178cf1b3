//! K tasks incrementing one counter, yielding every few increments so they interleave:
//! behind a Mutex or as an atomic on any runtime, and with no lock at all (`Rc<RefCell>`)
//! only on the current-thread runtime, inside a `LocalSet`.

use crate::Rt;
use std::cell::RefCell;
use std::rc::Rc;
use tvc_core::work::{plain_increment, SyncCounter, YIELD_EVERY};
use tvc_core::{Clock, Knob, ModelError, Report, SharedPlan, NO_LOCK_NEEDS_ONE_THREAD};

pub(crate) fn run(rt: &Rt, plan: &SharedPlan) -> Result<Report, ModelError> {
    let (increments, lock) = (plan.increments, plan.lock);
    let clock = Clock::start();
    let count = match SyncCounter::new(plan.lock) {
        Some(counter) => rt.block_on(async {
            let handles: Vec<_> = (0..plan.units)
                .map(|_| {
                    let counter = counter.clone();
                    tokio::spawn(async move {
                        for j in 1..=increments {
                            counter.increment();
                            if j % YIELD_EVERY == 0 {
                                tokio::task::yield_now().await;
                            }
                        }
                    })
                })
                .collect();
            for h in handles {
                h.await.map_err(|e| ModelError::Panicked(e.to_string()))?;
            }
            Ok::<_, ModelError>(counter.get())
        })?,
        None if rt.current_thread => {
            let counter = Rc::new(RefCell::new(0u64));
            let local = tokio::task::LocalSet::new();
            local.block_on(&rt.runtime, async {
                let handles: Vec<_> = (0..plan.units)
                    .map(|_| {
                        let counter = counter.clone();
                        tokio::task::spawn_local(async move {
                            for j in 1..=increments {
                                let count = *counter.borrow();
                                *counter.borrow_mut() = plain_increment(lock, count);
                                if j % YIELD_EVERY == 0 {
                                    tokio::task::yield_now().await;
                                }
                            }
                        })
                    })
                    .collect();
                for h in handles {
                    h.await.map_err(|e| ModelError::Panicked(e.to_string()))?;
                }
                Ok::<_, ModelError>(())
            })?;
            let count = *counter.borrow();
            count
        }
        None => return Err(ModelError::Unsupported(NO_LOCK_NEEDS_ONE_THREAD.into())),
    };
    let mut knobs = rt.knobs();
    knobs.push(Knob::new("lock", plan.lock.name()));
    Ok(Report {
        window: clock.stop(),
        workers: rt.workers(),
        knobs,
        check: Some(count),
        park: None,
        ..Report::default()
    })
}
