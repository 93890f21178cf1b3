//! The point key: the parameters that make rows repetitions of one point. It is written once
//! here and embedded in the raw row, the summary row, the worker's spec and the readers.

use serde::{Deserialize, Serialize};
use tvc_core::{CpuMode, Lock, Medium, Workload};

crate::record! {
    /// One measurement's parameters. `n` and `concurrency` mean: http/blocking requests and
    /// requests in flight; park units (both); switch hops per pass and units in the ring; cpu
    /// units (both); shared-state increments per unit and units.
    #[derive(
        Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
    )]
    pub struct PointKey {
        pub experiment: String,
        pub workload: Workload,
        pub model: String,
        pub variant: String,
        pub n: u64,
        pub concurrency: u64,
        pub delay_ms: u64,
        pub jitter_ms: u64,
        pub bytes: u64,
        pub keep_alive: bool,
        /// Open loop: requests per second on a fixed schedule; 0 is the closed loop.
        pub rate_per_s: u64,
        pub iters: u64,
        pub cpu_tasks: u64,
        pub cpu_mode: CpuMode,
        pub lock: Lock,
        pub pinned: bool,
        /// switch: timed passes around the same ring, each of `n` hops.
        pub passes: u64,
        /// switch: what carries the token (the model's channel, or a socket pair per unit).
        pub medium: Medium,
    }
}

impl PointKey {
    /// `model` for the default variant, else `model:variant`: the name a reader knows.
    pub fn label(&self) -> String {
        tvc_core::registry::label(&self.model, &self.variant)
    }

    /// Open loop: the rate asked for; `None` for a closed loop.
    pub fn rate(&self) -> Option<u64> {
        (self.rate_per_s > 0).then_some(self.rate_per_s)
    }

    /// The family of the point's variant, `None` for a model the registry does not know.
    pub fn family(&self) -> Option<tvc_core::Family> {
        tvc_core::registry::family(&self.label())
    }

    /// The language the point's model is written in, `None` for an unknown model.
    pub fn language(&self) -> Option<tvc_core::Language> {
        tvc_core::registry::language(&self.label())
    }

    /// A coroutine model of either kind (the article's claims are about them).
    pub fn is_coroutine(&self) -> bool {
        self.family().is_some_and(|f| f.is_coroutine())
    }

    /// The baseline its language's models are compared with (`sequential`; `python`, one
    /// unit after another), in its default variant (its other variants are controls).
    pub fn is_baseline(&self) -> bool {
        tvc_core::registry::is_baseline(&self.label())
    }

    /// A point of a variant that runs one unit at a time (`sequential`, any variant).
    pub fn one_at_a_time(&self) -> bool {
        tvc_core::registry::one_at_a_time(&self.label())
    }

    /// The same point of its language's baseline (the point a speedup or a cut is against).
    pub fn baseline(&self) -> Option<PointKey> {
        let baseline = tvc_core::registry::baseline_of(self.language()?)?;
        let (model, variant) = baseline.split_once(':').unwrap_or((&baseline, "default"));
        let mut key = PointKey {
            model: model.to_string(),
            variant: variant.to_string(),
            ..self.clone()
        };
        if self.workload.is_http() {
            key.concurrency = 1;
        }
        Some(key)
    }
}
