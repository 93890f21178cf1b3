//! The state every model shares during an http run: which request comes next, the latency
//! histogram and the error counts. One implementation for all models keeps them honest:
//! they differ in how they run units of work, never in how they count.

use crate::Knob;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Why one request failed. Failed requests are data, never a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The TCP connection could not be opened (refused, unreachable).
    Connect,
    /// The request took longer than the plan's per-request timeout.
    Timeout,
    /// The server answered 4xx.
    Status4xx,
    /// The server answered 5xx (or another non-success status).
    Status5xx,
    /// The connection was closed or reset before the response was complete.
    Reset,
    /// The response could not be parsed as HTTP.
    Protocol,
    /// Any other I/O error.
    Io,
    /// The TLS handshake or session failed (an untrusted certificate, a name mismatch, a
    /// server that does not speak TLS).
    Tls,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::Connect,
        ErrorKind::Timeout,
        ErrorKind::Status4xx,
        ErrorKind::Status5xx,
        ErrorKind::Reset,
        ErrorKind::Protocol,
        ErrorKind::Io,
        ErrorKind::Tls,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Connect => "connect",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Status4xx => "status_4xx",
            ErrorKind::Status5xx => "status_5xx",
            ErrorKind::Reset => "reset",
            ErrorKind::Protocol => "protocol",
            ErrorKind::Io => "io",
            ErrorKind::Tls => "tls",
        }
    }

    pub fn from_status(status: u16) -> Option<ErrorKind> {
        match status {
            200..=399 => None,
            400..=499 => Some(ErrorKind::Status4xx),
            _ => Some(ErrorKind::Status5xx),
        }
    }

    /// Classifies an I/O error the same way for every client.
    pub fn from_io(e: &std::io::Error) -> ErrorKind {
        use std::io::ErrorKind as K;
        match e.kind() {
            K::ConnectionRefused | K::AddrNotAvailable | K::NotFound => ErrorKind::Connect,
            K::TimedOut | K::WouldBlock => ErrorKind::Timeout,
            K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
                ErrorKind::Reset
            }
            K::InvalidData => ErrorKind::Protocol,
            _ => ErrorKind::Io,
        }
    }
}

/// What the server said about one answered request (the built-in server's
/// `x-tvc-served-delay-us` and `x-tvc-asked-delay-us` headers; empty for other servers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Served {
    /// How long the server held the request.
    pub served: Option<Duration>,
    /// The delay the request asked for (jitter included).
    pub asked: Option<Duration>,
}

impl Served {
    /// Reads the two headers' values (microseconds as text).
    pub fn from_headers(served: Option<&[u8]>, asked: Option<&[u8]>) -> Served {
        let us = |v: Option<&[u8]>| {
            std::str::from_utf8(v?)
                .ok()?
                .trim()
                .parse::<u64>()
                .ok()
                .map(Duration::from_micros)
        };
        Served {
            served: us(served),
            asked: us(asked),
        }
    }
}

/// Shards keep recording cheap under contention without a histogram per unit (a histogram is
/// tens of KiB; a million tasks could not each own one, and memory must not grow with N).
const SHARDS: usize = 16;
/// Latencies are recorded in microseconds, up to one hour, with three significant digits.
const MAX_LATENCY_US: u64 = 3_600_000_000;

/// Shared state of one http run. Units call [`claim`](Self::claim) until it says no, and
/// [`record`](Self::record) once per request.
pub struct HttpRun {
    n: u64,
    next: AtomicU64,
    ok: AtomicU64,
    errors: [AtomicU64; ErrorKind::ALL.len()],
    shards: Vec<Mutex<Shard>>,
}

/// One shard: the latency, and what the harness itself adds to it (latency minus the delay
/// the server served) and the server's own error (served minus asked).
struct Shard {
    latency: Histogram<u64>,
    overhead: Histogram<u64>,
    server_error: Histogram<u64>,
}

impl HttpRun {
    pub fn new(n: u64) -> HttpRun {
        let shards = (0..SHARDS)
            .map(|_| {
                Mutex::new(Shard {
                    latency: new_histogram(),
                    overhead: new_histogram(),
                    server_error: new_histogram(),
                })
            })
            .collect();
        HttpRun {
            n,
            next: AtomicU64::new(0),
            ok: AtomicU64::new(0),
            errors: Default::default(),
            shards,
        }
    }

    /// Claims the next request; false once all `n` are taken.
    pub fn claim(&self) -> bool {
        self.next.fetch_add(1, Ordering::Relaxed) < self.n
    }

    /// Records one finished request. `unit` spreads units over histogram shards.
    pub fn record(&self, unit: usize, latency: Duration, result: Result<Served, ErrorKind>) {
        let us = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1);
        match result {
            Ok(served) => {
                self.ok.fetch_add(1, Ordering::Relaxed);
                let mut h = self.shards[unit % SHARDS]
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                h.latency.saturating_record(us(latency));
                if let Some(s) = served.served {
                    h.overhead.saturating_record(us(latency.saturating_sub(s)));
                    if let Some(a) = served.asked {
                        h.server_error.saturating_record(us(s.saturating_sub(a)));
                    }
                }
            }
            Err(kind) => {
                self.errors[kind as usize].fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Builds the report once every unit has finished.
    pub fn report(
        &self,
        wall: Duration,
        in_flight: usize,
        workers: usize,
        knobs: Vec<Knob>,
    ) -> RunReport {
        let (mut all, mut overhead, mut server_error) =
            (new_histogram(), new_histogram(), new_histogram());
        for shard in &self.shards {
            let h = shard.lock().unwrap_or_else(|p| p.into_inner());
            // Same bounds everywhere, so adding cannot fail.
            let _ = all.add(&h.latency);
            let _ = overhead.add(&h.overhead);
            let _ = server_error.add(&h.server_error);
        }
        let errors = ErrorKind::ALL
            .iter()
            .filter_map(|k| {
                let c = self.errors[*k as usize].load(Ordering::Relaxed);
                (c > 0).then(|| (k.name().to_string(), c))
            })
            .collect();
        RunReport {
            wall_ms: wall.as_secs_f64() * 1e3,
            ok: self.ok.load(Ordering::Relaxed),
            errors,
            latency: LatencySummary::of(&all),
            overhead: LatencySummary::of(&overhead),
            server_error: LatencySummary::of(&server_error),
            in_flight,
            workers,
            knobs,
        }
    }
}

fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_LATENCY_US, 3).expect("constant histogram bounds are valid")
}

/// What one run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunReport {
    /// Wall time of the measured phase: from the first unit spawned to the last one joined.
    /// Building a runtime or a pool is not included; spawning the units is.
    pub wall_ms: f64,
    /// Requests that completed with a success status.
    pub ok: u64,
    /// Failed requests by kind (`ErrorKind::name`).
    pub errors: BTreeMap<String, u64>,
    /// Latency of the successful requests; `None` when none succeeded.
    pub latency: Option<LatencySummary>,
    /// Latency minus the delay the server says it served: what the client, the runtime and
    /// loopback add. `None` when the server does not say (a real target).
    pub overhead: Option<LatencySummary>,
    /// Served minus asked delay: the mock server's own timing error.
    pub server_error: Option<LatencySummary>,
    /// The most requests this model could have had in flight at once.
    pub in_flight: usize,
    /// OS threads that carried the work (pool size, runtime workers, spawned threads).
    pub workers: usize,
    pub knobs: Vec<Knob>,
}

impl RunReport {
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
}

/// Percentiles of one run's latencies, in milliseconds.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct LatencySummary {
    pub count: u64,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub p9999_ms: f64,
    pub max_ms: f64,
}

impl LatencySummary {
    fn of(h: &Histogram<u64>) -> Option<LatencySummary> {
        if h.is_empty() {
            return None;
        }
        let ms = |us: u64| us as f64 / 1e3;
        Some(LatencySummary {
            count: h.len(),
            mean_ms: h.mean() / 1e3,
            p50_ms: ms(h.value_at_quantile(0.50)),
            p90_ms: ms(h.value_at_quantile(0.90)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            p999_ms: ms(h.value_at_quantile(0.999)),
            p9999_ms: ms(h.value_at_quantile(0.9999)),
            max_ms: ms(h.max()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_exactly_n() {
        let run = HttpRun::new(3);
        let claimed = (0..10).filter(|_| run.claim()).count();
        assert_eq!(claimed, 3);
    }

    #[test]
    fn report_counts_and_percentiles() {
        let run = HttpRun::new(100);
        for i in 1..=100u64 {
            let served = Served {
                served: Some(Duration::from_millis(i.saturating_sub(1))),
                asked: Some(Duration::from_millis(i.saturating_sub(1))),
            };
            run.record(i as usize, Duration::from_millis(i), Ok(served));
        }
        run.record(0, Duration::ZERO, Err(ErrorKind::Timeout));
        run.record(0, Duration::ZERO, Err(ErrorKind::Timeout));
        run.record(0, Duration::ZERO, Err(ErrorKind::Connect));
        let r = run.report(Duration::from_secs(1), 4, 2, vec![]);
        assert_eq!(r.ok, 100);
        assert_eq!(r.errors["timeout"], 2);
        assert_eq!(r.errors["connect"], 1);
        assert_eq!(r.error_count(), 3);
        let l = r.latency.unwrap();
        assert_eq!(l.count, 100);
        assert!((l.p50_ms - 50.0).abs() < 0.1, "{}", l.p50_ms);
        assert!((l.p99_ms - 99.0).abs() < 0.1, "{}", l.p99_ms);
        assert!((l.max_ms - 100.0).abs() < 0.1, "{}", l.max_ms);
        let o = r.overhead.unwrap();
        assert!(
            (o.p50_ms - 1.0).abs() < 0.01,
            "1 ms between measured and served: {}",
            o.p50_ms
        );
        assert!(r.server_error.unwrap().max_ms < 0.01);
    }

    #[test]
    fn served_headers_parse() {
        let s = Served::from_headers(Some(b"83012"), Some(b"83000"));
        assert_eq!(s.served, Some(Duration::from_micros(83_012)));
        assert_eq!(s.asked, Some(Duration::from_micros(83_000)));
        assert_eq!(Served::from_headers(Some(b"x"), None), Served::default());
    }

    #[test]
    fn no_success_means_no_latency() {
        let run = HttpRun::new(1);
        run.record(0, Duration::ZERO, Err(ErrorKind::Reset));
        assert!(run.report(Duration::ZERO, 1, 1, vec![]).latency.is_none());
    }

    #[test]
    fn every_kind_has_its_own_counter_and_name() {
        for (i, kind) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(
                *kind as usize, i,
                "ALL lists the kinds in declaration order"
            );
        }
        let run = HttpRun::new(1);
        run.record(0, Duration::ZERO, Err(ErrorKind::Tls));
        let r = run.report(Duration::ZERO, 1, 1, vec![]);
        assert_eq!(r.errors["tls"], 1);
    }

    #[test]
    fn statuses_map_to_kinds() {
        assert_eq!(ErrorKind::from_status(200), None);
        assert_eq!(ErrorKind::from_status(404), Some(ErrorKind::Status4xx));
        assert_eq!(ErrorKind::from_status(503), Some(ErrorKind::Status5xx));
    }
}
