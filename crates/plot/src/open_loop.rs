//! Open loop: requests sent on a fixed schedule at a rate, and the p99 latency each model
//! shows as that rate grows, measured two ways side by side. From the time each request was
//! due (corrected for coordinated omission), a model that cannot keep up shows its queue;
//! from the time each was actually sent (uncorrected), the same run looks fine.

use crate::axis::{Axis, Scale, Units};
use crate::chart::{Chart, Panel};
use crate::legend::{whisker_key, Key};
use crate::lines::{fit_axes, Guide, Lines, Series};
use crate::missing::{gap_points, gaps};
use crate::names;
use crate::theme::{colour, REFERENCE};
use std::collections::BTreeMap;
use tvc_core::registry::order as order_key;
use tvc_results::{PointKey as Point, Run, Stat};

/// An open-loop point's parameters besides the model and the rate.
type Setting = (u64, u64, bool, u64, u64);

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let mut points = run.open_loop_points();
    // One line per model needs one setting besides the rate; a run that also swept C,
    // delay, keep-alive or body size is drawn at its first setting and says what it left
    // out (the report's table has every point).
    let setting = |p: &Point| {
        (
            p.concurrency,
            p.delay_ms,
            p.keep_alive,
            p.bytes,
            p.jitter_ms,
        )
    };
    let mut settings: Vec<_> = points.iter().map(|p| setting(p)).collect();
    settings.sort();
    settings.dedup();
    let mut notes = Vec::new();
    if let Some(first) = settings.first().copied().filter(|_| settings.len() > 1) {
        points.retain(|p| setting(p) == first);
        let describe = |s: Setting| {
            let (c, d, k, b, j) = s;
            format!(
                "C = {c}, delay {d} ms, jitter {j} ms, {b} B, keep-alive {}",
                if k { "on" } else { "off" }
            )
        };
        let others: Vec<String> = settings[1..].iter().map(|s| describe(*s)).collect();
        notes.push(format!(
            "drawn: {}; also measured, not drawn: {}",
            describe(first),
            others.join("; ")
        ));
    }
    let mut by_label: BTreeMap<(usize, usize, String), Vec<&Point>> = BTreeMap::new();
    for p in &points {
        by_label.entry(order_key(&p.label())).or_default().push(p);
    }
    let rate = |p: &Point| p.rate_per_s;
    let (mut legend, mut corrected, mut uncorrected) = (Vec::new(), Vec::new(), Vec::new());
    let (mut stats, mut any_gap) = (Vec::<Stat>::new(), false);
    for ((_, _, label), mut pts) in by_label {
        pts.sort_by_key(|p| (p.rate_per_s, p.n));
        pts.dedup_by_key(|p| p.rate_per_s);
        let get = |metric: &str| -> Vec<(f64, Stat)> {
            pts.iter()
                .filter_map(|p| Some((p.rate_per_s as f64, run.stat(p, metric)?)))
                .collect()
        };
        let (c, u) = (get("p99_ms"), get("p99_uncorrected_ms"));
        notes.extend(gaps(run, &label, &pts, "wall_ms", rate, "rate"));
        // Say where the model could not send at the rate asked: its latency is a queue's.
        let slow: Vec<String> = pts
            .iter()
            .filter_map(|p| {
                let asked = p.rate_per_s;
                let sent = run.stat(p, "achieved_rate_per_s")?.median;
                (sent < 0.95 * asked as f64).then(|| format!("{sent:.0}/s of {asked}/s"))
            })
            .collect();
        if !slow.is_empty() {
            notes.push(format!(
                "{label} could not keep the rate: sent {}",
                slow.join(", ")
            ));
        }
        if c.is_empty() && u.is_empty() {
            continue;
        }
        let missing = gap_points(run, &pts, "wall_ms", rate);
        any_gap |= !missing.is_empty();
        stats.extend(c.iter().chain(&u).map(|(_, s)| *s));
        legend.push(Key::Line(colour(&label), label.clone()));
        corrected.push(Series::new(&label, c, missing.clone()));
        uncorrected.push(Series::new(&label, u, missing));
    }
    if legend.is_empty() {
        return Vec::new();
    }
    // The server's delay is the least any request can take.
    let delay = points.iter().map(|p| p.delay_ms).find(|d| *d > 0);
    let mut rates: Vec<f64> = points.iter().map(|p| p.rate_per_s as f64).collect();
    rates.sort_by(f64::total_cmp);
    let guides = || match (delay, rates.first(), rates.last()) {
        (Some(d), Some(lo), Some(hi)) => vec![Guide {
            points: vec![(*lo, d as f64), (*hi, d as f64)],
            dotted: false,
        }],
        _ => Vec::new(),
    };
    if let Some(d) = delay {
        legend.push(Key::Dashed(
            REFERENCE,
            format!("the server's delay: {d} ms"),
        ));
    }
    if any_gap {
        legend.push(Key::Cross("not measured (how it ended)".into()));
    }
    legend.extend(whisker_key(&stats));
    let panel = |caption: &str, series: Vec<Series>| {
        fit_axes(
            Lines {
                caption: Some(caption.into()),
                x: Axis::new("rate asked (requests per second)", Scale::Log, Units::Plain),
                y: Axis::new("p99 latency (ms)", Scale::Log, Units::Plain),
                series,
                markers: Vec::new(),
                guides: guides(),
            },
            2.0,
        )
    };
    let mut c = panel("p99 from when each request was due (corrected)", corrected);
    let mut u = panel(
        "p99 from when each request was sent (uncorrected)",
        uncorrected,
    );
    // One y axis for both panels, so the gap between them is visible.
    let ys = c.extent().1.into_iter().chain(u.extent().1);
    let y = c.y.clone().fit(ys.chain(delay.map(|d| d as f64)), 2.0);
    (c.y, u.y) = (y.clone(), y);
    let title = match delay {
        Some(d) => format!("Open loop: GETs at {d} ms each, sent on a schedule"),
        None => "Open loop: GETs sent on a schedule".to_string(),
    };
    vec![Chart {
        name: names::OPEN_LOOP,
        title,
        legend,
        panels: vec![Panel::Lines(c), Panel::Lines(u)],
        notes,
        stacked: false,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn run(lines: &[&str]) -> Run {
        let mut csv = "workload,model,variant,n,concurrency,delay_ms,keep_alive,rate_per_s,\
                       status,achieved_rate_per_s,p99_uncorrected_ms,p99_ms,wall_ms\n"
            .to_string();
        for l in lines {
            csv.push_str(l);
            csv.push('\n');
        }
        Run::from_texts(Path::new("t"), &csv, "{}", None).expect("valid CSV")
    }

    #[test]
    fn one_line_per_model_and_a_note_for_settings_not_drawn() {
        let r = run(&[
            "http,tokio,default,200,200,83,true,100,ok,100,86,88,2000",
            "http,tokio,default,200,200,83,true,1000,ok,1000,86,88,2000",
            "http,tokio,default,200,10,83,true,100,ok,100,86,88,2000",
        ]);
        let drawn = charts(&r);
        assert_eq!(drawn.len(), 1);
        let notes = drawn[0].notes.join("\n");
        assert!(
            notes.contains("drawn: C = 10") && notes.contains("not drawn: C = 200"),
            "{notes}"
        );
        let closed = run(&["http,tokio,default,200,200,83,true,0,ok,,86,88,100"]);
        assert!(
            charts(&closed).is_empty(),
            "a closed loop has no open-loop chart"
        );
    }
}
