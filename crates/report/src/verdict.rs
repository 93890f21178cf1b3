//! One pure function per claim: parsed results in, a verdict out, by a rule written next to
//! it (and printed in the report), so a verdict can never be typed in by hand and a test can
//! show each rule both holding and failing. Each finding carries the figures behind it: short
//! statements, and tables of the measured points.

use crate::claims::{Claim, C1, C2, C3, C4, C5, C6, C7};
use tvc_core::Workload;
use tvc_plot::{number, order_key, sig3, thousands};
use tvc_results::{speedup, PointKey as Point, Run, Stat};

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

/// A table of measured points under a claim: a caption saying what the cells are, a header
/// and rows of already formatted cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What the runs said about one claim.
#[derive(Debug)]
pub struct Finding {
    pub claim: &'static Claim,
    pub verdict: Verdict,
    /// One line for the summary table.
    pub measured: String,
    /// The figures behind the verdict, one statement per line.
    pub evidence: Vec<String>,
    /// The measured points, in full.
    pub tables: Vec<Table>,
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
            tables: Vec::new(),
        }
    }

    fn not_measured(claim: &'static Claim, evidence: Vec<String>) -> Self {
        Finding::new(claim, Verdict::NotMeasured, "—".into(), evidence)
    }

    fn with_tables(mut self, tables: Vec<Table>) -> Self {
        self.tables = tables.into_iter().filter(|t| !t.rows.is_empty()).collect();
        self
    }
}

/// The coroutine (async) runtimes and the thread-based models.
const ASYNC: [&str; 3] = ["tokio", "async-std", "smol"];
const THREADED: [&str; 2] = ["threads", "rayon"];

fn is_async(p: &Point) -> bool {
    ASYNC.contains(&p.model.as_str())
}

fn model_of(label: &str) -> &str {
    label.split(':').next().unwrap_or(label)
}

/// `v` milliseconds as seconds or milliseconds.
fn time_ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2} s", v / 1000.0)
    } else {
        format!("{} ms", sig3(v))
    }
}

/// `v` nanoseconds as ns or µs.
fn ns(v: f64) -> String {
    if v >= 1000.0 {
        format!("{} µs", sig3(v / 1000.0))
    } else {
        format!("{} ns", sig3(v))
    }
}

/// Bytes in binary units, as the kernel counts memory: 226 B, 9.58 KiB, 2.07 MiB.
fn mem(v: f64) -> String {
    const K: f64 = 1024.0;
    match v.abs() {
        a if a < K => format!("{v:.0} B"),
        a if a < K * K => format!("{} KiB", sig3(v / K)),
        a if a < K * K * K => format!("{} MiB", sig3(v / K / K)),
        _ => format!("{} GiB", sig3(v / K / K / K)),
    }
}

fn times(v: f64) -> String {
    format!("{}×", sig3(v))
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
    points.sort_by_key(|p| (order_key(&p.label()), !p.keep_alive));
    points
}

/// Model labels of `points` in the README's order, each once.
fn labels_of<'a>(points: impl IntoIterator<Item = &'a &'a Point>) -> Vec<String> {
    let mut labels: Vec<String> = points.into_iter().map(|p| p.label()).collect();
    labels.sort_by_key(|l| order_key(l));
    labels.dedup();
    labels
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn pct(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

/// A median with its interval, e.g. `16.9 s (93 % CI 16.8 s – 17.0 s)`.
fn with_ci(s: &Stat, unit: fn(f64) -> String) -> String {
    if !s.has_interval() {
        return format!("{} (one run, no interval)", unit(s.median));
    }
    let (lo, hi) = (unit(s.ci_low), unit(s.ci_high));
    let level = (s.ci_level * 100.0).floor();
    if lo == hi {
        format!("{} ({level:.0} % CI within the last digit)", unit(s.median))
    } else {
        format!("{} ({level:.0} % CI {lo} – {hi})", unit(s.median))
    }
}

/// A table cell: the median and, when there is one, its interval in brackets, in the unit of
/// the column: `322 (313–331)`.
fn cell(s: &Stat, unit: fn(f64) -> String) -> String {
    let m = unit(s.median);
    if !s.has_interval() {
        return m;
    }
    let (lo, hi) = (unit(s.ci_low), unit(s.ci_high));
    if lo == hi {
        m
    } else {
        format!("{m} ({lo}–{hi})")
    }
}

/// What the brackets of a table's cells are, from the intervals in it.
fn ci_words(stats: &[Stat]) -> String {
    let with: Vec<&Stat> = stats.iter().filter(|s| s.has_interval()).collect();
    let Some(reps) = with.iter().map(|s| s.measured).max() else {
        return "one run each, so no interval".into();
    };
    let level = with
        .iter()
        .map(|s| s.ci_level)
        .fold(f64::INFINITY, f64::min);
    format!(
        "median of {reps} runs (in brackets: its {:.0} % confidence interval)",
        (level * 100.0).floor()
    )
}

fn keep_alive(p: &Point) -> &'static str {
    match p.keep_alive {
        true => "keep-alive on",
        false => "keep-alive off",
    }
}

/// How a point that measured nothing ended: its statuses and, when short, the reason.
fn why_not(run: &Run, p: &Point) -> String {
    tvc_plot::why_not(run, p)
}

/// "holds" or "does not hold", for the parts of a rule.
fn holds(h: bool) -> &'static str {
    if h {
        "holds"
    } else {
        "does not hold"
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
    for p in ordered(run.points_of(Workload::Http))
        .into_iter()
        .filter(|p| p.is_baseline())
    {
        let (Some(s), n, d) = (run.stat(p, "wall_ms"), p.n, p.delay_ms) else {
            continue;
        };
        let expected = (n * d) as f64;
        let dev = s.median / expected - 1.0;
        devs.push(dev.abs());
        let each = s.median / n as f64;
        evidence.push(format!(
            "sequential, {}: {} for {n} GETs, {} each: {d} ms of server delay plus {} of \
             client and loopback; N × delay = {}, so {:+.1} %",
            keep_alive(p),
            with_ci(&s, time_ms),
            time_ms(each),
            time_ms(each - d as f64),
            time_ms(expected),
            dev * 100.0
        ));
        if headline.is_none() || !p.keep_alive {
            headline = Some(format!(
                "{} = {} per GET ({:+.1} % vs N × delay)",
                time_ms(s.median),
                time_ms(each),
                dev * 100.0
            ));
        }
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
    let points = run.points_of(Workload::Http);
    let sequential = |ka: bool| {
        points
            .iter()
            .find(|p| p.is_baseline() && p.keep_alive == ka)
            .and_then(|p| run.stat(p, "wall_ms"))
    };
    let mut modes: Vec<bool> = points.iter().map(|p| p.keep_alive).collect();
    modes.sort_unstable_by(|a, b| b.cmp(a));
    modes.dedup();
    let mut evidence = Vec::new();
    let mut async_reductions = Vec::new();
    let mut thread_reductions = Vec::new();
    let mut stats = Vec::new();
    let mut rows = Vec::new();
    let mut fastest: Option<(String, f64, u64)> = None;
    for label in labels_of(&points).into_iter().filter(|l| l != "sequential") {
        let mut row = vec![label.clone()];
        for ka in &modes {
            let Some(p) = points
                .iter()
                .find(|p| p.label() == label && p.keep_alive == *ka)
            else {
                row.push("—".into());
                continue;
            };
            let Some(seq) = sequential(*ka) else {
                row.push("no sequential run to compare".into());
                continue;
            };
            let Some(m) = run.stat(p, "wall_ms") else {
                row.push(run.statuses(p));
                if is_async(p) {
                    async_reductions.push(f64::NEG_INFINITY);
                }
                continue;
            };
            stats.push(m);
            let r = 1.0 - m.median / seq.median;
            row.push(format!("{}, −{}", cell(&m, time_ms), pct(r)));
            if is_async(p) {
                async_reductions.push(r);
                if let Some(d) = Some(p.delay_ms).filter(|d| *d > 0) {
                    if fastest.as_ref().map(|f| m.median < f.1) != Some(false) {
                        fastest = Some((label.clone(), m.median, d));
                    }
                }
            } else if p.model == "threads" {
                thread_reductions.push(r);
            }
        }
        rows.push(row);
    }
    if async_reductions.is_empty() {
        return Finding::not_measured(&C2, evidence);
    }
    let holds_each: Vec<bool> = async_reductions.iter().map(|r| *r >= 0.73).collect();
    let verdict = Verdict::of_parts(&holds_each);
    let finite: Vec<f64> = async_reductions
        .iter()
        .copied()
        .filter(|r| r.is_finite())
        .collect();
    evidence.push(format!(
        "{} of {} async measurements (each async model at each keep-alive setting) cut the wall \
         time by at least 73 %{}",
        holds_each.iter().filter(|h| **h).count(),
        holds_each.len(),
        if finite.is_empty() {
            String::new()
        } else {
            format!(": by {}", span(&finite, pct))
        }
    ));
    if !thread_reductions.is_empty() {
        evidence.push(format!(
            "plain OS threads, one per request, cut it by {}: the same, without coroutines",
            span(&thread_reductions, pct)
        ));
    }
    // A model that kept fewer requests in flight than asked waits that many times longer.
    for label in labels_of(&points).into_iter().filter(|l| l != "sequential") {
        let Some(p) = points.iter().find(|p| p.label() == label) else {
            continue;
        };
        let (Some(k), c) = (run.stat(p, "in_flight"), p.concurrency) else {
            continue;
        };
        if k.median < 0.9 * c as f64 {
            let workers = run.stat(p, "workers").map(|w| w.median);
            evidence.push(format!(
                "{label} kept only {} requests in flight{} where the others kept {c}, so its \
                 wall time is about {} round trips",
                sig3(k.median),
                if workers == Some(k.median) {
                    " (one per worker thread)"
                } else {
                    ""
                },
                format!(
                    "{} ÷ {} = {}",
                    p.n,
                    sig3(k.median),
                    sig3(p.n as f64 / k.median)
                )
            ));
        }
    }
    if let Some((label, wall, d)) = fastest {
        evidence.push(format!(
            "the fastest, {label}, took {} = {:.1} round trips of {d} ms for all the GETs; the \
             article's 4.5 s is {:.0} round trips of 83 ms",
            time_ms(wall),
            wall / d as f64,
            4500.0 / 83.0
        ));
    }
    let mut measured = if finite.is_empty() {
        "no async model completed".to_string()
    } else {
        format!("async models −{}", span(&finite, pct))
    };
    if !thread_reductions.is_empty() {
        measured.push_str(&format!("; threads −{}", span(&thread_reductions, pct)));
    }
    let mut header = vec!["model".to_string()];
    header.extend(modes.iter().map(|ka| match ka {
        true => "keep-alive on".to_string(),
        false => "keep-alive off".to_string(),
    }));
    let table = Table {
        caption: format!(
            "Wall time of all the GETs, {}, and its reduction against sequential",
            ci_words(&stats)
        ),
        header,
        rows,
    };
    Finding::new(&C2, verdict, measured, evidence).with_tables(vec![table])
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
    let points = run.points_of(Workload::Park);
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
                        f.points,
                        number(f.n_min as f64),
                        number(f.n_max as f64),
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
                    .filter_map(|p| Some((p.n as f64, run.stat(p, col)?.median * 1024.0)))
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

/// The points of `pts` (one model) that measured `metric` nothing, grouped by how they
/// ended: `aborted at N = 100k, 1M; failed at N = 10M`. `None` when all measured.
fn failures(
    run: &Run,
    pts: &[&Point],
    metric: &str,
    x: fn(&Point) -> Option<u64>,
    x_name: &str,
) -> Option<String> {
    let mut by: Vec<(String, Vec<String>)> = Vec::new();
    for p in pts.iter().filter(|p| run.stat(p, metric).is_none()) {
        let status = run.statuses(p);
        let at = x(p).map_or("?".into(), |v| number(v as f64));
        match by.iter_mut().find(|(s, _)| *s == status) {
            Some((_, xs)) => xs.push(at),
            None => by.push((status, vec![at])),
        }
    }
    (!by.is_empty()).then(|| {
        by.iter()
            .map(|(s, xs)| format!("{s} at {x_name} = {}", xs.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// C3: resident bytes per parked unit, coroutines against threads.
pub fn c3(memory: Option<&Run>) -> Finding {
    let Some(run) = memory else {
        return Finding::not_measured(&C3, Vec::new());
    };
    let all = slopes(run);
    let points = run.points_of(Workload::Park);
    let mut evidence = Vec::new();
    let mut rows = Vec::new();
    for label in labels_of(&points) {
        let pts: Vec<&Point> = points
            .iter()
            .copied()
            .filter(|p| p.label() == label)
            .collect();
        let slope = all.iter().find(|s| s.label == label);
        let failed = failures(run, &pts, "rss_parked_kib", |p| Some(p.n), "N");
        if slope.is_none()
            && failed.is_some()
            && pts.iter().all(|p| run.stat(p, "rss_parked_kib").is_none())
        {
            rows.push(vec![
                label.clone(),
                "—".into(),
                "—".into(),
                "—".into(),
                why_not(run, pts[0]),
            ]);
            continue;
        }
        rows.push(vec![
            label.clone(),
            slope.and_then(|s| s.rss).map_or("—".into(), mem),
            slope.and_then(|s| s.vm).map_or("—".into(), mem),
            slope.map_or("—".into(), |s| s.source.clone()),
            failed.unwrap_or_else(|| "—".into()),
        ]);
    }
    let coroutine: Vec<f64> = all
        .iter()
        .filter(|s| ASYNC.contains(&model_of(&s.label)))
        .filter_map(|s| s.rss)
        .collect();
    let thread = all.iter().find(|s| s.label == "threads");
    let (Some(thread_rss), false) = (thread.and_then(|t| t.rss), coroutine.is_empty()) else {
        return Finding::not_measured(&C3, evidence).with_tables(vec![slopes_table(rows)]);
    };
    let coroutine_small = coroutine.iter().all(|s| *s < 10.0 * 1024.0);
    let thread_big = thread_rss >= 100.0 * 1024.0;
    let thread_vm = thread.and_then(|t| t.vm);
    evidence.push(format!(
        "part 1, every coroutine under 10 KiB resident: {} ({})",
        holds(coroutine_small),
        span(&coroutine, mem)
    ));
    evidence.push(format!(
        "part 2, a thread at least 100 KiB resident: {} ({} resident{})",
        holds(thread_big),
        mem(thread_rss),
        thread_vm.map_or(String::new(), |v| format!(
            "; its {} per thread is virtual: the stack reserved, not used",
            mem(v)
        ))
    ));
    let threads_pts: Vec<&Point> = points
        .iter()
        .copied()
        .filter(|p| p.model == "threads")
        .collect();
    let first_failure = threads_pts
        .iter()
        .filter(|p| run.stat(p, "rss_parked_kib").is_none())
        .map(|p| p.n)
        .min();
    let last_ok = threads_pts
        .iter()
        .filter(|p| run.stat(p, "rss_parked_kib").is_some())
        .map(|p| p.n)
        .max();
    let limit = run.env.thread_limit();
    if let Some(l) = &limit {
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
    if let Some(n) = first_failure {
        let status = threads_pts
            .iter()
            .find(|p| p.n == n)
            .map(|p| run.statuses(p))
            .unwrap_or_default();
        let between = match (last_ok, &limit) {
            (Some(ok), Some(l)) if ok < l.predicted && l.predicted < n => format!(
                ": the limit lies between the last N that ran ({}) and this one",
                number(ok as f64)
            ),
            _ => String::new(),
        };
        evidence.push(format!(
            "threads stopped at N = {} ({status}){between}; every coroutine runtime parked {}",
            number(n as f64),
            points
                .iter()
                .filter(|p| is_async(p))
                .filter(|p| run.stat(p, "rss_parked_kib").is_some())
                .map(|p| p.n)
                .max()
                .map_or("?".into(), |m| number(m as f64))
        ));
    }
    if let Some(how) = limit.as_ref().and_then(|l| l.how_to_raise.clone()) {
        evidence.push(format!("to raise the thread limit: `{how}`"));
    }
    let limit_part = limit.map_or(String::new(), |l| {
        format!(
            "; threads capped near {} on this machine",
            thousands(l.predicted)
        )
    });
    let measured = format!(
        "coroutines {} resident; a thread {} resident, {} virtual{limit_part}",
        span(&coroutine, mem),
        mem(thread_rss),
        thread_vm.map_or("—".into(), mem),
    );
    Finding::new(
        &C3,
        Verdict::of_parts(&[coroutine_small, thread_big]),
        measured,
        evidence,
    )
    .with_tables(vec![slopes_table(rows)])
}

fn slopes_table(rows: Vec<Vec<String>>) -> Table {
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

/// C4: ns per switch of async models against threads, per ring size and pinning.
pub fn c4(switch: Option<&Run>) -> Finding {
    let Some(run) = switch else {
        return Finding::not_measured(&C4, Vec::new());
    };
    let points = run.points_of(Workload::Switch);
    let mut setups: Vec<(u64, bool)> = points.iter().map(|p| (p.concurrency, p.pinned)).collect();
    setups.sort_unstable();
    setups.dedup();
    let setup_name = |(ring, pinned): &(u64, bool)| {
        format!(
            "ring of {ring}, {}",
            if *pinned {
                "pinned to one core"
            } else {
                "free"
            }
        )
    };
    // The largest hop count stands for a point (the most precise).
    let at = |label: &str, setup: &(u64, bool)| {
        points
            .iter()
            .rev()
            .find(|p| p.label() == label && (p.concurrency, p.pinned) == *setup)
            .copied()
    };
    let (mut clearly, mut lower, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let mut evidence = Vec::new();
    let mut headline = None;
    let mut stats = Vec::new();
    for setup in &setups {
        let Some(t) = at("threads", setup).and_then(|p| run.stat(p, "ns_per_switch")) else {
            continue;
        };
        let mut meds = Vec::new();
        for label in labels_of(&points) {
            let Some(p) = at(&label, setup).filter(|p| is_async(p)) else {
                continue;
            };
            let Some(a) = run.stat(p, "ns_per_switch") else {
                continue;
            };
            clearly.push(a.ci_high < t.ci_low);
            lower.push(a.median < t.median);
            ratios.push(t.median / a.median);
            meds.push(a.median);
        }
        if !meds.is_empty() && (headline.is_none() || setup.0 == 2 && !setup.1) {
            headline = Some(format!(
                "{}: threads {}, coroutines {} per switch",
                setup_name(setup),
                ns(t.median),
                span(&meds, ns)
            ));
        }
    }
    let mut rows = Vec::new();
    for label in labels_of(&points) {
        let mut row = vec![label.clone()];
        for setup in &setups {
            row.push(match at(&label, setup) {
                None => "—".into(),
                Some(p) => match run.stat(p, "ns_per_switch") {
                    Some(s) => {
                        stats.push(s);
                        cell(&s, sig3)
                    }
                    None => run.statuses(p),
                },
            });
        }
        rows.push(row);
    }
    let Some(measured) = headline else {
        return Finding::not_measured(&C4, evidence);
    };
    evidence.push(format!(
        "{} of {} async measurements (each async model in each setup) are clearly cheaper than \
         threads in the same setup (the top of their interval below the bottom of threads'), by \
         {} at the median",
        clearly.iter().filter(|c| **c).count(),
        clearly.len(),
        span(&ratios, times)
    ));
    let free_pinned = |label: &str, ring: u64| {
        let get = |pinned| at(label, &(ring, pinned)).and_then(|p| run.stat(p, "ns_per_switch"));
        Some((get(false)?, get(true)?))
    };
    if let Some((free, pinned)) = free_pinned("threads", 2) {
        evidence.push(format!(
            "pinning both threads to one core changes their ping-pong from {} to {}: the \
             cross-core wake-up goes, the trip through the kernel's scheduler stays",
            ns(free.median),
            ns(pinned.median)
        ));
    }
    let baseline: Vec<f64> = points
        .iter()
        .filter(|p| p.is_baseline())
        .filter_map(|p| run.stat(p, "ns_per_switch"))
        .map(|s| s.median)
        .collect();
    if !baseline.is_empty() {
        evidence.push(format!(
            "sequential passes the token through a local variable: {} per hand-over, the cost of \
             the loop itself, with no switch",
            span(&baseline, ns)
        ));
    }
    let mut missing: Vec<(String, String)> = points
        .iter()
        .filter(|p| run.stat(p, "ns_per_switch").is_none())
        .map(|p| (p.label(), why_not(run, p)))
        .collect();
    missing.sort_by_key(|(l, _)| order_key(l));
    missing.dedup();
    for (label, why) in missing {
        evidence.push(format!("{label} was not measured — {why}"));
    }
    let verdict = if clearly.iter().all(|c| *c) {
        Verdict::Reproduced
    } else if !lower.iter().any(|l| *l) {
        Verdict::NotReproduced
    } else {
        Verdict::Partly
    };
    let mut header = vec!["model".to_string()];
    header.extend(setups.iter().map(setup_name));
    let table = Table {
        caption: format!("Nanoseconds per switch, {}", ci_words(&stats)),
        header,
        rows,
    };
    Finding::new(&C4, verdict, measured, evidence).with_tables(vec![table])
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

/// The lock of a shared-state point: its `lock` column, or for runs older than that column,
/// what its variant names.
pub fn lock_of(p: &Point) -> String {
    p.lock.name().to_string()
}

fn lock_name(lock: &str) -> String {
    match lock {
        "mutex" => "Mutex".into(),
        "none" => "no lock".into(),
        other => other.into(),
    }
}

/// Whether a model label names an executor that runs every task on one thread (tokio's
/// current-thread runtime, smol's local executor).
fn single_threaded(label: &str) -> bool {
    label
        .split_once(':')
        .is_some_and(|(_, v)| v.contains("current-thread") || v.contains("local"))
}

/// C5: whether async units can share a counter without a lock and keep it exact.
pub fn c5(shared: Option<&Run>) -> Finding {
    let Some(run) = shared else {
        return Finding::not_measured(&C5, Vec::new());
    };
    let points = run.points_of(Workload::SharedState);
    const ORDER: [&str; 3] = ["mutex", "atomic", "none"];
    let mut locks: Vec<String> = points.iter().map(|p| lock_of(p)).collect();
    locks.sort_by_key(|l| (ORDER.iter().position(|o| o == l).unwrap_or(3), l.clone()));
    locks.dedup();
    let find = |label: &str, lock: &str| {
        points
            .iter()
            .find(|p| p.label() == label && lock_of(p) == lock)
            .copied()
    };
    let counts = |p: &Point| -> (bool, bool) {
        let ran: Vec<_> = run.rows(p).into_iter().filter(|r| r.measured()).collect();
        let exact = !ran.is_empty() && ran.iter().all(|r| r.count_ok == Some(true));
        let lost = ran.iter().any(|r| r.count_ok == Some(false));
        (exact, lost)
    };
    let (mut exact, mut lost, mut cannot) = (Vec::new(), Vec::new(), Vec::new());
    let mut reasons: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    let mut stats = Vec::new();
    for label in labels_of(&points) {
        let mut row = vec![label.clone()];
        for lock in &locks {
            let Some(p) = find(&label, lock) else {
                row.push("—".into());
                continue;
            };
            let (ok, bad) = counts(p);
            row.push(match run.stat(p, "ns_per_increment") {
                Some(s) => {
                    stats.push(s);
                    let mark = match (ok, bad) {
                        (true, _) => " ✓",
                        (_, true) => " ✗ lost updates",
                        _ => "",
                    };
                    format!("{}{mark}", cell(&s, sig3))
                }
                None => run.statuses(p),
            });
            if lock != "none" || !is_async(p) {
                continue;
            }
            if bad {
                lost.push(label.clone());
            } else if ok {
                exact.push(label.clone());
            } else {
                cannot.push(label.clone());
                let why = why_not(run, p);
                if !reasons.contains(&why) {
                    reasons.push(why);
                }
            }
        }
        rows.push(row);
    }
    let mut evidence = Vec::new();
    if exact.is_empty() && lost.is_empty() && cannot.is_empty() {
        return Finding::not_measured(&C5, evidence);
    }
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
    // What dropping the lock buys where it is allowed.
    for label in &exact {
        let get = |lock: &str| find(label, lock).and_then(|p| run.stat(p, "ns_per_increment"));
        if let (Some(m), Some(n)) = (get("mutex"), get("none")) {
            let saved = 1.0 - n.median / m.median;
            let lesson = if saved >= 0.05 {
                format!(
                    "{:.0} % less without it: even an uncontended lock on one thread costs \
                     something",
                    saved * 100.0
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
    }
    let verdict = if !lost.is_empty() || exact.is_empty() {
        Verdict::NotReproduced
    } else if cannot.is_empty() {
        Verdict::Reproduced
    } else {
        Verdict::Partly
    };
    let one_thread = exact.iter().all(|l| single_threaded(l));
    let measured = match verdict {
        Verdict::Partly => format!(
            "{}exact without a lock on {}; {} cannot share a counter without a Mutex or an atomic",
            if one_thread {
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
    let mut header = vec!["model".to_string()];
    header.extend(locks.iter().map(|l| lock_name(l)));
    let table = Table {
        caption: format!(
            "Nanoseconds per increment, {}; ✓ the final count was exact in every run",
            ci_words(&stats)
        ),
        header,
        rows,
    };
    Finding::new(&C5, verdict, measured, evidence).with_tables(vec![table])
}

/// C6: at the highest concurrency, async models against threads.
pub fn c6(io: Option<&Run>) -> Finding {
    let Some(run) = io else {
        return Finding::not_measured(&C6, Vec::new());
    };
    let points = run.points_of(Workload::Http);
    let mut cs: Vec<u64> = points
        .iter()
        .filter(|p| !p.is_baseline())
        .map(|p| p.concurrency)
        .collect();
    cs.sort_unstable();
    cs.dedup();
    let Some(&c_max) = cs.last() else {
        return Finding::not_measured(&C6, Vec::new());
    };
    let c_prev = cs.iter().rev().nth(1).copied();
    let at = |label: &str, c: u64| {
        points
            .iter()
            .find(|p| p.label() == label && p.concurrency == c)
            .copied()
    };
    let figures = |p: &Point| {
        Some((
            run.stat(p, "throughput_per_s")?,
            run.stat(p, "peak_rss_kib")?,
        ))
    };
    let threads = at("threads", c_max).and_then(figures);
    let mut evidence = Vec::new();
    let (mut completed, mut better) = (Vec::new(), Vec::new());
    let mut async_thr = Vec::new();
    let mut growth = Vec::new();
    let mut rows = Vec::new();
    let mut ideal_at_max = None;
    for label in labels_of(&points).into_iter().filter(|l| l != "sequential") {
        let Some(p) = at(&label, c_max) else {
            continue;
        };
        let ideal = match (p.n, p.delay_ms) {
            (n, d) if d > 0 => Some(c_max.min(n) as f64 * 1000.0 / d as f64),
            _ => None,
        };
        ideal_at_max = ideal_at_max.or(ideal);
        let before = c_prev.and_then(|c| at(&label, c)).and_then(figures);
        match figures(p) {
            Some((t, m)) => {
                if is_async(p) {
                    completed.push(true);
                    async_thr.push(t.median);
                    better.push(match threads {
                        None => true,
                        Some((tt, tm)) => t.median >= 0.9 * tt.median && m.median < tm.median,
                    });
                }
                let per_request = match (before, c_prev) {
                    (Some((_, mb)), Some(cp)) => {
                        mem((m.median - mb.median) * 1024.0 / (c_max - cp) as f64)
                    }
                    _ => "—".into(),
                };
                if let Some((tb, _)) = before {
                    growth.push(t.median / tb.median);
                }
                rows.push(vec![
                    label.clone(),
                    number(t.median),
                    ideal.map_or("—".into(), |i| pct(t.median / i)),
                    mem(m.median * 1024.0),
                    per_request,
                ]);
            }
            None => {
                if is_async(p) {
                    completed.push(false);
                }
                rows.push(vec![
                    label.clone(),
                    run.statuses(p),
                    "—".into(),
                    "—".into(),
                    "—".into(),
                ]);
            }
        }
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
    evidence.push(format!(
        "at C = {}, {} of {} async models completed, and {} of them beat threads on both \
         counts (at least 90 % of their throughput with a lower peak RSS)",
        number(c_max as f64),
        completed.iter().filter(|c| **c).count(),
        completed.len(),
        better.iter().filter(|b| **b).count()
    ));
    if let (Some(cp), false) = (c_prev, growth.is_empty()) {
        let grew = c_max as f64 / cp as f64;
        let flat = growth.iter().all(|g| *g < grew.sqrt());
        evidence.push(format!(
            "from C = {} to {} ({}× the requests in flight) throughput changed by {}{}",
            number(cp as f64),
            number(c_max as f64),
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
    if let Some(i) = ideal_at_max {
        evidence.push(format!(
            "ideal: every request in flight at once, min(C, N) ÷ delay = {} requests/s",
            number(i)
        ));
    }
    // The HTTP client each model used: part of the memory per request is the client's.
    let mut clients: Vec<(String, Vec<String>)> = Vec::new();
    for label in labels_of(&points).into_iter().filter(|l| l != "sequential") {
        let Some(client) = at(&label, c_max).and_then(|p| run.knob(p, "client")) else {
            continue;
        };
        match clients.iter_mut().find(|(c, _)| *c == client) {
            Some((_, ls)) => ls.push(label),
            None => clients.push((client, vec![label])),
        }
    }
    if clients.len() > 1 {
        let list: Vec<String> = clients
            .iter()
            .map(|(c, ls)| format!("{c} ({})", join_and(ls)))
            .collect();
        evidence.push(format!(
            "HTTP clients: {}; part of the memory per request is the client's buffers, not the \
             thread or the coroutine",
            join_and(&list)
        ));
    }
    match (threads, run.env.thread_limit()) {
        (Some(_), Some(l)) if l.predicted > c_max => evidence.push(format!(
            "threads completed at C = {}: below this machine's predicted thread limit of {} \
             (see C3); past it the worker aborts",
            number(c_max as f64),
            thousands(l.predicted)
        )),
        (None, Some(l)) => evidence.push(format!(
            "this machine's predicted thread limit: {} threads (see C3)",
            thousands(l.predicted)
        )),
        _ => {}
    }
    let thread_part = match (threads, at("threads", c_max)) {
        (Some((t, m)), _) => format!(
            "threads {} req/s, {}",
            number(t.median),
            mem(m.median * 1024.0)
        ),
        (None, Some(p)) => format!("threads {}", run.statuses(p)),
        (None, None) => "threads not run".into(),
    };
    let async_rss: Vec<f64> = labels_of(&points)
        .iter()
        .filter(|l| ASYNC.contains(&model_of(l)))
        .filter_map(|l| at(l, c_max).and_then(figures))
        .map(|(_, m)| m.median * 1024.0)
        .collect();
    let async_part = if async_thr.is_empty() {
        "async models failed".to_string()
    } else {
        format!(
            "async {} req/s, {}",
            span(&async_thr, number),
            span(&async_rss, mem)
        )
    };
    let measured = format!(
        "at C = {}: {async_part}; {thread_part}",
        number(c_max as f64)
    );
    let table = Table {
        caption: format!(
            "At C = {} requests in flight ({})",
            number(c_max as f64),
            if run.env.u64("experiment.repetitions") == Some(1) {
                "one run each".to_string()
            } else {
                "medians over the runs".to_string()
            }
        ),
        header: vec![
            "model".into(),
            "requests/s".into(),
            "of the ideal".into(),
            "peak RSS".into(),
            match c_prev {
                Some(cp) => format!("RSS per extra request from C = {}", number(cp as f64)),
                None => "RSS per extra request".into(),
            },
        ],
        rows,
    };
    Finding::new(&C6, verdict, measured, evidence).with_tables(vec![table])
}

/// C7: CPU-bound speedup, and what inline CPU work does to the I/O beside it.
pub fn c7(cpu: Option<&Run>, blocking: Option<&Run>) -> Finding {
    let mut evidence = Vec::new();
    let mut parts = Vec::new();
    let mut measured = Vec::new();
    let mut tables = Vec::new();
    if let Some(run) = cpu {
        let points = run.points_of(Workload::Cpu);
        let seq = points
            .iter()
            .find(|p| p.is_baseline())
            .and_then(|p| run.stat(p, "wall_ms"));
        if let Some(seq) = seq {
            let ups: Vec<(&Point, Stat)> = ordered(points.clone())
                .into_iter()
                .filter(|p| !p.is_baseline())
                .filter_map(|p| Some((p, speedup(seq, run.stat(p, "wall_ms")?))))
                .collect();
            let cores = run.env.u64("machine.cpus");
            let best_thread = ups
                .iter()
                .filter(|(p, _)| THREADED.contains(&p.model.as_str()))
                .map(|(_, s)| s.median)
                .fold(f64::NEG_INFINITY, f64::max);
            let (held, kept): (Vec<_>, Vec<_>) = ups
                .iter()
                .filter(|(p, _)| is_async(p))
                .partition(|(_, s)| s.median < 0.75 * best_thread);
            let names = |v: &[&(&Point, Stat)]| {
                join_and(&v.iter().map(|(p, _)| p.label()).collect::<Vec<_>>())
            };
            let speeds = |v: &[&(&Point, Stat)]| {
                span(&v.iter().map(|(_, s)| s.median).collect::<Vec<_>>(), times)
            };
            if best_thread.is_finite() && !(held.is_empty() && kept.is_empty()) {
                let threads: Vec<f64> = ups
                    .iter()
                    .filter(|(p, _)| THREADED.contains(&p.model.as_str()))
                    .map(|(_, s)| s.median)
                    .collect();
                parts.push(kept.is_empty());
                let mut line = format!(
                    "CPU part, every async model below 75 % of the best thread model's speedup \
                     ({}): {}. Thread models reach {}{}",
                    times(0.75 * best_thread),
                    holds(kept.is_empty()),
                    span(&threads, times),
                    cores.map_or(String::new(), |c| format!(" on {c} cores"))
                );
                if !kept.is_empty() {
                    line.push_str(&format!(
                        "; {} reach {} too: a multi-threaded runtime spreads CPU work over its \
                         workers like a pool",
                        names(&kept),
                        speeds(&kept)
                    ));
                }
                if !held.is_empty() {
                    line.push_str(&format!(
                        "; {} stay at {}: every task ran on one executor thread",
                        names(&held),
                        speeds(&held)
                    ));
                }
                evidence.push(line);
                let mut m = format!("speedup: thread models {}", span(&threads, times));
                if !kept.is_empty() {
                    m.push_str(&format!(", {} {}", names(&kept), speeds(&kept)));
                }
                if !held.is_empty() {
                    m.push_str(&format!(", {} {}", names(&held), speeds(&held)));
                }
                measured.push(m);
            }
            let stats: Vec<Stat> = ups.iter().map(|(_, s)| *s).collect();
            tables.push(Table {
                caption: format!(
                    "Speedup over sequential on {} cores, {}",
                    cores.map_or("?".into(), |c| c.to_string()),
                    ci_words(&stats)
                ),
                header: vec!["model".into(), "speedup".into()],
                rows: ups
                    .iter()
                    .map(|(p, s)| vec![p.label(), cell(s, times)])
                    .collect(),
            });
        }
    }
    if let Some(run) = blocking {
        let points = run.points_of(Workload::Blocking);
        let async_points: Vec<&Point> = points.iter().copied().filter(|p| is_async(p)).collect();
        let mut ratios = Vec::new();
        let mut offload_ratios = Vec::new();
        let mut rows = Vec::new();
        let mut stats = Vec::new();
        for label in labels_of(&async_points) {
            let p99 = |mode: &str| {
                points
                    .iter()
                    .find(|p| p.label() == label && p.cpu_mode.name() == mode)
                    .and_then(|p| run.stat(p, "p99_ms"))
            };
            let (none, inline, offload) = (p99("none"), p99("inline"), p99("offload"));
            stats.extend([none, inline, offload].into_iter().flatten());
            let show = |s: Option<Stat>| s.map_or("—".into(), |s| cell(&s, sig3));
            let ratio = |s: Option<Stat>| match (s, none) {
                (Some(s), Some(n)) => times(s.median / n.median),
                _ => "—".into(),
            };
            rows.push(vec![
                label.clone(),
                show(none),
                show(inline),
                ratio(inline),
                show(offload),
                ratio(offload),
            ]);
            if let (Some(n), Some(i)) = (none, inline) {
                ratios.push(i.median / n.median);
                if let Some(o) = offload {
                    offload_ratios.push(o.median / n.median);
                }
            }
        }
        if !ratios.is_empty() {
            let starved = ratios.iter().all(|r| *r >= 2.0);
            parts.push(starved);
            evidence.push(format!(
                "blocking part, inline CPU work at least doubles the I/O p99 on every async \
                 model: {} ({}); on a one-thread executor it delays every request in flight",
                holds(starved),
                span(&ratios, times)
            ));
            if !offload_ratios.is_empty() {
                let cores = run
                    .env
                    .u64("machine.cpus")
                    .map_or("the same".into(), |c| format!("the same {c}"));
                evidence.push(format!(
                    "offloaded to a blocking pool, the p99 falls to {} the baseline, not back to \
                     it: the pool's threads still compete with the I/O for {cores} cores",
                    span(&offload_ratios, times)
                ));
            }
            measured.push(format!(
                "inline CPU work multiplies the I/O p99 by {}",
                span(&ratios, times)
            ));
            let d = points.first().map(|p| p.delay_ms);
            tables.push(Table {
                caption: format!(
                    "p99 latency of the I/O requests in ms{}, {}",
                    d.map_or(String::new(), |d| format!(
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
            });
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
    Finding::new(&C7, verdict, measured.join("; "), evidence).with_tables(tables)
}

/// The open-loop check on the instrument (not one of the article's claims): per model and
/// rate, what went out and the p99 from the due time beside the p99 from the send. Returns
/// the statements and the table, or `None` without an open-loop run.
/// `C, delay` of an http point, e.g. `200, 83 ms`.
fn in_flight(p: &Point) -> String {
    format!("{}, {} ms", p.concurrency, p.delay_ms)
}

pub fn open_loop(run: Option<&Run>) -> Option<(Vec<String>, Table)> {
    let run = run?;
    let mut points = run.open_loop_points();
    if points.is_empty() {
        return None;
    }
    points.sort_by_key(|p| {
        let setting = (
            p.concurrency,
            p.delay_ms,
            p.keep_alive,
            p.bytes,
            p.jitter_ms,
        );
        (order_key(&p.label()), setting, p.rate_per_s)
    });
    let median = |p: &Point, metric: &str| run.stat(p, metric).map(|s| s.median);
    let mut rows = Vec::new();
    let (mut behind, mut widest): (Vec<String>, Option<(f64, String)>) = (Vec::new(), None);
    for p in &points {
        let (Some(rate), Some(corrected), Some(sent)) = (
            p.rate(),
            median(p, "p99_ms"),
            median(p, "p99_uncorrected_ms"),
        ) else {
            let rate = number(p.rate_per_s as f64);
            let none = "—".to_string();
            rows.push(vec![
                p.label(),
                in_flight(p),
                rate,
                run.statuses(p),
                none.clone(),
                none,
            ]);
            continue;
        };
        let achieved = median(p, "achieved_rate_per_s");
        if achieved.is_some_and(|a| a < 0.95 * rate as f64) {
            behind.push(format!("{} at {rate}/s", p.label()));
        }
        let ratio = corrected / sent.max(f64::MIN_POSITIVE);
        if widest.as_ref().is_none_or(|(r, _)| ratio > *r) {
            widest = Some((
                ratio,
                format!(
                    "{} at {rate}/s: p99 {} from the due time, {} from the send",
                    p.label(),
                    time_ms(corrected),
                    time_ms(sent)
                ),
            ));
        }
        rows.push(vec![
            p.label(),
            in_flight(p),
            number(rate as f64),
            achieved.map_or("—".into(), |a| number(a.round())),
            time_ms(corrected),
            time_ms(sent),
        ]);
    }
    let mut evidence = Vec::new();
    if behind.is_empty() {
        evidence.push("every model kept every rate asked (within 5 %)".to_string());
    } else {
        evidence.push(format!(
            "could not keep the rate (sent under 95 % of it): {}",
            join_and(&behind)
        ));
    }
    // With C in flight, each held for the server's delay, no client can send faster than
    // C ÷ delay: past that rate the queue is the concurrency's, not the model's.
    let mut ceilings: Vec<(u64, u64)> = points
        .iter()
        .filter(|p| !p.is_baseline())
        .filter_map(|p| Some((p.concurrency, Some(p.delay_ms).filter(|d| *d > 0)?)))
        .collect();
    ceilings.sort_unstable();
    ceilings.dedup();
    for (c, d) in ceilings {
        evidence.push(format!(
            "with C = {c} in flight and {d} ms per request, no model can send more than \
             C ÷ delay = {}/s",
            number((c as f64 * 1000.0 / d as f64).round())
        ));
    }
    if let Some((ratio, text)) = widest {
        evidence.push(format!("widest gap, {}× — {text}", sig3(ratio)));
    }
    let table = Table {
        caption: "Medians over the runs; p99 latency measured two ways".into(),
        header: [
            "model",
            "C, delay",
            "rate asked /s",
            "sent /s",
            "p99 from due",
            "p99 from send",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    };
    Some((evidence, table))
}
