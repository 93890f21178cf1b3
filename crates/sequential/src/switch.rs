//! No switch at all: the token is passed by value in a loop. The cost of the loop is the
//! baseline to subtract from every other model's figure.

use crate::Rt;
use std::cell::Cell;
use std::hint::black_box;
use std::time::Instant;
use tvc_core::{Knob, ModelError, Report, SwitchPlan};

pub(crate) fn run(rt: &Rt, plan: &SwitchPlan) -> Result<Report, ModelError> {
    let ring: Vec<Cell<u64>> = (0..plan.units.max(2)).map(|_| Cell::new(0)).collect();
    let start = Instant::now();
    let mut token = 0u64;
    while token < plan.hops {
        let slot = &ring[token as usize % ring.len()];
        slot.set(black_box(token));
        token = slot.get() + 1;
    }
    let wall = start.elapsed();
    let mut knobs = rt.knobs();
    knobs.push(Knob::new("channel", "none (a local variable)"));
    Ok(Report {
        wall_ms: wall.as_secs_f64() * 1e3,
        workers: rt.workers(),
        knobs,
        ..Report::default()
    })
}
