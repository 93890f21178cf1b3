//! Whether a model turns cores into speed on CPU-bound work (claim C7): speedup over
//! sequential, computed here from median wall times, against the ideal of one per core.

use crate::axis::{Axis, Scale, Units};
use crate::bars::{Bars, Category, Cell};
use crate::chart::{Chart, Panel};
use crate::legend::{whisker_key, Key};
use crate::names;
use crate::theme::{number, shade, sig3, NEUTRAL, REFERENCE};
use tvc_core::registry::order as order_key;
use tvc_core::Workload;
use tvc_results::{speedup, PointKey as Point, Run};

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let points = run.points_of(Workload::Cpu);
    let mut setups: Vec<(u64, u64)> = points.iter().map(|p| (p.n, p.iters)).collect();
    setups.sort_unstable();
    setups.dedup();
    let cores = run.env.u64("machine.cpus");
    let mut panels = Vec::new();
    let mut all = Vec::new();
    let mut serial: Vec<String> = Vec::new();
    let many = setups.len() > 1;
    for (n, iters) in &setups {
        let pts: Vec<&Point> = points
            .iter()
            .copied()
            .filter(|p| p.n == *n && p.iters == *iters)
            .collect();
        // Each model against its own language's baseline (sequential; python).
        let base = |p: &Point| p.baseline().and_then(|b| run.stat(&b, "wall_ms"));
        if pts.iter().all(|p| base(p).is_none()) {
            continue; // No baseline, no speedup: nothing to draw rather than a guess.
        }
        let mut labels: Vec<String> = pts.iter().map(|p| p.label()).collect();
        labels.sort_by_key(|l| order_key(l));
        labels.dedup();
        let cats: Vec<Category> = labels
            .iter()
            .map(|label| {
                let p = pts.iter().find(|p| &p.label() == label);
                let cell = match p.map(|p| (p, base(p).zip(run.stat(p, "wall_ms")))) {
                    Some((p, Some((seq, s)))) => {
                        let s = speedup(seq, s);
                        all.push(s);
                        if !p.is_baseline() && s.median < 1.25 && !serial.contains(label) {
                            serial.push(label.clone());
                        }
                        Cell::Value(s, None)
                    }
                    Some((p, None)) => Cell::Missing(run.statuses(p)),
                    None => Cell::Absent,
                };
                Category::new(label.clone(), vec![cell])
            })
            .collect();
        let references = cores
            .map(|c| vec![(c as f64, format!("ideal: {c} cores"))])
            .unwrap_or_default();
        let mut bars = Bars {
            caption: many.then(|| format!("{n} units × {} rounds", number(*iters as f64))),
            x_desc: "model".into(),
            y: Axis::new(
                "speedup over one after another, same language (×)",
                Scale::Linear,
                Units::Plain,
            ),
            conditions: vec!["speedup".into()],
            categories: cats,
            references,
            value_label: |v| format!("{}×", sig3(v)),
        };
        let extent = bars.extent();
        bars.y = bars.y.clone().fit(extent, 1.3);
        panels.push(Panel::Bars(bars));
    }
    if panels.is_empty() {
        return Vec::new();
    }
    let mut legend = vec![Key::Swatch(
        shade(NEUTRAL, 0),
        "speedup = one-after-another wall ÷ model wall, same language".into(),
    )];
    if cores.is_some() {
        legend.push(Key::Dashed(REFERENCE, "one per core (env.json)".into()));
    }
    legend.extend(whisker_key(&all));
    let mut notes = Vec::new();
    if !serial.is_empty() {
        notes.push(format!(
            "Near 1×: {} — one unit ran at a time (one executor thread, or Python's GIL), so \
             one core did all the work.",
            serial.join(", ")
        ));
    }
    notes.push(
        "Interval: the baseline's interval divided by the model's, ends crossed (conservative)."
            .into(),
    );
    let title = match setups.as_slice() {
        [(n, _)] => format!("CPU-bound work: speedup of {n} units over one after another"),
        _ => "CPU-bound work: speedup over one after another".to_string(),
    };
    vec![Chart {
        name: names::CPU_SPEEDUP,
        title,
        legend,
        panels,
        notes,
        stacked: false,
    }]
}
