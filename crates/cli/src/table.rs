//! The table printed at the end of a run: one line per point, models side by side.

use crate::results::{summarize_rows, Row, SummaryRow};
use std::fmt::Write;

fn metric<'a>(summary: &'a [SummaryRow], row: &SummaryRow, name: &str) -> Option<&'a SummaryRow> {
    summary
        .iter()
        .find(|s| s.key == row.key && s.metric == name)
}

fn fmt_opt(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "-".into())
}

/// Renders the http table: median wall time, reduction against sequential (same
/// parameters), p50 and p99 latency, peak RSS and how many repetitions were measured.
pub fn render(rows: &[Row]) -> String {
    let summary = summarize_rows(rows);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<20} {:>5} {:>6} {:>6} {:>4} {:>11} {:>9} {:>8} {:>8} {:>9}  runs",
        "model", "n", "C", "delay", "ka", "wall (s)", "vs seq", "p50 ms", "p99 ms", "RSS MiB",
    );
    for row in summary.iter().filter(|s| s.metric == "wall_ms") {
        let k = &row.key;
        let wall = row.median;
        let sequential = summary.iter().find(|s| {
            s.metric == "wall_ms"
                && s.key.model == "sequential"
                && s.key.n == k.n
                && s.key.delay_ms == k.delay_ms
                && s.key.jitter_ms == k.jitter_ms
                && s.key.bytes == k.bytes
                && s.key.keep_alive == k.keep_alive
        });
        let versus = match (wall, sequential.and_then(|s| s.median)) {
            (Some(w), Some(s)) if k.model != "sequential" && s > 0.0 => {
                format!("{:+.1}%", (w / s - 1.0) * 100.0)
            }
            _ => "-".into(),
        };
        let name = if k.variant == "default" {
            k.model.clone()
        } else {
            format!("{}:{}", k.model, k.variant)
        };
        let median = |m: &str| metric(&summary, row, m).and_then(|s| s.median);
        let _ = writeln!(
            out,
            "{:<20} {:>5} {:>6} {:>6} {:>4} {:>11} {:>9} {:>8} {:>8} {:>9}  {}",
            name,
            k.n,
            k.concurrency,
            k.delay_ms,
            if k.keep_alive { "on" } else { "off" },
            fmt_opt(wall.map(|w| w / 1e3), 3),
            versus,
            fmt_opt(median("p50_ms"), 1),
            fmt_opt(median("p99_ms"), 1),
            fmt_opt(median("peak_rss_kib").map(|k| k / 1024.0), 1),
            row.statuses,
        );
    }
    out
}
