//! Reading a results folder into typed rows: raw.csv and env.json must be there; summary.csv
//! and fits.csv are taken as written. Charts and the report both start here, so they can
//! never disagree about what a file says.

use crate::columns::header;
use crate::files::{parse_csv, read_csv, read_text};
use crate::fits::{fits, FitRow};
use crate::key::PointKey;
use crate::raw::{Figures, RawRow, Status};
use crate::stats::Stat;
use crate::summary::{group, summarize_metric, SummaryRow};
use crate::writer::{ENV, FITS, RAW, SUMMARY};
use crate::ResultsError;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use tvc_core::Workload;

/// Everything one results folder holds.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub dir: PathBuf,
    pub raw: Vec<RawRow>,
    pub env: Env,
    /// From fits.csv (fitted now for a park run that has none, by the writer's rule).
    pub fits: Vec<FitRow>,
    summary: HashMap<(PointKey, String), Stat>,
    groups: BTreeMap<PointKey, Vec<usize>>,
    /// The column names of raw.csv and summary.csv and the figures summary.csv names.
    columns: BTreeSet<String>,
}

impl Run {
    /// Reads a results folder. A folder that does not exist, or that lacks raw.csv or
    /// env.json, is the user's mistake and says what is missing.
    pub fn load(dir: &Path) -> Result<Run, ResultsError> {
        if !dir.is_dir() {
            return Err(ResultsError::NotAResultsFolder {
                dir: dir.to_path_buf(),
                why: if dir.exists() {
                    "it is a file, not a folder".into()
                } else {
                    "no such folder".into()
                },
            });
        }
        let missing: Vec<&str> = [RAW, ENV]
            .into_iter()
            .filter(|f| !dir.join(f).is_file())
            .collect();
        if !missing.is_empty() {
            return Err(ResultsError::NotAResultsFolder {
                dir: dir.to_path_buf(),
                why: format!(
                    "it has no {} (a results folder is what `tvc run` writes: raw.csv, \
                     summary.csv, env.json)",
                    missing.join(" and no ")
                ),
            });
        }
        // Each file is read once: its rows and its header (the columns it really has) come
        // from the same text.
        let raw_text = read_text(&dir.join(RAW))?;
        let raw = parse_csv::<RawRow>(&raw_text, &dir.join(RAW))?;
        let mut columns = header_of(&raw_text);
        let env = Env::read(&dir.join(ENV))?;
        let optional = |name: &str| dir.join(name).is_file().then(|| dir.join(name));
        let summary = match optional(SUMMARY) {
            Some(p) => {
                let text = read_text(&p)?;
                columns.extend(header_of(&text));
                parse_csv::<SummaryRow>(&text, &p)?
            }
            None => Vec::new(),
        };
        columns.extend(summary.iter().map(|s| s.metric.clone()));
        let fits = match optional(FITS) {
            Some(p) => Some(read_csv::<FitRow>(&p)?),
            None => None,
        };
        let mut run = Run::from_rows(dir, raw, summary, env, fits);
        run.columns = columns;
        Ok(run)
    }

    /// A run from the texts of its files (tests build runs this way); `dir` names them.
    pub fn from_texts(
        dir: &Path,
        raw_csv: &str,
        env_json: &str,
        fits_csv: Option<&str>,
    ) -> Result<Run, ResultsError> {
        let raw = parse_csv(raw_csv, &dir.join(RAW))?;
        let fits = fits_csv
            .map(|text| parse_csv(text, &dir.join(FITS)))
            .transpose()?;
        let env = Env::parse(env_json, &dir.join(ENV))?;
        let mut run = Run::from_rows(dir, raw, Vec::new(), env, fits);
        run.columns = header_of(raw_csv);
        Ok(run)
    }

    /// A run from rows already parsed. The summary is summary.csv's lines; a figure it
    /// lacks (an older file, or none at all) is summarised from raw.csv by the writer's
    /// rule, once, here. Without fits.csv the fits are made by the writer's rule too. Its
    /// columns are this version's.
    pub fn from_rows(
        dir: &Path,
        raw: Vec<RawRow>,
        summary: Vec<SummaryRow>,
        env: Env,
        fits_csv: Option<Vec<FitRow>>,
    ) -> Run {
        let mut groups: BTreeMap<PointKey, Vec<usize>> = BTreeMap::new();
        for (i, r) in raw.iter().enumerate() {
            groups.entry(r.key.clone()).or_default().push(i);
        }
        let mut stats: HashMap<(PointKey, String), Stat> = HashMap::new();
        let mut written: HashMap<PointKey, Vec<String>> = HashMap::new();
        for s in summary {
            written
                .entry(s.key.clone())
                .or_default()
                .push(s.metric.clone());
            if let Some(stat) = s.stat() {
                stats.insert((s.key, s.metric), stat);
            }
        }
        for (key, rows) in group(&raw) {
            let known = written.get(&key);
            for metric in Figures::NAMES {
                if known.is_some_and(|k| k.iter().any(|m| m == metric)) {
                    continue;
                }
                if let Some(s) = summarize_metric(&rows, metric) {
                    stats.insert((key.clone(), metric.to_string()), s);
                }
            }
        }
        let fits = fits_csv.unwrap_or_else(|| fits(&raw));
        let columns = header::<RawRow>()
            .into_iter()
            .chain(header::<SummaryRow>())
            .chain(written.values().flatten().map(String::as_str))
            .map(str::to_string)
            .collect();
        Run {
            dir: dir.to_path_buf(),
            raw,
            env,
            fits,
            summary: stats,
            groups,
            columns,
        }
    }

    /// The same run with only the points of models written in `language` (a model the
    /// registry does not know counts as Rust's): what a claim is answered from, once per
    /// language.
    pub fn of_language(&self, language: tvc_core::Language) -> Run {
        let of = |model: &str, variant: &str| {
            let label = tvc_core::registry::label(model, variant);
            tvc_core::registry::language(&label).unwrap_or(tvc_core::Language::Rust) == language
        };
        let raw: Vec<RawRow> = self
            .raw
            .iter()
            .filter(|r| of(&r.key.model, &r.key.variant))
            .cloned()
            .collect();
        let mut groups: BTreeMap<PointKey, Vec<usize>> = BTreeMap::new();
        for (i, r) in raw.iter().enumerate() {
            groups.entry(r.key.clone()).or_default().push(i);
        }
        let summary = self
            .summary
            .iter()
            .filter(|((k, _), _)| of(&k.model, &k.variant));
        Run {
            dir: self.dir.clone(),
            raw,
            env: self.env.clone(),
            fits: self
                .fits
                .iter()
                .filter(|f| of(&f.model, &f.variant))
                .cloned()
                .collect(),
            summary: summary.map(|(k, v)| (k.clone(), *v)).collect(),
            groups,
            columns: self.columns.clone(),
        }
    }

    /// The languages whose models this run measured, Rust first (an unknown model counts as
    /// Rust's).
    pub fn languages(&self) -> Vec<tvc_core::Language> {
        let found: BTreeSet<tvc_core::Language> = self
            .raw
            .iter()
            .map(|r| r.key.language().unwrap_or(tvc_core::Language::Rust))
            .collect();
        found.into_iter().collect()
    }

    /// The column names of the run's raw.csv and summary.csv, and the figures its
    /// summary.csv names: what an older format lacks, or names in another unit.
    pub fn columns(&self) -> &BTreeSet<String> {
        &self.columns
    }

    /// Every point of the run, in parameter order.
    pub fn points(&self) -> impl Iterator<Item = &PointKey> {
        self.groups.keys()
    }

    /// The rows (all statuses) of one point.
    pub fn rows(&self, point: &PointKey) -> Vec<&RawRow> {
        self.groups
            .get(point)
            .map(|ix| ix.iter().map(|&i| &self.raw[i]).collect())
            .unwrap_or_default()
    }

    /// The median and interval of `metric` at `point`.
    pub fn stat(&self, point: &PointKey, metric: &str) -> Option<Stat> {
        debug_assert!(Figures::NAMES.contains(&metric), "unknown figure {metric}");
        self.summary
            .get(&(point.clone(), metric.to_string()))
            .copied()
    }

    /// Whether the model cannot express the point: every repetition `unsupported`.
    pub fn unsupported(&self, point: &PointKey) -> bool {
        let rows = self.rows(point);
        !rows.is_empty() && rows.iter().all(|r| r.status == Status::Unsupported)
    }

    /// How the repetitions of a point ended: `aborted`, or `ok=4;timeout=1` when they differ.
    pub fn statuses(&self, point: &PointKey) -> String {
        let rows = self.rows(point);
        match rows.split_first() {
            Some((first, rest)) if rest.iter().all(|r| r.status == first.status) => {
                first.status.name().to_string()
            }
            _ => crate::summary::statuses(rows),
        }
    }

    /// Why a point measured nothing, as its rows say (the first non-empty `reason`).
    pub fn reason(&self, point: &PointKey) -> Option<String> {
        self.rows(point)
            .iter()
            .map(|r| r.reason.trim())
            .find(|r| !r.is_empty())
            .map(str::to_string)
    }

    /// The value of `name` in the knobs of a point's rows (`client` in `client=hyper;...`).
    pub fn knob(&self, point: &PointKey, name: &str) -> Option<String> {
        self.rows(point)
            .iter()
            .find_map(|r| r.knob(name).map(str::to_string))
    }

    /// The points of one workload; for http, the closed loop's only (open-loop points,
    /// paced by a rate, are [`Run::open_loop_points`]).
    pub fn points_of(&self, workload: Workload) -> Vec<&PointKey> {
        self.points()
            .filter(|p| p.workload == workload && p.rate().is_none())
            .collect()
    }

    /// The http points sent on a schedule (a rate).
    pub fn open_loop_points(&self) -> Vec<&PointKey> {
        self.points()
            .filter(|p| p.workload == Workload::Http && p.rate().is_some())
            .collect()
    }

    /// The experiment's name: env.json's, else the first row's.
    pub fn experiment(&self) -> String {
        self.env
            .text("experiment.name")
            .or_else(|| self.raw.first().map(|r| r.key.experiment.clone()))
            .unwrap_or_default()
    }

    /// The fit of `metric` for one model label.
    pub fn fit(&self, label: &str, metric: &str) -> Option<&FitRow> {
        self.fits
            .iter()
            .find(|f| f.label() == label && f.metric == metric)
    }
}

/// The column names on the first line of a CSV file (only that line is read).
/// The header's names; a text parsed just before has a header, so an error reads as none.
fn header_of(text: &str) -> BTreeSet<String> {
    csv::Reader::from_reader(text.as_bytes())
        .headers()
        .map(|h| h.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default()
}

/// The machine and run facts of env.json, kept as JSON: fields are read by path, so a field
/// added later costs nothing and a missing one reads as absent.
#[derive(Debug, Clone, Default)]
pub struct Env(pub Value);

impl Env {
    fn read(path: &Path) -> Result<Env, ResultsError> {
        let text = std::fs::read_to_string(path).map_err(|source| ResultsError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Env::parse(&text, path)
    }

    fn parse(text: &str, path: &Path) -> Result<Env, ResultsError> {
        serde_json::from_str(text)
            .map(Env)
            .map_err(|e| ResultsError::Json {
                path: path.to_path_buf(),
                message: e.to_string(),
            })
    }

    /// The value at a dotted path such as `machine.cpus`.
    pub fn get(&self, path: &str) -> Option<&Value> {
        path.split('.').try_fold(&self.0, |v, key| v.get(key))
    }

    pub fn u64(&self, path: &str) -> Option<u64> {
        self.get(path).and_then(Value::as_u64)
    }

    pub fn f64(&self, path: &str) -> Option<f64> {
        self.get(path).and_then(Value::as_f64)
    }

    /// A string, or a number or boolean written as text.
    pub fn text(&self, path: &str) -> Option<String> {
        match self.get(path)? {
            Value::String(s) => Some(s.clone()),
            v @ (Value::Number(_) | Value::Bool(_)) => Some(v.to_string()),
            _ => None,
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_columns_are_ignored_and_missing_ones_are_empty() {
        let text = "experiment,model,variant,status,wall_ms,future_column\n\
                    e,tokio,default,ok,12.5,x\n\
                    e,tokio,default,timeout,,y\n";
        let run = Run::from_texts(Path::new("x"), text, "{}", None).expect("parses");
        assert_eq!(run.raw[0].figures.wall_ms, Some(12.5));
        assert_eq!(run.raw[1].figures.wall_ms, None);
        assert_eq!(run.raw[0].key.rate_per_s, 0, "an older file has no rate");
        assert!(run.raw[0].measured() && !run.raw[1].measured());
    }

    #[test]
    fn a_bad_cell_names_the_file_line_and_column() {
        let text = "model,status,wall_ms\ntokio,ok,1\ntokio,ok,fast\n";
        let err = Run::from_texts(Path::new("x"), text, "{}", None)
            .expect_err("bad cell")
            .to_string();
        assert!(
            err.contains("raw.csv") && err.contains("line 3") && err.contains("wall_ms"),
            "{err}"
        );
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
        let points: Vec<&PointKey> = run.points().collect();
        assert_eq!(points.len(), 2);
        let none = points
            .iter()
            .find(|p| p.lock == tvc_core::Lock::None)
            .expect("none");
        assert_eq!(run.stat(none, "ns_per_increment"), None);
        assert_eq!(run.statuses(none), "unsupported");
        assert!(run.unsupported(none));
        let mutex = points.iter().find(|p| p.lock == tvc_core::Lock::Mutex);
        assert!(!run.unsupported(mutex.expect("mutex")));
    }

    #[test]
    fn summary_lines_win_and_raw_fills_the_figures_they_lack() {
        let raw: Vec<RawRow> = (1..=3)
            .map(|i| {
                let mut r = RawRow {
                    key: PointKey {
                        model: "tokio".into(),
                        ..PointKey::default()
                    },
                    status: crate::raw::Status::Ok,
                    ..RawRow::default()
                };
                r.figures.wall_ms = Some(f64::from(i));
                r.figures.p999_ms = Some(f64::from(i) * 10.0);
                r
            })
            .collect();
        let point = raw[0].key.clone();
        let summary = vec![SummaryRow {
            key: point.clone(),
            metric: "wall_ms".into(),
            median: Some(7.0),
            ..SummaryRow::default()
        }];
        let run = Run::from_rows(Path::new("x"), raw, summary, Env::default(), None);
        assert_eq!(run.stat(&point, "wall_ms").map(|s| s.median), Some(7.0));
        assert_eq!(run.stat(&point, "p999_ms").map(|s| s.median), Some(20.0));
        assert_eq!(run.stat(&point, "ns_per_switch"), None);
    }

    #[test]
    fn a_folder_without_results_says_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let e = Run::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("no raw.csv and no env.json"), "{e}");
        let e = Run::load(&dir.path().join("nope")).unwrap_err().to_string();
        assert!(e.contains("no such folder"), "{e}");
        assert_eq!(e.matches("no such").count(), 1, "said once: {e}");
    }
}
