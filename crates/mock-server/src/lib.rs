//! tvc-mock-server: the server every experiment measures against, unless a real target is
//! given. hyper on tokio, loopback by default. `GET /?delay_ms=D&jitter_ms=J&bytes=B` answers
//! after D ms (plus up to J ms of uniform jitter) with a body of B bytes, and says in the
//! `x-tvc-served-delay-us` header how long it actually held the request, so the harness can
//! check the server's own accuracy. `GET /__tvc/stats` returns its counters as JSON.
//! Faults for tests: `error_pct`, `reset_pct` and `hang_pct` make that percentage of requests
//! answer 500, end mid-response, or never answer; `slow_body_ms=S` trickles the body out in
//! [`SLOW_CHUNKS`] pieces over S ms; `stall_ms=S` stops the whole server answering for S ms
//! at every `stall_every`-th request that asks for it (default 1000), as a GC pause or a
//! stopped process would: what is in flight and what arrives meanwhile waits.
//!
//! It runs on its own runtime, started and stopped as a unit ([`Server`]): stopping drops
//! every connection at once, which is how tests simulate a server that dies mid-run.
//!
//! [`Server::start_tls`] serves the same over https (rustls on *ring*), with a self-signed
//! certificate for `localhost`, `127.0.0.1` and `::1` made at start; [`Server::cert_pem`]
//! hands it out so a client can trust it (`tvc run --ca-file`).

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_rustls::TlsAcceptor;

/// The header carrying the delay the server actually served, in microseconds.
pub const SERVED_DELAY_HEADER: &str = "x-tvc-served-delay-us";
/// The header carrying the delay the request asked for (jitter included), in microseconds.
pub const ASKED_DELAY_HEADER: &str = "x-tvc-asked-delay-us";
/// The path answering the server's counters.
pub const STATS_PATH: &str = "/__tvc/stats";
/// The largest delay a request may ask for (10 minutes), so a typo cannot hang a run.
pub const MAX_DELAY_MS: u64 = 600_000;
/// The largest body a request may ask for (64 MiB).
pub const MAX_BODY_BYTES: u64 = 64 << 20;
/// The listen backlog asked for; the kernel caps it at `net.core.somaxconn`.
const BACKLOG: i32 = 65_535;

/// Counters since the server started.
#[derive(Debug)]
struct Counters {
    connections: AtomicU64,
    open: AtomicI64,
    peak_open: AtomicI64,
    requests: AtomicU64,
    /// Requests that asked for a stall, to pick every `stall_every`-th.
    stall_asks: AtomicU64,
    /// When the counters were made: the epoch of `stalled_until_us`.
    epoch: Instant,
    /// Until when the server answers nothing, in microseconds after `epoch` (read on every
    /// request, so an atomic rather than a lock).
    stalled_until_us: AtomicU64,
}

impl Default for Counters {
    fn default() -> Counters {
        Counters {
            connections: AtomicU64::new(0),
            open: AtomicI64::new(0),
            peak_open: AtomicI64::new(0),
            requests: AtomicU64::new(0),
            stall_asks: AtomicU64::new(0),
            epoch: Instant::now(),
            stalled_until_us: AtomicU64::new(0),
        }
    }
}

impl Counters {
    /// Starts a stall of `ask.stall_ms` if this request is the `stall_every`-th asking.
    fn maybe_stall(&self, ask: &Ask, now: Instant) {
        if ask.stall_ms == 0 {
            return;
        }
        let k = self.stall_asks.fetch_add(1, Ordering::Relaxed) + 1;
        if k.is_multiple_of(ask.stall_every.max(1)) {
            let until = now + Duration::from_millis(ask.stall_ms);
            let us = until.saturating_duration_since(self.epoch).as_micros();
            self.stalled_until_us
                .fetch_max(u64::try_from(us).unwrap_or(u64::MAX), Ordering::Relaxed);
        }
    }

    /// Waits until no stall is running.
    async fn stall_over(&self) {
        let us = self.stalled_until_us.load(Ordering::Relaxed);
        if us == 0 {
            return;
        }
        let until = self.epoch + Duration::from_micros(us);
        if until > Instant::now() {
            tokio::time::sleep_until(until.into()).await;
        }
    }
}

/// A snapshot of the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Connections accepted since start.
    pub connections: u64,
    /// Connections open now.
    pub open: i64,
    /// The most connections open at once.
    pub peak_open: i64,
    /// Requests answered (the stats path excluded).
    pub requests: u64,
}

impl Counters {
    fn snapshot(&self) -> Stats {
        Stats {
            connections: self.connections.load(Ordering::Relaxed),
            open: self.open.load(Ordering::Relaxed),
            peak_open: self.peak_open.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
        }
    }
}

/// A running server on its own runtime.
pub struct Server {
    addr: SocketAddr,
    counters: Arc<Counters>,
    runtime: Option<tokio::runtime::Runtime>,
    /// The self-signed certificate (PEM) when serving https.
    cert_pem: Option<String>,
}

impl Server {
    /// Binds `addr` (port 0 picks a free one) and starts serving on background threads.
    pub fn start(addr: SocketAddr) -> io::Result<Server> {
        Server::launch(addr, None)
    }

    /// Like [`start`](Self::start), but https only, with a certificate made now for
    /// `localhost`, `127.0.0.1` and `::1` (self-signed: its own CA).
    pub fn start_tls(addr: SocketAddr) -> io::Result<Server> {
        let (acceptor, pem) = self_signed_acceptor()?;
        let mut server = Server::launch(addr, Some(acceptor))?;
        server.cert_pem = Some(pem);
        Ok(server)
    }

    fn launch(addr: SocketAddr, tls: Option<TlsAcceptor>) -> io::Result<Server> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("tvc-serve")
            .build()?;
        let listener = bind(addr)?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        runtime.spawn(accept_loop(listener, counters.clone(), tls));
        Ok(Server {
            addr,
            counters,
            runtime: Some(runtime),
            cert_pem: None,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR` (`https://ADDR` with TLS) with no trailing slash.
    pub fn url(&self) -> String {
        let scheme = if self.cert_pem.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// The certificate a client must trust to talk to an https server (PEM); `None` for http.
    pub fn cert_pem(&self) -> Option<&str> {
        self.cert_pem.as_deref()
    }

    pub fn stats(&self) -> Stats {
        self.counters.snapshot()
    }

    /// Stops at once: the listener and every open connection are closed.
    pub fn stop(mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

fn bind(addr: SocketAddr) -> io::Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

/// A TLS acceptor with a fresh self-signed certificate, and that certificate as PEM.
fn self_signed_acceptor() -> io::Result<(TlsAcceptor, String)> {
    let names = ["localhost", "127.0.0.1", "::1"].map(String::from).to_vec();
    let certified = rcgen::generate_simple_self_signed(names).map_err(io::Error::other)?;
    let pem = certified.cert.pem();
    let chain = vec![certified.cert.der().clone()];
    let key = rustls::pki_types::PrivateKeyDer::from(certified.signing_key);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(io::Error::other)?;
    Ok((TlsAcceptor::from(Arc::new(config)), pem))
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    counters: Arc<Counters>,
    tls: Option<TlsAcceptor>,
) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors or a connection aborted before accept: keep serving
            // the others rather than die.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
        };
        counters.connections.fetch_add(1, Ordering::Relaxed);
        let open = counters.open.fetch_add(1, Ordering::Relaxed) + 1;
        counters.peak_open.fetch_max(open, Ordering::Relaxed);
        let counters = counters.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => serve(TokioIo::new(stream), &counters).await,
                // A client that does not trust the certificate ends the handshake; its
                // connection is counted and closed, and nothing is served.
                Some(tls) => {
                    if let Ok(stream) = tls.accept(stream).await {
                        serve(TokioIo::new(stream), &counters).await;
                    }
                }
            }
            counters.open.fetch_sub(1, Ordering::Relaxed);
        });
    }
}

/// Serves HTTP/1 on one connection (plain or TLS) until it closes.
async fn serve<I>(io: I, counters: &Arc<Counters>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = {
        let counters = counters.clone();
        service_fn(move |req| handle(req, counters.clone()))
    };
    let _ = http1::Builder::new().serve_connection(io, service).await;
}

/// What a request asked for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ask {
    pub delay_ms: u64,
    pub jitter_ms: u64,
    pub bytes: u64,
    /// Faults, each a percentage of requests: answer 500, cut the response off mid-body
    /// (the connection is closed with the body incomplete), or never answer.
    pub error_pct: u64,
    pub reset_pct: u64,
    pub hang_pct: u64,
    /// Send the body in [`SLOW_CHUNKS`] pieces spread over this many milliseconds.
    pub slow_body_ms: u64,
    /// Stop answering anything for this long, at every `stall_every`-th request asking.
    pub stall_ms: u64,
    pub stall_every: u64,
}

/// How many pieces a slow body comes in.
pub const SLOW_CHUNKS: u64 = 10;

impl Ask {
    /// Parses the query string; unknown keys are ignored, bad values are an error message.
    pub fn parse(query: Option<&str>) -> Result<Ask, String> {
        let mut ask = Ask {
            stall_every: 1000,
            ..Ask::default()
        };
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let slot = match key {
                "delay_ms" => &mut ask.delay_ms,
                "jitter_ms" => &mut ask.jitter_ms,
                "bytes" => &mut ask.bytes,
                "error_pct" => &mut ask.error_pct,
                "reset_pct" => &mut ask.reset_pct,
                "hang_pct" => &mut ask.hang_pct,
                "slow_body_ms" => &mut ask.slow_body_ms,
                "stall_ms" => &mut ask.stall_ms,
                "stall_every" => &mut ask.stall_every,
                _ => continue,
            };
            *slot = value
                .parse()
                .map_err(|_| format!("{key}={value:?} is not a non-negative integer"))?;
        }
        if ask.delay_ms.saturating_add(ask.jitter_ms) > MAX_DELAY_MS {
            return Err(format!("delay_ms + jitter_ms exceeds {MAX_DELAY_MS}"));
        }
        if ask.slow_body_ms.max(ask.stall_ms) > MAX_DELAY_MS {
            return Err(format!("slow_body_ms or stall_ms exceeds {MAX_DELAY_MS}"));
        }
        if ask.stall_every == 0 {
            return Err("stall_every must be at least 1".into());
        }
        if ask.bytes > MAX_BODY_BYTES {
            return Err(format!("bytes exceeds {MAX_BODY_BYTES}"));
        }
        if ask.error_pct.max(ask.reset_pct).max(ask.hang_pct) > 100 {
            return Err("a *_pct value exceeds 100".into());
        }
        Ok(ask)
    }

    fn delay(&self) -> Duration {
        let jitter = if self.jitter_ms > 0 {
            fastrand::u64(0..=self.jitter_ms * 1000)
        } else {
            0
        };
        Duration::from_millis(self.delay_ms) + Duration::from_micros(jitter)
    }
}

/// The response body: whole, cut short (it promises more bytes than it sends, so the server
/// closes the connection mid-response, as a crashed backend would), or trickled out slowly.
type Body = http_body_util::Either<Full<Bytes>, http_body_util::Either<Truncated, Slow>>;

async fn handle(
    req: Request<Incoming>,
    counters: Arc<Counters>,
) -> Result<Response<Body>, Infallible> {
    let received = Instant::now();
    if req.uri().path() == STATS_PATH {
        let s = counters.snapshot();
        let json = format!(
            r#"{{"connections":{},"open":{},"peak_open":{},"requests":{}}}"#,
            s.connections, s.open, s.peak_open, s.requests
        );
        return Ok(respond(StatusCode::OK, Bytes::from(json), received));
    }
    counters.requests.fetch_add(1, Ordering::Relaxed);
    let ask = match Ask::parse(req.uri().query()) {
        Ok(ask) => ask,
        Err(why) => return Ok(respond(StatusCode::BAD_REQUEST, Bytes::from(why), received)),
    };
    counters.maybe_stall(&ask, received);
    let delay = ask.delay();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    counters.stall_over().await;
    let roll = |pct: u64| pct > 0 && fastrand::u64(0..100) < pct;
    if roll(ask.hang_pct) {
        // Never answer; the connection stays open until the client gives up.
        std::future::pending::<()>().await;
    }
    if roll(ask.error_pct) {
        return Ok(respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            Bytes::from_static(b"injected error"),
            received,
        ));
    }
    if roll(ask.reset_pct) {
        let mut response = respond(StatusCode::OK, Bytes::new(), received);
        *response.body_mut() =
            http_body_util::Either::Right(http_body_util::Either::Left(Truncated {
                sent: false,
                promised: ask.bytes.max(1024),
            }));
        return Ok(response);
    }
    let mut response = respond(StatusCode::OK, body(ask.bytes), received);
    if ask.slow_body_ms > 0 {
        *response.body_mut() =
            http_body_util::Either::Right(http_body_util::Either::Right(Slow::new(&ask)));
    }
    response
        .headers_mut()
        .insert(ASKED, HeaderValue::from(micros(delay)));
    Ok(response)
}

/// A body that announces `promised` bytes, sends a few, then ends: hyper sees the length
/// mismatch and closes the connection, so the client gets an incomplete response.
pub struct Truncated {
    sent: bool,
    promised: u64,
}

impl hyper::body::Body for Truncated {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
        if self.sent {
            return std::task::Poll::Ready(None);
        }
        self.sent = true;
        std::task::Poll::Ready(Some(Ok(hyper::body::Frame::data(Bytes::from_static(
            b"partial",
        )))))
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(self.promised)
    }
}

/// A body of `bytes` (at least [`SLOW_CHUNKS`]) sent in [`SLOW_CHUNKS`] pieces, one every
/// `slow_body_ms / SLOW_CHUNKS`, the first after one interval: a slow or congested backend.
pub struct Slow {
    chunk: Bytes,
    left: u64,
    interval: Duration,
    sleep: std::pin::Pin<Box<tokio::time::Sleep>>,
}

impl Slow {
    fn new(ask: &Ask) -> Slow {
        let interval = Duration::from_millis(ask.slow_body_ms) / SLOW_CHUNKS as u32;
        Slow {
            chunk: body(ask.bytes.max(SLOW_CHUNKS) / SLOW_CHUNKS),
            left: SLOW_CHUNKS,
            interval,
            sleep: Box::pin(tokio::time::sleep(interval)),
        }
    }
}

impl hyper::body::Body for Slow {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
        if self.left == 0 {
            return std::task::Poll::Ready(None);
        }
        std::task::ready!(std::future::Future::poll(self.sleep.as_mut(), cx));
        self.left -= 1;
        let next = tokio::time::Instant::now() + self.interval;
        self.sleep.as_mut().reset(next);
        let chunk = self.chunk.clone();
        std::task::Poll::Ready(Some(Ok(hyper::body::Frame::data(chunk))))
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(self.left * self.chunk.len() as u64)
    }
}

fn respond(status: StatusCode, body: Bytes, received: Instant) -> Response<Body> {
    let mut response = Response::new(http_body_util::Either::Left(Full::new(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(SERVED, HeaderValue::from(micros(received.elapsed())));
    response
}

/// The timing headers' names, made once.
const SERVED: HeaderName = HeaderName::from_static(SERVED_DELAY_HEADER);
const ASKED: HeaderName = HeaderName::from_static(ASKED_DELAY_HEADER);

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// Bodies up to 64 KiB share one static buffer; larger ones are allocated.
fn body(bytes: u64) -> Bytes {
    static SMALL: [u8; 65_536] = [b'x'; 65_536];
    let n = bytes as usize;
    if n <= SMALL.len() {
        Bytes::from_static(&SMALL[..n])
    } else {
        Bytes::from(vec![b'x'; n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_queries() {
        assert_eq!(Ask::parse(None).unwrap().delay_ms, 0);
        let a = Ask::parse(Some("delay_ms=83&jitter_ms=2&bytes=10&other=x")).unwrap();
        assert_eq!(
            (a.delay_ms, a.jitter_ms, a.bytes, a.error_pct, a.stall_ms),
            (83, 2, 10, 0, 0)
        );
        let f = Ask::parse(Some("error_pct=10&reset_pct=20&hang_pct=30")).unwrap();
        assert_eq!((f.error_pct, f.reset_pct, f.hang_pct), (10, 20, 30));
        assert!(Ask::parse(Some("error_pct=101")).is_err());
        let f = Ask::parse(Some("slow_body_ms=100&stall_ms=50")).unwrap();
        assert_eq!((f.slow_body_ms, f.stall_ms, f.stall_every), (100, 50, 1000));
        assert!(Ask::parse(Some("stall_ms=5&stall_every=0")).is_err());
        assert!(Ask::parse(Some("stall_ms=600001")).is_err());
    }

    #[test]
    fn rejects_bad_and_huge_values() {
        assert!(Ask::parse(Some("delay_ms=-1")).is_err());
        assert!(Ask::parse(Some("delay_ms=99999999999999999999999")).is_err());
        assert!(Ask::parse(Some("delay_ms=600001")).is_err());
        assert!(Ask::parse(Some("bytes=999999999999")).is_err());
    }

    #[test]
    fn tls_servers_say_https_and_hand_out_their_certificate() {
        let plain = Server::start("127.0.0.1:0".parse().unwrap()).unwrap();
        assert!(plain.url().starts_with("http://127.0.0.1:"));
        assert!(plain.cert_pem().is_none());
        let tls = Server::start_tls("127.0.0.1:0".parse().unwrap()).unwrap();
        assert_eq!(tls.url(), format!("https://{}", tls.addr()));
        let pem = tls.cert_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    }

    #[test]
    fn jitter_stays_in_range() {
        let a = Ask {
            delay_ms: 10,
            jitter_ms: 5,
            ..Ask::default()
        };
        for _ in 0..100 {
            let d = a.delay();
            assert!(d >= Duration::from_millis(10) && d <= Duration::from_millis(15));
        }
    }
}
