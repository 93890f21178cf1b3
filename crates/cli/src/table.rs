//! The table printed at the end of a run: one line per point, models side by side, with the
//! figures that matter for the workload.

use tvc_core::Workload;
use tvc_results::summary::summarize_rows;
use tvc_results::{PointKey, RawRow, SummaryRow};

fn fmt(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "-".into())
}

/// The median of `metric` for the point `key`.
fn median(summary: &[SummaryRow], key: &PointKey, metric: &str) -> Option<f64> {
    summary
        .iter()
        .find(|s| &s.key == key && s.metric == metric)
        .and_then(|s| s.median)
}

/// Its language's baseline point with the same parameters (concurrency aside), if measured.
fn sequential<'a>(summary: &'a [SummaryRow], k: &PointKey) -> Option<&'a PointKey> {
    summary.iter().map(|s| &s.key).find(|s| {
        s.is_baseline()
            && s.language() == k.language()
            && s.n == k.n
            && s.delay_ms == k.delay_ms
            && s.jitter_ms == k.jitter_ms
            && s.bytes == k.bytes
            && s.keep_alive == k.keep_alive
            && s.rate_per_s == k.rate_per_s
            && s.iters == k.iters
            && s.cpu_mode == k.cpu_mode
            && s.pinned == k.pinned
            && s.medium == k.medium
    })
}

/// `(header, value)` pairs for one point.
fn cells(summary: &[SummaryRow], k: &PointKey) -> Vec<(&'static str, String)> {
    let m = |metric: &str| median(summary, k, metric);
    let seq = sequential(summary, k).filter(|s| s.model != k.model || s.variant != k.variant);
    let versus = |metric: &str, as_speedup: bool| match (
        m(metric),
        seq.and_then(|s| median(summary, s, metric)),
    ) {
        (Some(v), Some(s)) if v > 0.0 && s > 0.0 => {
            if as_speedup {
                format!("{:.2}x", s / v)
            } else {
                format!("{:+.1}%", (v / s - 1.0) * 100.0)
            }
        }
        _ => "-".into(),
    };
    let mut c = vec![("model", k.label())];
    let mib = |v: Option<f64>| fmt(v.map(|k| k / 1024.0), 1);
    match k.workload {
        Workload::Http | Workload::Blocking => {
            c.push(("n", k.n.to_string()));
            c.push(("C", k.concurrency.to_string()));
            c.push(("delay ms", k.delay_ms.to_string()));
            if k.workload == Workload::Http {
                c.push(("keep-alive", if k.keep_alive { "on" } else { "off" }.into()));
            } else {
                c.push(("cpu", format!("{}x {}", k.cpu_tasks, k.cpu_mode.name())));
            }
            if k.rate_per_s > 0 {
                c.push(("rate/s", k.rate_per_s.to_string()));
                c.push(("sent/s", fmt(m("achieved_rate_per_s"), 0)));
            }
            c.push(("wall s", fmt(m("wall_ms").map(|w| w / 1e3), 3)));
            if k.rate_per_s == 0 {
                // An open loop's wall time is its schedule's: nothing to compare.
                c.push(("vs seq", versus("wall_ms", false)));
            }
            c.push(("req/s", fmt(m("throughput_per_s"), 0)));
            c.push(("p50 ms", fmt(m("p50_ms"), 1)));
            c.push(("p99 ms", fmt(m("p99_ms"), 1)));
            if k.rate_per_s > 0 {
                c.push(("p99 from send ms", fmt(m("p99_uncorrected_ms"), 1)));
            }
            c.push(("RSS MiB", mib(m("peak_rss_kib"))));
        }
        Workload::Park => {
            c.push(("n", k.n.to_string()));
            c.push(("RSS MiB", mib(m("rss_parked_kib"))));
            c.push(("virtual MiB", mib(m("vm_parked_kib"))));
            c.push(("spawn ms", fmt(m("spawn_ms"), 1)));
            c.push(("threads", fmt(m("threads"), 0)));
        }
        Workload::Switch => {
            c.push(("units", k.concurrency.to_string()));
            c.push(("hops", k.n.to_string()));
            c.push(("medium", k.medium.name().into()));
            c.push(("pinned", k.pinned.to_string()));
            c.push(("ns/switch", fmt(m("ns_per_switch"), 1)));
            c.push(("vol ctx sw", fmt(m("vol_ctx_switches"), 0)));
            c.push(("invol ctx sw", fmt(m("invol_ctx_switches"), 0)));
        }
        Workload::Cpu => {
            c.push(("n", k.n.to_string()));
            c.push(("iters", k.iters.to_string()));
            c.push(("wall ms", fmt(m("wall_ms"), 1)));
            c.push(("speedup", versus("wall_ms", true)));
            c.push((
                "cpu ms",
                fmt(m("user_ms").zip(m("sys_ms")).map(|(u, s)| u + s), 0),
            ));
            c.push(("threads", fmt(m("threads"), 0)));
        }
        Workload::SharedState => {
            c.push(("units", k.concurrency.to_string()));
            c.push(("increments", k.n.to_string()));
            c.push(("lock", k.lock.name().into()));
            c.push(("ns/increment", fmt(m("ns_per_increment"), 2)));
            c.push(("wall ms", fmt(m("wall_ms"), 1)));
        }
    }
    c
}

/// Renders the table for the rows of a run.
pub fn render(rows: &[RawRow]) -> String {
    let summary = summarize_rows(rows);
    let mut lines: Vec<Vec<(&'static str, String)>> = Vec::new();
    for s in summary.iter().filter(|s| s.metric == "wall_ms") {
        let mut c = cells(&summary, &s.key);
        c.push(("runs", s.statuses.clone()));
        lines.push(c);
    }
    let Some(first) = lines.first() else {
        return String::new();
    };
    let mut text: Vec<Vec<String>> = vec![first.iter().map(|(h, _)| h.to_string()).collect()];
    text.extend(
        lines
            .into_iter()
            .map(|l| l.into_iter().map(|(_, v)| v).collect()),
    );
    pad_columns(&text, |i| i > 0, &[])
}

/// Columns padded to their widest cell (counted in characters, so `µ` and `×` line up), two
/// spaces apart: right-aligned where `right(column)`, else left; a blank line before each
/// line index in `breaks`.
pub fn pad_columns(
    lines: &[Vec<String>],
    right: impl Fn(usize) -> bool,
    breaks: &[usize],
) -> String {
    let cols = lines.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            lines
                .iter()
                .filter_map(|l| l.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        if breaks.contains(&n) {
            out.push('\n');
        }
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(cell.chars().count()));
            if i > 0 {
                text.push_str("  ");
            }
            if right(i) {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}
