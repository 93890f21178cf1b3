//! Experiment files: a TOML sweep (workload, parameter lists, models, repetitions, warm-up)
//! and its expansion into points. Every mistake is reported before anything runs, naming the
//! file, the line and the key.

use crate::models;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

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
}

impl Workload {
    pub fn name(self) -> &'static str {
        match self {
            Workload::Http => "http",
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
    quick: Option<Quick>,
    http: Option<HttpParams>,
}

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
    http: Option<HttpParams>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct HttpParams {
    n: Option<List<u64>>,
    concurrency: Option<List<u64>>,
    delay_ms: Option<List<u64>>,
    jitter_ms: Option<List<u64>>,
    bytes: Option<List<u64>>,
    keep_alive: Option<List<bool>>,
    request_timeout_ms: Option<u64>,
}

impl HttpParams {
    fn overlay(self, over: HttpParams) -> HttpParams {
        HttpParams {
            n: over.n.or(self.n),
            concurrency: over.concurrency.or(self.concurrency),
            delay_ms: over.delay_ms.or(self.delay_ms),
            jitter_ms: over.jitter_ms.or(self.jitter_ms),
            bytes: over.bytes.or(self.bytes),
            keep_alive: over.keep_alive.or(self.keep_alive),
            request_timeout_ms: over.request_timeout_ms.or(self.request_timeout_ms),
        }
    }
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
    pub http: HttpSweep,
}

/// The http parameter lists after defaults and `--quick` are applied.
#[derive(Debug, Clone, Serialize)]
pub struct HttpSweep {
    pub n: Vec<u64>,
    pub concurrency: Vec<u64>,
    pub delay_ms: Vec<u64>,
    pub jitter_ms: Vec<u64>,
    pub bytes: Vec<u64>,
    pub keep_alive: Vec<bool>,
    pub request_timeout_ms: u64,
}

/// One measurement to take: a model, its parameters and a repetition number.
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

        let (mut repetitions, mut warmup) = (file.repetitions, file.warmup);
        let mut http = file.http.clone().unwrap_or_default();
        if quick {
            if let Some(q) = file.quick {
                repetitions = q.repetitions.unwrap_or(repetitions);
                warmup = q.warmup.unwrap_or(warmup);
                if let Some(over) = q.http {
                    http = http.overlay(over);
                }
            }
        }
        let section = if quick { "quick" } else { "" };
        if repetitions == 0 {
            return Err(at(
                Some(section).filter(|s| !s.is_empty()),
                "repetitions",
                "must be at least 1".into(),
            ));
        }
        if file.point_timeout_s == 0 {
            return Err(at(None, "point_timeout_s", "must be at least 1".into()));
        }
        if file.workload == Workload::Http && file.http.is_none() {
            return Err(err(
                None,
                Some("http"),
                "workload = \"http\" needs an [http] table".into(),
            ));
        }

        let positive = |key: &str, list: &Option<List<u64>>, default: u64| {
            let values = list.as_ref().map(List::to_vec).unwrap_or(vec![default]);
            if values.is_empty() {
                return Err(at(Some("http"), key, "must list at least one value".into()));
            }
            if values.contains(&0) {
                return Err(at(Some("http"), key, "must be at least 1".into()));
            }
            Ok(values)
        };
        let any = |list: &Option<List<u64>>| list.as_ref().map(List::to_vec).unwrap_or(vec![0]);
        let keep_alive = http
            .keep_alive
            .as_ref()
            .map(List::to_vec)
            .unwrap_or(vec![true]);
        if keep_alive.is_empty() {
            return Err(at(
                Some("http"),
                "keep_alive",
                "must list at least one value".into(),
            ));
        }
        let sweep = HttpSweep {
            n: positive("n", &http.n, 200)?,
            concurrency: positive("concurrency", &http.concurrency, 1)?,
            delay_ms: any(&http.delay_ms),
            jitter_ms: any(&http.jitter_ms),
            bytes: any(&http.bytes),
            keep_alive,
            request_timeout_ms: http.request_timeout_ms.unwrap_or(30_000),
        };
        if sweep.request_timeout_ms == 0 {
            return Err(at(
                Some("http"),
                "request_timeout_ms",
                "must be at least 1".into(),
            ));
        }
        for (key, values) in [
            ("delay_ms", &sweep.delay_ms),
            ("jitter_ms", &sweep.jitter_ms),
        ] {
            if values.iter().any(|v| *v > tvc_mock_server::MAX_DELAY_MS) {
                return Err(at(
                    Some("http"),
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
            return Err(at(
                Some("http"),
                "bytes",
                format!(
                    "exceeds the server's limit of {} bytes",
                    tvc_mock_server::MAX_BODY_BYTES
                ),
            ));
        }

        Ok(Experiment {
            name: file.name,
            about: file.about,
            file: path.to_path_buf(),
            source: source.to_string(),
            workload: file.workload,
            quick,
            models,
            repetitions,
            warmup,
            point_timeout_s: file.point_timeout_s,
            http: sweep,
        })
    }

    /// Every point, repetition-major (all points once, then all again), so slow drift of the
    /// machine spreads over every model instead of biasing the one measured last. The
    /// sequential model ignores concurrency: it gets one point per other parameter set.
    pub fn points(&self) -> Vec<Point> {
        let mut points = Vec::new();
        for rep in 1..=self.repetitions {
            let mut seen = BTreeSet::new();
            for (model, variant) in &self.models {
                let h = &self.http;
                for &n in &h.n {
                    for &concurrency in &h.concurrency {
                        let concurrency = if model == "sequential" {
                            1
                        } else {
                            concurrency
                        };
                        for &delay_ms in &h.delay_ms {
                            for &jitter_ms in &h.jitter_ms {
                                for &bytes in &h.bytes {
                                    for &keep_alive in &h.keep_alive {
                                        let key = (
                                            model,
                                            variant,
                                            n,
                                            concurrency,
                                            delay_ms,
                                            jitter_ms,
                                            bytes,
                                            keep_alive,
                                        );
                                        if !seen.insert(key) {
                                            continue;
                                        }
                                        points.push(Point {
                                            experiment: self.name.clone(),
                                            workload: self.workload,
                                            model: model.clone(),
                                            variant: variant.clone(),
                                            n,
                                            concurrency,
                                            delay_ms,
                                            jitter_ms,
                                            bytes,
                                            keep_alive,
                                            request_timeout_ms: h.request_timeout_ms,
                                            rep,
                                            warmup: self.warmup,
                                        });
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        points
    }
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
        assert_eq!(m, "exp.toml:13: key `concurrency`: must be at least 1");
        let m = error(&GOOD.replace("repetitions = 3", "repetitions = 0"));
        assert_eq!(m, "exp.toml:5: key `repetitions`: must be at least 1");
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

    #[test]
    fn unknown_workload() {
        let m = error(&GOOD.replace("workload = \"http\"", "workload = \"ftp\""));
        assert!(m.contains("key `workload`") && m.contains("ftp"), "{m}");
    }
}
