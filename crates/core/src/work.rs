//! The units of work every model runs for the CPU-bound experiments, defined once so every
//! model does exactly the same work.

use serde::{Deserialize, Serialize};
use std::hint::black_box;

/// Async units yield to the others after this many increments in the shared-state workload,
/// so they really interleave (threads are preempted anyway).
pub const YIELD_EVERY: u64 = 64;

/// The switch ring's last token: every unit forwards it and stops, so the ring winds down
/// after its last pass.
pub const STOP: u64 = u64::MAX;

/// The switch ring's token as it travels through a socket: 8 bytes, little-endian.
pub const TOKEN_BYTES: usize = 8;

/// Writes the token to a socket (blocking code: threads, may, the one-thread baseline).
pub fn write_token(to: &mut impl std::io::Write, token: u64) -> std::io::Result<()> {
    to.write_all(&token.to_le_bytes())
}

/// Reads the next token from a socket, waiting until it is there.
pub fn read_token(from: &mut impl std::io::Read) -> std::io::Result<u64> {
    let mut bytes = [0; TOKEN_BYTES];
    from.read_exact(&mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}

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
    /// The measured phase: its wall time, and the CPU time and context switches in it.
    pub window: crate::Window,
    /// OS threads that carried the work.
    pub workers: usize,
    pub knobs: Vec<crate::Knob>,
    /// A result the orchestrator checks: the cpu checksum, the final counter value.
    pub check: Option<u64>,
    /// Memory figures of the park workload.
    pub park: Option<ParkFigures>,
    /// The switch workload: the wall time of each timed pass, in ms.
    #[serde(default)]
    pub passes_ms: Vec<f64>,
    /// The rounds each cpu unit ran, where the model ran fewer than the point asks (a peer in
    /// a slower language: the row's knobs say so); the checksum is checked against these.
    #[serde(default)]
    pub rounds: Option<u64>,
    /// A peer model: its own process's figures (see [`crate::PeerProcess`]).
    #[serde(default)]
    pub peer: Option<crate::PeerProcess>,
    /// The switch ring: how many tokens each unit forwarded to the next, over every pass
    /// (warm-ups included), in ring order; checked against [`ring_share`].
    #[serde(default)]
    pub forwarded: Vec<u64>,
}

/// The tokens unit `i` of a ring of `units` forwards in one pass of `hops` hand-overs: the
/// token starts at 0 in unit 0 and each unit passes token `t` on as `t + 1`, so unit `i`
/// forwards every `t < hops` with `t % units == i` (the one holding `hops` reports it
/// instead). A ring that skipped a unit, or a unit that forwarded twice, misses these.
pub fn ring_share(units: u64, hops: u64, i: u64) -> u64 {
    if i >= hops || units == 0 {
        0
    } else {
        (hops - 1 - i) / units + 1
    }
}

/// Whether every unit of a ring forwarded its share over `passes` passes.
pub fn ring_ok(units: u64, hops: u64, passes: u64, forwarded: &[u64]) -> bool {
    forwarded.len() as u64 == units
        && forwarded
            .iter()
            .enumerate()
            .all(|(i, f)| *f == passes * ring_share(units, hops, i as u64))
}

/// Times the passes of a workload that repeats the same work around the same units (the
/// switch ring): untimed warm-up passes first, then timed ones, the measured window open over
/// the timed ones only. Works the same from blocking and async code:
///
/// ```ignore
/// let mut passes = Passes::new(plan.warmup_passes, plan.passes);
/// while passes.begin() {
///     /* one pass */
///     passes.end();
/// }
/// let (window, passes_ms) = passes.finish();
/// ```
pub struct Passes {
    warmup: u32,
    total: u32,
    done: u32,
    clock: Option<crate::Clock>,
    pass_start: Option<std::time::Instant>,
    passes_ms: Vec<f64>,
}

impl Passes {
    pub fn new(warmup: u32, timed: u32) -> Passes {
        Passes {
            warmup,
            total: warmup + timed.max(1),
            done: 0,
            clock: None,
            pass_start: None,
            passes_ms: Vec::with_capacity(timed as usize),
        }
    }

    /// Starts the next pass; `false` once every pass is done.
    pub fn begin(&mut self) -> bool {
        if self.done >= self.total {
            return false;
        }
        if self.done == self.warmup {
            self.clock = Some(crate::Clock::start());
        }
        self.pass_start = Some(std::time::Instant::now());
        true
    }

    /// Ends the pass begun last.
    pub fn end(&mut self) {
        if let Some(start) = self.pass_start.take() {
            if self.done >= self.warmup {
                self.passes_ms.push(start.elapsed().as_secs_f64() * 1e3);
            }
            self.done += 1;
        }
    }

    /// The window over the timed passes and each pass's wall time.
    pub fn finish(self) -> (crate::Window, Vec<f64>) {
        let window = self.clock.map(|c| c.stop()).unwrap_or_default();
        (window, self.passes_ms)
    }
}

/// What the park workload read while all units were alive.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Default)]
pub struct ParkFigures {
    pub n: u64,
    /// From the first spawn until every unit had checked in (and the spawner noticed).
    pub spawn_ms: f64,
    /// From the first spawn until the last spawn call returned: creating the units, without
    /// waiting for them to run (`None` from a model that does not say).
    #[serde(default)]
    pub created_ms: Option<f64>,
    /// From the first spawn to the first instruction of the first unit to run.
    #[serde(default)]
    pub first_run_ms: f64,
    /// From the first spawn to the first instruction of the last unit to start.
    #[serde(default)]
    pub all_started_ms: f64,
    pub baseline_rss_kib: u64,
    pub baseline_vm_kib: u64,
    pub parked_rss_kib: u64,
    pub parked_vm_kib: u64,
    /// Threads alive in the process while all units were parked.
    pub parked_threads: u64,
    /// What the kernel held for all processes before the first spawn and once all were
    /// parked (`/proc/meminfo`): the cost of a unit that RSS does not show.
    #[serde(default)]
    pub baseline_kernel: crate::probe::KernelMemory,
    #[serde(default)]
    pub parked_kernel: crate::probe::KernelMemory,
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

    #[test]
    fn a_ring_that_skips_a_unit_fails_its_check() {
        // 3 units, 7 hops: unit 0 forwards 0, 3, 6; unit 1: 1, 4; unit 2: 2, 5.
        assert_eq!(
            (0..3).map(|i| ring_share(3, 7, i)).collect::<Vec<_>>(),
            [3, 2, 2]
        );
        assert!(ring_ok(3, 7, 2, &[6, 4, 4]));
        // The same 7 hops, but unit 1 hands straight to unit 0, never to unit 2: unit 2
        // forwards nothing and units 0 and 1 forward its share between them.
        let skipped = [4 * 2, 3 * 2, 0];
        assert_eq!(
            skipped.iter().sum::<u64>(),
            14,
            "the token still made 7 hops a pass"
        );
        assert!(!ring_ok(3, 7, 2, &skipped));
        // A unit that forwarded one token twice, and a ring that reported one unit short.
        assert!(!ring_ok(3, 7, 2, &[6, 5, 4]));
        assert!(!ring_ok(3, 7, 2, &[6, 4]));
        // More units than hops: the last ones never forward.
        assert_eq!(ring_share(100, 10, 50), 0);
    }

    #[test]
    fn passes_time_only_the_passes_after_the_warm_up() {
        let mut passes = Passes::new(2, 3);
        let mut ran = 0;
        while passes.begin() {
            ran += 1;
            std::thread::sleep(std::time::Duration::from_millis(if ran <= 2 {
                30
            } else {
                2
            }));
            passes.end();
        }
        let (window, each) = passes.finish();
        assert_eq!(ran, 5);
        assert_eq!(each.len(), 3);
        assert!(each.iter().all(|ms| (2.0..25.0).contains(ms)), "{each:?}");
        assert!(window.wall_ms >= 6.0 && window.wall_ms < 60.0, "{window:?}");
    }
}

/// A plain counter's next value as `lock` increments it: read, add and write in one
/// statement (`none`), or with a call between the read and the write (`none-call`).
pub fn plain_increment(lock: crate::Lock, value: u64) -> u64 {
    match lock {
        crate::Lock::NoneCall => add_one(value),
        _ => value + 1,
    }
}

/// The call between the read and the write of `none-call`: never inlined, so it is a call.
#[inline(never)]
pub fn add_one(value: u64) -> u64 {
    black_box(value) + 1
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
            crate::Lock::None | crate::Lock::NoneCall => None,
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
