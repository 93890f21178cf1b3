//! K threads incrementing one counter, behind a Mutex or as an atomic. Without a lock it does
//! not compile, which is the point: the model says so instead.

use crate::Rt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use tvc_core::{Clock, Knob, Lock, ModelError, Report, SharedPlan, NO_LOCK_NEEDS_ONE_THREAD};

pub(crate) fn run(rt: &Rt, plan: &SharedPlan) -> Result<Report, ModelError> {
    let mutex = Mutex::new(0u64);
    let atomic = AtomicU64::new(0);
    let increment: &(dyn Fn() + Sync) = match plan.lock {
        Lock::Mutex => &|| *mutex.lock().unwrap_or_else(|p| p.into_inner()) += 1,
        Lock::Atomic => &|| {
            atomic.fetch_add(1, Ordering::Relaxed);
        },
        Lock::None | Lock::NoneCall => {
            return Err(ModelError::Unsupported(NO_LOCK_NEEDS_ONE_THREAD.into()))
        }
    };

    let clock = Clock::start();
    std::thread::scope(|s| {
        let mut handles = Vec::with_capacity(plan.units);
        for i in 0..plan.units {
            let unit = rt.thread().spawn_scoped(s, || {
                for _ in 0..plan.increments {
                    increment();
                }
            });
            handles.push(unit.map_err(|e| crate::spawn_failed(i as u64, plan.units as u64, e))?);
        }
        clock.started();
        for h in handles {
            h.join().map_err(ModelError::from_panic)?;
        }
        Ok::<_, ModelError>(())
    })?;
    let window = clock.stop();

    let count = match plan.lock {
        Lock::Mutex => *mutex.lock().unwrap_or_else(|p| p.into_inner()),
        _ => atomic.load(Ordering::Relaxed),
    };
    let mut knobs = rt.knobs();
    knobs.push(Knob::new("lock", plan.lock.name()));
    Ok(Report {
        window,
        workers: plan.units,
        knobs,
        check: Some(count),
        park: None,
        ..Report::default()
    })
}
