//! What happens as concurrency grows from 1 to 10 000: throughput (with the ideal C ÷ delay
//! as a guide) and peak resident memory per model, both on log axes, side by side.

use crate::axis::{Axis, Scale, Units};
use crate::chart::{Chart, Panel};
use crate::legend::{whisker_key, Key};
use crate::lines::{fit_axes, Guide, Lines, Series};
use crate::missing::{gap_points, gaps};
use crate::names;
use crate::theme::{colour, REFERENCE};
use std::collections::BTreeMap;
use tvc_core::registry::order as order_key;
use tvc_core::Workload;
use tvc_results::{PointKey as Point, Run, Stat};

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    if !sweeps_concurrency(run) {
        return Vec::new();
    }
    let points = run.points_of(Workload::Http);
    let mut by_label: BTreeMap<(usize, usize, String), Vec<&Point>> = BTreeMap::new();
    for p in &points {
        by_label.entry(order_key(&p.label())).or_default().push(p);
    }
    let mut legend = Vec::new();
    let mut thr = Vec::new();
    let mut rss = Vec::new();
    let mut stats: Vec<Stat> = Vec::new();
    let mut notes = Vec::new();
    let mut any_gap = false;
    for ((_, _, label), mut pts) in by_label {
        // One point per concurrency (sequential may repeat C = 1 for several N: keep the first).
        pts.sort_by_key(|p| (p.concurrency, p.n));
        pts.dedup_by_key(|p| p.concurrency);
        let c = colour(&label);
        let get = |metric: &str, k: f64| -> Vec<(f64, Stat)> {
            pts.iter()
                .filter_map(|p| Some((p.concurrency as f64, run.stat(p, metric)?.scaled(k))))
                .collect()
        };
        let t = get("throughput_per_s", 1.0);
        let m = get("peak_rss_kib", 1024.0);
        notes.extend(gaps(run, &label, &pts, "wall_ms", |p| p.concurrency, "C"));
        if t.is_empty() && m.is_empty() {
            continue;
        }
        let missing = gap_points(run, &pts, "wall_ms", |p| p.concurrency);
        any_gap |= !missing.is_empty();
        stats.extend(t.iter().chain(&m).map(|(_, s)| *s));
        legend.push(Key::Line(c, label.clone()));
        thr.push(Series::new(&label, t, missing.clone()));
        rss.push(Series::new(&label, m, missing));
    }
    if legend.is_empty() {
        return Vec::new();
    }

    // The best any model can do: min(C, N) requests in flight, each taking one delay.
    let delay = points.iter().map(|p| p.delay_ms).find(|d| *d > 0);
    let mut cn: Vec<(u64, u64)> = points
        .iter()
        .filter(|p| !p.is_baseline())
        .map(|p| (p.concurrency, p.n))
        .collect();
    cn.sort_unstable();
    cn.dedup_by_key(|(c, _)| *c);
    let guides = match delay {
        Some(d) if !cn.is_empty() => vec![Guide {
            points: cn
                .iter()
                .map(|&(c, n)| (c as f64, c.min(n) as f64 * 1000.0 / d as f64))
                .collect(),
            dotted: false,
        }],
        _ => Vec::new(),
    };
    if !guides.is_empty() {
        let d = delay.unwrap_or_default();
        legend.push(Key::Dashed(REFERENCE, format!("ideal: min(C, N) ÷ {d} ms")));
    }
    if any_gap {
        legend.push(Key::Cross("not measured (how it ended)".into()));
    }
    legend.extend(whisker_key(&stats));
    let x = || {
        Axis::new(
            "concurrency C (requests in flight)",
            Scale::Log,
            Units::Plain,
        )
    };
    let mut throughput = Lines {
        caption: Some("Throughput".into()),
        x: x(),
        y: Axis::new("requests per second", Scale::Log, Units::Plain),
        series: thr,
        markers: Vec::new(),
        guides,
    };
    // The guide should stay on the chart: fit the y axis to it too.
    let guide_max = throughput
        .guides
        .iter()
        .flat_map(|g| g.points.iter().map(|p| p.1));
    let (_, ys) = throughput.extent();
    throughput.y = throughput
        .y
        .clone()
        .fit(ys.into_iter().chain(guide_max), 2.0);
    let (xs, _) = throughput.extent();
    throughput.x = throughput.x.clone().fit(xs, 1.0);
    throughput.x.pad = 0.03;
    let memory = fit_axes(
        Lines {
            caption: Some("Peak resident memory".into()),
            x: x(),
            y: Axis::new("peak RSS of the worker process", Scale::Log, Units::Bytes),
            series: rss,
            markers: Vec::new(),
            guides: Vec::new(),
        },
        1.5,
    );
    let title = match delay {
        Some(d) => format!("I/O scaling: GETs at {d} ms each, concurrency swept"),
        None => "I/O scaling: concurrency swept".to_string(),
    };
    vec![Chart {
        name: names::IO_SCALING,
        title,
        legend,
        panels: vec![Panel::Lines(throughput), Panel::Lines(memory)],
        notes,
        stacked: false,
    }]
}

/// Whether an http run sweeps concurrency (io-scaling) rather than comparing models at one
/// setting (the article).
pub fn sweeps_concurrency(run: &Run) -> bool {
    let mut cs: Vec<u64> = run
        .points_of(Workload::Http)
        .iter()
        .filter(|p| !p.is_baseline())
        .map(|p| p.concurrency)
        .collect();
    cs.sort_unstable();
    cs.dedup();
    run.experiment() == "io-scaling" || cs.len() >= 3
}
