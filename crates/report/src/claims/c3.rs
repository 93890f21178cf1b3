//! C3: 1 KB per coroutine, 1 MB per thread. Measured: the bytes each parked unit adds, as
//! the slope of memory against N (fits.csv): resident (RSS), the kernel's own memory for it
//! (kernel stack, page tables, unreclaimable slab, which RSS does not show) and virtual;
//! per family (OS threads, stackful coroutines, stackless futures); and where threads
//! stopped against the machine's predicted thread limit.

use super::cells::holds;
use super::points::{by_label, is_async, threads_label};
use super::Claim;
use crate::finding::{Finding, Table, Verdict};
use tvc_core::registry::Language;
use tvc_core::{registry, Family, Workload};
use tvc_plot::names;
use tvc_results::format::{mem, number, span, thousands};
use tvc_results::{FitRow, PointKey, Run, ThreadLimit};

pub static CLAIM: Claim = Claim {
    id: "C3",
    title: "1 KB per coroutine, 1 MB per thread",
    claim: "A coroutine needs about 1 KB of memory, a thread about 1 MB.",
    article: "~1 KB per coroutine vs ~1 MB per thread",
    experiments: &["memory"],
    rule,
    due_rule: None,
    why: "A Rust future (a stackless coroutine) is a state machine in one heap allocation, \
          sized to what it keeps across an await: hundreds of bytes, not a stack. A stackful \
          coroutine has a stack of its own, and a thread has one too (2 MiB by default in \
          Rust) plus a kernel stack and kernel objects; both reserve their stack as virtual \
          address space, but the kernel backs only the pages they touch, so the resident cost \
          is a few pages, and the 1 MB/2 MB is a reservation (a smaller stack shrinks the \
          virtual size and leaves the resident one as it was). What RSS leaves out for a \
          thread is what the kernel holds for it: a 16 KiB kernel stack, its task and other \
          slab objects, page tables. The real ceiling on threads is the machine's limits: \
          every thread needs memory mappings (vm.max_map_count), a process id \
          (kernel.pid_max) and a slot under ulimit -u, and the smallest of these stops them \
          long before memory runs out.",
    languages: &[
        (
            Language::Python,
            "A Rust future holds only the variables it keeps across an await, allocated once; a \
             Python task is a Task object, a coroutine frame and the future it waits on, all heap \
             objects of the interpreter. A thread costs about the same in both (the kernel's \
             stack and task structures, a few touched stack pages), plus CPython's own thread \
             state.",
        ),
        (
            Language::Go,
            "A goroutine starts on a small stack of its own (2 KiB in Go's runtime, more when the \
             program's goroutines have needed more), copied to a bigger one as it grows, plus the \
             runtime's bookkeeping; a Rust future is sized exactly when it is compiled. A \
             goroutine locked to its OS thread costs that thread: the kernel's task and the stack \
             pages it touched, with Go's own small system and signal stacks in place of a C \
             thread's 8 MiB reservation.",
        ),
        (
            Language::Java,
            "A parked virtual thread is a continuation: its frames copied into an object on the \
             JVM's heap, larger the deeper it waits, where a Rust future holds only the variables \
             it keeps across an await. A platform thread is an OS thread with the JVM's stack \
             reservation (1 MiB by default) and the JVM's own per-thread structures on top.",
        ),
    ],
    charts: &[names::MEMORY],
};

/// Part 1: every async model's bytes per unit (resident + kernel) are under this.
pub const COROUTINE_UNDER: f64 = 10.0 * 1024.0;
/// Part 2: the default thread's bytes per unit (resident + kernel) are at least this.
pub const THREAD_AT_LEAST: f64 = 100.0 * 1024.0;

fn rule() -> String {
    format!(
        "Per-unit cost = the slope of bytes against N (fits.csv), resident plus what the \
         kernel holds for the unit (its change in kernel stacks, page tables and unreclaimable \
         slab, /proc/meminfo; resident alone for runs that did not record it). Two parts: \
         every async model's cost is under {}, and the default thread's is at least {}. \
         Reproduced if both hold, partly if one does, not reproduced if neither does.",
        mem(COROUTINE_UNDER),
        mem(THREAD_AT_LEAST)
    )
}

/// A per-unit figure: the slope of a line over N, and how well the line fits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slope {
    pub bytes: f64,
    pub r2: Option<f64>,
    pub points: u64,
    pub n_min: u64,
    pub n_max: u64,
}

impl Slope {
    fn of(f: &FitRow) -> Option<Slope> {
        Some(Slope {
            bytes: f.slope?,
            r2: f.r2,
            points: f.points,
            n_min: f.n_min,
            n_max: f.n_max,
        })
    }
}

/// Bytes per parked unit of one model label (what creating one costs is in `spawn.rs`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slopes {
    pub rss: Option<Slope>,
    pub kernel: Option<Slope>,
    pub vm: Option<Slope>,
}

impl Slopes {
    /// Resident plus kernel bytes per unit (resident alone without a kernel figure).
    pub fn total(&self) -> Option<f64> {
        Some(self.rss?.bytes + self.kernel.map_or(0.0, |k| k.bytes))
    }
}

/// One model label of the memory run.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub label: String,
    pub family: Option<Family>,
    pub slopes: Slopes,
    /// The Ns that measured nothing, grouped by how they ended, in the run's order.
    pub failed: Vec<(String, Vec<u64>)>,
    /// When no N measured anything: how the first point ended.
    pub why_not: Option<String>,
}

/// C3's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// In the README's order.
    pub models: Vec<Model>,
    /// The label of the language's threads model (`threads`, `python:threads`).
    pub threads_label: Option<String>,
    pub limit: Option<ThreadLimit>,
    /// The threads model, any stack: the smallest N it could not park, and how that ended.
    pub threads_stopped: Option<(u64, String)>,
    /// The threads model: the largest N it parked.
    pub threads_parked: Option<u64>,
    /// The largest N an async model parked.
    pub async_parked: Option<u64>,
    /// The stackful coroutines, any stack: the smallest N they could not park, with the
    /// reason their rows give, and the largest they parked.
    pub stackful_stopped: Option<(u64, String)>,
    pub stackful_parked: Option<u64>,
    /// The machine's predicted limit on stackful coroutines (env.json), and what sets it.
    pub coroutine_limit: Option<(u64, String)>,
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
            let fit = |metric: &str| memory.fit(&label, metric).and_then(Slope::of);
            let slopes = Slopes {
                rss: fit("rss_bytes_per_unit"),
                kernel: fit("kernel_bytes_per_unit"),
                vm: fit("vm_bytes_per_unit"),
            };
            let none_parked = !pts.iter().any(|p| parked(memory, p));
            let why_not = match pts.first() {
                Some(first) if none_parked => Some(tvc_plot::why_not(memory, first)),
                _ => None,
            };
            Model {
                family: registry::family(&label),
                label,
                slopes,
                failed,
                why_not,
            }
        })
        .collect();
    let threads_label = threads_label(&points);
    let threads: Vec<&PointKey> = points
        .iter()
        .copied()
        .filter(|p| Some(p.label()) == threads_label)
        .collect();
    let threads_label = threads_label.clone();
    let stopped = threads
        .iter()
        .filter(|p| !parked(memory, p))
        .map(|p| p.n)
        .min();
    let stackful: Vec<&PointKey> = points
        .iter()
        .copied()
        .filter(|p| p.family() == Some(Family::Stackful))
        .collect();
    let stackful_stopped = stackful
        .iter()
        .filter(|p| !parked(memory, p))
        .min_by_key(|p| p.n)
        .map(|p| {
            // The whole reason, however long: it names the limit that stopped them.
            let how = match memory.reason(p) {
                Some(r) => format!("{}: {r}", memory.statuses(p)),
                None => memory.statuses(p),
            };
            (p.n, how)
        });
    let coroutine_limit = memory.env.get("predicted_coroutine_limit").and_then(|v| {
        let predicted = v.get("predicted")?.as_u64()?;
        let per = v.get("mappings_per_coroutine").and_then(|m| m.as_u64());
        let max = v.get("max_map_count").and_then(|m| m.as_u64());
        let why = match (max, per) {
            (Some(max), Some(per)) => format!(
                "vm.max_map_count ({}) over {per} memory mappings per coroutine",
                thousands(max)
            ),
            _ => "vm.max_map_count".to_string(),
        };
        Some((predicted, why))
    });
    Figures {
        models,
        threads_label,
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
        stackful_parked: stackful
            .iter()
            .filter(|p| parked(memory, p))
            .map(|p| p.n)
            .max(),
        stackful_stopped,
        coroutine_limit,
    }
}

impl Figures {
    /// The models of one family that measured a cost per unit.
    fn of_family(&self, family: Family) -> impl Iterator<Item = &Model> {
        self.models
            .iter()
            .filter(move |m| m.family == Some(family) && m.slopes.total().is_some())
    }

    /// The coroutine models (every coroutine family) that measured a cost per unit.
    fn coroutine_models(&self) -> impl Iterator<Item = &Model> {
        let families = Family::ALL.into_iter().filter(|f| f.is_coroutine());
        families.flat_map(|f| self.of_family(f))
    }

    /// Every async model's resident + kernel bytes per unit.
    pub fn coroutines(&self) -> Vec<f64> {
        self.coroutine_models()
            .filter_map(|m| m.slopes.total())
            .collect()
    }

    /// The default thread's slopes (Rust's default stack).
    pub fn thread(&self) -> Option<&Slopes> {
        self.models
            .iter()
            .find(|m| Some(&m.label) == self.threads_label.as_ref() && m.slopes.rss.is_some())
            .map(|m| &m.slopes)
    }

    /// Whether the kernel's share was measured for every model that counts in the rule.
    pub fn kernel_counted(&self) -> bool {
        self.coroutine_models()
            .map(|m| &m.slopes)
            .chain(self.thread())
            .all(|s| s.kernel.is_some())
    }

    /// The two parts of the rule, when both sides were measured.
    pub fn parts(&self) -> Option<[bool; 2]> {
        let coroutines = self.coroutines();
        let thread = self.thread()?.total()?;
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

/// `9.57 KiB resident + 27.3 KiB kernel`, or the resident alone.
fn cost(s: &Slopes) -> String {
    let rss = s.rss.map_or("—".into(), |r| mem(r.bytes));
    match s.kernel {
        Some(k) => format!("{rss} resident + {} kernel", mem(k.bytes)),
        None => format!("{rss} resident"),
    }
}

fn word(f: &Figures) -> Finding {
    let table = table(f);
    let (Some([small, big]), Some(thread)) = (f.parts(), f.thread()) else {
        return Finding::not_measured(&CLAIM, Vec::new()).with_tables(vec![table]);
    };
    let coroutines = f.coroutines();
    let what = if f.kernel_counted() {
        "resident + kernel"
    } else {
        "resident (no kernel figure in this run)"
    };
    let mut evidence = vec![
        format!(
            "part 1, every async model under {} per unit, {what}: {} ({})",
            mem(COROUTINE_UNDER),
            holds(small),
            span(&coroutines, mem)
        ),
        format!(
            "part 2, a thread at least {} per unit, {what}: {} ({}{})",
            mem(THREAD_AT_LEAST),
            holds(big),
            cost(thread),
            thread.vm.map_or(String::new(), |v| format!(
                "; its {} per thread is virtual: the stack reserved, not used",
                mem(v.bytes)
            ))
        ),
    ];
    for family in Family::ALL {
        let members: Vec<String> = f
            .of_family(family)
            .map(|m| format!("{} {}", m.label, cost(&m.slopes)))
            .collect();
        if !members.is_empty() {
            evidence.push(format!("{}: {}", family.name(), members.join("; ")));
        }
    }
    if let Some(k) = thread.kernel {
        evidence.push(format!(
            "the kernel's share is machine-wide (/proc/meminfo) and read while the machine was \
             otherwise idle; the thread's line fits with r² {} over {} points. Not counted \
             anywhere: the allocator's free lists and the runtime's own bookkeeping beyond \
             the units",
            k.r2.map_or("?".into(), |r| format!("{r:.3}")),
            k.points
        ));
    }
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
            "threads stopped at N = {} ({how}){between}; the coroutines parked up to {}",
            number(*n as f64),
            f.async_parked.map_or("?".into(), |m| number(m as f64))
        ));
    }
    if let Some((n, why)) = &f.stackful_stopped {
        let said = why.contains("max_map_count");
        let limit = f.coroutine_limit.as_ref().filter(|_| !said);
        let limit = limit.map_or(String::new(), |(l, set)| {
            format!(
                "; this machine's predicted limit (env.json) is {} coroutines, set by {set}",
                thousands(*l)
            )
        });
        evidence.push(format!(
            "stackful coroutines parked up to N = {} and stopped at N = {}: {why}{limit}",
            f.stackful_parked.map_or("?".into(), |m| number(m as f64)),
            number(*n as f64)
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
        "coroutines {} ({what}); a thread {}, {} virtual{limit_part}",
        span(&coroutines, mem),
        cost(thread),
        thread.vm.map_or("—".into(), |v| mem(v.bytes)),
    );
    Finding::new(&CLAIM, f.verdict(), measured, evidence).with_tables(vec![table])
}

fn table(f: &Figures) -> Table {
    let dash = || "—".to_string();
    let bytes = |s: Option<Slope>| s.map_or_else(dash, |s| mem(s.bytes));
    let rows = f
        .models
        .iter()
        .map(|m| {
            let family = m.family.map_or_else(dash, |f| f.name().to_string());
            if let Some(why) = &m.why_not {
                let mut row = vec![m.label.clone(), family];
                row.extend(std::iter::repeat_n(dash(), 5));
                row.push(why.clone());
                return row;
            }
            let s = &m.slopes;
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
                family,
                bytes(s.rss),
                bytes(s.kernel),
                s.total().map_or_else(dash, mem),
                bytes(s.vm),
                s.rss.map_or_else(dash, fit),
                if failed.is_empty() {
                    dash()
                } else {
                    failed.join("; ")
                },
            ]
        })
        .collect();
    Table {
        caption: "Per parked unit: the slope of a straight line through what was measured at \
                  each N (fits.csv); kernel = kernel stacks, page tables and unreclaimable slab \
                  (/proc/meminfo)"
            .into(),
        header: [
            "model",
            "family",
            "resident",
            "kernel",
            "resident + kernel",
            "virtual",
            "fit (resident)",
            "not measured",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

fn fit(s: Slope) -> String {
    format!(
        "{} points, N = {} … {}, r² {}",
        s.points,
        number(s.n_min as f64),
        number(s.n_max as f64),
        s.r2.map_or("?".into(), |r| format!("{r:.3}"))
    )
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

    /// The figures with these resident and kernel slopes, in bytes per unit, in fits.csv.
    fn figures(thread: (u64, u64), tokio: (u64, u64)) -> Figures {
        let fits = format!(
            "memory,threads,default,rss_bytes_per_unit,{},0,1,3,1,1000\n\
             memory,threads,default,kernel_bytes_per_unit,{},0,0.99,3,1,1000\n\
             memory,threads,default,vm_bytes_per_unit,2101248,0,1,3,1,1000\n\
             memory,tokio,default,rss_bytes_per_unit,{},0,1,3,1,1000\n\
             memory,tokio,default,kernel_bytes_per_unit,{},0,0.2,3,1,1000\n",
            thread.0, thread.1, tokio.0, tokio.1
        );
        measure(&memory(&fits))
    }

    fn verdict(thread: (u64, u64), tokio: (u64, u64)) -> Verdict {
        figures(thread, tokio).verdict()
    }

    #[test]
    fn coroutines_under_10_kib_and_threads_over_100_kib_kernel_included() {
        assert_eq!(verdict((1_048_576, 0), (400, 0)), Verdict::Reproduced);
        assert_eq!(verdict((16_384, 28_000), (400, 2)), Verdict::Partly);
        // The kernel's share tips a thread over the line that its RSS alone stays under.
        assert_eq!(verdict((80_000, 28_000), (400, 2)), Verdict::Reproduced);
        assert_eq!(verdict((16_384, 0), (51_200, 0)), Verdict::NotReproduced);
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
    fn the_words_say_what_is_reserved_what_the_kernel_holds_and_where_the_limit_is() {
        let f = word(&figures((16_384, 28_000), (400, 2)));
        assert_eq!(f.verdict, Verdict::Partly);
        assert!(
            f.measured
                .contains("16 KiB resident + 27.3 KiB kernel, 2 MiB virtual"),
            "{}",
            f.measured
        );
        assert!(f.measured.contains("capped near 16 382"), "{}", f.measured);
        let text = f.evidence.join("\n");
        for expected in [
            "part 1, every async model under 10 KiB per unit, resident + kernel: holds (402 B)",
            "part 2, a thread at least 100 KiB per unit, resident + kernel: does not hold",
            "OS threads and pools: threads 16 KiB resident + 27.3 KiB kernel",
            "stackless coroutines: tokio 400 B resident + 2 B kernel",
            "r² 0.990 over 3 points",
            "16 382 threads, set by vm.max_map_count, 4 memory mappings per thread",
            "threads stopped at N = 100k (aborted)",
            "`sysctl -w vm.max_map_count=1048576`",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert_eq!(f.tables[0].rows[0][7], "aborted at N = 100k");
    }

    #[test]
    fn without_a_fits_file_the_reader_fits_by_the_writers_rule() {
        let raw = run(
            "workload,model,variant,n,status,baseline_rss_kib,rss_parked_kib",
            &[
                "park,threads,default,1,ok,2000,2016",
                "park,threads,default,1000,ok,2000,18000",
                "park,threads,default,10000,ok,2000,162000",
                "park,tokio,default,1,ok,2000,2000",
                "park,tokio,default,1000,ok,2000,2400",
                "park,tokio,default,10000,ok,2000,6000",
            ],
        );
        let f = measure(&raw);
        let thread = f.thread().expect("fitted");
        assert!(
            thread
                .rss
                .is_some_and(|s| (s.bytes / 1024.0 - 16.0).abs() < 0.5),
            "{thread:?}"
        );
        assert!(!f.kernel_counted(), "no kernel figure in this run");
        assert_eq!(f.verdict(), Verdict::Partly);
        assert!(word(&f).measured.contains("resident (no kernel figure"));
    }
}
