//! CPU work beside I/O on an async runtime (claim C7's practical face): the p99 latency of
//! the I/O requests per model with no CPU work, with it inline on the runtime, and with it
//! offloaded to a blocking pool.

use crate::axis::{Axis, Scale, Units};
use crate::bars::{categories, log_note, scale_for, Bars};
use crate::chart::{Chart, Panel};
use crate::legend::{whisker_key, Key};
use crate::names;
use crate::theme::{shade, sig3, NEUTRAL, REFERENCE};
use tvc_core::{CpuMode, Workload};
use tvc_results::Run;

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let points = run.points_of(Workload::Blocking);
    // The modes in the order they tell the story.
    let mut modes: Vec<CpuMode> = points.iter().map(|p| p.cpu_mode).collect();
    modes.sort();
    modes.dedup();
    let (cats, stats) = categories(
        run,
        &points,
        &modes,
        |p| p.cpu_mode,
        "p99_ms",
        1.0,
        |_| None,
    );
    if stats.is_empty() {
        return Vec::new();
    }
    let name = |m: &CpuMode| match m {
        CpuMode::None => "no CPU work".to_string(),
        CpuMode::Inline => "CPU work inline".to_string(),
        CpuMode::Offload => "CPU work offloaded".to_string(),
    };
    let mut bars = Bars {
        caption: None,
        x_desc: "model".into(),
        y: Axis::new(
            "p99 latency of the I/O requests (ms)",
            Scale::Linear,
            Units::Plain,
        ),
        conditions: modes.iter().map(name).collect(),
        categories: cats,
        references: Vec::new(),
        value_label: |v| sig3(v),
    };
    let delay = points.iter().map(|p| p.delay_ms).find(|d| *d > 0);
    if let Some(d) = delay {
        // Labelled in the legend: text on the line would sit among the short bars' values.
        bars.references.push((d as f64, String::new()));
    }
    let extent = bars.extent();
    let scale = scale_for(&extent);
    bars.y = Axis::new(bars.y.desc.clone(), scale, Units::Plain).fit(extent, 1.25);
    let mut legend: Vec<Key> = modes
        .iter()
        .enumerate()
        .map(|(i, m)| Key::Swatch(shade(NEUTRAL, i), name(m)))
        .collect();
    if let Some(d) = delay {
        legend.push(Key::Dashed(REFERENCE, format!("server delay: {d} ms")));
    }
    legend.extend(whisker_key(&stats));
    let mut notes = Vec::new();
    if let Some(d) = delay {
        notes.push(format!(
            "Each request is held {d} ms by the server: a p99 far above that is time the \
             response waited for the runtime to get back to it."
        ));
    }
    if modes.contains(&CpuMode::Offload) {
        let cores = run
            .env
            .u64("machine.cpus")
            .map_or("the machine's".to_string(), |c| c.to_string());
        notes.push(format!(
            "Offloaded work leaves the runtime's threads free, but still competes with the I/O \
             for {cores} cores."
        ));
    }
    notes.extend(log_note(&[&bars]));
    vec![Chart {
        name: names::BLOCKING,
        title: "I/O latency with CPU work on the same runtime".into(),
        legend,
        panels: vec![Panel::Bars(bars)],
        notes,
        stacked: false,
    }]
}
