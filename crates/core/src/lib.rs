//! tvc-core: the one seam between the orchestrator and the seven concurrency models (and the
//! peer that runs the article's own Python code).
//!
//! Every model (sequential, threads, rayon, tokio, async-std, smol, may; python, the peer) is
//! a crate with one type that implements [`Model`]. The trait is *synchronous at the
//! boundary*: an async model builds its own runtime and blocks on it inside the call (a
//! stackful one joins its coroutines from the calling thread, the peer waits for its
//! interpreter), so the orchestrator (and every test) drives them all the same way, and a
//! model's runtime start-up stays inside the model.
//!
//! The shape follows the study, not one workload: each workload is one method taking a plan
//! and returning a report. A model that cannot express a workload returns
//! [`ModelError::Unsupported`] with a reason, which the orchestrator records as data instead
//! of silently skipping the point.
//!
//! Fairness lives here too: every model records latencies and errors through the same
//! [`HttpRun`], claims work from the same counter, and reports the same [`RunReport`], so the
//! only thing that differs between two model crates is the concurrency primitive.

pub mod calibrate;
pub mod child;
pub mod clock;
pub mod plan;
pub mod probe;
pub mod registry;
pub mod run;
pub mod run_report;
pub mod work;

pub use clock::{Clock, Window};
pub use plan::{
    BlockingPlan, CpuMode, CpuPlan, HttpPlan, Lock, Medium, ParkPlan, PlanError, Scheme,
    SharedPlan, SwitchPlan, Target, Workload,
};
pub use registry::{Family, Language, ModelInfo, Variant};
pub use run::{open_loop_grace, Due, ErrorKind, HttpRun, PeerProcess, RunReport, Served};
pub use work::{ParkFigures, Passes, Report};

use std::fmt;

/// One concurrency model. Implementations are small and parallel: every model crate has one
/// file per workload (a workload it cannot express is a file that says why), so two models
/// read side by side with `diff`.
pub trait Model: Send + Sync {
    /// The model's entry in the [`registry`]: name, variants, family.
    fn info(&self) -> &'static ModelInfo;

    /// The model's name as written in experiment files (`tokio`, `async-std`, ...).
    fn name(&self) -> &'static str {
        self.info().name
    }

    /// The variants this model can run; the first is the default.
    fn variants(&self) -> &'static [Variant] {
        self.info().variants
    }

    /// The http workload: `plan.n` GETs of one URL with at most `plan.concurrency` in flight.
    /// Failed requests are counted in the report by kind; only a failure to run the workload
    /// at all (a runtime that cannot start, a thread that cannot spawn) is an `Err`.
    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError>;

    /// The memory workload: `plan.n` units alive at once, each blocked on the model's own
    /// primitive; the report carries RSS and virtual size read while all are parked.
    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError>;

    /// The switch workload: a token passed around a ring of units through the model's
    /// native channel; `Report::wall_ms` covers `plan.hops` hand-overs.
    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError>;

    /// The cpu workload: `plan.n` units of [`work::cpu_unit`]; `Report::check` is the XOR
    /// of their results, checked against [`work::cpu_checksum`].
    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError>;

    /// The blocking workload: the http workload while CPU work runs as `plan.mode` says.
    fn blocking(&self, variant: &str, plan: &BlockingPlan) -> Result<RunReport, ModelError>;

    /// The shared-state workload: units increment one counter; `Report::check` is its
    /// final value, which must equal units × increments.
    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError>;
}

/// The reason given when a shared counter without a lock is asked of a multi-threaded model.
pub const NO_LOCK_NEEDS_ONE_THREAD: &str = "a counter shared without a lock needs a \
    single-threaded executor: Rc<RefCell<_>> is not Send, so safe Rust refuses to share it \
    between threads (and unsafe code would be a data race)";

/// Why a model could not produce a report. Each is recorded as a row's `status` and `reason`.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model {model} has no variant {variant:?} (known: {known})")]
    UnknownVariant {
        model: &'static str,
        variant: String,
        known: String,
    },
    #[error("{0}")]
    Unsupported(String),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("could not start the model: {0}")]
    Start(#[source] std::io::Error),
    #[error("a unit of work panicked: {0}")]
    Panicked(String),
}

impl ModelError {
    /// Checks `variant` against the model's list (an empty name means the default).
    pub fn check_variant(model: &ModelInfo, variant: &str) -> Result<&'static str, ModelError> {
        let variants = model.variants;
        if variant.is_empty() {
            return Ok(variants[0].name);
        }
        variants
            .iter()
            .find(|v| v.name == variant)
            .map(|v| v.name)
            .ok_or_else(|| ModelError::UnknownVariant {
                model: model.name,
                variant: variant.to_string(),
                known: variants
                    .iter()
                    .map(|v| v.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Turns a panic payload from a joined thread or task into an error.
    pub fn from_panic(payload: Box<dyn std::any::Any + Send>) -> ModelError {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "non-string panic payload".to_string());
        ModelError::Panicked(msg)
    }
}

/// A knob that shaped a run (pool size, stack size, client), written into every result row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Knob {
    pub name: String,
    pub value: String,
}

impl Knob {
    pub fn new(name: &str, value: impl fmt::Display) -> Knob {
        Knob {
            name: name.to_string(),
            value: value.to_string(),
        }
    }
}

/// How many CPUs this process may use (what a default pool or runtime sizes itself to).
pub fn available_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
