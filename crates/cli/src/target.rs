//! Real targets: a URL instead of the built-in server. Anything that is not loopback is a
//! real server somebody else runs, so it needs `--allow-external`, is capped at the
//! article's size unless the user raises the cap, and is checked for reachability before a
//! results folder exists, so a run without network ends with a clear error and no debris.
//! An https target is checked the same way (a TCP connect); its `--ca-file`, if any, is
//! read before anything runs too.

use crate::experiment::Point;
use crate::UsageError;
use anyhow::Result;
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;
use tvc_core::{PlanError, Target};

/// The article's size: 200 requests, 200 in flight.
pub const DEFAULT_MAX_REQUESTS: u64 = 200;
pub const MAX_IN_FLIGHT: u64 = 200;

/// What the user allowed for a real target.
#[derive(Debug, Clone)]
pub struct Policy {
    pub allow_external: bool,
    pub max_requests: u64,
    /// Extra CA certificates (PEM) to trust for an https target (`--ca-file`).
    pub ca_file: Option<PathBuf>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            allow_external: false,
            max_requests: DEFAULT_MAX_REQUESTS,
            ca_file: None,
        }
    }
}

/// The policy's CA file as the workers get it (an absolute path), once it is known to hold
/// certificates and to go with an https target.
pub fn ca_file(policy: &Policy, target: Option<&Target>) -> Result<Option<String>> {
    let Some(path) = &policy.ca_file else {
        return Ok(None);
    };
    match target {
        Some(t) if t.is_https() => {}
        Some(t) => {
            return Err(UsageError(format!(
                "--ca-file {} is for an https target; {} is http",
                path.display(),
                t.url
            ))
            .into())
        }
        None => {
            return Err(UsageError(format!(
                "--ca-file {} needs an https target (--target or `target` in the experiment \
                 file); the built-in server speaks plain http",
                path.display()
            ))
            .into())
        }
    }
    let absolute = std::path::absolute(path)
        .map_err(|e| UsageError(format!("--ca-file {}: {e}", path.display())))?;
    let absolute = absolute.to_string_lossy().into_owned();
    tvc_client::tls::read_ca_file(&absolute).map_err(|e| UsageError(format!("--ca-file: {e}")))?;
    Ok(Some(absolute))
}

/// Parses and resolves `url`, refuses an external target the policy does not allow or
/// points above its cap, and connects once to check it is reachable. Returns the target and
/// whether it is external.
pub fn check(url: &str, points: &[Point], policy: &Policy) -> Result<(Target, bool)> {
    // A host name other than localhost is somebody else's until proven otherwise: without
    // the flag, refuse before even asking DNS about it.
    if !policy.allow_external && !names_loopback(url) {
        return Err(refuse_external(url, policy).into());
    }
    let target = Target::parse(url).map_err(|e| match e {
        PlanError::Resolve { host, source } => {
            anyhow::anyhow!("DNS failure: cannot resolve {host:?} ({source}); is there a network?")
        }
        other => UsageError(format!("--target: {other}")).into(),
    })?;
    let external = !target.is_loopback();
    if external {
        if !policy.allow_external {
            return Err(refuse_external(url, policy).into());
        }
        if let Some(p) = points.iter().find(|p| p.key.n > policy.max_requests) {
            return Err(UsageError(format!(
                "a point asks for {} requests to the external target {url}, above the cap of {}: \
                 lower n or pass --max-requests {}",
                p.key.n, policy.max_requests, p.key.n
            ))
            .into());
        }
        if let Some(p) = points.iter().find(|p| p.key.concurrency > MAX_IN_FLIGHT) {
            return Err(UsageError(format!(
                "a point asks for {} requests in flight to the external target {url}, above \
                 the cap of {MAX_IN_FLIGHT}",
                p.key.concurrency
            ))
            .into());
        }
    }
    preflight(&target)?;
    Ok((target, external))
}

fn refuse_external(url: &str, policy: &Policy) -> UsageError {
    UsageError(format!(
        "{url} is not a loopback address: it is a real server somebody else runs. \
         Pass --allow-external to measure it (capped at {} requests and {MAX_IN_FLIGHT} \
         in flight per point; --max-requests raises the request cap)",
        policy.max_requests
    ))
}

/// Whether the URL's host is `localhost` or a loopback address, read from the text alone.
fn names_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    // Split exactly as `Target::parse` does, so both read the same host.
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// One TCP connection, to say clearly why a target is unreachable before anything runs.
fn preflight(target: &Target) -> Result<()> {
    match TcpStream::connect_timeout(&target.addr, Duration::from_secs(5)) {
        Ok(_) => Ok(()),
        Err(e) => {
            let why = match e.kind() {
                std::io::ErrorKind::ConnectionRefused => "connection refused",
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                    "timeout (no answer within 5 s)"
                }
                std::io::ErrorKind::NetworkUnreachable | std::io::ErrorKind::HostUnreachable => {
                    "unreachable (no route: is there a network?)"
                }
                _ => "cannot connect",
            };
            Err(anyhow::anyhow!(
                "the target {} ({}) is unreachable: {why}: {e}",
                target.url,
                target.addr
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(ca_file: &str) -> Policy {
        Policy {
            ca_file: Some(PathBuf::from(ca_file)),
            ..Policy::default()
        }
    }

    #[test]
    fn no_ca_file_is_fine_for_any_target() {
        let t = Target::parse("https://127.0.0.1:1/").unwrap();
        assert_eq!(ca_file(&Policy::default(), Some(&t)).unwrap(), None);
        assert_eq!(ca_file(&Policy::default(), None).unwrap(), None);
    }

    #[test]
    fn a_ca_file_needs_an_https_target_and_a_certificate() {
        let usage = |r: Result<Option<String>>| {
            let e = r.expect_err("a usage error");
            assert!(e.downcast_ref::<UsageError>().is_some(), "{e:#}");
            e.to_string()
        };
        let http = Target::parse("http://127.0.0.1:1/").unwrap();
        let https = Target::parse("https://127.0.0.1:1/").unwrap();
        assert!(usage(ca_file(&policy("ca.pem"), None)).contains("needs an https target"));
        assert!(usage(ca_file(&policy("ca.pem"), Some(&http))).contains("is http"));
        assert!(
            usage(ca_file(&policy("/no/such/ca.pem"), Some(&https))).contains("/no/such/ca.pem")
        );
    }

    #[test]
    fn loopback_is_read_from_the_url_without_dns() {
        for url in [
            "http://127.0.0.1:8080/",
            "http://localhost/x",
            "http://[::1]:9/?a=b",
            "http://127.9.9.9",
        ] {
            assert!(names_loopback(url), "{url}");
        }
        for url in [
            "http://www.baidu.com/",
            "http://10.0.0.1:80/",
            "http://localhost.example/",
            "http://[::2]/",
            "http://localhost#x",
        ] {
            assert!(!names_loopback(url), "{url}");
        }
    }
}
