//! Unsupported: one thread either waits for a request or computes; it cannot have I/O in
//! flight beside CPU work, which is what this workload measures.

use crate::Rt;
use tvc_core::{BlockingPlan, ModelError, RunReport};

pub(crate) fn run(_rt: &Rt, _plan: &BlockingPlan) -> Result<RunReport, ModelError> {
    Err(ModelError::Unsupported(
        "one thread either waits for a request or computes: it cannot have I/O in flight \
         beside CPU work"
            .into(),
    ))
}
