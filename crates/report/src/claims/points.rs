//! Which points a claim looks at and in what order: the families come from the model
//! registry (tvc-core), so a model added there is counted as async or as a thread model by
//! every claim without a list here to update.

use tvc_core::registry::{self, Family, ModelInfo, MODELS};
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

/// A point of an async model: stackless coroutines, futures polled by a runtime (the
/// article's coroutines).
pub fn is_async(p: &PointKey) -> bool {
    p.family() == Some(Family::Stackless)
}

/// [`is_async`] for a model label.
pub fn label_is_async(label: &str) -> bool {
    registry::family(label) == Some(Family::Stackless)
}

/// A point of a thread model: OS threads or a pool of them, the baseline aside.
pub fn is_thread_model(p: &PointKey) -> bool {
    p.family() == Some(Family::OsThreads) && !p.is_baseline()
}

/// Whether a label is OS threads driving the async models' HTTP client: the same-client
/// control a claim about coroutines is answered against (`threads:hyper`).
pub fn label_is_control(label: &str) -> bool {
    match registry::lookup(label) {
        (Some(m), Some(v)) => v.same_client && m.family == Family::OsThreads && !m.baseline,
        _ => false,
    }
}

/// Whether a label is the plain threads model with its own client (`threads`, any stack).
pub fn label_is_plain_threads(label: &str) -> bool {
    match registry::lookup(label) {
        (Some(m), Some(v)) => m.name == registry::THREADS.name && !v.same_client,
        _ => false,
    }
}

/// Whether a label's variant runs every unit on one thread (tokio's current-thread runtime,
/// smol's local executor).
pub fn single_threaded(label: &str) -> bool {
    registry::lookup(label).1.is_some_and(|v| v.single_threaded)
}

fn names(keep: fn(&ModelInfo) -> bool) -> String {
    let names: Vec<&str> = MODELS.iter().filter(|m| keep(m)).map(|m| m.name).collect();
    names.join(", ")
}

/// The async models a rule speaks of, as it names them: `tokio, async-std, smol`.
pub fn async_models() -> String {
    names(|m| m.family == Family::Stackless)
}

/// The thread models a rule speaks of: `threads, rayon`.
pub fn thread_models() -> String {
    names(|m| m.family == Family::OsThreads && !m.baseline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_come_from_the_registry() {
        assert_eq!(async_models(), "tokio, async-std, smol");
        assert_eq!(thread_models(), "threads, rayon");
        assert!(label_is_async("tokio:current-thread") && !label_is_async("rayon"));
        assert!(single_threaded("smol:local") && !single_threaded("smol"));
    }
}
