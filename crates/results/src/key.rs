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

    /// The model's family, `None` for a model the registry does not know.
    pub fn family(&self) -> Option<tvc_core::Family> {
        tvc_core::registry::model(&self.model).map(|m| m.family)
    }

    /// A coroutine model of either kind (the article's claims are about them).
    pub fn is_coroutine(&self) -> bool {
        self.family().is_some_and(|f| f.is_coroutine())
    }

    /// The baseline every model is compared with: the baseline model (`sequential`) in its
    /// default variant (its other variants are controls, compared like any model).
    pub fn is_baseline(&self) -> bool {
        self.one_at_a_time() && tvc_core::registry::is_default(&self.variant)
    }

    /// A point of the model that runs one unit at a time (`sequential`, any variant).
    pub fn one_at_a_time(&self) -> bool {
        tvc_core::registry::model(&self.model).is_some_and(|m| m.baseline)
    }
}
