//! Experiment files: a TOML sweep (workload, parameter lists, models, repetitions, warm-up)
//! and its expansion into points. Every mistake is reported before anything runs, naming the
//! file, the line and the key.

use crate::models;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tvc_core::{CpuMode, Lock};

/// A mistake in an experiment file.
#[derive(Debug, thiserror::Error)]
pub struct ExperimentError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ExperimentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A value or a list of values: `n = 200` and `n = [200, 400]` both work.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, expecting = "a value or a list of values")]
pub enum List<T> {
    One(T),
    Many(Vec<T>),
}

impl<T: Clone> List<T> {
    fn to_vec(&self) -> Vec<T> {
        match self {
            List::One(v) => vec![v.clone()],
            List::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Workload {
    Http,
    Park,
    Switch,
    Cpu,
    Blocking,
    SharedState,
}

impl Workload {
    pub fn name(self) -> &'static str {
        match self {
            Workload::Http => "http",
            Workload::Park => "park",
            Workload::Switch => "switch",
            Workload::Cpu => "cpu",
            Workload::Blocking => "blocking",
            Workload::SharedState => "shared-state",
        }
    }

    /// The keys its parameter table takes.
    fn keys(self) -> &'static [&'static str] {
        const HTTP: &[&str] = &[
            "n",
            "n_per_concurrency",
            "concurrency",
            "delay_ms",
            "jitter_ms",
            "bytes",
            "keep_alive",
            "request_timeout_ms",
            "rate",
            "seconds",
            "pinned",
        ];
        match self {
            Workload::Http => HTTP,
            Workload::Park => &["n", "pinned"],
            Workload::Switch => &["units", "hops", "pinned"],
            Workload::Cpu => &["n", "iters", "pinned"],
            Workload::Blocking => &[
                "n",
                "concurrency",
                "delay_ms",
                "jitter_ms",
                "bytes",
                "keep_alive",
                "request_timeout_ms",
                "cpu_tasks",
                "iters",
                "cpu_mode",
                "pinned",
            ],
            Workload::SharedState => &["units", "increments", "lock", "pinned"],
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    #[serde(default)]
    about: String,
    workload: Workload,
    models: List<String>,
    #[serde(default = "default_repetitions")]
    repetitions: u32,
    #[serde(default = "default_warmup")]
    warmup: u32,
    #[serde(default = "default_point_timeout_s")]
    point_timeout_s: u64,
    /// A real URL to measure instead of the built-in server (http and blocking only).
    target: Option<String>,
    quick: Option<Quick>,
    http: Option<Params>,
    park: Option<Params>,
    switch: Option<Params>,
    cpu: Option<Params>,
    blocking: Option<Params>,
    #[serde(rename = "shared-state")]
    shared_state: Option<Params>,
}

impl File {
    fn table(&self, w: Workload) -> &Option<Params> {
        match w {
            Workload::Http => &self.http,
            Workload::Park => &self.park,
            Workload::Switch => &self.switch,
            Workload::Cpu => &self.cpu,
            Workload::Blocking => &self.blocking,
            Workload::SharedState => &self.shared_state,
        }
    }
}

const WORKLOADS: [Workload; 6] = [
    Workload::Http,
    Workload::Park,
    Workload::Switch,
    Workload::Cpu,
    Workload::Blocking,
    Workload::SharedState,
];

fn default_repetitions() -> u32 {
    5
}
fn default_warmup() -> u32 {
    1
}
fn default_point_timeout_s() -> u64 {
    600
}

/// What `--quick` changes: fewer repetitions, and optionally fewer parameter values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Quick {
    repetitions: Option<u32>,
    warmup: Option<u32>,
    http: Option<Params>,
    park: Option<Params>,
    switch: Option<Params>,
    cpu: Option<Params>,
    blocking: Option<Params>,
    #[serde(rename = "shared-state")]
    shared_state: Option<Params>,
}

/// Declares [`Params`] from one list of its keys, with the two methods that must name every
/// key: a new key is added in one place.
macro_rules! params {
    ($($field:ident: $ty:ty),* $(,)?) => {
        /// A workload's parameter table; each value may be a list, and the sweep is the cross
        /// product. Which keys a workload takes is checked against [`Workload::keys`].
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Params {
            $($field: Option<$ty>,)*
        }

        impl Params {
            /// `over`'s values where it sets them, else these.
            fn overlay(self, over: Params) -> Params {
                Params { $($field: over.$field.or(self.$field)),* }
            }

            /// The keys that are set, for checking them against the workload.
            fn set_keys(&self) -> Vec<&'static str> {
                let mut keys = Vec::new();
                $(if self.$field.is_some() { keys.push(stringify!($field)); })*
                keys
            }
        }
    };
}

params! {
    n: List<u64>,
    n_per_concurrency: u64,
    concurrency: List<u64>,
    delay_ms: List<u64>,
    jitter_ms: List<u64>,
    bytes: List<u64>,
    keep_alive: List<bool>,
    request_timeout_ms: u64,
    rate: List<u64>,
    seconds: u64,
    units: List<u64>,
    hops: List<u64>,
    iters: List<u64>,
    cpu_tasks: List<u64>,
    cpu_mode: List<CpuMode>,
    increments: List<u64>,
    lock: List<Lock>,
    pinned: List<bool>,
}

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
    pub iters: Vec<u64>,
    pub cpu_tasks: Vec<u64>,
    pub cpu_mode: Vec<CpuMode>,
    pub lock: Vec<Lock>,
    pub pinned: Vec<bool>,
}

/// One measurement to take: a model, its parameters and a repetition number. `n` and
/// `concurrency` mean: http/blocking requests and requests in flight; park units (both);
/// switch hops and units in the ring; cpu units (both); shared-state increments per unit
/// and units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub experiment: String,
    pub workload: Workload,
    pub model: String,
    pub variant: String,
    pub n: u64,
    pub concurrency: u64,
    pub delay_ms: u64,
    pub jitter_ms: u64,
    pub bytes: u64,
    pub keep_alive: bool,
    pub request_timeout_ms: u64,
    /// Open loop: requests per second on a fixed schedule; 0 is the closed loop.
    #[serde(default)]
    pub rate: u64,
    pub iters: u64,
    pub cpu_tasks: u64,
    pub cpu_mode: CpuMode,
    pub lock: Lock,
    pub pinned: bool,
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
        })?;
        Experiment::parse(path, &source, quick)
    }

    pub fn parse(path: &Path, source: &str, quick: bool) -> Result<Experiment, ExperimentError> {
        let err = |line: Option<usize>, key: Option<&str>, message: String| ExperimentError {
            file: path.to_path_buf(),
            line,
            key: key.map(str::to_string),
            message,
        };
        let file: File = toml::from_str(source).map_err(|e| {
            let (line, key) = match e.span() {
                Some(span) => {
                    let (line, text) = line_at(source, span.start);
                    (Some(line), key_in_line(text))
                }
                None => (None, None),
            };
            err(line, key.as_deref(), e.message().trim().to_string())
        })?;
        let at = |section: Option<&str>, key: &str, message: String| {
            err(locate_key(source, section, key), Some(key), message)
        };

        let mut models = Vec::new();
        let mut seen = BTreeSet::new();
        for spec in file.models.to_vec() {
            let (model, variant) = models::parse_spec(&spec).map_err(|m| at(None, "models", m))?;
            if !seen.insert((model.name(), variant)) {
                return Err(at(None, "models", format!("`{spec}` is listed twice")));
            }
            models.push((model.name().to_string(), variant.to_string()));
        }
        if models.is_empty() {
            return Err(at(None, "models", "lists no model".into()));
        }
        if file.name.trim().is_empty()
            || !file
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(at(
                None,
                "name",
                "must be non-empty letters, digits, `-` or `_` (it names the results folder)"
                    .into(),
            ));
        }

        let workload = file.workload;
        let table = workload.name();
        for other in WORKLOADS.iter().filter(|w| **w != workload) {
            if file.table(*other).is_some() {
                return Err(err(
                    locate_table(source, other.name()),
                    Some(other.name()),
                    format!("this experiment's workload is {table}: use a [{table}] table"),
                ));
            }
        }
        let Some(mut params) = file.table(workload).clone() else {
            return Err(err(
                None,
                Some(table),
                format!("workload = \"{table}\" needs a [{table}] table"),
            ));
        };
        let (mut repetitions, mut warmup) = (file.repetitions, file.warmup);
        let mut quick_section = None;
        if quick {
            if let Some(q) = file.quick {
                repetitions = q.repetitions.unwrap_or(repetitions);
                warmup = q.warmup.unwrap_or(warmup);
                let over = match workload {
                    Workload::Http => q.http,
                    Workload::Park => q.park,
                    Workload::Switch => q.switch,
                    Workload::Cpu => q.cpu,
                    Workload::Blocking => q.blocking,
                    Workload::SharedState => q.shared_state,
                };
                if let Some(over) = over {
                    for key in over.set_keys() {
                        if !workload.keys().contains(&key) {
                            return Err(at(
                                Some(&format!("quick.{table}")),
                                key,
                                format!("does not apply to workload {table}"),
                            ));
                        }
                    }
                    params = params.overlay(over);
                    quick_section = Some(format!("quick.{table}"));
                }
            }
        }
        for key in params.set_keys() {
            if !workload.keys().contains(&key) {
                return Err(at(
                    Some(table),
                    key,
                    format!(
                        "does not apply to workload {table} (it takes: {})",
                        workload.keys().join(", ")
                    ),
                ));
            }
        }
        if repetitions == 0 {
            let section = if quick { Some("quick") } else { None };
            return Err(at(section, "repetitions", "must be at least 1".into()));
        }
        if file.target.is_some() && !matches!(workload, Workload::Http | Workload::Blocking) {
            return Err(at(
                None,
                "target",
                format!("a target needs workload http or blocking, not {table}"),
            ));
        }
        if file.point_timeout_s == 0 {
            return Err(at(None, "point_timeout_s", "must be at least 1".into()));
        }

        // A key's line is looked up in [quick.<table>] first when --quick overrode it.
        let key_at = |key: &str, message: String| {
            let line = quick_section
                .as_deref()
                .and_then(|q| locate_key(source, Some(q), key))
                .or_else(|| locate_key(source, Some(table), key));
            err(line, Some(key), message)
        };
        // The same value twice would measure the same point twice under one name.
        let no_repeats = |key: &str, repeated: Option<String>| match repeated {
            Some(v) => Err(key_at(
                key,
                format!("lists {v} twice: each point is measured once per repetition"),
            )),
            None => Ok(()),
        };
        let list = |key: &str, values: &Option<List<u64>>, default: u64, min: u64| {
            let values = values.as_ref().map(List::to_vec).unwrap_or(vec![default]);
            if values.is_empty() {
                return Err(key_at(key, "must list at least one value".into()));
            }
            if let Some(bad) = values.iter().find(|v| **v < min) {
                return Err(key_at(key, format!("must be at least {min} (got {bad})")));
            }
            no_repeats(key, first_repeat(&values))?;
            Ok(values)
        };
        let flags = |key: &str, values: &Option<List<bool>>, default: bool| {
            let values = values.as_ref().map(List::to_vec).unwrap_or(vec![default]);
            if values.is_empty() {
                return Err(key_at(key, "must list at least one value".into()));
            }
            no_repeats(key, first_repeat(&values))?;
            Ok(values)
        };
        let (n_key, concurrency_key) = match workload {
            Workload::Switch => ("hops", "units"),
            Workload::SharedState => ("increments", "units"),
            _ => ("n", "concurrency"),
        };
        let (n_values, concurrency_values) = match workload {
            Workload::Switch => (&params.hops, &params.units),
            Workload::SharedState => (&params.increments, &params.units),
            _ => (&params.n, &params.concurrency),
        };
        let default_n = match workload {
            Workload::Switch => 100_000,
            Workload::SharedState => 10_000,
            Workload::Cpu => 64,
            _ => 200,
        };
        let min_units = if workload == Workload::Switch { 2 } else { 1 };
        let sweep = Sweep {
            n: list(n_key, n_values, default_n, 1)?,
            n_per_concurrency: params.n_per_concurrency.unwrap_or(0),
            concurrency: list(concurrency_key, concurrency_values, min_units, min_units)?,
            delay_ms: list("delay_ms", &params.delay_ms, 0, 0)?,
            jitter_ms: list("jitter_ms", &params.jitter_ms, 0, 0)?,
            bytes: list("bytes", &params.bytes, 0, 0)?,
            keep_alive: flags("keep_alive", &params.keep_alive, true)?,
            request_timeout_ms: params.request_timeout_ms.unwrap_or(30_000),
            rate: match params.rate {
                None => vec![0],
                Some(_) => list("rate", &params.rate, 0, 1)?,
            },
            seconds: params.seconds.unwrap_or(0),
            iters: list("iters", &params.iters, 2_000_000, 1)?,
            cpu_tasks: list("cpu_tasks", &params.cpu_tasks, 0, 0)?,
            cpu_mode: params
                .cpu_mode
                .as_ref()
                .map(List::to_vec)
                .unwrap_or(vec![CpuMode::None]),
            lock: params
                .lock
                .as_ref()
                .map(List::to_vec)
                .unwrap_or(vec![Lock::Mutex]),
            pinned: flags("pinned", &params.pinned, false)?,
        };
        if params.seconds.is_some() {
            if params.rate.is_none() {
                return Err(key_at(
                    "seconds",
                    "sets an open loop's length: it needs a `rate`".into(),
                ));
            }
            if params.n.is_some() || params.n_per_concurrency.is_some() {
                return Err(key_at(
                    "seconds",
                    "sets n (rate × seconds): set `n`, `n_per_concurrency` or `seconds`, not \
                     two of them"
                        .into(),
                ));
            }
            if sweep.seconds == 0 {
                return Err(key_at("seconds", "must be at least 1".into()));
            }
        }
        // An open loop lasts its schedule (plus grace) whatever the model does, once per
        // warm-up and once measured, in one worker: it must fit the point timeout.
        if let Some(&slowest) = sweep.rate.iter().filter(|r| **r > 0).min() {
            let schedule = Duration::from_secs_f64(if sweep.seconds > 0 {
                sweep.seconds as f64
            } else {
                sweep.n.iter().copied().max().unwrap_or(1) as f64 / slowest as f64
            });
            let once = schedule + tvc_core::open_loop_grace(schedule);
            let need = once * (warmup + 1);
            if need.as_secs() >= file.point_timeout_s {
                let key = if sweep.seconds > 0 { "seconds" } else { "rate" };
                return Err(key_at(
                    key,
                    format!(
                        "an open loop of {:.0} s runs {} time(s) per worker (warm-ups and the \
                         measured run), up to {} s with its grace, past point_timeout_s = {}: \
                         shorten it or raise point_timeout_s",
                        schedule.as_secs_f64(),
                        warmup + 1,
                        need.as_secs(),
                        file.point_timeout_s
                    ),
                ));
            }
        }
        no_repeats("cpu_mode", first_repeat(&sweep.cpu_mode))?;
        no_repeats("lock", first_repeat(&sweep.lock))?;
        if sweep.request_timeout_ms == 0 {
            return Err(key_at("request_timeout_ms", "must be at least 1".into()));
        }
        for (key, values) in [
            ("delay_ms", &sweep.delay_ms),
            ("jitter_ms", &sweep.jitter_ms),
        ] {
            if values.iter().any(|v| *v > tvc_mock_server::MAX_DELAY_MS) {
                return Err(key_at(
                    key,
                    format!(
                        "exceeds the server's limit of {} ms",
                        tvc_mock_server::MAX_DELAY_MS
                    ),
                ));
            }
        }
        if sweep
            .bytes
            .iter()
            .any(|v| *v > tvc_mock_server::MAX_BODY_BYTES)
        {
            return Err(key_at(
                "bytes",
                format!(
                    "exceeds the server's limit of {} bytes",
                    tvc_mock_server::MAX_BODY_BYTES
                ),
            ));
        }

        if matches!(workload, Workload::Http | Workload::Blocking) {
            let c = sweep.concurrency.iter().copied().max().unwrap_or(1);
            let thread_per_unit = models
                .iter()
                .any(|(m, v)| THREAD_PER_REQUEST.contains(&(m.as_str(), v.as_str())));
            if let Some(why) = above_machine_limits(c, thread_per_unit) {
                return Err(key_at(concurrency_key, why));
            }
        }

        Ok(Experiment {
            name: file.name,
            about: file.about,
            file: path.to_path_buf(),
            source: source.to_string(),
            workload,
            quick,
            models,
            repetitions,
            warmup,
            point_timeout_s: file.point_timeout_s,
            target: file.target,
            sweep,
        })
    }

    /// Every point, repetition-major (all points once, then all again), so slow drift of the
    /// machine spreads over every model instead of biasing the one measured last. The
    /// sequential model runs one unit at a time: its http points get concurrency 1, so it
    /// has one point per other parameter set.
    pub fn points(&self) -> Vec<Point> {
        let s = &self.sweep;
        let mut points: Vec<Point> = Vec::new();
        for rep in 1..=self.repetitions {
            let first = points.len();
            for (model, variant) in &self.models {
                let template = Point {
                    experiment: self.name.clone(),
                    workload: self.workload,
                    model: model.clone(),
                    variant: variant.clone(),
                    n: 0,
                    concurrency: 0,
                    delay_ms: 0,
                    jitter_ms: 0,
                    bytes: 0,
                    keep_alive: true,
                    request_timeout_ms: s.request_timeout_ms,
                    rate: 0,
                    iters: 0,
                    cpu_tasks: 0,
                    cpu_mode: CpuMode::None,
                    lock: Lock::Mutex,
                    pinned: false,
                    rep,
                    warmup: self.warmup,
                };
                let mut set = vec![template];
                set = axis(set, &s.n, |p, v| p.n = v);
                set = axis(set, &s.concurrency, |p, v| p.concurrency = v);
                set = axis(set, &s.pinned, |p, v| p.pinned = v);
                match self.workload {
                    Workload::Http | Workload::Blocking => {
                        set = axis(set, &s.delay_ms, |p, v| p.delay_ms = v);
                        set = axis(set, &s.jitter_ms, |p, v| p.jitter_ms = v);
                        set = axis(set, &s.bytes, |p, v| p.bytes = v);
                        set = axis(set, &s.keep_alive, |p, v| p.keep_alive = v);
                        set = axis(set, &s.rate, |p, v| p.rate = v);
                    }
                    _ => {}
                }
                match self.workload {
                    Workload::Blocking => {
                        set = axis(set, &s.cpu_tasks, |p, v| p.cpu_tasks = v);
                        set = axis(set, &s.iters, |p, v| p.iters = v);
                        set = axis(set, &s.cpu_mode, |p, v| p.cpu_mode = v);
                    }
                    Workload::Cpu => set = axis(set, &s.iters, |p, v| p.iters = v),
                    Workload::SharedState => set = axis(set, &s.lock, |p, v| p.lock = v),
                    _ => {}
                }
                for mut p in set {
                    match self.workload {
                        Workload::Park | Workload::Cpu => p.concurrency = p.n,
                        Workload::Http | Workload::Blocking if model == "sequential" => {
                            p.concurrency = 1
                        }
                        _ => {}
                    }
                    if self.target.is_some() {
                        // The server's knobs mean nothing to a real target.
                        (p.delay_ms, p.jitter_ms, p.bytes) = (0, 0, 0);
                    }
                    if s.seconds > 0 && p.rate > 0 {
                        p.n = p.rate.saturating_mul(s.seconds);
                    }
                    if s.n_per_concurrency > 0 {
                        p.n = p.n.max(s.n_per_concurrency * p.concurrency);
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

/// Model variants that hold one OS thread per request in flight.
const THREAD_PER_REQUEST: [(&str, &str); 3] = [
    ("threads", "default"),
    ("threads", "stack=64k"),
    ("rayon", "pool=c"),
];

/// Sockets and threads a process needs besides one per request in flight.
const RESERVE: u64 = 64;

/// Why `c` requests in flight cannot run on this machine at all, if they cannot: every one
/// holds a socket (and, for thread-per-request models, a thread), and a process cannot go
/// past the hard limits. Limits a run may meet by its nature (the memory experiment parks
/// threads until they fail) are data, not mistakes; these are refused before anything runs.
fn above_machine_limits(c: u64, thread_per_request: bool) -> Option<String> {
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

/// The first value a list repeats, as written.
fn first_repeat<T: fmt::Debug + PartialEq>(values: &[T]) -> Option<String> {
    values
        .iter()
        .enumerate()
        .find_map(|(i, v)| values[..i].contains(v).then(|| format!("{v:?}")))
}

/// The cross product of `points` with one parameter's values.
fn axis<T: Copy>(points: Vec<Point>, values: &[T], set: impl Fn(&mut Point, T)) -> Vec<Point> {
    let set = &set;
    points
        .into_iter()
        .flat_map(|p| {
            values.iter().map(move |v| {
                let mut q = p.clone();
                set(&mut q, *v);
                q
            })
        })
        .collect()
}

/// The line of a `[table]` header.
fn locate_table(source: &str, table: &str) -> Option<usize> {
    source
        .lines()
        .position(|l| l.trim().starts_with('[') && key_in_line(l).as_deref() == Some(table))
        .map(|i| i + 1)
}

/// One-based line number of `offset` and that line's text.
fn line_at(source: &str, offset: usize) -> (usize, &str) {
    let offset = offset.min(source.len());
    let line = source[..offset].matches('\n').count() + 1;
    let text = source.lines().nth(line - 1).unwrap_or("");
    (line, text)
}

/// The key a TOML line sets (`key = ...`) or opens (`[table]`).
fn key_in_line(text: &str) -> Option<String> {
    let t = text.trim();
    if let Some(table) = t.strip_prefix('[') {
        return Some(
            table
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string(),
        );
    }
    let (key, _) = t.split_once('=')?;
    Some(key.trim().trim_matches('"').to_string())
}

/// The line where `key` is set inside `[section]` (top level when `None`).
fn locate_key(source: &str, section: Option<&str>, key: &str) -> Option<usize> {
    let mut current: Option<String> = None;
    for (i, line) in source.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            current = key_in_line(t);
            continue;
        }
        if current.as_deref() == section && key_in_line(t).as_deref() == Some(key) {
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
name = "t"
workload = "http"
models = ["sequential", "threads", "rayon:pool=c"]
repetitions = 3
warmup = 1

[quick]
repetitions = 1

[http]
n = 20
concurrency = [10, 20]
delay_ms = 50
keep_alive = [true, false]
"#;

    fn parse(src: &str) -> Result<Experiment, ExperimentError> {
        Experiment::parse(Path::new("exp.toml"), src, false)
    }

    fn error(src: &str) -> String {
        parse(src).expect_err("should fail").to_string()
    }

    #[test]
    fn expands_points_repetition_major_with_one_sequential_point() {
        let e = parse(GOOD).unwrap();
        let points = e.points();
        // per rep: sequential 2 (keep-alive), threads 4, rayon 4
        assert_eq!(points.len(), 3 * 10);
        assert!(points
            .iter()
            .filter(|p| p.model == "sequential")
            .all(|p| p.concurrency == 1));
        assert_eq!(points[0].rep, 1);
        assert_eq!(points[10].rep, 2);
        assert_eq!(points[2].variant, "default");
    }

    #[test]
    fn quick_overrides_repetitions() {
        let e = Experiment::parse(Path::new("x.toml"), GOOD, true).unwrap();
        assert_eq!(e.repetitions, 1);
        assert!(e.quick);
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let m = error(&GOOD.replace("delay_ms = 50", "delay_ms = 50\nwarp = 9"));
        assert!(m.starts_with("exp.toml:15: key `warp`"), "{m}");
        assert!(m.contains("unknown field"), "{m}");
    }

    #[test]
    fn wrong_type_names_the_key() {
        let m = error(&GOOD.replace("n = 20", "n = \"twenty\""));
        assert!(m.starts_with("exp.toml:12: key `n`"), "{m}");
    }

    #[test]
    fn negative_sizes_are_rejected() {
        let m = error(&GOOD.replace("n = 20", "n = -5"));
        assert!(m.contains("key `n`"), "{m}");
    }

    #[test]
    fn zero_sizes_are_rejected_with_their_line() {
        let m = error(&GOOD.replace("concurrency = [10, 20]", "concurrency = [10, 0]"));
        assert_eq!(
            m,
            "exp.toml:13: key `concurrency`: must be at least 1 (got 0)"
        );
        let m = error(&GOOD.replace("repetitions = 3", "repetitions = 0"));
        assert_eq!(m, "exp.toml:5: key `repetitions`: must be at least 1");
    }

    #[test]
    fn a_repeated_value_is_a_duplicate_point() {
        let m = error(&GOOD.replace("concurrency = [10, 20]", "concurrency = [10, 20, 10]"));
        assert_eq!(
            m,
            "exp.toml:13: key `concurrency`: lists 10 twice: each point is measured once per \
             repetition"
        );
        let m = error(&GOOD.replace("keep_alive = [true, false]", "keep_alive = [true, true]"));
        assert!(m.contains("key `keep_alive`: lists true twice"), "{m}");
    }

    #[test]
    fn concurrency_above_the_machine_is_refused_before_running() {
        let m = error(&GOOD.replace("concurrency = [10, 20]", "concurrency = [10, 2000000000]"));
        assert!(
            m.starts_with("exp.toml:13: key `concurrency`: 2000000000 requests in flight need"),
            "{m}"
        );
        assert!(m.contains("use at most"), "{m}");
        // Thread-per-request models meet the thread limit first; without them it is the
        // socket limit, whatever the machine's thread limit is.
        let limit = tvc_core::probe::ThreadLimit::predict().predicted;
        if let (Some(max), Some(files)) = (limit, tvc_core::probe::nofile_hard_limit()) {
            if max + 100 < files.saturating_sub(RESERVE) {
                let c = max + 100;
                let src = GOOD.replace("concurrency = [10, 20]", &format!("concurrency = {c}"));
                assert!(error(&src).contains("OS threads"), "{}", error(&src));
                let async_only = src.replace(
                    r#"models = ["sequential", "threads", "rayon:pool=c"]"#,
                    r#"models = ["tokio"]"#,
                );
                assert!(parse(&async_only).is_ok());
            }
        }
    }

    #[test]
    fn open_loops_must_fit_the_point_timeout_and_set_n_once() {
        let open = GOOD.replace("n = 20\n", "rate = [10]\nseconds = 400\n");
        let m = error(&open);
        assert!(
            m.contains("key `seconds`: an open loop of 400 s runs 2 time(s)"),
            "{m}"
        );
        let fits = open.replace("seconds = 400", "seconds = 100");
        assert_eq!(parse(&fits).unwrap().points()[0].n, 1000);
        let both = fits.replace("seconds = 100", "seconds = 100\nn_per_concurrency = 2");
        assert!(error(&both).contains("not two of them"), "{}", error(&both));
    }

    #[test]
    fn unknown_model_lists_the_known_ones() {
        let m = error(&GOOD.replace("\"threads\"", "\"fibers\""));
        assert!(
            m.starts_with("exp.toml:4: key `models`: unknown model `fibers`"),
            "{m}"
        );
        assert!(m.contains("smol"), "{m}");
    }

    #[test]
    fn duplicate_models_are_rejected() {
        let m = error(&GOOD.replace("\"threads\"", "\"sequential\""));
        assert!(m.contains("listed twice"), "{m}");
    }

    #[test]
    fn missing_table_and_missing_key() {
        let m = error("name = \"x\"\nworkload = \"http\"\nmodels = [\"tokio\"]\n");
        assert!(m.contains("[http]"), "{m}");
        let m = error("workload = \"http\"\nmodels = [\"tokio\"]\n[http]\n");
        assert!(m.contains("missing field `name`"), "{m}");
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let m = error("name = \"x\"\nworkload = http\n");
        assert!(m.starts_with("exp.toml:2"), "{m}");
    }

    /// A property: whatever the bytes, parsing returns a result and never panics. Inputs are
    /// the good file with random bytes replaced, inserted or cut (a deterministic xorshift,
    /// so a failure is reproducible).
    #[test]
    fn the_parser_never_panics_on_mangled_files() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet = b" =[]\"',.-_0123456789abcdefghijklmnopqrstuvwxyz\n#{}";
        for _ in 0..3000 {
            let mut bytes = GOOD.as_bytes().to_vec();
            for _ in 0..(1 + next() % 6) {
                let at = (next() as usize) % bytes.len().max(1);
                let c = alphabet[(next() as usize) % alphabet.len()];
                match next() % 3 {
                    0 => bytes[at] = c,
                    1 => bytes.insert(at, c),
                    _ => {
                        bytes.remove(at);
                    }
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            for quick in [false, true] {
                if let Ok(e) = Experiment::parse(Path::new("m.toml"), &text, quick) {
                    let _ = e.points();
                }
            }
        }
    }

    #[test]
    fn unknown_workload() {
        let m = error(&GOOD.replace("workload = \"http\"", "workload = \"ftp\""));
        assert!(m.contains("key `workload`") && m.contains("ftp"), "{m}");
    }
}
