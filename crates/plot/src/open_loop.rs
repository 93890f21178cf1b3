//! Open loop: requests sent on a fixed schedule at a rate, and the p99 latency each model
//! shows as that rate grows, measured two ways side by side. From the time each request was
//! due (corrected for coordinated omission), a model that cannot keep up shows its queue;
//! from the time each was actually sent (uncorrected), the same run looks fine.

use crate::axis::{Axis, Scale, Units};
use crate::chart::{Chart, Panel};
use crate::legend::{whisker_key, Key};
use crate::lines::{alike, Guide, Lines, Series};
use crate::missing::{gap_points, gaps};
use crate::names;
use crate::theme::{colour, REFERENCE};
use std::cmp::Reverse;
use std::collections::BTreeMap;
use tvc_core::registry::order as order_key;
use tvc_results::format::join_and;
use tvc_results::{PointKey as Point, Run, Stat};

/// At most this many settings are drawn, a row of two panels each; the others are named in
/// a note (the report's table has every point).
const MAX_ROWS: usize = 3;

/// An open-loop point's parameters besides the model and the rate: one line per model needs
/// one setting, so each setting gets its own panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Setting {
    concurrency: u64,
    delay_ms: u64,
    keep_alive: bool,
    bytes: u64,
    jitter_ms: u64,
}

impl Setting {
    fn of(p: &Point) -> Setting {
        Setting {
            concurrency: p.concurrency,
            delay_ms: p.delay_ms,
            keep_alive: p.keep_alive,
            bytes: p.bytes,
            jitter_ms: p.jitter_ms,
        }
    }

    /// The setting in words, part by part.
    fn parts(&self) -> [String; 5] {
        [
            format!("C = {}", self.concurrency),
            format!("delay {} ms", self.delay_ms),
            format!("jitter {} ms", self.jitter_ms),
            format!("{} B", self.bytes),
            format!("keep-alive {}", if self.keep_alive { "on" } else { "off" }),
        ]
    }

    /// The setting in words, naming only what tells it apart from the others in `all`
    /// (everything when it stands alone).
    fn describe(&self, all: &[Setting]) -> String {
        let alone = all.iter().all(|s| s == self);
        let others: Vec<[String; 5]> = all.iter().map(Setting::parts).collect();
        let mine = self.parts();
        let named: Vec<&str> = (0..mine.len())
            .filter(|&i| alone || others.iter().any(|o| o[i] != mine[i]))
            .map(|i| mine[i].as_str())
            .collect();
        named.join(", ")
    }
}

/// What one setting draws: a line per model in each of the two panels, and what it says.
struct Row {
    setting: Setting,
    corrected: Vec<Series>,
    uncorrected: Vec<Series>,
    stats: Vec<Stat>,
    any_gap: bool,
    notes: Vec<String>,
}

impl Row {
    /// The lines of the models at one setting; `said` names the setting when the chart has
    /// several, so a note says which one a model ran at.
    fn of(run: &Run, setting: Setting, points: &[&Point], said: Option<&str>) -> Row {
        let name = |label: &str| match said {
            Some(s) => format!("{label} ({s})"),
            None => label.to_string(),
        };
        let mut by_label: BTreeMap<(usize, usize, String), Vec<&Point>> = BTreeMap::new();
        for p in points {
            by_label.entry(order_key(&p.label())).or_default().push(p);
        }
        let rate = |p: &Point| p.rate_per_s;
        let mut row = Row {
            setting,
            corrected: Vec::new(),
            uncorrected: Vec::new(),
            stats: Vec::new(),
            any_gap: false,
            notes: Vec::new(),
        };
        for ((_, _, label), mut pts) in by_label {
            pts.sort_by_key(|p| (p.rate_per_s, p.n));
            pts.dedup_by_key(|p| p.rate_per_s);
            let get = |metric: &str| -> Vec<(f64, Stat)> {
                pts.iter()
                    .filter_map(|p| Some((p.rate_per_s as f64, run.stat(p, metric)?)))
                    .collect()
            };
            let (c, u) = (get("p99_ms"), get("p99_uncorrected_ms"));
            row.notes
                .extend(gaps(run, &name(&label), &pts, "wall_ms", rate, "rate"));
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
                row.notes.push(format!(
                    "{} could not keep the rate: sent {}",
                    name(&label),
                    slow.join(", ")
                ));
            }
            if c.is_empty() && u.is_empty() {
                continue;
            }
            let missing = gap_points(run, &pts, "wall_ms", rate);
            row.any_gap |= !missing.is_empty();
            row.stats.extend(c.iter().chain(&u).map(|(_, s)| *s));
            row.corrected.push(Series::new(&label, c, missing.clone()));
            row.uncorrected.push(Series::new(&label, u, missing));
        }
        let at = said.map_or("The".into(), |s| format!("At {s}, the"));
        let hidden: Vec<String> = alike(&row.corrected)
            .into_iter()
            .map(|group| {
                let names: Vec<String> = group.iter().map(|l| l.to_string()).collect();
                format!(
                    "{at} corrected lines of {} lie on one another (within 10 % at every rate).",
                    join_and(&names)
                )
            })
            .collect();
        row.notes.splice(0..0, hidden);
        row
    }

    /// The two panels of the row, each captioned with the setting when `said` names it.
    fn panels(self, said: Option<&str>) -> [Lines; 2] {
        let mut rates: Vec<f64> = self
            .corrected
            .iter()
            .flat_map(|s| {
                s.points
                    .iter()
                    .map(|p| p.0)
                    .chain(s.gaps.iter().map(|g| g.0))
            })
            .collect();
        rates.sort_by(f64::total_cmp);
        // The server's delay is the least any request can take.
        let delay = self.setting.delay_ms as f64;
        let guides = || match (rates.first(), rates.last()) {
            (Some(lo), Some(hi)) if delay > 0.0 => vec![Guide {
                points: vec![(*lo, delay), (*hi, delay)],
                dotted: false,
            }],
            _ => Vec::new(),
        };
        let panel = |what: &str, series: Vec<Series>| Lines {
            caption: Some(said.map_or(what.to_string(), |s| format!("{s}: {what}"))),
            x: Axis::new("rate asked (requests per second)", Scale::Log, Units::Plain),
            y: Axis::new("p99 latency (ms)", Scale::Log, Units::Plain),
            series,
            markers: Vec::new(),
            guides: guides(),
        };
        [
            panel(
                "p99 from when each request was due (corrected)",
                self.corrected,
            ),
            panel(
                "p99 from when each request was sent (uncorrected)",
                self.uncorrected,
            ),
        ]
    }
}

/// The run's settings with their points, the one most models ran first: that is where the
/// models can be compared (a model that holds one request at a time runs at C = 1 beside the
/// others' C = 200).
fn settings(run: &Run) -> Vec<(Setting, Vec<&Point>)> {
    let mut by_setting: BTreeMap<Setting, Vec<&Point>> = BTreeMap::new();
    for p in run.open_loop_points() {
        by_setting.entry(Setting::of(p)).or_default().push(p);
    }
    let mut settings: Vec<(Setting, Vec<&Point>)> = by_setting.into_iter().collect();
    settings.sort_by_key(|(s, pts)| {
        let mut labels: Vec<String> = pts.iter().map(|p| p.label()).collect();
        labels.sort();
        labels.dedup();
        (Reverse(labels.len()), *s)
    });
    settings
}

pub(crate) fn charts(run: &Run) -> Vec<Chart> {
    let mut settings = settings(run);
    let all: Vec<Setting> = settings.iter().map(|(s, _)| *s).collect();
    let mut notes = Vec::new();
    if settings.len() > MAX_ROWS {
        let others: Vec<String> = all[MAX_ROWS..].iter().map(|s| s.describe(&all)).collect();
        notes.push(format!("Also measured, not drawn: {}.", others.join("; ")));
        settings.truncate(MAX_ROWS);
    }
    let mut rows = Vec::new();
    for (setting, points) in &settings {
        let said = (all.len() > 1).then(|| setting.describe(&all));
        let row = Row::of(run, *setting, points, said.as_deref());
        notes.extend(row.notes.iter().cloned());
        if !row.corrected.is_empty() || !row.uncorrected.is_empty() {
            rows.push((said, row));
        }
    }
    if rows.is_empty() {
        return Vec::new();
    }
    let mut delays: Vec<u64> = rows.iter().map(|(_, r)| r.setting.delay_ms).collect();
    delays.sort_unstable();
    delays.dedup();
    let legend = legend(rows.iter().map(|(_, r)| r), &delays);
    let mut panels: Vec<Lines> = rows
        .into_iter()
        .flat_map(|(said, row)| row.panels(said.as_deref()))
        .collect();
    share_axes(&mut panels);
    let title = match delays[..] {
        [d] if d > 0 => format!("Open loop: GETs at {d} ms each, sent on a schedule"),
        _ => "Open loop: GETs sent on a schedule".to_string(),
    };
    vec![Chart {
        name: names::OPEN_LOOP,
        title,
        legend,
        panels: panels.into_iter().map(Panel::Lines).collect(),
        notes,
        stacked: false,
    }]
}

/// One entry per model over every row, then the delay's guide, the ✗ and the whiskers.
fn legend<'a>(rows: impl Iterator<Item = &'a Row> + Clone, delays: &[u64]) -> Vec<Key> {
    let mut labels: Vec<&str> = rows
        .clone()
        .flat_map(|r| r.corrected.iter().map(|s| s.label.as_str()))
        .collect();
    labels.sort_by_key(|l| order_key(l));
    labels.dedup();
    let mut legend: Vec<Key> = labels
        .iter()
        .map(|l| Key::Line(colour(l), l.to_string()))
        .collect();
    match delays {
        [d] if *d > 0 => legend.push(Key::Dashed(
            REFERENCE,
            format!("the server's delay: {d} ms"),
        )),
        _ if delays.iter().any(|d| *d > 0) => {
            legend.push(Key::Dashed(REFERENCE, "the server's delay".into()))
        }
        _ => {}
    }
    if rows.clone().any(|r| r.any_gap) {
        legend.push(Key::Cross("not measured (how it ended)".into()));
    }
    legend.extend(whisker_key(rows.flat_map(|r| &r.stats)));
    legend
}

/// One x and one y axis for every panel, so the gap between the two measures, and between
/// settings, is seen at a glance.
fn share_axes(panels: &mut [Lines]) {
    let Some(first) = panels.first() else {
        return;
    };
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for p in panels.iter() {
        let (x, y) = p.extent();
        xs.extend(x);
        ys.extend(y);
        ys.extend(p.guides.iter().flat_map(|g| g.points.iter().map(|q| q.1)));
    }
    let mut x = first.x.clone().fit(xs, 1.0);
    x.pad = 0.03;
    let y = first.y.clone().fit(ys, 2.0);
    for p in panels {
        (p.x, p.y) = (x.clone(), y.clone());
    }
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

    /// The models of a panel's lines.
    fn models(panel: &Panel) -> Vec<&str> {
        match panel {
            Panel::Lines(l) => l.series.iter().map(|s| s.label.as_str()).collect(),
            Panel::Bars(_) | Panel::Ratios(_) => Vec::new(),
        }
    }

    #[test]
    fn every_model_is_drawn_at_the_setting_most_of_them_ran() {
        // As in the reference run: sequential holds one request at a time (C = 1), every
        // other model 200.
        let r = run(&[
            "http,sequential,default,40,1,83,true,10,ok,10,86,88,4000",
            "http,sequential,default,400,1,83,true,100,ok,12,86,4700,4000",
            "http,threads,default,40,200,83,true,10,ok,10,86,88,4000",
            "http,threads,default,400,200,83,true,100,ok,100,86,88,4000",
            "http,tokio,default,40,200,83,true,10,ok,10,86,88,4000",
            "http,tokio,default,400,200,83,true,100,ok,100,86,88,4000",
            "http,smol,default,40,200,83,true,10,ok,10,86,88,4000",
            "http,smol,default,400,200,83,true,100,ok,100,86,88,4000",
        ]);
        let drawn = charts(&r);
        assert_eq!(drawn.len(), 1);
        let chart = &drawn[0];
        assert_eq!(chart.panels.len(), 4, "two panels per setting");
        for (panel, want) in chart.panels.iter().zip([
            &["threads", "tokio", "smol"][..],
            &["threads", "tokio", "smol"],
            &["sequential"],
            &["sequential"],
        ]) {
            assert_eq!(models(panel), want);
        }
        let captions: Vec<&str> = chart
            .panels
            .iter()
            .filter_map(|p| match p {
                Panel::Lines(l) => l.caption.as_deref(),
                Panel::Bars(_) | Panel::Ratios(_) => None,
            })
            .collect();
        assert!(captions[0].starts_with("C = 200: p99 from when each request was due"));
        assert!(captions[3].starts_with("C = 1: p99 from when each request was sent"));
        let ys: Vec<(f64, f64)> = chart
            .panels
            .iter()
            .filter_map(|p| match p {
                Panel::Lines(l) => Some((l.y.lo, l.y.hi)),
                Panel::Bars(_) | Panel::Ratios(_) => None,
            })
            .collect();
        assert!(ys.windows(2).all(|w| w[0] == w[1]), "one y axis: {ys:?}");
        let notes = chart.notes.join("\n");
        assert!(
            notes.contains("sequential (C = 1) could not keep the rate: sent 12/s of 100/s"),
            "{notes}"
        );
        assert!(
            notes.contains("At C = 200, the corrected lines of threads, tokio and smol lie on"),
            "lines hidden under another are named: {notes}"
        );
    }

    #[test]
    fn settings_beyond_the_rows_drawn_are_named() {
        let lines: Vec<String> = [1, 10, 100, 1000]
            .iter()
            .map(|c| format!("http,tokio,default,200,{c},83,true,100,ok,100,86,88,2000"))
            .collect();
        let r = run(&lines.iter().map(String::as_str).collect::<Vec<_>>());
        let drawn = charts(&r);
        assert_eq!(drawn[0].panels.len(), 2 * MAX_ROWS);
        let notes = drawn[0].notes.join("\n");
        assert!(notes.contains("not drawn: C = 1000"), "{notes}");
        let closed = run(&["http,tokio,default,200,200,83,true,0,ok,,86,88,100"]);
        assert!(
            charts(&closed).is_empty(),
            "a closed loop has no open-loop chart"
        );
    }
}
