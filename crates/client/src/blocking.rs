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

/// std's blocking TCP stream as the HTTP/1.1 client's transport (TCP_NODELAY, as every
/// model's connection), for OS threads.
pub struct StdNet;

impl crate::http1::Transport for StdNet {
    type Stream = std::net::TcpStream;

    fn connect(
        addr: std::net::SocketAddr,
        timeout: std::time::Duration,
    ) -> std::io::Result<std::net::TcpStream> {
        let stream = std::net::TcpStream::connect_timeout(&addr, timeout)?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    fn set_read_timeout(
        stream: &std::net::TcpStream,
        timeout: std::time::Duration,
    ) -> std::io::Result<()> {
        stream.set_read_timeout(Some(timeout))
    }

    fn set_write_timeout(
        stream: &std::net::TcpStream,
        timeout: std::time::Duration,
    ) -> std::io::Result<()> {
        stream.set_write_timeout(Some(timeout))
    }
}

/// Which HTTP client the units of a blocking model drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// ureq: one shared agent and its pool (the blocking models' own client).
    Ureq,
    /// hyper's HTTP/1 client connection, one per unit, driven on the unit's own thread
    /// ([`crate::thread_net`]): exactly the async models' client, on OS threads.
    Hyper,
    /// tvc-client's own HTTP/1.1 client over std's blocking TCP stream, one connection per
    /// unit: exactly the stackful coroutines' (may's) client, on OS threads.
    Http1,
}

impl ClientKind {
    pub fn name(self) -> &'static str {
        match self {
            ClientKind::Ureq => "ureq",
            ClientKind::Hyper => "hyper",
            ClientKind::Http1 => "tvc-http1",
        }
    }
}

/// A run's client for blocking units: each unit takes its [`Unit`] and calls
/// [`Unit::get`], which blocks its thread until the answer is in.
pub enum Clients {
    Ureq(BlockingClient),
    Hyper(std::sync::Arc<crate::Endpoint>, HttpPlan),
    Http1(std::sync::Arc<crate::Endpoint>, HttpPlan),
}

impl Clients {
    /// Fails only on a bad URL or an unusable CA file, before any request is sent.
    pub fn new(plan: &HttpPlan, kind: ClientKind) -> Result<Clients, PlanError> {
        Ok(match kind {
            ClientKind::Ureq => Clients::Ureq(BlockingClient::new(plan)?),
            ClientKind::Hyper => Clients::Hyper(crate::Endpoint::of(plan)?, plan.clone()),
            ClientKind::Http1 => Clients::Http1(crate::Endpoint::of(plan)?, plan.clone()),
        })
    }

    /// One unit's handle: ureq's shared agent, or a hyper connection of the unit's own.
    pub fn unit(&self) -> Unit<'_> {
        match self {
            Clients::Ureq(c) => Unit::Ureq(c),
            Clients::Hyper(endpoint, plan) => {
                Unit::Hyper(Box::new(crate::HyperClient::new(endpoint.clone(), plan)))
            }
            Clients::Http1(endpoint, plan) => {
                Unit::Http1(Box::new(crate::Http1Client::new(endpoint.clone(), plan)))
            }
        }
    }
}

/// What one blocking unit sends its requests with.
pub enum Unit<'a> {
    Ureq(&'a BlockingClient),
    Hyper(Box<crate::HyperClient<crate::thread_net::ThreadNet>>),
    Http1(Box<crate::Http1Client<StdNet>>),
}

impl Unit<'_> {
    /// One GET, body read to the end, on the calling thread.
    pub fn get(&mut self) -> Result<Served, ErrorKind> {
        match self {
            Unit::Ureq(c) => c.get(),
            Unit::Hyper(h) => crate::thread_net::block_on(h.get()),
            Unit::Http1(h) => h.get(),
        }
    }
}
