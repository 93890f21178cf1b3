//! The blocking client: a ureq agent. With keep-alive it pools up to `concurrency` idle
//! connections (one per worker at most); without, it keeps none and asks the server to close.
//! For https it uses ureq's rustls support with the run's shared config ([`crate::tls`]).

use crate::USER_AGENT;
use std::io;
use tvc_core::{ErrorKind, HttpPlan, PlanError, Served};

/// Shared by every worker of a blocking model (ureq's agent is a handle to one pool).
pub struct BlockingClient {
    agent: ureq::Agent,
    url: String,
    keep_alive: bool,
}

impl BlockingClient {
    /// Fails only on a bad URL or an unusable CA file, before any request is sent.
    pub fn new(plan: &HttpPlan) -> Result<BlockingClient, PlanError> {
        let idle = if plan.keep_alive {
            plan.concurrency.max(1)
        } else {
            0
        };
        let mut agent = ureq::AgentBuilder::new()
            .timeout(plan.request_timeout())
            .max_idle_connections(idle)
            .max_idle_connections_per_host(idle)
            .user_agent(USER_AGENT);
        if plan.target()?.is_https() {
            agent = agent.tls_config(crate::tls::client_config(plan.ca_file.as_deref())?);
        }
        Ok(BlockingClient {
            agent: agent.build(),
            url: plan.url.clone(),
            keep_alive: plan.keep_alive,
        })
    }

    /// One GET, body read to the end (so the connection can be reused).
    pub fn get(&self) -> Result<Served, ErrorKind> {
        let mut request = self.agent.get(&self.url);
        if !self.keep_alive {
            request = request.set("Connection", "close");
        }
        match request.call() {
            Ok(response) => {
                let served = Served::from_headers(
                    response.header(crate::SERVED_HEADER).map(str::as_bytes),
                    response.header(crate::ASKED_HEADER).map(str::as_bytes),
                );
                drain(response).map(|()| served)
            }
            Err(ureq::Error::Status(status, response)) => {
                drain(response)?;
                Err(ErrorKind::from_status(status).unwrap_or(ErrorKind::Status5xx))
            }
            Err(ureq::Error::Transport(t)) => Err(classify(&t)),
        }
    }
}

fn drain(response: ureq::Response) -> Result<(), ErrorKind> {
    io::copy(&mut response.into_reader(), &mut io::sink())
        .map(|_| ())
        .map_err(|e| crate::tls::classify_io(&e))
}

fn classify(t: &ureq::Transport) -> ErrorKind {
    use ureq::ErrorKind as K;
    // ureq reports a failed handshake as a failed connection; the rustls error inside says
    // it was TLS.
    if std::error::Error::source(t).is_some_and(crate::tls::is_tls_error) {
        return ErrorKind::Tls;
    }
    match t.kind() {
        K::Dns | K::ConnectionFailed => ErrorKind::Connect,
        K::BadStatus | K::BadHeader | K::TooManyRedirects => ErrorKind::Protocol,
        _ => match std::error::Error::source(t).and_then(|s| s.downcast_ref::<io::Error>()) {
            Some(e) => crate::tls::classify_io(e),
            None => ErrorKind::Io,
        },
    }
}
