//! What N parked units cost in memory, resident (RSS) and virtual, on log-log axes with the
//! article's "1 kB per coroutine" and "1 MB per thread" as guides, and the point where
//! threads hit the machine's limit marked: the picture behind claim C3.

use crate::data::{Point, Run, Stat};
use crate::lines::{fit_axes, Guide, Lines, Marker, Series};
use crate::style::{colour, Axis, Chart, Key, Panel, Scale, Units, NEUTRAL, REFERENCE};
use crate::{gaps, names, number, order_key, whisker_key};
use std::collections::BTreeMap;

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let points = run.points_of("park");
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
        ("peak_rss_kib", "vm_size_kib")
    };
    let mut by_label: BTreeMap<(usize, String), Vec<&Point>> = BTreeMap::new();
    for p in &points {
        by_label.entry(order_key(&p.label())).or_default().push(p);
    }
    let (mut rss, mut vm, mut legend, mut markers) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut marker_keys = Vec::new();
    let mut stats: Vec<Stat> = Vec::new();
    let mut notes = Vec::new();
    for ((_, label), mut pts) in by_label {
        pts.sort_by_key(|p| p.n);
        let c = colour(&label);
        let get = |metric: &str| -> Vec<(f64, Stat)> {
            pts.iter()
                .filter_map(|p| Some((p.n? as f64, run.stat(p, metric)?.scaled(1024.0))))
                .collect()
        };
        let (r, v) = (get(rss_col), get(vm_col));
        // The smallest N at which the worker died on the machine's limit.
        let limit = pts
            .iter()
            .filter(|p| run.rows(p).iter().any(|r| r.status == "aborted"))
            .find_map(|p| p.n);
        if let Some(n) = limit {
            markers.push(Marker {
                x: n as f64,
                colour: c,
            });
            marker_keys.push(Key::Dashed(
                c,
                format!(
                    "{label}: aborted at N = {} (thread limit)",
                    number(n as f64)
                ),
            ));
        }
        notes.extend(gaps(run, &label, &pts, rss_col, |p| p.n, "N"));
        if r.is_empty() && v.is_empty() {
            continue;
        }
        stats.extend(r.iter().chain(&v).map(|(_, s)| *s));
        legend.push(Key::Line(c, label.clone()));
        rss.push(Series {
            colour: c,
            points: r,
        });
        vm.push(Series {
            colour: c,
            points: v,
        });
    }
    if legend.is_empty() {
        return Vec::new();
    }
    if let Some(n) = run.env.u64("predicted_thread_limit") {
        markers.push(Marker {
            x: n as f64,
            colour: NEUTRAL,
        });
        marker_keys.push(Key::Dashed(
            NEUTRAL,
            format!("predicted thread limit N = {} (env.json)", number(n as f64)),
        ));
    }
    legend.extend(marker_keys);
    legend.push(Key::Dotted(
        REFERENCE,
        "1 kB per unit (article: coroutine)".into(),
    ));
    legend.push(Key::Dashed(
        REFERENCE,
        "1 MB per unit (article: thread)".into(),
    ));
    legend.extend(whisker_key(&stats));

    let mut ns: Vec<f64> = points
        .iter()
        .filter_map(|p| p.n)
        .map(|n| n as f64)
        .collect();
    ns.sort_by(f64::total_cmp);
    let guides = || {
        let (lo, hi) = (
            ns.first().copied().unwrap_or(1.0),
            ns.last().copied().unwrap_or(1.0),
        );
        let span: Vec<f64> = (0..=24)
            .map(|i| lo * (hi / lo).powf(f64::from(i) / 24.0))
            .collect();
        vec![
            Guide {
                points: span.iter().map(|&n| (n, n * 1e3)).collect(),
                dotted: true,
            },
            Guide {
                points: span.iter().map(|&n| (n, n * 1e6)).collect(),
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
                series,
                markers: markers.clone(),
                guides: guides(),
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
    }]
}
