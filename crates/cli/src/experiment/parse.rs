//! From an experiment file's text to an [`Experiment`], in named steps: decode the TOML,
//! read the header, check the models, overlay `[quick]`, check which keys are set where,
//! apply the defaults, and check the limits. Each step reports its mistakes with the file,
//! the line and the key.

use super::file::{List, Params, Section};
use super::limits;
use super::locate::{ExperimentError, Source};
use super::{Experiment, Sweep};
use crate::models;
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::time::Duration;
use tvc_core::Language;
use tvc_core::{CpuMode, Lock, Medium, Workload};

/// The keys each workload's table takes.
pub fn keys(w: Workload) -> &'static [&'static str] {
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
    match w {
        Workload::Http => HTTP,
        Workload::Park => &["n", "pinned"],
        Workload::Switch => &["units", "hops", "passes", "medium", "pinned"],
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

/// The keys `[quick]` may set besides a table per workload.
const QUICK_KEYS: &[&str] = &["models", "repetitions", "warmup"];

const DEFAULT_REPETITIONS: u32 = 5;
const DEFAULT_WARMUP: u32 = 1;
const DEFAULT_POINT_TIMEOUT_S: u64 = 600;
/// Timed passes around a switch ring per worker.
const DEFAULT_PASSES: u64 = 10;

pub fn parse(path: &Path, text: &str, quick: bool) -> Result<Experiment, ExperimentError> {
    let src = Source { path, text };
    let file = decode(src)?;
    let header = header(src, &file)?;
    let models = model_list(src, &file, quick)?;
    let run = overlay_quick(src, &file, header.workload, quick)?;
    check_keys(src, &file, &run)?;
    let sweep = defaults(src, &run, &run.params.common(), &run.sections(None))?;
    let mut languages = Vec::new();
    for (name, table) in run.params.languages() {
        let Some(language) = Language::ALL
            .into_iter()
            .find(|l| l.name().to_lowercase() == name)
        else {
            continue;
        };
        let params = run.params.common().overlay(table);
        languages.push((
            language,
            defaults(src, &run, &params, &run.sections(Some(name)))?,
        ));
    }
    let of_language = |language: Option<Language>| -> Vec<(String, String)> {
        let mine = |m: &str| {
            let theirs = tvc_core::registry::model(m).map(|m| m.language);
            match language {
                Some(l) => theirs == Some(l),
                None => !languages.iter().any(|(l, _)| theirs == Some(*l)),
            }
        };
        models.iter().filter(|(m, _)| mine(m)).cloned().collect()
    };
    check_limits(src, &header, &run, &sweep, &of_language(None), None)?;
    for (language, own) in &languages {
        let name = language.name().to_lowercase();
        check_limits(
            src,
            &header,
            &run,
            own,
            &of_language(Some(*language)),
            Some(&name),
        )?;
    }
    Ok(Experiment {
        name: header.name,
        about: header.about,
        file: path.to_path_buf(),
        source: text.to_string(),
        workload: header.workload,
        quick,
        models,
        repetitions: run.repetitions,
        warmup: run.warmup,
        point_timeout_s: header.point_timeout_s,
        target: header.target,
        sweep,
        languages,
    })
}

/// Step 1: the TOML, into its shape; a syntax error or a key of the wrong type names its line.
fn decode(src: Source) -> Result<Section, ExperimentError> {
    toml::from_str(src.text)
        .map_err(|e| src.at_offset(e.span().map(|s| s.start), e.message().trim().to_string()))
}

/// What the top level says about the whole experiment.
struct Header {
    name: String,
    about: String,
    workload: Workload,
    point_timeout_s: u64,
    target: Option<String>,
}

/// Step 2: the top-level keys every experiment has.
fn header(src: Source, file: &Section) -> Result<Header, ExperimentError> {
    let missing = |key: &str| src.error(None, Some(key), format!("missing field `{key}`"));
    let name = file.name.clone().ok_or_else(|| missing("name"))?;
    if name.trim().is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(src.at(
            None,
            "name",
            "must be non-empty letters, digits, `-` or `_` (it names the results folder)".into(),
        ));
    }
    let workload = file.workload.ok_or_else(|| missing("workload"))?;
    let point_timeout_s = file.point_timeout_s.unwrap_or(DEFAULT_POINT_TIMEOUT_S);
    if point_timeout_s == 0 {
        return Err(src.at(None, "point_timeout_s", "must be at least 1".into()));
    }
    if file.target.is_some() && !workload.is_http() {
        return Err(src.at(
            None,
            "target",
            format!(
                "a target needs workload http or blocking, not {}",
                workload.name()
            ),
        ));
    }
    Ok(Header {
        name,
        about: file.about.clone().unwrap_or_default(),
        workload,
        point_timeout_s,
        target: file.target.clone(),
    })
}

/// Step 3: every `model[:variant]` known, none twice; `[quick]`'s list instead when
/// `--quick` and it has one (both lists are checked either way).
fn model_list(
    src: Source,
    file: &Section,
    quick: bool,
) -> Result<Vec<(String, String)>, ExperimentError> {
    let specs = file
        .models
        .as_ref()
        .ok_or_else(|| src.error(None, Some("models"), "missing field `models`".into()))?;
    let full = checked_models(src, None, specs)?;
    match file.quick.as_ref().and_then(|q| q.models.as_ref()) {
        Some(specs) => {
            let short = checked_models(src, Some("quick"), specs)?;
            Ok(if quick { short } else { full })
        }
        None => Ok(full),
    }
}

fn checked_models(
    src: Source,
    section: Option<&str>,
    specs: &List<String>,
) -> Result<Vec<(String, String)>, ExperimentError> {
    let mut models = Vec::new();
    let mut seen = BTreeSet::new();
    for spec in specs.to_vec() {
        let (model, variant) =
            models::parse_spec(&spec).map_err(|m| src.at(section, "models", m))?;
        if !seen.insert((model.name(), variant)) {
            return Err(src.at(section, "models", format!("`{spec}` is listed twice")));
        }
        models.push((model.name().to_string(), variant.to_string()));
    }
    if models.is_empty() {
        return Err(src.at(section, "models", "lists no model".into()));
    }
    Ok(models)
}

/// What a run uses after `--quick`: repetitions, warm-up and the workload's table.
struct Run {
    workload: Workload,
    repetitions: u32,
    warmup: u32,
    params: Params,
    /// `quick.<table>` when `--quick` overrode the table: where a key is looked up first.
    quick_table: Option<String>,
}

impl Run {
    /// The tables a key of the workload's values may sit in, the one that wins first: for a
    /// language's own values (`python`), `[quick.park.python]`, `[park.python]`, then the
    /// workload's `[quick.park]` and `[park]`.
    fn sections(&self, language: Option<&str>) -> Vec<String> {
        let table = self.workload.name();
        let mut tables: Vec<String> = self.quick_table.iter().cloned().collect();
        tables.push(table.to_string());
        match language {
            Some(l) => {
                let own = tables.iter().map(|t| format!("{t}.{l}"));
                own.collect::<Vec<_>>().into_iter().chain(tables).collect()
            }
            None => tables,
        }
    }
}

/// Step 4: the workload's table and counts, with `[quick]` laid over them when asked.
fn overlay_quick(
    src: Source,
    file: &Section,
    workload: Workload,
    quick: bool,
) -> Result<Run, ExperimentError> {
    let table = workload.name();
    let Some(params) = file.table(workload).cloned() else {
        return Err(src.error(
            None,
            Some(table),
            format!("workload = \"{table}\" needs a [{table}] table"),
        ));
    };
    let mut run = Run {
        workload,
        repetitions: file.repetitions.unwrap_or(DEFAULT_REPETITIONS),
        warmup: file.warmup.unwrap_or(DEFAULT_WARMUP),
        params,
        quick_table: None,
    };
    if let (true, Some(q)) = (quick, &file.quick) {
        run.repetitions = q.repetitions.unwrap_or(run.repetitions);
        run.warmup = q.warmup.unwrap_or(run.warmup);
        if let Some(over) = q.table(workload) {
            run.params = run.params.overlay(over);
            run.quick_table = Some(format!("quick.{table}"));
        }
    }
    if run.repetitions == 0 {
        let section = quick.then_some("quick");
        return Err(src.at(section, "repetitions", "must be at least 1".into()));
    }
    Ok(run)
}

/// Step 5: every key stands where it applies: `[quick]` holds only counts and tables, only
/// the workload's own table is there, and it holds only the workload's keys.
fn check_keys(src: Source, file: &Section, run: &Run) -> Result<(), ExperimentError> {
    let table = run.workload.name();
    let takes = keys(run.workload);
    if let Some(q) = &file.quick {
        if let Some(key) = q.set_keys().into_iter().find(|k| !QUICK_KEYS.contains(k)) {
            return Err(src.at(
                Some("quick"),
                key,
                format!(
                    "does not apply to [quick] (it takes {} and the workload's table)",
                    QUICK_KEYS.join(", ")
                ),
            ));
        }
        if let Some(over) = q.table(run.workload) {
            if let Some(key) = over.set_keys().into_iter().find(|k| !takes.contains(k)) {
                return Err(src.at(
                    Some(&format!("quick.{table}")),
                    key,
                    format!("does not apply to workload {table}"),
                ));
            }
        }
    }
    for other in Workload::ALL.iter().filter(|w| **w != run.workload) {
        let in_quick = file.quick.as_ref().and_then(|q| q.table(*other));
        if file.table(*other).or(in_quick).is_some() {
            return Err(src.at_table(
                other.name(),
                format!("this experiment's workload is {table}: use a [{table}] table"),
            ));
        }
    }
    if let Some(key) = run
        .params
        .set_keys()
        .into_iter()
        .find(|k| !takes.contains(k))
    {
        return Err(src.at(
            Some(table),
            key,
            format!(
                "does not apply to workload {table} (it takes: {})",
                takes.join(", ")
            ),
        ));
    }
    for (language, own) in run.params.languages() {
        let section = format!("{table}.{language}");
        if let Some((inner, _)) = own.languages().first() {
            return Err(src.at_table(
                &format!("{section}.{inner}"),
                "a language's table holds values, not another language's table".to_string(),
            ));
        }
        if let Some(key) = own.set_keys().into_iter().find(|k| !takes.contains(k)) {
            let in_quick = file
                .quick
                .as_ref()
                .and_then(|q| q.table(run.workload))
                .is_some_and(|q| {
                    q.languages()
                        .iter()
                        .any(|(l, t)| *l == language && t.set_keys().contains(&key))
                });
            let at = if in_quick {
                format!("quick.{section}")
            } else {
                section
            };
            return Err(src.at(
                Some(&at),
                key,
                format!(
                    "does not apply to workload {table} (it takes: {})",
                    takes.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// A key's line, looked up in `sections` in order (see [`Run::sections`]).
fn key_error(src: Source, sections: &[String], key: &str, message: String) -> ExperimentError {
    let line = sections.iter().find_map(|s| src.key_line(Some(s), key));
    src.error(line, Some(key), message)
}

/// Step 6: every parameter's values, with the defaults for those not set, each at least its
/// minimum and none listed twice (the same value twice would measure one point twice).
fn defaults(
    src: Source,
    run: &Run,
    p: &Params,
    sections: &[String],
) -> Result<Sweep, ExperimentError> {
    let fail = |key: &str, message: String| key_error(src, sections, key, message);
    let counts = |key: &str, list: &Option<List<u64>>, default: u64, min: u64| {
        let values = listed(src, sections, key, list, default)?;
        match values.iter().find(|v| **v < min) {
            Some(bad) => Err(fail(key, format!("must be at least {min} (got {bad})"))),
            None => Ok(values),
        }
    };
    let (n_key, units_key, n, units, default_n) = match run.workload {
        Workload::Switch => ("hops", "units", &p.hops, &p.units, 100_000),
        Workload::SharedState => ("increments", "units", &p.increments, &p.units, 10_000),
        Workload::Cpu => ("n", "concurrency", &p.n, &p.concurrency, 64),
        _ => ("n", "concurrency", &p.n, &p.concurrency, 200),
    };
    let min_units = if run.workload == Workload::Switch {
        2
    } else {
        1
    };
    let sweep = Sweep {
        n: counts(n_key, n, default_n, 1)?,
        n_per_concurrency: p.n_per_concurrency.unwrap_or(0),
        concurrency: counts(units_key, units, min_units, min_units)?,
        delay_ms: counts("delay_ms", &p.delay_ms, 0, 0)?,
        jitter_ms: counts("jitter_ms", &p.jitter_ms, 0, 0)?,
        bytes: counts("bytes", &p.bytes, 0, 0)?,
        keep_alive: listed(src, sections, "keep_alive", &p.keep_alive, true)?,
        request_timeout_ms: p.request_timeout_ms.unwrap_or(30_000),
        rate: match p.rate {
            None => vec![0],
            Some(_) => counts("rate", &p.rate, 0, 1)?,
        },
        seconds: p.seconds.unwrap_or(0),
        passes: match run.workload {
            Workload::Switch => p.passes.unwrap_or(DEFAULT_PASSES),
            _ => 0,
        },
        iters: counts("iters", &p.iters, 2_000_000, 1)?,
        cpu_tasks: counts("cpu_tasks", &p.cpu_tasks, 0, 0)?,
        cpu_mode: listed(src, sections, "cpu_mode", &p.cpu_mode, CpuMode::None)?,
        lock: listed(src, sections, "lock", &p.lock, Lock::Mutex)?,
        pinned: listed(src, sections, "pinned", &p.pinned, false)?,
        medium: listed(src, sections, "medium", &p.medium, Medium::Channel)?,
    };
    if p.seconds.is_some() {
        if p.rate.is_none() {
            return Err(fail(
                "seconds",
                "sets an open loop's length: it needs a `rate`".into(),
            ));
        }
        if p.n.is_some() || p.n_per_concurrency.is_some() {
            return Err(fail(
                "seconds",
                "sets n (rate × seconds): set `n`, `n_per_concurrency` or `seconds`, not two of \
                 them"
                    .into(),
            ));
        }
        if sweep.seconds == 0 {
            return Err(fail("seconds", "must be at least 1".into()));
        }
    }
    if sweep.request_timeout_ms == 0 {
        return Err(fail("request_timeout_ms", "must be at least 1".into()));
    }
    if run.workload == Workload::Switch && sweep.passes == 0 {
        return Err(fail("passes", "must be at least 1".into()));
    }
    Ok(sweep)
}

/// A parameter's values (its default when not set): at least one, none twice.
fn listed<T: Clone + fmt::Debug + PartialEq>(
    src: Source,
    sections: &[String],
    key: &str,
    list: &Option<List<T>>,
    default: T,
) -> Result<Vec<T>, ExperimentError> {
    let values = list.as_ref().map_or(vec![default], List::to_vec);
    if values.is_empty() {
        return Err(key_error(
            src,
            sections,
            key,
            "must list at least one value".into(),
        ));
    }
    let repeated = values
        .iter()
        .enumerate()
        .find_map(|(i, v)| values[..i].contains(v).then(|| format!("{v:?}")));
    match repeated {
        Some(v) => Err(key_error(
            src,
            sections,
            key,
            format!("lists {v} twice: each point is measured once per repetition"),
        )),
        None => Ok(values),
    }
}

/// Step 7: what the machine and the built-in server can take, and whether an open loop fits
/// the point timeout.
fn check_limits(
    src: Source,
    header: &Header,
    run: &Run,
    sweep: &Sweep,
    models: &[(String, String)],
    language: Option<&str>,
) -> Result<(), ExperimentError> {
    let sections = run.sections(language);
    let fail = |key: &str, message: String| key_error(src, &sections, key, message);
    if let Some(&slowest) = sweep.rate.iter().filter(|r| **r > 0).min() {
        let schedule = Duration::from_secs_f64(if sweep.seconds > 0 {
            sweep.seconds as f64
        } else {
            sweep.n.iter().copied().max().unwrap_or(1) as f64 / slowest as f64
        });
        if let Some(why) =
            limits::open_loop_past_timeout(schedule, run.warmup, header.point_timeout_s)
        {
            let key = if sweep.seconds > 0 { "seconds" } else { "rate" };
            return Err(fail(key, why));
        }
    }
    for (key, values) in [
        ("delay_ms", &sweep.delay_ms),
        ("jitter_ms", &sweep.jitter_ms),
        ("bytes", &sweep.bytes),
    ] {
        if let Some(why) = limits::above_server(key, values) {
            return Err(fail(key, why));
        }
    }
    if run.workload.is_http() {
        let c = sweep.concurrency.iter().copied().max().unwrap_or(1);
        let thread_per_request = models.iter().any(|(m, v)| {
            tvc_core::registry::model(m)
                .and_then(|m| m.variant(v))
                .is_some_and(|v| v.thread_per_request)
        });
        if let Some(why) = limits::above_machine(c, thread_per_request) {
            let mut e = fail("concurrency", why);
            e.machine_limit = true;
            return Err(e);
        }
    }
    Ok(())
}
