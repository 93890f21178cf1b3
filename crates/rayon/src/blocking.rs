//! Unsupported: this workload asks what CPU work does to I/O that shares an async runtime's
//! threads; a pool of blocking jobs has no I/O runtime to share.

use crate::Rt;
use tvc_core::{BlockingPlan, ModelError, RunReport};

pub(crate) fn run(_rt: &Rt, _plan: &BlockingPlan) -> Result<RunReport, ModelError> {
    Err(ModelError::Unsupported(
        "the blocking workload measures CPU work sharing an async runtime's threads with I/O; \
         a pool of blocking jobs has no runtime to share"
            .into(),
    ))
}
