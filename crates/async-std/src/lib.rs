//! `async-std`: tasks on async-std's global runtime (one worker per core). async-std is
//! deprecated upstream in favour of smol; it stays here because the article's readers still
//! meet it.

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
    available_cpus, BlockingPlan, CpuPlan, HttpPlan, Knob, Model, ModelError, ParkPlan, Report,
    RunReport, SharedPlan, SwitchPlan, Variant,
};

pub struct AsyncStd;

const VARIANTS: &[Variant] = &[Variant {
    name: "default",
    about: "the global runtime, shared hyper HTTP/1 client",
}];

pub(crate) struct AsyncStdNet;

impl AsyncNet for AsyncStdNet {
    type Stream = FuturesIo<async_std::net::TcpStream>;
    type TlsStream = FuturesIo<FuturesTlsStream<async_std::net::TcpStream>>;

    async fn connect(addr: SocketAddr) -> std::io::Result<Self::Stream> {
        Ok(FuturesIo(async_std::net::TcpStream::connect(addr).await?))
    }

    async fn connect_tls(addr: SocketAddr, tls: &Tls) -> std::io::Result<Self::TlsStream> {
        let tcp = async_std::net::TcpStream::connect(addr).await?;
        Ok(FuturesIo(tls.connect(tcp).await?))
    }

    fn spawn(task: impl std::future::Future<Output = ()> + Send + 'static) {
        async_std::task::spawn(task);
    }

    async fn sleep(duration: Duration) {
        async_std::task::sleep(duration).await
    }
}

/// The global runtime's worker count (ASYNC_STD_THREAD_COUNT, else one per core).
pub(crate) fn workers() -> usize {
    std::env::var("ASYNC_STD_THREAD_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(available_cpus)
}

pub(crate) fn knobs() -> Vec<Knob> {
    vec![
        Knob::new("runtime", "global"),
        Knob::new("worker_threads", workers()),
    ]
}

impl Model for AsyncStd {
    fn name(&self) -> &'static str {
        "async-std"
    }

    fn about(&self) -> &'static str {
        "async-std (deprecated upstream in favour of smol)"
    }

    fn variants(&self) -> &'static [Variant] {
        VARIANTS
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        ModelError::check_variant(self, variant)?;
        http::run(plan)
    }

    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        ModelError::check_variant(self, variant)?;
        park::run(plan)
    }

    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        ModelError::check_variant(self, variant)?;
        switch::run(plan)
    }

    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError> {
        ModelError::check_variant(self, variant)?;
        cpu::run(plan)
    }

    fn blocking(&self, variant: &str, plan: &BlockingPlan) -> Result<RunReport, ModelError> {
        ModelError::check_variant(self, variant)?;
        blocking::run(plan)
    }

    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError> {
        ModelError::check_variant(self, variant)?;
        shared::run(plan)
    }
}
