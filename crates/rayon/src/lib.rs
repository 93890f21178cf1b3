//! `rayon`: work as parallel iterators on rayon's work-stealing pool. By default the pool
//! has one thread per core, which is right for CPU work and wrong for I/O: at most
//! `pool size` requests are in flight. The `pool=c` variant sizes the pool to the
//! concurrency (or the number of units).

use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tvc_client::BlockingClient;
use tvc_core::probe::{Gate, ParkProbe};
use tvc_core::work::cpu_unit;
use tvc_core::{
    CpuPlan, HttpPlan, HttpRun, Knob, Lock, Model, ModelError, ParkPlan, Report, RunReport,
    SharedPlan, SwitchPlan, Variant, NO_LOCK_NEEDS_ONE_THREAD,
};

pub struct Rayon;

const VARIANTS: &[Variant] = &[
    Variant {
        name: "default",
        about: "rayon's default pool (one thread per core)",
    },
    Variant {
        name: "pool=c",
        about: "a pool with as many threads as the concurrency (or units)",
    },
];

impl Rayon {
    /// The pool for a run: rayon's default, or `units` threads for `pool=c`.
    fn pool(&self, variant: &str, units: usize) -> Result<rayon::ThreadPool, ModelError> {
        let mut builder = rayon::ThreadPoolBuilder::new();
        if ModelError::check_variant(self, variant)? == "pool=c" {
            builder = builder.num_threads(units.max(1));
        }
        builder
            .build()
            .map_err(|e| ModelError::Start(std::io::Error::other(e)))
    }
}

fn report(wall: std::time::Duration, pool: &rayon::ThreadPool, check: Option<u64>) -> Report {
    Report {
        wall_ms: wall.as_secs_f64() * 1e3,
        workers: pool.current_num_threads(),
        knobs: vec![Knob::new("pool_size", pool.current_num_threads())],
        check,
        park: None,
    }
}

impl Model for Rayon {
    fn name(&self) -> &'static str {
        "rayon"
    }

    fn about(&self) -> &'static str {
        "the rayon work-stealing pool"
    }

    fn variants(&self) -> &'static [Variant] {
        VARIANTS
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        let pool = self.pool(variant, plan.concurrency)?;
        let workers = pool.current_num_threads();
        let client = BlockingClient::new(plan)?;
        let run = HttpRun::new(plan);

        let start = Instant::now();
        pool.install(|| {
            (0..plan.n).into_par_iter().for_each(|_| {
                let Some(due) = run.claim() else { return };
                if let Some(wait) = due.wait() {
                    std::thread::sleep(wait);
                }
                let sent = Instant::now();
                let result = client.get();
                let unit = rayon::current_thread_index().unwrap_or(0);
                run.record(unit, due, sent, result);
            })
        });
        let wall = start.elapsed();

        let knobs = vec![Knob::new("client", "ureq"), Knob::new("pool_size", workers)];
        Ok(run.report(wall, workers, workers, knobs))
    }

    /// A blocked rayon job holds its pool thread, so N parked units need a pool of N
    /// threads: the pool is always sized to N here, whatever the variant.
    fn park(&self, variant: &str, plan: &ParkPlan) -> Result<Report, ModelError> {
        ModelError::check_variant(self, variant)?;
        // Past the thread limit rayon's pool build does not return (it hangs, seen here),
        // so the point is refused up front, with the prediction as its reason.
        let limit = tvc_core::probe::ThreadLimit::predict();
        if let Some(max) = limit.predicted.filter(|max| plan.n > *max) {
            return Err(ModelError::Start(std::io::Error::other(format!(
                "a pool of {} threads is above this machine's predicted thread limit of {max} \
                 ({}); rayon's pool build hangs instead of failing there, so it was not tried",
                plan.n, limit.binding
            ))));
        }
        let gate = Arc::new(Gate::default());
        let probe = ParkProbe::begin();
        let start = Instant::now();
        let pool = self.pool("pool=c", plan.n as usize)?;
        // One blocking job per pool thread, delivered to each thread's own queue (a plain
        // `spawn` goes through the shared injector, and idle threads searching it would spin).
        let unit_gate = gate.clone();
        pool.spawn_broadcast(move |_| unit_gate.park());
        gate.wait_parked(plan.n);
        let figures = probe.parked(plan.n);
        gate.open();
        let wall = start.elapsed();
        Ok(Report {
            wall_ms: wall.as_secs_f64() * 1e3,
            workers: pool.current_num_threads(),
            knobs: vec![Knob::new("pool_size", pool.current_num_threads())],
            check: None,
            park: Some(figures),
        })
    }

    fn switch(&self, _variant: &str, _plan: &SwitchPlan) -> Result<Report, ModelError> {
        Err(ModelError::Unsupported(
            "rayon has no channel of its own: its jobs are meant to run to completion, and \
             jobs ping-ponging over std channels would measure the threads model"
                .into(),
        ))
    }

    fn cpu(&self, variant: &str, plan: &CpuPlan) -> Result<Report, ModelError> {
        let pool = self.pool(variant, plan.n as usize)?;
        let start = Instant::now();
        let check = pool.install(|| {
            (0..plan.n)
                .into_par_iter()
                .map(|i| cpu_unit(i, plan.iters))
                .reduce(|| 0, |a, b| a ^ b)
        });
        Ok(report(start.elapsed(), &pool, Some(check)))
    }

    fn shared_state(&self, variant: &str, plan: &SharedPlan) -> Result<Report, ModelError> {
        let pool = self.pool(variant, plan.units)?;
        let mutex = Mutex::new(0u64);
        let atomic = AtomicU64::new(0);
        let increment: &(dyn Fn() + Sync) = match plan.lock {
            Lock::Mutex => &|| *mutex.lock().unwrap_or_else(|p| p.into_inner()) += 1,
            Lock::Atomic => &|| {
                atomic.fetch_add(1, Ordering::Relaxed);
            },
            Lock::None => return Err(ModelError::Unsupported(NO_LOCK_NEEDS_ONE_THREAD.into())),
        };
        let start = Instant::now();
        pool.install(|| {
            (0..plan.units).into_par_iter().for_each(|_| {
                for _ in 0..plan.increments {
                    increment();
                }
            })
        });
        let wall = start.elapsed();
        let count = match plan.lock {
            Lock::Mutex => *mutex.lock().unwrap_or_else(|p| p.into_inner()),
            _ => atomic.load(Ordering::Relaxed),
        };
        let mut r = report(wall, &pool, Some(count));
        r.knobs.push(Knob::new("lock", plan.lock.name()));
        Ok(r)
    }
}
