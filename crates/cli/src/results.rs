//! The results contract: `raw.csv` (one row per point and repetition, appended and flushed
//! as each finishes), `summary.csv` (median and confidence interval per point, rewritten
//! atomically after every row) and `env.json` (what the numbers depend on).

use crate::experiment::Point;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use tvc_core::stats::summarize;

/// How a point ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Measured, every request succeeded.
    Ok,
    /// Measured, but some requests failed (counted by kind in `error_kinds`).
    Errors,
    /// The model could not run the point (it said why).
    Failed,
    /// The model cannot express this workload.
    Unsupported,
    /// The worker died on a signal (SIGABRT: e.g. a thread limit).
    Aborted,
    /// The worker exited without a result.
    Crashed,
    /// The worker outlived the point timeout and was killed.
    Timeout,
    /// tvc was interrupted (Ctrl-C, SIGTERM) while the point ran; it was killed.
    Interrupted,
}

impl Status {
    pub fn measured(self) -> bool {
        matches!(self, Status::Ok | Status::Errors)
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Errors => "errors",
            Status::Failed => "failed",
            Status::Unsupported => "unsupported",
            Status::Aborted => "aborted",
            Status::Crashed => "crashed",
            Status::Timeout => "timeout",
            Status::Interrupted => "interrupted",
        }
    }
}

/// One line of raw.csv. Units are in the column names; a figure that was not measured is
/// left empty, never zero.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub experiment: String,
    pub workload: String,
    pub model: String,
    pub variant: String,
    pub n: u64,
    pub concurrency: u64,
    pub delay_ms: u64,
    pub jitter_ms: u64,
    pub bytes: u64,
    pub keep_alive: bool,
    /// Open loop: the rate asked for, requests per second; 0 is the closed loop.
    #[serde(default)]
    pub rate_per_s: u64,
    pub iters: u64,
    pub cpu_tasks: u64,
    pub cpu_mode: String,
    pub lock: String,
    pub pinned: bool,
    pub rep: u32,
    pub warmup: u32,
    pub status: Status,
    pub reason: String,
    pub wall_ms: Option<f64>,
    pub throughput_per_s: Option<f64>,
    /// Open loop: the rate requests actually went out at, and whether it was within 5 % of
    /// the rate asked for.
    #[serde(default)]
    pub achieved_rate_per_s: Option<f64>,
    #[serde(default)]
    pub rate_kept: Option<bool>,
    pub requests_ok: Option<u64>,
    /// Open loop: requests never sent because the run fell too far behind its schedule.
    #[serde(default)]
    pub requests_unsent: Option<u64>,
    pub errors: Option<u64>,
    pub error_kinds: String,
    pub mean_ms: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p90_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub p999_ms: Option<f64>,
    pub p9999_ms: Option<f64>,
    pub max_ms: Option<f64>,
    /// Latency from the actual send rather than the due time: in an open loop the gap to the
    /// columns above is coordinated omission; in a closed loop they agree.
    #[serde(default)]
    pub p50_uncorrected_ms: Option<f64>,
    #[serde(default)]
    pub p99_uncorrected_ms: Option<f64>,
    #[serde(default)]
    pub max_uncorrected_ms: Option<f64>,
    /// Latency minus the delay the server says it served: the harness's own overhead
    /// (client, runtime, loopback). Empty for servers that do not say (real targets).
    pub overhead_p50_ms: Option<f64>,
    pub overhead_p99_ms: Option<f64>,
    /// Served minus asked delay: the mock server's own timing error.
    pub server_error_p50_ms: Option<f64>,
    pub server_error_p99_ms: Option<f64>,
    pub peak_rss_kib: Option<u64>,
    pub vm_size_kib: Option<u64>,
    pub user_ms: Option<f64>,
    pub sys_ms: Option<f64>,
    pub vol_ctx_switches: Option<u64>,
    pub invol_ctx_switches: Option<u64>,
    pub threads: Option<u64>,
    pub workers: Option<u64>,
    pub in_flight: Option<u64>,
    pub spawn_ms: Option<f64>,
    pub baseline_rss_kib: Option<u64>,
    pub baseline_vm_kib: Option<u64>,
    pub rss_parked_kib: Option<u64>,
    pub vm_parked_kib: Option<u64>,
    pub ns_per_switch: Option<f64>,
    pub ns_per_increment: Option<f64>,
    /// cpu: the combined result matched; shared-state: the counter equals units × increments.
    pub count_ok: Option<bool>,
    pub knobs: String,
    pub target: String,
    pub started_utc: String,
}

impl Row {
    /// A row for `point` with nothing measured yet.
    pub fn new(point: &Point, target: &str, started_utc: String) -> Row {
        Row {
            experiment: point.experiment.clone(),
            workload: point.workload.name().to_string(),
            model: point.model.clone(),
            variant: point.variant.clone(),
            n: point.n,
            concurrency: point.concurrency,
            delay_ms: point.delay_ms,
            jitter_ms: point.jitter_ms,
            bytes: point.bytes,
            keep_alive: point.keep_alive,
            rate_per_s: point.rate,
            iters: point.iters,
            cpu_tasks: point.cpu_tasks,
            cpu_mode: point.cpu_mode.name().to_string(),
            lock: point.lock.name().to_string(),
            pinned: point.pinned,
            rep: point.rep,
            warmup: point.warmup,
            status: Status::Crashed,
            reason: String::new(),
            wall_ms: None,
            throughput_per_s: None,
            achieved_rate_per_s: None,
            rate_kept: None,
            requests_ok: None,
            requests_unsent: None,
            errors: None,
            error_kinds: String::new(),
            mean_ms: None,
            p50_ms: None,
            p90_ms: None,
            p99_ms: None,
            p999_ms: None,
            p9999_ms: None,
            max_ms: None,
            p50_uncorrected_ms: None,
            p99_uncorrected_ms: None,
            max_uncorrected_ms: None,
            overhead_p50_ms: None,
            overhead_p99_ms: None,
            server_error_p50_ms: None,
            server_error_p99_ms: None,
            peak_rss_kib: None,
            vm_size_kib: None,
            user_ms: None,
            sys_ms: None,
            vol_ctx_switches: None,
            invol_ctx_switches: None,
            threads: None,
            workers: None,
            in_flight: None,
            spawn_ms: None,
            baseline_rss_kib: None,
            baseline_vm_kib: None,
            rss_parked_kib: None,
            vm_parked_kib: None,
            ns_per_switch: None,
            ns_per_increment: None,
            count_ok: None,
            knobs: String::new(),
            target: target.to_string(),
            started_utc,
        }
    }

    /// The parameters that make two rows repetitions of the same point.
    pub fn key(&self) -> PointKey {
        PointKey {
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
            rate_per_s: self.rate_per_s,
            iters: self.iters,
            cpu_tasks: self.cpu_tasks,
            cpu_mode: self.cpu_mode.clone(),
            lock: self.lock.clone(),
            pinned: self.pinned,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PointKey {
    pub experiment: String,
    pub workload: String,
    pub model: String,
    pub variant: String,
    pub n: u64,
    pub concurrency: u64,
    pub delay_ms: u64,
    pub jitter_ms: u64,
    pub bytes: u64,
    pub keep_alive: bool,
    pub rate_per_s: u64,
    pub iters: u64,
    pub cpu_tasks: u64,
    pub cpu_mode: String,
    pub lock: String,
    pub pinned: bool,
}

/// Appends rows to raw.csv, one flushed line at a time.
pub struct RawWriter {
    file: File,
    path: PathBuf,
}

impl RawWriter {
    pub fn create(path: &Path) -> Result<RawWriter> {
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let mut w = RawWriter {
            file,
            path: path.to_path_buf(),
        };
        // The header comes from the same serializer as the rows, so they cannot disagree.
        let mut header = csv::Writer::from_writer(Vec::new());
        header.write_record(Self::columns())?;
        w.write_line(&header.into_inner()?)?;
        Ok(w)
    }

    pub fn columns() -> Vec<String> {
        let probe = Row::new(
            &Point {
                experiment: String::new(),
                workload: crate::experiment::Workload::Http,
                model: String::new(),
                variant: String::new(),
                n: 0,
                concurrency: 0,
                delay_ms: 0,
                jitter_ms: 0,
                bytes: 0,
                keep_alive: false,
                request_timeout_ms: 0,
                rate: 0,
                iters: 0,
                cpu_tasks: 0,
                cpu_mode: tvc_core::CpuMode::None,
                lock: tvc_core::Lock::None,
                pinned: false,
                rep: 0,
                warmup: 0,
            },
            "",
            String::new(),
        );
        let mut w = csv::WriterBuilder::new()
            .has_headers(true)
            .from_writer(Vec::new());
        // Serialising one row makes the csv crate emit the header derived from `Row`.
        let _ = w.serialize(&probe);
        let bytes = w.into_inner().unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        let header = text.lines().next().unwrap_or("");
        header.split(',').map(str::to_string).collect()
    }

    /// Writes one row as a single write of a whole line, then flushes it to the OS.
    pub fn append(&mut self, row: &Row) -> Result<()> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.serialize(row)?;
        let line = w.into_inner()?;
        self.write_line(&line)
    }

    fn write_line(&mut self, line: &[u8]) -> Result<()> {
        self.file
            .write_all(line)
            .and_then(|_| self.file.flush())
            .with_context(|| format!("cannot append to {}", self.path.display()))
    }
}

/// Reads a raw.csv back (for summaries of a finished run, and for tests).
pub fn read_raw(path: &Path) -> Result<Vec<Row>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    reader
        .deserialize()
        .enumerate()
        .map(|(i, r)| r.with_context(|| format!("{}: malformed row {}", path.display(), i + 2)))
        .collect()
}

/// One line of summary.csv: one figure of one point over its repetitions.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryRow {
    #[serde(skip)]
    pub key: PointKey,
    pub experiment: String,
    pub workload: String,
    pub model: String,
    pub variant: String,
    pub n: u64,
    pub concurrency: u64,
    pub delay_ms: u64,
    pub jitter_ms: u64,
    pub bytes: u64,
    pub keep_alive: bool,
    pub rate_per_s: u64,
    pub iters: u64,
    pub cpu_tasks: u64,
    pub cpu_mode: String,
    pub lock: String,
    pub pinned: bool,
    pub metric: &'static str,
    pub repetitions: usize,
    pub measured: usize,
    pub median: Option<f64>,
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The confidence interval's actual coverage: 0.95 when enough repetitions exist,
    /// lower (and stated) when there are too few for 95 %.
    pub ci_level: Option<f64>,
    pub statuses: String,
}

impl SummaryRow {
    fn blank(key: &PointKey) -> SummaryRow {
        SummaryRow {
            key: key.clone(),
            experiment: key.experiment.clone(),
            workload: key.workload.clone(),
            model: key.model.clone(),
            variant: key.variant.clone(),
            n: key.n,
            concurrency: key.concurrency,
            delay_ms: key.delay_ms,
            jitter_ms: key.jitter_ms,
            bytes: key.bytes,
            keep_alive: key.keep_alive,
            rate_per_s: key.rate_per_s,
            iters: key.iters,
            cpu_tasks: key.cpu_tasks,
            cpu_mode: key.cpu_mode.clone(),
            lock: key.lock.clone(),
            pinned: key.pinned,
            metric: "",
            repetitions: 0,
            measured: 0,
            median: None,
            mean: None,
            min: None,
            max: None,
            ci_low: None,
            ci_high: None,
            ci_level: None,
            statuses: String::new(),
        }
    }
}

/// The figures summarised per point.
/// Reads one figure from a row.
pub type Getter = fn(&Row) -> Option<f64>;

pub const METRICS: &[(&str, Getter)] = &[
    ("wall_ms", |r| r.wall_ms),
    ("throughput_per_s", |r| r.throughput_per_s),
    ("p50_ms", |r| r.p50_ms),
    ("p90_ms", |r| r.p90_ms),
    ("p99_ms", |r| r.p99_ms),
    ("max_ms", |r| r.max_ms),
    ("p50_uncorrected_ms", |r| r.p50_uncorrected_ms),
    ("p99_uncorrected_ms", |r| r.p99_uncorrected_ms),
    ("achieved_rate_per_s", |r| r.achieved_rate_per_s),
    ("overhead_p50_ms", |r| r.overhead_p50_ms),
    ("overhead_p99_ms", |r| r.overhead_p99_ms),
    ("server_error_p50_ms", |r| r.server_error_p50_ms),
    ("errors", |r| r.errors.map(|v| v as f64)),
    ("peak_rss_kib", |r| r.peak_rss_kib.map(|v| v as f64)),
    ("vm_size_kib", |r| r.vm_size_kib.map(|v| v as f64)),
    ("user_ms", |r| r.user_ms),
    ("sys_ms", |r| r.sys_ms),
    ("vol_ctx_switches", |r| r.vol_ctx_switches.map(|v| v as f64)),
    ("invol_ctx_switches", |r| {
        r.invol_ctx_switches.map(|v| v as f64)
    }),
    ("threads", |r| r.threads.map(|v| v as f64)),
    ("spawn_ms", |r| r.spawn_ms),
    ("rss_parked_kib", |r| r.rss_parked_kib.map(|v| v as f64)),
    ("vm_parked_kib", |r| r.vm_parked_kib.map(|v| v as f64)),
    ("ns_per_switch", |r| r.ns_per_switch),
    ("ns_per_increment", |r| r.ns_per_increment),
];

/// Summarises measured repetitions per point, in the order points first appeared.
pub fn summarize_rows(rows: &[Row]) -> Vec<SummaryRow> {
    let mut order: Vec<PointKey> = Vec::new();
    let mut groups: BTreeMap<PointKey, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        let key = row.key();
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(row);
    }
    let mut out = Vec::new();
    for key in order {
        let group = &groups[&key];
        let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
        for r in group {
            *statuses.entry(r.status.name()).or_default() += 1;
        }
        let statuses = statuses
            .iter()
            .map(|(s, c)| format!("{s}={c}"))
            .collect::<Vec<_>>()
            .join(";");
        let measured: Vec<&&Row> = group.iter().filter(|r| r.status.measured()).collect();
        let before = out.len();
        for (metric, get) in METRICS {
            let values: Vec<f64> = measured.iter().filter_map(|r| get(r)).collect();
            if let Some(s) = summarize(&values) {
                out.push(SummaryRow {
                    metric,
                    repetitions: group.len(),
                    measured: s.count,
                    median: Some(s.median),
                    mean: Some(s.mean),
                    min: Some(s.min),
                    max: Some(s.max),
                    ci_low: Some(s.ci_low),
                    ci_high: Some(s.ci_high),
                    ci_level: Some(s.ci_level),
                    statuses: statuses.clone(),
                    ..SummaryRow::blank(&key)
                });
            }
        }
        if out.len() == before {
            // Nothing was measured: the point still gets a line, so it is never dropped.
            out.push(SummaryRow {
                metric: "wall_ms",
                repetitions: group.len(),
                measured: 0,
                median: None,
                mean: None,
                min: None,
                max: None,
                ci_low: None,
                ci_high: None,
                ci_level: None,
                statuses,
                ..SummaryRow::blank(&key)
            });
        }
    }
    out
}

/// Writes summary.csv atomically.
pub fn write_summary(path: &Path, rows: &[Row]) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for s in summarize_rows(rows) {
        w.serialize(s)?;
    }
    atomic_write(path, &w.into_inner()?)
}

/// One line of fits.csv: bytes per unit as the slope of a least-squares line over N.
#[derive(Debug, Clone, Serialize)]
pub struct FitRow {
    pub experiment: String,
    pub model: String,
    pub variant: String,
    pub metric: &'static str,
    pub slope: f64,
    pub intercept: f64,
    pub r2: f64,
    pub points: usize,
    pub n_min: u64,
    pub n_max: u64,
}

/// Fits memory growth against N for every model variant of the park workload: the slope
/// is the cost of one more unit, free of the fixed cost that a single division would
/// smear over N.
pub fn fits(rows: &[Row]) -> Vec<FitRow> {
    let mut groups: BTreeMap<(String, String, String), Vec<&Row>> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.workload == "park" && r.status.measured())
    {
        groups
            .entry((r.experiment.clone(), r.model.clone(), r.variant.clone()))
            .or_default()
            .push(r);
    }
    let mut out = Vec::new();
    for ((experiment, model, variant), group) in groups {
        let metrics: [(&'static str, Getter); 2] = [
            ("rss_bytes_per_unit", |r| {
                Some((r.rss_parked_kib? as f64 - r.baseline_rss_kib? as f64) * 1024.0)
            }),
            ("vm_bytes_per_unit", |r| {
                Some((r.vm_parked_kib? as f64 - r.baseline_vm_kib? as f64) * 1024.0)
            }),
        ];
        for (metric, get) in metrics {
            let xy: Vec<(f64, f64)> = group
                .iter()
                .filter_map(|r| Some((r.n as f64, get(r)?)))
                .collect();
            if let Some((slope, intercept, r2)) = least_squares(&xy) {
                out.push(FitRow {
                    experiment: experiment.clone(),
                    model: model.clone(),
                    variant: variant.clone(),
                    metric,
                    slope,
                    intercept,
                    r2,
                    points: xy.len(),
                    n_min: group.iter().map(|r| r.n).min().unwrap_or(0),
                    n_max: group.iter().map(|r| r.n).max().unwrap_or(0),
                });
            }
        }
    }
    out
}

/// Slope, intercept and r² of y = a·x + b; `None` without two distinct x values.
pub fn least_squares(xy: &[(f64, f64)]) -> Option<(f64, f64, f64)> {
    let n = xy.len() as f64;
    let mx = xy.iter().map(|p| p.0).sum::<f64>() / n;
    let my = xy.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xy.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if xy.len() < 2 || sxx == 0.0 {
        return None;
    }
    let sxy: f64 = xy.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let syy: f64 = xy.iter().map(|p| (p.1 - my).powi(2)).sum();
    let slope = sxy / sxx;
    let r2 = if syy == 0.0 {
        1.0
    } else {
        sxy * sxy / (sxx * syy)
    };
    Some((slope, my - slope * mx, r2))
}

/// Writes fits.csv atomically (header only when nothing can be fitted).
pub fn write_fits(path: &Path, rows: &[Row]) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fits = fits(rows);
    if fits.is_empty() {
        w.write_record([
            "experiment",
            "model",
            "variant",
            "metric",
            "slope",
            "intercept",
            "r2",
            "points",
            "n_min",
            "n_max",
        ])?;
    }
    for f in fits {
        w.serialize(f)?;
    }
    atomic_write(path, &w.into_inner()?)
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`, so a crash
/// leaves either the old file or the new one, never half of one.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let write = || -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().with_context(|| format!("cannot write {}", path.display()))
}

/// Now as `YYYY-MM-DDTHH:MM:SSZ` (for files) and `YYYY-MM-DDTHH-MM-SSZ` (for folder names).
pub fn utc_now() -> (String, String) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, mo, d) = civil_from_days((secs / 86_400) as i64);
    let (h, mi, s) = (secs % 86_400 / 3600, secs % 3600 / 60, secs % 60);
    (
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        format!("{y:04}-{mo:02}-{d:02}T{h:02}-{mi:02}-{s:02}Z"),
    )
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(model: &str, rep: u32, wall: f64, status: Status) -> Row {
        let point = Point {
            experiment: "e".into(),
            workload: crate::experiment::Workload::Http,
            model: model.into(),
            variant: "default".into(),
            n: 10,
            concurrency: 2,
            delay_ms: 5,
            jitter_ms: 0,
            bytes: 0,
            keep_alive: true,
            request_timeout_ms: 1000,
            rate: 0,
            iters: 0,
            cpu_tasks: 0,
            cpu_mode: tvc_core::CpuMode::None,
            lock: tvc_core::Lock::Mutex,
            pinned: false,
            rep,
            warmup: 0,
        };
        let mut r = Row::new(&point, "http://127.0.0.1:1", "t".into());
        r.status = status;
        if status.measured() {
            r.wall_ms = Some(wall);
        }
        r
    }

    #[test]
    fn least_squares_recovers_a_line() {
        let xy: Vec<(f64, f64)> = (1..=5).map(|x| (x as f64, 3.0 * x as f64 + 7.0)).collect();
        let (a, b, r2) = least_squares(&xy).unwrap();
        assert!((a - 3.0).abs() < 1e-9 && (b - 7.0).abs() < 1e-9 && (r2 - 1.0).abs() < 1e-9);
        assert!(least_squares(&[(1.0, 2.0), (1.0, 3.0)]).is_none());
    }

    #[test]
    fn fits_memory_per_unit_from_park_rows() {
        let rows: Vec<Row> = [10u64, 100, 1000]
            .iter()
            .map(|&n| {
                let mut r = row("tokio", 1, 1.0, Status::Ok);
                r.workload = "park".into();
                r.n = n;
                r.baseline_rss_kib = Some(1000);
                r.rss_parked_kib = Some(1000 + n); // 1 KiB per unit
                r.baseline_vm_kib = Some(5000);
                r.vm_parked_kib = Some(5000 + 2 * n);
                r
            })
            .collect();
        let f = fits(&rows);
        assert_eq!(f.len(), 2);
        assert!((f[0].slope - 1024.0).abs() < 1e-6, "{:?}", f[0]);
        assert!((f[1].slope - 2048.0).abs() < 1e-6);
        assert_eq!((f[0].n_min, f[0].n_max, f[0].points), (10, 1000, 3));
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn raw_csv_round_trips_and_has_the_contract_columns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("raw.csv");
        let mut w = RawWriter::create(&path).unwrap();
        w.append(&row("tokio", 1, 12.5, Status::Ok)).unwrap();
        w.append(&row("tokio", 2, 0.0, Status::Timeout)).unwrap();
        let back = read_raw(&path).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].wall_ms, Some(12.5));
        assert_eq!(back[1].status, Status::Timeout);
        assert_eq!(back[1].wall_ms, None);
        let cols = RawWriter::columns();
        for c in [
            "experiment",
            "workload",
            "model",
            "variant",
            "n",
            "concurrency",
            "delay_ms",
            "keep_alive",
            "rep",
            "status",
            "reason",
            "wall_ms",
            "throughput_per_s",
            "p50_ms",
            "p90_ms",
            "p99_ms",
            "max_ms",
            "errors",
            "peak_rss_kib",
            "vm_size_kib",
            "user_ms",
            "sys_ms",
            "vol_ctx_switches",
            "invol_ctx_switches",
            "threads",
        ] {
            assert!(cols.iter().any(|x| x == c), "missing column {c}");
        }
        // create_new: an existing raw.csv is never overwritten.
        assert!(RawWriter::create(&path).is_err());
    }

    #[test]
    fn summary_uses_measured_rows_only_and_counts_statuses() {
        let rows = vec![
            row("tokio", 1, 10.0, Status::Ok),
            row("tokio", 2, 30.0, Status::Ok),
            row("tokio", 3, 20.0, Status::Ok),
            row("tokio", 4, 0.0, Status::Timeout),
            row("threads", 1, 5.0, Status::Aborted),
        ];
        let s = summarize_rows(&rows);
        let wall: Vec<_> = s.iter().filter(|r| r.metric == "wall_ms").collect();
        assert_eq!(wall.len(), 2);
        assert_eq!(wall[0].median, Some(20.0));
        assert_eq!(wall[0].repetitions, 4);
        assert_eq!(wall[0].measured, 3);
        assert_eq!(wall[0].statuses, "ok=3;timeout=1");
        assert_eq!((wall[0].ci_low, wall[0].ci_high), (Some(10.0), Some(30.0)));
        // The aborted point keeps a line with nothing measured and its status.
        assert_eq!(wall[1].measured, 0);
        assert_eq!(wall[1].median, None);
        assert_eq!(wall[1].statuses, "aborted=1");
    }
}
