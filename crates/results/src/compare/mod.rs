//! Two runs of one experiment side by side (`tvc compare BASE NEW`): this machine against the
//! reference run, or before and after a change. Points are paired by their key; for each
//! figure both runs measured, the ratio NEW/BASE of the medians, a conservative interval for
//! it, and a word that says only what the intervals allow. Points in one run only, and
//! points that measured nothing, are rows too, so nothing is dropped silently.
//!
//! The pairing, ratios and words are here; the two runs' machines, builds and calibrations
//! are set side by side in [`env`]; the CLI prints a [`Comparison`] and tvc-plot draws it.

pub mod env;

use crate::columns::{cells, header};
use crate::direction::{self, Better, Kind};
use crate::files::{atomic_write, csv_text};
use crate::key::PointKey;
use crate::reader::Run;
use crate::stats::Stat;
use crate::{Figures, ResultsError};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tvc_core::Workload;

/// How the ratio's interval is made and when a word is given, said once for the table, the
/// CSV's readers and the chart.
pub const RULE: &str = "ratio = NEW median / BASE median; its interval runs from NEW's low \
    end / BASE's high end to NEW's high end / BASE's low end (conservative: it holds whenever \
    both medians lie in their intervals); a word when the two intervals do not overlap (the \
    ratio's interval excludes 1), `same` when they do, `?` when a run has no interval (one \
    repetition) or the figure cannot be compared";

/// The two runs of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Base,
    New,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Base => "BASE",
            Side::New => "NEW",
        }
    }
}

/// Why two folders cannot be compared: all the user's to fix.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error(
        "BASE {} and NEW {} are runs of different experiments ({base} and {new}): compare two \
         runs of one experiment",
        base_dir.display(),
        new_dir.display()
    )]
    Experiments {
        base_dir: PathBuf,
        new_dir: PathBuf,
        base: String,
        new: String,
    },
    #[error(
        "BASE {} and NEW {} measure different workloads ({base} and {new}): the experiment \
         file changed its workload between the runs",
        base_dir.display(),
        new_dir.display()
    )]
    Workloads {
        base_dir: PathBuf,
        new_dir: PathBuf,
        base: String,
        new: String,
    },
    #[error(
        "{side} {} has no results: its raw.csv holds only the header line (the run stopped \
         before its first point)",
        dir.display()
    )]
    Empty { side: &'static str, dir: PathBuf },
    #[error(
        "BASE {} and NEW {} write one quantity in different units: `{base_column}` in BASE, \
         `{new_column}` in NEW (files of different tvc versions?); convert one of them first",
        base_dir.display(),
        new_dir.display()
    )]
    Units {
        base_dir: PathBuf,
        new_dir: PathBuf,
        base_column: String,
        new_column: String,
    },
}

impl CompareError {
    /// Every refusal is about the folders the user named (exit code 2).
    pub fn is_usage(&self) -> bool {
        true
    }
}

/// What a row says about NEW against BASE.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The intervals do not overlap and NEW is below BASE.
    Lower,
    /// The intervals do not overlap and NEW is above BASE.
    Higher,
    /// The intervals overlap.
    Same,
    /// No word can be given, and why.
    Unknown(String),
    /// The point was measured in one run only.
    OnlyIn(Side),
}

/// One line of a comparison: one figure of one point, or (`figure` `None`) a point that one
/// run lacks or that measured nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub point: PointKey,
    pub figure: Option<&'static str>,
    pub base: Option<Stat>,
    pub new: Option<Stat>,
    /// How the point's repetitions ended in each run (`ok`, `ok=4;timeout=1`); `None` where
    /// the run lacks the point.
    pub base_status: Option<String>,
    pub new_status: Option<String>,
    pub verdict: Verdict,
    /// What else a reader must know (a status other than ok, and its reason).
    pub note: String,
}

impl Row {
    /// NEW / BASE of the medians, when both are above zero.
    pub fn ratio(&self) -> Option<f64> {
        let (b, n) = (self.base?, self.new?);
        (b.median > 0.0 && n.median >= 0.0).then(|| n.median / b.median)
    }

    /// The ratio's conservative interval, when both runs have intervals and BASE's stays
    /// above zero.
    pub fn interval(&self) -> Option<(f64, f64)> {
        let (b, n) = (self.base?, self.new?);
        if !(b.has_interval() && n.has_interval()) || b.ci_low <= 0.0 || n.ci_low < 0.0 {
            return None;
        }
        let r = n.ratio(b);
        Some((r.ci_low, r.ci_high))
    }

    /// `0.52× [0.41 – 0.61]`, or the ratio alone without an interval; `None` without a
    /// ratio. The ends keep the digits that tell them from 1, so an interval that excludes 1
    /// says so.
    pub fn ratio_text(&self) -> Option<String> {
        use crate::format::{factor, sig3};
        let x = self.ratio()?;
        Some(match self.interval() {
            Some((lo, hi)) => format!("{}× [{} – {}]", sig3(x), factor(lo), factor(hi)),
            None => format!("{}×", sig3(x)),
        })
    }

    /// The chance that the intervals fall apart (a word) when NEW and BASE measured one and
    /// the same thing, given their repetitions; `None` without two intervals.
    pub fn chance(&self) -> Option<f64> {
        let (b, n) = (self.base?, self.new?);
        (b.has_interval() && n.has_interval())
            .then(|| crate::stats::chance_apart(b.measured, n.measured))
    }

    /// The figure's kind, for a figure row.
    pub fn kind(&self) -> Option<Kind> {
        self.figure.and_then(direction::kind)
    }

    /// The word for the row: `faster`, `smaller`, `higher`, `same`, `?`, `only in NEW`.
    pub fn word(&self) -> String {
        let words = self.kind().map(Kind::words).unwrap_or(("lower", "higher"));
        match &self.verdict {
            Verdict::Lower => words.0.into(),
            Verdict::Higher => words.1.into(),
            Verdict::Same => "same".into(),
            Verdict::Unknown(_) => "?".into(),
            Verdict::OnlyIn(side) => format!("only in {}", side.name()),
        }
    }

    /// Whether NEW is better (`Some(true)`) or worse, for a figure with a direction and a
    /// word that is not `same`.
    pub fn better(&self) -> Option<bool> {
        let lower = match self.verdict {
            Verdict::Lower => true,
            Verdict::Higher => false,
            _ => return None,
        };
        match self.kind()?.better() {
            Better::Lower => Some(lower),
            Better::Higher => Some(!lower),
            Better::Neither => None,
        }
    }

    /// Why there is no word (`?`), or the note; empty when there is nothing to add.
    pub fn reason(&self) -> String {
        match &self.verdict {
            Verdict::Unknown(why) if self.note.is_empty() => why.clone(),
            Verdict::Unknown(why) => format!("{why}; {}", self.note),
            _ => self.note.clone(),
        }
    }
}

/// Two runs of one experiment, paired.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub base_dir: PathBuf,
    pub new_dir: PathBuf,
    pub experiment: String,
    /// Figure rows (in figure order, then point order), then the points of one run only or
    /// that measured nothing.
    pub rows: Vec<Row>,
    /// The key columns whose values differ between points, which [`Comparison::describe`]
    /// names (`keep_alive` in the article experiment).
    pub knobs: Vec<&'static str>,
    /// Differences between the runs that do not stop the comparison (machines, builds,
    /// calibrations, repetitions), one line each.
    pub warnings: Vec<String>,
}

impl Comparison {
    /// A point as a reader names it: its model label and the knobs that vary, e.g.
    /// `tokio keep_alive=false`.
    pub fn describe(&self, point: &PointKey) -> String {
        let names = header::<PointKey>();
        let values = cells(point);
        let mut out = point.label();
        for knob in &self.knobs {
            if let Some(i) = names.iter().position(|n| n == knob) {
                out.push_str(&format!(" {knob}={}", values[i]));
            }
        }
        out
    }

    /// The figure rows of `figure`, in point order.
    pub fn rows_of<'a>(&'a self, figure: &'a str) -> impl Iterator<Item = &'a Row> + 'a {
        self.rows.iter().filter(move |r| r.figure == Some(figure))
    }

    /// The rows that are about a whole point (only in one run, or nothing measured).
    pub fn point_rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.figure.is_none())
    }

    /// The figures a reader looks at first for the workloads compared (the table's and the
    /// chart's default): for http, wall time, p99 and peak memory.
    pub fn headline(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for r in &self.rows {
            for f in headline(&r.point) {
                if !out.contains(f) {
                    out.push(f);
                }
            }
        }
        out.retain(|f| self.rows_of(f).next().is_some());
        out
    }

    /// How often two runs of one and the same thing would get a word by chance, at worst
    /// over the rows with intervals, and with how many repetitions a side (BASE, NEW).
    pub fn chance(&self) -> Option<(f64, usize, usize)> {
        self.rows
            .iter()
            .filter_map(|r| {
                let (b, n) = (r.base?, r.new?);
                Some((r.chance()?, b.measured, n.measured))
            })
            .max_by(|x, y| x.0.total_cmp(&y.0))
    }

    /// What a word is worth here, said with every table and chart: the chance of a word
    /// where there is no difference.
    pub fn chance_note(&self) -> Option<String> {
        let (p, b, n) = self.chance()?;
        let mut note = format!(
            "with {b} repetitions in BASE and {n} in NEW, two runs of one and the same thing \
             would still get a word by chance for {} of the rows (the chance that their \
             intervals fall apart)",
            crate::format::pct(p)
        );
        if p > 0.05 {
            note.push_str(
                ": a word is a hint to measure again with more repetitions, not a finding",
            );
        }
        Some(note)
    }
}

/// The headline figures of one point's workload.
pub fn headline(point: &PointKey) -> &'static [&'static str] {
    match point.workload {
        Workload::Http if point.rate().is_some() => &["p99_ms", "achieved_rate_per_s"],
        Workload::Http | Workload::Blocking => &["wall_ms", "p99_ms", "peak_rss_kib"],
        Workload::Park => &["rss_parked_kib", "spawn_ms"],
        Workload::Switch => &["ns_per_switch"],
        Workload::Cpu => &["wall_ms"],
        Workload::SharedState => &["ns_per_increment"],
    }
}

/// Pairs the points of two runs of one experiment and compares every figure both measured.
pub fn compare(base: &Run, new: &Run) -> Result<Comparison, CompareError> {
    check(base, new)?;
    let order = |p: &&PointKey| (tvc_core::registry::order(&p.label()), (*p).clone());
    let mut both: Vec<&PointKey> = base.points().filter(|p| has(new, p)).collect();
    both.sort_by_key(order);
    let mut rows = Vec::new();
    let mut point_rows = Vec::new();
    let measured = |run: &Run, p: &PointKey| run.rows(p).iter().any(|r| r.measured());
    for figure in Figures::NAMES {
        for &p in &both {
            if measured(base, p) && measured(new, p) {
                rows.extend(figure_row(base, new, p, figure));
            }
        }
    }
    for &p in &both {
        if !(measured(base, p) && measured(new, p)) {
            let mut r = point_row(base, new, p);
            r.verdict = Verdict::Unknown(nothing_measured(base, new, p));
            r.note.clear();
            point_rows.push(r);
        }
    }
    for (side, run, other) in [(Side::Base, base, new), (Side::New, new, base)] {
        let mut only: Vec<&PointKey> = run.points().filter(|p| !has(other, p)).collect();
        only.sort_by_key(order);
        for p in only {
            let mut r = point_row(base, new, p);
            r.verdict = Verdict::OnlyIn(side);
            point_rows.push(r);
        }
    }
    rows.extend(point_rows);
    let all: Vec<&PointKey> = base.points().chain(new.points()).collect();
    Ok(Comparison {
        base_dir: base.dir.clone(),
        new_dir: new.dir.clone(),
        experiment: base.experiment(),
        rows,
        knobs: varying(&all),
        warnings: env::warnings(base, new),
    })
}

fn has(run: &Run, p: &PointKey) -> bool {
    !run.rows(p).is_empty()
}

/// The refusals: different experiments or workloads, a run without rows, a column in
/// another unit.
fn check(base: &Run, new: &Run) -> Result<(), CompareError> {
    for (side, run) in [(Side::Base, base), (Side::New, new)] {
        if run.raw.is_empty() {
            return Err(CompareError::Empty {
                side: side.name(),
                dir: run.dir.clone(),
            });
        }
    }
    let dirs = || (base.dir.clone(), new.dir.clone());
    let (b, n) = (base.experiment(), new.experiment());
    if b != n {
        let (base_dir, new_dir) = dirs();
        return Err(CompareError::Experiments {
            base_dir,
            new_dir,
            base: b,
            new: n,
        });
    }
    let workloads = |run: &Run| -> BTreeSet<&'static str> {
        run.raw.iter().map(|r| r.key.workload.name()).collect()
    };
    let (b, n) = (workloads(base), workloads(new));
    if b != n {
        let (base_dir, new_dir) = dirs();
        let list = |s: BTreeSet<&str>| s.into_iter().collect::<Vec<_>>().join(", ");
        return Err(CompareError::Workloads {
            base_dir,
            new_dir,
            base: list(b),
            new: list(n),
        });
    }
    if let Some((base_column, new_column)) = unit_clash(base.columns(), new.columns()) {
        let (base_dir, new_dir) = dirs();
        return Err(CompareError::Units {
            base_dir,
            new_dir,
            base_column,
            new_column,
        });
    }
    Ok(())
}

/// A column of one run that the other writes under the same stem in another unit
/// (`wall_ms` against `wall_s`).
fn unit_clash(base: &BTreeSet<String>, new: &BTreeSet<String>) -> Option<(String, String)> {
    for b in base.iter().filter(|c| !new.contains(*c)) {
        let Some((stem, unit)) = direction::unit(b) else {
            continue;
        };
        let clash = new
            .iter()
            .filter(|n| !base.contains(*n))
            .find(|n| direction::unit(n).is_some_and(|(s, u)| s == stem && u != unit));
        if let Some(n) = clash {
            return Some((b.clone(), n.clone()));
        }
    }
    None
}

/// The key columns (besides the model) whose values differ between points. The baseline
/// model's own settings (one request at a time) do not count: its label says them.
fn varying(points: &[&PointKey]) -> Vec<&'static str> {
    const NAMED: [&str; 4] = ["experiment", "workload", "model", "variant"];
    let names = header::<PointKey>();
    let others: Vec<&&PointKey> = points.iter().filter(|p| !p.one_at_a_time()).collect();
    let values: Vec<Vec<String>> = if others.is_empty() {
        points.iter().map(|p| cells(*p)).collect()
    } else {
        others.iter().map(|p| cells(**p)).collect()
    };
    names
        .iter()
        .enumerate()
        .filter(|(_, n)| !NAMED.contains(n))
        .filter(|(i, _)| {
            let mut v = values.iter().map(|cells| &cells[*i]);
            v.next().is_some_and(|first| v.any(|x| x != first))
        })
        .map(|(_, n)| *n)
        .collect()
}

/// A row for `p` with both runs' statuses and nothing compared yet.
fn point_row(base: &Run, new: &Run, p: &PointKey) -> Row {
    let status = |run: &Run| has(run, p).then(|| run.statuses(p));
    let (base_status, new_status) = (status(base), status(new));
    let mut notes = Vec::new();
    for (side, run, s) in [
        (Side::Base, base, &base_status),
        (Side::New, new, &new_status),
    ] {
        if let Some(s) = s.as_deref().filter(|s| *s != "ok") {
            let why = run.reason(p).map(|r| format!(" ({r})")).unwrap_or_default();
            notes.push(format!("{} {s}{why}", side.name()));
        }
    }
    Row {
        point: p.clone(),
        figure: None,
        base: None,
        new: None,
        base_status,
        new_status,
        verdict: Verdict::Same,
        note: notes.join("; "),
    }
}

/// Why a point present in both runs has nothing to compare.
fn nothing_measured(base: &Run, new: &Run, p: &PointKey) -> String {
    let side = |side: Side, run: &Run| {
        let why = run.reason(p).map(|r| format!(": {r}")).unwrap_or_default();
        format!("{} {}{why}", side.name(), run.statuses(p))
    };
    format!(
        "nothing measured in both: {}; {}",
        side(Side::Base, base),
        side(Side::New, new)
    )
}

/// The row of one figure of a point both runs measured; `None` when neither measured it.
fn figure_row(base: &Run, new: &Run, p: &PointKey, figure: &'static str) -> Option<Row> {
    let (b, n) = (base.stat(p, figure), new.stat(p, figure));
    if b.is_none() && n.is_none() {
        return None;
    }
    let mut row = point_row(base, new, p);
    row.figure = Some(figure);
    row.base = b;
    row.new = n;
    let missing = |side: Side, run: &Run| {
        if run.columns().contains(figure) {
            format!("not measured in {}", side.name())
        } else {
            format!(
                "{}'s files have no {figure} column (written by another tvc version)",
                side.name()
            )
        }
    };
    row.verdict = match (b, n) {
        (Some(b), Some(n)) => judge(b, n),
        (None, _) => Verdict::Unknown(missing(Side::Base, base)),
        (_, None) => Verdict::Unknown(missing(Side::New, new)),
    };
    Some(row)
}

/// The word the two intervals allow.
pub fn judge(base: Stat, new: Stat) -> Verdict {
    match (base.has_interval(), new.has_interval()) {
        (false, false) => Verdict::Unknown("one repetition in each run: no interval".into()),
        (false, true) => Verdict::Unknown("BASE has one repetition: no interval".into()),
        (true, false) => Verdict::Unknown("NEW has one repetition: no interval".into()),
        _ if new.clearly_below(&base) => Verdict::Lower,
        _ if base.clearly_below(&new) => Verdict::Higher,
        _ => Verdict::Same,
    }
}

crate::record! {
    /// One line of compare.csv.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct CompareRow {
        pub key: PointKey,
        /// Empty for a point of one run only, or one that measured nothing.
        pub figure: String,
        pub base_status: String,
        pub new_status: String,
        pub base_measured: Option<u64>,
        pub base_median: Option<f64>,
        pub base_ci_low: Option<f64>,
        pub base_ci_high: Option<f64>,
        pub base_ci_level: Option<f64>,
        pub new_measured: Option<u64>,
        pub new_median: Option<f64>,
        pub new_ci_low: Option<f64>,
        pub new_ci_high: Option<f64>,
        pub new_ci_level: Option<f64>,
        pub ratio: Option<f64>,
        pub ratio_low: Option<f64>,
        pub ratio_high: Option<f64>,
        /// The chance of a word here if both runs measured one and the same thing.
        pub chance_apart: Option<f64>,
        /// `faster`, `slower`, `same`, `?`, `only in BASE`, ...
        pub word: String,
        /// Whether NEW is better; empty for `same`, `?` and figures without a direction.
        pub better: Option<bool>,
        pub reason: String,
    }
}

impl CompareRow {
    pub fn of(row: &Row) -> CompareRow {
        let (ratio_low, ratio_high) = row.interval().unzip();
        CompareRow {
            key: row.point.clone(),
            figure: row.figure.unwrap_or_default().to_string(),
            base_status: row.base_status.clone().unwrap_or_default(),
            new_status: row.new_status.clone().unwrap_or_default(),
            base_measured: row.base.map(|s| s.measured as u64),
            base_median: row.base.map(|s| s.median),
            base_ci_low: row.base.map(|s| s.ci_low),
            base_ci_high: row.base.map(|s| s.ci_high),
            base_ci_level: row.base.map(|s| s.ci_level),
            new_measured: row.new.map(|s| s.measured as u64),
            new_median: row.new.map(|s| s.median),
            new_ci_low: row.new.map(|s| s.ci_low),
            new_ci_high: row.new.map(|s| s.ci_high),
            new_ci_level: row.new.map(|s| s.ci_level),
            ratio: row.ratio(),
            ratio_low,
            ratio_high,
            chance_apart: row.chance(),
            word: row.word(),
            better: row.better(),
            reason: row.reason(),
        }
    }
}

/// The file name of a comparison's CSV.
pub const COMPARE_CSV: &str = "compare.csv";

/// Writes every row of `cmp` to `dir/compare.csv`, atomically; returns its path.
pub fn write_csv(cmp: &Comparison, dir: &Path) -> Result<PathBuf, ResultsError> {
    std::fs::create_dir_all(dir).map_err(|source| ResultsError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let path = dir.join(COMPARE_CSV);
    let rows: Vec<CompareRow> = cmp.rows.iter().map(CompareRow::of).collect();
    atomic_write(&path, &csv_text(&rows))?;
    Ok(path)
}

#[cfg(test)]
mod tests;
