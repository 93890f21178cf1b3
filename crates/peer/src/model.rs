//! The Rust side every peer model shares: a peer crate says what it is ([`Peer`]) and how
//! its process starts; this sends each run to that process and turns the answer into the
//! report every Rust model returns, so the peer crates differ only in their programs.

use crate::{session, Launch, Reply};
use serde::Serialize;
use tvc_core::registry::ModelInfo;
use tvc_core::{HttpPlan, Knob, ModelError, Report, RunReport, Workload};

/// What a peer crate tells the shared code.
pub trait Peer: Sync {
    fn info(&self) -> &'static ModelInfo;

    /// How this process starts the peer's program (decided once per process), or why it
    /// cannot.
    fn launch(&self) -> Result<&'static Launch, String>;

    /// The variable that, set to `1`, makes a peer that cannot run a failure (CI).
    fn require_var(&self) -> &'static str;

    /// What makes the peer runnable, for the reason of a point it could not run.
    fn enable(&self) -> &'static str;

    /// What a variant cannot express, refused before any process is looked for, so it
    /// reads the same on every machine: by default an open loop, which no peer program has.
    fn refuse(
        &self,
        _variant: &str,
        _workload: Workload,
        http: Option<&HttpPlan>,
    ) -> Result<(), ModelError> {
        closed_loop_only(http)
    }
}

/// The peer cannot run here: unsupported, or a failure where it is required.
pub fn cannot_run(peer: &dyn Peer, why: String) -> ModelError {
    let var = peer.require_var();
    if std::env::var(var).is_ok_and(|v| v == "1") {
        ModelError::Start(std::io::Error::other(format!("{var}=1, but {why}")))
    } else {
        ModelError::Unsupported(format!("{why}; to enable them: {}", peer.enable()))
    }
}

/// What the programs are sent: the workload, the variant and the plan.
#[derive(Serialize)]
struct Request<'a, P: Serialize> {
    workload: &'static str,
    variant: &'a str,
    plan: &'a P,
}

/// Sends one run to the worker's peer process and reads its answer.
pub fn ask<P: Serialize>(
    peer: &dyn Peer,
    variant: &str,
    workload: Workload,
    plan: &P,
) -> Result<Reply, ModelError> {
    let launch = peer.launch().map_err(|why| cannot_run(peer, why))?;
    let request = Request {
        workload: workload.name(),
        variant,
        plan,
    };
    let request = serde_json::to_value(&request)
        .map_err(|e| ModelError::Start(std::io::Error::other(e.to_string())))?;
    let answer = session::call(launch, &request).map_err(|e| match e.cannot_run() {
        true => cannot_run(peer, e.to_string()),
        false => ModelError::Start(std::io::Error::other(e.to_string())),
    })?;
    let mut reply = Reply::parse(&launch.name, &answer)?;
    if let Some(why) = reply.unusable.take() {
        return Err(cannot_run(peer, format!("{} {why}", launch.name)));
    }
    Ok(reply)
}

/// An http run (or the http part of a blocking one): the user's mistakes first, whether or
/// not the peer is here to run; then the run. `in_flight` where the peer does not say.
pub fn requests<P: Serialize>(
    peer: &dyn Peer,
    variant: &str,
    workload: Workload,
    http: &HttpPlan,
    plan: &P,
    in_flight: usize,
    knobs: Vec<Knob>,
) -> Result<RunReport, ModelError> {
    let variant = ModelError::check_variant(peer.info(), variant)?;
    peer.refuse(variant, workload, Some(http))?;
    let target = http.target()?;
    if let (true, Some(ca)) = (target.is_https(), http.ca_file.as_deref()) {
        tvc_client::tls::read_ca_file(ca)?;
    }
    ask(peer, variant, workload, plan)?.into_run_report(http, in_flight, knobs)
}

/// A workload that makes no request.
pub fn work<P: Serialize>(
    peer: &dyn Peer,
    variant: &str,
    workload: Workload,
    plan: &P,
) -> Result<Report, ModelError> {
    let variant = ModelError::check_variant(peer.info(), variant)?;
    peer.refuse(variant, workload, None)?;
    ask(peer, variant, workload, plan)?.into_report(Vec::new())
}

/// Refuses an open loop: every peer program sends as fast as answers come.
pub fn closed_loop_only(http: Option<&HttpPlan>) -> Result<(), ModelError> {
    match http {
        Some(plan) if plan.rate.is_some() => Err(ModelError::Unsupported(
            "the peer's programs send as fast as answers come (a closed loop); they have no \
             schedule to send on at a rate"
                .into(),
        )),
        _ => Ok(()),
    }
}

/// Implements [`tvc_core::Model`] for a peer whose every workload goes to its program as is
/// (`$peer` implements [`Peer`]): the Go and Java peers are exactly that.
#[macro_export]
macro_rules! model {
    ($peer:ty) => {
        impl tvc_core::Model for $peer {
            fn info(&self) -> &'static tvc_core::ModelInfo {
                $crate::Peer::info(self)
            }

            fn http(
                &self,
                variant: &str,
                plan: &tvc_core::HttpPlan,
            ) -> Result<tvc_core::RunReport, tvc_core::ModelError> {
                let http = tvc_core::Workload::Http;
                $crate::model::requests(self, variant, http, plan, plan, 1, Vec::new())
            }

            fn park(
                &self,
                variant: &str,
                plan: &tvc_core::ParkPlan,
            ) -> Result<tvc_core::Report, tvc_core::ModelError> {
                $crate::model::work(self, variant, tvc_core::Workload::Park, plan)
            }

            fn switch(
                &self,
                variant: &str,
                plan: &tvc_core::SwitchPlan,
            ) -> Result<tvc_core::Report, tvc_core::ModelError> {
                $crate::model::work(self, variant, tvc_core::Workload::Switch, plan)
            }

            fn cpu(
                &self,
                variant: &str,
                plan: &tvc_core::CpuPlan,
            ) -> Result<tvc_core::Report, tvc_core::ModelError> {
                $crate::model::work(self, variant, tvc_core::Workload::Cpu, plan)
            }

            fn blocking(
                &self,
                variant: &str,
                plan: &tvc_core::BlockingPlan,
            ) -> Result<tvc_core::RunReport, tvc_core::ModelError> {
                let blocking = tvc_core::Workload::Blocking;
                $crate::model::requests(self, variant, blocking, &plan.http, plan, 1, Vec::new())
            }

            fn shared_state(
                &self,
                variant: &str,
                plan: &tvc_core::SharedPlan,
            ) -> Result<tvc_core::Report, tvc_core::ModelError> {
                $crate::model::work(self, variant, tvc_core::Workload::SharedState, plan)
            }
        }
    };
}
