//! C6: coroutines suit highly concurrent I/O. Measured: at the highest concurrency of the
//! io-scaling sweep, each model's throughput and peak RSS, against the threads model's and
//! against the step below it.

use super::cells::{cell, percent};
use super::points::{by_label, control_models, is_async, label_is_control, language_of};
use super::Claim;
use crate::finding::{Answer, Due, Finding, Table, Verdict};
use std::collections::BTreeSet;
use tvc_core::registry::Language;
use tvc_core::{registry, Workload};
use tvc_plot::names;
use tvc_results::format::{join_and, mem, number, pct, sig3, span, thousands, times};
use tvc_results::{PointKey, Run, Stat, ThreadLimit};

pub static CLAIM: Claim = Claim {
    id: "C6",
    title: "Coroutines suit highly concurrent I/O",
    claim: "Coroutines suit I/O-bound work with very many concurrent tasks.",
    article: "no figure (a qualitative claim)",
    experiments: &["io-scaling"],
    rule,
    due_rule: Some(due_rule),
    why: "A waiting coroutine costs a few hundred bytes (C3); a waiting thread costs a kernel \
          task, a stack mapping and scheduler work. But with thousands of requests in flight \
          most of the memory belongs to the connections themselves (socket buffers, the HTTP \
          client's buffers), tens of KiB each whatever waits on them, so the difference between \
          threads and coroutines shrinks to a fraction of the total, and on a small machine the \
          CPU, not the waiting, caps the throughput. What coroutines really buy here is headroom: \
          threads stop at the machine's thread limit (C3), coroutines do not.",
    languages: &[
        (
            Language::Python,
            "The same question in both languages; Python answers it with a client that costs \
             milliseconds of CPU a request, so its event loop, on one core, runs out of CPU long \
             before it runs out of memory or threads.",
        ),
        (
            Language::Go,
            "A waiting goroutine parks in Go's network poller as a Rust task waits in its \
             runtime's, so 10 000 requests in flight are 10 000 small stacks. A goroutine locked \
             to its OS thread makes each request in flight an OS thread, and Go's runtime hands \
             every wake-up from its poller over to that thread, which costs more than a plain \
             Rust thread's blocking read.",
        ),
        (
            Language::Java,
            "A virtual thread waiting on a socket is unmounted and costs its continuation on the \
             heap, where a platform thread keeps its OS thread; Java's HttpClient, though, runs \
             every exchange through its own selector thread and futures whichever thread sends, \
             so both kinds pay the same client cost, and on a small machine that cost, not the \
             waiting, sets the pace.",
        ),
    ],
    charts: &[names::IO_SCALING],
};

/// An async model keeps up with threads when its throughput is at least this fraction of
/// theirs (and its peak RSS is lower).
pub const KEEPS_UP: f64 = 0.9;

fn rule() -> String {
    format!(
        "At the highest concurrency measured: reproduced if every async model completed, with \
         throughput at least {} of the threads model's (or threads failed there) and a lower \
         peak RSS than threads; partly if every async model completed without beating threads \
         on both; not reproduced if an async model failed.",
        percent(KEEPS_UP)
    )
}

fn due_rule() -> String {
    format!(
        "At the highest concurrency measured, an async model's advantage is its own when, \
         against OS threads driving the same HTTP client ({}), its throughput is clearly \
         higher or its p99 latency clearly lower (intervals apart) and neither is clearly \
         worse. Yes if every async model's is, no if none is, partly otherwise; not measured \
         without the control at that concurrency.",
        control_models()
    )
}

/// Throughput (requests/s), peak RSS (KiB) and p99 latency (ms) of one model at one
/// concurrency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    pub throughput: Stat,
    pub peak_rss_kib: Stat,
    pub p99_ms: Option<Stat>,
}

/// Whether `a` is clearly above `b`: the bottom of its interval above the top of `b`'s.
fn clearly_above(a: &Stat, b: &Stat) -> bool {
    b.clearly_below(a)
}

/// One model at the highest concurrency.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub label: String,
    pub is_async: bool,
    /// `Err` with how its repetitions ended when it measured nothing.
    pub at_max: Result<Load, String>,
    /// At the concurrency below, when it measured there.
    pub before: Option<Load>,
    /// Every request in flight at once: min(C, N) ÷ delay, requests/s.
    pub ideal: Option<f64>,
    /// The HTTP client it drove.
    pub client: Option<String>,
    /// The highest concurrency at which it measured, if any.
    pub reached: Option<u64>,
}

impl Model {
    /// Throughput at the highest concurrency over throughput at the one below.
    pub fn growth(&self) -> Option<f64> {
        let (now, before) = (self.at_max.as_ref().ok()?, self.before?);
        Some(now.throughput.median / before.throughput.median)
    }
}

/// C6's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub c_max: u64,
    /// The concurrency below the highest.
    pub c_prev: Option<u64>,
    /// The models run at the highest concurrency, in the README's order.
    pub models: Vec<Model>,
    pub limit: Option<ThreadLimit>,
    pub one_run_each: bool,
}

fn load(run: &Run, p: &PointKey) -> Option<Load> {
    Some(Load {
        throughput: run.stat(p, "throughput_per_s")?,
        peak_rss_kib: run.stat(p, "peak_rss_kib")?,
        p99_ms: run.stat(p, "p99_ms"),
    })
}

/// `None` without a point past the baseline.
pub fn measure(io: &Run) -> Option<Figures> {
    let points = io.points_of(Workload::Http);
    let concurrencies: BTreeSet<u64> = points
        .iter()
        .filter(|p| !p.is_baseline())
        .map(|p| p.concurrency)
        .collect();
    let mut downwards = concurrencies.iter().rev().copied();
    let c_max = downwards.next()?;
    let c_prev = downwards.next();
    let models: Vec<&PointKey> = points
        .iter()
        .copied()
        .filter(|p| !p.is_baseline())
        .collect();
    let models = by_label(&models)
        .into_iter()
        .filter_map(|(label, of_label)| {
            let at = |c: u64| of_label.iter().find(|p| p.concurrency == c).copied();
            let p = at(c_max)?;
            Some(Model {
                is_async: is_async(p),
                at_max: load(io, p).ok_or_else(|| io.statuses(p)),
                before: c_prev.and_then(at).and_then(|b| load(io, b)),
                ideal: (p.delay_ms > 0).then(|| c_max.min(p.n) as f64 * 1000.0 / p.delay_ms as f64),
                client: io.knob(p, "client"),
                reached: of_label
                    .iter()
                    .filter(|q| load(io, q).is_some())
                    .map(|q| q.concurrency)
                    .max(),
                label,
            })
        })
        .collect();
    Some(Figures {
        c_max,
        c_prev,
        models,
        limit: io.env.thread_limit(),
        one_run_each: io.env.u64("experiment.repetitions") == Some(1),
    })
}

impl Figures {
    /// The second question's answer.
    pub fn due(&self) -> Answer {
        Answer::of(&self.beats_control())
    }

    /// The threads model at the highest concurrency, when it ran there.
    pub fn threads(&self) -> Option<&Model> {
        let labels = self.models.iter().map(|m| m.label.as_str());
        let name = registry::threads_of(language_of(labels))?;
        self.models.iter().find(|m| m.label == name)
    }

    fn async_models(&self) -> impl Iterator<Item = &Model> {
        self.models.iter().filter(|m| m.is_async)
    }

    /// The same-client control at the highest concurrency, when it ran there.
    pub fn control(&self) -> Option<&Model> {
        self.models.iter().find(|m| label_is_control(&m.label))
    }

    /// Per async model that completed, against the control when it measured: whether its
    /// throughput is clearly higher or its p99 clearly lower, and neither clearly worse.
    pub fn beats_control(&self) -> Vec<bool> {
        self.async_models()
            .filter_map(|m| {
                let control = registry::control_of(&m.label)?;
                let c = self.models.iter().find(|c| c.label == control)?;
                let t = c.at_max.as_ref().ok()?;
                let Ok(a) = &m.at_max else {
                    return Some(false);
                };
                let p99 = a.p99_ms.zip(t.p99_ms);
                let better = clearly_above(&a.throughput, &t.throughput)
                    || p99.is_some_and(|(a, t)| clearly_above(&t, &a));
                let worse = clearly_above(&t.throughput, &a.throughput)
                    || p99.is_some_and(|(a, t)| clearly_above(&a, &t));
                Some(better && !worse)
            })
            .collect()
    }

    /// Whether an async load beats the threads model's on both counts (it does when threads
    /// measured nothing).
    pub fn beats_threads(&self, load: &Load) -> bool {
        match self.threads().and_then(|t| t.at_max.as_ref().ok()) {
            None => true,
            Some(t) => {
                load.throughput.median >= KEEPS_UP * t.throughput.median
                    && load.peak_rss_kib.median < t.peak_rss_kib.median
            }
        }
    }

    /// The peak RSS each extra request in flight added, from the concurrency below to the
    /// highest, in bytes.
    pub fn rss_per_request(&self, m: &Model) -> Option<f64> {
        let (now, before, c_prev) = (m.at_max.as_ref().ok()?, m.before?, self.c_prev?);
        let added_kib = now.peak_rss_kib.median - before.peak_rss_kib.median;
        Some(added_kib * 1024.0 / (self.c_max - c_prev) as f64)
    }

    pub fn verdict(&self) -> Verdict {
        let loads: Vec<Option<&Load>> = self
            .async_models()
            .map(|m| m.at_max.as_ref().ok())
            .collect();
        if loads.is_empty() {
            Verdict::NotMeasured
        } else if loads.contains(&None) {
            Verdict::NotReproduced
        } else if loads.iter().flatten().all(|l| self.beats_threads(l)) {
            Verdict::Reproduced
        } else {
            Verdict::Partly
        }
    }
}

/// C6 from the io-scaling run, when there is one.
pub fn finding(io: Option<&Run>) -> Finding {
    match io.and_then(measure) {
        Some(f) => word(&f),
        None => Finding::not_measured(&CLAIM, Vec::new()),
    }
}

fn word(f: &Figures) -> Finding {
    let verdict = f.verdict();
    if verdict == Verdict::NotMeasured {
        return Finding::not_measured(&CLAIM, Vec::new());
    }
    let c_max = number(f.c_max as f64);
    let completed: Vec<&Load> = f
        .async_models()
        .filter_map(|m| m.at_max.as_ref().ok())
        .collect();
    let mut evidence = vec![format!(
        "at C = {c_max}, {} of {} async models completed, and {} of them beat threads on both \
         counts (at least {} of their throughput with a lower peak RSS)",
        completed.len(),
        f.async_models().count(),
        completed.iter().filter(|l| f.beats_threads(l)).count(),
        percent(KEEPS_UP)
    )];
    let growth: Vec<f64> = f.models.iter().filter_map(Model::growth).collect();
    if let (Some(cp), false) = (f.c_prev, growth.is_empty()) {
        let grew = f.c_max as f64 / cp as f64;
        // Throughput that grew by less than the square root of the concurrency's growth
        // is flat on a log-log chart: the waiting no longer sets the pace.
        let flat = growth.iter().all(|g| *g < grew.sqrt());
        evidence.push(format!(
            "from C = {} to {c_max} ({}× the requests in flight) throughput changed by {}{}",
            number(cp as f64),
            sig3(grew),
            span(&growth, times),
            if flat {
                ": past that point the CPU, shared by client and server, sets the pace, not \
                 the waiting"
            } else {
                ""
            }
        ));
    }
    if let Some(i) = f.models.iter().find_map(|m| m.ideal) {
        evidence.push(format!(
            "ideal: every request in flight at once, min(C, N) ÷ delay = {} requests/s",
            number(i)
        ));
    }
    let stopped: Vec<String> = f
        .models
        .iter()
        .filter(|m| m.at_max.is_err())
        .map(|m| match m.reached {
            Some(c) => format!("{} at C = {}", m.label, number(c as f64)),
            None => format!("{} nowhere", m.label),
        })
        .collect();
    if !stopped.is_empty() {
        evidence.push(format!(
            "the highest concurrency measured by each model that failed at C = {c_max}: {}",
            join_and(&stopped)
        ));
    }
    evidence.extend(clients(f));
    let threads = f.threads();
    let threads_load = threads.and_then(|t| t.at_max.as_ref().ok());
    match (threads_load, &f.limit) {
        (Some(_), Some(l)) if l.predicted > f.c_max => evidence.push(format!(
            "threads completed at C = {c_max}: below this machine's predicted thread limit of {} \
             (see C3); past it the worker aborts",
            thousands(l.predicted)
        )),
        (None, Some(l)) => evidence.push(format!(
            "this machine's predicted thread limit: {} threads (see C3)",
            thousands(l.predicted)
        )),
        _ => {}
    }
    let thread_part = match threads.map(|t| &t.at_max) {
        Some(Ok(t)) => format!(
            "threads {} req/s, {}",
            number(t.throughput.median),
            mem(t.peak_rss_kib.median * 1024.0)
        ),
        Some(Err(statuses)) => format!("threads {statuses}"),
        None => "threads not run".into(),
    };
    let async_part = if completed.is_empty() {
        "async models failed".to_string()
    } else {
        let thr: Vec<f64> = completed.iter().map(|l| l.throughput.median).collect();
        let rss: Vec<f64> = completed
            .iter()
            .map(|l| l.peak_rss_kib.median * 1024.0)
            .collect();
        format!("async {} req/s, {}", span(&thr, number), span(&rss, mem))
    };
    let measured = format!("at C = {c_max}: {async_part}; {thread_part}");
    Finding::new(&CLAIM, verdict, measured, evidence)
        .with_tables(vec![table(f)])
        .with_due(due(f))
}

fn due(f: &Figures) -> Due {
    let c_max = number(f.c_max as f64);
    let Some(control) = f.control() else {
        return Due::not_measured(&format!(
            "no run of OS threads with the same client ({}) at the highest concurrency to \
             compare",
            control_models()
        ));
    };
    let Ok(t) = &control.at_max else {
        // Only the async models that got there have the advantage.
        let completed: Vec<bool> = f.async_models().map(|m| m.at_max.is_ok()).collect();
        let failed = control.at_max.as_ref().err().map_or("", |s| s);
        let got_there: Vec<String> = f
            .async_models()
            .filter(|m| m.at_max.is_ok())
            .map(|m| m.label.clone())
            .collect();
        let (answer, who) = if got_there.is_empty() {
            (
                Answer::NotMeasured,
                "no async model got there either".to_string(),
            )
        } else {
            (
                Answer::of(&completed),
                format!("only {} got there", join_and(&got_there)),
            )
        };
        return Due {
            answer,
            measured: format!("threads with the same client {failed}"),
            evidence: vec![format!(
                "at C = {c_max}, OS threads with the same client measured nothing ({failed}): \
                 {who}"
            )],
        };
    };
    let beats = f.beats_control();
    let mut evidence = vec![format!(
        "at C = {c_max}, {} of {} async models clearly beat OS threads driving the same client \
         ({}) on throughput or p99 latency without being clearly worse on the other",
        beats.iter().filter(|b| **b).count(),
        beats.len(),
        control.label
    )];
    let p99 = |l: &Load| l.p99_ms.map_or("—".to_string(), |s| with_interval(&s));
    evidence.push(format!(
        "{}: {} req/s, p99 {}, peak RSS {}",
        control.label,
        number(t.throughput.median),
        p99(t),
        mem(t.peak_rss_kib.median * 1024.0)
    ));
    for m in f.async_models() {
        if let Ok(a) = &m.at_max {
            evidence.push(format!(
                "{}: {} req/s ({} the threads'), p99 {} ({} the threads'), peak RSS {}",
                m.label,
                number(a.throughput.median),
                times(a.throughput.median / t.throughput.median),
                p99(a),
                a.p99_ms
                    .zip(t.p99_ms)
                    .map_or("—".to_string(), |(a, t)| times(a.median / t.median)),
                mem(a.peak_rss_kib.median * 1024.0)
            ));
        }
    }
    let answer = Answer::of(&beats);
    let measured = format!(
        "at C = {c_max}, against threads with the same client: {}",
        match answer {
            Answer::Yes => "every async model clearly ahead",
            Answer::Partly => "some async models clearly ahead",
            Answer::No => "no async model clearly ahead",
            Answer::NotMeasured => "not compared",
        }
    );
    Due {
        answer,
        measured,
        evidence,
    }
}

/// A p99 with its interval, in ms.
fn with_interval(s: &Stat) -> String {
    format!("{} ms", cell(s, sig3))
}

/// The HTTP clients the models drove, when they differ: part of the memory per request is
/// the client's.
fn clients(f: &Figures) -> Option<String> {
    let mut clients: Vec<(&str, Vec<String>)> = Vec::new();
    for m in &f.models {
        let Some(client) = m.client.as_deref() else {
            continue;
        };
        match clients.iter_mut().find(|(c, _)| *c == client) {
            Some((_, labels)) => labels.push(m.label.clone()),
            None => clients.push((client, vec![m.label.clone()])),
        }
    }
    let list: Vec<String> = clients
        .iter()
        .map(|(c, labels)| format!("{c} ({})", join_and(labels)))
        .collect();
    (list.len() > 1).then(|| {
        format!(
            "HTTP clients: {}; part of the memory per request is the client's buffers, not the \
             thread or the coroutine",
            join_and(&list)
        )
    })
}

fn table(f: &Figures) -> Table {
    let dash = || "—".to_string();
    let rows = f
        .models
        .iter()
        .map(|m| match &m.at_max {
            Ok(now) => vec![
                m.label.clone(),
                number(now.throughput.median),
                m.ideal
                    .map_or_else(dash, |i| pct(now.throughput.median / i)),
                now.p99_ms.map_or_else(dash, |s| cell(&s, sig3)),
                mem(now.peak_rss_kib.median * 1024.0),
                f.rss_per_request(m).map_or_else(dash, mem),
            ],
            Err(statuses) => {
                vec![
                    m.label.clone(),
                    statuses.clone(),
                    dash(),
                    dash(),
                    dash(),
                    dash(),
                ]
            }
        })
        .collect();
    let c_max = number(f.c_max as f64);
    let runs = if f.one_run_each {
        "one run each"
    } else {
        "medians over the runs"
    };
    Table {
        caption: format!("At C = {c_max} requests in flight ({runs})"),
        header: vec![
            "model".into(),
            "requests/s".into(),
            "of the ideal".into(),
            "p99 ms".into(),
            "peak RSS".into(),
            match f.c_prev {
                Some(cp) => format!("RSS per extra request from C = {}", number(cp as f64)),
                None => "RSS per extra request".into(),
            },
        ],
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::run;

    const IO: &str =
        "workload,model,variant,n,concurrency,delay_ms,status,peak_rss_kib,throughput_per_s";
    const LOW: &str = "http,tokio,default,200,10,50,ok,9000,190";

    fn verdict(at_max: &[&str]) -> Verdict {
        let lines: Vec<&str> = std::iter::once(LOW).chain(at_max.iter().copied()).collect();
        measure(&run(IO, &lines)).map_or(Verdict::NotMeasured, |f| f.verdict())
    }

    #[test]
    fn async_must_complete_and_beat_threads_at_the_highest_concurrency() {
        let tokio = "http,tokio,default,20000,10000,50,ok,30000,150000";
        let threads_failed = "http,threads,default,20000,10000,50,aborted,,";
        let threads_ok = "http,threads,default,20000,10000,50,ok,20000,190000";
        assert_eq!(verdict(&[threads_failed, tokio]), Verdict::Reproduced);
        assert_eq!(verdict(&[threads_ok, tokio]), Verdict::Partly);
        let crashed = "http,tokio,default,20000,10000,50,crashed,,";
        assert_eq!(verdict(&[crashed]), Verdict::NotReproduced);
        assert_eq!(verdict(&[threads_ok]), Verdict::NotMeasured);
    }

    #[test]
    fn the_step_below_gives_the_growth_and_the_memory_per_request() {
        let f = measure(&run(
            IO,
            &[LOW, "http,tokio,default,20000,10000,50,ok,30000,150000"],
        ))
        .expect("measured");
        assert_eq!((f.c_max, f.c_prev), (10_000, Some(10)));
        let tokio = &f.models[0];
        assert_eq!(tokio.before.map(|b| b.throughput.median), Some(190.0));
        assert_eq!(tokio.ideal, Some(200_000.0));
        let row = &word(&f).tables[0].rows[0];
        assert_eq!(row[1..], ["150k", "75.0 %", "—", "29.3 MiB", "2.1 KiB"]);
    }

    #[test]
    fn against_the_same_client_an_advantage_must_be_clear() {
        let head = "workload,model,variant,n,concurrency,delay_ms,status,peak_rss_kib,\
                    throughput_per_s,p99_ms";
        let with = |tokio_thr: &str, tokio_p99: &str| {
            let control = "http,threads,hyper,20000,10000,50,ok,20000,100000,900";
            let tokio =
                format!("http,tokio,default,20000,10000,50,ok,30000,{tokio_thr},{tokio_p99}");
            let smol = format!("http,smol,default,20000,10000,50,ok,30000,{tokio_thr},{tokio_p99}");
            measure(&run(head, &[control, &tokio, &smol])).expect("measured")
        };
        assert_eq!(with("150000", "400").due(), Answer::Yes);
        assert_eq!(
            with("100000", "900").due(),
            Answer::No,
            "a tie is not an advantage"
        );
        assert_eq!(
            with("150000", "1900").due(),
            Answer::No,
            "faster but clearly later"
        );
        let f = with("150000", "400");
        let d = due(&f);
        let text = d.evidence.join("\n");
        assert!(
            text.contains("tokio: 150k req/s (1.5× the threads'), p99 400"),
            "{text}"
        );
        assert!(text.contains("(0.444× the threads')"), "{text}");
    }

    #[test]
    fn without_the_control_only_the_models_that_got_there_have_the_advantage() {
        let control = "http,threads,hyper,20000,10000,50,timeout,,";
        let tokio_ok = "http,tokio,default,20000,10000,50,ok,30000,150000";
        let tokio_failed = "http,tokio,default,20000,10000,50,timeout,,";
        let due_of = |lines: &[&str]| due(&measure(&run(IO, lines)).expect("measured"));
        assert_eq!(due_of(&[LOW, control, tokio_ok]).answer, Answer::Yes);
        let neither = due_of(&[LOW, control, tokio_failed]);
        assert_eq!(neither.answer, Answer::NotMeasured);
        assert!(neither.evidence[0].contains("no async model got there either"));
    }
}
