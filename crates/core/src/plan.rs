//! Workload plans: what a model is asked to do, decided by the orchestrator, identical for
//! every model of a point.

use serde::{Deserialize, Serialize};
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

/// The workloads, one per method of [`crate::Model`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Workload {
    #[default]
    Http,
    Park,
    Switch,
    Cpu,
    Blocking,
    SharedState,
}

impl Workload {
    pub const ALL: [Workload; 6] = [
        Workload::Http,
        Workload::Park,
        Workload::Switch,
        Workload::Cpu,
        Workload::Blocking,
        Workload::SharedState,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Workload::Http => "http",
            Workload::Park => "park",
            Workload::Switch => "switch",
            Workload::Cpu => "cpu",
            Workload::Blocking => "blocking",
            Workload::SharedState => "shared-state",
        }
    }

    pub fn parse(name: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == name)
    }

    /// Requests over a network: the workloads a `--target` URL applies to.
    pub fn is_http(self) -> bool {
        matches!(self, Workload::Http | Workload::Blocking)
    }
}

/// The http workload: `n` GETs of `url`, at most `concurrency` in flight.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HttpPlan {
    pub url: String,
    pub n: u64,
    pub concurrency: usize,
    /// Reuse connections (true) or open a new connection per request and ask the server to
    /// close it (`Connection: close`), as the article's sequential loop did.
    pub keep_alive: bool,
    /// Per-request timeout; a request that takes longer is counted as a `timeout` error.
    pub request_timeout_ms: u64,
    /// Open loop: send at this many requests per second on a fixed schedule, whatever the
    /// answers do (with at most `concurrency` in flight). `None`: closed loop.
    #[serde(default)]
    pub rate: Option<f64>,
    /// For an https URL: a PEM file of CA certificates trusted beside the built-in (Mozilla)
    /// roots, which is how a self-signed loopback server is trusted. Ignored for http.
    #[serde(default)]
    pub ca_file: Option<String>,
}

impl HttpPlan {
    pub fn target(&self) -> Result<Target, PlanError> {
        Target::parse(&self.url)
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms)
    }
}

/// How a target is spoken to: plain HTTP, or HTTP over TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// A parsed `http[s]://host:port/path?query` URL, resolved once so no model pays for DNS
/// per request.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: String,
    pub scheme: Scheme,
    pub addr: SocketAddr,
    /// `host[:port]` as it goes into the `Host` header.
    pub authority: String,
    /// Path and query, starting with `/`.
    pub path: String,
    /// The host without port or brackets: the name an https server's certificate must
    /// carry (a DNS name or an IP address).
    pub server_name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("unsupported URL {0:?}: only http:// and https:// URLs are supported")]
    Scheme(String),
    #[error("malformed URL {url:?}: {why}")]
    Malformed { url: String, why: &'static str },
    #[error("cannot resolve {host:?}: {source}")]
    Resolve {
        host: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot use the CA file {path:?}: {why}")]
    CaFile { path: String, why: String },
    #[error("cannot set up TLS: {0}")]
    Tls(String),
}

impl Target {
    pub fn parse(url: &str) -> Result<Target, PlanError> {
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("http://") {
            (Scheme::Http, rest)
        } else if let Some(rest) = url.strip_prefix("https://") {
            (Scheme::Https, rest)
        } else {
            return Err(PlanError::Scheme(url.to_string()));
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) if rest.as_bytes()[i] == b'/' => (&rest[..i], rest[i..].to_string()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_string()),
        };
        if authority.is_empty() {
            return Err(PlanError::Malformed {
                url: url.to_string(),
                why: "no host",
            });
        }
        let (host, port) = split_host_port(authority, scheme.default_port()).ok_or_else(|| {
            PlanError::Malformed {
                url: url.to_string(),
                why: "bad port",
            }
        })?;
        let addr = (host, port)
            .to_socket_addrs()
            .map_err(|source| PlanError::Resolve {
                host: host.to_string(),
                source,
            })?
            .next()
            .ok_or_else(|| PlanError::Resolve {
                host: host.to_string(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no address"),
            })?;
        Ok(Target {
            url: url.to_string(),
            scheme,
            addr,
            authority: authority.to_string(),
            path,
            server_name: host.to_string(),
        })
    }

    /// Loopback targets are ours; anything else is a real server somebody else runs.
    pub fn is_loopback(&self) -> bool {
        self.addr.ip().is_loopback()
    }

    pub fn is_https(&self) -> bool {
        self.scheme == Scheme::Https
    }
}

fn split_host_port(authority: &str, default_port: u16) -> Option<(&str, u16)> {
    if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let host = &rest[..end];
        return match &rest[end + 1..] {
            "" => Some((host, default_port)),
            p => Some((host, p.strip_prefix(':')?.parse().ok()?)),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host, port.parse().ok()?)),
        None => Some((authority, default_port)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_loopback_url_with_query() {
        let t = Target::parse("http://127.0.0.1:8080/?delay_ms=5").unwrap();
        assert_eq!(t.addr, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(t.authority, "127.0.0.1:8080");
        assert_eq!(t.path, "/?delay_ms=5");
        assert!(t.is_loopback());
    }

    #[test]
    fn query_without_path_gets_a_slash() {
        let t = Target::parse("http://127.0.0.1:9?x=1").unwrap();
        assert_eq!(t.path, "/?x=1");
        let t = Target::parse("http://[::1]:9").unwrap();
        assert_eq!(t.path, "/");
        assert!(t.is_loopback());
    }

    #[test]
    fn http_is_plain_with_port_80_by_default() {
        let t = Target::parse("http://127.0.0.1/x").unwrap();
        assert_eq!(t.scheme, Scheme::Http);
        assert!(!t.is_https());
        assert_eq!(t.addr.port(), 80);
        assert_eq!(t.server_name, "127.0.0.1");
    }

    #[test]
    fn parses_https_with_default_port_and_server_name() {
        let t = Target::parse("https://localhost/a?b=1").unwrap();
        assert_eq!(t.scheme, Scheme::Https);
        assert!(t.is_https());
        assert_eq!(t.addr.port(), 443);
        assert_eq!(t.authority, "localhost");
        assert_eq!(t.path, "/a?b=1");
        assert_eq!(t.server_name, "localhost");
        assert!(t.is_loopback());

        let t = Target::parse("https://127.0.0.1:8443/?delay_ms=5").unwrap();
        assert_eq!(t.addr, "127.0.0.1:8443".parse().unwrap());
        assert_eq!(t.authority, "127.0.0.1:8443");
        assert_eq!(t.server_name, "127.0.0.1");

        let t = Target::parse("https://[::1]").unwrap();
        assert_eq!(t.addr, "[::1]:443".parse().unwrap());
        assert_eq!(t.server_name, "::1", "no brackets in a TLS server name");
        assert_eq!(t.path, "/");
    }

    #[test]
    fn https_urls_are_checked_like_http_ones() {
        assert!(matches!(
            Target::parse("https://127.0.0.1:99999/"),
            Err(PlanError::Malformed { .. })
        ));
        assert!(matches!(
            Target::parse("https:///x"),
            Err(PlanError::Malformed { .. })
        ));
        assert!(matches!(
            Target::parse("https//127.0.0.1/"),
            Err(PlanError::Scheme(_))
        ));
    }

    #[test]
    fn old_plans_without_a_ca_file_still_parse() {
        let plan: HttpPlan = serde_json::from_str(
            r#"{"url":"http://127.0.0.1:1/","n":1,"concurrency":1,"keep_alive":true,"request_timeout_ms":5}"#,
        )
        .unwrap();
        assert_eq!(plan.ca_file, None);
    }

    #[test]
    fn rejects_other_schemes_and_bad_ports() {
        assert!(matches!(
            Target::parse("ftp://x"),
            Err(PlanError::Scheme(_))
        ));
        assert!(matches!(
            Target::parse("http://127.0.0.1:notaport/"),
            Err(PlanError::Malformed { .. })
        ));
        assert!(matches!(
            Target::parse("http:///x"),
            Err(PlanError::Malformed { .. })
        ));
    }
}

/// The memory workload: `n` units alive at once, each blocked doing nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParkPlan {
    pub n: u64,
}

/// The switch workload: a token passed `hops` times around a ring of `units` units (2 units
/// is ping-pong), once per pass: `warmup_passes` untimed passes, then `passes` timed ones,
/// around the same ring.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SwitchPlan {
    pub units: usize,
    pub hops: u64,
    pub passes: u32,
    pub warmup_passes: u32,
    /// What carries the token from one unit to the next.
    #[serde(default)]
    pub medium: Medium,
}

/// What carries the switch ring's token: the model's own channel, or a socket pair per unit,
/// so that each unit waits for its socket to become readable (a switch caused by I/O
/// readiness, as in a server) and the token is a write(2) and a read(2).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Medium {
    #[default]
    Channel,
    Socket,
}

impl Medium {
    pub const ALL: [Medium; 2] = [Medium::Channel, Medium::Socket];

    pub fn name(self) -> &'static str {
        match self {
            Medium::Channel => "channel",
            Medium::Socket => "socket",
        }
    }

    pub fn parse(name: &str) -> Option<Medium> {
        Medium::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// The cpu workload: `n` units of the same deterministic work ([`crate::work::cpu_unit`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CpuPlan {
    pub n: u64,
    pub iters: u64,
}

/// Where CPU-bound tasks run while I/O is in flight on an async runtime.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum CpuMode {
    /// No CPU work: the I/O latency baseline.
    #[default]
    None,
    /// CPU tasks spawned on the same runtime as the I/O, as ordinary tasks.
    Inline,
    /// CPU tasks handed to the runtime's blocking pool (or a separate pool).
    Offload,
}

impl CpuMode {
    pub const ALL: [CpuMode; 3] = [CpuMode::None, CpuMode::Inline, CpuMode::Offload];

    pub fn name(self) -> &'static str {
        match self {
            CpuMode::None => "none",
            CpuMode::Inline => "inline",
            CpuMode::Offload => "offload",
        }
    }

    pub fn parse(name: &str) -> Option<CpuMode> {
        CpuMode::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// The blocking workload: the http plan in flight while `cpu_tasks` units of CPU work run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlockingPlan {
    pub http: HttpPlan,
    pub cpu_tasks: u64,
    pub iters: u64,
    pub mode: CpuMode,
}

/// How the shared counter is protected.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Lock {
    #[default]
    Mutex,
    Atomic,
    /// No lock at all: a plain counter (`Rc<RefCell<u64>>` on a single-threaded executor).
    None,
    /// No lock, and a function call between the counter's read and its write
    /// (`value = add_one(value)`): where a runtime switches units only at calls (CPython's
    /// GIL), this is the form that loses updates; on one thread it changes nothing.
    NoneCall,
}

impl Lock {
    pub const ALL: [Lock; 4] = [Lock::Mutex, Lock::Atomic, Lock::None, Lock::NoneCall];

    pub fn name(self) -> &'static str {
        match self {
            Lock::Mutex => "mutex",
            Lock::Atomic => "atomic",
            Lock::None => "none",
            Lock::NoneCall => "none-call",
        }
    }

    pub fn parse(name: &str) -> Option<Lock> {
        Lock::ALL.into_iter().find(|l| l.name() == name)
    }

    /// How tables and charts head its column.
    pub fn title(self) -> &'static str {
        match self {
            Lock::Mutex => "Mutex",
            Lock::Atomic => "atomic",
            Lock::None => "no lock",
            Lock::NoneCall => "no lock, a call between read and write",
        }
    }

    /// No lock at all, in either form.
    pub fn is_none(self) -> bool {
        matches!(self, Lock::None | Lock::NoneCall)
    }
}

/// The shared-state workload: `units` units each increment one counter `increments` times,
/// yielding to the others every [`crate::work::YIELD_EVERY`] increments.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SharedPlan {
    pub units: usize,
    pub increments: u64,
    pub lock: Lock,
}
