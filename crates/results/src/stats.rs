//! The one statistics module: the median over repetitions with a distribution-free
//! confidence interval for it (order statistics of the binomial), which needs no assumption
//! that timings are normal, and the least-squares line that turns memory against N into
//! bytes per unit. With few repetitions a 95 % interval is not achievable; the interval is
//! then the full range and its actual coverage is reported instead of pretending.

/// The median of one figure of one point over its repetitions, with its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    /// Repetitions that measured this figure.
    pub measured: usize,
    pub median: f64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The interval's actual coverage (0.95 or more when enough repetitions exist; 0.9375
    /// for five; 0 for one).
    pub ci_level: f64,
}

impl Stat {
    /// The same statistic with every value multiplied by `k` (unit changes).
    pub fn scaled(self, k: f64) -> Stat {
        Stat {
            median: self.median * k,
            mean: self.mean * k,
            min: self.min * k,
            max: self.max * k,
            ci_low: self.ci_low * k,
            ci_high: self.ci_high * k,
            ..self
        }
    }

    /// True when the interval says more than the median alone (two or more repetitions).
    pub fn has_interval(&self) -> bool {
        self.measured > 1
    }

    /// True when this figure is clearly below `other`: both have an interval (two or more
    /// repetitions) and the top of this one lies below the bottom of `other`'s. One
    /// repetition a side says nothing either way.
    pub fn clearly_below(&self, other: &Stat) -> bool {
        self.has_interval() && other.has_interval() && self.ci_high < other.ci_low
    }

    /// The ratio `self / base`, with a conservative interval: the ratio of the opposite ends
    /// of the two intervals.
    pub fn ratio(self, base: Stat) -> Stat {
        Stat {
            measured: self.measured.min(base.measured),
            median: self.median / base.median,
            mean: self.mean / base.mean,
            min: self.min / base.max,
            max: self.max / base.min,
            ci_low: self.ci_low / base.ci_high,
            ci_high: self.ci_high / base.ci_low,
            ci_level: self.ci_level.min(base.ci_level),
        }
    }
}

/// Speedup of `model` over `sequential` (their wall times), with a conservative interval.
pub fn speedup(sequential: Stat, model: Stat) -> Stat {
    sequential.ratio(model)
}

/// Summarises `values`, ignoring NaNs and infinities; `None` when nothing is left.
pub fn summarize(values: &[f64]) -> Option<Stat> {
    let mut xs: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    let (lo, hi, level) = median_ci(n, 0.95);
    Some(Stat {
        measured: n,
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

/// The chance that two sets of repetitions of one and the same thing, `m` and `n` values,
/// get median intervals (as [`summarize`] makes them) that do not overlap: how often a
/// comparison would call a difference that is not there. It assumes only that the values
/// are exchangeable (no ties); with two repetitions a side it is 1/3, with five 1/126.
pub fn chance_apart(m: usize, n: usize) -> f64 {
    if m == 0 || n == 0 {
        return 0.0;
    }
    let (a_lo, a_hi, _) = median_ci(m, 0.95);
    let (b_lo, b_hi, _) = median_ci(n, 0.95);
    // B's interval ends (rank b_hi + 1) below A's starts (rank a_lo + 1), and the mirror.
    below(n, b_hi + 1, m, a_lo + 1) + below(m, a_hi + 1, n, b_lo + 1)
}

/// P(the `d`-th smallest of `n` values lies below the `a`-th smallest of `m` others), all
/// `m + n` exchangeable: among the first `d + a - 1` of the merged order, at least `d` are
/// of the `n`.
fn below(n: usize, d: usize, m: usize, a: usize) -> f64 {
    let first = d + a - 1;
    (d..=n.min(first))
        .map(|k| choose(first, k) * choose(m + n - first, n - k))
        .sum::<f64>()
        / choose(m + n, n)
}

fn choose(n: usize, k: usize) -> f64 {
    if k > n {
        return 0.0;
    }
    (0..k.min(n - k)).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// A straight line `y = slope · x + intercept` fitted by least squares, with its r².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub slope: f64,
    pub intercept: f64,
    pub r2: f64,
}

/// The least-squares line through `xy`; `None` without two distinct x values.
pub fn least_squares(xy: &[(f64, f64)]) -> Option<Line> {
    let n = xy.len() as f64;
    let mx = xy.iter().map(|p| p.0).sum::<f64>() / n;
    let my = xy.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xy.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if xy.len() < 2 || sxx == 0.0 {
        return None;
    }
    let sxy: f64 = xy.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let syy: f64 = xy.iter().map(|p| (p.1 - my).powi(2)).sum();
    let slope = sxy / sxx;
    let r2 = if syy == 0.0 {
        1.0
    } else {
        sxy * sxy / (sxx * syy)
    };
    Some(Line {
        slope,
        intercept: my - slope * mx,
        r2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearly_below_needs_an_interval_on_both_sides() {
        let low = summarize(&[1.0, 1.1, 1.2, 1.0, 1.1]).unwrap();
        let high = summarize(&[2.0, 2.1, 2.2, 2.0, 2.1]).unwrap();
        assert!(low.clearly_below(&high) && !high.clearly_below(&low));
        // One repetition: its interval is its one value, which says nothing either way.
        let one = summarize(&[0.5]).unwrap();
        assert!(!one.clearly_below(&high) && !low.clearly_below(&summarize(&[9.0]).unwrap()));
        // Overlapping intervals: neither.
        let mid = summarize(&[1.1, 1.5, 2.05]).unwrap();
        assert!(!low.clearly_below(&mid) && !mid.clearly_below(&high));
    }

    #[test]
    fn least_squares_recovers_a_line() {
        let xy: Vec<(f64, f64)> = (1..=5).map(|x| (x as f64, 3.0 * x as f64 + 7.0)).collect();
        let l = least_squares(&xy).unwrap();
        assert!((l.slope - 3.0).abs() < 1e-9 && (l.intercept - 7.0).abs() < 1e-9);
        assert!((l.r2 - 1.0).abs() < 1e-9);
        assert!(least_squares(&[(1.0, 2.0), (1.0, 3.0)]).is_none());
    }

    #[test]
    fn a_speedup_takes_the_opposite_ends_of_the_intervals() {
        let seq = summarize(&[90.0, 100.0, 110.0]).unwrap();
        let model = summarize(&[45.0, 50.0, 55.0]).unwrap();
        let s = speedup(seq, model);
        assert_eq!(s.median, 2.0);
        assert!((s.ci_low - 90.0 / 55.0).abs() < 1e-12);
        assert!((s.ci_high - 110.0 / 45.0).abs() < 1e-12);
    }

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
    fn intervals_of_one_thing_fall_apart_by_chance_as_counted() {
        // Ranges of 2 and 2 values: all of one below all of the other, 2 orders in 6.
        assert!((chance_apart(2, 2) - 1.0 / 3.0).abs() < 1e-12);
        assert!((chance_apart(5, 5) - 2.0 / 252.0).abs() < 1e-12);
        assert!((chance_apart(2, 5) - 2.0 / 21.0).abs() < 1e-12);
        assert!((chance_apart(5, 2) - 2.0 / 21.0).abs() < 1e-12);
        // With inner order statistics (20 values: ranks 6 and 15) it stays small.
        assert!(chance_apart(20, 20) < 0.01, "{}", chance_apart(20, 20));
        assert_eq!(chance_apart(0, 3), 0.0);
    }

    /// The count against a simulation: shuffles of m + n ranks, intervals by `summarize`.
    #[test]
    fn the_chance_matches_shuffled_ranks() {
        let (m, n) = (7, 4);
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let trials = 20_000;
        let mut apart = 0;
        for _ in 0..trials {
            let mut ranks: Vec<f64> = (0..m + n).map(|i| i as f64).collect();
            for i in (1..ranks.len()).rev() {
                ranks.swap(i, (next() % (i as u64 + 1)) as usize);
            }
            let (a, b) = (
                summarize(&ranks[..m]).unwrap(),
                summarize(&ranks[m..]).unwrap(),
            );
            if a.ci_high < b.ci_low || b.ci_high < a.ci_low {
                apart += 1;
            }
        }
        let seen = apart as f64 / trials as f64;
        assert!(
            (seen - chance_apart(m, n)).abs() < 0.01,
            "{seen} vs {}",
            chance_apart(m, n)
        );
    }

    #[test]
    fn one_value_has_no_interval() {
        let s = summarize(&[7.0]).unwrap();
        assert_eq!((s.ci_low, s.median, s.ci_high), (7.0, 7.0, 7.0));
        assert_eq!(s.ci_level, 0.0);
    }
}
