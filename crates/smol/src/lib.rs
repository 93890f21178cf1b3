//! `smol`: tasks on smol's global executor (one thread unless SMOL_THREADS says more). The
//! `local` variant runs a `LocalExecutor` on the calling thread, which is what makes a
//! lock-free `Rc<RefCell>` counter possible (shared-state only).

mod blocking;
mod cpu;
mod http;
mod park;
mod shared;
mod switch;
mod switch_io;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tvc_client::{AsyncNet, FuturesIo, FuturesTlsStream, Tls};
use tvc_core::registry::{self, ModelInfo};
use tvc_core::{
    BlockingPlan, CpuPlan, HttpPlan, Knob, Medium, Model, ModelError, ParkPlan, Report, RunReport,
    SharedPlan, SwitchPlan,
};

pub struct Smol;

pub(crate) struct SmolNet;

/// A TCP connection with TCP_NODELAY, as ureq and tvc-client's other connects make it.
async fn tcp(addr: SocketAddr) -> std::io::Result<smol::net::TcpStream> {
    let stream = smol::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

impl AsyncNet for SmolNet {
    type Stream = FuturesIo<smol::net::TcpStream>;
    type TlsStream = FuturesIo<FuturesTlsStream<smol::net::TcpStream>>;

    async fn connect(addr: SocketAddr) -> std::io::Result<Self::Stream> {
        Ok(FuturesIo(tcp(addr).await?))
    }

    async fn connect_tls(addr: SocketAddr, tls: &Tls) -> std::io::Result<Self::TlsStream> {
        Ok(FuturesIo(tls.connect(tcp(addr).await?).await?))
    }

    fn spawn(task: impl std::future::Future<Output = ()> + Send + 'static) {
        smol::spawn(task).detach();
    }

    async fn sleep(duration: Duration) {
        smol::Timer::after(duration).await;
    }
}

/// The runtime handle: smol's global executor, or a `LocalExecutor` on the calling thread.
pub(crate) struct Rt {
    /// Every task on a `LocalExecutor` on the calling thread (`local`, shared-state only).
    pub local: bool,
}

impl Rt {
    fn new(variant: &str) -> Result<Rt, ModelError> {
        let variant = ModelError::check_variant(&registry::SMOL, variant)?;
        let local = variant == "local";
        // The global executor starts its threads on first use: start them here, outside
        // the measured window, as every other model builds its runtime before it (not for
        // `local`, which never uses them).
        if !local {
            smol::block_on(smol::spawn(async {}));
        }
        Ok(Rt { local })
    }

    /// The global executor, for every workload but shared-state.
    fn global(self) -> Result<Rt, ModelError> {
        if self.local {
            return Err(ModelError::Unsupported(
                "the local variant exists for the lock-free shared-state case; for a one-thread \
                 executor elsewhere see tokio:current-thread"
                    .into(),
            ));
        }
        Ok(self)
    }

    pub(crate) fn block_on<F: Future>(&self, future: F) -> F::Output {
        smol::block_on(future)
    }

    /// The executor's thread count: 1 for `local`, else SMOL_THREADS, else 1.
    pub(crate) fn workers(&self) -> usize {
        if self.local {
            return 1;
        }
        std::env::var("SMOL_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    }

    pub(crate) fn knobs(&self) -> Vec<Knob> {
        let runtime = if self.local { "local" } else { "global" };
        vec![
            Knob::new("runtime", runtime),
            Knob::new("worker_threads", self.workers()),
        ]
    }
}

impl Model for Smol {
    fn info(&self) -> &'static ModelInfo {
        &registry::SMOL
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        http::run(&Rt::new(variant)?.global()?, plan)
    }

    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        park::run(&Rt::new(variant)?.global()?, plan)
    }

    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        let rt = Rt::new(variant)?.global()?;
        match plan.medium {
            Medium::Channel => switch::run(&rt, plan),
            Medium::Socket => switch_io::run(&rt, plan),
        }
    }

    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError> {
        cpu::run(&Rt::new(variant)?.global()?, plan)
    }

    fn blocking(&self, variant: &str, plan: &BlockingPlan) -> Result<RunReport, ModelError> {
        blocking::run(&Rt::new(variant)?.global()?, plan)
    }

    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError> {
        shared::run(&Rt::new(variant)?, plan)
    }
}
