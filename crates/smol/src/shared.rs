//! K tasks incrementing one counter, yielding every few increments so they interleave:
//! behind a Mutex or as an atomic on the global executor, and on a `LocalExecutor` (every
//! task on one thread) also with no lock at all (`Rc<RefCell>`).

use crate::Rt;
use std::cell::RefCell;
use std::rc::Rc;
use tvc_core::work::{plain_increment, SyncCounter, YIELD_EVERY};
use tvc_core::{Clock, Knob, ModelError, Report, SharedPlan, NO_LOCK_NEEDS_ONE_THREAD};

pub(crate) fn run(rt: &Rt, plan: &SharedPlan) -> Result<Report, ModelError> {
    let (increments, lock) = (plan.increments, plan.lock);
    let clock = Clock::start();
    let count = match (SyncCounter::new(plan.lock), rt.local) {
        (Some(counter), false) => rt.block_on(async {
            let handles: Vec<_> = (0..plan.units)
                .map(|_| {
                    let counter = counter.clone();
                    smol::spawn(async move {
                        for j in 1..=increments {
                            counter.increment();
                            if j % YIELD_EVERY == 0 {
                                smol::future::yield_now().await;
                            }
                        }
                    })
                })
                .collect();
            for h in handles {
                h.await;
            }
            counter.get()
        }),
        (counter, true) => {
            let executor = smol::LocalExecutor::new();
            let plain = Rc::new(RefCell::new(0u64));
            rt.block_on(executor.run(async {
                let handles: Vec<_> = (0..plan.units)
                    .map(|_| {
                        let (counter, plain) = (counter.clone(), plain.clone());
                        executor.spawn(async move {
                            for j in 1..=increments {
                                match &counter {
                                    Some(c) => c.increment(),
                                    None => {
                                        let count = *plain.borrow();
                                        *plain.borrow_mut() = plain_increment(lock, count);
                                    }
                                }
                                if j % YIELD_EVERY == 0 {
                                    smol::future::yield_now().await;
                                }
                            }
                        })
                    })
                    .collect();
                for h in handles {
                    h.await;
                }
            }));
            counter.map_or_else(|| *plain.borrow(), |c| c.get())
        }
        (None, false) => return Err(ModelError::Unsupported(NO_LOCK_NEEDS_ONE_THREAD.into())),
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
