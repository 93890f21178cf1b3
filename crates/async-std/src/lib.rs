//! `async-std`: tasks on async-std's global runtime (one worker per core). async-std is
//! deprecated upstream in favour of smol; it stays here because the article's readers still
//! meet it.

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
    available_cpus, BlockingPlan, CpuPlan, HttpPlan, Knob, Medium, Model, ModelError, ParkPlan,
    Report, RunReport, SharedPlan, SwitchPlan,
};

pub struct AsyncStd;

pub(crate) struct AsyncStdNet;

/// A TCP connection with TCP_NODELAY, as ureq and tvc-client's other connects make it.
async fn tcp(addr: SocketAddr) -> std::io::Result<async_std::net::TcpStream> {
    let stream = async_std::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

impl AsyncNet for AsyncStdNet {
    type Stream = FuturesIo<async_std::net::TcpStream>;
    type TlsStream = FuturesIo<FuturesTlsStream<async_std::net::TcpStream>>;

    async fn connect(addr: SocketAddr) -> std::io::Result<Self::Stream> {
        Ok(FuturesIo(tcp(addr).await?))
    }

    async fn connect_tls(addr: SocketAddr, tls: &Tls) -> std::io::Result<Self::TlsStream> {
        Ok(FuturesIo(tls.connect(tcp(addr).await?).await?))
    }

    fn spawn(task: impl std::future::Future<Output = ()> + Send + 'static) {
        async_std::task::spawn(task);
    }

    async fn sleep(duration: Duration) {
        async_std::task::sleep(duration).await
    }
}

/// The runtime handle: async-std's global runtime, started on first use.
pub(crate) struct Rt;

impl Rt {
    fn new(variant: &str) -> Result<Rt, ModelError> {
        ModelError::check_variant(&registry::ASYNC_STD, variant)?;
        // The global runtime starts its threads on first use: start them here, outside
        // the measured window, as every other model builds its runtime before it.
        async_std::task::block_on(async_std::task::spawn(async {}));
        Ok(Rt)
    }

    pub(crate) fn block_on<F: Future>(&self, future: F) -> F::Output {
        async_std::task::block_on(future)
    }

    /// The global runtime's worker count (ASYNC_STD_THREAD_COUNT, else one per core).
    pub(crate) fn workers(&self) -> usize {
        std::env::var("ASYNC_STD_THREAD_COUNT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(available_cpus)
    }

    pub(crate) fn knobs(&self) -> Vec<Knob> {
        vec![
            Knob::new("runtime", "global"),
            Knob::new("worker_threads", self.workers()),
        ]
    }
}

impl Model for AsyncStd {
    fn info(&self) -> &'static ModelInfo {
        &registry::ASYNC_STD
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        http::run(&Rt::new(variant)?, plan)
    }

    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        park::run(&Rt::new(variant)?, plan)
    }

    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        let rt = Rt::new(variant)?;
        match plan.medium {
            Medium::Channel => switch::run(&rt, plan),
            Medium::Socket => switch_io::run(&rt, plan),
        }
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
