//! `sequential`: one thread, one unit of work after another. The baseline every other model
//! is measured against (the article's 16.6 s loop); concurrency is always 1.

use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;
use tvc_client::BlockingClient;
use tvc_core::work::cpu_unit;
use tvc_core::{
    CpuPlan, HttpPlan, HttpRun, Knob, Lock, Model, ModelError, ParkPlan, Report, RunReport,
    SharedPlan, SwitchPlan, Variant,
};

pub struct Sequential;

const VARIANTS: &[Variant] = &[Variant {
    name: "default",
    about: "one thread, one unit at a time",
}];

impl Model for Sequential {
    fn name(&self) -> &'static str {
        "sequential"
    }

    fn about(&self) -> &'static str {
        "one thread, blocking calls one after another (the baseline)"
    }

    fn variants(&self) -> &'static [Variant] {
        VARIANTS
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        ModelError::check_variant(self, variant)?;
        let client = BlockingClient::new(plan)?;
        let run = HttpRun::new(plan);

        let start = Instant::now();
        while let Some(due) = run.claim() {
            if let Some(wait) = due.wait() {
                std::thread::sleep(wait);
            }
            let sent = Instant::now();
            let result = client.get();
            run.record(0, due, sent, result);
        }
        let wall = start.elapsed();

        Ok(run.report(wall, 1, 1, vec![Knob::new("client", "ureq")]))
    }

    fn park(&self, _variant: &str, _plan: &ParkPlan) -> Result<Report, ModelError> {
        Err(ModelError::Unsupported(
            "one thread runs one unit at a time: nothing can be parked beside it".into(),
        ))
    }

    /// No switch at all: the token is passed by value in a loop. The cost of the loop is
    /// the baseline to subtract from every other model's figure.
    fn switch(&self, variant: &str, plan: &SwitchPlan) -> Result<Report, ModelError> {
        ModelError::check_variant(self, variant)?;
        let ring: Vec<Cell<u64>> = (0..plan.units.max(2)).map(|_| Cell::new(0)).collect();
        let start = Instant::now();
        let mut token = 0u64;
        while token < plan.hops {
            let slot = &ring[token as usize % ring.len()];
            slot.set(black_box(token));
            token = slot.get() + 1;
        }
        let wall = start.elapsed();
        Ok(Report {
            wall_ms: wall.as_secs_f64() * 1e3,
            workers: 1,
            knobs: vec![Knob::new("channel", "none (a local variable)")],
            ..Report::default()
        })
    }

    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError> {
        ModelError::check_variant(self, variant)?;
        let start = Instant::now();
        let check = (0..plan.n).fold(0, |acc, i| acc ^ cpu_unit(i, plan.iters));
        let wall = start.elapsed();
        Ok(Report {
            wall_ms: wall.as_secs_f64() * 1e3,
            workers: 1,
            check: Some(check),
            ..Report::default()
        })
    }

    /// The units run one after another, so any protection is uncontended: the baseline cost
    /// of a plain increment, an uncontended mutex and an uncontended atomic.
    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError> {
        ModelError::check_variant(self, variant)?;
        let plain = Cell::new(0u64);
        let mutex = Mutex::new(0u64);
        let atomic = AtomicU64::new(0);
        let start = Instant::now();
        for _ in 0..plan.units {
            for _ in 0..plan.increments {
                match plan.lock {
                    Lock::None => plain.set(black_box(plain.get() + 1)),
                    Lock::Mutex => *mutex.lock().unwrap_or_else(|p| p.into_inner()) += 1,
                    Lock::Atomic => {
                        atomic.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }
        let wall = start.elapsed();
        let count = match plan.lock {
            Lock::None => plain.get(),
            Lock::Mutex => *mutex.lock().unwrap_or_else(|p| p.into_inner()),
            Lock::Atomic => atomic.load(Ordering::Relaxed),
        };
        Ok(Report {
            wall_ms: wall.as_secs_f64() * 1e3,
            workers: 1,
            knobs: vec![Knob::new("lock", plan.lock.name())],
            check: Some(count),
            park: None,
        })
    }
}
