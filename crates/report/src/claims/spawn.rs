//! Beyond the article's claims: what creating a unit costs. Measured by the memory
//! experiment's park runs: per model, the slope over N of the time until the last spawn call
//! returned (creating) and until the last unit ran its first instruction (starting), and how
//! long the first unit waited to run. No verdict: the article says nothing about it.

use super::points::labels_of;
use crate::finding::{Instrument, Table};
use tvc_core::registry::{self, Family};
use tvc_core::Workload;
use tvc_results::format::{ns, sig3, span, time_ms};
use tvc_results::{PointKey, Run};

/// The fitted metrics, as fits.csv names them.
pub const CREATE: &str = "create_ns_per_unit";
pub const START: &str = "start_ns_per_unit";

/// One model's spawn figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Spawn {
    pub label: String,
    pub family: Option<Family>,
    /// Nanoseconds per unit to create, and to start: the fitted slopes, with their r².
    pub create: Option<(f64, f64)>,
    pub start: Option<(f64, f64)>,
    /// From the first spawn to the first instruction of the first unit, at the smallest N
    /// measured (median over the runs), ms.
    pub first_run_ms: Option<f64>,
    /// The N the fits span.
    pub n_range: Option<(u64, u64)>,
    /// At each N measured: the time to create the units over N (median over the runs), ns
    /// per unit. A slope over few points is carried by the largest N; these show where.
    pub per_n: Vec<(u64, f64)>,
}

pub fn measure(memory: &Run) -> Vec<Spawn> {
    let points = memory.points_of(Workload::Park);
    labels_of(&points)
        .into_iter()
        .map(|label| {
            let fit = |metric: &str| {
                let f = memory.fit(&label, metric)?;
                Some((f.slope?, f.r2.unwrap_or(f64::NAN)))
            };
            let smallest: Option<&PointKey> = points
                .iter()
                .copied()
                .filter(|p| p.label() == label)
                .filter(|p| memory.stat(p, "first_run_ms").is_some())
                .min_by_key(|p| p.n);
            let range = memory.fit(&label, START).map(|f| (f.n_min, f.n_max));
            let mut per_n: Vec<(u64, f64)> = points
                .iter()
                .filter(|p| p.label() == label && p.n > 0)
                .filter_map(|p| {
                    Some((p.n, memory.stat(p, "created_ms")?.median * 1e6 / p.n as f64))
                })
                .collect();
            per_n.sort_by_key(|(n, _)| *n);
            Spawn {
                family: registry::family(&label),
                create: fit(CREATE),
                start: fit(START),
                first_run_ms: smallest
                    .and_then(|p| memory.stat(p, "first_run_ms"))
                    .map(|s| s.median),
                n_range: range,
                per_n,
                label,
            }
        })
        .filter(|s| s.create.is_some() || s.start.is_some())
        .collect()
}

/// The section, when the memory run measured any spawn.
pub fn section(memory: Option<&Run>) -> Option<Instrument> {
    let spawns = measure(memory?);
    if spawns.is_empty() {
        return None;
    }
    let mut evidence = Vec::new();
    let of = |family: Family, pick: fn(&Spawn) -> Option<(f64, f64)>| -> Vec<f64> {
        spawns
            .iter()
            .filter(|s| s.family == Some(family))
            .filter_map(|s| pick(s).map(|(slope, _)| slope))
            .collect()
    };
    let families = Family::ALL;
    let words: Vec<String> = families
        .iter()
        .filter_map(|f| {
            let v = of(*f, |s| s.create);
            (!v.is_empty()).then(|| format!("{} {}", f.name(), span(&v, ns)))
        })
        .collect();
    if !words.is_empty() {
        evidence.push(format!(
            "one more unit costs, to create (the slope of the spawn loop's time over N): {}",
            words.join("; ")
        ));
    }
    let (threads, tasks) = (
        of(Family::OsThreads, |s| s.create),
        of(Family::Stackless, |s| s.create),
    );
    if let (Some(t), Some(a)) = (
        threads.iter().copied().reduce(f64::min),
        tasks.iter().copied().reduce(f64::max),
    ) {
        if a > 0.0 {
            evidence.push(format!(
                "the cheapest thread model's unit costs {}× the dearest stackless task's to \
                 create: a thread is a kernel object with a stack to map, a task an allocation",
                sig3(t / a)
            ));
        }
    }
    evidence.push(
        "to create is until the spawner's last spawn call returned; to start is until the last \
         unit ran its first instruction (a runtime may create a task before any worker polls \
         it); both are least-squares slopes over every N each model parked, so a runtime's \
         start-up and the first page faults fall into the intercept; the fit holds over the N \
         it spans (its column), and the time to create over N at each N, beside it, shows \
         whether one large N carries the slope"
            .into(),
    );
    let rows = spawns
        .iter()
        .map(|s| {
            let fit = |f: Option<(f64, f64)>| {
                f.map_or("—".into(), |(slope, r2)| {
                    format!("{} (r² {})", ns(slope), sig3(r2))
                })
            };
            vec![
                s.label.clone(),
                s.family.map_or("—".into(), |f| f.name().to_string()),
                fit(s.create),
                fit(s.start),
                s.first_run_ms.map_or("—".into(), time_ms),
                s.n_range
                    .map_or("—".into(), |(lo, hi)| format!("{lo} – {hi}")),
                s.per_n
                    .iter()
                    .map(|(n, per)| format!("{n}: {}", ns(*per)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    Some(Instrument {
        evidence,
        table: Table {
            caption: "Cost of one more unit, fitted over N (memory experiment's park runs)".into(),
            header: [
                "model",
                "family",
                "to create, per unit",
                "to start, per unit",
                "first unit ran after",
                "N fitted",
                "to create over N, at each N",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::run;

    const HEAD: &str = "workload,model,variant,n,status,created_ms,first_run_ms,all_started_ms";

    #[test]
    fn slopes_per_family_and_the_first_run_at_the_smallest_n() {
        // threads: 40 µs a unit to create and to start; tokio: 500 ns and 1 µs, plus 2 ms of
        // runtime start-up that the fit puts in the intercept.
        let r = run(
            HEAD,
            &[
                "park,threads,default,10,ok,0.4,0.05,0.4",
                "park,threads,default,1000,ok,40,0.05,40",
                "park,tokio,default,10,ok,2.005,0.3,2.01",
                "park,tokio,default,10000,ok,7,0.3,12",
                "park,sequential,default,10,unsupported,,,",
            ],
        );
        let spawns = measure(&r);
        assert_eq!(spawns.len(), 2, "{spawns:?}");
        let threads = &spawns[0];
        assert_eq!(threads.label, "threads");
        let (create, r2) = threads.create.expect("fitted");
        assert!(
            (create - 40_000.0).abs() < 1.0 && r2 > 0.99,
            "{create} {r2}"
        );
        let tokio = &spawns[1];
        assert!((tokio.create.expect("fitted").0 - 500.0).abs() < 1.0);
        assert!((tokio.start.expect("fitted").0 - 1000.0).abs() < 1.0);
        assert_eq!(tokio.first_run_ms, Some(0.3));
        let s = section(Some(&r)).expect("measured");
        let text = s.evidence.join("\n");
        assert!(
            text.contains("OS threads and pools 40 µs; stackless coroutines 500 ns"),
            "{text}"
        );
        assert!(text.contains("costs 80× the dearest"), "{text}");
        assert_eq!(s.table.rows.len(), 2);
        assert_eq!(threads.per_n, [(10, 40_000.0), (1000, 40_000.0)]);
        assert_eq!(s.table.rows[0][6], "10: 40 µs; 1000: 40 µs");
    }
}
