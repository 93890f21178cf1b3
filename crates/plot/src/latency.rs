//! How latency is distributed, not just its middle: p50 … p99.99 per model on an HDR-style
//! axis (x = -log10(1 - p)), so the tail gets as much room as the median.

use crate::axis::{Axis, Scale, Units};
use crate::chart::{Chart, Panel};
use crate::io_scaling::sweeps_concurrency;
use crate::legend::{whisker_key, Key};
use crate::lines::{fit_axes, Lines, Series};
use crate::names;
use crate::theme::{colour, sig3};
use tvc_core::registry::order as order_key;
use tvc_core::Workload;
use tvc_results::{Run, Stat};

/// The percentiles tvc records, as (column, fraction).
const PERCENTILES: [(&str, f64); 5] = [
    ("p50_ms", 0.5),
    ("p90_ms", 0.9),
    ("p99_ms", 0.99),
    ("p999_ms", 0.999),
    ("p9999_ms", 0.9999),
];

fn hdr_x(p: f64) -> f64 {
    -(1.0 - p).log10()
}

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let all = run.points_of(Workload::Http);
    if all.is_empty() || sweeps_concurrency(run) {
        return Vec::new();
    }
    // The article's concurrent client reused connections: keep-alive on, where measured.
    let with_ka = all.iter().any(|p| p.keep_alive);
    let points: Vec<_> = all
        .into_iter()
        .filter(|p| !with_ka || p.keep_alive)
        .collect();
    let mut labels: Vec<String> = points.iter().map(|p| p.label()).collect();
    labels.sort_by_key(|l| order_key(l));
    labels.dedup();

    let mut legend = Vec::new();
    let mut series = Vec::new();
    let mut stats: Vec<Stat> = Vec::new();
    for label in &labels {
        let Some(p) = points.iter().find(|p| &p.label() == label) else {
            continue;
        };
        let pts: Vec<(f64, Stat)> = PERCENTILES
            .iter()
            .filter_map(|(col, q)| run.stat(p, col).map(|s| (hdr_x(*q), s)))
            .collect();
        if pts.is_empty() {
            continue;
        }
        stats.extend(pts.iter().map(|(_, s)| *s));
        legend.push(Key::Line(colour(label), label.clone()));
        series.push(Series::new(label, pts, Vec::new()));
    }
    if series.is_empty() {
        return Vec::new();
    }
    legend.extend(whisker_key(&stats));
    let mut x = Axis::new(
        "percentile (log scale of 1 − p)",
        Scale::Linear,
        Units::Percentile,
    );
    x.fixed = PERCENTILES.iter().map(|(_, q)| hdr_x(*q)).collect();
    let mut y = Axis::new("latency (ms)", Scale::Linear, Units::Plain);
    y.zero = false;
    let mut lines = fit_axes(
        Lines {
            caption: None,
            x,
            y,
            series,
            markers: Vec::new(),
            guides: Vec::new(),
        },
        1.0,
    );
    (lines.x.lo, lines.x.hi) = (0.15, 4.15);
    let requests = points.first().map(|p| p.n);
    let mut notes = vec![
        "Each point: the median, over repetitions, of that percentile of one run's requests."
            .to_string(),
    ];
    if let Some(n) = requests.filter(|n| *n < 10_000) {
        notes.push(format!(
            "With {n} requests a run, the percentiles above {} are its slowest request.",
            sig3(100.0 * (1.0 - 1.0 / n as f64)) + " %"
        ));
    }
    let title = if with_ka {
        "Latency by percentile, keep-alive on".to_string()
    } else {
        "Latency by percentile".to_string()
    };
    vec![Chart {
        name: names::LATENCY,
        title,
        legend,
        panels: vec![Panel::Lines(lines)],
        notes,
        stacked: false,
    }]
}
