//! C4: switching coroutines is cheaper than switching threads. Measured: nanoseconds per
//! hand-over of a token around a ring of units, per medium (each model's channel, or a socket
//! pair per unit whose readability wakes the next unit), ring size and pinning, each
//! coroutine model (stackless and stackful) against the threads model in the same setup.

use super::cells::{cell, ci_words};
use super::grid::Grid;
use super::points::{by_label, threads_label};
use super::Claim;
use crate::finding::{Finding, Table, Verdict};
use std::collections::BTreeSet;
use tvc_core::registry::Language;
use tvc_core::registry::{self, Family};
use tvc_core::{Medium, Workload};
use tvc_plot::names;
use tvc_results::format::{ns, sig3, span, times};
use tvc_results::{PointKey, Run, Stat};

pub static CLAIM: Claim = Claim {
    id: "C4",
    title: "Switching coroutines is cheaper than switching threads",
    claim: "Switching between coroutines is cheaper than switching between threads.",
    article: "no figure (a qualitative claim)",
    experiments: &["switch"],
    rule,
    due_rule: None,
    why: "Handing a token to another thread means a futex wake-up, a trip through the kernel's \
          scheduler and often another core's cache; handing it to another task is a queue push \
          and a function call in user space (a stackful coroutine also swaps its registers and \
          stack pointer). Pinning threads to one core removes the cross-core part, not the \
          kernel part. When the switch is caused by I/O, a write makes the next unit's socket \
          readable: a thread is woken by the kernel directly, a coroutine by its runtime's \
          epoll loop, and both pay for the write and the read.",
    languages: &[
        (
            Language::Python,
            "A Rust runtime hands a task over with a few atomic operations; asyncio goes round \
             its event loop in Python code, and a Python thread hand-over also passes the GIL, so \
             every switch costs microseconds more in Python, for coroutines and threads alike; \
             the ratio between them is the Python reader's answer.",
        ),
        (
            Language::Go,
            "Go's scheduler hands a goroutine over in user space whether the switch comes from a \
             channel or a socket (its network poller parks and wakes goroutines itself), where \
             some Rust runtimes (async-std, may) wake a socket's waiter from a separate I/O \
             thread, a cross-thread wake-up like a thread's. A goroutine locked to its OS thread \
             hands over through the kernel, as a Rust thread does.",
        ),
        (
            Language::Java,
            "A virtual thread hands over by unmounting its continuation and scheduling another on \
             the carrier pool, in user space; a platform thread's hand-over is a futex wake-up, \
             which Java's SynchronousQueue tries to avoid by spinning briefly before it parks. A \
             virtual thread blocked on a socket waits for Java's poller to unpark it, a \
             cross-thread wake-up like a thread's.",
        ),
    ],
    charts: &[names::SWITCH],
};

/// A ring of two is a ping-pong: its free setup is the headline, and the one where pinning
/// the threads to one core is compared.
pub const PING_PONG: u64 = 2;

fn rule() -> String {
    "Per setup (medium × ring size × pinned), a coroutine model (stackless or stackful) is \
     clearly cheaper when the upper end of its interval is below the lower end of the threads \
     model's. Reproduced if every coroutine model is clearly cheaper in every setup, through \
     channels and through sockets; not reproduced if no coroutine model has a lower median \
     than threads in any setup; partly otherwise."
        .into()
}

/// A ring of units passing a token through a medium, free or pinned to one core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Setup {
    pub medium: Medium,
    pub ring: u64,
    pub pinned: bool,
}

/// C4's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Nanoseconds per switch of each model in each setup, at its largest hop count (the
    /// most precise); `Err` with how the repetitions ended where it measured nothing.
    pub switches: Grid<Setup, Result<Stat, String>>,
    /// The sequential model's nanoseconds per hand-over, per medium: the loop (channel) or
    /// the write and the read (socket) without a switch.
    pub baseline: Vec<(Medium, f64)>,
    /// The models with points that measured nothing, and why, each reason once in a row.
    pub missing: Vec<(String, String)>,
    /// Timed passes per worker and hand-overs per pass (runs that time many passes).
    pub passes: Option<(u64, u64)>,
    /// Per point that timed passes: its slowest pass over its fastest (medians over workers).
    pub spread: Vec<f64>,
    /// The label of the language's threads model (`threads`, `python:threads`).
    pub threads: String,
}

/// The threads model and the coroutine models in one setup where threads measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub setup: Setup,
    pub threads: Stat,
    /// Each coroutine model's figure, with its family.
    pub coroutines: Vec<(Family, Stat)>,
}

pub fn measure(switch: &Run) -> Figures {
    let points = switch.points_of(Workload::Switch);
    let setup_of = |p: &PointKey| Setup {
        medium: p.medium,
        ring: p.concurrency,
        pinned: p.pinned,
    };
    let setups: BTreeSet<Setup> = points.iter().map(|p| setup_of(p)).collect();
    let switches = Grid::of(&points, setups.into_iter().collect(), setup_of, |here| {
        let last = here.last()?;
        Some(
            switch
                .stat(last, "ns_per_switch")
                .ok_or_else(|| switch.statuses(last)),
        )
    });
    let mut missing = Vec::new();
    for (label, of_label) in by_label(&points) {
        let mut whys: Vec<String> = of_label
            .iter()
            .filter(|p| switch.stat(p, "ns_per_switch").is_none())
            .map(|p| tvc_plot::why_not(switch, p))
            .collect();
        whys.dedup();
        missing.extend(whys.into_iter().map(|why| (label.clone(), why)));
    }
    let baseline = points
        .iter()
        .filter(|p| p.is_baseline())
        .filter_map(|p| Some((p.medium, switch.stat(p, "ns_per_switch")?.median)))
        .collect();
    let passes = points
        .iter()
        .filter(|p| p.passes > 0)
        .map(|p| (p.passes, p.n))
        .max();
    let spread = points
        .iter()
        .filter(|p| !p.is_baseline())
        .filter_map(|p| {
            let lo = switch.stat(p, "ns_per_switch_min")?.median;
            let hi = switch.stat(p, "ns_per_switch_max")?.median;
            (lo > 0.0).then(|| hi / lo)
        })
        .collect();
    Figures {
        switches,
        baseline,
        missing,
        passes,
        spread,
        threads: threads_label(&points).unwrap_or_default(),
    }
}

/// A label's family when it is a coroutine model (stackless or stackful).
fn coroutine_family(label: &str) -> Option<Family> {
    registry::family(label).filter(|f| f.is_coroutine())
}

impl Figures {
    /// A label's nanoseconds per switch in one setup.
    pub fn at(&self, label: &str, setup: Setup) -> Option<Stat> {
        self.switches.get(label, setup)?.as_ref().ok().copied()
    }

    /// Every setup where threads and at least one coroutine model measured.
    pub fn comparisons(&self) -> Vec<Comparison> {
        let threads = self.threads.as_str();
        let coroutine_rows: Vec<(&str, Family)> = self
            .switches
            .rows
            .iter()
            .filter_map(|r| Some((r.label.as_str(), coroutine_family(&r.label)?)))
            .collect();
        self.switches
            .settings
            .iter()
            .filter_map(|&setup| {
                let coroutines: Vec<(Family, Stat)> = coroutine_rows
                    .iter()
                    .filter_map(|(l, family)| Some((*family, self.at(l, setup)?)))
                    .collect();
                let threads = self.at(threads, setup)?;
                (!coroutines.is_empty()).then_some(Comparison {
                    setup,
                    threads,
                    coroutines,
                })
            })
            .collect()
    }

    pub fn verdict(&self) -> Verdict {
        let pairs: Vec<(Stat, Stat)> = self
            .comparisons()
            .into_iter()
            .flat_map(|c| c.coroutines.into_iter().map(move |(_, a)| (a, c.threads)))
            .collect();
        if pairs.is_empty() {
            Verdict::NotMeasured
        } else if pairs.iter().all(|(a, t)| a.clearly_below(t)) {
            Verdict::Reproduced
        } else if !pairs.iter().any(|(a, t)| a.median < t.median) {
            Verdict::NotReproduced
        } else {
            Verdict::Partly
        }
    }

    /// The sequential model's medians through a medium, one per setup (ring size, pinning).
    fn baseline_of(&self, medium: Medium) -> Vec<f64> {
        let of = self.baseline.iter().filter(|(m, _)| *m == medium);
        of.map(|(_, v)| *v).collect()
    }
}

fn setup_name(s: &Setup) -> String {
    let pinned = if s.pinned {
        "pinned to one core"
    } else {
        "free"
    };
    format!("ring of {}, {pinned}", s.ring)
}

/// C4 from the switch run, when there is one.
pub fn finding(switch: Option<&Run>) -> Finding {
    super::from_run(&CLAIM, switch, measure, word)
}

/// The free ping-pong through a medium, else the first setup measured through it.
fn headline(comparisons: &[Comparison], medium: Medium) -> Option<&Comparison> {
    let of = |c: &&Comparison| c.setup.medium == medium;
    let free_ping_pong = |c: &&Comparison| c.setup.ring == PING_PONG && !c.setup.pinned;
    let mut here = comparisons.iter().filter(of);
    here.clone().find(free_ping_pong).or_else(|| here.next())
}

/// "OS threads 5 µs, stackful 300 ns, stackless 100 – 200 ns" for one comparison.
fn by_family(c: &Comparison) -> String {
    let mut parts = vec![format!("OS threads {}", ns(c.threads.median))];
    for family in [Family::Growable, Family::Stackful, Family::Stackless] {
        let medians: Vec<f64> = c
            .coroutines
            .iter()
            .filter(|(f, _)| *f == family)
            .map(|(_, s)| s.median)
            .collect();
        if !medians.is_empty() {
            parts.push(format!("{} {}", family.name(), span(&medians, ns)));
        }
    }
    parts.join(", ")
}

fn word(f: &Figures) -> Finding {
    let comparisons = f.comparisons();
    let Some(head) = headline(&comparisons, Medium::Channel).or(comparisons.first()) else {
        return Finding::not_measured(&CLAIM, Vec::new());
    };
    let measured = format!(
        "{} through {}s: threads {}, coroutines {} per switch",
        setup_name(&head.setup),
        head.setup.medium.name(),
        ns(head.threads.median),
        span(&medians(&head.coroutines), ns)
    );
    let mut evidence = Vec::new();
    for family in [Family::Stackless, Family::Stackful, Family::Growable] {
        let (mut clearly, mut all, mut ratios) = (0, 0, Vec::new());
        for c in &comparisons {
            for (_, a) in c.coroutines.iter().filter(|(f, _)| *f == family) {
                all += 1;
                clearly += usize::from(a.clearly_below(&c.threads));
                ratios.push(c.threads.median / a.median);
            }
        }
        if all > 0 {
            evidence.push(format!(
                "{}: {clearly} of {all} measurements (each model in each setup) are clearly \
                 cheaper than threads in the same setup (the top of their interval below the \
                 bottom of threads'); threads take {} as long at the median",
                family.name(),
                span(&ratios, times)
            ));
        }
    }
    for medium in Medium::ALL {
        let Some(c) = headline(&comparisons, medium) else {
            continue;
        };
        let mut line = format!(
            "the three families side by side, {} through {}s: {}",
            setup_name(&c.setup),
            medium.name(),
            by_family(c)
        );
        let base = f.baseline_of(medium);
        if medium == Medium::Socket && !base.is_empty() {
            let io = base.iter().sum::<f64>() / base.len() as f64;
            let switch_of = |v: f64| ns((v - io).max(0.0));
            let cheaper = c
                .coroutines
                .iter()
                .filter(|(_, a)| a.clearly_below(&c.threads))
                .count();
            let holds = match cheaper {
                0 => "does not hold",
                n if n == c.coroutines.len() => "holds",
                _ => "holds for some models only",
            };
            line.push_str(&format!(
                "; the write and the read without a switch (sequential) take {}, so the switch \
                 itself costs threads {}, coroutines {}: the coroutines' advantage {holds} when \
                 the switch is caused by I/O readiness ({cheaper} of {} clearly cheaper)",
                ns(io),
                switch_of(c.threads.median),
                span(
                    &c.coroutines
                        .iter()
                        .map(|(_, a)| (a.median - io).max(0.0))
                        .collect::<Vec<_>>(),
                    ns
                ),
                c.coroutines.len()
            ));
        }
        evidence.push(line);
    }
    let threads = f.threads.as_str();
    let free_ping_pong = Setup {
        medium: Medium::Channel,
        ring: PING_PONG,
        pinned: false,
    };
    let pinned_ping_pong = Setup {
        pinned: true,
        ..free_ping_pong
    };
    if let (Some(free), Some(pinned)) = (
        f.at(threads, free_ping_pong),
        f.at(threads, pinned_ping_pong),
    ) {
        evidence.push(format!(
            "pinning both threads to one core changes their ping-pong through channels from {} \
             to {}: the cross-core wake-up goes, the trip through the kernel's scheduler stays",
            ns(free.median),
            ns(pinned.median)
        ));
    }
    if let Some((passes, hops)) = f.passes {
        let spread = if f.spread.is_empty() {
            String::new()
        } else {
            format!(
                "; within a worker the slowest pass took {} the fastest",
                span(&f.spread, times)
            )
        };
        evidence.push(format!(
            "each worker built its ring once, sent the token round it untimed (warm-up), then \
             timed {passes} passes of {hops} hand-overs: a figure is each worker's median pass, \
             its interval over the workers{spread}"
        ));
    }
    let channel = f.baseline_of(Medium::Channel);
    if !channel.is_empty() {
        evidence.push(format!(
            "sequential passes the token through a local variable: {} per hand-over, the cost of \
             the loop itself, with no switch",
            span(&channel, ns)
        ));
    }
    for (label, why) in &f.missing {
        evidence.push(format!("{label} was not measured — {why}"));
    }
    let tables = Medium::ALL
        .into_iter()
        .filter_map(|m| table(f, m))
        .collect();
    Finding::new(&CLAIM, f.verdict(), measured, evidence).with_tables(tables)
}

fn medians(stats: &[(Family, Stat)]) -> Vec<f64> {
    stats.iter().map(|(_, s)| s.median).collect()
}

/// The table of one medium's setups, `None` when nothing went through it.
fn table(f: &Figures, medium: Medium) -> Option<Table> {
    let settings: Vec<Setup> = f
        .switches
        .settings
        .iter()
        .copied()
        .filter(|s| s.medium == medium)
        .collect();
    if settings.is_empty() {
        return None;
    }
    let grid = f.switches.only(&settings);
    let mut stats = Vec::new();
    let rows = grid.table_rows(|s| match s {
        Ok(stat) => {
            stats.push(*stat);
            cell(stat, sig3)
        }
        Err(statuses) => statuses.clone(),
    });
    let through = match medium {
        Medium::Channel => "through each model's channel (sequential: a local variable, no switch)",
        Medium::Socket => {
            "through a socket pair per unit (sequential: the write and the read, no switch)"
        }
    };
    Some(Table {
        caption: format!("Nanoseconds per switch {through}, {}", ci_words(&stats)),
        header: grid.header(setup_name),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::run;

    const SWITCH: &str = "workload,model,variant,n,concurrency,pinned,medium,status,ns_per_switch";

    #[test]
    fn many_passes_are_described_with_their_spread() {
        let head = "workload,model,variant,n,concurrency,pinned,passes,status,ns_per_switch,\
                    ns_per_switch_min,ns_per_switch_max";
        let f = measure(&run(
            head,
            &[
                "switch,threads,default,2000,2,false,20,ok,5000,4000,6000",
                "switch,tokio,default,2000,2,false,20,ok,100,90,180",
            ],
        ));
        assert_eq!(f.passes, Some((20, 2000)));
        assert_eq!(f.spread, [1.5, 2.0]);
        let text = word(&f).evidence.join("\n");
        assert!(
            text.contains("timed 20 passes of 2000 hand-overs"),
            "{text}"
        );
        assert!(
            text.contains("slowest pass took 1.5× – 2× the fastest"),
            "{text}"
        );
    }

    /// The verdict with threads and tokio taking these nanoseconds per switch.
    fn verdict(threads: &str, tokio: &str) -> Verdict {
        let threads = format!("switch,threads,default,1000,2,false,channel,ok,{threads}");
        let tokio = format!("switch,tokio,default,1000,2,false,channel,ok,{tokio}");
        measure(&run(SWITCH, &[&threads, &tokio])).verdict()
    }

    #[test]
    fn async_must_be_clearly_cheaper_than_threads() {
        assert_eq!(verdict("5000", "150"), Verdict::Reproduced);
        // Lower at the median, but the intervals overlap.
        assert_eq!(verdict("110", "109.5"), Verdict::Partly);
        assert_eq!(verdict("5000", "6000"), Verdict::NotReproduced);
    }

    #[test]
    fn sockets_are_judged_after_the_io_baseline_and_families_are_named() {
        let f = measure(&run(
            SWITCH,
            &[
                "switch,sequential,default,1000,2,false,socket,ok,1000",
                "switch,threads,default,1000,2,false,channel,ok,5000",
                "switch,threads,default,1000,2,false,socket,ok,9000",
                "switch,tokio,default,1000,2,false,channel,ok,100",
                "switch,tokio,default,1000,2,false,socket,ok,3000",
                "switch,may,default,1000,2,false,channel,ok,200",
                "switch,may,default,1000,2,false,socket,ok,9500",
            ],
        ));
        let text = word(&f).evidence.join("\n");
        assert!(
            text.contains("ring of 2, free through channels: OS threads 5 µs, stackful coroutines, fixed stacks 200 ns, stackless coroutines 100 ns"),
            "{text}"
        );
        assert!(
            text.contains("take 1 µs, so the switch itself costs threads 8 µs, coroutines 2 µs – 8.5 µs: the coroutines' advantage holds for some models only"),
            "{text}"
        );
        // may is dearer than threads through sockets: partly, whatever the channels say.
        assert_eq!(f.verdict(), Verdict::Partly);
        assert_eq!(word(&f).tables.len(), 2);
    }

    #[test]
    fn the_largest_hop_count_stands_for_a_setup() {
        let r = run(
            SWITCH,
            &[
                "switch,threads,default,10,2,true,channel,ok,9000",
                "switch,threads,default,1000,2,true,channel,ok,5000",
                "switch,rayon,default,1000,2,true,channel,unsupported,",
            ],
        );
        let f = measure(&r);
        let pinned = Setup {
            medium: Medium::Channel,
            ring: 2,
            pinned: true,
        };
        assert_eq!(f.at("threads", pinned).map(|s| s.median), Some(5000.0));
        assert_eq!(f.missing, [("rayon".into(), "unsupported".into())]);
        assert_eq!(f.verdict(), Verdict::NotMeasured, "no async model ran");
    }
}
