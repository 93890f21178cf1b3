//! What one hand-over between units costs (claim C4): ns per switch per model, free to use
//! every core and pinned to one, with one panel per ring size (2 units = ping-pong).

use crate::bars::{categories, log_note, scale_for, Bars};
use crate::data::Run;
use crate::style::{shade, sig3, Axis, Chart, Key, Panel, Units, NEUTRAL};
use crate::{names, whisker_key};

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let points = run.points_of("switch");
    let mut rings: Vec<Option<u64>> = points.iter().map(|p| p.concurrency).collect();
    rings.sort_unstable();
    rings.dedup();
    let mut pins: Vec<Option<bool>> = points.iter().map(|p| p.pinned).collect();
    pins.sort_unstable();
    pins.dedup();
    let condition_name = |p: &Option<bool>| match p {
        Some(true) => "pinned to one core".to_string(),
        Some(false) => "free to use every core".to_string(),
        None => "ns per switch".to_string(),
    };
    let mut panels = Vec::new();
    let mut logs = Vec::new();
    let mut all = Vec::new();
    for ring in &rings {
        let pts: Vec<_> = points
            .iter()
            .copied()
            .filter(|p| p.concurrency == *ring)
            .collect();
        let (cats, stats) = categories(
            run,
            &pts,
            &pins,
            |p| p.pinned,
            "ns_per_switch",
            1.0,
            |_| None,
        );
        if stats.is_empty() {
            continue;
        }
        let mut bars = Bars {
            caption: ring.map(|k| match k {
                2 => "ring of 2 units (ping-pong)".to_string(),
                k => format!("ring of {k} units (chain)"),
            }),
            x_desc: "model".into(),
            y: Axis::new(
                "time per switch (ns)",
                crate::style::Scale::Linear,
                Units::Plain,
            ),
            conditions: pins.iter().map(condition_name).collect(),
            categories: cats,
            references: Vec::new(),
            value_label: |v| sig3(v),
        };
        let extent = bars.extent();
        bars.y =
            Axis::new("time per switch (ns)", scale_for(&extent), Units::Plain).fit(extent, 1.4);
        all.extend(stats);
        logs.extend(log_note(&[&bars]));
        panels.push(Panel::Bars(bars));
    }
    if panels.is_empty() {
        return Vec::new();
    }
    let mut legend: Vec<Key> = pins
        .iter()
        .enumerate()
        .map(|(i, p)| Key::Swatch(shade(NEUTRAL, i), condition_name(p)))
        .collect();
    legend.extend(whisker_key(&all));
    vec![Chart {
        name: names::SWITCH,
        title: "Cost of passing a token between units".into(),
        legend,
        panels,
        notes: [
            "One switch = one hand-over of the token through the model's own channel; \
             sequential passes it through a local variable (the loop's own cost)."
                .into(),
        ]
        .into_iter()
        .chain(logs.into_iter().take(1))
        .collect(),
    }]
}
