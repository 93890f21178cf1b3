//! The HTTP/1.1 client against a scripted server on std threads: every way a response can
//! be framed, broken or late, checked byte for byte without a coroutine library.

use super::*;
use std::net::{TcpListener, TcpStream};
use std::sync::Mutex;
use std::thread::JoinHandle;

// std's blocking TCP stream as a transport, so the client is tested on plain threads.
use crate::blocking::StdNet;

/// What the server does after reading one request on a connection.
enum Step {
    /// Writes these pieces, each after its pause.
    Answer(Vec<(u64, &'static [u8])>),
    /// Says nothing for this many milliseconds.
    Silence(u64),
}

fn answer(bytes: &'static [u8]) -> Step {
    Step::Answer(vec![(0, bytes)])
}

/// A server that plays one script per accepted connection, in order, then closes it.
struct Scripted {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    handle: Option<JoinHandle<usize>>,
}

impl Scripted {
    fn start(scripts: Vec<Vec<Step>>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let handle = std::thread::spawn(move || {
            let mut accepted = 0;
            for script in scripts {
                let Ok((mut stream, _)) = listener.accept() else {
                    break;
                };
                accepted += 1;
                for step in script {
                    let Some(request) = read_request(&mut stream) else {
                        break;
                    };
                    seen.lock().unwrap().push(request);
                    match step {
                        Step::Answer(pieces) => {
                            for (pause, bytes) in pieces {
                                std::thread::sleep(Duration::from_millis(pause));
                                if stream.write_all(bytes).is_err() {
                                    break;
                                }
                            }
                        }
                        Step::Silence(ms) => std::thread::sleep(Duration::from_millis(ms)),
                    }
                }
            }
            accepted
        });
        Scripted {
            addr,
            requests,
            handle: Some(handle),
        }
    }

    fn plan(&self, keep_alive: bool, timeout_ms: u64) -> HttpPlan {
        HttpPlan {
            url: format!("http://{}/path?q=1", self.addr),
            n: 1,
            concurrency: 1,
            keep_alive,
            request_timeout_ms: timeout_ms,
            rate: None,
            ca_file: None,
        }
    }

    fn client(&self, keep_alive: bool, timeout_ms: u64) -> Http1Client<StdNet> {
        let plan = self.plan(keep_alive, timeout_ms);
        Http1Client::new(Endpoint::of(&plan).unwrap(), &plan)
    }

    /// Connections the script accepted, once it has run out.
    fn connections(mut self) -> usize {
        self.handle.take().unwrap().join().unwrap()
    }
}

fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut got = Vec::new();
    let mut byte = [0u8; 1];
    while !got.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => got.push(byte[0]),
            _ => return None,
        }
    }
    String::from_utf8(got).ok()
}

const OK: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nx-tvc-served-delay-us: 1500\r\nX-TVC-ASKED-DELAY-US: 1000\r\n\r\nhello";

#[test]
fn keep_alive_reuses_one_connection_and_reads_the_timing_headers() {
    let s = Scripted::start(vec![vec![answer(OK), answer(OK), answer(OK)]]);
    let mut client = s.client(true, 2_000);
    for _ in 0..3 {
        let served = client.get().unwrap();
        assert_eq!(served.served, Some(Duration::from_micros(1500)));
        assert_eq!(served.asked, Some(Duration::from_millis(1)));
    }
    drop(client);
    let requests = s.requests.lock().unwrap().clone();
    assert!(
        requests[0].starts_with("GET /path?q=1 HTTP/1.1\r\n"),
        "{requests:?}"
    );
    assert!(requests[0].contains(&format!("Host: {}\r\n", s.addr)));
    assert!(requests[0].contains("User-Agent: tvc/"));
    assert!(!requests[0].contains("Connection"));
    assert_eq!(s.connections(), 1);
}

#[test]
fn without_keep_alive_every_request_asks_for_close_on_its_own_connection() {
    let s = Scripted::start(vec![vec![answer(OK)], vec![answer(OK)]]);
    let mut client = s.client(false, 2_000);
    assert!(client.get().is_ok());
    assert!(client.get().is_ok());
    drop(client);
    let requests = s.requests.lock().unwrap().clone();
    assert!(requests.iter().all(|r| r.contains("Connection: close\r\n")));
    assert_eq!(s.connections(), 2);
}

#[test]
fn chunked_bodies_are_read_to_the_end_across_reads() {
    let chunked = Step::Answer(vec![
        (
            0,
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n",
        ),
        (5, b"\r\n5;ext=1\r\nhel"),
        (5, b"lo\r\nA\r\n0123456789\r"),
        (5, b"\n0\r\nTrailer: x\r\n\r\n"),
    ]);
    let s = Scripted::start(vec![vec![chunked, answer(OK)]]);
    let mut client = s.client(true, 2_000);
    assert_eq!(client.get(), Ok(Served::default()));
    // The chunked body ended exactly, so the connection carries the next request.
    assert!(client.get().is_ok());
    drop(client);
    assert_eq!(s.connections(), 1);
}

#[test]
fn a_body_without_length_runs_to_the_close_and_the_connection_is_not_reused() {
    let s = Scripted::start(vec![
        vec![answer(b"HTTP/1.1 200 OK\r\n\r\nuntil the end")],
        vec![answer(OK)],
    ]);
    let mut client = s.client(true, 2_000);
    assert!(client.get().is_ok());
    assert!(client.get().is_ok());
    drop(client);
    assert_eq!(s.connections(), 2);
}

#[test]
fn connection_close_and_http_1_0_end_the_connection() {
    let s = Scripted::start(vec![
        vec![answer(
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
        )],
        vec![answer(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")],
        vec![answer(OK)],
    ]);
    let mut client = s.client(true, 2_000);
    for _ in 0..3 {
        assert!(client.get().is_ok());
    }
    drop(client);
    assert_eq!(s.connections(), 3);
}

#[test]
fn error_statuses_are_counted_after_the_body_and_keep_the_connection() {
    let s = Scripted::start(vec![vec![
        answer(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 3\r\n\r\nbad"),
        answer(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
        answer(b"HTTP/1.1 204 No Content\r\n\r\n"),
        answer(OK),
    ]]);
    let mut client = s.client(true, 2_000);
    assert_eq!(client.get(), Err(ErrorKind::Status5xx));
    assert_eq!(client.get(), Err(ErrorKind::Status4xx));
    assert!(client.get().is_ok());
    assert!(client.get().is_ok());
    drop(client);
    assert_eq!(s.connections(), 1);
}

#[test]
fn interim_answers_are_skipped() {
    let s = Scripted::start(vec![vec![Step::Answer(vec![
        (0, b"HTTP/1.1 100 Continue\r\n\r\n"),
        (0, OK),
    ])]]);
    assert!(s.client(true, 2_000).get().is_ok());
}

#[test]
fn a_body_cut_short_is_a_reset() {
    let s = Scripted::start(vec![vec![answer(
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial",
    )]]);
    assert_eq!(s.client(true, 2_000).get(), Err(ErrorKind::Reset));
}

#[test]
fn what_is_not_http_is_a_protocol_error() {
    let s = Scripted::start(vec![
        vec![answer(b"SSH-2.0-OpenSSH\r\n\r\n")],
        vec![answer(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        )],
        vec![answer(
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        )],
    ]);
    let mut client = s.client(true, 2_000);
    for _ in 0..3 {
        assert_eq!(client.get(), Err(ErrorKind::Protocol));
    }
}

#[test]
fn a_silent_server_times_out_at_the_request_timeout() {
    let s = Scripted::start(vec![vec![Step::Silence(1_000)]]);
    let start = Instant::now();
    assert_eq!(s.client(true, 200).get(), Err(ErrorKind::Timeout));
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(200) && took < Duration::from_millis(800),
        "{took:?}"
    );
}

#[test]
fn a_body_trickling_past_the_deadline_times_out_though_every_read_is_quick() {
    let pieces = (0..10).map(|_| (60, &b"xxxxxxxxxx"[..]));
    let trickle = std::iter::once((0, &b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"[..]))
        .chain(pieces)
        .collect();
    let s = Scripted::start(vec![vec![Step::Answer(trickle)]]);
    let start = Instant::now();
    assert_eq!(s.client(true, 250).get(), Err(ErrorKind::Timeout));
    assert!(start.elapsed() < Duration::from_millis(500));
}

#[test]
fn a_stale_keep_alive_connection_is_replaced_once_not_counted() {
    // The first connection answers once and closes; the request sent on it again goes out
    // on a new connection.
    let s = Scripted::start(vec![vec![answer(OK)], vec![answer(OK)]]);
    let mut client = s.client(true, 2_000);
    assert!(client.get().is_ok());
    std::thread::sleep(Duration::from_millis(50));
    assert!(client.get().is_ok());
    drop(client);
    assert_eq!(s.connections(), 2);
}

#[test]
fn a_refused_connection_is_a_connect_error() {
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let plan = HttpPlan {
        url: format!("http://{addr}/"),
        n: 1,
        concurrency: 1,
        keep_alive: true,
        request_timeout_ms: 1_000,
        rate: None,
        ca_file: None,
    };
    let mut client = Http1Client::<StdNet>::new(Endpoint::of(&plan).unwrap(), &plan);
    assert_eq!(client.get(), Err(ErrorKind::Connect));
}

#[test]
fn a_plain_server_spoken_to_in_tls_is_a_tls_error() {
    // A plain HTTP server reads the TLS hello as a bad request and says so in plain text.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut hello = [0u8; 512];
        let _ = stream.read(&mut hello);
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    });
    let plan = HttpPlan {
        url: format!("https://{addr}/"),
        n: 1,
        concurrency: 1,
        keep_alive: true,
        request_timeout_ms: 2_000,
        rate: None,
        ca_file: None,
    };
    let mut client = Http1Client::<StdNet>::new(Endpoint::of(&plan).unwrap(), &plan);
    assert_eq!(client.get(), Err(ErrorKind::Tls));
    server.join().unwrap();
}

#[test]
fn header_tokens_are_split_and_trimmed() {
    assert_eq!(last_token(b"gzip , chunked "), Some(&b"chunked"[..]));
    assert_eq!(last_token(b"chunked, "), Some(&b"chunked"[..]));
    assert_eq!(last_token(b""), None);
    let t: Vec<&[u8]> = tokens(b"Keep-Alive, Upgrade").collect();
    assert_eq!(t, [&b"Keep-Alive"[..], &b"Upgrade"[..]]);
}

#[test]
fn heads_and_bodies_larger_than_the_read_buffer_are_read() {
    let big_header = format!("X-Big: {}\r\n", "h".repeat(3 * READ_BUFFER / 2));
    let big_body = "b".repeat(5 * READ_BUFFER);
    let response = format!(
        "HTTP/1.1 200 OK\r\n{big_header}Content-Length: {}\r\n\r\n{big_body}",
        big_body.len()
    );
    let response: &'static [u8] = Box::leak(response.into_bytes().into_boxed_slice());
    let s = Scripted::start(vec![vec![answer(response), answer(OK)]]);
    let mut client = s.client(true, 2_000);
    assert!(client.get().is_ok());
    assert!(client.get().is_ok());
    drop(client);
    assert_eq!(s.connections(), 1);

    let endless = format!("HTTP/1.1 200 OK\r\nX-Big: {}", "h".repeat(MAX_HEAD + 1));
    let endless: &'static [u8] = Box::leak(endless.into_bytes().into_boxed_slice());
    let s = Scripted::start(vec![vec![answer(endless)]]);
    assert_eq!(s.client(true, 2_000).get(), Err(ErrorKind::Protocol));
}
