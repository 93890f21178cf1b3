//! `smol`: C tasks on smol's global executor (one thread unless SMOL_THREADS says more),
//! each with its own connection from the shared hyper client.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tvc_client::{AsyncNet, FuturesIo, HyperClient};
use tvc_core::{HttpPlan, HttpRun, Knob, Model, ModelError, RunReport, Variant};

pub struct Smol;

const VARIANTS: &[Variant] = &[Variant {
    name: "default",
    about: "the global executor, shared hyper HTTP/1 client",
}];

struct SmolNet;

impl AsyncNet for SmolNet {
    type Stream = FuturesIo<smol::net::TcpStream>;

    async fn connect(addr: SocketAddr) -> std::io::Result<Self::Stream> {
        Ok(FuturesIo(smol::net::TcpStream::connect(addr).await?))
    }

    fn spawn(task: impl std::future::Future<Output = ()> + Send + 'static) {
        smol::spawn(task).detach();
    }

    async fn sleep(duration: Duration) {
        smol::Timer::after(duration).await;
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
        ModelError::check_variant(self, variant)?;
        let workers = env_threads("SMOL_THREADS").unwrap_or(1);
        let target = Arc::new(plan.target()?);
        let run = Arc::new(HttpRun::new(plan.n));
        let units = plan.concurrency.max(1);

        let start = Instant::now();
        smol::block_on(async {
            let mut handles = Vec::with_capacity(units);
            for i in 0..units {
                let run = run.clone();
                let mut client = HyperClient::<SmolNet>::new(target.clone(), plan);
                handles.push(smol::spawn(async move {
                    while run.claim() {
                        let t = Instant::now();
                        let result = client.get().await;
                        run.record(i, t.elapsed(), result);
                    }
                }));
            }
            for h in handles {
                h.await;
            }
        });
        let wall = start.elapsed();

        let knobs = vec![
            Knob::new("client", "hyper"),
            Knob::new("worker_threads", workers),
        ];
        Ok(run.report(wall, units, workers, knobs))
    }
}

fn env_threads(var: &str) -> Option<usize> {
    std::env::var(var).ok()?.parse().ok()
}
