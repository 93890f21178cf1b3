//! The article's requests in Python: the plan becomes the script's argument, the script's
//! result line becomes the shared [`HttpRun`]'s records, and `wait4` adds what the process
//! cost.

use crate::interpreter::{self, Finished};
use crate::{Mode, Pool, Rt, HTTPX_KEEPALIVE, HTTPX_MAX_CONNECTIONS, SCRIPT};
use serde::Deserialize;
use std::time::Duration;
use tvc_core::probe::Usage;
use tvc_core::{
    ErrorKind, HttpPlan, HttpRun, Knob, ModelError, PeerProcess, RunReport, Served, Window,
};

/// The prefix of the script's result line.
const PREFIX: &str = "TVC-PY ";

/// The script's result line.
#[derive(Debug, Deserialize)]
struct Output {
    /// `time.time()` after the requests minus before them, in seconds.
    wall_s: f64,
    requests: Vec<Request>,
    /// `getrusage(RUSAGE_SELF)` just outside the timed part, as a difference.
    usage: Usage,
    threads: Option<u64>,
    vm_peak_kib: Option<u64>,
    /// The first request error's text, for a reader wondering why.
    first_error: Option<String>,
}

/// One request that finished: latency in seconds, status, error kind (an
/// [`ErrorKind::name`]), and the built-in server's served and asked delays in µs.
type Request = (f64, Option<u16>, Option<String>, Option<u64>, Option<u64>);

pub(crate) fn run(rt: &Rt, plan: &HttpPlan) -> Result<RunReport, ModelError> {
    if plan.rate.is_some() {
        return Err(ModelError::Unsupported(
            "the article's Python code sends as fast as answers come (a closed loop); it has \
             no schedule to send on at a rate"
                .into(),
        ));
    }
    match (rt.mode, plan.keep_alive) {
        (Mode::Sync, true) => {
            return Err(ModelError::Unsupported(
                "httpx.get builds a new client, and so opens a new connection, for every \
                 request, as the article's loop did: it cannot keep connections alive"
                    .into(),
            ))
        }
        (Mode::Async(_), false) => {
            return Err(ModelError::Unsupported(
                "the article's httpx.AsyncClient pools its connections and keeps them alive: \
                 it cannot close each one after its request"
                    .into(),
            ))
        }
        _ => {}
    }
    // The user's mistakes first, whether or not Python is here to run.
    let target = plan.target()?;
    if let (true, Some(ca)) = (target.is_https(), plan.ca_file.as_deref()) {
        tvc_client::tls::read_ca_file(ca)?;
    }
    let py = interpreter::required()?;

    let in_flight = match rt.mode {
        Mode::Sync => 1,
        Mode::Async(pool) => {
            let by_pool = match pool {
                Pool::Default => HTTPX_MAX_CONNECTIONS,
                Pool::Max(max) => max,
                Pool::Unlimited => u64::MAX,
            };
            plan.n.min(plan.concurrency as u64).min(by_pool).max(1) as usize
        }
    };
    let limits = match rt.mode {
        Mode::Sync | Mode::Async(Pool::Default) => serde_json::Value::Null,
        Mode::Async(Pool::Max(max)) => serde_json::json!({
            "max_connections": max,
            "max_keepalive_connections": HTTPX_KEEPALIVE,
        }),
        Mode::Async(Pool::Unlimited) => serde_json::json!({
            "max_connections": null,
            "max_keepalive_connections": null,
        }),
    };
    let timeout = plan.request_timeout();
    let arg = serde_json::json!({
        "mode": if rt.mode == Mode::Sync { "sync" } else { "async" },
        "url": plan.url,
        "n": plan.n,
        "concurrency": plan.concurrency.max(1),
        "timeout_s": timeout.as_secs_f64(),
        "limits": limits,
        "ca_file": if target.is_https() { plan.ca_file.as_deref() } else { None },
    });

    let finished = interpreter::run(py, SCRIPT, &arg.to_string()).map_err(ModelError::Start)?;
    let out = output(&finished)?;

    let run = HttpRun::new(plan);
    for (i, &(latency_s, status, ref kind, served, asked)) in out.requests.iter().enumerate() {
        let latency = Duration::try_from_secs_f64(latency_s).unwrap_or_default();
        let result = match (status, kind) {
            (_, Some(kind)) => Err(ErrorKind::ALL
                .into_iter()
                .find(|k| k.name() == kind)
                .unwrap_or(ErrorKind::Io)),
            (Some(status), None) => match ErrorKind::from_status(status) {
                Some(kind) => Err(kind),
                // httpx times each read, not the whole request (a body trickling in never
                // trips it): a request over the plan's timeout counts as one all the same.
                None if latency > timeout => Err(ErrorKind::Timeout),
                None => Ok(Served {
                    served: served.map(Duration::from_micros),
                    asked: asked.map(Duration::from_micros),
                }),
            },
            (None, None) => Err(ErrorKind::Io),
        };
        run.record_measured(i, latency, result);
    }
    let window = Window {
        wall_ms: out.wall_s * 1e3,
        usage: out.usage,
    };
    let mut knobs = rt.knobs();
    knobs.extend([
        Knob::new("python", &py.python),
        Knob::new("httpx", &py.httpx),
        Knob::new("httpcore", &py.httpcore),
        Knob::new("timeout_s", timeout.as_secs_f64()),
    ]);
    if matches!(rt.mode, Mode::Async(_)) && (plan.concurrency as u64) < plan.n {
        knobs.push(Knob::new("in_flight_limit", "asyncio.Semaphore"));
    }
    if let Some(e) = &out.first_error {
        let e: String = e.replace([';', '='], ",").chars().take(160).collect();
        knobs.push(Knob::new("first_error", e));
    }
    let mut report = run.report(window, in_flight, rt.workers(), knobs);
    report.peer = Some(PeerProcess {
        peak_rss_kib: finished.usage.max_rss_kib,
        rss_floor_kib: finished.rss_floor_kib,
        usage: finished.usage,
        threads: out.threads,
        vm_peak_kib: out.vm_peak_kib,
    });
    Ok(report)
}

/// The result line of a process that ended well; anything else is an error saying how it
/// ended.
fn output(finished: &Finished) -> Result<Output, ModelError> {
    let fail = |what: String| ModelError::Start(std::io::Error::other(what));
    let line = finished
        .stdout
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix(PREFIX));
    match line {
        Some(json) if finished.success() => serde_json::from_str(json).map_err(|e| {
            fail(format!(
                "the Python peer's result line could not be read: {e}"
            ))
        }),
        Some(_) => Err(fail(format!(
            "{} after its result line",
            finished.describe()
        ))),
        None => Err(fail(format!("{} without a result", finished.describe()))),
    }
}
