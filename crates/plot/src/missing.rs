//! What a chart says about the points that measured nothing, so a gap is never silent: a
//! note per series naming where and how its points ended, the x positions a line chart marks
//! with a ✗, and the one-line reason other crates print beside a status.

use crate::theme::number;
use tvc_results::{PointKey, Run};

/// A note naming the points of one series that measured nothing, grouped by how they
/// ended, e.g. `rayon: timeout at N = 10k; failed at N = 100k, 1M`, or for a series that
/// measured nothing at all, its status and (for `unsupported`) the reason the run gave.
/// `None` when every point measured.
pub(crate) fn gaps(
    run: &Run,
    label: &str,
    pts: &[&PointKey],
    metric: &str,
    x: fn(&PointKey) -> u64,
    x_name: &str,
) -> Option<String> {
    let missing: Vec<&&PointKey> = pts
        .iter()
        .filter(|p| run.stat(p, metric).is_none())
        .collect();
    if missing.is_empty() {
        return None;
    }
    let statuses: Vec<String> = missing.iter().map(|p| run.statuses(p)).collect();
    if missing.len() == pts.len() && statuses.windows(2).all(|w| w[0] == w[1]) {
        let reason = (statuses[0] == "unsupported")
            .then(|| run.reason(missing[0]))
            .flatten()
            .filter(|r| r.chars().count() <= 150);
        return Some(match reason {
            Some(r) => format!("{label}: {}: {r}", statuses[0]),
            None => format!("{label}: {} (nothing measured)", statuses[0]),
        });
    }
    let mut by_status: Vec<(String, Vec<String>)> = Vec::new();
    for (p, s) in missing.iter().zip(&statuses) {
        let at = number(x(p) as f64);
        match by_status.iter_mut().find(|(k, _)| k == s) {
            Some((_, xs)) => xs.push(at),
            None => by_status.push((s.clone(), vec![at])),
        }
    }
    let parts: Vec<String> = by_status
        .iter()
        .map(|(s, xs)| format!("{s} at {x_name} = {}", xs.join(", ")))
        .collect();
    Some(format!("{label}: {}", parts.join("; ")))
}

/// The points of one series that measured nothing, as (x, status) for the ✗ marks of a
/// line chart. Empty when none measured (the series is not drawn; a note says why).
pub(crate) fn gap_points(
    run: &Run,
    pts: &[&PointKey],
    metric: &str,
    x: fn(&PointKey) -> u64,
) -> Vec<(f64, String)> {
    let missing: Vec<(f64, String)> = pts
        .iter()
        .filter(|p| run.stat(p, metric).is_none())
        .map(|p| (x(p) as f64, run.statuses(p)))
        .collect();
    if missing.len() == pts.len() {
        Vec::new()
    } else {
        missing
    }
}

/// How a point that measured nothing ended, with the run's reason when it is short enough
/// to print (a crash's backtrace is not): `unsupported: rayon has no channel of its own ...`.
pub fn why_not(run: &Run, point: &PointKey) -> String {
    let status = run.statuses(point);
    match run.reason(point) {
        Some(r) if r.chars().count() <= 200 => format!("{status}: {r}"),
        _ => status,
    }
}
