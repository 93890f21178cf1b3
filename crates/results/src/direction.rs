//! What each figure is measured in and which way is better, so that a comparison of two runs
//! can say `faster` for a time, `smaller` for memory and `higher` for a throughput without a
//! list of its own. The unit is the column name's suffix (the results files put units in
//! column names); the direction is one line per figure here, and a test keeps this table and
//! [`Figures::NAMES`](crate::Figures) in step.

use crate::format;

/// Which way a figure is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
    /// A description, not a score (threads alive, a timing error that may be either sign).
    Neither,
}

/// The kinds of figure, each with its direction and the words for "NEW is below BASE" and
/// "NEW is above BASE".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Elapsed time or latency: lower is better.
    Time,
    /// CPU time spent: lower is better.
    Cpu,
    /// Memory: lower is better.
    Memory,
    /// Things done per second: higher is better.
    Rate,
    /// A count of something bad (errors, context switches).
    Bad,
    /// A count of something good (requests served).
    Good,
    /// A count that describes the setup (threads alive, requests in flight).
    Tally,
    /// A signed error of the harness's own (served minus asked delay).
    Offset,
}

impl Kind {
    pub fn better(self) -> Better {
        match self {
            Kind::Time | Kind::Cpu | Kind::Memory | Kind::Bad => Better::Lower,
            Kind::Rate | Kind::Good => Better::Higher,
            Kind::Tally | Kind::Offset => Better::Neither,
        }
    }

    /// The words for NEW below BASE and NEW above BASE.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Kind::Time => ("faster", "slower"),
            Kind::Cpu => ("less", "more"),
            Kind::Memory => ("smaller", "larger"),
            Kind::Rate | Kind::Offset => ("lower", "higher"),
            Kind::Bad | Kind::Good | Kind::Tally => ("fewer", "more"),
        }
    }
}

/// Every figure's kind: one line per figure of [`crate::Figures`].
const KINDS: &[(&str, Kind)] = &[
    ("wall_ms", Kind::Time),
    ("throughput_per_s", Kind::Rate),
    ("achieved_rate_per_s", Kind::Rate),
    ("requests_ok", Kind::Good),
    ("requests_unsent", Kind::Bad),
    ("errors", Kind::Bad),
    ("mean_ms", Kind::Time),
    ("p50_ms", Kind::Time),
    ("p90_ms", Kind::Time),
    ("p99_ms", Kind::Time),
    ("p999_ms", Kind::Time),
    ("p9999_ms", Kind::Time),
    ("max_ms", Kind::Time),
    ("p50_uncorrected_ms", Kind::Time),
    ("p99_uncorrected_ms", Kind::Time),
    ("max_uncorrected_ms", Kind::Time),
    ("overhead_p50_ms", Kind::Time),
    ("overhead_p99_ms", Kind::Time),
    ("server_error_p50_ms", Kind::Offset),
    ("server_error_p99_ms", Kind::Offset),
    ("peak_rss_kib", Kind::Memory),
    ("vm_peak_kib", Kind::Memory),
    ("user_ms", Kind::Cpu),
    ("sys_ms", Kind::Cpu),
    ("vol_ctx_switches", Kind::Bad),
    ("invol_ctx_switches", Kind::Bad),
    ("threads", Kind::Tally),
    ("workers", Kind::Tally),
    ("in_flight", Kind::Tally),
    ("spawn_ms", Kind::Time),
    ("created_ms", Kind::Time),
    ("first_run_ms", Kind::Time),
    ("all_started_ms", Kind::Time),
    ("baseline_rss_kib", Kind::Memory),
    ("baseline_vm_kib", Kind::Memory),
    ("rss_parked_kib", Kind::Memory),
    ("vm_parked_kib", Kind::Memory),
    ("kernel_stack_delta_kib", Kind::Memory),
    ("page_tables_delta_kib", Kind::Memory),
    ("slab_unreclaim_delta_kib", Kind::Memory),
    ("ns_per_switch", Kind::Time),
    ("ns_per_switch_min", Kind::Time),
    ("ns_per_switch_max", Kind::Time),
    ("ns_per_increment", Kind::Time),
    ("lost_updates", Kind::Bad),
];

/// The kind of a figure of [`crate::Figures`]; `None` for a name this version does not know.
pub fn kind(figure: &str) -> Option<Kind> {
    KINDS.iter().find(|(n, _)| *n == figure).map(|(_, k)| *k)
}

/// The unit of a column, from its name: `(stem, unit)` as in `("wall", "ms")`,
/// `("throughput", "per_s")`, `("switch", "ns_per")`; `None` for a column without a unit
/// (a count, a name). Two columns with one stem and different units are the same quantity
/// in different units.
pub fn unit(column: &str) -> Option<(&str, &str)> {
    const PREFIXES: [&str; 4] = ["ns_per_", "us_per_", "ms_per_", "s_per_"];
    const SUFFIXES: [&str; 13] = [
        "_per_s", "_per_ms", "_per_min", "_ms", "_us", "_ns", "_s", "_kib", "_mib", "_gib", "_kb",
        "_mb", "_bytes",
    ];
    for p in PREFIXES {
        if let Some(stem) = column.strip_prefix(p).filter(|s| !s.is_empty()) {
            return Some((stem, &p[..p.len() - 1]));
        }
    }
    for s in SUFFIXES {
        if let Some(stem) = column.strip_suffix(s).filter(|s| !s.is_empty()) {
            return Some((stem, &s[1..]));
        }
    }
    None
}

/// A figure's value for a reader, in the unit its column names: `16.89 s`, `9.57 MiB`,
/// `812 ns`, `11.8/s`, `3`.
pub fn show(figure: &str, v: f64) -> String {
    match unit(figure).map(|(_, u)| u) {
        Some("ms") => format::time_ms(v),
        Some("ns_per") => format::ns(v),
        Some("kib") => format::mem(v * 1024.0),
        Some("per_s") => format!("{}/s", format::number(v)),
        _ => format::number(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::header;
    use crate::{Figures, RawRow, SummaryRow};
    use std::collections::HashMap;

    #[test]
    fn every_figure_has_a_kind_and_the_table_names_no_other() {
        for name in Figures::NAMES {
            assert!(kind(name).is_some(), "{name} has no kind: add it to KINDS");
        }
        for (name, _) in KINDS {
            assert!(Figures::NAMES.contains(name), "{name} is not a figure");
        }
    }

    #[test]
    fn units_come_from_column_names() {
        assert_eq!(unit("wall_ms"), Some(("wall", "ms")));
        assert_eq!(unit("wall_s"), Some(("wall", "s")));
        assert_eq!(unit("throughput_per_s"), Some(("throughput", "per_s")));
        assert_eq!(unit("ns_per_switch"), Some(("switch", "ns_per")));
        assert_eq!(unit("peak_rss_kib"), Some(("peak_rss", "kib")));
        assert_eq!(unit("errors"), None);
        assert_eq!(unit("vol_ctx_switches"), None);
        assert_eq!(show("wall_ms", 16_886.0), "16.89 s");
        assert_eq!(show("peak_rss_kib", 2048.0), "2 MiB");
        assert_eq!(show("throughput_per_s", 11.84), "11.8/s");
        assert_eq!(show("ns_per_switch", 812.4), "812 ns");
    }

    /// The unit check of a comparison relies on it: within one version's files, no two
    /// columns are one quantity in two units.
    #[test]
    fn no_two_columns_of_this_version_share_a_stem() {
        let mut stems: HashMap<&str, &str> = HashMap::new();
        let mut columns = header::<RawRow>();
        columns.extend(header::<SummaryRow>());
        columns.sort();
        columns.dedup();
        for c in columns {
            if let Some((stem, _)) = unit(c) {
                if let Some(other) = stems.insert(stem, c) {
                    panic!("{c} and {other} share the stem {stem}");
                }
            }
        }
    }

    #[test]
    fn words_follow_the_direction() {
        assert_eq!(kind("wall_ms").map(Kind::words), Some(("faster", "slower")));
        assert_eq!(kind("peak_rss_kib").map(Kind::better), Some(Better::Lower));
        assert_eq!(
            kind("throughput_per_s").map(Kind::better),
            Some(Better::Higher)
        );
        assert_eq!(kind("threads").map(Kind::better), Some(Better::Neither));
    }
}
