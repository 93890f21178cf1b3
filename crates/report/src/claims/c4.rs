//! C4: switching coroutines is cheaper than switching threads. Measured: nanoseconds per
//! hand-over of a token around a ring of units, per ring size and pinning, async models
//! against the threads model in the same setup.

use super::cells::{cell, ci_words};
use super::grid::Grid;
use super::points::{by_label, label_is_async};
use super::Claim;
use crate::finding::{Finding, Table, Verdict};
use std::collections::BTreeSet;
use tvc_core::{registry, Workload};
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
          and a function call in user space. Pinning threads to one core removes the cross-core \
          part, not the kernel part.",
    charts: &[names::SWITCH],
};

/// A ring of two is a ping-pong: its free setup is the headline, and the one where pinning
/// the threads to one core is compared.
pub const PING_PONG: u64 = 2;

fn rule() -> String {
    "Per setup (ring size × pinned), an async model is clearly cheaper when the upper end of \
     its interval is below the lower end of the threads model's. Reproduced if every async \
     model is clearly cheaper in every setup; not reproduced if no async model has a lower \
     median than threads in any setup; partly otherwise."
        .into()
}

/// A ring of units passing a token, free or pinned to one core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Setup {
    pub ring: u64,
    pub pinned: bool,
}

/// C4's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Nanoseconds per switch of each model in each setup, at its largest hop count (the
    /// most precise); `Err` with how the repetitions ended where it measured nothing.
    pub switches: Grid<Setup, Result<Stat, String>>,
    /// The sequential loop's nanoseconds per hand-over: the loop without a switch.
    pub baseline: Vec<f64>,
    /// The models with points that measured nothing, and why, each reason once in a row.
    pub missing: Vec<(String, String)>,
    /// Timed passes per worker and hand-overs per pass (runs that time many passes).
    pub passes: Option<(u64, u64)>,
    /// Per point that timed passes: its slowest pass over its fastest (medians over workers).
    pub spread: Vec<f64>,
}

/// The threads model and the async models in one setup where threads measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub setup: Setup,
    pub threads: Stat,
    pub coroutines: Vec<Stat>,
}

pub fn measure(switch: &Run) -> Figures {
    let points = switch.points_of(Workload::Switch);
    let setup_of = |p: &PointKey| Setup {
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
        .filter_map(|p| switch.stat(p, "ns_per_switch"))
        .map(|s| s.median)
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
    }
}

impl Figures {
    /// A label's nanoseconds per switch in one setup.
    pub fn at(&self, label: &str, setup: Setup) -> Option<Stat> {
        self.switches.get(label, setup)?.as_ref().ok().copied()
    }

    /// Every setup where threads and at least one async model measured.
    pub fn comparisons(&self) -> Vec<Comparison> {
        let threads = registry::THREADS.name;
        let async_rows = self
            .switches
            .rows
            .iter()
            .filter(|r| label_is_async(&r.label));
        let async_labels: Vec<&str> = async_rows.map(|r| r.label.as_str()).collect();
        self.switches
            .settings
            .iter()
            .filter_map(|&setup| {
                let coroutines: Vec<Stat> = async_labels
                    .iter()
                    .filter_map(|l| self.at(l, setup))
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
            .flat_map(|c| c.coroutines.into_iter().map(move |a| (a, c.threads)))
            .collect();
        if pairs.is_empty() {
            Verdict::NotMeasured
        } else if pairs.iter().all(|(a, t)| a.ci_high < t.ci_low) {
            Verdict::Reproduced
        } else if !pairs.iter().any(|(a, t)| a.median < t.median) {
            Verdict::NotReproduced
        } else {
            Verdict::Partly
        }
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

fn word(f: &Figures) -> Finding {
    let comparisons = f.comparisons();
    let free_ping_pong = Setup {
        ring: PING_PONG,
        pinned: false,
    };
    let headline = comparisons
        .iter()
        .find(|c| c.setup == free_ping_pong)
        .or(comparisons.first());
    let Some(head) = headline else {
        return Finding::not_measured(&CLAIM, Vec::new());
    };
    let measured = format!(
        "{}: threads {}, coroutines {} per switch",
        setup_name(&head.setup),
        ns(head.threads.median),
        span(&medians(&head.coroutines), ns)
    );
    let (mut clearly, mut all, mut ratios) = (0, 0, Vec::new());
    for c in &comparisons {
        for a in &c.coroutines {
            all += 1;
            clearly += usize::from(a.ci_high < c.threads.ci_low);
            ratios.push(c.threads.median / a.median);
        }
    }
    let mut evidence = vec![format!(
        "{clearly} of {all} async measurements (each async model in each setup) are clearly \
         cheaper than threads in the same setup (the top of their interval below the bottom of \
         threads'), by {} at the median",
        span(&ratios, times)
    )];
    let threads = registry::THREADS.name;
    let pinned_ping_pong = Setup {
        pinned: true,
        ..free_ping_pong
    };
    if let (Some(free), Some(pinned)) = (
        f.at(threads, free_ping_pong),
        f.at(threads, pinned_ping_pong),
    ) {
        evidence.push(format!(
            "pinning both threads to one core changes their ping-pong from {} to {}: the \
             cross-core wake-up goes, the trip through the kernel's scheduler stays",
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
    if !f.baseline.is_empty() {
        evidence.push(format!(
            "sequential passes the token through a local variable: {} per hand-over, the cost of \
             the loop itself, with no switch",
            span(&f.baseline, ns)
        ));
    }
    for (label, why) in &f.missing {
        evidence.push(format!("{label} was not measured — {why}"));
    }
    Finding::new(&CLAIM, f.verdict(), measured, evidence).with_tables(vec![table(f)])
}

fn medians(stats: &[Stat]) -> Vec<f64> {
    stats.iter().map(|s| s.median).collect()
}

fn table(f: &Figures) -> Table {
    let mut stats = Vec::new();
    let rows = f.switches.table_rows(|s| match s {
        Ok(stat) => {
            stats.push(*stat);
            cell(stat, sig3)
        }
        Err(statuses) => statuses.clone(),
    });
    let header = f.switches.header(setup_name);
    Table {
        caption: format!("Nanoseconds per switch, {}", ci_words(&stats)),
        header,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::run;

    const SWITCH: &str = "workload,model,variant,n,concurrency,pinned,status,ns_per_switch";

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
        let threads = format!("switch,threads,default,1000,2,false,ok,{threads}");
        let tokio = format!("switch,tokio,default,1000,2,false,ok,{tokio}");
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
    fn the_largest_hop_count_stands_for_a_setup() {
        let r = run(
            SWITCH,
            &[
                "switch,threads,default,10,2,true,ok,9000",
                "switch,threads,default,1000,2,true,ok,5000",
                "switch,rayon,default,1000,2,true,unsupported,",
            ],
        );
        let f = measure(&r);
        let pinned = Setup {
            ring: 2,
            pinned: true,
        };
        assert_eq!(f.at("threads", pinned).map(|s| s.median), Some(5000.0));
        assert_eq!(f.missing, [("rayon".into(), "unsupported".into())]);
        assert_eq!(f.verdict(), Verdict::NotMeasured, "no async model ran");
    }
}
