//! Reading a run folder (`raw.csv`, `summary.csv`, `env.json`, `fits.csv`) into typed rows,
//! tolerant of columns added later, strict about cells that do not parse. Charts and the
//! report both start here, so they can never disagree about what a file says.

use crate::PlotError;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One line of raw.csv. Columns are matched by header name; a column this version does not
/// know is ignored and one it knows but the file lacks reads as empty (not measured).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawRow {
    pub experiment: String,
    pub workload: String,
    pub model: String,
    pub variant: String,
    pub n: Option<u64>,
    pub concurrency: Option<u64>,
    pub delay_ms: Option<u64>,
    pub jitter_ms: Option<u64>,
    pub bytes: Option<u64>,
    pub keep_alive: Option<bool>,
    /// Open loop: the rate asked for; 0 or empty for a closed loop.
    pub rate_per_s: Option<u64>,
    pub pinned: Option<bool>,
    pub cpu_mode: String,
    pub iters: Option<u64>,
    pub cpu_tasks: Option<u64>,
    /// The synchronisation of the shared-state workload: `mutex`, `atomic` or `none`.
    pub lock: String,
    pub rep: Option<u32>,
    pub status: String,
    pub reason: String,
    pub count_ok: Option<bool>,
    pub wall_ms: Option<f64>,
    pub throughput_per_s: Option<f64>,
    pub errors: Option<f64>,
    pub mean_ms: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p90_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub p999_ms: Option<f64>,
    pub p9999_ms: Option<f64>,
    pub max_ms: Option<f64>,
    pub p50_uncorrected_ms: Option<f64>,
    pub p99_uncorrected_ms: Option<f64>,
    pub achieved_rate_per_s: Option<f64>,
    pub peak_rss_kib: Option<f64>,
    pub vm_size_kib: Option<f64>,
    pub user_ms: Option<f64>,
    pub sys_ms: Option<f64>,
    pub threads: Option<f64>,
    /// Threads doing the model's work, and requests it kept in flight at most.
    pub workers: Option<f64>,
    pub in_flight: Option<f64>,
    /// How the model was set up, e.g. `client=hyper;worker_threads=2`.
    pub knobs: String,
    pub rss_parked_kib: Option<f64>,
    pub vm_parked_kib: Option<f64>,
    pub baseline_rss_kib: Option<f64>,
    pub baseline_vm_kib: Option<f64>,
    pub spawn_ms: Option<f64>,
    pub ns_per_switch: Option<f64>,
    pub ns_per_increment: Option<f64>,
}

impl RawRow {
    /// Only `ok` and `errors` rows carry measurements.
    pub fn measured(&self) -> bool {
        matches!(self.status.as_str(), "ok" | "errors")
    }

    /// A measured figure by its column name (`None` for an unknown name or an empty cell).
    pub fn metric(&self, name: &str) -> Option<f64> {
        match name {
            "wall_ms" => self.wall_ms,
            "throughput_per_s" => self.throughput_per_s,
            "errors" => self.errors,
            "mean_ms" => self.mean_ms,
            "p50_ms" => self.p50_ms,
            "p90_ms" => self.p90_ms,
            "p99_ms" => self.p99_ms,
            "p999_ms" => self.p999_ms,
            "p9999_ms" => self.p9999_ms,
            "max_ms" => self.max_ms,
            "p50_uncorrected_ms" => self.p50_uncorrected_ms,
            "p99_uncorrected_ms" => self.p99_uncorrected_ms,
            "achieved_rate_per_s" => self.achieved_rate_per_s,
            "peak_rss_kib" => self.peak_rss_kib,
            "vm_size_kib" => self.vm_size_kib,
            "user_ms" => self.user_ms,
            "sys_ms" => self.sys_ms,
            "threads" => self.threads,
            "workers" => self.workers,
            "in_flight" => self.in_flight,
            "rss_parked_kib" => self.rss_parked_kib,
            "vm_parked_kib" => self.vm_parked_kib,
            "baseline_rss_kib" => self.baseline_rss_kib,
            "baseline_vm_kib" => self.baseline_vm_kib,
            "spawn_ms" => self.spawn_ms,
            "ns_per_switch" => self.ns_per_switch,
            "ns_per_increment" => self.ns_per_increment,
            _ => None,
        }
    }

    pub fn point(&self) -> Point {
        Point {
            experiment: self.experiment.clone(),
            workload: self.workload.clone(),
            model: self.model.clone(),
            variant: self.variant.clone(),
            n: self.n,
            concurrency: self.concurrency,
            delay_ms: self.delay_ms,
            jitter_ms: self.jitter_ms,
            bytes: self.bytes,
            keep_alive: self.keep_alive,
            rate_per_s: self.rate_per_s.filter(|r| *r > 0),
            pinned: self.pinned,
            cpu_mode: self.cpu_mode.clone(),
            iters: self.iters,
            cpu_tasks: self.cpu_tasks,
            lock: self.lock.clone(),
        }
    }
}

/// The parameters that make rows repetitions of one point.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Point {
    pub experiment: String,
    pub workload: String,
    pub model: String,
    pub variant: String,
    pub n: Option<u64>,
    pub concurrency: Option<u64>,
    pub delay_ms: Option<u64>,
    pub jitter_ms: Option<u64>,
    pub bytes: Option<u64>,
    pub keep_alive: Option<bool>,
    /// Open loop: the rate asked for; 0 or empty for a closed loop.
    pub rate_per_s: Option<u64>,
    pub pinned: Option<bool>,
    pub cpu_mode: String,
    pub iters: Option<u64>,
    pub cpu_tasks: Option<u64>,
    pub lock: String,
}

impl Point {
    /// `model` for the default variant, else `model:variant`: the name a reader knows.
    pub fn label(&self) -> String {
        label(&self.model, &self.variant)
    }
}

/// `model` for the default variant, else `model:variant`.
pub fn label(model: &str, variant: &str) -> String {
    if variant.is_empty() || variant == "default" {
        model.to_string()
    } else {
        format!("{model}:{variant}")
    }
}

/// One line of summary.csv.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SummaryRow {
    pub experiment: String,
    pub workload: String,
    pub model: String,
    pub variant: String,
    pub n: Option<u64>,
    pub concurrency: Option<u64>,
    pub delay_ms: Option<u64>,
    pub jitter_ms: Option<u64>,
    pub bytes: Option<u64>,
    pub keep_alive: Option<bool>,
    /// Open loop: the rate asked for; 0 or empty for a closed loop.
    pub rate_per_s: Option<u64>,
    pub pinned: Option<bool>,
    pub cpu_mode: String,
    pub iters: Option<u64>,
    pub cpu_tasks: Option<u64>,
    pub lock: String,
    pub metric: String,
    pub repetitions: Option<usize>,
    pub measured: Option<usize>,
    pub median: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub ci_level: Option<f64>,
    pub statuses: String,
}

impl SummaryRow {
    fn point(&self) -> Point {
        Point {
            experiment: self.experiment.clone(),
            workload: self.workload.clone(),
            model: self.model.clone(),
            variant: self.variant.clone(),
            n: self.n,
            concurrency: self.concurrency,
            delay_ms: self.delay_ms,
            jitter_ms: self.jitter_ms,
            bytes: self.bytes,
            keep_alive: self.keep_alive,
            rate_per_s: self.rate_per_s.filter(|r| *r > 0),
            pinned: self.pinned,
            cpu_mode: self.cpu_mode.clone(),
            iters: self.iters,
            cpu_tasks: self.cpu_tasks,
            lock: self.lock.clone(),
        }
    }
}

/// One line of fits.csv: a straight line fitted to bytes against units parked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FitRow {
    pub experiment: String,
    pub model: String,
    pub variant: String,
    pub metric: String,
    pub slope: Option<f64>,
    pub intercept: Option<f64>,
    pub r2: Option<f64>,
    pub points: Option<u64>,
    pub n_min: Option<u64>,
    pub n_max: Option<u64>,
}

impl FitRow {
    pub fn label(&self) -> String {
        label(&self.model, &self.variant)
    }
}

/// The median of one figure of one point over its repetitions, with a distribution-free
/// confidence interval for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    pub median: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The interval's actual coverage (0.9375 for 5 repetitions, 0 for one).
    pub ci_level: f64,
    /// Repetitions that measured this figure.
    pub measured: usize,
}

impl Stat {
    /// The same statistic with every value multiplied by `k` (unit changes).
    pub fn scaled(self, k: f64) -> Stat {
        Stat {
            median: self.median * k,
            ci_low: self.ci_low * k,
            ci_high: self.ci_high * k,
            ..self
        }
    }

    /// True when the interval says more than the median alone (two or more repetitions).
    pub fn has_interval(&self) -> bool {
        self.measured > 1
    }
}

/// Median and confidence interval of `values`, by the same rule as tvc's summary.csv
/// (binomial order statistics, at least 95 % coverage when the count allows it).
pub fn summarize(values: &[f64]) -> Option<Stat> {
    let mut xs: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    let median = if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    };
    // P(B <= k) for B ~ Binomial(n, 1/2); [x_(k), x_(n-k+1)] covers with 1 - 2 P(B <= k-1).
    let mut cdf = Vec::with_capacity(n + 1);
    let (mut term, mut acc) = (0.5f64.powi(n as i32), 0.0);
    for k in 0..=n {
        acc += term;
        cdf.push(acc);
        term = term * (n - k) as f64 / (k + 1) as f64;
    }
    let (mut lo, mut hi, mut level) = (0, n - 1, 1.0 - 2.0 * 0.5f64.powi(n as i32));
    for k in 1..=n / 2 {
        let coverage = 1.0 - 2.0 * cdf[k - 1];
        if coverage < 0.95 {
            break;
        }
        (lo, hi, level) = (k - 1, n - k, coverage);
    }
    Some(Stat {
        median,
        ci_low: xs[lo],
        ci_high: xs[hi],
        ci_level: level,
        measured: n,
    })
}

/// The machine and run facts of env.json, kept as JSON: fields are read by path, so a field
/// added later costs nothing and a missing one reads as absent.
#[derive(Debug, Clone, Default)]
pub struct Env(pub Value);

impl Env {
    /// The value at a dotted path such as `machine.cpus`.
    pub fn get(&self, path: &str) -> Option<&Value> {
        path.split('.').try_fold(&self.0, |v, key| v.get(key))
    }

    pub fn u64(&self, path: &str) -> Option<u64> {
        self.get(path).and_then(Value::as_u64)
    }

    /// A string, or a number or boolean written as text.
    pub fn text(&self, path: &str) -> Option<String> {
        match self.get(path)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            v @ (Value::Number(_) | Value::Bool(_)) => Some(v.to_string()),
            _ => None,
        }
    }
}

/// The machine's thread limit as tvc predicted it before the run (env.json
/// `predicted_thread_limit`): the smallest of the kernel's limits, which one binds, and how
/// to raise them. Older runs wrote the number alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThreadLimit {
    pub predicted: u64,
    /// The limit that binds, e.g. `vm.max_map_count`.
    pub binding: Option<String>,
    /// Memory mappings each thread costs (the stack and its guard page, ...).
    pub mappings_per_thread: Option<u64>,
    /// The commands that raise the limits, as env.json gives them.
    pub how_to_raise: Option<String>,
}

impl Env {
    /// `predicted_thread_limit`, as an object or (older runs) a bare number.
    pub fn thread_limit(&self) -> Option<ThreadLimit> {
        let v = self.get("predicted_thread_limit")?;
        if let Some(n) = v.as_u64() {
            return Some(ThreadLimit {
                predicted: n,
                ..ThreadLimit::default()
            });
        }
        let text = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Some(ThreadLimit {
            predicted: v.get("predicted")?.as_u64()?,
            binding: text("binding"),
            mappings_per_thread: v.get("mappings_per_thread").and_then(Value::as_u64),
            how_to_raise: text("how_to_raise"),
        })
    }
}

/// Everything one run folder holds.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub dir: PathBuf,
    pub raw: Vec<RawRow>,
    pub env: Env,
    /// From fits.csv; empty when the run has none (only the memory experiment writes one).
    pub fits: Vec<FitRow>,
    summary: HashMap<(Point, String), Stat>,
    groups: BTreeMap<Point, Vec<usize>>,
}

impl Run {
    /// Reads a run folder. `raw.csv` and `env.json` must exist; `summary.csv` and `fits.csv`
    /// are used when present (a figure summary.csv lacks is summarised from raw.csv).
    pub fn load(dir: &Path) -> Result<Run, PlotError> {
        let raw_path = dir.join("raw.csv");
        let raw = read_csv::<RawRow>(&raw_path)?;
        let env_path = dir.join("env.json");
        let env_text = read_text(&env_path)?;
        let summary_path = dir.join("summary.csv");
        let summary = if summary_path.exists() {
            read_csv::<SummaryRow>(&summary_path)?
        } else {
            Vec::new()
        };
        let fits_path = dir.join("fits.csv");
        let fits = if fits_path.exists() {
            read_csv::<FitRow>(&fits_path)?
        } else {
            Vec::new()
        };
        let env: Value = serde_json::from_str(&env_text).map_err(|e| PlotError::Json {
            path: env_path.clone(),
            message: e.to_string(),
        })?;
        Ok(Run::from_rows(dir, raw, summary, Env(env), fits))
    }

    /// A run from the texts of its files (tests build runs this way); `dir` names them.
    pub fn from_texts(
        dir: &Path,
        raw_csv: &str,
        env_json: &str,
        fits_csv: Option<&str>,
    ) -> Result<Run, PlotError> {
        let raw = parse_csv(raw_csv, &dir.join("raw.csv"))?;
        let fits = match fits_csv {
            Some(text) => parse_csv(text, &dir.join("fits.csv"))?,
            None => Vec::new(),
        };
        let env = serde_json::from_str(env_json).map_err(|e| PlotError::Json {
            path: dir.join("env.json"),
            message: e.to_string(),
        })?;
        Ok(Run::from_rows(dir, raw, Vec::new(), Env(env), fits))
    }

    /// A run from rows already parsed (tests build runs this way).
    pub fn from_rows(
        dir: &Path,
        raw: Vec<RawRow>,
        summary: Vec<SummaryRow>,
        env: Env,
        fits: Vec<FitRow>,
    ) -> Run {
        let mut groups: BTreeMap<Point, Vec<usize>> = BTreeMap::new();
        for (i, r) in raw.iter().enumerate() {
            groups.entry(r.point()).or_default().push(i);
        }
        let summary = summary
            .into_iter()
            .filter_map(|s| {
                let stat = Stat {
                    median: s.median?,
                    ci_low: s.ci_low.or(s.median)?,
                    ci_high: s.ci_high.or(s.median)?,
                    ci_level: s.ci_level.unwrap_or(0.0),
                    measured: s.measured.unwrap_or(1),
                };
                Some(((s.point(), s.metric.clone()), stat))
            })
            .collect();
        Run {
            dir: dir.to_path_buf(),
            raw,
            env,
            fits,
            summary,
            groups,
        }
    }

    /// Every point of the run, in parameter order.
    pub fn points(&self) -> impl Iterator<Item = &Point> {
        self.groups.keys()
    }

    /// The rows (all statuses) of one point.
    pub fn rows(&self, point: &Point) -> Vec<&RawRow> {
        self.groups
            .get(point)
            .map(|ix| ix.iter().map(|&i| &self.raw[i]).collect())
            .unwrap_or_default()
    }

    /// The median and interval of `metric` at `point`: summary.csv's line when it has one for
    /// exactly this point, else summarised from the measured rows of raw.csv.
    pub fn stat(&self, point: &Point, metric: &str) -> Option<Stat> {
        if let Some(s) = self.summary.get(&(point.clone(), metric.to_string())) {
            return Some(*s);
        }
        let values: Vec<f64> = self
            .rows(point)
            .iter()
            .filter(|r| r.measured())
            .filter_map(|r| r.metric(metric))
            .collect();
        summarize(&values)
    }

    /// How the repetitions of a point ended, e.g. `aborted` or `ok=4;timeout=1`.
    pub fn statuses(&self, point: &Point) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for r in self.rows(point) {
            *counts.entry(r.status.as_str()).or_default() += 1;
        }
        if counts.len() == 1 {
            return counts
                .keys()
                .next()
                .map(|s| s.to_string())
                .unwrap_or_default();
        }
        counts
            .iter()
            .map(|(s, c)| format!("{s}={c}"))
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Why a point measured nothing, as its rows say (the first non-empty `reason`).
    pub fn reason(&self, point: &Point) -> Option<String> {
        self.rows(point)
            .iter()
            .map(|r| r.reason.trim())
            .find(|r| !r.is_empty())
            .map(str::to_string)
    }

    /// The value of `key` in the `knobs` of a point's rows (`client` in `client=hyper;...`).
    pub fn knob(&self, point: &Point, key: &str) -> Option<String> {
        self.rows(point).iter().find_map(|r| {
            r.knobs.split(';').find_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                (k.trim() == key).then(|| v.trim().to_string())
            })
        })
    }

    /// The points whose workload is `workload`.
    /// The points of one workload; for http, the closed loop's only (open-loop points,
    /// paced by a rate, have their own chart: [`Run::open_loop_points`]).
    pub fn points_of(&self, workload: &str) -> Vec<&Point> {
        self.points()
            .filter(|p| p.workload == workload && p.rate_per_s.is_none())
            .collect()
    }

    /// The http points sent on a schedule (a rate).
    pub fn open_loop_points(&self) -> Vec<&Point> {
        self.points()
            .filter(|p| p.workload == "http" && p.rate_per_s.is_some())
            .collect()
    }

    /// The experiment's name: env.json's, else the first row's.
    pub fn experiment(&self) -> String {
        self.env
            .text("experiment.name")
            .or_else(|| self.raw.first().map(|r| r.experiment.clone()))
            .unwrap_or_default()
    }
}

fn read_text(path: &Path) -> Result<String, PlotError> {
    std::fs::read_to_string(path).map_err(|source| PlotError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a CSV with a header line into rows, naming the file and line of a bad row.
pub fn read_csv<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, PlotError> {
    parse_csv(&read_text(path)?, path)
}

/// Parses CSV text (with its header line); `path` names it in errors.
pub fn parse_csv<T: for<'de> Deserialize<'de>>(
    text: &str,
    path: &Path,
) -> Result<Vec<T>, PlotError> {
    if text.trim().is_empty() {
        return Err(PlotError::Malformed {
            path: path.to_path_buf(),
            line: 1,
            message: "the file is empty (no header line)".into(),
        });
    }
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, result) in reader.deserialize::<T>().enumerate() {
        let row = result.map_err(|e| PlotError::Malformed {
            path: path.to_path_buf(),
            line: e.position().map(|p| p.line()).unwrap_or(i as u64 + 2),
            message: e.to_string(),
        })?;
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_values_give_the_full_range_at_93_75_percent() {
        let s = summarize(&[5.0, 1.0, 4.0, 2.0, 3.0]).expect("values");
        assert_eq!((s.ci_low, s.median, s.ci_high), (1.0, 3.0, 5.0));
        assert!((s.ci_level - 0.9375).abs() < 1e-9);
    }

    #[test]
    fn twenty_values_narrow_to_95_percent() {
        let xs: Vec<f64> = (1..=20).map(f64::from).collect();
        let s = summarize(&xs).expect("values");
        assert_eq!((s.ci_low, s.ci_high), (6.0, 15.0));
        assert!(summarize(&[]).is_none());
    }

    #[test]
    fn unknown_columns_are_ignored_and_missing_ones_are_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("raw.csv");
        std::fs::write(
            &path,
            "experiment,model,variant,status,wall_ms,future_column\n\
             e,tokio,default,ok,12.5,x\n\
             e,tokio,default,timeout,,y\n",
        )
        .expect("write");
        let rows: Vec<RawRow> = read_csv(&path).expect("parses");
        assert_eq!(rows[0].wall_ms, Some(12.5));
        assert_eq!(rows[1].wall_ms, None);
        assert_eq!(rows[0].keep_alive, None);
        assert!(rows[0].measured() && !rows[1].measured());
    }

    #[test]
    fn a_bad_cell_names_the_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("raw.csv");
        std::fs::write(&path, "model,status,wall_ms\ntokio,ok,1\ntokio,ok,fast\n").expect("w");
        let err = read_csv::<RawRow>(&path).expect_err("bad cell").to_string();
        assert!(err.contains("raw.csv") && err.contains("line 3"), "{err}");
    }

    #[test]
    fn the_thread_limit_reads_as_an_object_or_a_number() {
        let env = Env(serde_json::json!({"predicted_thread_limit": {
            "predicted": 16382, "binding": "vm.max_map_count", "mappings_per_thread": 4,
            "how_to_raise": "sysctl -w vm.max_map_count=1048576"}}));
        let limit = env.thread_limit().expect("object");
        assert_eq!(limit.predicted, 16382);
        assert_eq!(limit.binding.as_deref(), Some("vm.max_map_count"));
        assert_eq!(limit.mappings_per_thread, Some(4));
        let old = Env(serde_json::json!({"predicted_thread_limit": 16383}));
        assert_eq!(old.thread_limit().map(|l| l.predicted), Some(16383));
        assert_eq!(Env::default().thread_limit(), None);
    }

    #[test]
    fn the_lock_column_separates_points() {
        let text = "workload,model,variant,lock,status,ns_per_increment\n\
                    shared-state,tokio,default,mutex,ok,20\n\
                    shared-state,tokio,default,none,unsupported,\n";
        let run = Run::from_texts(Path::new("x"), text, "{}", None).expect("parses");
        let points: Vec<&Point> = run.points().collect();
        assert_eq!(points.len(), 2);
        let none = points.iter().find(|p| p.lock == "none").expect("none");
        assert_eq!(run.stat(none, "ns_per_increment"), None);
        assert_eq!(run.statuses(none), "unsupported");
    }

    #[test]
    fn summary_lines_win_and_raw_fills_the_gaps() {
        let raw: Vec<RawRow> = (1..=3)
            .map(|i| RawRow {
                model: "tokio".into(),
                status: "ok".into(),
                wall_ms: Some(f64::from(i)),
                p999_ms: Some(f64::from(i) * 10.0),
                ..RawRow::default()
            })
            .collect();
        let point = raw[0].point();
        let summary = vec![SummaryRow {
            model: "tokio".into(),
            metric: "wall_ms".into(),
            median: Some(7.0),
            ..SummaryRow::default()
        }];
        let run = Run::from_rows(Path::new("x"), raw, summary, Env::default(), vec![]);
        assert_eq!(run.stat(&point, "wall_ms").map(|s| s.median), Some(7.0));
        assert_eq!(run.stat(&point, "p999_ms").map(|s| s.median), Some(20.0));
        assert_eq!(run.stat(&point, "ns_per_switch"), None);
    }
}
