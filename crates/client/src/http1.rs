//! The client for stackful coroutines: a small HTTP/1.1 client over any blocking byte
//! stream. ureq is tied to `std::net`, whose blocking calls would block a whole scheduler
//! thread under a coroutine; hyper needs an async runtime. A stackful coroutine library
//! (may) offers a TCP stream whose blocking calls suspend only the coroutine, so this client
//! is written against [`Read`] + [`Write`] and a [`Transport`] that connects and bounds a
//! call's wait; the head is parsed by `httparse`, the parser hyper itself uses.
//!
//! It behaves like the other two clients where it matters to the measurements: one
//! connection per unit, reused with keep-alive and closed after every request without
//! (`Connection: close`), the body read to its end, a per-request timeout covering connect,
//! handshake, request and the whole body, the built-in server's timing headers read through
//! [`Served::from_headers`], and failures classified into the same [`ErrorKind`]s. Like ureq
//! (and unlike hyper's bare connection), a request on a reused connection that the server
//! had already closed is sent once more on a new connection, so a stale keep-alive
//! connection is not counted as an error.
//!
//! https: rustls's blocking [`rustls::StreamOwned`] over the same stream, with the run's
//! shared config ([`crate::tls`]); the handshake runs when a connection is opened, inside
//! the request's timeout.

use crate::tls::{classify_io, Endpoint};
use crate::USER_AGENT;
use rustls::{ClientConnection, StreamOwned};
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tvc_core::{ErrorKind, HttpPlan, Served};

/// What a blocking stream library provides to the client.
pub trait Transport: 'static {
    type Stream: Read + Write + Send;
    /// Opens a TCP connection, giving up after `timeout`.
    fn connect(addr: SocketAddr, timeout: Duration) -> io::Result<Self::Stream>;
    /// Bounds the next reads on `stream` (a read that waits longer fails with `TimedOut`
    /// or `WouldBlock`).
    fn set_read_timeout(stream: &Self::Stream, timeout: Duration) -> io::Result<()>;
    /// Bounds the next writes on `stream`.
    fn set_write_timeout(stream: &Self::Stream, timeout: Duration) -> io::Result<()>;
}

/// The most a response head may take; a larger one is a protocol error, not a reason to
/// grow without bound.
const MAX_HEAD: usize = 64 * 1024;
/// The most headers a response may carry.
const MAX_HEADERS: usize = 64;
/// Reads go into a buffer of this size, on the heap: a coroutine's stack is small.
const READ_BUFFER: usize = 8 * 1024;
/// The longest chunk-size line (with extensions) or trailer line accepted.
const MAX_LINE: usize = 4 * 1024;

/// One unit's connection. With keep-alive it is reused until the server closes it;
/// without, every request opens a new one and asks the server to close it.
pub struct Http1Client<T: Transport> {
    endpoint: Arc<Endpoint>,
    /// The request, the same bytes every time, built once.
    request: Vec<u8>,
    keep_alive: bool,
    timeout: Duration,
    conn: Option<Conn<T>>,
    /// Bytes read but not consumed yet, kept with the client so connections share it.
    buf: Buffer,
}

impl<T: Transport> Http1Client<T> {
    pub fn new(endpoint: Arc<Endpoint>, plan: &HttpPlan) -> Http1Client<T> {
        let target = &endpoint.target;
        let mut request = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {USER_AGENT}\r\n",
            target.path, target.authority
        );
        if !plan.keep_alive {
            request.push_str("Connection: close\r\n");
        }
        request.push_str("\r\n");
        Http1Client {
            endpoint,
            request: request.into_bytes(),
            keep_alive: plan.keep_alive,
            timeout: plan.request_timeout(),
            conn: None,
            buf: Buffer::new(),
        }
    }

    /// One GET (connecting first if needed), body read to the end, within the timeout.
    pub fn get(&mut self) -> Result<Served, ErrorKind> {
        let deadline = Instant::now() + self.timeout;
        let reused = self.conn.is_some();
        let result = match self.exchange(deadline) {
            // The server closed an idle connection before the request reached it: nothing
            // was answered, so a GET is sent again, once, on a new connection.
            Err(Failure { stale: true, .. }) if reused => {
                self.conn = None;
                self.exchange(deadline)
            }
            other => other,
        };
        match result {
            Ok((served, reusable)) => {
                if !(reusable && self.keep_alive) {
                    self.conn = None;
                }
                served
            }
            Err(failure) => {
                self.conn = None;
                Err(failure.kind)
            }
        }
    }

    /// Sends the request and reads the whole response: the status's verdict, and whether
    /// the connection may carry another request.
    fn exchange(
        &mut self,
        deadline: Instant,
    ) -> Result<(Result<Served, ErrorKind>, bool), Failure> {
        let conn = match &mut self.conn {
            Some(conn) => conn,
            None => {
                let conn = Conn::<T>::open(&self.endpoint, deadline).map_err(Failure::of)?;
                self.buf.clear();
                self.conn.insert(conn)
            }
        };
        conn.set_deadline(deadline);
        conn.write_all(&self.request)
            .and_then(|()| conn.flush())
            .map_err(Failure::stale_if_closed)?;
        let buf = &mut self.buf;
        buf.received = false;
        let head = loop {
            let head = read_head(conn, buf)?;
            // Interim answers (100 Continue, 103 Early Hints) precede the real one.
            if !(100..200).contains(&head.status) || head.status == 101 {
                break head;
            }
        };
        let framed = match head.body {
            Body::None => true,
            Body::Length(n) => {
                buf.skip(conn, n).map_err(Failure::of)?;
                true
            }
            Body::Chunked => {
                read_chunked(conn, buf).map_err(Failure::of)?;
                true
            }
            Body::UntilClose => {
                buf.skip_to_end(conn).map_err(Failure::of)?;
                false
            }
        };
        // Bytes past the response were never asked for: the connection is out of step.
        let reusable = framed && head.keep_alive && buf.is_empty();
        let verdict = match ErrorKind::from_status(head.status) {
            Some(kind) => Err(kind),
            None => Ok(head.served),
        };
        Ok((verdict, reusable))
    }
}

/// A failed exchange: its kind, and whether it failed before any byte of an answer came
/// back on a connection the server had closed (so that sending again is safe).
#[derive(Debug)]
struct Failure {
    kind: ErrorKind,
    stale: bool,
}

impl Failure {
    fn of(e: io::Error) -> Failure {
        Failure {
            kind: classify_io(&e),
            stale: false,
        }
    }

    fn stale_if_closed(e: io::Error) -> Failure {
        use io::ErrorKind as K;
        let stale = matches!(
            e.kind(),
            K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe
        ) && !crate::tls::is_tls_error(&e);
        Failure {
            kind: classify_io(&e),
            stale,
        }
    }

    fn protocol() -> Failure {
        Failure {
            kind: ErrorKind::Protocol,
            stale: false,
        }
    }
}

/// How the body of a response ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    None,
    Length(u64),
    Chunked,
    UntilClose,
}

/// What the client keeps of a response head.
#[derive(Debug)]
struct Head {
    status: u16,
    served: Served,
    body: Body,
    keep_alive: bool,
}

/// Reads and parses one response head, consuming it from the buffer.
fn read_head(stream: &mut impl Read, buf: &mut Buffer) -> Result<Head, Failure> {
    loop {
        if !buf.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut response = httparse::Response::new(&mut headers);
            match response.parse(buf.data()) {
                Ok(httparse::Status::Complete(len)) => {
                    let head = Head::of(&response)?;
                    buf.consume(len);
                    return Ok(head);
                }
                Ok(httparse::Status::Partial) => {}
                Err(_) => return Err(Failure::protocol()),
            }
            if buf.len() >= MAX_HEAD {
                return Err(Failure::protocol());
            }
        }
        // A connection closed before any byte of the answer is a stale keep-alive one.
        let none_yet = !buf.received;
        match buf.fill(stream) {
            Ok(_) => {}
            Err(e) if none_yet => return Err(Failure::stale_if_closed(e)),
            Err(e) => return Err(Failure::of(e)),
        }
    }
}

impl Head {
    fn of(response: &httparse::Response<'_, '_>) -> Result<Head, Failure> {
        let status = response.code.ok_or_else(Failure::protocol)?;
        let http11 = response.version == Some(1);
        let (mut served, mut asked) = (None, None);
        let mut length: Option<u64> = None;
        // Some(true): chunked is the last coding; Some(false): another coding, which only
        // the close can end. A transfer coding overrides any Content-Length.
        let mut coding: Option<bool> = None;
        let mut close = false;
        let mut keep_alive_token = false;
        for h in response.headers.iter() {
            let name = h.name;
            if name.eq_ignore_ascii_case(crate::SERVED_HEADER) {
                served = Some(h.value);
            } else if name.eq_ignore_ascii_case(crate::ASKED_HEADER) {
                asked = Some(h.value);
            } else if name.eq_ignore_ascii_case("content-length") {
                let n = std::str::from_utf8(h.value)
                    .ok()
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .ok_or_else(Failure::protocol)?;
                // Two different lengths: no way to tell where the body ends.
                if length.is_some_and(|l| l != n) {
                    return Err(Failure::protocol());
                }
                length = Some(n);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                coding =
                    Some(last_token(h.value).is_some_and(|t| t.eq_ignore_ascii_case(b"chunked")));
            } else if name.eq_ignore_ascii_case("connection") {
                for token in tokens(h.value) {
                    close |= token.eq_ignore_ascii_case(b"close");
                    keep_alive_token |= token.eq_ignore_ascii_case(b"keep-alive");
                }
            }
        }
        let body = if (100..200).contains(&status) || status == 204 || status == 304 {
            Body::None
        } else {
            match (coding, length) {
                (Some(true), _) => Body::Chunked,
                (Some(false), _) | (None, None) => Body::UntilClose,
                (None, Some(n)) => Body::Length(n),
            }
        };
        Ok(Head {
            status,
            served: Served::from_headers(served, asked),
            body,
            keep_alive: !close && (http11 || keep_alive_token),
        })
    }
}

/// The comma-separated tokens of a header value, trimmed.
fn tokens(value: &[u8]) -> impl DoubleEndedIterator<Item = &[u8]> {
    value.split(|b| *b == b',').map(<[u8]>::trim_ascii)
}

fn last_token(value: &[u8]) -> Option<&[u8]> {
    tokens(value).rfind(|t| !t.is_empty())
}

/// Reads a chunked body to its end, trailers included.
fn read_chunked(stream: &mut impl Read, buf: &mut Buffer) -> io::Result<()> {
    let bad = |why: &str| io::Error::new(io::ErrorKind::InvalidData, why.to_string());
    loop {
        let line = buf.line(stream)?;
        let size = line.split(|b| *b == b';').next().unwrap_or_default();
        let size = std::str::from_utf8(size.trim_ascii())
            .ok()
            .filter(|s| !s.is_empty())
            .and_then(|s| u64::from_str_radix(s, 16).ok())
            .ok_or_else(|| bad("bad chunk size"))?;
        if size == 0 {
            // Trailers, up to the empty line.
            while !buf.line(stream)?.is_empty() {}
            return Ok(());
        }
        buf.skip(stream, size)?;
        if !buf.line(stream)?.is_empty() {
            return Err(bad("chunk not followed by CRLF"));
        }
    }
}

/// Buffered reading with a window over bytes read but not consumed.
struct Buffer {
    bytes: Box<[u8]>,
    start: usize,
    end: usize,
    /// Whether any byte arrived since the request was sent.
    received: bool,
}

impl Buffer {
    fn new() -> Buffer {
        Buffer {
            bytes: vec![0; READ_BUFFER].into_boxed_slice(),
            start: 0,
            end: 0,
            received: false,
        }
    }

    fn clear(&mut self) {
        self.start = 0;
        self.end = 0;
    }

    fn data(&self) -> &[u8] {
        &self.bytes[self.start..self.end]
    }

    fn len(&self) -> usize {
        self.end - self.start
    }

    fn is_empty(&self) -> bool {
        self.start == self.end
    }

    fn consume(&mut self, n: usize) {
        self.start += n.min(self.len());
        if self.start == self.end {
            self.clear();
        }
    }

    /// Reads more bytes after those held, making room first (and growing, up to a head's
    /// limit, when what is held fills the buffer). End of stream is `UnexpectedEof`.
    fn fill(&mut self, stream: &mut impl Read) -> io::Result<usize> {
        if self.end == self.bytes.len() {
            if self.start > 0 {
                self.bytes.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            } else {
                let grown = (self.bytes.len() * 2).min(MAX_HEAD.max(READ_BUFFER));
                if grown <= self.bytes.len() {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "response line or head too long",
                    ));
                }
                let mut bytes = vec![0; grown].into_boxed_slice();
                bytes[..self.end].copy_from_slice(&self.bytes[..self.end]);
                self.bytes = bytes;
            }
        }
        let n = loop {
            match stream.read(&mut self.bytes[self.end..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.received = true;
        self.end += n;
        Ok(n)
    }

    /// Consumes `n` bytes, reading as many as needed.
    fn skip(&mut self, stream: &mut impl Read, mut n: u64) -> io::Result<()> {
        loop {
            let held = (self.len() as u64).min(n);
            self.consume(held as usize);
            n -= held;
            if n == 0 {
                return Ok(());
            }
            self.fill(stream)?;
        }
    }

    /// Consumes everything until the server closes the connection.
    fn skip_to_end(&mut self, stream: &mut impl Read) -> io::Result<()> {
        loop {
            self.clear();
            match self.fill(stream) {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }

    /// Consumes one CRLF-terminated line and returns it without the line end.
    fn line(&mut self, stream: &mut impl Read) -> io::Result<&[u8]> {
        loop {
            if let Some(i) = self.data().iter().position(|b| *b == b'\n') {
                let start = self.start;
                let len = if i > 0 && self.bytes[start + i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                // Consuming moves indices only, so the line's bytes stay where they are.
                self.consume(i + 1);
                return Ok(&self.bytes[start..start + len]);
            }
            if self.len() >= MAX_LINE {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
            }
            self.fill(stream)?;
        }
    }
}

/// A stream whose every read and write must end by the request's deadline.
struct Timed<T: Transport> {
    stream: T::Stream,
    deadline: Instant,
}

impl<T: Transport> Timed<T> {
    fn left(&self) -> io::Result<Duration> {
        self.deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "request timed out"))
    }
}

impl<T: Transport> Read for Timed<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        T::set_read_timeout(&self.stream, self.left()?)?;
        self.stream.read(buf)
    }
}

impl<T: Transport> Write for Timed<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        T::set_write_timeout(&self.stream, self.left()?)?;
        self.stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

/// One open connection, plain or under TLS.
enum Conn<T: Transport> {
    Plain(Timed<T>),
    Tls(Box<StreamOwned<ClientConnection, Timed<T>>>),
}

impl<T: Transport> Conn<T> {
    /// Connects (and for https runs the handshake) before `deadline`.
    fn open(endpoint: &Endpoint, deadline: Instant) -> io::Result<Conn<T>> {
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "request timed out"))?;
        let stream = T::connect(endpoint.target.addr, left)?;
        let timed = Timed { stream, deadline };
        let Some(tls) = &endpoint.tls else {
            return Ok(Conn::Plain(timed));
        };
        let connection = ClientConnection::new(tls.config().clone(), tls.server_name().clone())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let mut stream = StreamOwned::new(connection, timed);
        while stream.conn.is_handshaking() {
            stream.conn.complete_io(&mut stream.sock)?;
        }
        Ok(Conn::Tls(Box::new(stream)))
    }

    fn set_deadline(&mut self, deadline: Instant) {
        match self {
            Conn::Plain(s) => s.deadline = deadline,
            Conn::Tls(s) => s.sock.deadline = deadline,
        }
    }
}

impl<T: Transport> Read for Conn<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(s) => s.read(buf),
        }
    }
}

impl<T: Transport> Write for Conn<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

#[cfg(test)]
mod tests;
