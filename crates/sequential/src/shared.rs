//! The units run one after another, so any protection is uncontended: the baseline cost of
//! a plain increment, an uncontended mutex and an uncontended atomic.

use crate::Rt;
use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use tvc_core::work::plain_increment;
use tvc_core::{Clock, Knob, Lock, ModelError, Report, SharedPlan};

pub(crate) fn run(rt: &Rt, plan: &SharedPlan) -> Result<Report, ModelError> {
    let plain = Cell::new(0u64);
    let mutex = Mutex::new(0u64);
    let atomic = AtomicU64::new(0);
    let clock = Clock::start();
    for _ in 0..plan.units {
        for _ in 0..plan.increments {
            match plan.lock {
                Lock::None | Lock::NoneCall => {
                    plain.set(black_box(plain_increment(plan.lock, plain.get())))
                }
                Lock::Mutex => *mutex.lock().unwrap_or_else(|p| p.into_inner()) += 1,
                Lock::Atomic => {
                    atomic.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
    let window = clock.stop();
    let count = match plan.lock {
        Lock::None | Lock::NoneCall => plain.get(),
        Lock::Mutex => *mutex.lock().unwrap_or_else(|p| p.into_inner()),
        Lock::Atomic => atomic.load(Ordering::Relaxed),
    };
    let mut knobs = rt.knobs();
    knobs.push(Knob::new("lock", plan.lock.name()));
    Ok(Report {
        window,
        workers: rt.workers(),
        knobs,
        check: Some(count),
        park: None,
        ..Report::default()
    })
}
