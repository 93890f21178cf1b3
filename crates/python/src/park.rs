//! Unsupported: the article's code makes HTTP requests and nothing else; it parks no units.

use crate::Rt;
use tvc_core::{ModelError, ParkPlan, Report};

pub(crate) fn run(_rt: &Rt, _plan: &ParkPlan) -> Result<Report, ModelError> {
    Err(ModelError::Unsupported(
        "the article's Python code makes HTTP requests and nothing else: it has no units to \
         park"
            .into(),
    ))
}
