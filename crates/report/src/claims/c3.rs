//! C3: 1 KB per coroutine, 1 MB per thread. Measured: the bytes each parked unit adds,
//! resident and virtual, as the slope of memory against N, and where threads stopped against
//! the machine's predicted thread limit.

use super::cells::holds;
use super::points::{by_label, is_async, label_is_async};
use super::Claim;
use crate::finding::{Finding, Table, Verdict};
use tvc_core::{registry, Workload};
use tvc_plot::names;
use tvc_results::format::{mem, number, span, thousands};
use tvc_results::{least_squares, PointKey, Run, ThreadLimit};

pub static CLAIM: Claim = Claim {
    id: "C3",
    title: "1 KB per coroutine, 1 MB per thread",
    claim: "A coroutine needs about 1 KB of memory, a thread about 1 MB.",
    article: "~1 KB per coroutine vs ~1 MB per thread",
    experiments: &["memory"],
    rule,
    why: "A Rust coroutine is a state machine in one heap allocation, sized to what it keeps \
          across an await: hundreds of bytes, not a stack. A thread reserves its whole stack \
          (2 MiB by default in Rust) as virtual address space, but the kernel backs only the \
          pages it touches, so its resident cost is a few pages plus kernel structures that RSS \
          does not show; the 1 MB/2 MB is a reservation (a smaller stack, stack=64k, shrinks the \
          virtual size and leaves the resident one as it was). The real ceiling on threads is \
          the machine's limits: every thread needs memory mappings (vm.max_map_count), a \
          process id (kernel.pid_max) and a slot under ulimit -u, and the smallest of these \
          stops them long before memory runs out.",
    charts: &[names::MEMORY],
};

/// Part 1: every async model's resident bytes per unit are under this.
pub const COROUTINE_UNDER: f64 = 10.0 * 1024.0;
/// Part 2: the default thread's resident bytes per unit are at least this.
pub const THREAD_AT_LEAST: f64 = 100.0 * 1024.0;

fn rule() -> String {
    format!(
        "Per-unit cost = slope of bytes against N (fits.csv, or a least-squares fit of \
         raw.csv). Two parts: every async model's resident slope is under {}, and the default \
         thread's resident slope is at least {}. Reproduced if both hold, partly if one does, \
         not reproduced if neither does.",
        mem(COROUTINE_UNDER),
        mem(THREAD_AT_LEAST)
    )
}

/// Where a model's slopes come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A line of fits.csv (the resident one, else the virtual one).
    Fits {
        points: u64,
        n_min: u64,
        n_max: u64,
        r2: Option<f64>,
    },
    /// Fitted here, over the median at each N, for want of a fits.csv line.
    Raw,
}

/// Bytes per parked unit of one model label.
#[derive(Debug, Clone, PartialEq)]
pub struct Slopes {
    pub rss: Option<f64>,
    pub vm: Option<f64>,
    pub source: Source,
}

/// One model label of the memory run.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub label: String,
    pub slopes: Option<Slopes>,
    /// The Ns that measured nothing, grouped by how they ended, in the run's order.
    pub failed: Vec<(String, Vec<u64>)>,
    /// When no N measured anything and nothing was fitted: how the first point ended.
    pub why_not: Option<String>,
}

/// C3's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// In the README's order.
    pub models: Vec<Model>,
    pub limit: Option<ThreadLimit>,
    /// The threads model, any stack: the smallest N it could not park, and how that ended.
    pub threads_stopped: Option<(u64, String)>,
    /// The threads model: the largest N it parked.
    pub threads_parked: Option<u64>,
    /// The largest N an async model parked.
    pub async_parked: Option<u64>,
}

/// The slopes of one label (its points `of_label`): fits.csv's, else a least-squares line
/// through the medians.
fn slopes(run: &Run, label: &str, of_label: &[&PointKey]) -> Option<Slopes> {
    let fit = |metric: &str| run.fit(label, metric).filter(|f| f.slope.is_some());
    let (rss, vm) = (fit("rss_bytes_per_unit"), fit("vm_bytes_per_unit"));
    if let Some(f) = rss.or(vm) {
        return Some(Slopes {
            rss: rss.and_then(|f| f.slope),
            vm: vm.and_then(|f| f.slope),
            source: Source::Fits {
                points: f.points,
                n_min: f.n_min,
                n_max: f.n_max,
                r2: f.r2,
            },
        });
    }
    let line = |col: &str| {
        let xy: Vec<(f64, f64)> = of_label
            .iter()
            .filter_map(|p| Some((p.n as f64, run.stat(p, col)?.median * 1024.0)))
            .collect();
        least_squares(&xy).map(|l| l.slope)
    };
    let (rss, vm) = (line("rss_parked_kib"), line("vm_parked_kib"));
    (rss.is_some() || vm.is_some()).then_some(Slopes {
        rss,
        vm,
        source: Source::Raw,
    })
}

fn parked(run: &Run, p: &PointKey) -> bool {
    run.stat(p, "rss_parked_kib").is_some()
}

pub fn measure(memory: &Run) -> Figures {
    let points = memory.points_of(Workload::Park);
    let models = by_label(&points)
        .into_iter()
        .map(|(label, pts)| {
            let mut failed: Vec<(String, Vec<u64>)> = Vec::new();
            for p in pts.iter().filter(|p| !parked(memory, p)) {
                let status = memory.statuses(p);
                match failed.iter_mut().find(|(s, _)| *s == status) {
                    Some((_, ns)) => ns.push(p.n),
                    None => failed.push((status, vec![p.n])),
                }
            }
            let slopes = slopes(memory, &label, &pts);
            let none_parked = !failed.is_empty() && !pts.iter().any(|p| parked(memory, p));
            let why_not = match pts.first() {
                Some(first) if slopes.is_none() && none_parked => {
                    Some(tvc_plot::why_not(memory, first))
                }
                _ => None,
            };
            Model {
                label,
                slopes,
                failed,
                why_not,
            }
        })
        .collect();
    let threads: Vec<&PointKey> = points
        .iter()
        .copied()
        .filter(|p| p.model == registry::THREADS.name)
        .collect();
    let stopped = threads
        .iter()
        .filter(|p| !parked(memory, p))
        .map(|p| p.n)
        .min();
    Figures {
        models,
        limit: memory.env.thread_limit(),
        threads_stopped: stopped.map(|n| {
            let how = threads
                .iter()
                .find(|p| p.n == n)
                .map(|p| memory.statuses(p));
            (n, how.unwrap_or_default())
        }),
        threads_parked: threads
            .iter()
            .filter(|p| parked(memory, p))
            .map(|p| p.n)
            .max(),
        async_parked: points
            .iter()
            .filter(|p| is_async(p) && parked(memory, p))
            .map(|p| p.n)
            .max(),
    }
}

impl Figures {
    /// Every async model's resident bytes per unit.
    pub fn coroutines(&self) -> Vec<f64> {
        self.models
            .iter()
            .filter(|m| label_is_async(&m.label))
            .filter_map(|m| m.slopes.as_ref()?.rss)
            .collect()
    }

    /// The default thread's slopes (Rust's default stack).
    pub fn thread(&self) -> Option<&Slopes> {
        let thread = self
            .models
            .iter()
            .find(|m| m.label == registry::THREADS.name);
        thread?.slopes.as_ref()
    }

    /// The two parts of the rule, when both sides were measured.
    pub fn parts(&self) -> Option<[bool; 2]> {
        let coroutines = self.coroutines();
        let thread = self.thread()?.rss?;
        (!coroutines.is_empty()).then(|| {
            [
                coroutines.iter().all(|s| *s < COROUTINE_UNDER),
                thread >= THREAD_AT_LEAST,
            ]
        })
    }

    pub fn verdict(&self) -> Verdict {
        self.parts()
            .map_or(Verdict::NotMeasured, |p| Verdict::of_parts(&p))
    }
}

/// C3 from the memory run, when there is one.
pub fn finding(memory: Option<&Run>) -> Finding {
    super::from_run(&CLAIM, memory, measure, word)
}

fn word(f: &Figures) -> Finding {
    let table = table(f);
    let (Some([small, big]), Some(thread)) = (f.parts(), f.thread()) else {
        return Finding::not_measured(&CLAIM, Vec::new()).with_tables(vec![table]);
    };
    let coroutines = f.coroutines();
    let thread_rss = thread.rss.unwrap_or_default();
    let mut evidence = vec![
        format!(
            "part 1, every coroutine under {} resident: {} ({})",
            mem(COROUTINE_UNDER),
            holds(small),
            span(&coroutines, mem)
        ),
        format!(
            "part 2, a thread at least {} resident: {} ({} resident{})",
            mem(THREAD_AT_LEAST),
            holds(big),
            mem(thread_rss),
            thread.vm.map_or(String::new(), |v| format!(
                "; its {} per thread is virtual: the stack reserved, not used",
                mem(v)
            ))
        ),
    ];
    if let Some(l) = &f.limit {
        let binding = l.binding.as_ref().map_or(String::new(), |b| {
            let per = l.mappings_per_thread.map_or(String::new(), |m| {
                format!(", {m} memory mappings per thread")
            });
            format!(", set by {b}{per}")
        });
        evidence.push(format!(
            "this machine's predicted thread limit (env.json): {} threads{binding}",
            thousands(l.predicted)
        ));
    }
    if let Some((n, how)) = &f.threads_stopped {
        let between = match (f.threads_parked, &f.limit) {
            (Some(ok), Some(l)) if ok < l.predicted && l.predicted < *n => format!(
                ": the limit lies between the last N that ran ({}) and this one",
                number(ok as f64)
            ),
            _ => String::new(),
        };
        evidence.push(format!(
            "threads stopped at N = {} ({how}){between}; every coroutine runtime parked {}",
            number(*n as f64),
            f.async_parked.map_or("?".into(), |m| number(m as f64))
        ));
    }
    if let Some(how) = f.limit.as_ref().and_then(|l| l.how_to_raise.as_ref()) {
        evidence.push(format!("to raise the thread limit: `{how}`"));
    }
    let limit_part = f.limit.as_ref().map_or(String::new(), |l| {
        format!(
            "; threads capped near {} on this machine",
            thousands(l.predicted)
        )
    });
    let measured = format!(
        "coroutines {} resident; a thread {} resident, {} virtual{limit_part}",
        span(&coroutines, mem),
        mem(thread_rss),
        thread.vm.map_or("—".into(), mem),
    );
    Finding::new(&CLAIM, f.verdict(), measured, evidence).with_tables(vec![table])
}

fn table(f: &Figures) -> Table {
    let dash = || "—".to_string();
    let rows = f
        .models
        .iter()
        .map(|m| {
            if let Some(why) = &m.why_not {
                return vec![m.label.clone(), dash(), dash(), dash(), why.clone()];
            }
            let s = m.slopes.as_ref();
            let failed: Vec<String> = m
                .failed
                .iter()
                .map(|(status, ns)| {
                    let ns: Vec<String> = ns.iter().map(|n| number(*n as f64)).collect();
                    format!("{status} at N = {}", ns.join(", "))
                })
                .collect();
            vec![
                m.label.clone(),
                s.and_then(|s| s.rss).map_or_else(dash, mem),
                s.and_then(|s| s.vm).map_or_else(dash, mem),
                s.map_or_else(dash, |s| source(&s.source)),
                if failed.is_empty() {
                    dash()
                } else {
                    failed.join("; ")
                },
            ]
        })
        .collect();
    Table {
        caption: "Bytes per parked unit: the slope of a straight line through the memory \
                  measured at each N"
            .into(),
        header: ["model", "resident", "virtual", "fit", "not measured"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

fn source(s: &Source) -> String {
    match s {
        Source::Fits {
            points,
            n_min,
            n_max,
            r2,
        } => format!(
            "fits.csv: {points} points, N = {} … {}, r² {}",
            number(*n_min as f64),
            number(*n_max as f64),
            r2.map_or("?".into(), |r| format!("{r:.3}"))
        ),
        Source::Raw => "fitted here from raw.csv (no fits.csv line)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::run;
    use std::path::Path;

    /// A memory run whose fits.csv holds `fits` (slopes in bytes per unit).
    fn memory(fits: &str) -> Run {
        let raw = "workload,model,variant,n,status,reason,rss_parked_kib\n\
                   park,threads,default,1000,ok,,20000\n\
                   park,threads,default,100000,aborted,killed by SIGABRT,\n\
                   park,tokio,default,1000,ok,,3000\n\
                   park,tokio,default,100000,ok,,40000\n";
        let fits = format!(
            "experiment,model,variant,metric,slope,intercept,r2,points,n_min,n_max\n{fits}"
        );
        let env = r#"{"predicted_thread_limit": {"predicted": 16382,
            "binding": "vm.max_map_count", "mappings_per_thread": 4,
            "how_to_raise": "sysctl -w vm.max_map_count=1048576"}}"#;
        Run::from_texts(Path::new("m"), raw, env, Some(&fits)).expect("valid")
    }

    /// The figures with these resident slopes, in bytes per unit, in fits.csv.
    fn figures(thread_rss: u64, tokio_rss: u64) -> Figures {
        let fits = format!(
            "memory,threads,default,rss_bytes_per_unit,{thread_rss},0,1,3,1,1000\n\
             memory,threads,default,vm_bytes_per_unit,2101248,0,1,3,1,1000\n\
             memory,tokio,default,rss_bytes_per_unit,{tokio_rss},0,1,3,1,1000\n"
        );
        measure(&memory(&fits))
    }

    fn verdict(thread_rss: u64, tokio_rss: u64) -> Verdict {
        figures(thread_rss, tokio_rss).verdict()
    }

    #[test]
    fn coroutines_under_10_kib_and_threads_over_100_kib() {
        assert_eq!(verdict(1_048_576, 400), Verdict::Reproduced);
        assert_eq!(verdict(16_384, 400), Verdict::Partly);
        assert_eq!(verdict(16_384, 51_200), Verdict::NotReproduced);
        assert_eq!(measure(&memory("")).verdict(), Verdict::NotMeasured);
    }

    #[test]
    fn where_threads_stopped_and_what_they_parked() {
        let f = measure(&memory(""));
        assert_eq!(f.threads_stopped, Some((100_000, "aborted".to_string())));
        assert_eq!(
            (f.threads_parked, f.async_parked),
            (Some(1000), Some(100_000))
        );
        assert_eq!(f.limit.map(|l| l.predicted), Some(16_382));
        let threads = &f.models[0];
        assert_eq!(threads.failed, [("aborted".to_string(), vec![100_000])]);
    }

    #[test]
    fn the_words_say_what_is_reserved_and_where_the_limit_is() {
        let f = word(&figures(16_384, 400));
        assert_eq!(f.verdict, Verdict::Partly);
        assert!(f.measured.contains("2 MiB virtual"), "{}", f.measured);
        assert!(f.measured.contains("capped near 16 382"), "{}", f.measured);
        let text = f.evidence.join("\n");
        for expected in [
            "part 1, every coroutine under 10 KiB resident: holds (400 B)",
            "part 2, a thread at least 100 KiB resident: does not hold (16 KiB resident",
            "16 382 threads, set by vm.max_map_count, 4 memory mappings per thread",
            "threads stopped at N = 100k (aborted)",
            "`sysctl -w vm.max_map_count=1048576`",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert_eq!(f.tables[0].rows[0][4], "aborted at N = 100k");
    }

    #[test]
    fn without_a_fit_the_medians_are_fitted_here() {
        let raw = run(
            "workload,model,variant,n,status,rss_parked_kib",
            &[
                "park,threads,default,1,ok,2016",
                "park,threads,default,1000,ok,18000",
                "park,threads,default,10000,ok,162000",
                "park,tokio,default,1,ok,2000",
                "park,tokio,default,1000,ok,2400",
                "park,tokio,default,10000,ok,6000",
            ],
        );
        let f = measure(&raw);
        let thread = f.thread().expect("fitted");
        assert_eq!(thread.source, Source::Raw);
        assert!(
            thread.rss.is_some_and(|s| (s / 1024.0 - 16.0).abs() < 0.5),
            "{thread:?}"
        );
        assert_eq!(f.verdict(), Verdict::Partly);
    }
}
