//! A peer's answer line, and how it becomes the report every Rust model returns. The shape
//! is one for every language: the window (wall time, CPU time and context switches of the
//! peer's own process inside it, the threads it had), the knobs, and per workload the
//! requests, the checked result, the park figures or the timed passes; or why it could not
//! run.

use serde::Deserialize;
use std::time::Duration;
use tvc_core::probe::Usage;
use tvc_core::{
    ErrorKind, HttpPlan, HttpRun, Knob, ModelError, ParkFigures, PeerProcess, Report, RunReport,
    Served, Window,
};

/// One answer.
#[derive(Debug, Default, Deserialize)]
pub struct Reply {
    /// The model cannot express the workload: why.
    pub unsupported: Option<String>,
    /// It could not run it (a thread limit, an exception): why.
    pub error: Option<String>,
    /// The peer cannot run anything here (its language lacks a package it needs): why.
    pub unusable: Option<String>,
    pub window: Option<PeerWindow>,
    #[serde(default)]
    pub workers: Option<usize>,
    #[serde(default)]
    pub knobs: Vec<(String, serde_json::Value)>,
    pub check: Option<u64>,
    pub park: Option<ParkFigures>,
    #[serde(default)]
    pub passes_ms: Vec<f64>,
    /// switch: the tokens each unit forwarded, in ring order.
    #[serde(default)]
    pub forwarded: Vec<u64>,
    /// http: one entry per finished request.
    pub requests: Option<Vec<Request>>,
    pub in_flight: Option<usize>,
    /// The first request error's text, for a reader wondering why.
    pub first_error: Option<String>,
    /// The peer's peak resident set (`VmHWM`) after the run, KiB.
    pub peak_rss_kib: Option<u64>,
    /// Whether it could reset that high-water mark when the run arrived.
    #[serde(default)]
    pub rss_window: bool,
    pub vm_peak_kib: Option<u64>,
}

/// The peer's measured window, as it timed itself.
#[derive(Debug, Default, Deserialize)]
pub struct PeerWindow {
    pub wall_ms: f64,
    pub usage: Usage,
    /// The most threads it saw in the window.
    #[serde(default)]
    pub threads: Option<u64>,
}

/// One finished request: latency in seconds, status, error kind (an [`ErrorKind::name`]),
/// and the built-in server's served and asked delays in µs.
pub type Request = (f64, Option<u16>, Option<String>, Option<u64>, Option<u64>);

impl Reply {
    /// Reads an answer line; anything else is an error naming the peer.
    pub fn parse(name: &str, line: &str) -> Result<Reply, ModelError> {
        serde_json::from_str(line).map_err(|e| {
            ModelError::Start(std::io::Error::other(format!(
                "{name}'s answer could not be read: {e}"
            )))
        })
    }

    /// The error it reported, if it reported one.
    fn refused(&mut self) -> Result<(), ModelError> {
        if let Some(why) = self.unsupported.take() {
            return Err(ModelError::Unsupported(why));
        }
        if let Some(why) = self.error.take() {
            return Err(ModelError::Start(std::io::Error::other(why)));
        }
        Ok(())
    }

    fn window(&self) -> Window {
        self.window
            .as_ref()
            .map(|w| Window {
                wall_ms: w.wall_ms,
                usage: w.usage,
                threads: w.threads,
            })
            .unwrap_or_default()
    }

    fn peer(&self) -> Option<PeerProcess> {
        Some(PeerProcess {
            peak_rss_kib: self.peak_rss_kib?,
            rss_window: self.rss_window,
            threads: self.window.as_ref().and_then(|w| w.threads),
            vm_peak_kib: self.vm_peak_kib,
        })
    }

    /// The knobs as the rows write them, `extra` first (the peer's own last).
    fn knobs(&self, extra: Vec<Knob>) -> Vec<Knob> {
        let own = self.knobs.iter().map(|(k, v)| match v {
            serde_json::Value::String(s) => Knob::new(k, s),
            v => Knob::new(k, v),
        });
        extra.into_iter().chain(own).collect()
    }

    /// A workload that makes no request: its report.
    pub fn into_report(mut self, extra: Vec<Knob>) -> Result<Report, ModelError> {
        self.refused()?;
        Ok(Report {
            window: self.window(),
            workers: self.workers.unwrap_or(1),
            knobs: self.knobs(extra),
            check: self.check,
            park: self.park,
            passes_ms: std::mem::take(&mut self.passes_ms),
            forwarded: std::mem::take(&mut self.forwarded),
            rounds: None,
            peer: self.peer(),
        })
    }

    /// An http run: its requests recorded through the shared [`HttpRun`] like every model's.
    /// `in_flight` where the peer does not say (a pool it does not report).
    pub fn into_run_report(
        mut self,
        plan: &HttpPlan,
        in_flight: usize,
        extra: Vec<Knob>,
    ) -> Result<RunReport, ModelError> {
        self.refused()?;
        let timeout = plan.request_timeout();
        let run = HttpRun::new(plan);
        for (i, (latency_s, status, kind, served, asked)) in self
            .requests
            .take()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let latency = Duration::try_from_secs_f64(latency_s).unwrap_or_default();
            let result = match (status, kind) {
                (_, Some(kind)) => Err(ErrorKind::ALL
                    .into_iter()
                    .find(|k| k.name() == kind)
                    .unwrap_or(ErrorKind::Io)),
                (Some(status), None) => match ErrorKind::from_status(status) {
                    Some(kind) => Err(kind),
                    // A client that times each read rather than the whole request (httpx)
                    // never trips on a body trickling in: a request over the plan's timeout
                    // counts as one all the same.
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
        let mut knobs = self.knobs(extra);
        if let Some(e) = &self.first_error {
            let e: String = e.replace([';', '='], ",").chars().take(160).collect();
            knobs.push(Knob::new("first_error", e));
        }
        let in_flight = self.in_flight.unwrap_or(in_flight);
        let workers = self.workers.unwrap_or(1);
        let mut report = run.report(self.window(), in_flight, workers, knobs);
        report.peer = self.peer();
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_park_answer_becomes_a_report_with_the_peers_own_figures() {
        let line = r#"{"window":{"wall_ms":12.5,"usage":{"user_ms":1,"sys_ms":2,
            "vol_ctx_switches":3,"invol_ctx_switches":4,"max_rss_kib":5},"threads":1001},
            "workers":1000,"knobs":[["python","3.11.7"],["stack_kib",8192]],
            "park":{"n":1000,"spawn_ms":5,"created_ms":4,"first_run_ms":0.1,
            "all_started_ms":4.5,"baseline_rss_kib":100,"baseline_vm_kib":200,
            "parked_rss_kib":300,"parked_vm_kib":400,"parked_threads":1001,
            "baseline_kernel":{"kernel_stack_kib":1,"page_tables_kib":2,"slab_unreclaim_kib":3},
            "parked_kernel":{"kernel_stack_kib":10,"page_tables_kib":20,"slab_unreclaim_kib":30}},
            "peak_rss_kib":350,"rss_window":true,"vm_peak_kib":500}"#;
        let r = Reply::parse("p", line)
            .unwrap()
            .into_report(vec![])
            .unwrap();
        assert_eq!((r.workers, r.window.wall_ms), (1000, 12.5));
        assert_eq!(r.window.usage.invol_ctx_switches, 4);
        assert_eq!(r.park.unwrap().parked_kernel.slab_unreclaim_kib, 30);
        assert_eq!(r.knobs[1], Knob::new("stack_kib", 8192));
        let peer = r.peer.unwrap();
        assert_eq!((peer.peak_rss_kib, peer.threads), (350, Some(1001)));
    }

    #[test]
    fn refusals_and_failures_are_model_errors() {
        let r = Reply::parse("p", r#"{"unsupported":"no atomics"}"#).unwrap();
        assert!(
            matches!(r.into_report(vec![]), Err(ModelError::Unsupported(w)) if w == "no atomics")
        );
        let r = Reply::parse("p", r#"{"error":"RuntimeError: can't start new thread"}"#).unwrap();
        let e = r.into_report(vec![]).unwrap_err().to_string();
        assert!(e.contains("can't start new thread"), "{e}");
        assert!(Reply::parse("the peer", "not json").is_err());
    }

    #[test]
    fn requests_are_recorded_like_every_models() {
        let plan = HttpPlan {
            url: "http://127.0.0.1:1/".into(),
            n: 3,
            concurrency: 3,
            keep_alive: true,
            request_timeout_ms: 1000,
            rate: None,
            ca_file: None,
        };
        let line = r#"{"window":{"wall_ms":30,"usage":{"user_ms":1,"sys_ms":1,
            "vol_ctx_switches":0,"invol_ctx_switches":0,"max_rss_kib":0}},
            "requests":[[0.02,200,null,15000,15000],[0.5,null,"connect",null,null],
            [2.0,200,null,null,null]],"in_flight":3,"workers":3,"first_error":"a=b;c",
            "peak_rss_kib":1,"rss_window":false}"#;
        let r = Reply::parse("p", line)
            .unwrap()
            .into_run_report(&plan, 1, vec![Knob::new("client", "x")])
            .unwrap();
        assert_eq!(r.ok, 1);
        assert_eq!(r.errors.get("connect"), Some(&1));
        assert_eq!(r.errors.get("timeout"), Some(&1), "over the plan's timeout");
        assert_eq!((r.in_flight, r.workers), (3, 3));
        assert_eq!(r.knobs[0], Knob::new("client", "x"));
        assert!(r.knobs.iter().any(|k| k.value == "a,b,c"));
        assert!(!r.peer.unwrap().rss_window);
    }
}
