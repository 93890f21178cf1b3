//! What creating a unit costs, beyond the article's claims: from the park runs, the time per
//! unit to create N units (until the last spawn call returned) and until the last one ran,
//! on log-log axes, with each model's fitted cost of one more unit (the slope over N, which a
//! single division would smear with the fixed cost) in the legend.

use crate::axis::{Axis, Scale, Units};
use crate::chart::{Chart, Panel};
use crate::legend::{whisker_key, Key};
use crate::lines::{fit_axes, Lines, Series};
use crate::missing::{gap_points, gaps};
use crate::names;
use crate::theme::colour;
use std::collections::BTreeMap;
use tvc_core::registry::order as order_key;
use tvc_core::Workload;
use tvc_results::format::ns;
use tvc_results::{PointKey as Point, Run, Stat};

/// The park figures drawn, each with the fit of its slope over N and its name in the legend.
const PANELS: [(&str, &str, &str, &str); 2] = [
    (
        "created_ms",
        "create_ns_per_unit",
        "Created: until the last spawn call returned",
        "to create",
    ),
    (
        "all_started_ms",
        "start_ns_per_unit",
        "Started: until the last unit ran its first instruction",
        "to start",
    ),
];

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let points = run.points_of(Workload::Park);
    let drawn = |p: &&Point| PANELS.iter().any(|(m, ..)| run.stat(p, m).is_some());
    if !points.iter().any(drawn) {
        return Vec::new();
    }
    let mut by_label: BTreeMap<(usize, usize, String), Vec<&Point>> = BTreeMap::new();
    for p in &points {
        by_label.entry(order_key(&p.label())).or_default().push(p);
    }
    let mut panels: Vec<Vec<Series>> = PANELS.iter().map(|_| Vec::new()).collect();
    let (mut legend, mut stats, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    let mut any_gap = false;
    for ((_, _, label), mut pts) in by_label {
        pts.sort_by_key(|p| p.n);
        let (mut fitted, mut drew) = (Vec::new(), false);
        for (i, (metric, fit, _, what)) in PANELS.iter().enumerate() {
            let per_unit: Vec<(f64, Stat)> = pts
                .iter()
                .filter(|p| p.n > 0)
                .filter_map(|p| {
                    let ms = run.stat(p, metric)?;
                    Some((p.n as f64, ms.scaled(1e6 / p.n as f64)))
                })
                .collect();
            if per_unit.is_empty() {
                continue;
            }
            stats.extend(per_unit.iter().map(|(_, s)| *s));
            let missing = gap_points(run, &pts, metric, |p| p.n);
            any_gap |= !missing.is_empty();
            panels[i].push(Series::new(&label, per_unit, missing));
            drew = true;
            if let Some(slope) = run.fit(&label, fit).and_then(|f| f.slope) {
                fitted.push(format!("{} {what}", ns(slope)));
            }
        }
        if drew {
            let fits = match fitted.is_empty() {
                true => String::new(),
                false => format!(" (fit: {})", fitted.join(", ")),
            };
            legend.push(Key::Line(colour(&label), format!("{label}{fits}")));
            notes.extend(gaps(run, &label, &pts, PANELS[0].0, |p| p.n, "N"));
        }
    }
    if any_gap {
        legend.push(Key::Cross("not measured (how it ended)".into()));
    }
    legend.extend(whisker_key(&stats));
    let panels = PANELS
        .iter()
        .zip(panels)
        .filter(|(_, series)| !series.is_empty())
        .map(|((_, _, caption, _), series)| {
            Panel::Lines(fit_axes(
                Lines {
                    caption: Some((*caption).into()),
                    x: Axis::new("units spawned, N", Scale::Log, Units::Plain),
                    y: Axis::new("time per unit", Scale::Log, Units::Nanos),
                    series,
                    markers: Vec::new(),
                    guides: Vec::new(),
                },
                3.0,
            ))
        })
        .collect();
    vec![Chart {
        name: names::SPAWN,
        title: "Cost of creating a unit (beyond the article)".into(),
        legend,
        panels,
        notes: std::iter::once(
            "Per unit: the park workload's time from the first spawn, divided by N; fixed \
             costs (a runtime's start, the first page faults) make it fall with N. The fit in \
             the legend is the slope of the time over N: what one more unit costs."
                .to_string(),
        )
        .chain(notes)
        .collect(),
        stacked: false,
    }]
}
