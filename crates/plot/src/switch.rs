//! What one hand-over between units costs (claim C4): ns per switch per model, free to use
//! every core and pinned to one, with one panel per medium and ring size (2 units =
//! ping-pong, more = a chain). Through channels, `sequential` passes the token through a
//! local variable: a no-switch baseline around a nanosecond, written as a figure rather than
//! drawn, so it does not stretch the log axis over three empty decades. Through sockets, its
//! bar is the write and the read without a switch, drawn beside the others.

use crate::axis::{Axis, Scale, Units};
use crate::bars::{categories, log_note, scale_for, Bars, Cell};
use crate::chart::{Chart, Panel};
use crate::legend::{whisker_key, Key};
use crate::missing::why_not;
use crate::names;
use crate::theme::{shade, sig3, NEUTRAL};
use tvc_core::registry::order as order_key;
use tvc_core::{Medium, Workload};
use tvc_results::{Run, Stat};

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let points = run.points_of(Workload::Switch);
    let mut rings: Vec<u64> = points.iter().map(|p| p.concurrency).collect();
    rings.sort_unstable();
    rings.dedup();
    let mut pins: Vec<bool> = points.iter().map(|p| p.pinned).collect();
    pins.sort_unstable();
    pins.dedup();
    let mut media: Vec<Medium> = points.iter().map(|p| p.medium).collect();
    media.sort_unstable();
    media.dedup();
    let settings: Vec<(Medium, u64)> = media
        .iter()
        .flat_map(|m| rings.iter().map(move |r| (*m, *r)))
        .collect();
    // The model whose "switch" is no switch at all.
    let baseline: Vec<String> = points
        .iter()
        .filter(|p| p.is_baseline())
        .map(|p| p.label())
        .collect();
    let condition_name = |pinned: &bool| match pinned {
        true => "pinned to one core".to_string(),
        false => "free to use every core".to_string(),
    };
    let mut panels = Vec::new();
    let mut logs = Vec::new();
    let mut all: Vec<Stat> = Vec::new();
    let mut baseline_seen = false;
    for (medium, ring) in &settings {
        let pts: Vec<_> = points
            .iter()
            .copied()
            .filter(|p| p.concurrency == *ring && p.medium == *medium)
            .collect();
        let (mut cats, _) = categories(
            run,
            &pts,
            &pins,
            |p| p.pinned,
            "ns_per_switch",
            1.0,
            |_| None,
        );
        let no_switch = cats
            .iter_mut()
            .filter(|c| *medium == Medium::Channel && baseline.contains(&c.label));
        for cat in no_switch {
            let values: Vec<f64> = cat
                .cells
                .iter()
                .filter_map(|c| match c {
                    Cell::Value(s, _) => Some(s.median),
                    _ => None,
                })
                .collect();
            if values.is_empty() {
                continue;
            }
            let (lo, hi) = values
                .iter()
                .fold((f64::INFINITY, 0f64), |(a, b), &v| (a.min(v), b.max(v)));
            let figure = if sig3(lo) == sig3(hi) {
                format!("{} ns", sig3(lo))
            } else {
                format!("{} – {} ns", sig3(lo), sig3(hi))
            };
            cat.banner = Some(format!("no switch:\n{figure}"));
            cat.cells.iter_mut().for_each(|c| *c = Cell::Absent);
            baseline_seen = true;
        }
        let stats: Vec<Stat> = cats
            .iter()
            .flat_map(|c| &c.cells)
            .filter_map(|c| match c {
                Cell::Value(s, _) => Some(*s),
                _ => None,
            })
            .collect();
        if stats.is_empty() {
            continue;
        }
        cats.sort_by_key(|c| order_key(&c.label));
        let mut bars = Bars {
            caption: Some(format!(
                "{}, through {}",
                match ring {
                    2 => "ring of 2 units (ping-pong)".to_string(),
                    k => format!("ring of {k} units (chain)"),
                },
                match medium {
                    Medium::Channel => "each model's channel",
                    Medium::Socket => "a socket pair per unit",
                }
            )),
            x_desc: "model".into(),
            y: Axis::new("time per switch (ns)", Scale::Linear, Units::Plain),
            conditions: pins.iter().map(condition_name).collect(),
            categories: cats,
            references: Vec::new(),
            value_label: |v| sig3(v),
        };
        let extent = bars.extent();
        bars.y =
            Axis::new("time per switch (ns)", scale_for(&extent), Units::Plain).fit(extent, 1.5);
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
    let mut notes = vec![
        "One switch = one hand-over of the token from one unit to the next, through the model's \
         own channel or through a socket the next unit waits on (a write, a wake-up on \
         readiness, a read)."
            .to_string(),
    ];
    if media.contains(&Medium::Socket) {
        notes.push(
            "Through sockets, sequential writes the token into each socket and reads it back on \
             one thread: the I/O without any switch, the part of every other bar that is not \
             the switch."
                .into(),
        );
    }
    if baseline_seen {
        notes.push(
            "sequential passes the token through a local variable: the loop's own cost, with no \
             switch at all (written as a figure, too small to draw on this axis)."
                .into(),
        );
    }
    let mut missing: Vec<(String, String)> = points
        .iter()
        .filter(|p| run.stat(p, "ns_per_switch").is_none())
        .map(|p| (p.label(), why_not(run, p)))
        .collect();
    // One note per model and reason, whichever medium or ring it was missing at.
    missing.sort_by_key(|(l, _)| order_key(l));
    missing.dedup();
    for (label, why) in missing {
        notes.push(format!("{label}: {why}."));
    }
    notes.extend(logs.into_iter().take(1));
    vec![Chart {
        name: names::SWITCH,
        title: "Cost of passing a token between units".into(),
        legend,
        panels,
        notes,
        stacked: true,
    }]
}
