//! The built-in server: accurate delays, and 10 000 concurrent connections without refusing
//! one. The big test runs the server as its own process (`tvc serve`), as `tvc run` does.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tvc_core::HttpPlan;
use tvc_mock_server::{Server, SERVED_DELAY_HEADER, STATS_PATH};

/// One raw HTTP/1.1 GET on a new connection: (status, headers, body).
fn get(addr: &str, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&buf[..split]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, buf[split + 4..].to_vec())
}

fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    })
}

#[test]
fn served_delay_is_within_2ms_at_p50_and_bodies_have_their_size() {
    let server = Server::start("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = server.addr().to_string();
    let mut served = Vec::new();
    for _ in 0..30 {
        let start = Instant::now();
        let (status, head, body) = get(&addr, "/?delay_ms=20&bytes=1000");
        let elapsed = start.elapsed();
        assert_eq!(status, 200);
        assert_eq!(body.len(), 1000);
        let us: u64 = header(&head, SERVED_DELAY_HEADER).unwrap().parse().unwrap();
        assert!(elapsed >= Duration::from_millis(20));
        served.push(us as f64 / 1e3);
    }
    served.sort_by(f64::total_cmp);
    let p50 = served[served.len() / 2];
    assert!(
        (20.0..=22.0).contains(&p50),
        "served p50 {p50} ms for 20 ms asked"
    );
}

#[test]
fn bad_queries_get_400_and_the_server_keeps_serving() {
    let server = Server::start("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = server.addr().to_string();
    assert_eq!(get(&addr, "/?delay_ms=abc").0, 400);
    assert_eq!(get(&addr, "/?delay_ms=99999999999999999999999999").0, 400);
    assert_eq!(get(&addr, "/?bytes=99999999999").0, 400);
    let mut s = TcpStream::connect(&addr).unwrap();
    s.write_all(b"this is not http\r\n\r\n").unwrap();
    let mut sink = Vec::new();
    let _ = s.read_to_end(&mut sink);
    assert_eq!(get(&addr, "/?delay_ms=1").0, 200);
    let (status, _, body) = get(&addr, STATS_PATH);
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("\"connections\":"));
}

/// The two 10 000-connection tests run one at a time: together they would need 30 000
/// sockets in one test process, and would slow each other past their delays.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

#[test]
fn serves_10_000_concurrent_connections_without_refusing_any() {
    let _alone = one_at_a_time();
    let (mut child, addr) = serve_child();
    let url = format!("http://{addr}");

    tvc_core::probe::raise_nofile_limit();
    let n = 10_000;
    let plan = HttpPlan {
        // Long enough that every unit connects before the first answer, even on a busy machine.
        url: format!("{url}/?delay_ms=8000"),
        n,
        concurrency: n as usize,
        keep_alive: true,
        request_timeout_ms: 60_000,
        rate: None,
        ca_file: None,
    };
    let model = tvc::models::find("tokio").unwrap();
    let report = model.http("default", &plan).unwrap();

    let (_, _, stats) = get(&addr, STATS_PATH);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(report.ok, n, "errors: {:?}", report.errors);
    let stats = String::from_utf8_lossy(&stats).to_string();
    assert!(
        stats.contains(&format!("\"peak_open\":{n}")),
        "all {n} connections were open at once: {stats}"
    );
    // All 10 000 were in flight together: the run took about one delay, not many.
    assert!(
        report.window.wall_ms < 30_000.0,
        "{} ms",
        report.window.wall_ms
    );
}

/// `tvc serve` as a child process, and its `http://ADDR`.
fn serve_child() -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tvc"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    (child, url.trim_start_matches("http://").to_string())
}

/// Slowloris: 10 000 connections that open and never send a byte (or half a request) must
/// not stop the server answering everybody else.
#[test]
fn ten_thousand_silent_connections_do_not_stop_the_server() {
    let _alone = one_at_a_time();
    let (mut child, addr) = serve_child();
    tvc_core::probe::raise_nofile_limit();
    let mut idle = Vec::with_capacity(10_000);
    for i in 0..10_000 {
        let mut s = TcpStream::connect(&addr).expect("connect an idle client");
        if i % 2 == 1 {
            // Half a request line, then nothing.
            let _ = s.write_all(b"GET /?delay_ms=1 HT");
        }
        idle.push(s);
    }
    let start = Instant::now();
    for _ in 0..20 {
        assert_eq!(get(&addr, "/?delay_ms=1").0, 200);
    }
    let elapsed = start.elapsed();
    let (_, _, stats) = get(&addr, STATS_PATH);
    drop(idle);
    let _ = child.kill();
    let _ = child.wait();
    let stats = String::from_utf8_lossy(&stats).to_string();
    assert!(
        stats.contains("\"peak_open\":100"),
        "the 10 000 silent connections were all accepted: {stats}"
    );
    assert!(
        elapsed < Duration::from_secs(10),
        "20 requests took {elapsed:?} beside the silent connections"
    );
}

/// A query of a megabyte, and a query value of 100 000 digits: refused, and the server goes
/// on serving.
#[test]
fn huge_queries_are_refused_and_the_server_keeps_serving() {
    let server = Server::start("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = server.addr().to_string();
    let huge = format!("/?delay_ms=1&pad={}", "x".repeat(1 << 20));
    let mut s = TcpStream::connect(&addr).unwrap();
    let _ = write!(
        s,
        "GET {huge} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let head = String::from_utf8_lossy(&buf[..buf.len().min(64)]).to_string();
    // Either a 4xx status line or a closed connection; never a 200 or a hang.
    assert!(
        buf.is_empty() || head.starts_with("HTTP/1.1 4"),
        "a 1 MiB request line got {head:?}"
    );
    let digits = format!("/?delay_ms={}", "9".repeat(100_000));
    let (status, _, _) = get(&addr, &digits);
    assert!((400..500).contains(&status), "{status}");
    assert_eq!(get(&addr, "/?delay_ms=1").0, 200);
}
