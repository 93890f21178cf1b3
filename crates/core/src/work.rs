//! The units of work every model runs for the CPU-bound experiments, defined once so every
//! model does exactly the same work.

use serde::{Deserialize, Serialize};
use std::hint::black_box;

/// Async units yield to the others after this many increments in the shared-state workload,
/// so they really interleave (threads are preempted anyway).
pub const YIELD_EVERY: u64 = 64;

/// One unit of CPU work: `iters` rounds of a splitmix64 step seeded by the unit's index.
/// Deterministic, impossible to fold at compile time (`black_box`), and its result is
/// checked, so it cannot be optimised away.
pub fn cpu_unit(index: u64, iters: u64) -> u64 {
    let mut x = black_box(index).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    for _ in 0..black_box(iters) {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^= z ^ (z >> 31);
    }
    x
}

/// The combined result of units `0..n`, as a model must report it (order does not matter).
pub fn cpu_checksum(n: u64, iters: u64) -> u64 {
    (0..n).fold(0, |acc, i| acc ^ cpu_unit(i, iters))
}

/// What a non-http workload measured.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Report {
    /// Wall time of the measured phase.
    pub wall_ms: f64,
    /// OS threads that carried the work.
    pub workers: usize,
    pub knobs: Vec<crate::Knob>,
    /// A result the orchestrator checks: the cpu checksum, the final counter value.
    pub check: Option<u64>,
    /// Memory figures of the park workload.
    pub park: Option<ParkFigures>,
}

/// What the park workload read while all units were alive.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Default)]
pub struct ParkFigures {
    pub n: u64,
    /// From the first spawn until every unit had reported parked.
    pub spawn_ms: f64,
    pub baseline_rss_kib: u64,
    pub baseline_vm_kib: u64,
    pub parked_rss_kib: u64,
    pub parked_vm_kib: u64,
    /// Threads alive in the process while all units were parked.
    pub parked_threads: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_differ_and_checksum_is_order_free() {
        assert_ne!(cpu_unit(1, 100), cpu_unit(2, 100));
        assert_ne!(cpu_unit(1, 100), cpu_unit(1, 101));
        let forward = (0..10).fold(0, |a, i| a ^ cpu_unit(i, 50));
        let backward = (0..10).rev().fold(0, |a, i| a ^ cpu_unit(i, 50));
        assert_eq!(forward, backward);
        assert_eq!(cpu_checksum(10, 50), forward);
    }
}

/// A counter shared between units that may run on different threads, protected as `Lock`
/// says. `Lock::None` has no `Send` form: single-threaded executors use `Rc<RefCell<u64>>`.
#[derive(Clone)]
pub enum SyncCounter {
    Mutex(std::sync::Arc<std::sync::Mutex<u64>>),
    Atomic(std::sync::Arc<std::sync::atomic::AtomicU64>),
}

impl SyncCounter {
    /// `None` for `Lock::None`.
    pub fn new(lock: crate::Lock) -> Option<SyncCounter> {
        match lock {
            crate::Lock::Mutex => Some(SyncCounter::Mutex(Default::default())),
            crate::Lock::Atomic => Some(SyncCounter::Atomic(Default::default())),
            crate::Lock::None => None,
        }
    }

    pub fn increment(&self) {
        match self {
            SyncCounter::Mutex(m) => *m.lock().unwrap_or_else(|p| p.into_inner()) += 1,
            SyncCounter::Atomic(a) => {
                a.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    pub fn get(&self) -> u64 {
        match self {
            SyncCounter::Mutex(m) => *m.lock().unwrap_or_else(|p| p.into_inner()),
            SyncCounter::Atomic(a) => a.load(std::sync::atomic::Ordering::Relaxed),
        }
    }
}
