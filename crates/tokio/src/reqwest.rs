//! The `reqwest` variant's http workload: C tasks sharing one reqwest client (its own pool
//! of connections), as most users would write it, making requests until the work runs out.
//! It differs from `http.rs` only in the client.

use crate::Rt;
use std::sync::Arc;
use std::time::Instant;
use tvc_core::{Clock, ErrorKind, HttpPlan, HttpRun, Knob, ModelError, RunReport, Served};

pub(crate) fn run(rt: &Rt, plan: &HttpPlan) -> Result<RunReport, ModelError> {
    let run = Arc::new(HttpRun::new(plan));
    let client = client(plan)?;
    let clock = Clock::start();
    rt.block_on(async {
        let units = plan.concurrency.max(1);
        let mut handles = Vec::with_capacity(units);
        for i in 0..units {
            let (run, client, url) = (run.clone(), client.clone(), plan.url.clone());
            handles.push(tokio::spawn(async move {
                while let Some(due) = run.claim() {
                    if let Some(wait) = due.wait() {
                        tokio::time::sleep(wait).await;
                    }
                    let sent = Instant::now();
                    let result = get(&client, &url).await;
                    run.record(i, due, sent, result);
                }
            }));
        }
        for unit in handles {
            unit.await
                .map_err(|e| ModelError::Panicked(e.to_string()))?;
        }
        Ok::<_, ModelError>(())
    })?;
    let window = clock.stop();
    let mut knobs = vec![Knob::new("client", "reqwest")];
    knobs.extend(rt.knobs());
    Ok(run.report(window, plan.concurrency.max(1), rt.workers(), knobs))
}

fn client(plan: &HttpPlan) -> Result<reqwest::Client, ModelError> {
    let idle = if plan.keep_alive { usize::MAX } else { 0 };
    let mut headers = reqwest::header::HeaderMap::new();
    if !plan.keep_alive {
        headers.insert(
            reqwest::header::CONNECTION,
            reqwest::header::HeaderValue::from_static("close"),
        );
    }
    let start = |e: reqwest::Error| ModelError::Start(std::io::Error::other(e));
    let mut builder = reqwest::Client::builder()
        .user_agent(tvc_client::USER_AGENT)
        .default_headers(headers)
        .timeout(plan.request_timeout())
        .pool_max_idle_per_host(idle);
    // https: reqwest's rustls with the webpki roots, plus the plan's CA file.
    if let Some(path) = plan
        .ca_file
        .as_deref()
        .filter(|_| plan.url.starts_with("https://"))
    {
        for cert in tvc_client::tls::read_ca_file(path)? {
            builder =
                builder.add_root_certificate(reqwest::Certificate::from_der(&cert).map_err(start)?);
        }
    }
    builder.build().map_err(start)
}

async fn get(client: &reqwest::Client, url: &str) -> Result<Served, ErrorKind> {
    let response = client.get(url).send().await.map_err(|e| classify(&e))?;
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).map(|v| v.as_bytes().to_vec());
    let (served, asked) = (
        header(tvc_client::SERVED_HEADER),
        header(tvc_client::ASKED_HEADER),
    );
    response.bytes().await.map_err(|e| classify(&e))?;
    match ErrorKind::from_status(status) {
        Some(kind) => Err(kind),
        None => Ok(Served::from_headers(served.as_deref(), asked.as_deref())),
    }
}

fn classify(e: &reqwest::Error) -> ErrorKind {
    // A failed handshake is also a failed connect; the rustls error inside says it was TLS.
    if tvc_client::tls::is_tls_error(e) {
        return ErrorKind::Tls;
    }
    if e.is_timeout() {
        return ErrorKind::Timeout;
    }
    if e.is_connect() {
        return ErrorKind::Connect;
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return ErrorKind::from_io(io);
        }
        if let Some(h) = s.downcast_ref::<hyper::Error>() {
            return tvc_client::hyper_client::classify(h);
        }
        source = s.source();
    }
    ErrorKind::Io
}
