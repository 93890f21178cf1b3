//! `tvc compare BASE NEW`: two results folders of one experiment side by side. The pairing,
//! ratios and words are tvc-results' ([`tvc_results::compare`]), the chart tvc-plot's; this
//! file picks the figures, prints the table and says where the files went.

use crate::UsageError;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use tvc_results::compare::{self, Comparison, Row};
use tvc_results::direction::show;
use tvc_results::{Figures, Run};

/// Compares two folders, prints the table, writes compare.csv and the chart into `out`
/// (default `NEW/compare-vs-<BASE folder name>/`).
pub fn run(base: &Path, new: &Path, out: Option<&Path>, figures: &[String]) -> Result<()> {
    let base_run = Run::load(base).context("reading BASE")?;
    let new_run = Run::load(new).context("reading NEW")?;
    let cmp = compare::compare(&base_run, &new_run)?;
    let chosen = choose(&cmp, figures)?;
    let out = match out {
        Some(dir) => dir.to_path_buf(),
        None => default_out(base, new),
    };
    // An output folder that cannot be made is the user's to fix, like `tvc run --out`.
    std::fs::create_dir_all(&out).map_err(|e| {
        UsageError(format!(
            "cannot create the output folder {}: {e} (check --out)",
            out.display()
        ))
    })?;
    for w in &cmp.warnings {
        eprintln!("warning: {w}");
    }
    print!("{}", render(&cmp, &chosen));
    let csv = compare::write_csv(&cmp, &out)?;
    let charts = tvc_plot::plot_comparison(&cmp, &chosen, &out)
        .with_context(|| format!("drawing the comparison into {}", out.display()))?;
    println!();
    println!("{}", csv.display());
    for c in charts {
        println!("{}", c.display());
    }
    Ok(())
}

/// `NEW/compare-vs-<BASE folder name>`.
fn default_out(base: &Path, new: &Path) -> PathBuf {
    let name = base
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "base".into());
    new.join(format!("compare-vs-{name}"))
}

/// The figures the table and chart show: the headline figures of the workload by default,
/// every figure compared with `all`, or the ones named.
fn choose(cmp: &Comparison, asked: &[String]) -> Result<Vec<&'static str>> {
    if asked.is_empty() {
        return Ok(cmp.headline());
    }
    if asked.len() == 1 && asked[0] == "all" {
        return Ok(Figures::NAMES
            .iter()
            .copied()
            .filter(|f| cmp.rows_of(f).next().is_some())
            .collect());
    }
    asked
        .iter()
        .map(|a| {
            Figures::NAMES
                .iter()
                .copied()
                .find(|f| f == a)
                .ok_or_else(|| {
                    UsageError(format!(
                        "--figures: unknown figure `{a}` (known: all, {})",
                        Figures::NAMES.join(", ")
                    ))
                    .into()
                })
        })
        .collect()
}

/// The table: one line per figure and point, figures in blocks, then the points that are
/// not compared; a count of the words per figure and the rule underneath.
pub fn render(cmp: &Comparison, figures: &[&str]) -> String {
    let mut lines: Vec<Vec<String>> = vec![[
        "point",
        "figure",
        "BASE",
        "NEW",
        "NEW/BASE [interval]",
        "word",
        "note",
    ]
    .map(String::from)
    .to_vec()];
    let mut breaks = Vec::new();
    for f in figures {
        let rows: Vec<&Row> = cmp.rows_of(f).collect();
        if rows.is_empty() {
            continue;
        }
        breaks.push(lines.len());
        for r in rows {
            let value = |s: Option<tvc_results::Stat>| s.map_or("-".into(), |s| show(f, s.median));
            lines.push(vec![
                cmp.describe(&r.point),
                f.to_string(),
                value(r.base),
                value(r.new),
                ratio(r),
                r.word(),
                r.reason(),
            ]);
        }
    }
    let points: Vec<&Row> = cmp.point_rows().collect();
    if !points.is_empty() {
        breaks.push(lines.len());
    }
    for r in points {
        let status = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
        lines.push(vec![
            cmp.describe(&r.point),
            "-".into(),
            status(&r.base_status),
            status(&r.new_status),
            String::new(),
            r.word(),
            r.reason(),
        ]);
    }
    let mut out = table(&lines, &breaks);
    out.push('\n');
    for f in figures {
        if let Some(count) = count_words(cmp, f) {
            out.push_str(&format!("{f}: {count}\n"));
        }
    }
    if let Some(n) = cmp.chance_note() {
        out.push_str(&format!("note: {n}\n"));
    }
    out.push_str(&format!("rule: {}\n", compare::RULE));
    let shown: usize = figures.iter().map(|f| cmp.rows_of(f).count()).sum();
    let all = cmp.rows.iter().filter(|r| r.figure.is_some()).count();
    if shown < all {
        out.push_str(&format!(
            "shown: {} of {all} figure rows (every figure is in compare.csv; --figures all \
             prints them)\n",
            shown
        ));
    }
    out
}

/// `0.52× [0.41 – 0.61]`, or the ratio alone, or `-`.
fn ratio(r: &Row) -> String {
    r.ratio_text().unwrap_or_else(|| "-".into())
}

/// `2 faster, 14 same, 1 ?` for one figure.
fn count_words(cmp: &Comparison, figure: &str) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for r in cmp.rows_of(figure) {
        let w = r.word();
        match counts.iter_mut().find(|(k, _)| *k == w) {
            Some((_, n)) => *n += 1,
            None => counts.push((w, 1)),
        }
    }
    (!counts.is_empty()).then(|| {
        counts
            .iter()
            .map(|(w, n)| format!("{n} {w}"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// Columns padded to their widest cell: text left, figures right; a blank line before each
/// index in `breaks`.
fn table(lines: &[Vec<String>], breaks: &[usize]) -> String {
    const RIGHT: [bool; 7] = [false, false, true, true, true, false, false];
    crate::table::pad_columns(lines, |i| RIGHT.get(i).copied().unwrap_or(false), breaks)
}
