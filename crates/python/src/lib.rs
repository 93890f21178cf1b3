//! `python`: the peer model. Not a Rust concurrency model but the article's own code, Python
//! with httpx ([`SCRIPT`], kept in this crate), run against the same built-in server as every
//! Rust model, so the article's figures can be set beside tvc's on equal terms.
//!
//! The variants are the article's two measurements (shared/ARTICLE.md):
//!
//! - `default` (`httpx-sync`): 200 `httpx.get` calls one after another. The module-level
//!   function builds a client per call, so every request opens its own connection (and
//!   builds its own SSL context): keep-alive off is the only setting it has.
//! - `httpx-async`: every request at once through one `httpx.AsyncClient` with httpx's
//!   default pool (at most 100 connections, 20 kept alive), gathered by asyncio; the pool
//!   keeps connections alive, which is the only setting it has. `httpx-async-pool200` and
//!   `httpx-async-unlimited` are the same code with 200 connections (20 still kept alive
//!   idle: one knob moves at a time) and with no limit at all.
//!
//! How a point runs: the worker finds the interpreter (`$TVC_PYTHON`, else `python3`) and
//! checks once per process, outside any measured time, that it imports httpx; then, for
//! each run, it starts `python -c SCRIPT PLAN` as its own child, reads the script's output
//! and reaps it with `wait4`. The script times itself as the article did (`time.time()`
//! around the requests only) and ends with one `TVC-PY {json}` line: each request's
//! latency, status or error kind and the server's timing headers, its wall time, and its
//! CPU time inside that window. Those are recorded through the shared
//! [`tvc_core::HttpRun`] like every model's; the wall time is the script's own. The
//! process's peak resident set, CPU time and context switches over its whole life come from
//! `wait4` ([`tvc_core::PeerProcess`]), which the orchestrator writes into the row instead
//! of the worker's own figures.
//!
//! Without Python or httpx every python point is `unsupported`, with the command that
//! enables them ([`ENABLE`]); with `TVC_REQUIRE_PYTHON=1` (CI) it is a failure instead, so
//! a machine that should run the peer cannot silently skip it.

mod blocking;
mod cpu;
mod http;
mod interpreter;
mod park;
mod shared;
mod switch;

pub use interpreter::{interpreter, Interpreter, ENABLE, PYTHON_VAR, REQUIRE_VAR};

use tvc_core::registry::{self, ModelInfo};
use tvc_core::{
    BlockingPlan, CpuPlan, HttpPlan, Knob, Model, ModelError, ParkPlan, Report, RunReport,
    SharedPlan, SwitchPlan,
};

/// The article's code, with tvc's bookkeeping: run with `python -c`, so the binary needs no
/// file beside it.
pub const SCRIPT: &str = include_str!("article.py");

pub struct Python;

/// httpx's connection-pool limits for the async client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pool {
    /// httpx's defaults: 100 connections, 20 kept alive while idle.
    Default,
    /// At most this many connections, 20 kept alive while idle (httpx's default).
    Max(u64),
    /// No limit on either.
    Unlimited,
}

/// Which of the article's two programs a variant runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Sync,
    Async(Pool),
}

/// httpx's default number of idle connections kept alive.
pub(crate) const HTTPX_KEEPALIVE: u64 = 20;
/// httpx's default connection limit.
pub(crate) const HTTPX_MAX_CONNECTIONS: u64 = 100;

/// The runtime handle: which program, and how large its pool.
pub(crate) struct Rt {
    pub(crate) mode: Mode,
}

impl Rt {
    fn new(variant: &str) -> Result<Rt, ModelError> {
        let mode = match ModelError::check_variant(&registry::PYTHON, variant)? {
            "httpx-async" => Mode::Async(Pool::Default),
            "httpx-async-pool200" => Mode::Async(Pool::Max(200)),
            "httpx-async-unlimited" => Mode::Async(Pool::Unlimited),
            _ => Mode::Sync,
        };
        Ok(Rt { mode })
    }

    /// One thread runs the requests: the main one, looping or running the event loop.
    pub(crate) fn workers(&self) -> usize {
        1
    }

    pub(crate) fn knobs(&self) -> Vec<Knob> {
        match self.mode {
            Mode::Sync => vec![Knob::new(
                "client",
                "httpx.get (a new Client and connection per request)",
            )],
            Mode::Async(pool) => vec![
                Knob::new("client", "one httpx.AsyncClient, asyncio.gather"),
                Knob::new(
                    "pool",
                    match pool {
                        Pool::Default => format!(
                            "{HTTPX_MAX_CONNECTIONS} connections, {HTTPX_KEEPALIVE} kept alive \
                             (httpx default)"
                        ),
                        Pool::Max(max) => {
                            format!("{max} connections, {HTTPX_KEEPALIVE} kept alive")
                        }
                        Pool::Unlimited => "unlimited".into(),
                    },
                ),
            ],
        }
    }
}

impl Model for Python {
    fn info(&self) -> &'static ModelInfo {
        &registry::PYTHON
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        http::run(&Rt::new(variant)?, plan)
    }

    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        park::run(&Rt::new(variant)?, plan)
    }

    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        switch::run(&Rt::new(variant)?, plan)
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
