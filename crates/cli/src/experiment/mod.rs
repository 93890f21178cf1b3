//! Experiment files: a TOML sweep (workload, parameter lists, models, repetitions, warm-up)
//! and its expansion into points. Every mistake is reported before anything runs, naming the
//! file, the line and the key.
//!
//! [`file`] is the TOML's shape, [`parse`] turns it into an [`Experiment`] in named steps,
//! [`limits`] holds what this machine and the built-in server can take, [`locate`] finds
//! where a key sits for the error.

mod file;
mod limits;
mod locate;
mod parse;

pub use locate::ExperimentError;

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tvc_core::{CpuMode, Lock, Medium, Workload};
use tvc_results::PointKey;

/// A parsed, validated experiment.
#[derive(Debug, Clone, Serialize)]
pub struct Experiment {
    pub name: String,
    pub about: String,
    pub file: PathBuf,
    pub source: String,
    pub workload: Workload,
    pub quick: bool,
    /// `(model, variant)` pairs, in file order.
    pub models: Vec<(String, String)>,
    pub repetitions: u32,
    pub warmup: u32,
    pub point_timeout_s: u64,
    /// A real URL instead of the built-in server; delay, jitter and bytes do not apply then.
    pub target: Option<String>,
    /// The parameter values after defaults and `--quick` are applied.
    pub sweep: Sweep,
    /// A peer language's own values (its table inside the workload's, e.g. `[park.python]`),
    /// for its models instead of `sweep`.
    pub languages: Vec<(tvc_core::Language, Sweep)>,
}

/// Every parameter's list of values (one value for those that do not apply).
#[derive(Debug, Clone, Serialize)]
pub struct Sweep {
    pub n: Vec<u64>,
    pub n_per_concurrency: u64,
    pub concurrency: Vec<u64>,
    pub delay_ms: Vec<u64>,
    pub jitter_ms: Vec<u64>,
    pub bytes: Vec<u64>,
    pub keep_alive: Vec<bool>,
    pub request_timeout_ms: u64,
    /// Open-loop rates in requests per second; 0 is the closed loop.
    pub rate: Vec<u64>,
    /// Open loop: the schedule's length; each point's n is rate × seconds. 0: use `n`.
    pub seconds: u64,
    /// switch: timed passes around the ring per worker (0 for other workloads).
    pub passes: u64,
    pub iters: Vec<u64>,
    pub cpu_tasks: Vec<u64>,
    pub cpu_mode: Vec<CpuMode>,
    pub lock: Vec<Lock>,
    pub pinned: Vec<bool>,
    /// switch: what carries the token.
    pub medium: Vec<Medium>,
}

/// One measurement to take: the point's parameters (its key, as the results files write
/// it), a repetition number, and how the worker runs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    #[serde(flatten)]
    pub key: PointKey,
    pub request_timeout_ms: u64,
    pub rep: u32,
    pub warmup: u32,
}

impl Experiment {
    pub fn load(path: &Path, quick: bool) -> Result<Experiment, ExperimentError> {
        let source = std::fs::read_to_string(path).map_err(|e| ExperimentError {
            file: path.to_path_buf(),
            line: None,
            key: None,
            message: format!("cannot read the experiment file: {e}"),
            machine_limit: false,
        })?;
        Experiment::parse(path, &source, quick)
    }

    /// Parses and checks an experiment file's text; `quick` applies its `[quick]` section.
    pub fn parse(path: &Path, source: &str, quick: bool) -> Result<Experiment, ExperimentError> {
        parse::parse(path, source, quick)
    }

    /// Every point, repetition-major (all points once, then all again), so slow drift of the
    /// machine spreads over every model instead of biasing the one measured last. The
    /// sequential model runs one unit at a time: its http points get concurrency 1, so it
    /// has one point per other parameter set.
    /// The values `model`'s points sweep: its language's own, else the experiment's.
    pub fn sweep_for(&self, model: &str) -> &Sweep {
        let language = tvc_core::registry::model(model).map(|m| m.language);
        let own = self.languages.iter().find(|(l, _)| Some(*l) == language);
        own.map_or(&self.sweep, |(_, s)| s)
    }

    pub fn points(&self) -> Vec<Point> {
        let mut points: Vec<Point> = Vec::new();
        for rep in 1..=self.repetitions {
            let first = points.len();
            for (model, variant) in &self.models {
                let s = self.sweep_for(model);
                let template = Point {
                    key: PointKey {
                        experiment: self.name.clone(),
                        workload: self.workload,
                        model: model.clone(),
                        variant: variant.clone(),
                        keep_alive: true,
                        ..PointKey::default()
                    },
                    request_timeout_ms: s.request_timeout_ms,
                    rep,
                    warmup: self.warmup,
                };
                let mut set = vec![template];
                set = axis(set, &s.n, |k, v| k.n = v);
                set = axis(set, &s.concurrency, |k, v| k.concurrency = v);
                set = axis(set, &s.pinned, |k, v| k.pinned = v);
                if self.workload.is_http() {
                    set = axis(set, &s.delay_ms, |k, v| k.delay_ms = v);
                    set = axis(set, &s.jitter_ms, |k, v| k.jitter_ms = v);
                    set = axis(set, &s.bytes, |k, v| k.bytes = v);
                    set = axis(set, &s.keep_alive, |k, v| k.keep_alive = v);
                    set = axis(set, &s.rate, |k, v| k.rate_per_s = v);
                }
                match self.workload {
                    Workload::Blocking => {
                        set = axis(set, &s.cpu_tasks, |k, v| k.cpu_tasks = v);
                        set = axis(set, &s.iters, |k, v| k.iters = v);
                        set = axis(set, &s.cpu_mode, |k, v| k.cpu_mode = v);
                    }
                    Workload::Cpu => set = axis(set, &s.iters, |k, v| k.iters = v),
                    Workload::SharedState => set = axis(set, &s.lock, |k, v| k.lock = v),
                    Workload::Switch => {
                        set = axis(set, &[s.passes], |k, v| k.passes = v);
                        set = axis(set, &s.medium, |k, v| k.medium = v);
                    }
                    _ => {}
                }
                for mut p in set {
                    let k = &mut p.key;
                    match self.workload {
                        Workload::Park | Workload::Cpu => k.concurrency = k.n,
                        w if w.is_http() && k.one_at_a_time() => k.concurrency = 1,
                        _ => {}
                    }
                    if self.target.is_some() {
                        // The server's knobs mean nothing to a real target.
                        (k.delay_ms, k.jitter_ms, k.bytes) = (0, 0, 0);
                    }
                    if s.seconds > 0 && k.rate_per_s > 0 {
                        k.n = k.rate_per_s.saturating_mul(s.seconds);
                    }
                    if s.n_per_concurrency > 0 {
                        k.n = k.n.max(s.n_per_concurrency * k.concurrency);
                    }
                    if !points[first..].contains(&p) {
                        points.push(p);
                    }
                }
            }
        }
        points
    }
}

/// The cross product of `points` with one parameter's values.
fn axis<T: Copy>(points: Vec<Point>, values: &[T], set: impl Fn(&mut PointKey, T)) -> Vec<Point> {
    let set = &set;
    points
        .into_iter()
        .flat_map(|p| {
            values.iter().map(move |v| {
                let mut q = p.clone();
                set(&mut q.key, *v);
                q
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
