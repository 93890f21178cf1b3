//! `tokio`: tasks on tokio's multi-thread runtime (one worker per core). The `reqwest`
//! variant uses reqwest for HTTP (what most users would write); `current-thread` runs every
//! task on the calling thread, which is what makes a lock-free `Rc<RefCell>` possible.

mod blocking;
mod cpu;
mod http;
mod park;
mod shared;
mod switch;

use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::runtime::Runtime;
use tvc_client::{AsyncNet, Tls};
use tvc_core::{
    BlockingPlan, CpuPlan, HttpPlan, Knob, Model, ModelError, ParkPlan, Report, RunReport,
    SharedPlan, SwitchPlan, Variant,
};

pub struct Tokio;

const VARIANTS: &[Variant] = &[
    Variant {
        name: "default",
        about: "multi-thread runtime, shared hyper HTTP/1 client",
    },
    Variant {
        name: "reqwest",
        about: "multi-thread runtime, one shared reqwest client (http workloads only)",
    },
    Variant {
        name: "current-thread",
        about: "current-thread runtime: every task on one thread",
    },
];

pub(crate) struct TokioNet;

impl AsyncNet for TokioNet {
    type Stream = TokioIo<tokio::net::TcpStream>;
    type TlsStream = TokioIo<tokio_rustls::client::TlsStream<tokio::net::TcpStream>>;

    async fn connect(addr: SocketAddr) -> std::io::Result<Self::Stream> {
        Ok(TokioIo::new(tokio::net::TcpStream::connect(addr).await?))
    }

    async fn connect_tls(addr: SocketAddr, tls: &Tls) -> std::io::Result<Self::TlsStream> {
        let tcp = tokio::net::TcpStream::connect(addr).await?;
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

/// A runtime built for one run, and what it is.
pub(crate) struct Rt {
    pub runtime: Runtime,
    pub reqwest: bool,
    pub current_thread: bool,
}

impl Rt {
    pub fn workers(&self) -> usize {
        self.runtime.metrics().num_workers()
    }

    pub fn knobs(&self) -> Vec<Knob> {
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

impl Tokio {
    fn rt(&self, variant: &str, http: bool) -> Result<Rt, ModelError> {
        let variant = ModelError::check_variant(self, variant)?;
        if variant == "reqwest" && !http {
            return Err(ModelError::Unsupported(
                "the reqwest variant differs from the default only in its HTTP client".into(),
            ));
        }
        let current_thread = variant == "current-thread";
        let mut builder = if current_thread {
            tokio::runtime::Builder::new_current_thread()
        } else {
            tokio::runtime::Builder::new_multi_thread()
        };
        let runtime = builder.enable_all().build().map_err(ModelError::Start)?;
        Ok(Rt {
            runtime,
            reqwest: variant == "reqwest",
            current_thread,
        })
    }
}

impl Model for Tokio {
    fn name(&self) -> &'static str {
        "tokio"
    }

    fn about(&self) -> &'static str {
        "tokio multi-thread runtime"
    }

    fn variants(&self) -> &'static [Variant] {
        VARIANTS
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        http::run(&self.rt(variant, true)?, plan)
    }

    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        park::run(&self.rt(variant, false)?, plan)
    }

    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        switch::run(&self.rt(variant, false)?, plan)
    }

    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError> {
        cpu::run(&self.rt(variant, false)?, plan)
    }

    fn blocking(&self, variant: &str, plan: &BlockingPlan) -> Result<RunReport, ModelError> {
        blocking::run(&self.rt(variant, true)?, plan)
    }

    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError> {
        shared::run(&self.rt(variant, false)?, plan)
    }
}
