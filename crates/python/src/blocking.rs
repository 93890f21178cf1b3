//! Unsupported: the article's code makes HTTP requests and nothing else; it runs no CPU work
//! beside them.

use crate::Rt;
use tvc_core::{BlockingPlan, ModelError, RunReport};

pub(crate) fn run(_rt: &Rt, _plan: &BlockingPlan) -> Result<RunReport, ModelError> {
    Err(ModelError::Unsupported(
        "the article's Python code makes HTTP requests and nothing else: it runs no CPU work \
         beside them"
            .into(),
    ))
}
