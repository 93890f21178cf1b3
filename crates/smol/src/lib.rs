//! `smol`: tasks on smol's global executor (one thread unless SMOL_THREADS says more). The
//! `local` variant runs a `LocalExecutor` on the calling thread, which is what makes a
//! lock-free `Rc<RefCell>` counter possible (shared-state only).

mod blocking;
mod cpu;
mod http;
mod park;
mod shared;
mod switch;

use std::net::SocketAddr;
use std::time::Duration;
use tvc_client::{AsyncNet, FuturesIo, FuturesTlsStream, Tls};
use tvc_core::{
    BlockingPlan, CpuPlan, HttpPlan, Knob, Model, ModelError, ParkPlan, Report, RunReport,
    SharedPlan, SwitchPlan, Variant,
};

pub struct Smol;

const VARIANTS: &[Variant] = &[
    Variant {
        name: "default",
        about: "the global executor, shared hyper HTTP/1 client",
    },
    Variant {
        name: "local",
        about: "a LocalExecutor on the calling thread (shared-state only)",
    },
];

pub(crate) struct SmolNet;

impl AsyncNet for SmolNet {
    type Stream = FuturesIo<smol::net::TcpStream>;
    type TlsStream = FuturesIo<FuturesTlsStream<smol::net::TcpStream>>;

    async fn connect(addr: SocketAddr) -> std::io::Result<Self::Stream> {
        Ok(FuturesIo(smol::net::TcpStream::connect(addr).await?))
    }

    async fn connect_tls(addr: SocketAddr, tls: &Tls) -> std::io::Result<Self::TlsStream> {
        let tcp = smol::net::TcpStream::connect(addr).await?;
        Ok(FuturesIo(tls.connect(tcp).await?))
    }

    fn spawn(task: impl std::future::Future<Output = ()> + Send + 'static) {
        smol::spawn(task).detach();
    }

    async fn sleep(duration: Duration) {
        smol::Timer::after(duration).await;
    }
}

/// The global executor's thread count (SMOL_THREADS, else 1).
pub(crate) fn workers() -> usize {
    std::env::var("SMOL_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

pub(crate) fn knobs() -> Vec<Knob> {
    vec![
        Knob::new("runtime", "global"),
        Knob::new("worker_threads", workers()),
    ]
}

impl Smol {
    /// Every workload runs on the global executor; `local` is only for shared-state.
    fn global(&self, variant: &str) -> Result<(), ModelError> {
        match ModelError::check_variant(self, variant)? {
            "local" => Err(ModelError::Unsupported(
                "the local variant exists for the lock-free shared-state case; for a one-thread \
                 executor elsewhere see tokio:current-thread"
                    .into(),
            )),
            _ => Ok(()),
        }
    }
}

impl Model for Smol {
    fn name(&self) -> &'static str {
        "smol"
    }

    fn about(&self) -> &'static str {
        "smol"
    }

    fn variants(&self) -> &'static [Variant] {
        VARIANTS
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        self.global(variant)?;
        http::run(plan)
    }

    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        self.global(variant)?;
        park::run(plan)
    }

    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        self.global(variant)?;
        switch::run(plan)
    }

    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError> {
        self.global(variant)?;
        cpu::run(plan)
    }

    fn blocking(&self, variant: &str, plan: &BlockingPlan) -> Result<RunReport, ModelError> {
        self.global(variant)?;
        blocking::run(plan)
    }

    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError> {
        let local = ModelError::check_variant(self, variant)? == "local";
        shared::run(plan, local)
    }
}
