//! `tokio`: tasks on tokio's multi-thread runtime (one worker per core). The `reqwest`
//! variant uses reqwest for HTTP (what most users would write); `current-thread` runs every
//! task on the calling thread, which is what makes a lock-free `Rc<RefCell>` possible.

mod blocking;
mod cpu;
mod http;
mod park;
mod reqwest;
mod shared;
mod switch;
mod switch_io;

use hyper_util::rt::TokioIo;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::runtime::Runtime;
use tvc_client::{AsyncNet, Tls};
use tvc_core::registry::{self, ModelInfo};
use tvc_core::{
    BlockingPlan, CpuPlan, HttpPlan, Knob, Medium, Model, ModelError, ParkPlan, Report, RunReport,
    SharedPlan, SwitchPlan,
};

pub struct Tokio;

pub(crate) struct TokioNet;

/// A TCP connection with TCP_NODELAY, as ureq and tvc-client's other connects make it.
async fn tcp(addr: SocketAddr) -> std::io::Result<tokio::net::TcpStream> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

impl AsyncNet for TokioNet {
    type Stream = TokioIo<tokio::net::TcpStream>;
    type TlsStream = TokioIo<tokio_rustls::client::TlsStream<tokio::net::TcpStream>>;

    async fn connect(addr: SocketAddr) -> std::io::Result<Self::Stream> {
        Ok(TokioIo::new(tcp(addr).await?))
    }

    async fn connect_tls(addr: SocketAddr, tls: &Tls) -> std::io::Result<Self::TlsStream> {
        let tcp = tcp(addr).await?;
        let connector = tokio_rustls::TlsConnector::from(tls.config().clone());
        Ok(TokioIo::new(
            connector.connect(tls.server_name().clone(), tcp).await?,
        ))
    }

    fn spawn(task: impl std::future::Future<Output = ()> + Send + 'static) {
        tokio::spawn(task);
    }

    async fn sleep(duration: Duration) {
        tokio::time::sleep(duration).await
    }
}

/// The runtime handle: a runtime built for one run, and what it is.
pub(crate) struct Rt {
    runtime: Runtime,
    /// Every task on the calling thread (`current-thread`).
    pub current_thread: bool,
    /// HTTP through reqwest rather than the shared hyper client (`reqwest`).
    pub reqwest: bool,
}

impl Rt {
    fn new(variant: &str) -> Result<Rt, ModelError> {
        let variant = ModelError::check_variant(&registry::TOKIO, variant)?;
        let current_thread = variant == "current-thread";
        let mut builder = if current_thread {
            tokio::runtime::Builder::new_current_thread()
        } else {
            tokio::runtime::Builder::new_multi_thread()
        };
        let runtime = builder.enable_all().build().map_err(ModelError::Start)?;
        Ok(Rt {
            runtime,
            current_thread,
            reqwest: variant == "reqwest",
        })
    }

    /// The same runtime, for a workload the reqwest variant does not change: that variant
    /// differs from the default only in its HTTP client.
    fn without_reqwest(self) -> Result<Rt, ModelError> {
        if self.reqwest {
            return Err(ModelError::Unsupported(
                "the reqwest variant differs from the default only in its HTTP client".into(),
            ));
        }
        Ok(self)
    }

    pub(crate) fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    pub(crate) fn workers(&self) -> usize {
        self.runtime.metrics().num_workers()
    }

    pub(crate) fn knobs(&self) -> Vec<Knob> {
        let flavor = if self.current_thread {
            "current_thread"
        } else {
            "multi_thread"
        };
        vec![
            Knob::new("runtime", flavor),
            Knob::new("worker_threads", self.workers()),
        ]
    }
}

impl Model for Tokio {
    fn info(&self) -> &'static ModelInfo {
        &registry::TOKIO
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        let rt = Rt::new(variant)?;
        if rt.reqwest {
            return reqwest::run(&rt, plan);
        }
        http::run(&rt, plan)
    }

    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        park::run(&Rt::new(variant)?.without_reqwest()?, plan)
    }

    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        let rt = Rt::new(variant)?.without_reqwest()?;
        match plan.medium {
            Medium::Channel => switch::run(&rt, plan),
            Medium::Socket => switch_io::run(&rt, plan),
        }
    }

    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError> {
        cpu::run(&Rt::new(variant)?.without_reqwest()?, plan)
    }

    fn blocking(&self, variant: &str, plan: &BlockingPlan) -> Result<RunReport, ModelError> {
        blocking::run(&Rt::new(variant)?.without_reqwest()?, plan)
    }

    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError> {
        shared::run(&Rt::new(variant)?.without_reqwest()?, plan)
    }
}
