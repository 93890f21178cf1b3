//! C2: coroutines cut the I/O time by 73 %. Measured: every model's wall time for all the
//! GETs at each keep-alive setting, and its reduction against the sequential loop's.

use super::cells::{cell, ci_words, keep_alive, percent};
use super::grid::Grid;
use super::points::{
    async_models, baseline_models, by_label, control_models, label_is_async, label_is_control,
    label_is_plain_threads,
};
use super::Claim;
use crate::finding::{Answer, Due, Finding, Table, Verdict};
use tvc_core::registry::Language;
use tvc_core::{registry, Workload};
use tvc_plot::names;
use tvc_results::format::{join_and, pct, sig3, span, time_ms, times};
use tvc_results::{PointKey, Run, Stat};

pub static CLAIM: Claim = Claim {
    id: "C2",
    title: "Coroutines cut the I/O time by 73 %",
    claim: "Coroutines cut the I/O time sharply: 200 concurrent GETs take 73 % less time.",
    article: "4.5 s with coroutines, a 73 % reduction",
    experiments: &["article"],
    rule,
    due_rule: Some(due_rule),
    why: "With all 200 requests in flight at once, the wall time approaches one round trip \
          instead of 200, whatever runs the concurrency: OS threads get there as well as \
          coroutines, and a pool smaller than the concurrency does not. The article's 4.5 s is \
          54 round trips, not one. Its own code, run here against the same server (the \
          python rows, with httpx installed), shows what it costs by itself: httpx's default \
          pool holds 100 connections, so 200 requests go in two waves, and Python spends its \
          own CPU on every request; what its 4.5 s holds beyond that came from outside the \
          client code (its network and the remote site answering 100 new connections at \
          once), and says nothing about coroutines.",
    languages: &[
        (
            Language::Python,
            "Both languages cut the time the same way, by waiting for many requests at once, \
             which OS threads can do as well as coroutines. Python's figures carry its client's \
             cost: httpx spends milliseconds of CPU a request (its connection pool scans every \
             pooled connection for every queued request), which a single event loop pays on one \
             core.",
        ),
        (
            Language::Go,
            "Both languages cut the time the same way, by waiting for many requests at once, \
             which goroutines locked to their own OS threads do as well as free ones; what \
             differs between the figures is what each request costs besides the waiting.",
        ),
        (
            Language::Java,
            "Both languages cut the time the same way, by waiting for many requests at once, \
             which platform threads do as well as virtual threads. Java's figures carry the start \
             of a platform thread per request and its client's cost per exchange, paid 200 times \
             over on the machine's cores.",
        ),
    ],
    charts: &[names::ARTICLE_WALL, names::LATENCY],
};

/// The article's reduction, which every async model must reach.
pub const ARTICLE_REDUCTION: f64 = 0.73;
/// The article's wall time with coroutines, in s, and its server's delay, in ms: together
/// they say how many round trips its 200 GETs really took.
pub const ARTICLE_WALL_S: f64 = 4.5;
pub const ARTICLE_DELAY_MS: u64 = 83;
/// A model that kept fewer requests in flight than this fraction of those asked is named:
/// its wall time counts round trips of its own making.
pub const FEW_IN_FLIGHT: f64 = 0.9;

fn rule() -> String {
    format!(
        "Reduction = 1 − model median ÷ the median of its language's one-after-another baseline \
         ({}) at the same keep-alive setting. Reproduced if every async model ({} and their \
         variants) reaches at least {} at every setting; partly if some do; not reproduced if \
         none does.",
        baseline_models(),
        async_models(),
        percent(ARTICLE_REDUCTION)
    )
}

fn due_rule() -> String {
    format!(
        "The cut is the coroutines' own only where OS threads driving the same HTTP client \
         ({}) do not make it: yes if those threads fall short of {} at every keep-alive \
         setting where the async models reach it, no if they reach it wherever the async \
         models do, partly otherwise; not measured without the control. Whether the async \
         models are also clearly faster than those threads is reported beside it.",
        control_models(),
        percent(ARTICLE_REDUCTION)
    )
}

/// One model at one keep-alive setting.
#[derive(Debug, Clone, PartialEq)]
pub enum Wall {
    /// The model ran, but the sequential loop measured nothing at this setting.
    NoBaseline,
    /// The model measured nothing: how its repetitions ended.
    Failed(String),
    /// The model cannot run at this setting by design (the article's AsyncClient programs
    /// pool their connections): not a failure, and not in the verdict.
    Unsupported(String),
    Measured {
        /// Wall time of all the GETs, in ms.
        wall: Stat,
        /// 1 − model median ÷ sequential median.
        reduction: f64,
        delay_ms: u64,
    },
}

/// How many requests a model really kept in flight, when it was measured.
#[derive(Debug, Clone, PartialEq)]
pub struct InFlight {
    pub n: u64,
    pub asked: u64,
    pub kept: f64,
    /// The model's worker threads, when it counted them.
    pub workers: Option<f64>,
}

impl InFlight {
    pub fn fell_short(&self) -> bool {
        self.kept < FEW_IN_FLIGHT * self.asked as f64
    }
}

/// C2's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Every model but the sequential loop at every keep-alive setting (on before off).
    pub walls: Grid<bool, Wall>,
    /// Requests kept in flight, by the models that counted them.
    pub in_flight: Vec<(String, InFlight)>,
    /// The sequential loop's wall time at each keep-alive setting, where it measured.
    pub baseline: Vec<(bool, Stat)>,
    /// The article's own code, its coroutines against its loop, worded (not in the verdict).
    pub peer: Vec<String>,
}

pub fn measure(article: &Run) -> Figures {
    let points = article.points_of(Workload::Http);
    let mut modes: Vec<bool> = points.iter().map(|p| p.keep_alive).collect();
    modes.sort_unstable_by(|a, b| b.cmp(a));
    modes.dedup();
    let sequential = |ka: bool| {
        points
            .iter()
            .find(|p| p.is_baseline() && p.keep_alive == ka)
            .and_then(|p| article.stat(p, "wall_ms"))
    };
    let models: Vec<&PointKey> = points
        .iter()
        .copied()
        .filter(|p| !p.is_baseline())
        .collect();
    let walls = Grid::of(
        &models,
        modes,
        |p| p.keep_alive,
        |here| {
            let p = *here.first()?;
            let Some(seq) = sequential(p.keep_alive) else {
                return Some(Wall::NoBaseline);
            };
            Some(match article.stat(p, "wall_ms") {
                Some(wall) => Wall::Measured {
                    wall,
                    reduction: 1.0 - wall.median / seq.median,
                    delay_ms: p.delay_ms,
                },
                None if article.unsupported(p) => Wall::Unsupported(article.statuses(p)),
                None => Wall::Failed(article.statuses(p)),
            })
        },
    );
    let in_flight = by_label(&models)
        .into_iter()
        .filter_map(|(label, of_label)| {
            let p = *of_label.first()?;
            let kept = article.stat(p, "in_flight")?.median;
            let workers = article.stat(p, "workers").map(|w| w.median);
            let (n, asked) = (p.n, p.concurrency);
            Some((
                label,
                InFlight {
                    n,
                    asked,
                    kept,
                    workers,
                },
            ))
        })
        .collect();
    let baseline = points
        .iter()
        .filter(|p| p.is_baseline())
        .filter_map(|p| Some((p.keep_alive, article.stat(p, "wall_ms")?)))
        .collect();
    Figures {
        walls,
        in_flight,
        baseline,
        peer: super::peer::coroutine_lines(article),
    }
}

impl Figures {
    /// The reductions of the models `keep` picks, setting by setting where the sequential
    /// loop measured; `None` where the model failed.
    fn reductions(&self, keep: fn(&str) -> bool) -> Vec<Option<f64>> {
        let cells = self.walls.cells_of(keep);
        cells
            .filter_map(|(_, w)| match w {
                Wall::Measured { reduction, .. } => Some(Some(*reduction)),
                Wall::Failed(_) => Some(None),
                Wall::NoBaseline | Wall::Unsupported(_) => None,
            })
            .collect()
    }

    /// Every async model's reductions; one that failed reduced nothing at all.
    pub fn async_reductions(&self) -> Vec<f64> {
        let reductions = self.reductions(label_is_async).into_iter();
        reductions.map(|r| r.unwrap_or(f64::NEG_INFINITY)).collect()
    }

    /// The threads model's reductions (its own client): the same test without coroutines.
    pub fn thread_reductions(&self) -> Vec<f64> {
        self.reductions(label_is_plain_threads)
            .into_iter()
            .flatten()
            .collect()
    }

    /// The same-client control's reductions: OS threads driving the async models' client.
    pub fn control_reductions(&self) -> Vec<f64> {
        self.reductions(label_is_control)
            .into_iter()
            .flatten()
            .collect()
    }

    /// A label's wall time at one setting, when it measured (the sequential loop's too).
    fn wall(&self, label: &str, ka: bool) -> Option<Stat> {
        if registry::is_baseline(label) {
            return self
                .baseline
                .iter()
                .find(|(k, _)| *k == ka)
                .map(|(_, s)| *s);
        }
        match self.walls.get(label, ka)? {
            Wall::Measured { wall, .. } => Some(*wall),
            _ => None,
        }
    }

    /// Each async model with its same-client control (OS threads driving its very client),
    /// where the run measured that control.
    fn with_controls(&self) -> Vec<(&str, String)> {
        let measured = |l: &str| self.walls.rows.iter().any(|r| r.label == l);
        let rows = self.walls.rows.iter().filter(|r| label_is_async(&r.label));
        rows.filter_map(|r| {
            let control = registry::control_of(&r.label).filter(|c| measured(c))?;
            Some((r.label.as_str(), control))
        })
        .collect()
    }

    /// Per async model and setting where its control measured: whether the model's wall
    /// time is clearly below its control's.
    pub fn clearly_faster_than_control(&self) -> Vec<bool> {
        let mut out = Vec::new();
        for (label, control) in self.with_controls() {
            for ka in &self.walls.settings {
                if matches!(self.walls.get(label, *ka), Some(Wall::Unsupported(_))) {
                    continue;
                }
                if let Some(t) = self.wall(&control, *ka) {
                    out.push(self.wall(label, *ka).is_some_and(|a| a.clearly_below(&t)));
                }
            }
        }
        out
    }

    /// Per async model and setting where it reached the article's cut and its control
    /// measured: whether the control fell short of it (the cut needs coroutines there).
    pub fn control_falls_short(&self) -> Vec<bool> {
        let reduction = |label: &str, ka: bool| match self.walls.get(label, ka) {
            Some(Wall::Measured { reduction, .. }) => Some(*reduction),
            _ => None,
        };
        let mut out = Vec::new();
        for (label, control) in self.with_controls() {
            for ka in &self.walls.settings {
                if reduction(label, *ka).is_some_and(|x| x >= ARTICLE_REDUCTION) {
                    if let Some(t) = reduction(&control, *ka) {
                        out.push(t < ARTICLE_REDUCTION);
                    }
                }
            }
        }
        out
    }

    /// The second question's answer.
    pub fn due(&self) -> Answer {
        Answer::of(&self.control_falls_short())
    }

    /// The same model with its own client and with the async models': `(label with its own,
    /// label with hyper, setting, wall with its own, wall with hyper)`.
    fn client_pairs(&self) -> Vec<(String, String, bool, Stat, Stat)> {
        let mut out = Vec::new();
        for hyper in self.walls.rows.iter().map(|r| &r.label) {
            let (Some(m), Some(v)) = registry::lookup(hyper) else {
                continue;
            };
            // The same model on another client: not a language's baseline against its
            // threads (python, one after another, against python:threads).
            let base_one_at_a_time = registry::lookup(m.name).1.is_some_and(|b| b.one_at_a_time);
            if !v.same_client || base_one_at_a_time != v.one_at_a_time {
                continue;
            }
            for ka in &self.walls.settings {
                if let (Some(own), Some(h)) = (self.wall(m.name, *ka), self.wall(hyper, *ka)) {
                    out.push((m.name.to_string(), hyper.clone(), *ka, own, h));
                }
            }
        }
        out
    }

    /// The fastest async model (the first of equals): its label, wall time in ms and delay.
    pub fn fastest(&self) -> Option<(&str, f64, u64)> {
        let mut fastest: Option<(&str, f64, u64)> = None;
        for (label, w) in self.walls.cells_of(label_is_async) {
            if let Wall::Measured { wall, delay_ms, .. } = w {
                if *delay_ms > 0 && fastest.is_none_or(|f| wall.median < f.1) {
                    fastest = Some((label, wall.median, *delay_ms));
                }
            }
        }
        fastest
    }

    pub fn verdict(&self) -> Verdict {
        let reached: Vec<bool> = self
            .async_reductions()
            .iter()
            .map(|r| *r >= ARTICLE_REDUCTION)
            .collect();
        Verdict::of_parts(&reached)
    }
}

/// C2 from the article run, when there is one.
pub fn finding(article: Option<&Run>) -> Finding {
    super::from_run(&CLAIM, article, measure, word)
}

fn word(f: &Figures) -> Finding {
    let reductions = f.async_reductions();
    if reductions.is_empty() {
        return Finding::not_measured(&CLAIM, Vec::new());
    }
    let threads = f.thread_reductions();
    let finite: Vec<f64> = reductions
        .iter()
        .copied()
        .filter(|r| r.is_finite())
        .collect();
    let mut evidence =
        vec![format!(
        "{} of {} async measurements (each async model at each keep-alive setting) cut the wall \
         time by at least {}{}",
        reductions.iter().filter(|r| **r >= ARTICLE_REDUCTION).count(),
        reductions.len(),
        percent(ARTICLE_REDUCTION),
        if finite.is_empty() {
            String::new()
        } else {
            format!(": by {}", span(&finite, pct))
        }
    )];
    if !threads.is_empty() {
        evidence.push(format!(
            "plain OS threads, one per request, cut it by {}: the same, without coroutines",
            span(&threads, pct)
        ));
    }
    for (label, k) in f.in_flight.iter().filter(|(_, k)| k.fell_short()) {
        evidence.push(format!(
            "{label} kept only {} in flight{} where the others kept {}, so its wall time \
             is about {} ÷ {} = {} round trips",
            if k.kept == 1.0 {
                "1 request".to_string()
            } else {
                format!("{} requests", sig3(k.kept))
            },
            if k.kept == 1.0 {
                " (one after another)"
            } else if k.workers == Some(k.kept) {
                " (one per worker thread)"
            } else {
                ""
            },
            k.asked,
            k.n,
            sig3(k.kept),
            sig3(k.n as f64 / k.kept)
        ));
    }
    if let Some((label, wall, d)) = f.fastest() {
        evidence.push(format!(
            "the fastest, {label}, took {} = {:.1} round trips of {d} ms for all the GETs; the \
             article's {ARTICLE_WALL_S} s is {:.0} round trips of {ARTICLE_DELAY_MS} ms",
            time_ms(wall),
            wall / d as f64,
            ARTICLE_WALL_S * 1000.0 / ARTICLE_DELAY_MS as f64
        ));
    }
    evidence.extend(f.peer.iter().cloned());
    let mut measured = if finite.is_empty() {
        "no async model completed".to_string()
    } else {
        format!("async models −{}", span(&finite, pct))
    };
    if !threads.is_empty() {
        measured.push_str(&format!("; threads −{}", span(&threads, pct)));
    }
    Finding::new(&CLAIM, f.verdict(), measured, evidence)
        .with_tables(vec![table(f)])
        .with_due(due(f))
}

fn due(f: &Figures) -> Due {
    let control = f.control_reductions();
    if control.is_empty() {
        return Due::not_measured(&format!(
            "no run of OS threads with the same client ({}) to compare",
            control_models()
        ));
    }
    let faster = f.clearly_faster_than_control();
    let finite: Vec<f64> = f
        .async_reductions()
        .into_iter()
        .filter(|r| r.is_finite())
        .collect();
    let controls: Vec<String> = f
        .walls
        .rows
        .iter()
        .map(|r| r.label.clone())
        .filter(|l| label_is_control(l))
        .collect();
    let mut evidence = vec![
        format!(
            "OS threads driving the async models' own client ({}) cut the wall time by {}; \
             the async models by {}",
            join_and(&controls),
            span(&control, pct),
            if finite.is_empty() {
                "nothing (none completed)".to_string()
            } else {
                span(&finite, pct)
            }
        ),
        format!(
            "beside that: {} of {} async measurements are clearly faster than those threads \
             (the top of their interval below the bottom of the threads'), a margin on the \
             article's cut, not the cut itself (spawning 200 threads costs more than spawning \
             200 tasks)",
            faster.iter().filter(|c| **c).count(),
            faster.len()
        ),
    ];
    for (own, hyper, ka, a, b) in f.client_pairs() {
        evidence.push(format!(
            "the client alone, {}: {own} (its own client) {} against {hyper} {}, the same \
             model: {}",
            keep_alive(ka),
            time_ms(a.median),
            time_ms(b.median),
            if a.clearly_below(&b) || b.clearly_below(&a) {
                format!("the client changes it by {}", times(b.median / a.median))
            } else {
                "the client makes no difference beyond the intervals".to_string()
            }
        ));
    }
    let answer = f.due();
    let measured = format!(
        "threads with the same client −{}{}",
        span(&control, pct),
        match answer {
            Answer::No => ": the cut is concurrency's, not the coroutines'",
            Answer::Partly => ": they fall short at some settings",
            _ => "",
        }
    );
    Due {
        answer,
        measured,
        evidence,
    }
}

fn table(f: &Figures) -> Table {
    let mut stats = Vec::new();
    let rows = f.walls.table_rows(|w| match w {
        Wall::NoBaseline => "no sequential run to compare".to_string(),
        Wall::Failed(statuses) | Wall::Unsupported(statuses) => statuses.clone(),
        Wall::Measured {
            wall, reduction, ..
        } => {
            stats.push(*wall);
            let sign = if *reduction < 0.0 { "+" } else { "−" };
            format!("{}, {sign}{}", cell(wall, time_ms), pct(reduction.abs()))
        }
    });
    let header = f.walls.header(|ka| keep_alive(*ka).to_string());
    Table {
        caption: format!(
            "Wall time of all the GETs, {}, and its reduction against sequential",
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

    const HTTP: &str = "workload,model,variant,n,concurrency,delay_ms,keep_alive,status,wall_ms";
    const SEQ: &str = "http,sequential,default,200,1,83,true,ok,16900";

    /// The verdict with tokio and smol taking these wall times (ms) beside the sequential loop.
    fn verdict(tokio: &str, smol: &str) -> Verdict {
        let tokio = format!("http,tokio,default,200,200,83,true,{tokio}");
        let smol = format!("http,smol,default,200,200,83,true,{smol}");
        measure(&run(HTTP, &[SEQ, &tokio, &smol])).verdict()
    }

    #[test]
    fn every_async_model_must_reach_73_percent() {
        assert_eq!(verdict("ok,100", "ok,110"), Verdict::Reproduced);
        assert_eq!(verdict("ok,100", "ok,9000"), Verdict::Partly);
        assert_eq!(verdict("ok,8000", "ok,9000"), Verdict::NotReproduced);
        // A model that failed reduced nothing.
        assert_eq!(verdict("ok,100", "timeout,"), Verdict::Partly);
        // One that cannot run at this setting by design is not in the verdict.
        assert_eq!(verdict("ok,100", "unsupported,"), Verdict::Reproduced);
        assert_eq!(
            verdict("unsupported,", "unsupported,"),
            Verdict::NotMeasured
        );
    }

    #[test]
    fn the_cut_is_the_coroutines_only_where_threads_with_their_client_miss_it() {
        let with = |control_wall: &str| {
            let control = format!("http,threads,hyper,200,200,83,true,ok,{control_wall}");
            measure(&run(
                HTTP,
                &[SEQ, "http,tokio,default,200,200,83,true,ok,100", &control],
            ))
        };
        assert_eq!(with("102").due(), Answer::No, "threads cut it as much");
        assert_eq!(
            with("9000").due(),
            Answer::Yes,
            "threads fall short of 73 %"
        );
        let none = measure(&run(
            HTTP,
            &[SEQ, "http,tokio,default,200,200,83,true,ok,100"],
        ));
        assert_eq!(none.due(), Answer::NotMeasured);
        let d = due(&with("102"));
        assert!(
            d.measured.contains("the cut is concurrency's"),
            "{}",
            d.measured
        );
    }

    #[test]
    fn threads_alone_do_not_speak_for_coroutines() {
        let threads = "http,threads,default,200,200,83,true,ok,100";
        let f = measure(&run(HTTP, &[SEQ, threads]));
        assert_eq!(f.verdict(), Verdict::NotMeasured);
        assert!((f.thread_reductions()[0] - (1.0 - 100.0 / 16900.0)).abs() < 1e-9);
    }

    #[test]
    fn a_pool_smaller_than_the_concurrency_falls_short_of_it() {
        let header = "workload,model,variant,n,concurrency,delay_ms,keep_alive,status,in_flight";
        let f = measure(&run(header, &["http,rayon,default,200,200,83,true,ok,2"]));
        let (label, k) = &f.in_flight[0];
        assert_eq!(label, "rayon");
        assert!(k.fell_short() && k.kept == 2.0, "{k:?}");
    }
}
