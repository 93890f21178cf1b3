//! What N parked units cost in memory, resident (RSS) and virtual, on log-log axes with the
//! article's "1 kB per coroutine" and "1 MB per thread" as guides, the machine's predicted
//! thread limit marked, and a ✗ wherever a model could not park N units: the picture
//! behind claim C3.

use crate::axis::{Axis, Scale, Units};
use crate::chart::{Chart, Panel};
use crate::legend::{whisker_key, Key};
use crate::lines::{fit_axes, Guide, Lines, Marker, Series};
use crate::missing::{gap_points, gaps};
use crate::names;
use crate::theme::{colour, thousands, NEUTRAL, REFERENCE};
use std::collections::BTreeMap;
use tvc_core::registry::order as order_key;
use tvc_core::Workload;
use tvc_results::{PointKey as Point, Run, Stat};

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let points = run.points_of(Workload::Park);
    if points.is_empty() {
        return Vec::new();
    }
    // Older runs lack the parked columns; the process peak is then the closest measure.
    let parked = points
        .iter()
        .any(|p| run.stat(p, "rss_parked_kib").is_some());
    let (rss_col, vm_col) = if parked {
        ("rss_parked_kib", "vm_parked_kib")
    } else {
        ("peak_rss_kib", "vm_peak_kib")
    };
    let mut by_label: BTreeMap<(usize, usize, String), Vec<&Point>> = BTreeMap::new();
    for p in &points {
        by_label.entry(order_key(&p.label())).or_default().push(p);
    }
    let (mut rss, mut vm, mut legend) = (Vec::new(), Vec::new(), Vec::new());
    let mut stats: Vec<Stat> = Vec::new();
    let mut notes = Vec::new();
    let mut any_gap = false;
    for ((_, _, label), mut pts) in by_label {
        pts.sort_by_key(|p| p.n);
        let get = |metric: &str| -> Vec<(f64, Stat)> {
            pts.iter()
                .filter_map(|p| Some((p.n as f64, run.stat(p, metric)?.scaled(1024.0))))
                .collect()
        };
        let (r, v) = (get(rss_col), get(vm_col));
        notes.extend(gaps(run, &label, &pts, rss_col, |p| p.n, "N"));
        if r.is_empty() && v.is_empty() {
            continue;
        }
        let missing = gap_points(run, &pts, rss_col, |p| p.n);
        any_gap |= !missing.is_empty();
        stats.extend(r.iter().chain(&v).map(|(_, s)| *s));
        legend.push(Key::Line(colour(&label), label.clone()));
        rss.push(Series::new(&label, r, missing.clone()));
        vm.push(Series::new(&label, v, missing));
    }
    if legend.is_empty() {
        return Vec::new();
    }
    let mut markers = Vec::new();
    if let Some(limit) = run.env.thread_limit() {
        markers.push(Marker {
            x: limit.predicted as f64,
            colour: NEUTRAL,
        });
        let binding = limit
            .binding
            .map_or(String::new(), |b| format!(", set by {b}"));
        legend.push(Key::Dashed(
            NEUTRAL,
            format!(
                "predicted thread limit: {} threads{binding}",
                thousands(limit.predicted)
            ),
        ));
    }
    legend.push(Key::Dotted(
        REFERENCE,
        "+1 kB per unit (article: coroutine)".into(),
    ));
    legend.push(Key::Dashed(
        REFERENCE,
        "+1 MB per unit (article: thread)".into(),
    ));
    if any_gap {
        legend.push(Key::Cross("not measured (how it ended)".into()));
    }
    legend.extend(whisker_key(&stats));

    let mut ns: Vec<f64> = points.iter().map(|p| p.n).map(|n| n as f64).collect();
    ns.sort_by(f64::total_cmp);
    // The guides start from the panel's smallest measured footprint, so they show what the
    // article's per-unit figures would add on top of what the process costs anyway.
    let guides = |series: &[Series]| {
        let base = series
            .iter()
            .filter_map(|s| s.points.first().map(|p| p.1.median))
            .fold(f64::INFINITY, f64::min);
        let base = if base.is_finite() { base } else { 0.0 };
        let (lo, hi) = (
            ns.first().copied().unwrap_or(1.0).max(1.0),
            ns.last().copied().unwrap_or(1.0).max(1.0),
        );
        let span: Vec<f64> = (0..=48)
            .map(|i| lo * (hi / lo).powf(f64::from(i) / 48.0))
            .collect();
        vec![
            Guide {
                points: span.iter().map(|&n| (n, base + n * 1e3)).collect(),
                dotted: true,
            },
            Guide {
                points: span.iter().map(|&n| (n, base + n * 1e6)).collect(),
                dotted: false,
            },
        ]
    };
    let x = || Axis::new("units parked at once, N", Scale::Log, Units::Plain);
    let panel = |caption: &str, desc: &str, series: Vec<Series>| {
        fit_axes(
            Lines {
                caption: Some(caption.into()),
                x: x(),
                y: Axis::new(desc, Scale::Log, Units::Bytes),
                guides: guides(&series),
                series,
                markers: markers.clone(),
            },
            3.0,
        )
    };
    let (rss_title, vm_title) = if parked {
        ("Resident (RSS) while parked", "Virtual size while parked")
    } else {
        ("Peak resident (RSS)", "Peak virtual size")
    };
    notes.insert(
        0,
        "A thread's stack is reserved virtual memory; only the pages it touches become resident."
            .into(),
    );
    vec![Chart {
        name: names::MEMORY,
        title: "Memory of N parked units (log-log)".into(),
        legend,
        panels: vec![
            Panel::Lines(panel(rss_title, "resident memory of the worker", rss)),
            Panel::Lines(panel(vm_title, "virtual memory of the worker", vm)),
        ],
        notes,
        stacked: false,
    }]
}
