//! No switch at all: the token is passed by value in a loop. The cost of the loop is the
//! baseline to subtract from every other model's figure.

use crate::Rt;
use std::cell::Cell;
use std::hint::black_box;
use tvc_core::{Knob, ModelError, Passes, Report, SwitchPlan};

pub(crate) fn run(rt: &Rt, plan: &SwitchPlan) -> Result<Report, ModelError> {
    let ring: Vec<Cell<u64>> = (0..plan.units.max(2)).map(|_| Cell::new(0)).collect();
    let mut passes = Passes::new(plan.warmup_passes, plan.passes);
    let mut check = 0;
    while passes.begin() {
        let mut token = 0u64;
        while token < plan.hops {
            let slot = &ring[token as usize % ring.len()];
            slot.set(black_box(token));
            token = slot.get() + 1;
        }
        check += token;
        passes.end();
    }
    let (window, passes_ms) = passes.finish();
    let mut knobs = rt.knobs();
    knobs.push(Knob::new("channel", "none (a local variable)"));
    Ok(Report {
        window,
        workers: rt.workers(),
        knobs,
        check: Some(check),
        passes_ms,
        ..Report::default()
    })
}
