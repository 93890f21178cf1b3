//! `tokio`: C tasks on tokio's multi-thread runtime (one worker per core), each with its own
//! connection from the shared hyper client. The `reqwest` variant shares one reqwest client
//! (its own pool) among the C tasks: what most users would write.

use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tvc_client::{AsyncNet, HyperClient};
use tvc_core::{ErrorKind, HttpPlan, HttpRun, Knob, Model, ModelError, RunReport, Variant};

pub struct Tokio;

const VARIANTS: &[Variant] = &[
    Variant {
        name: "default",
        about: "multi-thread runtime, shared hyper HTTP/1 client",
    },
    Variant {
        name: "reqwest",
        about: "multi-thread runtime, one shared reqwest client",
    },
];

struct TokioNet;

impl AsyncNet for TokioNet {
    type Stream = TokioIo<tokio::net::TcpStream>;

    async fn connect(addr: SocketAddr) -> std::io::Result<Self::Stream> {
        Ok(TokioIo::new(tokio::net::TcpStream::connect(addr).await?))
    }

    fn spawn(task: impl std::future::Future<Output = ()> + Send + 'static) {
        tokio::spawn(task);
    }

    async fn sleep(duration: Duration) {
        tokio::time::sleep(duration).await
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
        let variant = ModelError::check_variant(self, variant)?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(ModelError::Start)?;
        let workers = rt.metrics().num_workers();
        let target = Arc::new(plan.target()?);
        let reqwest = (variant == "reqwest")
            .then(|| reqwest_client(plan))
            .transpose()?;
        let run = Arc::new(HttpRun::new(plan.n));
        let units = plan.concurrency.max(1);

        let start = Instant::now();
        rt.block_on(async {
            let mut handles = Vec::with_capacity(units);
            for i in 0..units {
                let run = run.clone();
                let mut client = HyperClient::<TokioNet>::new(target.clone(), plan);
                let reqwest = reqwest.clone();
                let url = plan.url.clone();
                handles.push(tokio::spawn(async move {
                    while run.claim() {
                        let t = Instant::now();
                        let result = match &reqwest {
                            None => client.get().await,
                            Some(r) => reqwest_get(r, &url).await,
                        };
                        run.record(i, t.elapsed(), result);
                    }
                }));
            }
            for h in handles {
                h.await.map_err(|e| ModelError::Panicked(e.to_string()))?;
            }
            Ok::<_, ModelError>(())
        })?;
        let wall = start.elapsed();

        let client = if reqwest.is_some() {
            "reqwest"
        } else {
            "hyper"
        };
        let knobs = vec![
            Knob::new("client", client),
            Knob::new("runtime", "multi_thread"),
            Knob::new("worker_threads", workers),
        ];
        Ok(run.report(wall, units, workers, knobs))
    }
}

fn reqwest_client(plan: &HttpPlan) -> Result<reqwest::Client, ModelError> {
    let idle = if plan.keep_alive { usize::MAX } else { 0 };
    reqwest::Client::builder()
        .user_agent(tvc_client::USER_AGENT)
        .timeout(plan.request_timeout())
        .pool_max_idle_per_host(idle)
        .build()
        .map_err(|e| ModelError::Start(std::io::Error::other(e)))
}

async fn reqwest_get(client: &reqwest::Client, url: &str) -> Result<(), ErrorKind> {
    let response = client.get(url).send().await.map_err(|e| classify(&e))?;
    let status = response.status().as_u16();
    response.bytes().await.map_err(|e| classify(&e))?;
    match ErrorKind::from_status(status) {
        Some(kind) => Err(kind),
        None => Ok(()),
    }
}

fn classify(e: &reqwest::Error) -> ErrorKind {
    if e.is_timeout() {
        return ErrorKind::Timeout;
    }
    if e.is_connect() {
        return ErrorKind::Connect;
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return ErrorKind::from_io(io);
        }
        if let Some(h) = s.downcast_ref::<hyper::Error>() {
            return tvc_client::hyper_client::classify(h);
        }
        source = s.source();
    }
    ErrorKind::Io
}
