//! One pure function per claim: parsed results in, a verdict out, by a rule written next to
//! it (and printed in the report), so a verdict can never be typed in by hand and a test can
//! show each rule both holding and failing.

use crate::claims::{Claim, C1, C2, C3, C4, C5, C6, C7};
use tvc_plot::data::{Point, Run, Stat};
use tvc_plot::{number, sig3, speedup};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Reproduced,
    Partly,
    NotReproduced,
    NotMeasured,
}

impl Verdict {
    pub fn text(self) -> &'static str {
        match self {
            Verdict::Reproduced => "reproduced",
            Verdict::Partly => "partly",
            Verdict::NotReproduced => "not reproduced",
            Verdict::NotMeasured => "not measured",
        }
    }

    /// Reproduced when every part holds, not reproduced when none does, partly otherwise.
    fn of_parts(holds: &[bool]) -> Verdict {
        match (holds.iter().all(|h| *h), holds.iter().any(|h| *h)) {
            _ if holds.is_empty() => Verdict::NotMeasured,
            (true, _) => Verdict::Reproduced,
            (false, true) => Verdict::Partly,
            (false, false) => Verdict::NotReproduced,
        }
    }
}

/// What the runs said about one claim.
#[derive(Debug)]
pub struct Finding {
    pub claim: &'static Claim,
    pub verdict: Verdict,
    /// One line for the summary table.
    pub measured: String,
    /// The figures behind the verdict, one per line.
    pub evidence: Vec<String>,
}

impl Finding {
    fn new(
        claim: &'static Claim,
        verdict: Verdict,
        measured: String,
        evidence: Vec<String>,
    ) -> Self {
        Finding {
            claim,
            verdict,
            measured,
            evidence,
        }
    }

    fn not_measured(claim: &'static Claim, evidence: Vec<String>) -> Self {
        Finding::new(claim, Verdict::NotMeasured, "—".into(), evidence)
    }
}

/// The coroutine (async) runtimes and the thread-based models.
const ASYNC: [&str; 3] = ["tokio", "async-std", "smol"];
const THREADED: [&str; 2] = ["threads", "rayon"];

fn is_async(p: &Point) -> bool {
    ASYNC.contains(&p.model.as_str())
}

/// `v` milliseconds as seconds or milliseconds.
fn time_ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2} s", v / 1000.0)
    } else {
        format!("{} ms", sig3(v))
    }
}

/// Bytes in binary units, as the kernel counts memory.
fn kib(v: f64) -> String {
    if v.abs() >= 1024.0 * 1024.0 {
        format!("{:.2} MiB", v / 1024.0 / 1024.0)
    } else {
        format!("{} KiB", sig3(v / 1024.0))
    }
}

/// `a – b` of the smallest and largest value, or one value when they print the same.
fn span(values: &[f64], unit: impl Fn(f64) -> String) -> String {
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let (a, b) = (unit(min), unit(max));
    if a == b {
        a
    } else {
        format!("{a} – {b}")
    }
}

/// Points in the README's model order, keep-alive on before off.
fn ordered(mut points: Vec<&Point>) -> Vec<&Point> {
    points.sort_by_key(|p| (tvc_plot::order_key(&p.label()), p.keep_alive != Some(true)));
    points
}

fn pct(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

/// A median with its interval, e.g. `16.88 s (94 % CI 16.87 s – 16.92 s)`.
fn with_ci(s: &Stat, unit: fn(f64) -> String) -> String {
    if s.has_interval() {
        format!(
            "{} ({:.0} % CI {} – {})",
            unit(s.median),
            (s.ci_level * 100.0).floor(),
            unit(s.ci_low),
            unit(s.ci_high)
        )
    } else {
        format!("{} (one run, no interval)", unit(s.median))
    }
}

fn keep_alive(p: &Point) -> &'static str {
    match p.keep_alive {
        Some(true) => "keep-alive on",
        Some(false) => "keep-alive off",
        None => "",
    }
}

/// C1: the sequential wall time against N × delay.
pub fn c1(article: Option<&Run>) -> Finding {
    let Some(run) = article else {
        return Finding::not_measured(&C1, Vec::new());
    };
    let mut evidence = Vec::new();
    let mut devs = Vec::new();
    let mut headline = None;
    for p in run
        .points_of("http")
        .into_iter()
        .filter(|p| p.model == "sequential")
    {
        let (Some(s), Some(n), Some(d)) = (run.stat(p, "wall_ms"), p.n, p.delay_ms) else {
            continue;
        };
        let expected = (n * d) as f64;
        let dev = s.median / expected - 1.0;
        devs.push(dev.abs());
        let line = format!(
            "sequential, {}: {} for {n} GETs = {} each; N × delay = {}, {:+.1} %",
            keep_alive(p),
            with_ci(&s, time_ms),
            time_ms(s.median / n as f64),
            time_ms(expected),
            dev * 100.0
        );
        if headline.is_none() || p.keep_alive == Some(false) {
            headline = Some(format!(
                "{} = {} per GET ({:+.1} % vs N × delay)",
                time_ms(s.median),
                time_ms(s.median / n as f64),
                dev * 100.0
            ));
        }
        evidence.push(line);
    }
    let Some(measured) = headline else {
        return Finding::not_measured(&C1, evidence);
    };
    let verdict = if devs.iter().all(|d| *d <= 0.10) {
        Verdict::Reproduced
    } else if devs.iter().all(|d| *d <= 0.25) {
        Verdict::Partly
    } else {
        Verdict::NotReproduced
    };
    Finding::new(&C1, verdict, measured, evidence)
}

/// C2: every model's reduction of wall time against sequential.
pub fn c2(article: Option<&Run>) -> Finding {
    let Some(run) = article else {
        return Finding::not_measured(&C2, Vec::new());
    };
    let points = run.points_of("http");
    let sequential = |ka: Option<bool>| {
        points
            .iter()
            .find(|p| p.model == "sequential" && p.keep_alive == ka)
            .and_then(|p| run.stat(p, "wall_ms"))
    };
    let mut evidence = Vec::new();
    let mut async_reductions = Vec::new();
    for p in ordered(points.clone())
        .into_iter()
        .filter(|p| p.model != "sequential")
    {
        let Some(seq) = sequential(p.keep_alive) else {
            continue;
        };
        let Some(m) = run.stat(p, "wall_ms") else {
            evidence.push(format!(
                "{}, {}: nothing measured ({})",
                p.label(),
                keep_alive(p),
                run.statuses(p)
            ));
            if is_async(p) {
                async_reductions.push(f64::NEG_INFINITY);
            }
            continue;
        };
        let r = 1.0 - m.median / seq.median;
        let (lo, hi) = (1.0 - m.ci_high / seq.median, 1.0 - m.ci_low / seq.median);
        let kind = if is_async(p) {
            "async"
        } else {
            "threads-based, for comparison"
        };
        evidence.push(format!(
            "{}, {} ({kind}): {}, −{} (range over the CI −{} … −{})",
            p.label(),
            keep_alive(p),
            time_ms(m.median),
            pct(r),
            pct(lo),
            pct(hi)
        ));
        if is_async(p) {
            async_reductions.push(r);
        }
    }
    if async_reductions.is_empty() {
        return Finding::not_measured(&C2, evidence);
    }
    let holds: Vec<bool> = async_reductions.iter().map(|r| *r >= 0.73).collect();
    let verdict = Verdict::of_parts(&holds);
    let finite: Vec<f64> = async_reductions
        .iter()
        .copied()
        .filter(|r| r.is_finite())
        .collect();
    let measured = if finite.is_empty() {
        "no async model completed".to_string()
    } else {
        format!("async models: −{}", span(&finite, pct))
    };
    Finding::new(&C2, verdict, measured, evidence)
}

/// Per-unit slopes (bytes per unit) of one model+variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Slopes {
    pub label: String,
    pub rss: Option<f64>,
    pub vm: Option<f64>,
    pub source: String,
}

/// Slopes from fits.csv, else fitted here (least squares over the median at each N).
pub fn slopes(run: &Run) -> Vec<Slopes> {
    let points = run.points_of("park");
    let mut labels: Vec<String> = points.iter().map(|p| p.label()).collect();
    labels.sort_by_key(|l| tvc_plot::order_key(l));
    labels.dedup();
    labels
        .into_iter()
        .filter_map(|label| {
            let fit = |metric: &str| {
                run.fits
                    .iter()
                    .find(|f| f.label() == label && f.metric == metric)
                    .and_then(|f| f.slope.map(|s| (s, f)))
            };
            let (rss, vm) = (fit("rss_bytes_per_unit"), fit("vm_bytes_per_unit"));
            if rss.is_some() || vm.is_some() {
                let f = rss.or(vm).map(|(_, f)| f);
                let source = f.map_or(String::new(), |f| {
                    format!(
                        "fits.csv: {} points, N = {} … {}, r² {}",
                        f.points.unwrap_or(0),
                        number(f.n_min.unwrap_or(0) as f64),
                        number(f.n_max.unwrap_or(0) as f64),
                        f.r2.map_or("?".into(), |r| format!("{r:.3}"))
                    )
                });
                return Some(Slopes {
                    label,
                    rss: rss.map(|r| r.0),
                    vm: vm.map(|v| v.0),
                    source,
                });
            }
            let series = |col: &str| -> Vec<(f64, f64)> {
                points
                    .iter()
                    .filter(|p| p.label() == label)
                    .filter_map(|p| Some((p.n? as f64, run.stat(p, col)?.median * 1024.0)))
                    .collect()
            };
            let (rss, vm) = (
                least_squares(&series("rss_parked_kib")),
                least_squares(&series("vm_parked_kib")),
            );
            (rss.is_some() || vm.is_some()).then(|| Slopes {
                label,
                rss,
                vm,
                source: "fitted here from raw.csv (no fits.csv line)".into(),
            })
        })
        .collect()
}

/// The slope of the least-squares line through `xy`; `None` with fewer than two distinct x.
pub fn least_squares(xy: &[(f64, f64)]) -> Option<f64> {
    let n = xy.len() as f64;
    let mx = xy.iter().map(|p| p.0).sum::<f64>() / n;
    let my = xy.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xy.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = xy.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (xy.len() >= 2 && sxx > 0.0).then(|| sxy / sxx)
}

/// C3: resident bytes per parked unit, coroutines against threads.
pub fn c3(memory: Option<&Run>) -> Finding {
    let Some(run) = memory else {
        return Finding::not_measured(&C3, Vec::new());
    };
    let all = slopes(run);
    let mut evidence: Vec<String> = all
        .iter()
        .map(|s| {
            format!(
                "{}: {} resident, {} virtual per unit ({})",
                s.label,
                s.rss.map_or("—".into(), kib),
                s.vm.map_or("—".into(), kib),
                s.source
            )
        })
        .collect();
    let model = |label: &str| label.split(':').next().unwrap_or(label).to_string();
    let coroutine: Vec<f64> = all
        .iter()
        .filter(|s| ASYNC.contains(&model(&s.label).as_str()))
        .filter_map(|s| s.rss)
        .collect();
    let thread = all.iter().find(|s| s.label == "threads");
    let limit = run
        .points_of("park")
        .into_iter()
        .filter(|p| p.model == "threads" && run.rows(p).iter().any(|r| r.status == "aborted"))
        .filter_map(|p| p.n)
        .min();
    if let Some(n) = limit {
        evidence.push(format!(
            "threads: the worker aborted at N = {} (the machine's thread limit)",
            number(n as f64)
        ));
    }
    if let Some(n) = run.env.u64("predicted_thread_limit") {
        evidence.push(format!(
            "predicted thread limit (env.json): N = {}",
            number(n as f64)
        ));
    }
    let (Some(thread_rss), false) = (thread.and_then(|t| t.rss), coroutine.is_empty()) else {
        return Finding::not_measured(&C3, evidence);
    };
    let coroutine_small = coroutine.iter().all(|s| *s < 10.0 * 1024.0);
    let thread_big = thread_rss >= 100.0 * 1024.0;
    let range = span(&coroutine, kib);
    let measured = format!(
        "coroutines {range} resident; thread {} resident, {} virtual",
        kib(thread_rss),
        thread.and_then(|t| t.vm).map_or("—".into(), kib)
    );
    Finding::new(
        &C3,
        Verdict::of_parts(&[coroutine_small, thread_big]),
        measured,
        evidence,
    )
}

/// C4: ns per switch of async models against threads, per ring size and pinning.
pub fn c4(switch: Option<&Run>) -> Finding {
    let Some(run) = switch else {
        return Finding::not_measured(&C4, Vec::new());
    };
    let points = run.points_of("switch");
    let mut setups: Vec<(Option<u64>, Option<bool>)> =
        points.iter().map(|p| (p.concurrency, p.pinned)).collect();
    setups.sort_unstable();
    setups.dedup();
    let (mut clearly, mut lower, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    let mut headline = None;
    for (ring, pinned) in setups {
        let here: Vec<&&Point> = points
            .iter()
            .filter(|p| p.concurrency == ring && p.pinned == pinned)
            .collect();
        // The largest hop count stands for the point (the most precise).
        let best = |label: &str| {
            here.iter()
                .rev()
                .find(|p| p.label() == label)
                .and_then(|p| run.stat(p, "ns_per_switch"))
        };
        let Some(t) = best("threads") else {
            continue;
        };
        let setup = format!(
            "ring of {}, {}",
            ring.map_or("?".into(), |r| r.to_string()),
            if pinned == Some(true) {
                "pinned to one core"
            } else {
                "free"
            }
        );
        let mut labels: Vec<String> = here
            .iter()
            .filter(|p| is_async(p))
            .map(|p| p.label())
            .collect();
        labels.sort_by_key(|l| tvc_plot::order_key(l));
        labels.dedup();
        let mut parts = vec![format!(
            "threads {}",
            with_ci(&t, |v| format!("{} ns", sig3(v)))
        )];
        let mut meds = Vec::new();
        for label in labels {
            let Some(a) = best(&label) else {
                continue;
            };
            clearly.push(a.ci_high < t.ci_low);
            lower.push(a.median < t.median);
            meds.push(a.median);
            parts.push(format!(
                "{label} {} ({}× cheaper)",
                with_ci(&a, |v| format!("{} ns", sig3(v))),
                sig3(t.median / a.median)
            ));
        }
        if !meds.is_empty() && (headline.is_none() || (ring == Some(2) && pinned != Some(true))) {
            headline = Some(format!(
                "{setup}: threads {} ns, coroutines {}",
                sig3(t.median),
                span(&meds, |v| format!("{} ns", sig3(v)))
            ));
        }
        evidence.push(format!("{setup}: {}", parts.join("; ")));
    }
    let Some(measured) = headline else {
        return Finding::not_measured(&C4, evidence);
    };
    let verdict = if clearly.iter().all(|c| *c) {
        Verdict::Reproduced
    } else if !lower.iter().any(|l| *l) {
        Verdict::NotReproduced
    } else {
        Verdict::Partly
    };
    Finding::new(&C4, verdict, measured, evidence)
}

/// The synchronisation a shared-state variant names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    Lock,
    Atomic,
    NoLock,
    Unknown,
}

pub fn primitive(variant: &str) -> Primitive {
    let v = variant.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| v.contains(w));
    if has(&["nolock", "no-lock", "none"]) {
        Primitive::NoLock
    } else if has(&["atomic"]) {
        Primitive::Atomic
    } else if has(&["mutex", "rwlock", "lock"]) {
        Primitive::Lock
    } else if has(&["local", "refcell", "cell", "unsync", "racy"]) {
        Primitive::NoLock
    } else {
        Primitive::Unknown
    }
}

/// C5: whether async units can share a counter without a lock and keep it exact.
pub fn c5(shared: Option<&Run>) -> Finding {
    let Some(run) = shared else {
        return Finding::not_measured(&C5, Vec::new());
    };
    let (mut ok, mut bad, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    for p in ordered(run.points_of("shared-state")) {
        let rows = run.rows(p);
        let measured: Vec<_> = rows.iter().filter(|r| r.measured()).collect();
        let exact = !measured.is_empty() && measured.iter().all(|r| r.count_ok == Some(true));
        let lost = measured.iter().any(|r| r.count_ok == Some(false));
        let what = match (run.stat(p, "ns_per_increment"), exact, lost) {
            (Some(s), true, _) => format!(
                "{} per increment, count exact",
                with_ci(&s, |v| format!("{} ns", sig3(v)))
            ),
            (Some(s), _, true) => format!(
                "{} per increment, updates lost",
                with_ci(&s, |v| format!("{} ns", sig3(v)))
            ),
            (Some(s), _, _) => format!(
                "{} per increment",
                with_ci(&s, |v| format!("{} ns", sig3(v)))
            ),
            (None, _, _) => {
                let reason = rows
                    .iter()
                    .map(|r| r.reason.as_str())
                    .find(|r| !r.is_empty())
                    .unwrap_or("");
                if reason.is_empty() {
                    format!("not run ({})", run.statuses(p))
                } else {
                    format!("not run ({}: {reason})", run.statuses(p))
                }
            }
        };
        evidence.push(format!("{}: {what}", p.label()));
        if is_async(p) && primitive(&p.variant) == Primitive::NoLock {
            if exact {
                ok.push(p.label());
            } else {
                bad.push(p.label());
            }
        }
    }
    if ok.is_empty() && bad.is_empty() {
        return Finding::not_measured(&C5, evidence);
    }
    let verdict = match (ok.is_empty(), bad.is_empty()) {
        (false, true) => Verdict::Reproduced,
        (false, false) => Verdict::Partly,
        _ => Verdict::NotReproduced,
    };
    let mut measured = Vec::new();
    if !ok.is_empty() {
        measured.push(format!("exact without a lock: {}", ok.join(", ")));
    }
    if !bad.is_empty() {
        measured.push(format!(
            "lost updates or not expressible: {}",
            bad.join(", ")
        ));
    }
    Finding::new(&C5, verdict, measured.join("; "), evidence)
}

/// C6: at the highest concurrency, async models against threads.
pub fn c6(io: Option<&Run>) -> Finding {
    let Some(run) = io else {
        return Finding::not_measured(&C6, Vec::new());
    };
    let points = run.points_of("http");
    let Some(c_max) = points
        .iter()
        .filter(|p| p.model != "sequential")
        .filter_map(|p| p.concurrency)
        .max()
    else {
        return Finding::not_measured(&C6, Vec::new());
    };
    let at: Vec<&Point> = ordered(points.clone())
        .into_iter()
        .filter(|p| p.concurrency == Some(c_max))
        .collect();
    let figures = |p: &Point| {
        Some((
            run.stat(p, "throughput_per_s")?,
            run.stat(p, "peak_rss_kib")?,
        ))
    };
    let threads = at
        .iter()
        .find(|p| p.label() == "threads")
        .and_then(|p| figures(p));
    let mut evidence = Vec::new();
    let (mut completed, mut better) = (Vec::new(), Vec::new());
    let mut async_thr = Vec::new();
    for p in &at {
        let ideal = match (p.n, p.delay_ms) {
            (Some(n), Some(d)) if d > 0 => Some(c_max.min(n) as f64 * 1000.0 / d as f64),
            _ => None,
        };
        let line = match figures(p) {
            Some((t, m)) => {
                if is_async(p) {
                    completed.push(true);
                    async_thr.push(t.median);
                    better.push(match threads {
                        None => true,
                        Some((tt, tm)) => t.median >= 0.9 * tt.median && m.median < tm.median,
                    });
                }
                format!(
                    "{}: {} requests/s{}, peak RSS {}",
                    p.label(),
                    number(t.median),
                    ideal.map_or(String::new(), |i| format!(
                        " ({} of the ideal)",
                        pct(t.median / i)
                    )),
                    kib(m.median * 1024.0)
                )
            }
            None => {
                if is_async(p) {
                    completed.push(false);
                }
                format!("{}: nothing measured ({})", p.label(), run.statuses(p))
            }
        };
        evidence.push(line);
    }
    if completed.is_empty() {
        return Finding::not_measured(&C6, evidence);
    }
    let verdict = if completed.iter().any(|c| !c) {
        Verdict::NotReproduced
    } else if better.iter().all(|b| *b) {
        Verdict::Reproduced
    } else {
        Verdict::Partly
    };
    let thread_part = match (threads, at.iter().find(|p| p.label() == "threads")) {
        (Some((t, m)), _) => format!(
            "threads {} req/s, {}",
            number(t.median),
            kib(m.median * 1024.0)
        ),
        (None, Some(p)) => format!("threads {}", run.statuses(p)),
        (None, None) => "threads not run".into(),
    };
    let async_part = if async_thr.is_empty() {
        "async models failed".to_string()
    } else {
        format!("async {} req/s", span(&async_thr, number))
    };
    let measured = format!(
        "at C = {}: {async_part}; {thread_part}",
        number(c_max as f64)
    );
    Finding::new(&C6, verdict, measured, evidence)
}

/// C7: CPU-bound speedup, and what inline CPU work does to the I/O beside it.
pub fn c7(cpu: Option<&Run>, blocking: Option<&Run>) -> Finding {
    let mut evidence = Vec::new();
    let mut parts = Vec::new();
    let mut measured = Vec::new();
    if let Some(run) = cpu {
        let points = run.points_of("cpu");
        let seq = points
            .iter()
            .find(|p| p.model == "sequential")
            .and_then(|p| run.stat(p, "wall_ms"));
        if let Some(seq) = seq {
            let ups: Vec<(&Point, Stat)> = ordered(points.clone())
                .into_iter()
                .filter_map(|p| Some((p, speedup(seq, run.stat(p, "wall_ms")?))))
                .collect();
            for (p, s) in &ups {
                evidence.push(format!(
                    "{}: speedup {}",
                    p.label(),
                    with_ci(s, |v| format!("{}×", sig3(v)))
                ));
            }
            if let Some(c) = run.env.u64("machine.cpus") {
                evidence.push(format!("ideal speedup: {c}× ({c} cores, env.json)"));
            }
            let best_thread = ups
                .iter()
                .filter(|(p, _)| THREADED.contains(&p.model.as_str()))
                .map(|(_, s)| s.median)
                .fold(f64::NEG_INFINITY, f64::max);
            let asyncs: Vec<f64> = ups
                .iter()
                .filter(|(p, _)| is_async(p))
                .map(|(_, s)| s.median)
                .collect();
            if best_thread.is_finite() && !asyncs.is_empty() {
                parts.push(asyncs.iter().all(|a| *a < 0.75 * best_thread));
                measured.push(format!(
                    "speedup: best thread model {}×, async {}",
                    sig3(best_thread),
                    span(&asyncs, |v| format!("{}×", sig3(v)))
                ));
            }
        }
    }
    if let Some(run) = blocking {
        let points = run.points_of("blocking");
        let mut labels: Vec<String> = points
            .iter()
            .filter(|p| is_async(p))
            .map(|p| p.label())
            .collect();
        labels.sort_by_key(|l| tvc_plot::order_key(l));
        labels.dedup();
        let mut ratios = Vec::new();
        for label in labels {
            let p99 = |mode: &str| {
                points
                    .iter()
                    .find(|p| p.label() == label && p.cpu_mode == mode)
                    .and_then(|p| run.stat(p, "p99_ms"))
            };
            let (Some(none), Some(inline)) = (p99("none"), p99("inline")) else {
                continue;
            };
            let offload = p99("offload");
            ratios.push(inline.median / none.median);
            evidence.push(format!(
                "{label}: I/O p99 {} without CPU work, {} inline ({}×){}",
                time_ms(none.median),
                time_ms(inline.median),
                sig3(inline.median / none.median),
                offload.map_or(String::new(), |o| format!(
                    ", {} offloaded",
                    time_ms(o.median)
                ))
            ));
        }
        if !ratios.is_empty() {
            parts.push(ratios.iter().all(|r| *r >= 2.0));
            measured.push(format!(
                "inline CPU work multiplies I/O p99 by {}",
                span(&ratios, |v| format!("{}×", sig3(v)))
            ));
        }
    }
    if parts.is_empty() {
        return Finding::not_measured(&C7, evidence);
    }
    // With one part missing, "reproduced" would claim more than was measured.
    let mut verdict = Verdict::of_parts(&parts);
    if parts.len() == 1 && verdict == Verdict::Reproduced {
        verdict = Verdict::Partly;
        evidence.push("only one of the two parts was measured".into());
    }
    Finding::new(&C7, verdict, measured.join("; "), evidence)
}
