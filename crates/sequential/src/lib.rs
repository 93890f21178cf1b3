//! `sequential`: one thread, one unit of work after another. The baseline every other model
//! is measured against (the article's 16.6 s loop); concurrency is always 1. The `hyper`
//! variant makes its requests with the async models' hyper client, driven on the thread
//! itself: against `tokio:current-thread` (the same client, one request at a time) it
//! measures what driving hyper without a runtime costs.

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

pub struct Sequential;

/// The runtime handle: the calling thread is all there is, and the HTTP client it drives.
pub(crate) struct Rt {
    pub client: ClientKind,
}

impl Rt {
    fn new(variant: &str) -> Result<Rt, ModelError> {
        let client = match ModelError::check_variant(&registry::SEQUENTIAL, variant)? {
            "hyper" => ClientKind::Hyper,
            _ => ClientKind::Ureq,
        };
        Ok(Rt { client })
    }

    /// The same thread, for a workload that makes no request: the hyper variant differs
    /// from the default only in its HTTP client.
    fn without_requests(self) -> Result<Rt, ModelError> {
        if self.client != ClientKind::Ureq {
            return Err(ModelError::Unsupported(
                "the hyper variant differs from the default only in its HTTP client".into(),
            ));
        }
        Ok(self)
    }

    pub(crate) fn workers(&self) -> usize {
        1
    }

    pub(crate) fn knobs(&self) -> Vec<Knob> {
        Vec::new()
    }
}

impl Model for Sequential {
    fn info(&self) -> &'static ModelInfo {
        &registry::SEQUENTIAL
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
