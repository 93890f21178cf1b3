//! What a point may ask of this machine and of the built-in server, checked before anything
//! runs. Limits a run may meet by its nature (the memory experiment parks threads until they
//! fail) are data, not mistakes; these are refused up front.

use std::time::Duration;

/// Sockets and threads a process needs besides one per request in flight.
pub const RESERVE: u64 = 64;

/// Why `c` requests in flight cannot run on this machine at all, if they cannot: every one
/// holds a socket (and, for thread-per-request models, a thread), and a process cannot go
/// past the hard limits.
pub fn above_machine(c: u64, thread_per_request: bool) -> Option<String> {
    if let Some(limit) = tvc_core::probe::nofile_hard_limit() {
        let room = limit.saturating_sub(RESERVE);
        if c > room {
            return Some(format!(
                "{c} requests in flight need {c} sockets at once, but a process here may open \
                 at most {limit} files (the hard `ulimit -n`): use at most {room}, or raise the \
                 hard limit"
            ));
        }
    }
    if thread_per_request {
        let limit = tvc_core::probe::ThreadLimit::predict();
        if let Some(max) = limit.predicted {
            let room = max.saturating_sub(RESERVE);
            if c > room {
                return Some(format!(
                    "{c} requests in flight need {c} OS threads in the thread-per-request \
                     models listed, but this machine allows about {max} ({}): use at most \
                     {room}, or leave those models out",
                    limit.binding
                ));
            }
        }
    }
    None
}

/// Why an open loop cannot fit the point timeout, if it cannot: it lasts its schedule (plus
/// grace) whatever the model does, once per warm-up and once measured, in one worker.
pub fn open_loop_past_timeout(
    schedule: Duration,
    warmup: u32,
    point_timeout_s: u64,
) -> Option<String> {
    let once = schedule + tvc_core::open_loop_grace(schedule);
    let need = once * (warmup + 1);
    (need.as_secs() >= point_timeout_s).then(|| {
        format!(
            "an open loop of {:.0} s runs {} time(s) per worker (warm-ups and the measured \
             run), up to {} s with its grace, past point_timeout_s = {point_timeout_s}: shorten \
             it or raise point_timeout_s",
            schedule.as_secs_f64(),
            warmup + 1,
            need.as_secs(),
        )
    })
}

/// Why values of `key` are more than the built-in server takes, if they are.
pub fn above_server(key: &str, values: &[u64]) -> Option<String> {
    let (limit, unit) = match key {
        "delay_ms" | "jitter_ms" => (tvc_mock_server::MAX_DELAY_MS, "ms"),
        "bytes" => (tvc_mock_server::MAX_BODY_BYTES, "bytes"),
        _ => return None,
    };
    values
        .iter()
        .any(|v| *v > limit)
        .then(|| format!("exceeds the server's limit of {limit} {unit}"))
}
