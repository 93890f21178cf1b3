//! The worker side of a point: `tvc worker SPEC` runs one point in a fresh process, so its
//! memory, CPU time and context switches belong to that point alone. It runs the warm-up,
//! then the measured run, and prints one result line for the orchestrator.
//!
//! What the measured run alone costs: CPU time and context switches come from the model's
//! measured window ([`tvc_core::Clock`]), which excludes the warm-up and building the
//! runtime; the peak resident set is the kernel's high-water mark, reset right before the
//! measured run (a forked child would otherwise start with the orchestrator's). No thread
//! of the harness runs inside the worker: the orchestrator samples its thread count from
//! outside.

use crate::experiment::Point;
use crate::models;
use serde::{Deserialize, Serialize};
use tvc_core::probe::Status;
use tvc_core::work::cpu_checksum;
use tvc_core::{
    BlockingPlan, CpuPlan, HttpPlan, ModelError, ParkPlan, Report, RunReport, SharedPlan,
    SwitchPlan, Workload,
};

/// The prefix of the worker's result line on stdout.
pub const RESULT_PREFIX: &str = "TVC-RESULT ";

/// What the orchestrator hands a worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Spec {
    pub point: Point,
    /// The URL the http workload requests, parameters included.
    pub url: String,
    /// Extra CA certificates (PEM) for an https URL (`tvc run --ca-file`).
    #[serde(default)]
    pub ca_file: Option<String>,
}

/// What a model returned: an http run, or one of the other workloads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Measured {
    Http(Box<RunReport>),
    Work(Box<Report>),
}

/// What a worker hands back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Output {
    Measured {
        report: Box<Measured>,
        /// Whether the run's result was right (cpu checksum, shared counter), when checked.
        check: Option<Check>,
        /// The worker's peak resident set during the measured run (`VmHWM`, reset before it).
        peak_rss_kib: u64,
        /// The worker's peak virtual size over its whole life (`VmPeak`: the kernel cannot
        /// reset it, so it includes the warm-up).
        vm_peak_kib: u64,
        /// Whether `peak_rss_kib` covers the measured run alone; `false`: the worker's whole
        /// life, where its high-water mark could not be reset.
        #[serde(default)]
        rss_run: bool,
    },
    Failed {
        unsupported: bool,
        reason: String,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Check {
    pub ok: bool,
    pub got: u64,
    pub want: u64,
}

/// Requests in an http or blocking warm-up (fewer when the point has fewer): enough to load
/// the client's and the runtime's code, fill the allocator's caches and make a connection per
/// unit in flight, the same for every model. Each run builds its own client and runtime, so
/// repeating the whole run would warm nothing more, at the price of the whole run (16.9 s
/// for one sequential article point).
pub const WARMUP_REQUESTS: u64 = 16;

/// The plan of one warm-up of an http or blocking point: [`WARMUP_REQUESTS`] requests at
/// the point's concurrency (capped by them), rate and keep-alive.
pub fn warmup_plan(plan: &HttpPlan) -> HttpPlan {
    let n = plan.n.min(WARMUP_REQUESTS);
    HttpPlan {
        n,
        concurrency: plan.concurrency.min(n as usize).max(1),
        ..plan.clone()
    }
}

pub fn http_plan(spec: &Spec) -> HttpPlan {
    let k = &spec.point.key;
    HttpPlan {
        url: spec.url.clone(),
        n: k.n,
        concurrency: k.concurrency as usize,
        keep_alive: k.keep_alive,
        request_timeout_ms: spec.point.request_timeout_ms,
        rate: k.rate().map(|r| r as f64),
        ca_file: spec.ca_file.clone(),
    }
}

/// Tests of the harness itself set `TVC_WORKER_FAULT=abort:MODEL` (or `exit:MODEL`) to make
/// the worker for MODEL die without a result, as a thread-limit abort or a crash would.
const FAULT_VAR: &str = "TVC_WORKER_FAULT";

fn injected_fault(model: &str) {
    let Ok(fault) = std::env::var(FAULT_VAR) else {
        return;
    };
    match fault.split_once(':') {
        Some(("abort", m)) if m == model => std::process::abort(),
        Some(("exit", m)) if m == model => std::process::exit(3),
        _ => {}
    }
}

/// Runs the point in this process.
pub fn run(spec: &Spec) -> Output {
    injected_fault(&spec.point.key.model);
    tvc_core::probe::raise_nofile_limit();
    let failed = |e: ModelError| Output::Failed {
        unsupported: matches!(e, ModelError::Unsupported(_)),
        reason: e.to_string(),
    };
    let p = &spec.point.key;
    let Some(model) = models::find(&p.model) else {
        return Output::Failed {
            unsupported: false,
            reason: format!("unknown model {} (known: {})", p.model, models::names()),
        };
    };
    if p.pinned {
        if let Err(e) = tvc_core::probe::pin_to_one_cpu() {
            return failed(ModelError::Start(e));
        }
    }
    let variant = p.variant.as_str();
    // `warm`: the warm-up's plan, which for http and blocking is a few requests (and as
    // many CPU tasks at most), and for the rest the measured run's.
    let http = |warm: bool| match warm {
        true => warmup_plan(&http_plan(spec)),
        false => http_plan(spec),
    };
    let measure = |warm: bool| match p.workload {
        Workload::Http => model
            .http(variant, &http(warm))
            .map(|r| Measured::Http(Box::new(r))),
        Workload::Blocking => model
            .blocking(
                variant,
                &BlockingPlan {
                    cpu_tasks: match warm {
                        true => p.cpu_tasks.min(WARMUP_REQUESTS),
                        false => p.cpu_tasks,
                    },
                    http: http(warm),
                    iters: p.iters,
                    mode: p.cpu_mode,
                },
            )
            .map(|r| Measured::Http(Box::new(r))),
        Workload::Park => model
            .park(variant, &ParkPlan { n: p.n })
            .map(|r| Measured::Work(Box::new(r))),
        Workload::Switch => model
            .switch(
                variant,
                &SwitchPlan {
                    units: p.concurrency as usize,
                    hops: p.n,
                    passes: p.passes as u32,
                    warmup_passes: spec.point.warmup,
                    medium: p.medium,
                },
            )
            .map(|r| Measured::Work(Box::new(r))),
        Workload::Cpu => model
            .cpu(
                variant,
                &CpuPlan {
                    n: p.n,
                    iters: p.iters,
                },
            )
            .map(|r| Measured::Work(Box::new(r))),
        Workload::SharedState => model
            .shared_state(
                variant,
                &SharedPlan {
                    units: p.concurrency as usize,
                    increments: p.n,
                    lock: p.lock,
                },
            )
            .map(|r| Measured::Work(Box::new(r))),
    };
    // A switch point warms up inside its ring (untimed passes before the timed ones), so
    // its worker does not repeat the whole run.
    let warmups = match p.workload {
        Workload::Switch => 0,
        _ => spec.point.warmup,
    };
    for _ in 0..warmups {
        if let Err(e) = measure(true) {
            return failed(e);
        }
    }
    // Where the high-water mark cannot be reset, the peak is the whole life's, and the row
    // says so rather than measuring nothing.
    let rss_run = tvc_core::probe::reset_peak_rss().is_ok();
    let result = measure(false);
    let status = Status::of_self();
    match result {
        Ok(report) => Output::Measured {
            check: check(p, spec.point.warmup, &report),
            report: Box::new(report),
            peak_rss_kib: status.vm_hwm_kib,
            vm_peak_kib: status.vm_peak_kib,
            rss_run,
        },
        Err(e) => failed(e),
    }
}

/// Checks a result that has a right answer (after the measurement, so it costs nothing
/// measured): the cpu checksum is recomputed on one thread, the counter must be K × M.
fn check(p: &tvc_results::PointKey, warmup: u32, report: &Measured) -> Option<Check> {
    let Measured::Work(r) = report else {
        return None;
    };
    let got = r.check?;
    let passes = p.passes.max(1) + u64::from(warmup);
    let want = match p.workload {
        Workload::Cpu => cpu_checksum(p.n, r.rounds.unwrap_or(p.iters)),
        Workload::SharedState => p.concurrency * p.n,
        // The token is incremented at every hand-over: each pass ends at exactly `hops`.
        Workload::Switch => passes * p.n,
        _ => return None,
    };
    // And every unit of a ring forwarded its share of the hops: a ring that skipped a unit
    // would still count to `hops`.
    let units = p.concurrency.max(2);
    let ring = p.workload != Workload::Switch
        || r.forwarded.is_empty()
        || tvc_core::work::ring_ok(units, p.n, passes, &r.forwarded);
    Some(Check {
        ok: got == want && ring,
        got,
        want,
    })
}

/// Finds the result line in a worker's stdout.
pub fn parse_output(stdout: &str) -> Option<Output> {
    stdout
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix(RESULT_PREFIX))
        .and_then(|json| serde_json::from_str(json).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(n: u64, concurrency: usize) -> HttpPlan {
        HttpPlan {
            url: "http://127.0.0.1:1/".into(),
            n,
            concurrency,
            keep_alive: false,
            request_timeout_ms: 1000,
            rate: Some(50.0),
            ca_file: None,
        }
    }

    #[test]
    fn a_warm_up_is_a_few_requests_at_the_points_settings() {
        let w = warmup_plan(&plan(200, 200));
        assert_eq!(
            (w.n, w.concurrency),
            (WARMUP_REQUESTS, WARMUP_REQUESTS as usize)
        );
        assert_eq!((w.keep_alive, w.rate), (false, Some(50.0)));
        let w = warmup_plan(&plan(200, 1));
        assert_eq!((w.n, w.concurrency), (WARMUP_REQUESTS, 1));
        let w = warmup_plan(&plan(3, 10));
        assert_eq!((w.n, w.concurrency), (3, 3));
    }
}
