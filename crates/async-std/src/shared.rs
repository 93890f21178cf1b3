//! K tasks incrementing one counter behind a Mutex or as an atomic, yielding every few
//! increments so they interleave. async-std's executor is multi-threaded and its
//! `spawn_local` is unstable, so there is no lock-free variant.

use crate::Rt;
use tvc_core::work::{SyncCounter, YIELD_EVERY};
use tvc_core::{Clock, Knob, ModelError, Report, SharedPlan, NO_LOCK_NEEDS_ONE_THREAD};

pub(crate) fn run(rt: &Rt, plan: &SharedPlan) -> Result<Report, ModelError> {
    let Some(counter) = SyncCounter::new(plan.lock) else {
        return Err(ModelError::Unsupported(NO_LOCK_NEEDS_ONE_THREAD.into()));
    };
    let increments = plan.increments;
    let clock = Clock::start();
    let count = rt.block_on(async {
        let handles: Vec<_> = (0..plan.units)
            .map(|_| {
                let counter = counter.clone();
                async_std::task::spawn(async move {
                    for j in 1..=increments {
                        counter.increment();
                        if j % YIELD_EVERY == 0 {
                            async_std::task::yield_now().await;
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            h.await;
        }
        counter.get()
    });
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
