//! The article's claims as tvc tests them, one file each: the claim's words and the
//! article's figure, the thresholds of its rule as named constants and the rule's sentence
//! written from them (so the rule printed and the rule applied cannot drift apart), the
//! figures measured from the runs (`measure`, numbers only, unit-tested with the rule both
//! holding and failing) and the words those figures come to (`finding`).
//!
//! `open_loop` is the check on the instrument itself, built the same way without a verdict.

pub mod c1;
pub mod c2;
pub mod c3;
pub mod c4;
pub mod c5;
pub mod c6;
pub mod c7;
mod cells;
pub mod grid;
pub mod open_loop;
mod peer;
mod points;
pub mod spawn;
#[cfg(test)]
mod testing;

use crate::finding::Finding;
use tvc_core::registry::Language;
use tvc_results::Run;

/// A claim of the article and how tvc tests it.
#[derive(Debug)]
pub struct Claim {
    pub id: &'static str,
    /// A heading of a few words.
    pub title: &'static str,
    pub claim: &'static str,
    /// What the article itself said or measured.
    pub article: &'static str,
    /// The experiments (files under experiments/) that measure it.
    pub experiments: &'static [&'static str],
    /// The rule that turns the data into the verdict, written from the thresholds the claim's
    /// code applies.
    pub rule: fn() -> String,
    /// For a claim about coroutines, the rule of the second question: is the effect the
    /// coroutines', or does OS threads' concurrency with the same client do the same?
    pub due_rule: Option<fn() -> String>,
    /// Why the result comes out as it does: what a reader should learn.
    pub why: &'static str,
    /// Why the answer can differ between Rust and each peer language (the GIL, a runtime's
    /// threads): said where the two verdicts disagree.
    pub languages: &'static [(Language, &'static str)],
    pub charts: &'static [&'static str],
}

impl Claim {
    /// Why `language` can answer the claim otherwise than Rust.
    pub fn why_in(&self, language: Language) -> &'static str {
        self.languages
            .iter()
            .find(|(l, _)| *l == language)
            .map_or("", |(_, why)| why)
    }
}

/// The finding of a claim measured from one run: its figures worded, or "not measured"
/// when the run was not given.
fn from_run<F>(
    claim: &'static Claim,
    run: Option<&Run>,
    measure: fn(&Run) -> F,
    word: fn(&F) -> Finding,
) -> Finding {
    run.map_or_else(
        || Finding::not_measured(claim, Vec::new()),
        |run| word(&measure(run)),
    )
}

/// Every claim, in the article's order.
pub static CLAIMS: [&Claim; 7] = [
    &c1::CLAIM,
    &c2::CLAIM,
    &c3::CLAIM,
    &c4::CLAIM,
    &c5::CLAIM,
    &c6::CLAIM,
    &c7::CLAIM,
];

#[cfg(test)]
mod tests {
    use super::CLAIMS;
    use tvc_core::registry::Language;

    #[test]
    fn every_rule_is_a_sentence_and_ids_run_in_order() {
        for (i, c) in CLAIMS.iter().enumerate() {
            assert_eq!(c.id, format!("C{}", i + 1));
            let rules = std::iter::once(c.rule).chain(c.due_rule);
            for rule in rules.map(|r| r()) {
                assert!(
                    rule.ends_with('.') && !rule.contains("  "),
                    "{}: {rule}",
                    c.id
                );
            }
        }
    }

    #[test]
    fn every_peer_language_is_told_why_it_can_differ() {
        for c in CLAIMS {
            for language in Language::ALL.into_iter().filter(|l| *l != Language::Rust) {
                let why = c.why_in(language);
                assert!(why.ends_with('.'), "{} {language:?}: {why:?}", c.id);
            }
        }
    }
}
