//! The async client every async model shares: one hyper HTTP/1 connection per unit, over
//! the runtime's own TCP stream, driven by a task on the runtime's own spawner. What differs
//! between tokio, async-std and smol is only the [`AsyncNet`] they plug in. For https the
//! runtime also wraps its TCP stream in TLS ([`AsyncNet::connect_tls`]), with the rustls
//! config the whole run shares.

use crate::tls::{classify_io, Endpoint, Tls};
use crate::USER_AGENT;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONNECTION, HOST, USER_AGENT as USER_AGENT_HEADER};
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::{self, SendRequest};
use std::future::Future;
use std::io;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tvc_core::{ErrorKind, HttpPlan, Served};

/// What an async runtime provides to the shared client.
pub trait AsyncNet: 'static {
    /// The runtime's TCP stream, as hyper drives it.
    type Stream: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static;
    /// The runtime's TCP stream under TLS, as hyper drives it.
    type TlsStream: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static;
    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::Stream>> + Send;
    /// Connects and runs the TLS client handshake; a handshake failure is an `io::Error`
    /// carrying the `rustls::Error` (as tokio-rustls and futures-rustls report it).
    fn connect_tls(
        addr: SocketAddr,
        tls: &Tls,
    ) -> impl Future<Output = io::Result<Self::TlsStream>> + Send;
    fn spawn(task: impl Future<Output = ()> + Send + 'static);
    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send;
}

/// One unit's connection. With keep-alive it is reused until the server closes it; without,
/// every request opens a new one and asks the server to close it.
pub struct HyperClient<N: AsyncNet> {
    endpoint: Arc<Endpoint>,
    /// The request's URI and Host header, parsed once rather than per request.
    head: Result<(http::Uri, HeaderValue), ErrorKind>,
    keep_alive: bool,
    timeout: Duration,
    sender: Option<SendRequest<Empty<Bytes>>>,
    net: PhantomData<N>,
}

impl<N: AsyncNet> HyperClient<N> {
    pub fn new(endpoint: Arc<Endpoint>, plan: &HttpPlan) -> HyperClient<N> {
        let target = &endpoint.target;
        let head = match (
            http::Uri::try_from(target.path.as_str()),
            HeaderValue::from_str(&target.authority),
        ) {
            (Ok(uri), Ok(host)) => Ok((uri, host)),
            _ => Err(ErrorKind::Protocol),
        };
        HyperClient {
            head,
            endpoint,
            keep_alive: plan.keep_alive,
            timeout: plan.request_timeout(),
            sender: None,
            net: PhantomData,
        }
    }

    /// One GET (connecting first if needed), body read to the end, within the timeout.
    pub async fn get(&mut self) -> Result<Served, ErrorKind> {
        let timeout = self.timeout;
        let expired = async move {
            N::sleep(timeout).await;
            Err(ErrorKind::Timeout)
        };
        let result = futures_lite::future::or(self.get_inner(), expired).await;
        if result.is_err() || !self.keep_alive {
            self.sender = None;
        }
        result
    }

    async fn get_inner(&mut self) -> Result<Served, ErrorKind> {
        let endpoint = &self.endpoint;
        let sender = match self.sender.take() {
            Some(s) if !s.is_closed() => self.sender.insert(s),
            _ => {
                let addr = endpoint.target.addr;
                let sender = match &endpoint.tls {
                    None => handshake::<N, _>(N::connect(addr).await).await?,
                    Some(tls) => handshake::<N, _>(N::connect_tls(addr, tls).await).await?,
                };
                self.sender.insert(sender)
            }
        };
        sender.ready().await.map_err(|e| classify(&e))?;
        let (uri, host) = self.head.clone()?;
        let mut request = http::Request::get(uri)
            .header(HOST, host)
            .header(USER_AGENT_HEADER, HeaderValue::from_static(USER_AGENT));
        if !self.keep_alive {
            request = request.header(CONNECTION, "close");
        }
        let request = request
            .body(Empty::new())
            .map_err(|_| ErrorKind::Protocol)?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| classify(&e))?;
        let status = response.status().as_u16();
        const SERVED: HeaderName = HeaderName::from_static(crate::SERVED_HEADER);
        const ASKED: HeaderName = HeaderName::from_static(crate::ASKED_HEADER);
        let header = |name: &HeaderName| response.headers().get(name).map(HeaderValue::as_bytes);
        let served = Served::from_headers(header(&SERVED), header(&ASKED));
        response
            .into_body()
            .collect()
            .await
            .map_err(|e| classify(&e))?;
        match ErrorKind::from_status(status) {
            Some(kind) => Err(kind),
            None => Ok(served),
        }
    }
}

/// Starts hyper's HTTP/1 connection over a freshly connected stream, driven by a task on
/// the runtime's spawner.
async fn handshake<N: AsyncNet, S>(
    stream: io::Result<S>,
) -> Result<SendRequest<Empty<Bytes>>, ErrorKind>
where
    S: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let stream = stream.map_err(|e| classify_io(&e))?;
    let (sender, connection) = http1::handshake(stream).await.map_err(|e| classify(&e))?;
    N::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

/// Maps a hyper error onto the kinds the blocking client uses too.
pub fn classify(e: &hyper::Error) -> ErrorKind {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            return classify_io(io);
        }
        source = s.source();
    }
    if e.is_parse() || e.is_parse_status() || e.is_parse_too_large() {
        ErrorKind::Protocol
    } else if e.is_timeout() {
        ErrorKind::Timeout
    } else if e.is_incomplete_message() || e.is_closed() || e.is_canceled() {
        ErrorKind::Reset
    } else {
        ErrorKind::Io
    }
}
