//! `async-std`: C tasks on async-std's global runtime (one worker per core), each with its
//! own connection from the shared hyper client. async-std is deprecated upstream in favour
//! of smol; it stays here because the article's readers still meet it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tvc_client::{AsyncNet, FuturesIo, HyperClient};
use tvc_core::{available_cpus, HttpPlan, HttpRun, Knob, Model, ModelError, RunReport, Variant};

pub struct AsyncStd;

const VARIANTS: &[Variant] = &[Variant {
    name: "default",
    about: "the global runtime, shared hyper HTTP/1 client",
}];

struct AsyncStdNet;

impl AsyncNet for AsyncStdNet {
    type Stream = FuturesIo<async_std::net::TcpStream>;

    async fn connect(addr: SocketAddr) -> std::io::Result<Self::Stream> {
        Ok(FuturesIo(async_std::net::TcpStream::connect(addr).await?))
    }

    fn spawn(task: impl std::future::Future<Output = ()> + Send + 'static) {
        async_std::task::spawn(task);
    }

    async fn sleep(duration: Duration) {
        async_std::task::sleep(duration).await
    }
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
        let workers = env_threads("ASYNC_STD_THREAD_COUNT").unwrap_or_else(available_cpus);
        let target = Arc::new(plan.target()?);
        let run = Arc::new(HttpRun::new(plan.n));
        let units = plan.concurrency.max(1);

        let start = Instant::now();
        async_std::task::block_on(async {
            let mut handles = Vec::with_capacity(units);
            for i in 0..units {
                let run = run.clone();
                let mut client = HyperClient::<AsyncStdNet>::new(target.clone(), plan);
                handles.push(async_std::task::spawn(async move {
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
