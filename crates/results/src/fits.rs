//! fits.csv: per model variant and figure of the park workload, the slope of a least-squares
//! line over N, which is the cost of one more unit free of the fixed cost that a single
//! division would smear over N. Fitted once, by the writer; readers take it as written.

use crate::raw::RawRow;
use crate::stats::least_squares;
use std::collections::BTreeMap;
use tvc_core::Workload;

crate::record! {
    /// One line of fits.csv.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct FitRow {
        pub experiment: String,
        pub model: String,
        pub variant: String,
        pub metric: String,
        pub slope: Option<f64>,
        pub intercept: Option<f64>,
        pub r2: Option<f64>,
        pub points: u64,
        pub n_min: u64,
        pub n_max: u64,
    }
}

impl FitRow {
    pub fn label(&self) -> String {
        tvc_core::registry::label(&self.model, &self.variant)
    }
}

/// Reads the per-unit quantity a fit is made of from one park row.
type Per = fn(&RawRow) -> Option<f64>;

/// The fitted figures: each a quantity that grows with the units parked.
pub const FITTED: &[(&str, Per)] = &[
    ("rss_bytes_per_unit", |r| {
        let f = &r.figures;
        Some((f.rss_parked_kib? - f.baseline_rss_kib?) * 1024.0)
    }),
    ("vm_bytes_per_unit", |r| {
        let f = &r.figures;
        Some((f.vm_parked_kib? - f.baseline_vm_kib?) * 1024.0)
    }),
    ("spawn_ns_per_unit", |r| Some(r.figures.spawn_ms? * 1e6)),
    ("create_ns_per_unit", |r| Some(r.figures.created_ms? * 1e6)),
    ("start_ns_per_unit", |r| {
        Some(r.figures.all_started_ms? * 1e6)
    }),
    ("kernel_bytes_per_unit", |r| {
        let f = &r.figures;
        let kib =
            f.kernel_stack_delta_kib? + f.page_tables_delta_kib? + f.slab_unreclaim_delta_kib?;
        Some(kib * 1024.0)
    }),
];

/// Fits every fitted figure against N for every model variant of the park workload, over
/// every measured repetition.
pub fn fits(rows: &[RawRow]) -> Vec<FitRow> {
    let mut groups: BTreeMap<(&str, &str, &str), Vec<&RawRow>> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.key.workload == Workload::Park && r.measured())
    {
        let k = &r.key;
        groups
            .entry((&k.experiment, &k.model, &k.variant))
            .or_default()
            .push(r);
    }
    let mut out = Vec::new();
    for ((experiment, model, variant), group) in groups {
        for (metric, per) in FITTED {
            let xy: Vec<(f64, f64)> = group
                .iter()
                .filter_map(|r| Some((r.key.n as f64, per(r)?)))
                .collect();
            if let Some(line) = least_squares(&xy) {
                out.push(FitRow {
                    experiment: experiment.to_string(),
                    model: model.to_string(),
                    variant: variant.to_string(),
                    metric: metric.to_string(),
                    slope: Some(line.slope),
                    intercept: Some(line.intercept),
                    r2: Some(line.r2),
                    points: xy.len() as u64,
                    n_min: group.iter().map(|r| r.key.n).min().unwrap_or(0),
                    n_max: group.iter().map(|r| r.key.n).max().unwrap_or(0),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::PointKey;
    use crate::raw::Status;

    #[test]
    fn fits_memory_per_unit_from_park_rows() {
        let rows: Vec<RawRow> = [10u64, 100, 1000]
            .iter()
            .map(|&n| {
                let key = PointKey {
                    workload: Workload::Park,
                    model: "tokio".into(),
                    variant: "default".into(),
                    n,
                    ..PointKey::default()
                };
                let mut r = RawRow::new(key, 1, 0, "", String::new());
                r.status = Status::Ok;
                r.figures.baseline_rss_kib = Some(1000.0);
                r.figures.rss_parked_kib = Some(1000.0 + n as f64); // 1 KiB per unit
                r.figures.baseline_vm_kib = Some(5000.0);
                r.figures.vm_parked_kib = Some(5000.0 + 2.0 * n as f64);
                r
            })
            .collect();
        let f = fits(&rows);
        assert_eq!(f.len(), 2);
        assert!((f[0].slope.unwrap() - 1024.0).abs() < 1e-6, "{:?}", f[0]);
        assert!((f[1].slope.unwrap() - 2048.0).abs() < 1e-6);
        assert_eq!((f[0].n_min, f[0].n_max, f[0].points), (10, 1000, 3));
    }
}
