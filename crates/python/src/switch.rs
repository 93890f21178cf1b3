//! Unsupported: the article's code makes HTTP requests and nothing else; it passes no token.

use crate::Rt;
use tvc_core::{ModelError, Report, SwitchPlan};

pub(crate) fn run(_rt: &Rt, _plan: &SwitchPlan) -> Result<Report, ModelError> {
    Err(ModelError::Unsupported(
        "the article's Python code makes HTTP requests and nothing else: it has no ring to \
         pass a token around"
            .into(),
    ))
}
