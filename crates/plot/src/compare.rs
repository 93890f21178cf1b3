//! Two runs side by side (`tvc compare`): for each chosen figure, a panel of horizontal bars
//! of the ratio NEW / BASE per point, with the ratio's interval and a line at 1, and the two
//! runs, the rule, the warnings and the points of one run only written underneath. It is
//! drawn from a [`Comparison`], which the results crate made from the two folders' files.

use crate::chart::{render, Chart, Panel};
use crate::error::PlotError;
use crate::legend::Key;
use crate::names;
use crate::ratios::{RatioRow, Ratios};
use crate::theme::{colour, shade, NEUTRAL, REFERENCE};
use std::path::{Path, PathBuf};
use tvc_results::compare::{Comparison, Row, Side, Verdict, RULE};
use tvc_results::direction::{kind, Better};

/// The most panels one chart holds: past it the PNG grows past what a reader scrolls.
const MOST_PANELS: usize = 8;

/// Draws the comparison of `figures` into `dir/compare.svg` and `.png`; none when no
/// figure has a row.
pub fn plot_comparison(
    cmp: &Comparison,
    figures: &[&str],
    dir: &Path,
) -> Result<Vec<PathBuf>, PlotError> {
    match chart(cmp, figures) {
        Some(c) => render(&c, dir),
        None => Ok(Vec::new()),
    }
}

fn chart(cmp: &Comparison, figures: &[&str]) -> Option<Chart> {
    let with_rows: Vec<&str> = figures
        .iter()
        .copied()
        .filter(|f| cmp.rows_of(f).next().is_some())
        .collect();
    let drawn = &with_rows[..with_rows.len().min(MOST_PANELS)];
    let panels: Vec<Panel> = drawn
        .iter()
        .filter_map(|f| {
            let rows: Vec<RatioRow> = cmp.rows_of(f).map(|r| ratio_row(cmp, r)).collect();
            (!rows.is_empty()).then(|| {
                Panel::Ratios(Ratios::new(
                    Some(caption(f)),
                    "NEW / BASE (log scale)",
                    rows,
                ))
            })
        })
        .collect();
    if panels.is_empty() {
        return None;
    }
    let legend = vec![
        Key::Swatch(NEUTRAL, "the runs differ (intervals apart)".into()),
        Key::Swatch(shade(NEUTRAL, 2), "same (intervals overlap) or ?".into()),
        Key::LyingWhisker("the ratio's interval".into()),
        Key::Dashed(REFERENCE, "1: NEW = BASE".into()),
    ];
    let mut notes = vec![
        format!("BASE: {}", cmp.base_dir.display()),
        format!("NEW: {}", cmp.new_dir.display()),
        format!("Rule: {RULE}."),
    ];
    notes.extend(cmp.chance_note().map(|n| format!("Note: {n}.")));
    notes.extend(cmp.warnings.iter().map(|w| format!("Warning: {w}.")));
    notes.extend(point_notes(cmp));
    if drawn.len() < with_rows.len() {
        notes.push(format!(
            "The chart shows the first {} of the {} figures asked for; the table and \
             compare.csv have them all.",
            drawn.len(),
            with_rows.len()
        ));
    }
    let unknown = drawn
        .iter()
        .flat_map(|f| cmp.rows_of(f))
        .filter(|r| matches!(r.verdict, Verdict::Unknown(_)))
        .count();
    if unknown > 0 {
        notes.push(format!(
            "{unknown} bar(s) marked ? have no word; compare.csv says why for each."
        ));
    }
    Some(Chart {
        name: names::COMPARE,
        title: format!("{}: NEW against BASE, ratio of the medians", cmp.experiment),
        legend,
        panels,
        notes,
        stacked: true,
    })
}

/// A panel's caption: the figure and which side of 1 is better.
fn caption(figure: &str) -> String {
    let Some(k) = kind(figure) else {
        return figure.to_string();
    };
    let (below, above) = k.words();
    match k.better() {
        Better::Lower => format!("{figure}: lower is better (left of 1: {below})"),
        Better::Higher => format!("{figure}: higher is better (right of 1: {above})"),
        Better::Neither => format!("{figure} (left of 1: {below}, right: {above})"),
    }
}

fn ratio_row(cmp: &Comparison, row: &Row) -> RatioRow {
    let ratio = row.ratio();
    let interval = row.interval();
    let mut text = row.ratio_text().unwrap_or_else(|| "no ratio".into());
    text.push_str(&format!("  {}", row.word()));
    RatioRow {
        label: cmp.describe(&row.point),
        colour: colour(&row.point.label()),
        ratio,
        interval,
        differs: matches!(row.verdict, Verdict::Lower | Verdict::Higher),
        text,
    }
}

/// The points that are not bars: in one run only, or measured in neither.
fn point_notes(cmp: &Comparison) -> Vec<String> {
    let mut out = Vec::new();
    for side in [Side::Base, Side::New] {
        let points: Vec<String> = cmp
            .point_rows()
            .filter(|r| r.verdict == Verdict::OnlyIn(side))
            .map(|r| cmp.describe(&r.point))
            .collect();
        if !points.is_empty() {
            out.push(format!(
                "Only in {} ({}): {}.",
                side.name(),
                points.len(),
                points.join(", ")
            ));
        }
    }
    let nothing: Vec<String> = cmp
        .point_rows()
        .filter(|r| matches!(r.verdict, Verdict::Unknown(_)))
        .map(|r| format!("{} ({})", cmp.describe(&r.point), r.reason()))
        .collect();
    if !nothing.is_empty() {
        out.push(format!("Not compared: {}.", nothing.join("; ")));
    }
    out
}
