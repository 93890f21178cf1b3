//! The state every model shares during an http run: which request comes next and when it is
//! due, the latency histograms and the error counts. One implementation for all models keeps
//! them honest: they differ in how they run units of work (and how they sleep until a
//! request is due), never in how they count.
//!
//! Two loops. **Closed** (no rate): C units send as fast as answers come back; a request is
//! due the moment a unit claims it. **Open** (a rate R): request k is due at
//! `start + k / R` whatever happened before, as wrk2 schedules it. When every unit is busy
//! (a slow or stalled server) requests go out late; their latency measured from the due time
//! (*corrected*, the default columns) includes that wait, while latency from the actual send
//! (*uncorrected*) hides it: that gap is coordinated omission. Like wrk2's duration, an open
//! loop ends: requests not sent by [`open_loop_grace`] after the schedule's last due time are
//! never sent and are counted as `unsent`, so a model that cannot keep up ends in bounded
//! time and says how far it fell behind.

use crate::{HttpPlan, Knob, Window};
use hdrhistogram::Histogram;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub use crate::run_report::{LatencySummary, PeerProcess, RunReport};

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

/// How long past the schedule's end an open loop keeps sending late requests: one second
/// plus a tenth of the schedule.
pub fn open_loop_grace(schedule: Duration) -> Duration {
    Duration::from_secs(1) + schedule / 10
}

/// Shards keep recording cheap under contention without a histogram per unit (a histogram is
/// about 90 KiB; a million tasks could not each own one, and memory must not grow with N).
/// A run has as many shards as units, up to this: the histograms are the harness's own
/// memory in every worker's peak RSS, so a run pays only for those it can use.
const SHARDS: usize = 16;
/// Counts per latency bucket: 32 bits hold four billion requests in one bucket and halve
/// the histograms' memory against 64.
pub(crate) type Counts = Histogram<u32>;
/// Latencies are recorded in microseconds, up to one hour, with three significant digits.
const MAX_LATENCY_US: u64 = 3_600_000_000;

/// Shared state of one http run. Units call [`claim`](Self::claim) until it says no, wait
/// until the claimed request is due ([`Due::wait`], with their own sleep), send it, and call
/// [`record`](Self::record) once it is answered.
pub struct HttpRun {
    n: u64,
    /// Open loop: nanoseconds between two scheduled requests. `None`: closed loop.
    interval_ns: Option<f64>,
    /// When the first request was claimed: time zero of the schedule.
    start: OnceLock<Instant>,
    next: AtomicU64,
    ok: AtomicU64,
    errors: [AtomicU64; ErrorKind::ALL.len()],
    /// The latest actual send, in nanoseconds after `start` (for the achieved rate).
    last_sent_ns: AtomicU64,
    shards: Vec<Mutex<Shard>>,
}

/// One shard: the latency from the due time and from the actual send, what the harness
/// itself adds (latency minus the delay the server served) and the server's own error
/// (served minus asked).
struct Shard {
    latency: Counts,
    /// Open loop only: a closed loop's requests are due when sent, one view.
    uncorrected: Option<Counts>,
    overhead: Counts,
    server_error: Counts,
}

/// A claimed request and the time it is due to be sent: `None` in a closed loop, where a
/// request is due when it is sent.
#[derive(Debug, Clone, Copy)]
pub struct Due(Option<Instant>);

impl Due {
    /// How long to sleep before sending; `None` when it is due already (so a closed loop
    /// never touches a timer or the clock).
    pub fn wait(&self) -> Option<Duration> {
        let left = self.0?.checked_duration_since(Instant::now())?;
        (!left.is_zero()).then_some(left)
    }
}

impl HttpRun {
    pub fn new(plan: &HttpPlan) -> HttpRun {
        let shards = (0..plan.concurrency.clamp(1, SHARDS))
            .map(|_| {
                Mutex::new(Shard {
                    latency: new_histogram(),
                    uncorrected: plan.rate.map(|_| new_histogram()),
                    overhead: new_histogram(),
                    server_error: new_histogram(),
                })
            })
            .collect();
        HttpRun {
            n: plan.n,
            interval_ns: plan.rate.map(|r| 1e9 / r),
            start: OnceLock::new(),
            next: AtomicU64::new(0),
            ok: AtomicU64::new(0),
            errors: Default::default(),
            last_sent_ns: AtomicU64::new(0),
            shards,
        }
    }

    /// Claims the next request and says when it is due; `None` once all `n` are taken.
    pub fn claim(&self) -> Option<Due> {
        let k = self.next.fetch_add(1, Ordering::Relaxed);
        if k >= self.n {
            return None;
        }
        let Some(interval) = self.interval_ns else {
            return Some(Due(None));
        };
        let start = *self.start.get_or_init(Instant::now);
        // Due times are absolute: a late request never pushes the next one back.
        let at = |k: u64| due_at(start, interval, k);
        let end = at(self.n - 1);
        if Instant::now() > end + open_loop_grace(end - start) {
            return None; // counted as unsent in the report
        }
        Some(Due(Some(at(k))))
    }

    /// Records one finished request, sent at `sent` (after its due time, if the unit had to
    /// wait). `unit` spreads units over histogram shards.
    pub fn record(&self, unit: usize, due: Due, sent: Instant, result: Result<Served, ErrorKind>) {
        let done = Instant::now();
        self.record_done(unit, due, sent, done, result);
    }

    /// Records one finished request whose latency was measured somewhere this process cannot
    /// see (a peer model's own interpreter, with its own clock), as
    /// [`record`](Self::record) would have from the send to the answer.
    ///
    /// Closed loop only: the peer's requests had no due time here, so nothing can be
    /// corrected for coordinated omission; a plan with a rate must be refused before any
    /// request (debug builds check). Requests are not claimed: what is never recorded is
    /// reported as unsent.
    pub fn record_measured(
        &self,
        unit: usize,
        latency: Duration,
        result: Result<Served, ErrorKind>,
    ) {
        debug_assert!(
            self.interval_ns.is_none(),
            "record_measured is for closed loops"
        );
        // The same arithmetic as a send `latency` before an answer now.
        let done = Instant::now();
        let sent = done.checked_sub(latency).unwrap_or(done);
        let done = sent + latency;
        self.record_done(unit, Due(None), sent, done, result);
    }

    fn record_done(
        &self,
        unit: usize,
        due: Due,
        sent: Instant,
        done: Instant,
        result: Result<Served, ErrorKind>,
    ) {
        // Open loop only: the closed loop's hot path pays for nothing it does not report.
        if let (Some(_), Some(start)) = (due.0, self.start.get()) {
            let ns = u64::try_from(sent.saturating_duration_since(*start).as_nanos());
            self.last_sent_ns
                .fetch_max(ns.unwrap_or(u64::MAX), Ordering::Relaxed);
        }
        let us = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1);
        match result {
            Ok(served) => {
                self.ok.fetch_add(1, Ordering::Relaxed);
                let measured = done.saturating_duration_since(sent);
                let mut h = self.shards[unit % self.shards.len()]
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                match due.0 {
                    // A unit that woke a little early sent before its due time: count from
                    // then.
                    Some(at) => {
                        h.latency
                            .saturating_record(us(done.saturating_duration_since(at.min(sent))));
                        if let Some(u) = h.uncorrected.as_mut() {
                            u.saturating_record(us(measured));
                        }
                    }
                    // Closed loop: due when sent, so the two views are one histogram.
                    None => h.latency.saturating_record(us(measured)),
                }
                if let Some(s) = served.served {
                    h.overhead.saturating_record(us(measured.saturating_sub(s)));
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

    /// Builds the report once every unit has finished, at the end of the measured window.
    pub fn report(
        &self,
        window: Window,
        in_flight: usize,
        workers: usize,
        knobs: Vec<Knob>,
    ) -> RunReport {
        let end = Instant::now();
        let (mut all, mut uncorrected, mut overhead, mut server_error) = (
            new_histogram(),
            new_histogram(),
            new_histogram(),
            new_histogram(),
        );
        for shard in &self.shards {
            let h = shard.lock().unwrap_or_else(|p| p.into_inner());
            // Same bounds everywhere, so adding cannot fail.
            let _ = all.add(&h.latency);
            if let Some(u) = &h.uncorrected {
                let _ = uncorrected.add(u);
            }
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
        let ok = self.ok.load(Ordering::Relaxed);
        let sent = ok + self.error_count();
        // Every request sent is recorded once, so what is missing was never sent. A request
        // never sent is as late as the end of the run: it counts in the latency from the due
        // time, so a model that fell behind cannot hide its worst requests by not sending
        // them (they are the last ones due).
        let unsent = self.n.saturating_sub(sent);
        if let (Some(interval), Some(start)) = (self.interval_ns, self.start.get()) {
            for k in self.n - unsent..self.n {
                let due = due_at(*start, interval, k);
                let late = end.saturating_duration_since(due);
                all.saturating_record(u64::try_from(late.as_micros()).unwrap_or(u64::MAX).max(1));
            }
        }
        let last_sent_s = self.last_sent_ns.load(Ordering::Relaxed) as f64 / 1e9;
        RunReport {
            window,
            ok,
            errors,
            latency: LatencySummary::of(&all),
            uncorrected: match self.interval_ns {
                Some(_) => LatencySummary::of(&uncorrected),
                None => LatencySummary::of(&all),
            },
            rate_per_s: self.interval_ns.map(|i| 1e9 / i),
            // Sends 0..n-1 over the time to the last one: exactly the rate when on schedule.
            // Never over less than the schedule itself, so requests cut off unsent (a run
            // stopped early by a stall) lower the rate instead of vanishing from it.
            achieved_rate_per_s: self.interval_ns.and_then(|interval| {
                let schedule_s = (self.n.saturating_sub(1)) as f64 * interval / 1e9;
                let window = last_sent_s.max(schedule_s);
                (sent > 1 && window > 0.0).then(|| (sent - 1) as f64 / window)
            }),
            unsent,
            overhead: LatencySummary::of(&overhead),
            server_error: LatencySummary::of(&server_error),
            in_flight,
            workers,
            knobs,
            peer: None,
        }
    }
}

impl HttpRun {
    fn error_count(&self) -> u64 {
        self.errors.iter().map(|e| e.load(Ordering::Relaxed)).sum()
    }
}

/// When request `k` of an open loop is due: `k` intervals (ns) after the schedule's start.
fn due_at(start: Instant, interval_ns: f64, k: u64) -> Instant {
    start + Duration::from_nanos((k as f64 * interval_ns) as u64)
}

fn new_histogram() -> Counts {
    Histogram::new_with_bounds(1, MAX_LATENCY_US, 3).expect("constant histogram bounds are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(n: u64, rate: Option<f64>) -> HttpPlan {
        HttpPlan {
            url: String::new(),
            n,
            concurrency: 1,
            keep_alive: true,
            request_timeout_ms: 1,
            rate,
            ca_file: None,
        }
    }

    fn window(wall: Duration) -> Window {
        Window {
            wall_ms: wall.as_secs_f64() * 1e3,
            ..Window::default()
        }
    }

    /// Records a success answered now, sent `sent_ago` ago.
    fn answer(run: &HttpRun, due: Due, sent_ago: Duration, served: Served) {
        run.record(0, due, Instant::now() - sent_ago, Ok(served));
    }

    #[test]
    fn claims_exactly_n() {
        let run = HttpRun::new(&plan(3, None));
        let claimed = (0..10).filter(|_| run.claim().is_some()).count();
        assert_eq!(claimed, 3);
    }

    #[test]
    fn closed_loop_requests_are_due_at_once() {
        let run = HttpRun::new(&plan(1, None));
        let due = run.claim().unwrap();
        assert!(
            due.0.is_none() && due.wait().is_none(),
            "no schedule, no wait"
        );
        answer(&run, due, Duration::from_millis(5), Served::default());
        let r = run.report(window(Duration::from_millis(5)), 1, 1, vec![]);
        assert!(r.rate_per_s.is_none() && r.achieved_rate_per_s.is_none());
        assert!(r.rate_kept().is_none());
        assert_eq!(r.unsent, 0, "a closed loop never leaves a request unsent");
        let l = r.latency.unwrap();
        assert_eq!(l.count, 1);
        assert!(l.p50_ms >= 5.0 && l.p50_ms < 6.0, "from the send: {l:?}");
    }

    #[test]
    fn open_loop_schedule_is_absolute() {
        // 100 per second: request k is due k × 10 ms after the first claim.
        let run = HttpRun::new(&plan(4, Some(100.0)));
        let first = run.claim().unwrap();
        assert!(first.wait().is_none());
        let dues: Vec<Due> = (0..3).map(|_| run.claim().unwrap()).collect();
        for (k, due) in dues.iter().enumerate() {
            let want = Duration::from_millis(10 * (k as u64 + 1));
            assert_eq!(due.0.unwrap() - first.0.unwrap(), want);
            assert!(due.wait().is_some_and(|w| w <= want));
        }
        assert!(run.claim().is_none());
    }

    #[test]
    fn late_sends_count_from_their_due_time() {
        // A request due 50 ms ago, sent 10 ms ago: 50 ms corrected, 10 ms uncorrected, and
        // the harness overhead is measured from the actual send.
        let run = HttpRun::new(&plan(1, Some(1.0)));
        let due = run.claim().unwrap();
        let due = Due(due.0.map(|at| at - Duration::from_millis(50)));
        let served = Served {
            served: Some(Duration::from_millis(9)),
            asked: Some(Duration::from_millis(9)),
        };
        answer(&run, due, Duration::from_millis(10), served);
        let r = run.report(window(Duration::from_millis(50)), 1, 1, vec![]);
        let (c, u) = (r.latency.unwrap(), r.uncorrected.unwrap());
        assert!(c.p50_ms >= 50.0 && c.p50_ms < 60.0, "{c:?}");
        assert!(u.p50_ms >= 10.0 && u.p50_ms < 15.0, "{u:?}");
        assert!(r.overhead.unwrap().p50_ms < 5.0);
    }

    #[test]
    fn an_open_loop_past_its_schedule_sends_no_more() {
        // Three requests due within a microsecond; one second and a bit later, the two
        // still unclaimed are never sent and are counted as such.
        let run = HttpRun::new(&plan(3, Some(1e6)));
        let due = run.claim().unwrap();
        std::thread::sleep(open_loop_grace(Duration::from_micros(2)) + Duration::from_millis(20));
        assert!(run.claim().is_none());
        run.record(0, due, Instant::now(), Err(ErrorKind::Timeout));
        let r = run.report(window(Duration::from_secs(1)), 1, 1, vec![]);
        assert_eq!(r.unsent, 2);
        assert_eq!(r.rate_kept(), Some(false));
        // The two never sent count from their due time to the end of the run.
        let late = r.latency.expect("the unsent are counted");
        assert_eq!(late.count, 2);
        assert!(late.p50_ms >= 1000.0, "{late:?}");
        assert!(r.uncorrected.is_none(), "nothing was sent and answered");
    }

    #[test]
    fn requests_never_sent_lower_the_achieved_rate() {
        // 11 requests at 1000/s (a 10 ms schedule); only the first 6 went out, on time.
        let run = HttpRun::new(&plan(11, Some(1000.0)));
        let dues: Vec<Due> = (0..6).map(|_| run.claim().unwrap()).collect();
        for (k, due) in dues.into_iter().enumerate() {
            let sent = run.start.get().copied().unwrap() + Duration::from_millis(k as u64);
            run.record(0, due, sent, Err(ErrorKind::Timeout));
        }
        let r = run.report(window(Duration::from_millis(30)), 1, 1, vec![]);
        assert_eq!(r.unsent, 5);
        let achieved = r.achieved_rate_per_s.unwrap();
        assert!(
            (achieved - 500.0).abs() < 1.0,
            "5 sends over 10 ms: {achieved}"
        );
        assert_eq!(r.rate_kept(), Some(false));
    }

    #[test]
    fn achieved_rate_is_sends_over_the_send_window() {
        let run = HttpRun::new(&plan(3, Some(1000.0)));
        let dues: Vec<Due> = (0..3).map(|_| run.claim().unwrap()).collect();
        // Sent at 0, 1 and 20 ms: 2 intervals in 20 ms is 100/s, far from 1000/s.
        for (due, at) in dues.into_iter().zip([0, 1, 20]) {
            let sent = run.start.get().copied().unwrap() + Duration::from_millis(at);
            run.record(0, due, sent, Err(ErrorKind::Timeout));
        }
        let r = run.report(window(Duration::from_millis(30)), 1, 1, vec![]);
        let achieved = r.achieved_rate_per_s.unwrap();
        assert!((achieved - 100.0).abs() < 1.0, "{achieved}");
        assert_eq!(r.rate_kept(), Some(false));
    }

    #[test]
    fn report_counts_and_percentiles() {
        let run = HttpRun::new(&plan(103, None));
        for i in 1..=100u64 {
            let served = Served {
                served: Some(Duration::from_millis(i.saturating_sub(1))),
                asked: Some(Duration::from_millis(i.saturating_sub(1))),
            };
            let sent = Instant::now() - Duration::from_millis(i);
            run.record(i as usize, Due(None), sent, Ok(served));
        }
        for kind in [ErrorKind::Timeout, ErrorKind::Timeout, ErrorKind::Connect] {
            let due = run.claim().unwrap();
            run.record(0, due, Instant::now(), Err(kind));
        }
        let r = run.report(window(Duration::from_secs(1)), 4, 2, vec![]);
        assert_eq!(r.ok, 100);
        assert_eq!(r.errors["timeout"], 2);
        assert_eq!(r.errors["connect"], 1);
        assert_eq!(r.error_count(), 3);
        let l = r.latency.unwrap();
        assert_eq!(l.count, 100);
        assert!((l.p50_ms - 50.0).abs() < 0.5, "{}", l.p50_ms);
        assert!((l.p99_ms - 99.0).abs() < 0.5, "{}", l.p99_ms);
        assert!((l.max_ms - 100.0).abs() < 0.5, "{}", l.max_ms);
        let o = r.overhead.unwrap();
        assert!(
            (o.p50_ms - 1.0).abs() < 0.5,
            "1 ms between measured and served: {}",
            o.p50_ms
        );
        assert!(r.server_error.unwrap().max_ms < 0.01);
    }

    #[test]
    fn latencies_measured_elsewhere_are_recorded_as_if_sent_here() {
        let run = HttpRun::new(&plan(4, None));
        let served = Served {
            served: Some(Duration::from_millis(80)),
            asked: Some(Duration::from_millis(80)),
        };
        run.record_measured(0, Duration::from_millis(83), Ok(served));
        run.record_measured(1, Duration::from_millis(90), Ok(Served::default()));
        run.record_measured(2, Duration::from_millis(5), Err(ErrorKind::Connect));
        let r = run.report(window(Duration::from_millis(200)), 4, 1, vec![]);
        assert_eq!(r.ok, 2);
        assert_eq!(r.errors["connect"], 1);
        assert_eq!(r.unsent, 1, "one of the four was never recorded");
        let l = r.latency.unwrap();
        assert_eq!(l.count, 2);
        assert!((l.p50_ms - 83.0).abs() < 0.1, "{l:?}");
        assert!((l.max_ms - 90.0).abs() < 0.1, "{l:?}");
        assert_eq!(r.uncorrected.unwrap().count, 2, "closed loop: one view");
        let o = r.overhead.unwrap();
        assert_eq!(o.count, 1, "only the answer that said what it served");
        assert!((o.p50_ms - 3.0).abs() < 0.1, "{o:?}");
        assert_eq!(r.window.wall_ms, 200.0, "the caller's wall time, as given");
        assert!(r.peer.is_none());
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
        let run = HttpRun::new(&plan(1, None));
        let due = run.claim().unwrap();
        run.record(0, due, Instant::now(), Err(ErrorKind::Reset));
        assert!(run
            .report(window(Duration::ZERO), 1, 1, vec![])
            .latency
            .is_none());
    }

    #[test]
    fn every_kind_has_its_own_counter_and_name() {
        for (i, kind) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(
                *kind as usize, i,
                "ALL lists the kinds in declaration order"
            );
        }
        let run = HttpRun::new(&plan(1, None));
        let due = run.claim().unwrap();
        run.record(0, due, Instant::now(), Err(ErrorKind::Tls));
        let r = run.report(window(Duration::ZERO), 1, 1, vec![]);
        assert_eq!(r.errors["tls"], 1);
    }

    #[test]
    fn statuses_map_to_kinds() {
        assert_eq!(ErrorKind::from_status(200), None);
        assert_eq!(ErrorKind::from_status(404), Some(ErrorKind::Status4xx));
        assert_eq!(ErrorKind::from_status(503), Some(ErrorKind::Status5xx));
    }
}
