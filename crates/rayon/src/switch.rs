//! Unsupported: rayon has no channel of its own. Its jobs are meant to run to completion,
//! and jobs ping-ponging over std channels would measure the threads model.

use crate::Rt;
use tvc_core::{ModelError, Report, SwitchPlan};

pub(crate) fn run(_rt: &Rt, _plan: &SwitchPlan) -> Result<Report, ModelError> {
    Err(ModelError::Unsupported(
        "rayon has no channel of its own: its jobs are meant to run to completion, and \
         jobs ping-ponging over std channels would measure the threads model"
            .into(),
    ))
}
