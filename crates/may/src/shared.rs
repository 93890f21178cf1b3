//! K coroutines incrementing one counter, yielding every few increments so they interleave:
//! behind may's Mutex (which suspends a waiting coroutine rather than its thread) or as an
//! atomic. Without a lock it does not compile: may's spawn requires `Send`, because a
//! coroutine may move to another worker thread, so `Rc<RefCell>` is refused.

use crate::Rt;
use may::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tvc_core::work::YIELD_EVERY;
use tvc_core::{Clock, Knob, Lock, ModelError, Report, SharedPlan};

/// The counter, as the plan's lock protects it.
#[derive(Clone)]
enum Counter {
    Mutex(Arc<Mutex<u64>>),
    Atomic(Arc<AtomicU64>),
}

impl Counter {
    fn increment(&self) {
        match self {
            Counter::Mutex(m) => *m.lock().unwrap_or_else(|p| p.into_inner()) += 1,
            Counter::Atomic(a) => {
                a.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn get(&self) -> u64 {
        match self {
            Counter::Mutex(m) => *m.lock().unwrap_or_else(|p| p.into_inner()),
            Counter::Atomic(a) => a.load(Ordering::Relaxed),
        }
    }
}

pub(crate) fn run(rt: &Rt, plan: &SharedPlan) -> Result<Report, ModelError> {
    let counter = match plan.lock {
        Lock::Mutex => Counter::Mutex(Default::default()),
        Lock::Atomic => Counter::Atomic(Default::default()),
        Lock::None | Lock::NoneCall => {
            return Err(ModelError::Unsupported(
                "a counter shared without a lock needs every unit on one thread; may's \
                 scheduler moves coroutines between worker threads, so its spawn requires \
                 Send and safe Rust refuses Rc<RefCell<_>> (unsafe code would be a data race)"
                    .into(),
            ))
        }
    };
    let increments = plan.increments;
    let units = plan.units as u64;
    let clock = Clock::start();
    let mut handles = Vec::with_capacity(plan.units);
    for i in 0..units {
        let counter = counter.clone();
        handles.push(rt.spawn(i, units, move || {
            for j in 1..=increments {
                counter.increment();
                if j % YIELD_EVERY == 0 {
                    may::coroutine::yield_now();
                }
            }
        })?);
    }
    for h in handles {
        h.join().map_err(ModelError::from_panic)?;
    }
    let window = clock.stop();
    let mut knobs = rt.knobs();
    knobs.push(Knob::new("lock", plan.lock.name()));
    if plan.lock == Lock::Mutex {
        // Not std's: may's mutex parks a waiting coroutine instead of its worker thread, and
        // costs more per uncontended lock.
        knobs.push(Knob::new("mutex", "may::sync::Mutex"));
    }
    Ok(Report {
        window,
        workers: rt.workers(),
        knobs,
        check: Some(counter.get()),
        park: None,
        ..Report::default()
    })
}
