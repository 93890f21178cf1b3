//! Unsupported: this workload asks what CPU work does to I/O that shares an async runtime's
//! threads; OS threads have no runtime to share, the kernel schedules each on its own.

use crate::Rt;
use tvc_core::{BlockingPlan, ModelError, RunReport};

pub(crate) fn run(_rt: &Rt, _plan: &BlockingPlan) -> Result<RunReport, ModelError> {
    Err(ModelError::Unsupported(
        "the blocking workload measures CPU work sharing an async runtime's threads with I/O; \
         OS threads have no runtime to share"
            .into(),
    ))
}
