//! `threads`: OS threads from `std::thread`, one per unit of work, blocking on std's own
//! primitives (channels, mutexes, condition variables). The `stack=64k` variant spawns them
//! with a 64 KiB stack instead of Rust's default 2 MiB; the `hyper` variant makes its
//! requests with the async models' hyper client (one connection per thread, driven on the
//! thread itself), and the `http1` variant with tvc-client's HTTP/1.1 client over std's TCP
//! stream (may's client), so that threads and coroutines compare with the same client.

mod blocking;
mod cpu;
mod http;
mod park;
mod shared;
mod switch;
mod switch_io;

use tvc_client::ClientKind;
use tvc_core::registry::{self, ModelInfo};
use tvc_core::{
    BlockingPlan, CpuPlan, HttpPlan, Knob, Medium, Model, ModelError, ParkPlan, Report, RunReport,
    SharedPlan, SwitchPlan,
};

pub struct Threads;

/// Rust's default for spawned threads (unless RUST_MIN_STACK says otherwise).
const DEFAULT_STACK_KIB: usize = 2048;

/// The runtime handle: the kernel schedules the threads; a run only chooses their stack and
/// the HTTP client they drive.
pub(crate) struct Rt {
    stack: Option<usize>,
    pub client: ClientKind,
}

impl Rt {
    fn new(variant: &str) -> Result<Rt, ModelError> {
        let variant = ModelError::check_variant(&registry::THREADS, variant)?;
        Ok(Rt {
            stack: (variant == "stack=64k").then_some(64 * 1024),
            client: match variant {
                "hyper" => ClientKind::Hyper,
                "http1" => ClientKind::Http1,
                _ => ClientKind::Ureq,
            },
        })
    }

    /// The same threads, for a workload that makes no request: the hyper and http1
    /// variants differ from the default only in their HTTP client.
    fn without_requests(self) -> Result<Rt, ModelError> {
        if self.client != ClientKind::Ureq {
            return Err(ModelError::Unsupported(format!(
                "the {} variant differs from the default only in its HTTP client",
                self.client.name()
            )));
        }
        Ok(self)
    }

    /// A builder for one thread of the run.
    pub(crate) fn thread(&self) -> std::thread::Builder {
        match self.stack {
            Some(bytes) => std::thread::Builder::new().stack_size(bytes),
            None => std::thread::Builder::new(),
        }
    }

    pub(crate) fn knobs(&self) -> Vec<Knob> {
        let kib = self.stack.map_or(DEFAULT_STACK_KIB, |b| b / 1024);
        vec![Knob::new("stack_kib", kib)]
    }
}

/// A spawn failure, with which unit it was (thread limits are data, not panics).
pub(crate) fn spawn_failed(i: u64, n: u64, e: std::io::Error) -> ModelError {
    ModelError::Start(std::io::Error::new(
        e.kind(),
        format!("thread {} of {n} could not be spawned: {e}", i + 1),
    ))
}

impl Model for Threads {
    fn info(&self) -> &'static ModelInfo {
        &registry::THREADS
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        http::run(&Rt::new(variant)?, plan)
    }

    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        park::run(&Rt::new(variant)?.without_requests()?, plan)
    }

    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        let rt = Rt::new(variant)?.without_requests()?;
        match plan.medium {
            Medium::Channel => switch::run(&rt, plan),
            Medium::Socket => switch_io::run(&rt, plan),
        }
    }

    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError> {
        cpu::run(&Rt::new(variant)?.without_requests()?, plan)
    }

    fn blocking(&self, variant: &str, plan: &BlockingPlan) -> Result<RunReport, ModelError> {
        blocking::run(&Rt::new(variant)?, plan)
    }

    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError> {
        shared::run(&Rt::new(variant)?.without_requests()?, plan)
    }
}
