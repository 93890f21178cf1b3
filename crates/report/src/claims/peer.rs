//! The article's own code (the Python peer, `crates/python`), where the article run measured
//! it: beside the Rust models, not in any verdict, so a reader can set the article's figures
//! beside what the same code does on this server.

use super::c2::{ARTICLE_DELAY_MS, ARTICLE_REDUCTION, ARTICLE_WALL_S};
use super::cells::percent;
use tvc_core::registry::Language;
use tvc_core::Workload;
use tvc_results::format::{pct, time_ms};
use tvc_results::{Run, Stat};

/// The article's 200 GETs one after another, in s (with coroutines: [`ARTICLE_WALL_S`]).
pub const ARTICLE_SEQUENTIAL_S: f64 = 16.6;

/// One measured point of the peer.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerWall {
    pub label: String,
    /// Its default variant: the article's first program, one request after another.
    pub one_at_a_time: bool,
    pub keep_alive: bool,
    pub n: u64,
    pub delay_ms: u64,
    pub wall: Stat,
}

/// Every peer point of the article run that measured a wall time.
pub fn walls(article: &Run) -> Vec<PeerWall> {
    article
        .points_of(Workload::Http)
        .into_iter()
        .filter(|p| p.language() == Some(Language::Python))
        .filter(|p| p.is_baseline() || p.variant.starts_with("httpx-async"))
        .filter_map(|p| {
            Some(PeerWall {
                label: p.label(),
                one_at_a_time: tvc_core::registry::is_default(&p.variant),
                keep_alive: p.keep_alive,
                n: p.n,
                delay_ms: p.delay_ms,
                wall: article.stat(p, "wall_ms")?,
            })
        })
        .collect()
}

/// C1's line: the article's first program on this server.
pub fn sequential_line(article: &Run) -> Option<String> {
    let w = walls(article).into_iter().find(|w| w.one_at_a_time)?;
    let each = w.wall.median / w.n as f64;
    Some(format!(
        "the article's own code, {} ({} GETs one after another with httpx.get, a new \
         connection each), on this server: {}, {} each, {} above the server's {} ms (the \
         article measured {ARTICLE_SEQUENTIAL_S} s: its {ARTICLE_DELAY_MS} ms a GET held Python's own \
         cost too)",
        w.label,
        w.n,
        time_ms(w.wall.median),
        time_ms(each),
        time_ms(each - w.delay_ms as f64),
        w.delay_ms
    ))
}

/// C2's lines: each of the article's second program's runs against its first.
pub fn coroutine_lines(article: &Run) -> Vec<String> {
    let all = walls(article);
    let Some(first) = all.iter().find(|w| w.one_at_a_time) else {
        return Vec::new();
    };
    all.iter()
        .filter(|w| !w.one_at_a_time)
        .map(|w| {
            format!(
                "the article's own code, {} (one httpx.AsyncClient, asyncio): {} against {}'s \
                 {}, a cut of {} (the article: {ARTICLE_SEQUENTIAL_S} s → {ARTICLE_WALL_S} s, {})",
                w.label,
                time_ms(w.wall.median),
                first.label,
                time_ms(first.wall.median),
                pct(1.0 - w.wall.median / first.wall.median),
                percent(ARTICLE_REDUCTION)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::run;

    const HTTP: &str = "workload,model,variant,n,concurrency,delay_ms,keep_alive,status,wall_ms";

    #[test]
    fn the_article_code_is_set_beside_the_articles_figures() {
        let r = run(
            HTTP,
            &[
                "http,sequential,default,200,1,83,false,ok,16900",
                "http,python,default,200,1,83,false,ok,22600",
                "http,python,default,200,1,83,true,unsupported,",
                "http,python,httpx-async,200,200,83,true,ok,730",
            ],
        );
        assert_eq!(walls(&r).len(), 2);
        let c1 = sequential_line(&r).expect("measured");
        assert!(c1.contains("22.60 s, 113 ms each, 30 ms above"), "{c1}");
        let c2 = coroutine_lines(&r);
        assert_eq!(c2.len(), 1);
        assert!(
            c2[0].contains("730 ms against python's 22.60 s, a cut of 96.8 %"),
            "{}",
            c2[0]
        );
    }
}
