//! `may`: stackful coroutines on may's M:N scheduler. Every unit is a coroutine with a stack
//! of its own (a fixed-size `mmap`ed region with a guard page, from the `generator` crate),
//! written as plain blocking code: may's channels, mutexes and TCP stream suspend the
//! coroutine instead of the thread, and one worker thread per core runs whichever coroutine
//! is ready. This is the kind of coroutine the article's "about 1 KB of stack" is about
//! (goroutines, greenlets), which Rust's stackless futures are not.
//!
//! The variants are the stack size: `default` is may's own (0x1000 words, 32 KiB on 64-bit
//! targets), `stack=16k` a small one. Both are set per coroutine, so one process can run
//! both; the worker count (one per core) and the rest of may's configuration are global
//! and fixed when the scheduler starts, which [`Rt::new`] does outside the measured time.
//! Two settings differ from may's defaults, for the measurements' sake: workers are not
//! pinned to cores (may pins them by default, which would undo the switch experiment's
//! pinning of the whole process to one CPU, and no other runtime pins), and the pool of
//! ready-made coroutines holds one instead of 1000 (the pool maps and touches 1000 stacks at
//! start-up, which would hide the first 1000 units' stacks in the memory baseline).
//!
//! What a parked coroutine costs here (memory experiment, N up to 30 000, slope of the fit):
//! about 8.5 KiB resident at either stack size, two touched pages (the top of the stack,
//! where the coroutine's frames and context live, and the bottom, where `generator` writes
//! its overflow canary) plus about 0.5 KiB of heap; and 36 KiB (default) or 21 KiB
//! (`stack=16k`) of address space, the stack rounded to pages plus the guard page.
//!
//! HTTP goes through [`tvc_client::Http1Client`] over may's own `TcpStream` (ureq would block
//! a worker thread; hyper needs an async runtime): same request, same timing and error
//! classification as the other clients, one connection per unit, https through rustls's
//! blocking stream. What differs from them: the HTTP/1.1 code is tvc's own small client
//! (httparse for the head), and like ureq it resends a request once on a new connection
//! when a reused one turns out closed before any answer.
//!
//! Known hazards, each a property of stackful coroutines rather than of this crate:
//!
//! - **Thread-local storage.** A coroutine may resume on another worker thread than the
//!   one it blocked on. Code that holds a thread-local (or a `!Send` value derived from
//!   one) across a blocking call reads the wrong thread's copy afterwards, and the compiler
//!   may even cache a thread-local's address across the call; that is why may's `spawn` is
//!   `unsafe`. The units here keep no thread-local across a blocking call in their own code;
//!   what std and the dependencies do inside a call (rustls, ring and the std mutexes of
//!   `HttpRun` hold none across a switch) is trusted, not proven.
//! - **Stack overflow.** Stacks do not grow. A coroutine that runs past its stack hits the
//!   guard page; `generator` reports "coroutine ... has overflowed its stack" and the process
//!   aborts (may also exits when a finished coroutine's stack shows no untouched word left).
//!   Measured with may's stack-usage tracking against the built-in server: an http unit uses
//!   about 6 KiB, an https unit about 19 KiB (the rustls handshake), so `stack=16k` refuses
//!   https (`Unsupported`, with that reason) and `default` runs it with 13 KiB to spare. A
//!   server with larger certificates could need more. Debug builds optimise this crate and
//!   may (Cargo.toml): unoptimised frames are about twice as large.
//! - **The memory-mapping limit.** Each coroutine stack is one mapping plus one for its
//!   guard page, so `vm.max_map_count` (65 530 by default) caps a process at about 32 700
//!   coroutines whatever their stack size, long before memory does.
//!   [`tvc_core::probe::CoroutineLimit`] predicts it before a run (env.json); the park
//!   workload then spawns until `mmap`/`mprotect` fails, says how far it got, and returns
//!   the failure as data. Past the limit any other mapping in the process (a large
//!   allocation, a thread stack) fails too, which can abort the worker process: that point
//!   is then recorded as `aborted`, with the last progress line as its reason.

mod blocking;
mod cpu;
mod http;
mod park;
mod shared;
mod switch;
mod switch_io;

use may::coroutine::{Builder, JoinHandle};
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;
use tvc_client::Transport;
use tvc_core::probe::CoroutineLimit;
use tvc_core::registry::{self, ModelInfo};
use tvc_core::{
    BlockingPlan, CpuPlan, HttpPlan, Knob, Medium, Model, ModelError, ParkPlan, Report, RunReport,
    SharedPlan, SwitchPlan,
};

pub struct May;

/// may's TCP stream for the shared HTTP/1.1 client: its blocking calls suspend the
/// coroutine, and its timeouts are served by may's timer.
pub(crate) struct MayNet;

impl Transport for MayNet {
    type Stream = may::net::TcpStream;

    fn connect(addr: SocketAddr, timeout: Duration) -> std::io::Result<Self::Stream> {
        // TCP_NODELAY, as ureq and tvc-client's other connects set it.
        let stream = may::net::TcpStream::connect_timeout(&addr, timeout)?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    fn set_read_timeout(stream: &Self::Stream, timeout: Duration) -> std::io::Result<()> {
        stream.set_read_timeout(Some(timeout))
    }

    fn set_write_timeout(stream: &Self::Stream, timeout: Duration) -> std::io::Result<()> {
        stream.set_write_timeout(Some(timeout))
    }
}

/// may's default stack size, in bytes (its config counts words).
const DEFAULT_STACK: usize = 0x1000 * std::mem::size_of::<usize>();
/// Ready-made coroutines may keeps (its default is 1000).
const POOL_CAPACITY: usize = 1;

/// The runtime handle: may's one global scheduler, and the stack size of this run's
/// coroutines.
pub(crate) struct Rt {
    stack: usize,
}

impl Rt {
    fn new(variant: &str) -> Result<Rt, ModelError> {
        let stack = match ModelError::check_variant(&registry::MAY, variant)? {
            "stack=16k" => 16 * 1024,
            _ => DEFAULT_STACK,
        };
        start()?;
        Ok(Rt { stack })
    }

    /// Spawns one coroutine with this run's stack. A stack that cannot be mapped (past
    /// `vm.max_map_count`) makes `generator` panic; that panic is caught here and becomes
    /// an error naming the unit.
    pub(crate) fn spawn<F, T>(&self, i: u64, n: u64, f: F) -> Result<JoinHandle<T>, SpawnFailed>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let builder = Builder::new().stack_size(self.stack / std::mem::size_of::<usize>());
        // SAFETY: may marks spawning unsafe for two reasons. Thread-locals: the units keep
        // none across a blocking call (see the crate docs). Stack overflow: every workload
        // was measured to fit the variant's stack, and https, which does not fit 16 KiB,
        // is refused before anything is spawned.
        let spawned = catch_unwind(AssertUnwindSafe(|| unsafe { builder.spawn(f) }));
        let why = match spawned {
            Ok(Ok(handle)) => return Ok(handle),
            Ok(Err(e)) => e.to_string(),
            Err(panic) => match ModelError::from_panic(panic) {
                ModelError::Panicked(why) => why,
                other => other.to_string(),
            },
        };
        Err(SpawnFailed { i, n, why })
    }

    /// The scheduler's worker threads (one per core this process may use, unless
    /// configured).
    pub(crate) fn workers(&self) -> usize {
        may::config().get_workers()
    }

    pub(crate) fn knobs(&self) -> Vec<Knob> {
        vec![
            Knob::new("stack_kib", self.stack / 1024),
            Knob::new("worker_threads", self.workers()),
            Knob::new("coroutine_pool", POOL_CAPACITY),
        ]
    }
}

/// Configures may and starts its scheduler, once per process: the scheduler starts on the
/// first spawn, so a no-op coroutine is spawned and joined here, before any measured phase.
fn start() -> Result<(), ModelError> {
    static STARTED: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    let started = STARTED.get_or_init(|| {
        let config = may::config();
        config.set_worker_pin(false);
        config.set_pool_capacity(POOL_CAPACITY);
        // SAFETY: an empty coroutine touches no thread-local and almost no stack.
        let first = catch_unwind(|| unsafe { Builder::new().spawn(|| ()) });
        match first {
            Ok(Ok(handle)) => handle
                .join()
                .map_err(|_| "the first coroutine panicked".into()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("may's scheduler panicked while starting".into()),
        }
    });
    started
        .clone()
        .map_err(|why| ModelError::Start(std::io::Error::other(why)))
}

/// A coroutine that could not be spawned, and why.
#[derive(Debug)]
pub(crate) struct SpawnFailed {
    i: u64,
    n: u64,
    why: String,
}

impl SpawnFailed {
    /// The failure, explained by the memory-mapping limit when that is what stopped it:
    /// `generator` panics with "failed to alloc sys stack" when `mmap` or `mprotect`
    /// refuses a stack.
    pub(crate) fn past(self, limit: &CoroutineLimit) -> ModelError {
        let prediction = match limit.predicted {
            Some(p) if self.why.contains("alloc sys stack") => format!(
                "; each coroutine stack costs {} memory mappings (the stack and its guard \
                 page), and vm.max_map_count = {} with {} in use before the first spawn \
                 predicted about {p} ({})",
                limit.mappings_per_coroutine,
                limit.max_map_count.unwrap_or_default(),
                limit.mappings_in_use,
                limit.how_to_raise
            ),
            _ => String::new(),
        };
        ModelError::Start(std::io::Error::other(format!("{self}{prediction}")))
    }
}

impl std::fmt::Display for SpawnFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "coroutine {} of {} could not be spawned: {}",
            self.i + 1,
            self.n,
            self.why
        )
    }
}

impl From<SpawnFailed> for ModelError {
    fn from(e: SpawnFailed) -> ModelError {
        ModelError::Start(std::io::Error::other(e.to_string()))
    }
}

impl Model for May {
    fn info(&self) -> &'static ModelInfo {
        &registry::MAY
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
