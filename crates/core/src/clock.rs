//! The measured window of a run. Every model starts a [`Clock`] where its wall time starts
//! (the first unit about to be spawned: the runtime or pool is already built) and stops it
//! where the wall time ends (the last unit joined). The window carries the wall time and
//! what the whole process spent inside it — CPU time and context switches of every thread,
//! from `getrusage(RUSAGE_SELF)` — so a figure never includes building the runtime, the
//! warm-up, or anything the harness does before or after.

use crate::probe::Usage;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// A started measurement window.
pub struct Clock {
    start: Instant,
    usage: Usage,
}

/// What a window measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub wall_ms: f64,
    /// CPU time and context switches of the whole process inside the window.
    pub usage: Usage,
}

impl Clock {
    pub fn start() -> Clock {
        // Usage first: the clock read that follows is then inside what usage counts, and
        // the window's wall time starts last, as close as possible to the work.
        let usage = Usage::of_self();
        Clock {
            start: Instant::now(),
            usage,
        }
    }

    /// Closes the window.
    pub fn stop(&self) -> Window {
        let wall = self.start.elapsed();
        Window {
            wall_ms: wall.as_secs_f64() * 1e3,
            usage: Usage::of_self().since(&self.usage),
        }
    }
}
