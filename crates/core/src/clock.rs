//! The measured window of a run. Every model starts a [`Clock`] where its wall time starts
//! (the first unit about to be spawned: the runtime or pool is already built) and stops it
//! where the wall time ends (the last unit joined). The window carries the wall time and
//! what the whole process spent inside it — CPU time and context switches of every thread,
//! from `getrusage(RUSAGE_SELF)` — so a figure never includes building the runtime, the
//! warm-up, or anything the harness does before or after. It also counts the process's
//! threads itself, where the model says every unit is running ([`Clock::started`]) and when
//! the window closes, so nothing samples the process from outside while it is measured.

use crate::probe::{Status, Usage};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// A started measurement window.
pub struct Clock {
    start: Instant,
    usage: Usage,
    /// The most threads seen at [`Clock::started`] or [`Clock::stop`].
    threads: AtomicU64,
}

/// What a window measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub wall_ms: f64,
    /// CPU time and context switches of the whole process inside the window.
    pub usage: Usage,
    /// The most threads the process had: once every unit was running, and at the end.
    #[serde(default)]
    pub threads: Option<u64>,
}

impl Clock {
    pub fn start() -> Clock {
        // Usage first: the clock read that follows is then inside what usage counts, and
        // the window's wall time starts last, as close as possible to the work.
        let usage = Usage::of_self();
        Clock {
            start: Instant::now(),
            usage,
            threads: AtomicU64::new(0),
        }
    }

    /// Call once every unit is running (the last spawn returned): counts the process's
    /// threads then, one read of `/proc/self/status`, where a model with a thread per unit
    /// has them all.
    pub fn started(&self) {
        let now = Status::of_self().threads;
        self.threads.fetch_max(now, Ordering::Relaxed);
    }

    /// Closes the window.
    pub fn stop(&self) -> Window {
        let wall = self.start.elapsed();
        let usage = Usage::of_self().since(&self.usage);
        self.started();
        let threads = self.threads.load(Ordering::Relaxed);
        Window {
            wall_ms: wall.as_secs_f64() * 1e3,
            usage,
            threads: (threads > 0).then_some(threads),
        }
    }
}
