//! What one http run measured, as a model hands it back: the measured window, the counts,
//! the latency percentiles (corrected and from the send, the harness's overhead and the
//! server's timing error), the knobs and, for a peer, its own process's figures. Built by
//! [`HttpRun`](crate::HttpRun) from its shared histograms when the run ends.

use crate::run::Counts;
use crate::{Knob, Window};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What one run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunReport {
    /// The measured phase: from the first unit spawned to the last one joined (building a
    /// runtime or a pool is not included; spawning the units is), with the CPU time and
    /// context switches inside it.
    pub window: Window,
    /// Requests that completed with a success status.
    pub ok: u64,
    /// Failed requests by kind (`ErrorKind::name`).
    pub errors: BTreeMap<String, u64>,
    /// Latency from the time each request was due (corrected for coordinated omission; in a
    /// closed loop a request is due when it is sent), of the successful requests and, in an
    /// open loop, of those never sent (counted as late as the end of the run); `None` when
    /// there is none.
    pub latency: Option<LatencySummary>,
    /// Latency from the actual send: what a tool that ignores the schedule would report.
    #[serde(default)]
    pub uncorrected: Option<LatencySummary>,
    /// Open loop: the rate asked for, requests per second. `None`: closed loop.
    #[serde(default)]
    pub rate_per_s: Option<f64>,
    /// Open loop: the rate requests actually went out at (the first to the last send).
    #[serde(default)]
    pub achieved_rate_per_s: Option<f64>,
    /// Open loop: requests never sent because the run fell too far behind its schedule.
    #[serde(default)]
    pub unsent: u64,
    /// Latency minus the delay the server says it served: what the client, the runtime and
    /// loopback add. `None` when the server does not say (a real target).
    pub overhead: Option<LatencySummary>,
    /// Served minus asked delay: the mock server's own timing error.
    pub server_error: Option<LatencySummary>,
    /// The most requests this model could have had in flight at once.
    pub in_flight: usize,
    /// OS threads that carried the work (pool size, runtime workers, spawned threads).
    pub workers: usize,
    pub knobs: Vec<Knob>,
    /// A peer model (one whose work runs in a process of its own, such as the Python
    /// interpreter): that process's figures, which the orchestrator writes instead of the
    /// worker's own. `None` for every Rust model.
    #[serde(default)]
    pub peer: Option<PeerProcess>,
}

/// What the process that did a peer model's work measured of itself, which the
/// orchestrator writes instead of the worker's own figures (the worker only waited).
///
/// A peer resets its own high-water mark when a plan arrives and reads it after its window,
/// as the Rust worker does for itself, so its peak resident set is its measured run's, not
/// its start-up's. Its window (wall time, CPU time, context switches) is the run's
/// [`Window`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PeerProcess {
    /// Peak resident set (`VmHWM`), KiB: over the measured run when `rss_window`, else over
    /// the peer's whole life (`/proc/self/clear_refs` could not be written).
    pub peak_rss_kib: u64,
    pub rss_window: bool,
    /// The most threads the peer had in its window (every unit running, or at its end).
    pub threads: Option<u64>,
    /// The peer's peak virtual size (`VmPeak`), over its whole life.
    pub vm_peak_kib: Option<u64>,
}

impl RunReport {
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }

    /// Open loop: whether requests went out at (at least 95 % of) the rate asked for. A run
    /// that could not keep its rate measured a lighter load than it claims.
    pub fn rate_kept(&self) -> Option<bool> {
        let rate = self.rate_per_s?;
        let fast_enough = self.achieved_rate_per_s.is_none_or(|a| a >= 0.95 * rate);
        Some(fast_enough && self.unsent == 0)
    }
}

/// Percentiles of one run's latencies, in milliseconds.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct LatencySummary {
    pub count: u64,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub p9999_ms: f64,
    pub max_ms: f64,
}

impl LatencySummary {
    pub(crate) fn of(h: &Counts) -> Option<LatencySummary> {
        if h.is_empty() {
            return None;
        }
        let ms = |us: u64| us as f64 / 1e3;
        Some(LatencySummary {
            count: h.len(),
            mean_ms: h.mean() / 1e3,
            p50_ms: ms(h.value_at_quantile(0.50)),
            p90_ms: ms(h.value_at_quantile(0.90)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            p999_ms: ms(h.value_at_quantile(0.999)),
            p9999_ms: ms(h.value_at_quantile(0.9999)),
            max_ms: ms(h.max()),
        })
    }
}
