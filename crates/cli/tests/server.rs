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

#[test]
fn serves_10_000_concurrent_connections_without_refusing_any() {
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
    let url = line.trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    tvc_core::probe::raise_nofile_limit();
    let n = 10_000;
    let plan = HttpPlan {
        url: format!("{url}/?delay_ms=3000"),
        n,
        concurrency: n as usize,
        keep_alive: true,
        request_timeout_ms: 60_000,
        ca_file: None,
    };
    let model = tvc::models::find("tokio").unwrap();
    let report = model.http("default", &plan).unwrap();

    let addr = url.trim_start_matches("http://");
    let (_, _, stats) = get(addr, STATS_PATH);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(report.ok, n, "errors: {:?}", report.errors);
    let stats = String::from_utf8_lossy(&stats).to_string();
    assert!(
        stats.contains(&format!("\"peak_open\":{n}")),
        "all {n} connections were open at once: {stats}"
    );
    // All 10 000 were in flight together: the run took about one delay, not many.
    assert!(report.wall_ms < 30_000.0, "{} ms", report.wall_ms);
}
