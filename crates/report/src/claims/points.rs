//! Which points a claim looks at and in what order: the families come from the model
//! registry (tvc-core), so a model added there is counted as async or as a thread model by
//! every claim without a list here to update.

use tvc_core::registry::{self, Family, Language, ModelInfo, Variant};
use tvc_results::PointKey;

/// Points in the README's model order, keep-alive on before off.
pub fn ordered(mut points: Vec<&PointKey>) -> Vec<&PointKey> {
    points.sort_by_key(|p| (registry::order(&p.label()), !p.keep_alive));
    points
}

/// Model labels of `points` in the README's order, each once.
pub fn labels_of<'a>(points: impl IntoIterator<Item = &'a &'a PointKey>) -> Vec<String> {
    let mut labels: Vec<String> = points.into_iter().map(|p| p.label()).collect();
    labels.sort_by_key(|l| registry::order(l));
    labels.dedup();
    labels
}

/// The points of each model label: labels in the README's order, points in the run's.
pub fn by_label<'a>(points: &[&'a PointKey]) -> Vec<(String, Vec<&'a PointKey>)> {
    labels_of(points)
        .into_iter()
        .map(|label| {
            let of_label = points.iter().copied().filter(|p| p.label() == label);
            let of_label = of_label.collect();
            (label, of_label)
        })
        .collect()
}

/// A point of a coroutine model, the claims' "async models": stackless coroutines (futures
/// polled by a runtime, asyncio's tasks: the article's coroutines), stackful ones with fixed
/// stacks (may) or growable ones (goroutines, virtual threads).
pub fn is_async(p: &PointKey) -> bool {
    p.family().is_some_and(Family::is_coroutine)
}

/// [`is_async`] for a model label.
pub fn label_is_async(label: &str) -> bool {
    registry::family(label).is_some_and(Family::is_coroutine)
}

/// A point of a thread model: OS threads or processes, a pool of them, the baseline aside
/// (the traditional parallelism the article sets coroutines against).
pub fn is_thread_model(p: &PointKey) -> bool {
    p.family().is_some_and(Family::is_kernel_scheduled) && !p.one_at_a_time()
}

/// Whether a label is OS threads driving the coroutines' HTTP client (or its language's
/// same library): the same-client control a claim about coroutines is answered against
/// (`threads:hyper`, `python:threads`).
pub fn label_is_control(label: &str) -> bool {
    match registry::lookup(label) {
        (Some(_), Some(v)) => {
            v.same_client && registry::family(label) == Some(Family::OsThreads) && !v.one_at_a_time
        }
        _ => false,
    }
}

/// Whether a label is its language's threads model with its own client (`threads` at
/// any stack; `python:threads`, whose client is the coroutines' library too).
pub fn label_is_plain_threads(label: &str) -> bool {
    let Some(language) = registry::language(label) else {
        return false;
    };
    let Some(threads) = registry::threads_of(language) else {
        return false;
    };
    let model = |l: &str| {
        l.split_once(':')
            .map_or(l.to_string(), |(m, _)| m.to_string())
    };
    match registry::lookup(label) {
        (Some(_), Some(v)) => {
            label == threads
                || (model(label) == model(&threads)
                    && v.thread_per_request
                    && !v.same_client
                    && registry::family(label) == Some(Family::OsThreads))
        }
        _ => false,
    }
}

/// The language a claim's points speak for (each claim is answered from one language's
/// points at a time; an unknown model counts as Rust's).
pub fn language_of<'a>(labels: impl IntoIterator<Item = &'a str>) -> Language {
    labels
        .into_iter()
        .find_map(registry::language)
        .unwrap_or(Language::Rust)
}

/// The label of the threads model of the points' language (`threads`, `python:threads`).
pub fn threads_label(points: &[&PointKey]) -> Option<String> {
    let labels: Vec<String> = points.iter().map(|p| p.label()).collect();
    registry::threads_of(language_of(labels.iter().map(String::as_str)))
}

/// Each language's baseline, as a rule names them: `sequential; python`.
pub fn baseline_models() -> String {
    let names: Vec<String> = Language::ALL
        .into_iter()
        .filter_map(registry::baseline_of)
        .collect();
    names.join("; ")
}

/// Each language's same-client control, as a rule names them: `threads:hyper;
/// python:threads`.
pub fn control_models() -> String {
    let control = |m: &ModelInfo, v: &Variant| {
        v.same_client && m.family_of(v) == Family::OsThreads && !v.one_at_a_time
    };
    names_as(control, true)
}

/// Whether a label's variant runs every unit on one thread (tokio's current-thread runtime,
/// smol's local executor).
pub fn single_threaded(label: &str) -> bool {
    registry::lookup(label).1.is_some_and(|v| v.single_threaded)
}

/// The models of each language with a variant `keep` picks, as a rule names them: `tokio,
/// async-std, smol`, then `python (asyncio, uvloop, ...)` for a peer whose variants differ.
fn names(keep: fn(&ModelInfo, &Variant) -> bool) -> String {
    names_as(keep, false)
}

/// [`names`], each Rust model's variant named too when `variants`.
fn names_as(keep: fn(&ModelInfo, &Variant) -> bool, variants: bool) -> String {
    let mut out: Vec<String> = Vec::new();
    for language in Language::ALL {
        let mut names: Vec<String> = Vec::new();
        for m in registry::models_of(language) {
            let kept: Vec<&str> = m
                .variants
                .iter()
                .filter(|v| keep(m, v))
                .map(|v| v.name)
                .collect();
            match kept.as_slice() {
                [] => {}
                _ if language == Language::Rust && !variants => names.push(m.name.to_string()),
                _ => names.extend(kept.iter().map(|v| registry::label(m.name, v))),
            }
        }
        if !names.is_empty() {
            out.push(names.join(", "));
        }
    }
    out.join("; ")
}

/// The async models a rule speaks of, as it names them: `tokio, async-std, smol, may; ...`.
pub fn async_models() -> String {
    names(|m, v| m.family_of(v).is_coroutine())
}

/// The thread models a rule speaks of: `threads, rayon; ...`.
pub fn thread_models() -> String {
    names(|m, v| m.family_of(v).is_kernel_scheduled() && !v.one_at_a_time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_come_from_the_registry() {
        assert_eq!(
            async_models(),
            "tokio, async-std, smol, may; python:asyncio, python:uvloop, python:httpx-async, \
             python:httpx-async-pool200, python:httpx-async-unlimited; go, go:gomaxprocs=1; \
             java:virtual"
        );
        assert_eq!(
            thread_models(),
            "threads, rayon; python:threads, python:processes; go:lockosthread; java"
        );
        assert!(label_is_control("threads:hyper") && label_is_control("python:threads"));
        assert!(!label_is_control("sequential:hyper") && !label_is_control("threads"));
        assert!(label_is_plain_threads("threads:stack=64k") && label_is_plain_threads("threads"));
        assert!(
            label_is_plain_threads("python:threads") && !label_is_plain_threads("threads:hyper")
        );
        assert_eq!(
            baseline_models(),
            "sequential; python; go:sequential; java:sequential"
        );
        assert_eq!(
            control_models(),
            "threads:hyper, threads:http1; python:threads; go:lockosthread; java"
        );
        assert!(label_is_async("tokio:current-thread") && !label_is_async("rayon"));
        assert!(single_threaded("smol:local") && !single_threaded("smol"));
    }
}
