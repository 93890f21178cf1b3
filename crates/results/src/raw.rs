//! raw.csv: one row per point and repetition, in long format with units in the column
//! names. Every status a point can end with is a row; a figure that was not measured is left
//! empty, never zero.

use crate::key::PointKey;

/// How a point ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Status {
    /// Measured, every request succeeded.
    Ok,
    /// Measured, but some requests failed (counted by kind in `error_kinds`).
    Errors,
    /// The model could not run the point (it said why).
    Failed,
    /// The model cannot express this workload.
    Unsupported,
    /// The worker died on a signal (SIGABRT: e.g. a thread limit).
    Aborted,
    /// The worker exited without a result.
    #[default]
    Crashed,
    /// The worker outlived the point timeout and was killed.
    Timeout,
    /// tvc was interrupted (Ctrl-C, SIGTERM) while the point ran; it was killed.
    Interrupted,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Ok,
        Status::Errors,
        Status::Failed,
        Status::Unsupported,
        Status::Aborted,
        Status::Crashed,
        Status::Timeout,
        Status::Interrupted,
    ];

    /// Only `ok` and `errors` rows carry measurements.
    pub fn measured(self) -> bool {
        matches!(self, Status::Ok | Status::Errors)
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Errors => "errors",
            Status::Failed => "failed",
            Status::Unsupported => "unsupported",
            Status::Aborted => "aborted",
            Status::Crashed => "crashed",
            Status::Timeout => "timeout",
            Status::Interrupted => "interrupted",
        }
    }

    pub fn parse(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl crate::columns::Cell for Status {
    fn to_cell(&self) -> String {
        self.name().to_string()
    }

    fn from_cell(text: Option<&str>) -> Result<Self, String> {
        let t = text.unwrap_or("").trim();
        Status::parse(t).ok_or_else(|| format!("unknown status {t:?}"))
    }
}

crate::figures! {
    /// Everything a point measures, each a number that may be missing (counts too: a
    /// number is a number, and a hand-made or averaged file may write 1995.84 KiB). A new figure is one
    /// field here plus the code that measures it: the column, the summary line and the
    /// readers' access by name all follow from this list.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Figures {
        /// Wall time of the measured run: from spawning the first unit to joining the last.
        pub wall_ms: Option<f64>,
        pub throughput_per_s: Option<f64>,
        /// Open loop: the rate requests actually went out at.
        pub achieved_rate_per_s: Option<f64>,
        pub requests_ok: Option<f64>,
        /// Open loop: requests never sent because the run fell too far behind its schedule.
        pub requests_unsent: Option<f64>,
        pub errors: Option<f64>,
        pub mean_ms: Option<f64>,
        pub p50_ms: Option<f64>,
        pub p90_ms: Option<f64>,
        pub p99_ms: Option<f64>,
        pub p999_ms: Option<f64>,
        pub p9999_ms: Option<f64>,
        pub max_ms: Option<f64>,
        /// Latency from the actual send rather than the due time: in an open loop the gap to
        /// the columns above is coordinated omission; in a closed loop they agree.
        pub p50_uncorrected_ms: Option<f64>,
        pub p99_uncorrected_ms: Option<f64>,
        pub max_uncorrected_ms: Option<f64>,
        /// Latency minus the delay the server says it served: the harness's own overhead
        /// (client, runtime, loopback). Empty for servers that do not say (real targets).
        pub overhead_p50_ms: Option<f64>,
        pub overhead_p99_ms: Option<f64>,
        /// Served minus asked delay: the mock server's own timing error.
        pub server_error_p50_ms: Option<f64>,
        pub server_error_p99_ms: Option<f64>,
        /// The worker's peak resident set during the measured run (VmHWM, reset before it).
        pub peak_rss_kib: Option<f64>,
        /// The worker's peak virtual size over its whole life (VmPeak, warm-up included: the
        /// kernel cannot reset it).
        pub vm_peak_kib: Option<f64>,
        pub user_ms: Option<f64>,
        pub sys_ms: Option<f64>,
        pub vol_ctx_switches: Option<f64>,
        pub invol_ctx_switches: Option<f64>,
        /// The most threads alive during the measured run.
        pub threads: Option<f64>,
        /// OS threads that carried the model's work (pool size, runtime workers, spawned).
        pub workers: Option<f64>,
        /// The most requests the model could have had in flight.
        pub in_flight: Option<f64>,
        /// park: from the first spawn until every unit had checked in; until the last spawn
        /// call returned (creating them, without waiting for any to run); to the first
        /// instruction of the first unit to run; to that of the last unit to start.
        pub spawn_ms: Option<f64>,
        pub created_ms: Option<f64>,
        pub first_run_ms: Option<f64>,
        pub all_started_ms: Option<f64>,
        pub baseline_rss_kib: Option<f64>,
        pub baseline_vm_kib: Option<f64>,
        pub rss_parked_kib: Option<f64>,
        pub vm_parked_kib: Option<f64>,
        /// park: what the kernel's own memory grew by while the units were parked, machine
        /// wide (`/proc/meminfo`: kernel stacks, page tables, unreclaimable slab); memory a
        /// unit costs that its process's RSS does not show.
        pub kernel_stack_delta_kib: Option<f64>,
        pub page_tables_delta_kib: Option<f64>,
        pub slab_unreclaim_delta_kib: Option<f64>,
        /// switch: the median over the worker's timed passes of the time per hand-over, and
        /// the fastest and slowest pass.
        pub ns_per_switch: Option<f64>,
        pub ns_per_switch_min: Option<f64>,
        pub ns_per_switch_max: Option<f64>,
        pub ns_per_increment: Option<f64>,
        /// shared-state: units × increments less the final count (0 when exact); only a
        /// counter without a lock can lose updates and still be a measurement.
        pub lost_updates: Option<f64>,
    }
}

crate::record! {
    /// One line of raw.csv.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct RawRow {
        pub key: PointKey,
        pub rep: u32,
        pub warmup: u32,
        pub status: Status,
        pub reason: String,
        pub figures: Figures,
        /// Failed requests by kind, `timeout=2;connect=1`.
        pub error_kinds: String,
        /// Open loop: whether requests went out within 5 % of the rate asked for.
        pub rate_kept: Option<bool>,
        /// cpu: the combined result matched; shared-state: the counter equals units ×
        /// increments.
        pub count_ok: Option<bool>,
        /// What `peak_rss_kib` covers: `run`, the measured run (the high-water mark reset
        /// before it), or `life`, the worker's (or peer's) whole life, start-up and warm-up
        /// included, where `/proc/self/clear_refs` could not be written.
        pub peak_rss_scope: String,
        /// How the model was set up, e.g. `client=hyper;worker_threads=2`.
        pub knobs: String,
        pub target: String,
        pub started_utc: String,
    }
}

impl RawRow {
    /// A row for `key` with nothing measured yet (status `crashed` until something says
    /// otherwise).
    pub fn new(key: PointKey, rep: u32, warmup: u32, target: &str, started_utc: String) -> RawRow {
        RawRow {
            key,
            rep,
            warmup,
            target: target.to_string(),
            started_utc,
            ..RawRow::default()
        }
    }

    pub fn measured(&self) -> bool {
        self.status.measured()
    }

    /// A measured figure by its column name.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.figures.get(name)
    }

    /// The value of `name` in the knobs (`client` in `client=hyper;...`).
    pub fn knob(&self, name: &str) -> Option<&str> {
        self.knobs.split(';').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k.trim() == name).then(|| v.trim())
        })
    }
}
