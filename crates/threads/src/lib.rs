//! `threads`: OS threads from `std::thread`, one per unit of work, blocking on std's own
//! primitives (channels, mutexes, condition variables). The `stack=64k` variant spawns them
//! with a 64 KiB stack instead of Rust's default 2 MiB.

mod cpu;
mod http;
mod park;
mod shared;
mod switch;

use tvc_core::{
    CpuPlan, HttpPlan, Knob, Model, ModelError, ParkPlan, Report, RunReport, SharedPlan,
    SwitchPlan, Variant,
};

pub struct Threads;

const VARIANTS: &[Variant] = &[
    Variant {
        name: "default",
        about: "threads with Rust's default 2 MiB stack",
    },
    Variant {
        name: "stack=64k",
        about: "threads with a 64 KiB stack",
    },
];

/// Rust's default for spawned threads (unless RUST_MIN_STACK says otherwise).
const DEFAULT_STACK_KIB: usize = 2048;

/// The stack every thread of a run gets.
#[derive(Clone, Copy)]
pub(crate) struct Stack(Option<usize>);

impl Stack {
    fn of(model: &Threads, variant: &str) -> Result<Stack, ModelError> {
        Ok(match ModelError::check_variant(model, variant)? {
            "stack=64k" => Stack(Some(64 * 1024)),
            _ => Stack(None),
        })
    }

    pub(crate) fn builder(self) -> std::thread::Builder {
        match self.0 {
            Some(bytes) => std::thread::Builder::new().stack_size(bytes),
            None => std::thread::Builder::new(),
        }
    }

    pub(crate) fn knob(self) -> Knob {
        Knob::new("stack_kib", self.0.map_or(DEFAULT_STACK_KIB, |b| b / 1024))
    }
}

/// A spawn failure, with which unit it was (thread limits are data, not panics).
pub(crate) fn spawn_failed(i: u64, n: u64, e: std::io::Error) -> ModelError {
    ModelError::Start(std::io::Error::new(
        e.kind(),
        format!("thread {} of {n} could not be spawned: {e}", i + 1),
    ))
}

impl Model for Threads {
    fn name(&self) -> &'static str {
        "threads"
    }

    fn about(&self) -> &'static str {
        "std::thread OS threads"
    }

    fn variants(&self) -> &'static [Variant] {
        VARIANTS
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        http::run(Stack::of(self, variant)?, plan)
    }

    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        park::run(Stack::of(self, variant)?, plan)
    }

    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        switch::run(Stack::of(self, variant)?, plan)
    }

    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError> {
        cpu::run(Stack::of(self, variant)?, plan)
    }

    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError> {
        shared::run(Stack::of(self, variant)?, plan)
    }
}
