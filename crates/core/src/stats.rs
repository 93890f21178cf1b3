//! Summary statistics over repetitions: the median and a distribution-free confidence
//! interval for it (order statistics of the binomial), which needs no assumption that
//! timings are normal. With few repetitions a 95 % interval is not achievable; the interval
//! is then the full range and its actual coverage is reported instead of pretending.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub count: usize,
    pub median: f64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The interval's actual coverage (0.95 or more when enough repetitions exist).
    pub ci_level: f64,
}

/// Summarises `values`, ignoring NaNs; `None` when nothing is left.
pub fn summarize(values: &[f64]) -> Option<Summary> {
    let mut xs: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    let (lo, hi, level) = median_ci(n, 0.95);
    Some(Summary {
        count: n,
        median: median_sorted(&xs),
        mean: xs.iter().sum::<f64>() / n as f64,
        min: xs[0],
        max: xs[n - 1],
        ci_low: xs[lo],
        ci_high: xs[hi],
        ci_level: level,
    })
}

fn median_sorted(xs: &[f64]) -> f64 {
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// Zero-based indices `(lo, hi)` of the order statistics bounding the median with at least
/// `level` coverage, and that coverage. Falls back to the full range when even it is short.
fn median_ci(n: usize, level: f64) -> (usize, usize, f64) {
    // P(B <= k) for B ~ Binomial(n, 1/2), accumulated term by term.
    let mut cdf = Vec::with_capacity(n + 1);
    let mut term = 0.5f64.powi(n as i32);
    let mut acc = 0.0;
    for k in 0..=n {
        acc += term;
        cdf.push(acc);
        term = term * (n - k) as f64 / (k + 1) as f64;
    }
    // Interval [x_(k), x_(n-k+1)] (one-based) covers the median with 1 - 2 P(B <= k-1).
    let mut best = (0, n - 1, 1.0 - 2.0 * 0.5f64.powi(n as i32));
    for k in 1..=n / 2 {
        let coverage = 1.0 - 2.0 * cdf[k - 1];
        if coverage >= level {
            best = (k - 1, n - k, coverage);
        } else {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(summarize(&[3.0, 1.0, 2.0]).unwrap().median, 2.0);
        assert_eq!(summarize(&[4.0, 1.0, 2.0, 3.0]).unwrap().median, 2.5);
    }

    #[test]
    fn nothing_to_summarize() {
        assert!(summarize(&[]).is_none());
        assert!(summarize(&[f64::NAN]).is_none());
    }

    #[test]
    fn five_repetitions_give_the_full_range_at_93_75_percent() {
        let s = summarize(&[5.0, 1.0, 4.0, 2.0, 3.0]).unwrap();
        assert_eq!((s.ci_low, s.ci_high), (1.0, 5.0));
        assert!((s.ci_level - 0.9375).abs() < 1e-9);
    }

    #[test]
    fn many_repetitions_narrow_the_interval_to_95_percent() {
        let xs: Vec<f64> = (1..=20).map(f64::from).collect();
        let s = summarize(&xs).unwrap();
        // For n = 20 the classic interval is [x_(6), x_(15)] with coverage 95.86 %.
        assert_eq!((s.ci_low, s.ci_high), (6.0, 15.0));
        assert!(s.ci_level >= 0.95 && s.ci_level < 0.97, "{}", s.ci_level);
        assert_eq!(s.mean, 10.5);
        assert_eq!((s.min, s.max), (1.0, 20.0));
    }

    #[test]
    fn one_value_has_no_interval() {
        let s = summarize(&[7.0]).unwrap();
        assert_eq!((s.ci_low, s.median, s.ci_high), (7.0, 7.0, 7.0));
        assert_eq!(s.ci_level, 0.0);
    }
}
