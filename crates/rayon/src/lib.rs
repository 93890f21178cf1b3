//! `rayon`: work as parallel iterators on rayon's work-stealing pool. By default the pool
//! has one thread per core, which is right for CPU work and wrong for I/O: at most
//! `pool size` requests are in flight. The `pool=c` variant sizes the pool to the
//! concurrency (or the number of units).

mod blocking;
mod cpu;
mod http;
mod park;
mod shared;
mod switch;

use tvc_core::registry::{self, ModelInfo};
use tvc_core::{
    BlockingPlan, CpuPlan, HttpPlan, Knob, Model, ModelError, ParkPlan, Report, RunReport,
    SharedPlan, SwitchPlan,
};

pub struct Rayon;

/// The runtime handle: how a run sizes its pool.
pub(crate) struct Rt {
    /// As many threads as units (`pool=c`), rather than rayon's default of one per core.
    pool_per_unit: bool,
}

impl Rt {
    fn new(variant: &str) -> Result<Rt, ModelError> {
        let variant = ModelError::check_variant(&registry::RAYON, variant)?;
        Ok(Rt {
            pool_per_unit: variant == "pool=c",
        })
    }

    /// The pool for a run of `units` units: rayon's default, or `units` threads.
    pub(crate) fn pool(&self, units: usize) -> Result<rayon::ThreadPool, ModelError> {
        let mut builder = rayon::ThreadPoolBuilder::new();
        if self.pool_per_unit {
            builder = builder.num_threads(units.max(1));
        }
        builder
            .build()
            .map_err(|e| ModelError::Start(std::io::Error::other(e)))
    }

    pub(crate) fn knobs(&self, pool: &rayon::ThreadPool) -> Vec<Knob> {
        vec![Knob::new("pool_size", pool.current_num_threads())]
    }
}

impl Model for Rayon {
    fn info(&self) -> &'static ModelInfo {
        &registry::RAYON
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        http::run(&Rt::new(variant)?, plan)
    }

    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        park::run(&Rt::new(variant)?, plan)
    }

    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        switch::run(&Rt::new(variant)?, plan)
    }

    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError> {
        cpu::run(&Rt::new(variant)?, plan)
    }

    fn blocking(&self, variant: &str, plan: &BlockingPlan) -> Result<RunReport, ModelError> {
        blocking::run(&Rt::new(variant)?, plan)
    }

    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError> {
        shared::run(&Rt::new(variant)?, plan)
    }
}
