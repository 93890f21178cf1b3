//! `python`: CPython as a peer model, so each of the article's claims is answered in the
//! language the article is about as well as in Rust. Its programs are Python files, one per
//! workload, in `tvc_peer/` beside this crate's Rust (which only starts them): read them
//! beside the Rust model files.
//!
//! The variants:
//!
//! - `default`: the units one after another, the baseline of Python's answers. For http it
//!   is the article's first measurement: `httpx.get` in a loop, a new client (so a new
//!   connection and SSL context) per call, keep-alive off being the only setting it has.
//! - `threads`: a `threading.Thread` per unit (per request in flight: one shared
//!   `httpx.Client`, the same library as the coroutines' client).
//! - `asyncio`, `uvloop`: a task per unit on one event loop, asyncio's own or uvloop's (per
//!   request in flight: one shared `httpx.AsyncClient`).
//! - `processes`: a `ProcessPoolExecutor` of one process per core, the parallelism Python has
//!   for CPU work under the GIL (cpu only).
//! - `httpx-async`, `httpx-async-pool200`, `httpx-async-unlimited`: the article's second
//!   measurement, one `httpx.AsyncClient` gathered by asyncio, with httpx's default pool (at
//!   most 100 connections, 20 kept alive), with 200 connections, and with no limit; the pool
//!   keeps connections alive, the only setting it has.
//!
//! How a point runs: the worker starts `python -m tvc_peer` once ([`interpreter`] says which
//! Python) and sends it each run, warm-ups first, over the protocol of [`tvc_peer`]; the
//! programs time themselves as the Rust models do (the window from the first unit spawned to
//! the last joined; the article's programs with `time.time()` around the requests, as the
//! article did) and report their own process's peak resident set, CPU time and threads.
//!
//! Without a usable Python every python point is `unsupported`, with the command that
//! enables them ([`ENABLE`]); with `TVC_REQUIRE_PYTHON=1` (CI) it is a failure instead, so a
//! machine that should run the peer cannot silently skip it.

mod interpreter;

pub use interpreter::{interpreter, Interpreter, ENABLE, PYTHON_VAR, REQUIRE_VAR};

use tvc_core::registry::{self, ModelInfo};
use tvc_core::{
    BlockingPlan, CpuPlan, HttpPlan, Knob, Model, ModelError, ParkPlan, Report, RunReport,
    SharedPlan, SwitchPlan, Workload,
};
use tvc_peer::model::{self as peer, Peer};
use tvc_peer::Launch;

pub struct Python;

/// httpx's default number of idle connections kept alive.
const HTTPX_KEEPALIVE: u64 = 20;
/// httpx's default connection limit.
const HTTPX_MAX_CONNECTIONS: u64 = 100;

/// The article's AsyncClient variants and their connection limit (`None`: unlimited).
fn article_pool(variant: &str) -> Option<Option<u64>> {
    match variant {
        "httpx-async" => Some(Some(HTTPX_MAX_CONNECTIONS)),
        "httpx-async-pool200" => Some(Some(200)),
        "httpx-async-unlimited" => Some(None),
        _ => None,
    }
}

impl Peer for Python {
    fn info(&self) -> &'static ModelInfo {
        &registry::PYTHON
    }

    fn launch(&self) -> Result<&'static Launch, String> {
        interpreter::launch()
    }

    fn require_var(&self) -> &'static str {
        REQUIRE_VAR
    }

    fn enable(&self) -> &'static str {
        ENABLE
    }

    fn refuse(
        &self,
        variant: &str,
        workload: Workload,
        http: Option<&HttpPlan>,
    ) -> Result<(), ModelError> {
        let no = |why: &str| Err(ModelError::Unsupported(why.into()));
        let article = article_pool(variant).is_some();
        if article && workload != Workload::Http {
            return no("the article's Python code makes HTTP requests and nothing else");
        }
        if variant == "processes" && workload != Workload::Cpu {
            return no(
                "a process pool shares nothing with its parent but pickled arguments and \
                 results: it runs the cpu workload only",
            );
        }
        peer::closed_loop_only(http)?;
        match (variant, http.map(|p| p.keep_alive)) {
            ("default", Some(true)) if workload == Workload::Http => no(
                "httpx.get builds a new client, and so opens a new connection, for every \
                 request, as the article's loop did: it cannot keep connections alive",
            ),
            (_, Some(false)) if article => no(
                "the article's httpx.AsyncClient pools its connections and keeps them alive: \
                 it cannot close each one after its request",
            ),
            _ => Ok(()),
        }
    }
}

/// An http run (or the http part of a blocking one). The article's pool bounds its
/// requests in flight, and is a knob; every other variant says its own.
fn requests<P: serde::Serialize>(
    variant: &str,
    workload: Workload,
    http: &HttpPlan,
    plan: &P,
) -> Result<RunReport, ModelError> {
    let pool = article_pool(variant);
    let in_flight = match pool {
        Some(pool) => {
            let by_pool = pool.unwrap_or(u64::MAX);
            http.n.min(http.concurrency as u64).min(by_pool).max(1) as usize
        }
        None => 1,
    };
    let mut knobs = vec![Knob::new("timeout_s", http.request_timeout().as_secs_f64())];
    if let Some(pool) = pool {
        let pool = match pool {
            Some(HTTPX_MAX_CONNECTIONS) => format!(
                "{HTTPX_MAX_CONNECTIONS} connections, {HTTPX_KEEPALIVE} kept alive (httpx \
                 default)"
            ),
            Some(max) => format!("{max} connections, {HTTPX_KEEPALIVE} kept alive"),
            None => "unlimited".into(),
        };
        knobs.push(Knob::new("pool", pool));
    }
    peer::requests(&Python, variant, workload, http, plan, in_flight, knobs)
}

impl Model for Python {
    fn info(&self) -> &'static ModelInfo {
        &registry::PYTHON
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        requests(variant, Workload::Http, plan, plan)
    }

    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        peer::work(self, variant, Workload::Park, plan)
    }

    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        peer::work(self, variant, Workload::Switch, plan)
    }

    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError> {
        let mut report = peer::work(self, variant, Workload::Cpu, plan)?;
        // A Python unit runs a hundredth of the rounds (tvc_peer/work.py): the checksum and
        // the row say so.
        report.rounds = Some((plan.iters / PYTHON_ROUNDS_DIVISOR).max(1));
        Ok(report)
    }

    fn blocking(&self, variant: &str, plan: &BlockingPlan) -> Result<RunReport, ModelError> {
        requests(variant, Workload::Blocking, &plan.http, plan)
    }

    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError> {
        peer::work(self, variant, Workload::SharedState, plan)
    }
}

/// `ROUNDS_DIVISOR` in `tvc_peer/work.py`: a Python unit of CPU work runs this fraction of
/// the point's rounds, about as long as a Rust unit takes for all of them.
const PYTHON_ROUNDS_DIVISOR: u64 = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rounds_divisor_is_the_programs() {
        let work = include_str!("../tvc_peer/work.py");
        assert!(
            work.contains(&format!("ROUNDS_DIVISOR = {PYTHON_ROUNDS_DIVISOR}\n")),
            "tvc_peer/work.py and lib.rs disagree"
        );
    }

    #[test]
    fn what_a_variant_cannot_express_is_refused_without_python() {
        let plan = HttpPlan {
            url: "http://127.0.0.1:9/".into(),
            n: 10,
            concurrency: 10,
            keep_alive: true,
            request_timeout_ms: 1000,
            rate: None,
            ca_file: None,
        };
        let why = |r: Result<(), ModelError>| match r {
            Err(ModelError::Unsupported(why)) => why,
            other => panic!("{other:?}"),
        };
        let refuse = |v, w, p| Python.refuse(v, w, p);
        assert!(why(refuse("default", Workload::Http, Some(&plan))).contains("new connection"));
        let closing = HttpPlan {
            keep_alive: false,
            ..plan.clone()
        };
        assert!(why(refuse("httpx-async", Workload::Http, Some(&closing))).contains("alive"));
        assert!(refuse("threads", Workload::Http, Some(&closing)).is_ok());
        let paced = HttpPlan {
            rate: Some(100.0),
            ..plan.clone()
        };
        assert!(why(refuse("asyncio", Workload::Http, Some(&paced))).contains("closed loop"));
        assert!(why(refuse("processes", Workload::Park, None)).contains("cpu workload only"));
        assert!(refuse("processes", Workload::Cpu, None).is_ok());
        assert!(why(refuse("httpx-async", Workload::Cpu, None)).contains("HTTP requests"));
    }
}
