//! `sequential`: one thread, one blocking request after another. The baseline every other
//! model is measured against (the article's 16.6 s loop); concurrency is always 1.

use std::time::Instant;
use tvc_client::BlockingClient;
use tvc_core::{HttpPlan, HttpRun, Knob, Model, ModelError, RunReport, Variant};

pub struct Sequential;

const VARIANTS: &[Variant] = &[Variant {
    name: "default",
    about: "one thread, one ureq request at a time",
}];

impl Model for Sequential {
    fn name(&self) -> &'static str {
        "sequential"
    }

    fn about(&self) -> &'static str {
        "one thread, blocking calls one after another (the baseline)"
    }

    fn variants(&self) -> &'static [Variant] {
        VARIANTS
    }

    fn http(&self, variant: &str, plan: &HttpPlan) -> Result<RunReport, ModelError> {
        ModelError::check_variant(self, variant)?;
        let client = BlockingClient::new(plan);
        let run = HttpRun::new(plan.n);

        let start = Instant::now();
        while run.claim() {
            let t = Instant::now();
            let result = client.get();
            run.record(0, t.elapsed(), result);
        }
        let wall = start.elapsed();

        Ok(run.report(wall, 1, 1, vec![Knob::new("client", "ureq")]))
    }
}
