//! Unsupported: the article's code makes HTTP requests and nothing else; it computes nothing.

use crate::Rt;
use tvc_core::{CpuPlan, ModelError, Report};

pub(crate) fn run(_rt: &Rt, _plan: &CpuPlan) -> Result<Report, ModelError> {
    Err(ModelError::Unsupported(
        "the article's Python code makes HTTP requests and nothing else: it has no CPU work \
         to run"
            .into(),
    ))
}
