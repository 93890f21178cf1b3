//! Unsupported: one thread runs one unit at a time, so nothing can be parked beside it.

use crate::Rt;
use tvc_core::{ModelError, ParkPlan, Report};

pub(crate) fn run(_rt: &Rt, _plan: &ParkPlan) -> Result<Report, ModelError> {
    Err(ModelError::Unsupported(
        "one thread runs one unit at a time: nothing can be parked beside it".into(),
    ))
}
