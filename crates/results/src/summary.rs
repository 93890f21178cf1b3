//! summary.csv: per point and figure, the median over the repetitions that measured it and
//! its confidence interval, built here once from raw rows (by the writer as each row comes,
//! and by the reader only for a figure an older summary.csv lacks).

use crate::key::PointKey;
use crate::raw::{Figures, RawRow};
use crate::stats::{summarize, Stat};
use std::collections::BTreeMap;

crate::record! {
    /// One line of summary.csv: one figure of one point over its repetitions.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct SummaryRow {
        pub key: PointKey,
        pub metric: String,
        pub repetitions: u32,
        pub measured: u32,
        pub median: Option<f64>,
        pub mean: Option<f64>,
        pub min: Option<f64>,
        pub max: Option<f64>,
        pub ci_low: Option<f64>,
        pub ci_high: Option<f64>,
        /// The confidence interval's actual coverage: 0.95 when enough repetitions exist,
        /// lower (and stated) when there are too few for 95 %.
        pub ci_level: Option<f64>,
        /// How the repetitions ended, `ok=4;timeout=1`.
        pub statuses: String,
    }
}

impl SummaryRow {
    fn of(key: &PointKey, metric: &str, repetitions: usize, statuses: &str) -> SummaryRow {
        SummaryRow {
            key: key.clone(),
            metric: metric.to_string(),
            repetitions: repetitions as u32,
            statuses: statuses.to_string(),
            ..SummaryRow::default()
        }
    }

    /// The statistic, when the figure was measured at all. Missing ends of an interval
    /// (hand-made files) read as the median.
    pub fn stat(&self) -> Option<Stat> {
        let median = self.median?;
        Some(Stat {
            measured: self.measured.max(1) as usize,
            median,
            mean: self.mean.unwrap_or(median),
            min: self.min.unwrap_or(median),
            max: self.max.unwrap_or(median),
            ci_low: self.ci_low.unwrap_or(median),
            ci_high: self.ci_high.unwrap_or(median),
            ci_level: self.ci_level.unwrap_or(0.0),
        })
    }
}

/// How the rows of a point ended: `ok=4;timeout=1`.
pub fn statuses<'a>(rows: impl IntoIterator<Item = &'a RawRow>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        *counts.entry(r.status.name()).or_default() += 1;
    }
    counts
        .iter()
        .map(|(s, c)| format!("{s}={c}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// The rows of each point, in the order points first appear.
pub fn group(rows: &[RawRow]) -> Vec<(PointKey, Vec<&RawRow>)> {
    let mut order: Vec<PointKey> = Vec::new();
    let mut groups: BTreeMap<&PointKey, Vec<&RawRow>> = BTreeMap::new();
    for row in rows {
        let g = groups.entry(&row.key).or_default();
        if g.is_empty() {
            order.push(row.key.clone());
        }
        g.push(row);
    }
    order
        .into_iter()
        .map(|k| {
            let rows = groups.remove(&k).unwrap_or_default();
            (k, rows)
        })
        .collect()
}

/// The summary of one figure of one point: its measured repetitions' median and interval.
pub fn summarize_metric(rows: &[&RawRow], metric: &str) -> Option<Stat> {
    let values: Vec<f64> = rows
        .iter()
        .filter(|r| r.measured())
        .filter_map(|r| r.metric(metric))
        .collect();
    summarize(&values)
}

/// Summarises every figure of every point, in the order points first appeared. A point that
/// measured nothing keeps one line (metric `wall_ms`, empty), so it is never dropped.
pub fn summarize_rows(rows: &[RawRow]) -> Vec<SummaryRow> {
    let mut out = Vec::new();
    for (key, group) in group(rows) {
        let statuses = statuses(group.iter().copied());
        let before = out.len();
        for metric in Figures::NAMES {
            if let Some(s) = summarize_metric(&group, metric) {
                out.push(SummaryRow {
                    measured: s.measured as u32,
                    median: Some(s.median),
                    mean: Some(s.mean),
                    min: Some(s.min),
                    max: Some(s.max),
                    ci_low: Some(s.ci_low),
                    ci_high: Some(s.ci_high),
                    ci_level: Some(s.ci_level),
                    ..SummaryRow::of(&key, metric, group.len(), &statuses)
                });
            }
        }
        if out.len() == before {
            out.push(SummaryRow::of(&key, "wall_ms", group.len(), &statuses));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::Status;

    pub(crate) fn row(model: &str, rep: u32, wall: f64, status: Status) -> RawRow {
        let key = PointKey {
            experiment: "e".into(),
            model: model.into(),
            variant: "default".into(),
            n: 10,
            concurrency: 2,
            ..PointKey::default()
        };
        let mut r = RawRow::new(key, rep, 0, "http://127.0.0.1:1", "t".into());
        r.status = status;
        if status.measured() {
            r.figures.wall_ms = Some(wall);
        }
        r
    }

    #[test]
    fn summary_uses_measured_rows_only_and_counts_statuses() {
        let rows = vec![
            row("tokio", 1, 10.0, Status::Ok),
            row("tokio", 2, 30.0, Status::Ok),
            row("tokio", 3, 20.0, Status::Ok),
            row("tokio", 4, 0.0, Status::Timeout),
            row("threads", 1, 5.0, Status::Aborted),
        ];
        let s = summarize_rows(&rows);
        let wall: Vec<_> = s.iter().filter(|r| r.metric == "wall_ms").collect();
        assert_eq!(wall.len(), 2);
        assert_eq!(wall[0].median, Some(20.0));
        assert_eq!(wall[0].repetitions, 4);
        assert_eq!(wall[0].measured, 3);
        assert_eq!(wall[0].statuses, "ok=3;timeout=1");
        assert_eq!((wall[0].ci_low, wall[0].ci_high), (Some(10.0), Some(30.0)));
        // The aborted point keeps a line with nothing measured and its status.
        assert_eq!(wall[1].measured, 0);
        assert_eq!(wall[1].median, None);
        assert_eq!(wall[1].statuses, "aborted=1");
        assert_eq!(wall[1].stat(), None);
    }
}
