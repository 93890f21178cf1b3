//! C7: coroutines are unsuitable for CPU-bound work. Measured in two runs: the speedup of
//! CPU-bound work over the sequential loop (cpu), and what CPU work run inline or offloaded
//! does to the p99 latency of the I/O beside it (blocking).

use super::cells::{cell, ci_words, holds, percent};
use super::grid::Grid;
use super::points::{
    baseline_models, control_models, is_async, is_thread_model, label_is_control, language_of,
    ordered, thread_models,
};
use super::Claim;
use crate::finding::{Answer, Due, Finding, Table, Verdict};
use tvc_core::registry::{Family, Language};
use tvc_core::{CpuMode, Workload};
use tvc_plot::names;
use tvc_results::format::{join_and, sig3, span, times};
use tvc_results::{speedup, PointKey, Run, Stat};

pub static CLAIM: Claim = Claim {
    id: "C7",
    title: "Coroutines are unsuitable for CPU-bound work",
    claim: "Coroutines are unsuitable for CPU-bound work.",
    article: "no figure (a qualitative claim)",
    experiments: &["cpu", "blocking"],
    rule,
    due_rule: Some(due_rule),
    why: "A multi-threaded runtime spreads CPU-bound tasks over its worker threads much as a \
          pool does, so throughput is not the problem; a single-threaded executor (tokio's \
          current-thread runtime, smol with its one default executor thread) uses one core \
          whatever the machine has. The problem is latency: a task never yields while it \
          computes, so it holds its worker and every I/O task queued behind it waits; on a \
          one-thread executor, inline CPU work delays every request in flight. Handing the work \
          to a blocking pool (spawn_blocking, smol::unblock) frees the runtime's threads, but on \
          a machine with few cores the pool still competes with the I/O for the same cores, so \
          it improves the p99 without restoring it.",
    languages: &[
        (
            Language::Python,
            "In Rust a multi-threaded runtime spreads CPU-bound tasks over every core as threads \
             do. In CPython the GIL lets one thread run Python code at a time, so threads give no \
             speedup either and only processes (an interpreter and a GIL each) run CPU work in \
             parallel: there the claim's 'traditional parallelism' means processes. A CPU-bound \
             task blocks asyncio's one loop as it blocks a single-threaded Rust executor.",
        ),
        (
            Language::Go,
            "Go runs goroutines on every core (GOMAXPROCS) and preempts one that never yields, so \
             CPU-bound goroutines get the speedup threads get; only go:gomaxprocs=1, the analogue \
             of a single-threaded executor, gets none. The claim holds for single-threaded event \
             loops, not for coroutines as such.",
        ),
        (
            Language::Java,
            "Virtual threads run on a carrier pool of one thread per core, so CPU-bound virtual \
             threads spread over every core as platform threads do. They are not preempted, \
             though: a virtual thread that computes without blocking holds its carrier, and a \
             virtual thread whose I/O has completed waits for a free carrier behind it.",
        ),
    ],
    charts: &[names::CPU_SPEEDUP, names::BLOCKING],
};

/// CPU part: every async model's speedup stays below this fraction of the best thread
/// model's.
pub const CPU_SHARE: f64 = 0.75;
/// Blocking part: CPU work run inline multiplies the I/O's p99 by at least this.
pub const STARVED: f64 = 2.0;

fn rule() -> String {
    format!(
        "Two parts. CPU: every async model's speedup over its language's one-after-another \
         baseline ({}) is below {} of the best thread or process model's ({}). Blocking: for every async model, running the CPU work inline {} \
         the p99 latency of the I/O beside it. Reproduced if both hold, partly if one does, not \
         reproduced if neither does.",
        baseline_models(),
        percent(CPU_SHARE),
        thread_models(),
        at_least(STARVED)
    )
}

/// The second question: inline CPU work starves the coroutines' I/O more than OS threads'
/// when the coroutines' p99 ratio is at least this times the threads'.
pub const WORSE_THAN_THREADS: f64 = 1.5;

fn due_rule() -> String {
    format!(
        "Against OS threads driving the same HTTP client beside the same CPU work on OS threads \
         ({}: a thread per CPU unit inline, a pool of one per core offloaded), on the same \
         cores: the starvation is the coroutines' when an async model's p99 with the CPU \
         work inline is at least {} its own without it and at least {} the threads' ratio. Yes \
         if every async model's is, no if none is, partly otherwise; not measured without the \
         control.",
        control_models(),
        times(STARVED),
        times(WORSE_THAN_THREADS)
    )
}

/// A factor a rule asks for, as a verb: `at least doubles`.
fn at_least(factor: f64) -> String {
    match factor {
        2.0 => "at least doubles".into(),
        3.0 => "at least triples".into(),
        k => format!("multiplies by at least {}", times(k)),
    }
}

/// One model's speedup over the sequential loop.
#[derive(Debug, Clone, PartialEq)]
pub struct Speedup {
    pub label: String,
    pub is_async: bool,
    pub is_thread_model: bool,
    /// A pool of processes (Python's parallelism under the GIL), named apart from threads.
    pub is_processes: bool,
    pub speedup: Stat,
}

/// The cpu run, when the sequential loop measured there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cpu {
    pub cores: Option<u64>,
    /// In the README's order.
    pub speedups: Vec<Speedup>,
}

impl Cpu {
    fn medians(&self, keep: fn(&Speedup) -> bool) -> Vec<f64> {
        let kept = self.speedups.iter().filter(|s| keep(s));
        kept.map(|s| s.speedup.median).collect()
    }

    /// The best thread model's speedup; −∞ without one.
    pub fn best_thread(&self) -> f64 {
        let threads = self.medians(|s| s.is_thread_model);
        threads.into_iter().fold(f64::NEG_INFINITY, f64::max)
    }

    /// Whether an async speedup is held below [`CPU_SHARE`] of the best thread model's.
    pub fn held(&self, s: &Speedup) -> bool {
        s.speedup.median < CPU_SHARE * self.best_thread()
    }

    /// Whether every async model was held back; `None` without a thread model and an async
    /// one to compare.
    pub fn part(&self) -> Option<bool> {
        let asyncs: Vec<&Speedup> = self.speedups.iter().filter(|s| s.is_async).collect();
        let compared = self.best_thread().is_finite() && !asyncs.is_empty();
        compared.then(|| asyncs.iter().all(|s| self.held(s)))
    }
}

/// The blocking run.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocking {
    pub cores: Option<u64>,
    /// The server's delay per request.
    pub delay_ms: Option<u64>,
    /// Each async model's I/O p99 (ms) without CPU work, with it inline, with it offloaded.
    pub p99: Grid<CpuMode, Stat>,
    /// The same for OS threads driving the same client beside CPU work on OS threads.
    pub control: Option<Grid<CpuMode, Stat>>,
}

impl Blocking {
    /// A model's p99 under each CPU mode, in [`CpuMode::ALL`]'s order.
    fn modes(&self, label: &str) -> [Option<Stat>; 3] {
        CpuMode::ALL.map(|mode| self.p99.get(label, mode).copied())
    }

    /// Whether offloading the CPU work lowered every model's p99 below its p99 inline.
    fn offload_helps(&self) -> bool {
        self.p99.rows.iter().all(|r| match self.modes(&r.label) {
            [_, Some(inline), Some(offload)] => offload.median < inline.median,
            _ => true,
        })
    }

    /// The p99 with CPU work `mode` over the p99 without, for each model that measured both.
    pub fn ratios(&self, mode: CpuMode) -> Vec<f64> {
        let mut ratios = Vec::new();
        for r in &self.p99.rows {
            let [none, inline, offload] = self.modes(&r.label);
            let with = match mode {
                CpuMode::None => none,
                CpuMode::Inline => inline,
                // Only where inline was measured too, so both ratios speak of the same models.
                CpuMode::Offload => inline.and(offload),
            };
            if let (Some(n), Some(w)) = (none, with) {
                ratios.push(w.median / n.median);
            }
        }
        ratios
    }

    /// The first control's p99 with CPU work `mode` over its p99 without.
    pub fn control_ratio(&self, mode: CpuMode) -> Option<f64> {
        let row = self.control.as_ref()?.rows.first()?;
        self.control_ratio_of(&row.label, mode)
    }

    /// A control's p99 with CPU work `mode` over its p99 without.
    fn control_ratio_of(&self, control: &str, mode: CpuMode) -> Option<f64> {
        let g = self.control.as_ref()?;
        let none = g.get(control, CpuMode::None)?;
        let with = g.get(control, mode)?;
        Some(with.median / none.median)
    }

    /// Per async model that measured both, against its own same-client control where that
    /// measured: whether inline CPU work hurt its I/O more than the control's (the second
    /// question); empty without a control.
    pub fn worse_than_control(&self) -> Vec<bool> {
        let mut out = Vec::new();
        for r in &self.p99.rows {
            let [none, inline, _] = self.modes(&r.label);
            let control = tvc_core::registry::control_of(&r.label);
            let t = control.and_then(|c| self.control_ratio_of(&c, CpuMode::Inline));
            if let (Some(n), Some(w), Some(t)) = (none, inline, t) {
                let ratio = w.median / n.median;
                out.push(ratio >= STARVED && ratio >= WORSE_THAN_THREADS * t);
            }
        }
        out
    }

    /// Whether inline CPU work starved the I/O on every async model; `None` when none
    /// measured both.
    pub fn part(&self) -> Option<bool> {
        let ratios = self.ratios(CpuMode::Inline);
        (!ratios.is_empty()).then(|| ratios.iter().all(|r| *r >= STARVED))
    }
}

/// C7's figures: either run may be missing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub cpu: Option<Cpu>,
    pub blocking: Option<Blocking>,
}

fn measure_cpu(run: &Run) -> Option<Cpu> {
    let points = run.points_of(Workload::Cpu);
    let seq = points
        .iter()
        .find(|p| p.is_baseline())
        .and_then(|p| run.stat(p, "wall_ms"))?;
    let speedups = ordered(points)
        .into_iter()
        .filter(|p| !p.is_baseline())
        .filter_map(|p| {
            Some(Speedup {
                label: p.label(),
                is_async: is_async(p),
                is_thread_model: is_thread_model(p),
                is_processes: p.family() == Some(Family::Processes),
                speedup: speedup(seq, run.stat(p, "wall_ms")?),
            })
        })
        .collect();
    Some(Cpu {
        cores: run.env.u64("machine.cpus"),
        speedups,
    })
}

fn measure_blocking(run: &Run) -> Blocking {
    let points = run.points_of(Workload::Blocking);
    let grid = |keep: &dyn Fn(&PointKey) -> bool| {
        let these: Vec<&PointKey> = points.iter().copied().filter(|p| keep(p)).collect();
        Grid::of(
            &these,
            CpuMode::ALL.to_vec(),
            |p| p.cpu_mode,
            |here| run.stat(here.first()?, "p99_ms"),
        )
    };
    let control = grid(&|p| label_is_control(&p.label()));
    Blocking {
        cores: run.env.u64("machine.cpus"),
        delay_ms: points.first().map(|p| p.delay_ms),
        p99: grid(&|p| is_async(p)),
        control: (!control.rows.is_empty()).then_some(control),
    }
}

pub fn measure(cpu: Option<&Run>, blocking: Option<&Run>) -> Figures {
    Figures {
        cpu: cpu.and_then(measure_cpu),
        blocking: blocking.map(measure_blocking),
    }
}

impl Figures {
    /// The parts that could be measured, CPU first.
    pub fn parts(&self) -> Vec<bool> {
        let cpu = self.cpu.as_ref().and_then(Cpu::part);
        let blocking = self.blocking.as_ref().and_then(Blocking::part);
        cpu.into_iter().chain(blocking).collect()
    }

    pub fn verdict(&self) -> Verdict {
        let parts = self.parts();
        match Verdict::of_parts(&parts) {
            // With one part missing, "reproduced" would claim more than was measured.
            Verdict::Reproduced if parts.len() == 1 => Verdict::Partly,
            v => v,
        }
    }
}

/// C7 from the cpu and blocking runs, either of which may be missing.
pub fn finding(cpu: Option<&Run>, blocking: Option<&Run>) -> Finding {
    word(&measure(cpu, blocking))
}

fn word(f: &Figures) -> Finding {
    let (mut evidence, mut measured, mut tables) = (Vec::new(), Vec::new(), Vec::new());
    if let Some(cpu) = &f.cpu {
        word_cpu(cpu, &mut evidence, &mut measured);
        tables.push(cpu_table(cpu));
    }
    if let Some(b) = f.blocking.as_ref().filter(|b| b.part().is_some()) {
        word_blocking(b, &mut evidence, &mut measured);
        tables.push(blocking_table(b));
    }
    let verdict = f.verdict();
    if verdict == Verdict::NotMeasured {
        return Finding::not_measured(&CLAIM, evidence);
    }
    if f.parts() == [true] {
        evidence.push("only one of the two parts was measured".into());
    }
    let due = f
        .blocking
        .as_ref()
        .map_or_else(|| Due::not_measured("no blocking run to compare"), due);
    Finding::new(&CLAIM, verdict, measured.join("; "), evidence)
        .with_tables(tables)
        .with_due(due)
}

fn due(b: &Blocking) -> Due {
    let (Some(inline), Some(control)) = (
        b.control_ratio(CpuMode::Inline),
        b.control.as_ref().and_then(|g| g.rows.first()),
    ) else {
        return Due::not_measured(
            "no run of OS threads with the same client beside the same CPU work \
             (threads:hyper) to compare",
        );
    };
    let worse = b.worse_than_control();
    let ratios = b.ratios(CpuMode::Inline);
    let mut evidence = vec![format!(
        "with the CPU work inline, the p99 of {}'s own I/O is {} its p99 without; the async \
         models' {}",
        control.label,
        times(inline),
        span(&ratios, times)
    )];
    if let Some(off) = b.control_ratio(CpuMode::Offload) {
        evidence.push(format!(
            "offloaded to a pool of one thread per core, {}'s p99 is {} its own without",
            control.label,
            times(off)
        ));
    }
    evidence.push(format!(
        "{} of {} async models suffer at least {} the threads' ratio",
        worse.iter().filter(|w| **w).count(),
        worse.len(),
        times(WORSE_THAN_THREADS)
    ));
    let answer = Answer::of(&worse);
    let measured = format!(
        "inline CPU work: threads with the same client {}, async {}",
        times(inline),
        span(&ratios, times)
    );
    Due {
        answer,
        measured,
        evidence,
    }
}

fn word_cpu(cpu: &Cpu, evidence: &mut Vec<String>, measured: &mut Vec<String>) {
    let Some(part) = cpu.part() else {
        return;
    };
    let (held, kept): (Vec<&Speedup>, Vec<&Speedup>) = cpu
        .speedups
        .iter()
        .filter(|s| s.is_async)
        .partition(|s| cpu.held(s));
    let names = |v: &[&Speedup]| join_and(&v.iter().map(|s| s.label.clone()).collect::<Vec<_>>());
    let speeds = |v: &[&Speedup]| {
        let medians: Vec<f64> = v.iter().map(|s| s.speedup.median).collect();
        span(&medians, times)
    };
    let threads = span(
        &cpu.medians(|s| s.is_thread_model && !s.is_processes),
        times,
    );
    let processes = cpu.medians(|s| s.is_processes);
    let processes = match processes.is_empty() {
        true => String::new(),
        false => format!(", processes {}", span(&processes, times)),
    };
    let mut line = format!(
        "CPU part, every async model below {} of the best thread model's speedup ({}): {}. \
         Thread models reach {threads}{processes}{}",
        percent(CPU_SHARE),
        times(CPU_SHARE * cpu.best_thread()),
        holds(part),
        cpu.cores
            .map_or(String::new(), |c| format!(" on {c} cores"))
    );
    let mut m = format!("speedup: thread models {threads}{processes}");
    if !kept.is_empty() {
        line.push_str(&format!(
            "; {} {} {} too: a multi-threaded runtime spreads CPU work over its workers like \
             a pool",
            names(&kept),
            agree(kept.len(), "reaches", "reach"),
            speeds(&kept)
        ));
        m.push_str(&format!(", {} {}", names(&kept), speeds(&kept)));
    }
    if !held.is_empty() {
        line.push_str(&format!(
            "; {} {} at {}: every task ran on one executor thread",
            names(&held),
            agree(held.len(), "stays", "stay"),
            speeds(&held)
        ));
        m.push_str(&format!(", {} {}", names(&held), speeds(&held)));
    }
    evidence.push(line);
    measured.push(m);
}

/// The verb that agrees with `n` subjects.
fn agree(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn cpu_table(cpu: &Cpu) -> Table {
    let stats: Vec<Stat> = cpu.speedups.iter().map(|s| s.speedup).collect();
    Table {
        caption: format!(
            "Speedup over one after another in the same language on {} cores, {}",
            cpu.cores.map_or("?".into(), |c| c.to_string()),
            ci_words(&stats)
        ),
        header: vec!["model".into(), "speedup".into()],
        rows: cpu
            .speedups
            .iter()
            .map(|s| vec![s.label.clone(), cell(&s.speedup, times)])
            .collect(),
    }
}

fn word_blocking(b: &Blocking, evidence: &mut Vec<String>, measured: &mut Vec<String>) {
    let ratios = b.ratios(CpuMode::Inline);
    evidence.push(format!(
        "blocking part, inline CPU work {} the I/O p99 on every async model: {} ({}): the \
         work holds the executor's threads while requests in flight wait (on a one-thread \
         executor, every one of them)",
        at_least(STARVED),
        holds(b.part() == Some(true)),
        span(&ratios, times)
    ));
    let offload = b.ratios(CpuMode::Offload);
    if !offload.is_empty() {
        let cores = b
            .cores
            .map_or("the same".into(), |c| format!("the same {c}"));
        // The GIL: a pool's threads run Python code one at a time, the I/O's included.
        let gil = match language_of(b.p99.rows.iter().map(|r| r.label.as_str())) {
            Language::Python => " and, in CPython, for the one GIL",
            _ => "",
        };
        let (how, tail) = match b.offload_helps() {
            true => ("falls to", "not back to it: the pool's threads still"),
            false => ("is", "not below inline for every model: the pool's threads"),
        };
        evidence.push(format!(
            "offloaded to a blocking pool, the p99 {how} {} the baseline, {tail} compete with \
             the I/O for {cores} cores{gil}",
            span(&offload, times)
        ));
    }
    measured.push(format!(
        "inline CPU work multiplies the I/O p99 by {}",
        span(&ratios, times)
    ));
}

fn blocking_table(b: &Blocking) -> Table {
    let show = |s: Option<Stat>| s.map_or("—".into(), |s| cell(&s, sig3));
    let mut stats = Vec::new();
    let mut rows = Vec::new();
    let control = b
        .control
        .iter()
        .flat_map(|g| g.rows.iter().map(move |r| (g, r)));
    let asyncs = b.p99.rows.iter().map(|r| (&b.p99, r));
    for (grid, r) in control.chain(asyncs) {
        let [none, inline, offload] = CpuMode::ALL.map(|m| grid.get(&r.label, m).copied());
        stats.extend([none, inline, offload].into_iter().flatten());
        let ratio = |s: Option<Stat>| match (s, none) {
            (Some(s), Some(n)) => times(s.median / n.median),
            _ => "—".into(),
        };
        rows.push(vec![
            r.label.clone(),
            show(none),
            show(inline),
            ratio(inline),
            show(offload),
            ratio(offload),
        ]);
    }
    Table {
        caption: format!(
            "p99 latency of the I/O requests in ms{}, {}",
            b.delay_ms.map_or(String::new(), |d| format!(
                " (the server holds each {d} ms)"
            )),
            ci_words(&stats)
        ),
        header: [
            "model",
            "no CPU work",
            "CPU work inline",
            "× baseline",
            "CPU work offloaded",
            "× baseline",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::run;

    const CPU: &str = "workload,model,variant,n,status,wall_ms";
    const BLOCKING: &str = "workload,model,variant,n,cpu_mode,status,p99_ms";

    fn cpu(async_line: &str) -> Run {
        let seq = "cpu,sequential,default,64,ok,640";
        run(CPU, &[seq, "cpu,threads,default,64,ok,330", async_line])
    }

    fn blocking(inline_p99: &str) -> Run {
        let none = "blocking,tokio,default,400,none,ok,22";
        let inline = format!("blocking,tokio,default,400,inline,ok,{inline_p99}");
        run(BLOCKING, &[none, &inline])
    }

    #[test]
    fn both_parts_must_hold() {
        let held = cpu("cpu,tokio,current-thread,64,ok,640");
        let spread = cpu("cpu,tokio,default,64,ok,335");
        let (starved, fine) = (blocking("260"), blocking("30"));
        let verdict = |c: &Run, b: &Run| measure(Some(c), Some(b)).verdict();
        assert_eq!(verdict(&held, &starved), Verdict::Reproduced);
        assert_eq!(verdict(&spread, &starved), Verdict::Partly);
        assert_eq!(verdict(&spread, &fine), Verdict::NotReproduced);
        let f = measure(Some(&held), None);
        assert_eq!(f.cpu.as_ref().and_then(Cpu::part), Some(true));
        assert!((f.cpu.map_or(0.0, |c| c.best_thread()) - 640.0 / 330.0).abs() < 1e-9);
    }

    #[test]
    fn one_part_alone_is_never_reproduced() {
        let f = measure(None, Some(&blocking("260")));
        assert_eq!(f.parts(), [true]);
        assert_eq!(f.verdict(), Verdict::Partly);
        let words = word(&f);
        assert!(words
            .evidence
            .iter()
            .any(|e| e.contains("only one of the two")));
        assert_eq!(measure(None, None).verdict(), Verdict::NotMeasured);
    }

    #[test]
    fn against_threads_with_the_same_client_the_starvation_must_be_worse() {
        let with_control = |threads_inline: &str| {
            let lines = [
                "blocking,threads,hyper,400,none,ok,22".to_string(),
                format!("blocking,threads,hyper,400,inline,ok,{threads_inline}"),
                "blocking,tokio,default,400,none,ok,22".to_string(),
                "blocking,tokio,default,400,inline,ok,260".to_string(),
            ];
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            measure(None, Some(&run(BLOCKING, &lines)))
        };
        let b = |f: &Figures| f.blocking.clone().expect("blocking");
        assert_eq!(
            Answer::of(&b(&with_control("30")).worse_than_control()),
            Answer::Yes
        );
        assert_eq!(
            Answer::of(&b(&with_control("250")).worse_than_control()),
            Answer::No
        );
        let f = with_control("30");
        assert_eq!(f.parts(), [true], "the control is not an async model");
        let words = word(&f);
        let due = words.due.expect("answered");
        assert_eq!(due.answer, Answer::Yes);
        assert!(
            due.evidence[0].contains("the p99 of threads:hyper's own I/O is 1.36×"),
            "{:?}",
            due.evidence
        );
        assert_eq!(words.tables[0].rows[0][0], "threads:hyper");
    }

    #[test]
    fn the_rule_names_the_thread_models_and_the_factor() {
        let rule = (CLAIM.rule)();
        assert!(rule.contains(
            "below 75 % of the best thread or process model's (threads, rayon; python:threads, \
             python:processes; go:lockosthread; java)"
        ));
        assert!(rule.contains("inline at least doubles the p99"));
        assert_eq!(at_least(2.5), "multiplies by at least 2.5×");
    }
}
