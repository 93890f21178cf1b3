//! C5: coroutines need no locks. Measured: whether each async model could share a counter
//! with no lock at all and kept it exact, beside what a Mutex and an atomic cost per
//! increment.

use super::cells::{cell, ci_words, percent};
use super::grid::Grid;
use super::points::{label_is_async, single_threaded};
use super::Claim;
use crate::finding::{Finding, Table, Verdict};
use std::collections::BTreeSet;
use tvc_core::registry::Language;
use tvc_core::{Lock, Workload};
use tvc_plot::names;
use tvc_results::format::{join_and, ns, sig3, thousands};
use tvc_results::{PointKey, Run, Stat};

pub static CLAIM: Claim = Claim {
    id: "C5",
    title: "Coroutines need no locks",
    claim: "Coroutines need no locks.",
    article: "no figure (a qualitative claim)",
    experiments: &["shared-state"],
    rule,
    due_rule: None,
    why: "On a single-threaded executor (tokio's current-thread runtime with a LocalSet, smol's \
          local executor) tasks take turns on one thread and only switch at an .await, so an \
          increment with no .await inside it can never be interrupted by another task: a plain \
          RefCell is enough, and the count stays exact. A multi-threaded runtime (tokio's \
          default, async-std, smol with several executor threads) runs tasks in parallel \
          exactly like threads, so they need a Mutex or an atomic, and Rust refuses to compile \
          the unsynchronised version (an Rc<RefCell> is not Send) where Python's GIL and \
          asyncio's single thread hide the question. So the claim holds only for coroutines \
          kept on one thread, which also gives up every other core (C7).",
    languages: &[
        (
            Language::Python,
            "Rust refuses to compile a counter shared by threads without a lock, so only a \
             single-threaded executor can have one at all. Python lets any thread share one: \
             under the GIL a thread is switched out only where the interpreter checks (a backward \
             jump, a call), so `counter.value += 1` happens to lose nothing on CPython 3.11 while \
             `counter.value = add_one(counter.value)` loses updates; the language promises \
             neither, and a free-threaded CPython (no GIL) can lose both. asyncio's tasks, on one \
             thread, switch only at an await.",
        ),
        (
            Language::Go,
            "Go lets any goroutine share a variable, and goroutines run in parallel on every core \
             and are preempted anywhere, so `counter++` without a lock loses updates as it does \
             in threads; with GOMAXPROCS=1 they take turns on one thread and rarely lose any, but \
             the language promises nothing (its race detector reports the race either way).",
        ),
        (
            Language::Java,
            "Java lets any thread share a field, virtual threads as platform threads, and virtual \
             threads run in parallel on a carrier pool of one thread per core, so `count++` on a \
             plain field loses updates on both; the Java memory model promises nothing for a \
             field written without synchronisation.",
        ),
    ],
    charts: &[names::SHARED_STATE],
};

/// Dropping the lock must save at least this fraction of the time per increment before the
/// report says the lock cost something.
pub const LOCK_COST_SHOWS: f64 = 0.05;

fn rule() -> String {
    format!(
        "Look at the async models' rows with lock = {} (the counter in a RefCell, no \
         synchronisation at all). Reproduced if every async model and variant ran them and kept \
         the final count exact in every run. Partly if every lock-free row that ran kept the \
         count exact but some models could not express a lock-free counter at all (status \
         unsupported: a multi-threaded runtime, where the compiler demands a Mutex or an \
         atomic). Not reproduced if a lock-free row lost updates, or if none could run.",
        Lock::None.name()
    )
}

/// One model's counter under one lock.
#[derive(Debug, Clone, PartialEq)]
pub struct Counter {
    /// Nanoseconds per increment.
    pub ns: Option<Stat>,
    /// How its repetitions ended, and with the reason when short.
    pub statuses: String,
    pub why_not: String,
    /// Some repetition ran, and every one that did kept the count exact.
    pub exact: bool,
    /// Some repetition lost updates.
    pub lost: bool,
    /// Of the repetitions that ran: how many lost updates, out of how many, and the median
    /// number lost.
    pub runs_lost: (usize, usize),
    pub median_lost: Option<f64>,
    /// The interpreter's switch interval, where the row says (`switch_interval_s` knob).
    pub switch_interval: Option<String>,
}

/// What became of a counter kept without a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It stayed exact in every run.
    Exact,
    /// Some run lost updates.
    Lost,
    /// The model could not run it at all.
    Cannot,
}

impl Counter {
    pub fn outcome(&self) -> Outcome {
        match (self.lost, self.exact) {
            (true, _) => Outcome::Lost,
            (false, true) => Outcome::Exact,
            (false, false) => Outcome::Cannot,
        }
    }
}

/// C5's figures: each model's counter under each lock measured (Mutex, atomic, none).
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub counters: Grid<Lock, Counter>,
}

fn counter(run: &Run, p: &PointKey) -> Counter {
    let ran: Vec<_> = run.rows(p).into_iter().filter(|r| r.measured()).collect();
    Counter {
        ns: run.stat(p, "ns_per_increment"),
        statuses: run.statuses(p),
        why_not: tvc_plot::why_not(run, p),
        exact: !ran.is_empty() && ran.iter().all(|r| r.count_ok == Some(true)),
        lost: ran.iter().any(|r| r.count_ok == Some(false)),
        runs_lost: (
            ran.iter().filter(|r| r.count_ok == Some(false)).count(),
            ran.len(),
        ),
        median_lost: run.stat(p, "lost_updates").map(|s| s.median),
        switch_interval: run.knob(p, "switch_interval_s"),
    }
}

pub fn measure(shared: &Run) -> Figures {
    let points = shared.points_of(Workload::SharedState);
    let locks: BTreeSet<Lock> = points.iter().map(|p| p.lock).collect();
    let counters = Grid::of(
        &points,
        locks.into_iter().collect(),
        |p| p.lock,
        |here| here.first().map(|p| counter(shared, p)),
    );
    Figures { counters }
}

impl Figures {
    /// The async models' counters without a lock, in the README's order.
    pub fn lock_free(&self) -> Vec<(&str, &Counter)> {
        let rows = self
            .counters
            .rows
            .iter()
            .filter(|r| label_is_async(&r.label));
        let labels = rows.map(|r| r.label.as_str());
        labels
            .filter_map(|l| Some((l, self.counters.get(l, Lock::None)?)))
            .collect()
    }

    /// The async models whose counter without a lock came to `outcome`.
    pub fn with_outcome(&self, outcome: Outcome) -> Vec<String> {
        let counters = self.lock_free().into_iter();
        let matching = counters.filter(|(_, c)| c.outcome() == outcome);
        matching.map(|(l, _)| l.to_string()).collect()
    }

    pub fn verdict(&self) -> Verdict {
        let [exact, lost, cannot] =
            [Outcome::Exact, Outcome::Lost, Outcome::Cannot].map(|o| self.with_outcome(o).len());
        match (exact, lost, cannot) {
            (0, 0, 0) => Verdict::NotMeasured,
            (0, _, _) | (_, 1.., _) => Verdict::NotReproduced,
            (_, _, 0) => Verdict::Reproduced,
            _ => Verdict::Partly,
        }
    }
}

/// C5 from the shared-state run, when there is one.
pub fn finding(shared: Option<&Run>) -> Finding {
    super::from_run(&CLAIM, shared, measure, word)
}

fn word(f: &Figures) -> Finding {
    let verdict = f.verdict();
    if verdict == Verdict::NotMeasured {
        return Finding::not_measured(&CLAIM, Vec::new());
    }
    let exact = f.with_outcome(Outcome::Exact);
    let lost = f.with_outcome(Outcome::Lost);
    let cannot = f.with_outcome(Outcome::Cannot);
    let mut reasons: Vec<&str> = Vec::new();
    for (_, c) in f.lock_free() {
        if c.outcome() == Outcome::Cannot && !reasons.contains(&c.why_not.as_str()) {
            reasons.push(&c.why_not);
        }
    }
    let mut evidence = Vec::new();
    if !exact.is_empty() {
        evidence.push(format!(
            "without any lock, the count stayed exact in every run on {}",
            join_and(&exact)
        ));
    }
    if !lost.is_empty() {
        evidence.push(format!(
            "without any lock, updates were lost on {}",
            join_and(&lost)
        ));
    }
    if !cannot.is_empty() {
        evidence.push(format!(
            "a counter without a lock could not be written at all on {} ({})",
            join_and(&cannot),
            reasons.join("; ")
        ));
    }
    // Every model that could share a counter without a lock (a single-threaded executor, a
    // language that allows it): what became of it, in each form of the increment.
    for row in &f.counters.rows {
        for lock in [Lock::None, Lock::NoneCall] {
            let Some(c) = f.counters.get(&row.label, lock) else {
                continue;
            };
            let (lost, of) = c.runs_lost;
            if of == 0 {
                continue;
            }
            let interval = c
                .switch_interval
                .as_ref()
                .map(|s| format!(", switch interval {s} s"))
                .unwrap_or_default();
            evidence.push(match (lost, c.median_lost) {
                (0, _) => format!(
                    "{}, {}: no update lost in {of} of {of} runs{interval}",
                    row.label,
                    lock.title()
                ),
                (k, m) => format!(
                    "{}, {}: updates lost in {k} of {of} runs (median {} lost){interval}",
                    row.label,
                    lock.title(),
                    m.map_or("?".into(), |m| thousands(m as u64))
                ),
            });
        }
    }
    // What dropping the lock buys where it is allowed.
    for label in &exact {
        let ns_with = |lock| f.counters.get(label, lock).and_then(|c| c.ns);
        let (Some(m), Some(n)) = (ns_with(Lock::Mutex), ns_with(Lock::None)) else {
            continue;
        };
        let saved = 1.0 - n.median / m.median;
        let lesson = if saved >= LOCK_COST_SHOWS {
            format!(
                "{} less without it: even an uncontended lock on one thread costs something",
                percent(saved)
            )
        } else {
            "the lock costs nothing measurable here".to_string()
        };
        evidence.push(format!(
            "{label}: {} per increment with a Mutex, {} with no lock; {lesson}",
            ns(m.median),
            ns(n.median),
        ));
    }
    let measured = match verdict {
        Verdict::Partly => format!(
            "{}exact without a lock on {}; {} cannot share a counter without a Mutex or an atomic",
            if exact.iter().all(|l| single_threaded(l)) {
                "only on a single-threaded executor: "
            } else {
                ""
            },
            join_and(&exact),
            join_and(&cannot)
        ),
        Verdict::Reproduced => format!("exact without a lock on {}", join_and(&exact)),
        _ if !lost.is_empty() => format!("updates lost without a lock on {}", join_and(&lost)),
        _ => format!(
            "no async runtime could share a counter without a lock ({})",
            join_and(&cannot)
        ),
    };
    Finding::new(&CLAIM, verdict, measured, evidence).with_tables(vec![table(f)])
}

fn lock_name(lock: Lock) -> &'static str {
    lock.title()
}

fn table(f: &Figures) -> Table {
    let mut stats = Vec::new();
    let rows = f.counters.table_rows(|c| {
        let Some(s) = c.ns else {
            return c.statuses.clone();
        };
        stats.push(s);
        let mark = match (c.exact, c.lost) {
            (true, _) => " ✓",
            (_, true) => " ✗ lost updates",
            _ => "",
        };
        format!("{}{mark}", cell(&s, sig3))
    });
    let header = f.counters.header(|l| lock_name(*l).to_string());
    Table {
        caption: format!(
            "Nanoseconds per increment, {}; ✓ the final count was exact in every run",
            ci_words(&stats)
        ),
        header,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::run;

    const SHARED: &str =
        "workload,model,variant,n,concurrency,lock,status,reason,count_ok,ns_per_increment";
    const CURRENT: &str = "shared-state,tokio,current-thread,100000,8,none,ok,,true,6";
    const LOCAL: &str = "shared-state,smol,local,100000,8,none,ok,,true,5";
    const MULTI: &str = "shared-state,tokio,default,100000,8,none,unsupported,\"needs a \
                         single-threaded executor: Rc<RefCell<_>> is not Send\",,";

    /// Every model with a Mutex and an atomic, and `lock_free` beside them.
    fn shared(lock_free: &[&str]) -> Figures {
        let locked = [
            "shared-state,threads,default,100000,8,mutex,ok,,true,20",
            "shared-state,tokio,default,100000,8,mutex,ok,,true,21",
            "shared-state,tokio,current-thread,100000,8,mutex,ok,,true,10",
            "shared-state,smol,local,100000,8,atomic,ok,,true,7",
        ];
        let lines: Vec<&str> = locked.iter().chain(lock_free).copied().collect();
        measure(&run(SHARED, &lines))
    }

    #[test]
    fn every_async_counter_without_a_lock_must_stay_exact() {
        assert_eq!(shared(&[CURRENT, LOCAL]).verdict(), Verdict::Reproduced);
        let some = shared(&[CURRENT, LOCAL, MULTI]);
        assert_eq!(some.verdict(), Verdict::Partly);
        assert_eq!(some.with_outcome(Outcome::Cannot), ["tokio"]);
        let lost = "shared-state,smol,local,100000,8,none,ok,,false,5";
        assert_eq!(shared(&[lost, CURRENT]).verdict(), Verdict::NotReproduced);
        assert_eq!(shared(&[MULTI]).verdict(), Verdict::NotReproduced);
        // Threads without a lock do not speak for coroutines.
        let threads = "shared-state,threads,default,100000,8,none,unsupported,Send,,";
        assert_eq!(shared(&[threads]).verdict(), Verdict::NotMeasured);
    }

    #[test]
    fn only_single_threaded_executors_and_the_reason_is_quoted() {
        let f = word(&shared(&[CURRENT, LOCAL, MULTI]));
        assert!(
            f.measured.starts_with("only on a single-threaded executor"),
            "{}",
            f.measured
        );
        assert!(f
            .evidence
            .iter()
            .any(|e| e.contains("Rc<RefCell<_>> is not Send")));
        // The table shows the lock-free cell as unsupported, not as a gap.
        let table = &f.tables[0];
        assert_eq!(table.header, ["model", "Mutex", "atomic", "no lock"]);
        let tokio = table.rows.iter().find(|r| r[0] == "tokio").expect("tokio");
        assert_eq!(tokio[3], "unsupported");
    }
}
