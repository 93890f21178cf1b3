//! What sharing a counter costs and whether it stays correct (claim C5): time per increment
//! per model and primitive, with ✓ or ✗ for the final count, one panel per setup.

use crate::bars::{categories, log_note, scale_for, Bars};
use crate::data::Run;
use crate::style::{shade, sig3, Axis, Chart, Key, Panel, Units, NEUTRAL};
use crate::{names, number, whisker_key};

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let points = run.points_of("shared-state");
    let mut setups: Vec<(Option<u64>, Option<u64>)> =
        points.iter().map(|p| (p.concurrency, p.n)).collect();
    setups.sort_unstable();
    setups.dedup();
    let mark = |p: &crate::data::Point| {
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
            Some("✗ lost updates".to_string())
        }
    };
    let mut panels = Vec::new();
    let mut logs = Vec::new();
    let mut all = Vec::new();
    for (k, m) in &setups {
        let pts: Vec<_> = points
            .iter()
            .copied()
            .filter(|p| p.concurrency == *k && p.n == *m)
            .collect();
        let (cats, stats) = categories(run, &pts, &[()], |_| (), "ns_per_increment", 1.0, mark);
        if stats.is_empty() {
            continue;
        }
        let caption = match (k, m) {
            (Some(k), Some(m)) => format!("{k} units × {} increments", number(*m as f64)),
            _ => "shared counter".to_string(),
        };
        let mut bars = Bars {
            caption: (setups.len() > 1).then_some(caption),
            x_desc: "model : primitive".into(),
            y: Axis::new(
                "time per increment (ns)",
                crate::style::Scale::Linear,
                Units::Plain,
            ),
            conditions: vec!["ns per increment".into()],
            categories: cats,
            references: Vec::new(),
            value_label: |v| sig3(v),
        };
        let extent = bars.extent();
        bars.y = Axis::new(bars.y.desc.clone(), scale_for(&extent), Units::Plain).fit(extent, 1.6);
        all.extend(stats);
        logs.extend(log_note(&[&bars]));
        panels.push(Panel::Bars(bars));
    }
    if panels.is_empty() {
        return Vec::new();
    }
    let mut legend = vec![Key::Swatch(shade(NEUTRAL, 0), "time per increment".into())];
    legend.extend(whisker_key(&all));
    let title = match setups.as_slice() {
        [(Some(k), Some(m))] => format!(
            "A shared counter: {k} units × {} increments",
            number(*m as f64)
        ),
        _ => "A shared counter: time per increment".to_string(),
    };
    vec![Chart {
        name: names::SHARED_STATE,
        title,
        legend,
        panels,
        notes: [
            "✓ the final count was exact in every repetition; ✗ updates were lost. \
             A missing bar names why the point could not run."
                .into(),
        ]
        .into_iter()
        .chain(logs.into_iter().take(1))
        .collect(),
    }]
}
