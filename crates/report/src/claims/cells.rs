//! The phrases every claim's wording shares: a median with its interval, in a sentence or a
//! table cell, what a table's brackets mean, and a threshold as a rule prints it. The units
//! themselves (`time_ms`, `mem`, ...) are `tvc_results::format`'s, shared with the charts.

use tvc_results::Stat;

/// A median with its interval, e.g. `16.9 s (93 % CI 16.8 s – 17.0 s)`.
pub fn with_ci(s: &Stat, unit: fn(f64) -> String) -> String {
    if !s.has_interval() {
        return format!("{} (one run, no interval)", unit(s.median));
    }
    let (lo, hi) = (unit(s.ci_low), unit(s.ci_high));
    let level = (s.ci_level * 100.0).floor();
    if lo == hi {
        format!("{} ({level:.0} % CI within the last digit)", unit(s.median))
    } else {
        format!("{} ({level:.0} % CI {lo} – {hi})", unit(s.median))
    }
}

/// A table cell: the median and, when there is one, its interval in brackets, in the unit of
/// the column: `322 (313–331)`.
pub fn cell(s: &Stat, unit: fn(f64) -> String) -> String {
    let m = unit(s.median);
    if !s.has_interval() {
        return m;
    }
    let (lo, hi) = (unit(s.ci_low), unit(s.ci_high));
    if lo == hi {
        m
    } else {
        format!("{m} ({lo}–{hi})")
    }
}

/// What the brackets of a table's cells are, from the intervals in it.
pub fn ci_words(stats: &[Stat]) -> String {
    let with: Vec<&Stat> = stats.iter().filter(|s| s.has_interval()).collect();
    let Some(reps) = with.iter().map(|s| s.measured).max() else {
        return "one run each, so no interval".into();
    };
    let level = with
        .iter()
        .map(|s| s.ci_level)
        .fold(f64::INFINITY, f64::min);
    format!(
        "median of {reps} runs (in brackets: its {:.0} % confidence interval)",
        (level * 100.0).floor()
    )
}

/// "holds" or "does not hold", for the parts of a rule.
pub fn holds(h: bool) -> &'static str {
    if h {
        "holds"
    } else {
        "does not hold"
    }
}

/// A fraction as a rule states it, in whole percent: `73 %`.
pub fn percent(fraction: f64) -> String {
    format!("{:.0} %", fraction * 100.0)
}

/// How an http point treated its connections, as a table header or a statement says it.
pub fn keep_alive(on: bool) -> &'static str {
    if on {
        "keep-alive on"
    } else {
        "keep-alive off"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tvc_results::format::time_ms;
    use tvc_results::summarize;

    #[test]
    fn intervals_read_as_the_runs_allow() {
        let five = summarize(&[100.0, 101.0, 102.0, 103.0, 104.0]).expect("stat");
        assert_eq!(cell(&five, time_ms), "102 ms (100 ms–104 ms)");
        assert_eq!(with_ci(&five, time_ms), "102 ms (93 % CI 100 ms – 104 ms)");
        assert_eq!(
            ci_words(&[five]),
            "median of 5 runs (in brackets: its 93 % confidence interval)"
        );
        let one = summarize(&[16_886.0]).expect("stat");
        assert_eq!(cell(&one, time_ms), "16.89 s");
        assert_eq!(with_ci(&one, time_ms), "16.89 s (one run, no interval)");
        assert_eq!(ci_words(&[one]), "one run each, so no interval");
        assert_eq!(percent(0.73), "73 %");
        assert_eq!(percent(0.1), "10 %");
    }
}
