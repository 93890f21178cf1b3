//! The smallest server hyper allows, as a yardstick for `tvc serve`: `GET /` (any request,
//! in fact) answers 200 with an empty body, nothing else. scripts/bench-loopback.sh points wrk
//! at both, so the ratio says what the mock server's own work (query parsing, counters, timing
//! headers) costs. It runs on the same runtime as the mock server, a default tokio
//! multi-thread runtime (one worker per core), so the two differ only in what they do per
//! request.
//!
//! `cargo run --release -p tvc-mock-server --example ref-server [-- ADDR]` (default
//! 127.0.0.1:0) prints `http://ADDR` on its first stdout line, as `tvc serve` does.

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

fn main() -> ExitCode {
    let arg = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let addr: SocketAddr = match arg.parse() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("ref-server: {arg:?} is not an address like 127.0.0.1:0 ({e})");
            return ExitCode::from(2);
        }
    };
    // The same builder as tvc-mock-server's `Server::start`: worker threads default to the
    // number of cores.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("ref-server")
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ref-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(addr)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ref-server: cannot listen on {addr}: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "http://{}", listener.local_addr()?)?;
    stdout.flush()?;
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // A connection aborted before accept, or out of descriptors: keep serving, as
            // the mock server does.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                continue;
            }
        };
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(answer))
                .await;
        });
    }
}

async fn answer(_req: Request<hyper::body::Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(Response::new(Full::new(Bytes::new())))
}
