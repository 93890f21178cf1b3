//! C1: sequential I/O costs N × the round trip. Measured: the sequential model's median wall
//! time at each keep-alive setting, set against N × the server's delay.

use super::cells::{keep_alive, percent, with_ci};
use super::points::{baseline_models, ordered};
use super::Claim;
use crate::finding::{Finding, Verdict};
use tvc_core::registry::Language;
use tvc_core::Workload;
use tvc_plot::names;
use tvc_results::format::time_ms;
use tvc_results::{Run, Stat};

pub static CLAIM: Claim = Claim {
    id: "C1",
    title: "Sequential I/O costs N × the round trip",
    claim: "Sequential I/O costs N × the round trip: 200 GETs one after another take 200 × 83 ms.",
    article: "16.6 s for 200 GETs (83 ms each)",
    experiments: &["article"],
    rule,
    due_rule: None,
    why: "A blocking loop waits for each response before sending the next request, so the \
          waits add up: the CPU is idle almost the whole time. What is left above N × delay is \
          the per-request cost of the client and the loopback round trip, plus a TCP handshake \
          per request when keep-alive is off.",
    languages: &[
        (
            Language::Python,
            "Waiting is the same in every language: one request after another costs N round trips \
             wherever it is written. What differs is each request's own cost on top: the \
             article's httpx.get builds a client, a connection and an SSL context per call, tens \
             of milliseconds of CPython a request against a fraction of a millisecond for Rust's \
             blocking client.",
        ),
        (
            Language::Go,
            "Waiting is the same in every language: one request after another costs N round trips \
             wherever it is written. Go's net/http client adds to each request about what Rust's \
             blocking client adds, so a gap between the verdicts comes from the client's own cost \
             per request, not from the waiting.",
        ),
        (
            Language::Java,
            "Waiting is the same in every language: one request after another costs N round trips \
             wherever it is written. Java's HttpClient adds more to each request than Rust's \
             blocking client: its synchronous send runs through the client's own selector thread \
             and a future per exchange, and the first requests run before the JIT has compiled \
             the client's code.",
        ),
    ],
    charts: &[names::ARTICLE_WALL],
};

/// Reproduced when the sequential median is within this fraction of N × delay everywhere.
pub const CLOSE: f64 = 0.10;
/// Partly when it is within this fraction everywhere (but not within [`CLOSE`]).
pub const NEAR: f64 = 0.25;

fn rule() -> String {
    format!(
        "Reproduced if the median wall time of the language's one-after-another baseline ({}) \
         is within {} of N × delay at every keep-alive setting; partly if within {}; otherwise \
         not reproduced.",
        baseline_models(),
        percent(CLOSE),
        percent(NEAR)
    )
}

/// The sequential model at one keep-alive setting.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequential {
    pub keep_alive: bool,
    pub n: u64,
    pub delay_ms: u64,
    /// Wall time of all `n` requests, in ms.
    pub wall: Stat,
}

impl Sequential {
    /// N × delay, in ms: what the waits alone add up to.
    pub fn expected_ms(&self) -> f64 {
        (self.n * self.delay_ms) as f64
    }

    /// How far the median lies from N × delay, as a signed fraction of it.
    pub fn deviation(&self) -> f64 {
        self.wall.median / self.expected_ms() - 1.0
    }

    /// The median wall time per request, in ms.
    pub fn each_ms(&self) -> f64 {
        self.wall.median / self.n as f64
    }
}

/// C1's figures: the sequential points that measured a wall time, keep-alive on first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub sequential: Vec<Sequential>,
    /// The article's own code one request after another, worded (not in the verdict).
    pub peer: Option<String>,
}

pub fn measure(article: &Run) -> Figures {
    let sequential = ordered(article.points_of(Workload::Http))
        .into_iter()
        .filter(|p| p.is_baseline())
        .filter_map(|p| {
            Some(Sequential {
                keep_alive: p.keep_alive,
                n: p.n,
                delay_ms: p.delay_ms,
                wall: article.stat(p, "wall_ms")?,
            })
        })
        .collect();
    Figures {
        sequential,
        peer: super::peer::sequential_line(article),
    }
}

impl Figures {
    pub fn verdict(&self) -> Verdict {
        let within = |limit: f64| self.sequential.iter().all(|s| s.deviation().abs() <= limit);
        match (self.sequential.is_empty(), within(CLOSE), within(NEAR)) {
            (true, _, _) => Verdict::NotMeasured,
            (false, true, _) => Verdict::Reproduced,
            (false, false, true) => Verdict::Partly,
            (false, false, false) => Verdict::NotReproduced,
        }
    }
}

/// C1 from the article run, when there is one.
pub fn finding(article: Option<&Run>) -> Finding {
    super::from_run(&CLAIM, article, measure, word)
}

fn word(f: &Figures) -> Finding {
    let mut evidence: Vec<String> = f
        .sequential
        .iter()
        .map(|s| {
            format!(
                "sequential, {}: {} for {} GETs, {} each: {} ms of server delay plus {} of \
                 client and loopback; N × delay = {}, so {:+.1} %",
                keep_alive(s.keep_alive),
                with_ci(&s.wall, time_ms),
                s.n,
                time_ms(s.each_ms()),
                s.delay_ms,
                time_ms(s.each_ms() - s.delay_ms as f64),
                time_ms(s.expected_ms()),
                s.deviation() * 100.0
            )
        })
        .collect();
    evidence.extend(f.peer.clone());
    // The headline quotes keep-alive off when it was measured: the case with a connection per GET.
    let headline = f
        .sequential
        .iter()
        .rev()
        .find(|s| !s.keep_alive)
        .or(f.sequential.first());
    let Some(s) = headline else {
        return Finding::not_measured(&CLAIM, evidence);
    };
    let measured = format!(
        "{} = {} per GET ({:+.1} % vs N × delay)",
        time_ms(s.wall.median),
        time_ms(s.each_ms()),
        s.deviation() * 100.0
    );
    Finding::new(&CLAIM, f.verdict(), measured, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::run;

    const HTTP: &str = "workload,model,variant,n,concurrency,delay_ms,keep_alive,status,wall_ms";

    fn verdict(wall_ms: &str) -> Verdict {
        let line = format!("http,sequential,default,200,1,83,false,{wall_ms}");
        measure(&run(HTTP, &[&line])).verdict()
    }

    #[test]
    fn within_10_percent_of_n_times_delay_reproduces() {
        let f = measure(&run(
            HTTP,
            &["http,sequential,default,200,1,83,false,ok,16900"],
        ));
        assert!((f.sequential[0].deviation() - 0.018).abs() < 1e-3, "{f:?}");
        assert_eq!(f.verdict(), Verdict::Reproduced);
        assert_eq!(verdict("ok,19000"), Verdict::Partly);
        assert_eq!(verdict("ok,30000"), Verdict::NotReproduced);
        assert_eq!(verdict("timeout,"), Verdict::NotMeasured);
        assert_eq!(finding(None).verdict, Verdict::NotMeasured);
    }

    #[test]
    fn the_rule_quotes_the_thresholds() {
        let rule = (CLAIM.rule)();
        assert!(rule.contains("within 10 % of N × delay") && rule.contains("within 25 %"));
    }
}
