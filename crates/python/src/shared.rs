//! Unsupported: the article's code makes HTTP requests and nothing else; it shares no counter.

use crate::Rt;
use tvc_core::{ModelError, Report, SharedPlan};

pub(crate) fn run(_rt: &Rt, _plan: &SharedPlan) -> Result<Report, ModelError> {
    Err(ModelError::Unsupported(
        "the article's Python code makes HTTP requests and nothing else: it shares no counter"
            .into(),
    ))
}
