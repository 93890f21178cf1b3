//! What sharing a counter costs and whether it stays correct (claim C5): time per increment
//! per model (and variant), one bar per synchronisation (`lock`: a Mutex, an atomic, none),
//! ✓ or ✗ for the final count above each bar, and the reason written where a model cannot
//! express a configuration (a counter without a lock on a multi-threaded runtime).

use crate::axis::{Axis, Scale, Units};
use crate::bars::{categories, log_note, scale_for, Bars, Cell};
use crate::chart::{Chart, Panel};
use crate::legend::{whisker_key, Key};
use crate::missing::why_not;
use crate::names;
use crate::theme::{number, shade, sig3, NEUTRAL};
use tvc_core::registry::{self, order as order_key, Language};
use tvc_core::{Lock, Workload};
use tvc_results::{PointKey as Point, Run, Stat};

fn lock_name(lock: &Lock) -> String {
    lock.title().to_string()
}

/// ✓ when every repetition that ran ended with the exact count, ✗ when one lost updates.
fn mark(run: &Run, p: &Point) -> Option<String> {
    let counts: Vec<bool> = run
        .rows(p)
        .iter()
        .filter(|r| r.measured())
        .filter_map(|r| r.count_ok)
        .collect();
    if counts.is_empty() {
        None
    } else if counts.iter().all(|ok| *ok) {
        Some("✓".to_string())
    } else {
        Some("✗ lost".to_string())
    }
}

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let points = run.points_of(Workload::SharedState);
    let mut setups: Vec<(u64, u64)> = points.iter().map(|p| (p.concurrency, p.n)).collect();
    setups.sort_unstable();
    setups.dedup();
    // The locks in the order they tell the story.
    let mut locks: Vec<Lock> = points.iter().map(|p| p.lock).collect();
    locks.sort();
    locks.dedup();
    let mut panels = Vec::new();
    let mut logs = Vec::new();
    let mut all: Vec<Stat> = Vec::new();
    let mut lost = false;
    // A panel per setup and language: each language's own scale (a Python increment costs a
    // hundred Rust ones), and no chart as wide as every model's bars side by side.
    let mut languages: Vec<Option<Language>> = points
        .iter()
        .map(|p| registry::language(&p.label()))
        .collect();
    languages.sort();
    languages.dedup();
    let panes = setups
        .iter()
        .flat_map(|s| languages.iter().map(move |l| (*s, *l)));
    for ((k, m), language) in panes {
        let pts: Vec<_> = points
            .iter()
            .copied()
            .filter(|p| p.concurrency == k && p.n == m)
            .filter(|p| registry::language(&p.label()) == language)
            .collect();
        let (cats, stats) = categories(
            run,
            &pts,
            &locks,
            |p| p.lock,
            "ns_per_increment",
            1.0,
            |p| mark(run, p),
        );
        if stats.is_empty() {
            continue;
        }
        lost |= cats
            .iter()
            .flat_map(|c| &c.cells)
            .any(|c| matches!(c, Cell::Value(_, Some(m)) if m.starts_with('✗')));
        let setup = format!("{k} units × {} increments", number(m as f64));
        let caption = match (language, setups.len() > 1) {
            (Some(l), true) => Some(format!("{}: {setup}", l.name())),
            (Some(l), false) => Some(l.name().to_string()),
            (None, true) => Some(setup),
            (None, false) => None,
        };
        let mut bars = Bars {
            caption: caption.filter(|_| languages.len() > 1 || setups.len() > 1),
            x_desc: "model".into(),
            y: Axis::new("time per increment (ns)", Scale::Linear, Units::Plain),
            conditions: locks.iter().map(lock_name).collect(),
            categories: cats,
            references: Vec::new(),
            value_label: |v| sig3(v),
        };
        // Nanoseconds side by side read best on a linear axis; only a spread of more than
        // a hundredfold (a lock-free floor far below everything else) needs a log one.
        let extent = bars.extent();
        let spread = extent
            .iter()
            .copied()
            .filter(|v| *v > 0.0)
            .fold((f64::INFINITY, 0f64), |(a, b), v| (a.min(v), b.max(v)));
        let scale = if spread.1 / spread.0 > 100.0 {
            scale_for(&extent)
        } else {
            Scale::Linear
        };
        bars.y = Axis::new(bars.y.desc.clone(), scale, Units::Plain).fit(extent, 1.25);
        all.extend(stats);
        logs.extend(log_note(&[&bars]));
        panels.push(Panel::Bars(bars));
    }
    if panels.is_empty() {
        return Vec::new();
    }
    let mut legend: Vec<Key> = locks
        .iter()
        .enumerate()
        .map(|(i, l)| Key::Swatch(shade(NEUTRAL, i), lock_name(l)))
        .collect();
    legend.extend(whisker_key(&all));
    let title = match setups.as_slice() {
        [(k, m)] => format!(
            "A shared counter: {k} units × {} increments",
            number(*m as f64)
        ),
        _ => "A shared counter: time per increment".to_string(),
    };
    let mut notes = vec![if lost {
        "✓ the final count was exact in every repetition; ✗ lost: updates were lost.".to_string()
    } else {
        "✓ the final count was exact in every repetition.".to_string()
    }];
    // One note per lock and reason, naming the models it stopped.
    let mut reasons: Vec<((Lock, String), Vec<String>)> = Vec::new();
    let mut missing: Vec<&Point> = points
        .iter()
        .copied()
        .filter(|p| run.stat(p, "ns_per_increment").is_none())
        .collect();
    missing.sort_by_key(|p| order_key(&p.label()));
    for p in missing {
        let key = (p.lock, why_not(run, p));
        match reasons.iter_mut().find(|(k, _)| *k == key) {
            Some((_, who)) if !who.contains(&p.label()) => who.push(p.label()),
            Some(_) => {}
            None => reasons.push((key, vec![p.label()])),
        }
    }
    for ((lock, why), who) in reasons {
        notes.push(format!(
            "{} on {} — {why}.",
            lock_name(&lock),
            who.join(", ")
        ));
    }
    notes.extend(logs.into_iter().take(1));
    vec![Chart {
        name: names::SHARED_STATE,
        title,
        legend,
        panels,
        notes,
        stacked: true,
    }]
}
