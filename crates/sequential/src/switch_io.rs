//! The socket ring's reads and writes without a switch: one thread writes the token into
//! each unit's socket and reads it straight back out. What is left of another model's hop
//! once this is subtracted is the switch that I/O readiness caused.

use crate::Rt;
use std::os::unix::net::UnixStream;
use tvc_core::work::{read_token, write_token};
use tvc_core::{Knob, ModelError, Passes, Report, SwitchPlan};

pub(crate) fn run(rt: &Rt, plan: &SwitchPlan) -> Result<Report, ModelError> {
    let mut ring = (0..plan.units.max(2))
        .map(|_| UnixStream::pair())
        .collect::<Result<Vec<_>, _>>()
        .map_err(ModelError::Start)?;
    let units = ring.len() as u64;
    let mut passes = Passes::new(plan.warmup_passes, plan.passes);
    let mut check = 0;
    while passes.begin() {
        let mut token = 0u64;
        while token < plan.hops {
            let (to, from) = &mut ring[(token % units) as usize];
            write_token(to, token).map_err(ModelError::Start)?;
            token = read_token(from).map_err(ModelError::Start)? + 1;
        }
        check += token;
        passes.end();
    }
    let (window, passes_ms) = passes.finish();
    let mut knobs = rt.knobs();
    knobs.push(Knob::new(
        "channel",
        "std UnixStream pairs, written and read by one thread",
    ));
    Ok(Report {
        window,
        workers: rt.workers(),
        knobs,
        check: Some(check),
        passes_ms,
        ..Report::default()
    })
}
