//! Not one of the article's claims: the open-loop check on the instrument. Measured: per
//! model, setting and rate, what went out and the p99 from the due time beside the p99 from
//! the send, which is how far a closed loop's latency can be trusted.

use super::cells::percent;
use crate::finding::{Instrument, Table};
use std::collections::BTreeSet;
use tvc_core::registry;
use tvc_results::format::{join_and, number, sig3, time_ms};
use tvc_results::{PointKey, Run};

/// A model kept the rate asked when it sent at least this fraction of it.
pub const KEPT_RATE: f64 = 0.95;

/// The latencies of one paced point, medians over the runs, in ms.
#[derive(Debug, Clone, PartialEq)]
pub struct Latency {
    /// Requests per second that really went out.
    pub achieved: Option<f64>,
    /// p99 from the time each request was due.
    pub from_due: f64,
    /// p99 from the time each request was sent.
    pub from_send: f64,
}

impl Latency {
    /// How much waiting for a send the closed-loop view leaves out.
    pub fn gap(&self) -> f64 {
        self.from_due / self.from_send.max(f64::MIN_POSITIVE)
    }
}

/// One model at one setting and rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Paced {
    pub label: String,
    pub concurrency: u64,
    pub delay_ms: u64,
    pub rate: u64,
    /// `Err` with how its repetitions ended when it measured nothing.
    pub latency: Result<Latency, String>,
}

impl Paced {
    pub fn fell_behind(&self) -> bool {
        let achieved = self.latency.as_ref().ok().and_then(|l| l.achieved);
        achieved.is_some_and(|a| a < KEPT_RATE * self.rate as f64)
    }
}

/// The open-loop figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// By model, then setting, then rate.
    pub points: Vec<Paced>,
    /// Each (C, delay ms) of the models past the baseline: with C in flight, each held for
    /// the server's delay, no client can send faster than C ÷ delay, and past that rate the
    /// queue is the concurrency's, not the model's.
    pub ceilings: BTreeSet<(u64, u64)>,
}

/// `None` without an open-loop point.
pub fn measure(run: &Run) -> Option<Figures> {
    let mut points: Vec<&PointKey> = run.open_loop_points();
    if points.is_empty() {
        return None;
    }
    points.sort_by_key(|p| {
        let setting = (
            p.concurrency,
            p.delay_ms,
            p.keep_alive,
            p.bytes,
            p.jitter_ms,
        );
        (registry::order(&p.label()), setting, p.rate_per_s)
    });
    let median = |p: &PointKey, metric: &str| run.stat(p, metric).map(|s| s.median);
    let paced = |p: &&PointKey| Paced {
        label: p.label(),
        concurrency: p.concurrency,
        delay_ms: p.delay_ms,
        rate: p.rate_per_s,
        latency: match (median(p, "p99_ms"), median(p, "p99_uncorrected_ms")) {
            (Some(from_due), Some(from_send)) => Ok(Latency {
                achieved: median(p, "achieved_rate_per_s"),
                from_due,
                from_send,
            }),
            _ => Err(run.statuses(p)),
        },
    };
    Some(Figures {
        points: points.iter().map(paced).collect(),
        ceilings: points
            .iter()
            .filter(|p| !p.is_baseline() && p.delay_ms > 0)
            .map(|p| (p.concurrency, p.delay_ms))
            .collect(),
    })
}

/// The open-loop section, when the run has one.
pub fn instrument(run: Option<&Run>) -> Option<Instrument> {
    measure(run?).map(|f| word(&f))
}

fn word(f: &Figures) -> Instrument {
    let behind: Vec<String> = f
        .points
        .iter()
        .filter(|p| p.fell_behind())
        .map(|p| format!("{} at {}/s", p.label, p.rate))
        .collect();
    let mut evidence = vec![if behind.is_empty() {
        format!(
            "every model kept every rate asked (within {})",
            percent(1.0 - KEPT_RATE)
        )
    } else {
        format!(
            "could not keep the rate (sent under {} of it): {}",
            percent(KEPT_RATE),
            join_and(&behind)
        )
    }];
    for (c, d) in &f.ceilings {
        evidence.push(format!(
            "with C = {c} in flight and {d} ms per request, no model can send more than \
             C ÷ delay = {}/s",
            number((*c as f64 * 1000.0 / *d as f64).round())
        ));
    }
    let mut widest: Option<(&Paced, &Latency)> = None;
    for p in &f.points {
        if let Ok(l) = &p.latency {
            if widest.is_none_or(|(_, w)| l.gap() > w.gap()) {
                widest = Some((p, l));
            }
        }
    }
    if let Some((p, l)) = widest {
        evidence.push(format!(
            "widest gap, {}× — {} at {}/s: p99 {} from the due time, {} from the send",
            sig3(l.gap()),
            p.label,
            p.rate,
            time_ms(l.from_due),
            time_ms(l.from_send)
        ));
    }
    Instrument {
        evidence,
        table: table(f),
    }
}

fn table(f: &Figures) -> Table {
    let rows = f
        .points
        .iter()
        .map(|p| {
            let setting = format!("{}, {} ms", p.concurrency, p.delay_ms);
            let rate = number(p.rate as f64);
            let cells = match &p.latency {
                Ok(l) => [
                    l.achieved.map_or("—".into(), |a| number(a.round())),
                    time_ms(l.from_due),
                    time_ms(l.from_send),
                ],
                Err(statuses) => [statuses.clone(), "—".into(), "—".into()],
            };
            [p.label.clone(), setting, rate]
                .into_iter()
                .chain(cells)
                .collect()
        })
        .collect();
    Table {
        caption: "Medians over the runs; p99 latency measured two ways".into(),
        header: [
            "model",
            "C, delay",
            "rate asked /s",
            "sent /s",
            "p99 from due",
            "p99 from send",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::run;

    const OPEN: &str = "workload,model,variant,n,concurrency,delay_ms,keep_alive,rate_per_s,\
                        status,achieved_rate_per_s,p99_uncorrected_ms,p99_ms";
    const TOKIO: &str = "http,tokio,default,200,200,83,true,100,ok,100,86,88";

    #[test]
    fn who_fell_behind_and_the_widest_gap() {
        let seq = "http,sequential,default,200,1,83,true,100,ok,12,85,2800";
        let f = measure(&run(OPEN, &[seq, TOKIO])).expect("an open-loop run");
        let behind: Vec<&str> = f
            .points
            .iter()
            .filter(|p| p.fell_behind())
            .map(|p| p.label.as_str())
            .collect();
        assert_eq!(behind, ["sequential"]);
        assert_eq!(f.ceilings, BTreeSet::from([(200, 83)]));
        let i = word(&f);
        assert!(
            i.evidence[0].contains("sequential at 100/s"),
            "{:?}",
            i.evidence
        );
        assert!(
            i.evidence[1].contains("C ÷ delay = 2410/s"),
            "{:?}",
            i.evidence
        );
        assert!(i.evidence[2].contains("sequential"), "{:?}", i.evidence);
        assert_eq!(i.table.rows[0][1], "1, 83 ms");
    }

    #[test]
    fn every_setting_is_a_row_with_its_own_ceiling() {
        let ten = "http,tokio,default,200,10,83,true,100,ok,100,86,88";
        let f = measure(&run(OPEN, &[TOKIO, ten])).expect("an open-loop run");
        assert_eq!(f.points.len(), 2);
        assert_eq!(f.ceilings, BTreeSet::from([(10, 83), (200, 83)]));
        let kept = word(&measure(&run(OPEN, &[TOKIO])).expect("open loop"));
        assert!(kept.evidence[0].starts_with("every model kept"), "{kept:?}");
        // A closed-loop run has no open-loop section.
        let closed = "workload,model,variant,n,concurrency,delay_ms,keep_alive,status,wall_ms";
        let closed = run(closed, &["http,tokio,default,200,200,83,true,ok,100"]);
        assert!(measure(&closed).is_none());
    }
}
