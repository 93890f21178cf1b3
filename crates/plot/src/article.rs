//! The article's experiment at a glance: wall time of N GETs per model, keep-alive on and
//! off side by side, against the article's own 16.6 s and 4.5 s. A log axis keeps the
//! 0.1 s bars readable beside the 17 s ones.

use crate::axis::{Axis, Scale, Units};
use crate::bars::{log_note, scale_for, Bars, Category, Cell};
use crate::chart::{Chart, Panel};
use crate::io_scaling::sweeps_concurrency;
use crate::legend::{whisker_key, Key};
use crate::names;
use crate::theme::{shade, sig3, NEUTRAL, REFERENCE};
use tvc_core::registry::order as order_key;
use tvc_core::Workload;
use tvc_results::{PointKey as Point, Run, Stat};

/// The article's figures: 200 sequential GETs took 16.6 s, with coroutines 4.5 s.
const ARTICLE_SEQUENTIAL_S: f64 = 16.6;
const ARTICLE_COROUTINES_S: f64 = 4.5;

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let points = run.points_of(Workload::Http);
    if points.is_empty() || sweeps_concurrency(run) {
        return Vec::new();
    }
    let mut labels: Vec<String> = points.iter().map(|p| p.label()).collect();
    labels.sort_by_key(|l| order_key(l));
    labels.dedup();
    let mut modes: Vec<bool> = points.iter().map(|p| p.keep_alive).collect();
    modes.sort_unstable_by(|a, b| b.cmp(a));
    modes.dedup();
    let find = |label: &str, ka: bool| -> Option<&Point> {
        points
            .iter()
            .copied()
            .find(|p| p.label() == label && p.keep_alive == ka)
    };
    let conditions = modes.clone();
    let mut stats: Vec<Stat> = Vec::new();
    let categories: Vec<Category> = labels
        .iter()
        .map(|label| {
            Category::new(
                label.clone(),
                conditions
                    .iter()
                    .map(|ka| match find(label, *ka) {
                        None => Cell::Absent,
                        Some(p) => match run.stat(p, "wall_ms") {
                            Some(s) => {
                                let s = s.scaled(0.001);
                                stats.push(s);
                                Cell::Value(s, None)
                            }
                            None => Cell::Missing(run.statuses(p)),
                        },
                    })
                    .collect(),
            )
        })
        .collect();
    if stats.is_empty() {
        return Vec::new();
    }

    let n = points.first().map(|p| p.n);
    let delay = points.first().map(|p| p.delay_ms);
    let is_article_setup = points.iter().all(|p| p.n == 200 && p.delay_ms == 83);
    let references = if is_article_setup {
        vec![
            (
                ARTICLE_SEQUENTIAL_S,
                "article: sequential 16.6 s".to_string(),
            ),
            (
                ARTICLE_COROUTINES_S,
                "article: coroutines 4.5 s".to_string(),
            ),
        ]
    } else {
        Vec::new()
    };
    let mut bars = Bars {
        caption: None,
        x_desc: "model".into(),
        y: Axis::new("wall time (s)", Scale::Linear, Units::Plain),
        conditions: conditions
            .iter()
            .map(|ka| match ka {
                true => "keep-alive on".to_string(),
                false => "keep-alive off".to_string(),
            })
            .collect(),
        categories,
        references,
        value_label: |v| {
            if v < 1.0 {
                format!("{:.0} ms", v * 1000.0)
            } else {
                format!("{} s", sig3(v))
            }
        },
    };
    let extent = bars.extent();
    let scale = scale_for(&extent);
    bars.y = Axis::new("wall time (s)", scale, Units::Plain).fit(extent, 2.2);

    let mut legend: Vec<Key> = bars
        .conditions
        .iter()
        .enumerate()
        .map(|(i, c)| Key::Swatch(shade(NEUTRAL, i), c.clone()))
        .collect();
    if !bars.references.is_empty() {
        legend.push(Key::Dashed(
            REFERENCE,
            "the article's Python figures".into(),
        ));
    }
    legend.extend(whisker_key(&stats));
    let mut notes = vec![in_flight_note(run, &points, &labels)];
    if conditions.len() > 1 {
        notes.push("Lighter bar: keep-alive off, a new connection for every request.".into());
    }
    notes.extend(log_note(&[&bars]));
    let title = match (n, delay) {
        (Some(n), Some(d)) => format!("{n} GETs at {d} ms each: wall time per model"),
        _ => "HTTP GETs: wall time per model".to_string(),
    };
    vec![Chart {
        name: names::ARTICLE_WALL,
        title,
        legend,
        panels: vec![Panel::Bars(bars)],
        notes,
        stacked: false,
    }]
}

/// What each model kept in flight, from the runs' `in_flight` column where recorded: the
/// reason a model with a small pool is slow.
fn in_flight_note(run: &Run, points: &[&Point], labels: &[String]) -> String {
    let c = points
        .iter()
        .find(|p| !p.is_baseline())
        .map(|p| p.concurrency);
    let limited: Vec<String> = labels
        .iter()
        .filter(|l| !tvc_core::registry::is_baseline(l))
        .filter_map(|l| {
            // The first of the label's points that measured it: a model with one keep-alive
            // setting (the Python peer) has an unsupported point at the other.
            let (p, k) = points
                .iter()
                .filter(|p| &p.label() == l)
                .find_map(|p| Some((p, run.stat(p, "in_flight")?.median)))?;
            (k < p.concurrency as f64 * 0.9).then(|| {
                let workers = run.stat(p, "workers").map(|s| s.median);
                let why = if k == 1.0 {
                    ", one after another".to_string()
                } else if workers == Some(k) {
                    ", one per worker thread".to_string()
                } else {
                    String::new()
                };
                format!("{l} only {}{why}", sig3(k))
            })
        })
        .collect();
    let all = c.map_or("up to C".to_string(), |c| format!("all {c}"));
    if limited.is_empty() {
        format!("Sequential makes one request at a time; every other model keeps {all} in flight.")
    } else {
        format!(
            "Sequential makes one request at a time; {}; every other model keeps {all} in flight.",
            limited.join("; ")
        )
    }
}
