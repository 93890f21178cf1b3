//! Two hosts on one machine: `tvc serve --addr 0.0.0.0:0` in one network namespace and
//! `tvc run --target http://HOST:PORT/ --allow-external` in another, joined by a veth pair
//! with private addresses, so a real non-loopback target is exercised without touching any
//! network but the test's own. The namespaces, the veth pair and the addresses exist only for
//! the test and are deleted on the way out, failure or not.
//!
//! Needs root and iproute2 (`ip`); without them each test prints `skipped: <reason>` and
//! passes. `TVC_REQUIRE_NETNS=1` turns a skip into a failure, for machines that must run it.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use tvc_results::{read_raw, Status};

/// Two network namespaces, A (the server) and B (the client), joined by a veth pair:
/// A holds 10.213.SUBNET.1/24, B 10.213.SUBNET.2/24. Deleting the namespaces on drop takes
/// the veth pair with them.
struct Hosts {
    a: String,
    b: String,
    subnet: u8,
}

impl Hosts {
    /// `tag` (one letter) and `subnet` keep the tests in this file apart; the pid keeps two
    /// runs of the suite apart. Namespaces isolate the addresses, so they cannot clash with
    /// the machine's own.
    fn create(tag: char, subnet: u8) -> Result<Hosts, String> {
        let pid = std::process::id();
        let hosts = Hosts {
            a: format!("tvc-a-{pid}-{tag}"),
            b: format!("tvc-b-{pid}-{tag}"),
            subnet,
        };
        // The guard exists before anything is created, so a failure halfway still cleans up;
        // deleting first clears what a killed run with the same pid may have left.
        hosts.delete();
        // Interface names are at most 15 bytes: "va" + a pid (at most 7 digits) + the tag.
        let (va, vb) = (format!("va{pid}{tag}"), format!("vb{pid}{tag}"));
        let (addr_a, addr_b) = (
            format!("{}/24", hosts.addr(1)),
            format!("{}/24", hosts.addr(2)),
        );
        ip(&["netns", "add", &hosts.a])?;
        ip(&["netns", "add", &hosts.b])?;
        // Both ends are created inside their namespaces: the veth never appears on the host.
        ip(&[
            "link", "add", &va, "netns", &hosts.a, "type", "veth", "peer", "name", &vb, "netns",
            &hosts.b,
        ])?;
        for (ns, dev, addr) in [(&hosts.a, &va, &addr_a), (&hosts.b, &vb, &addr_b)] {
            ip(&["-n", ns, "addr", "add", addr, "dev", dev])?;
            ip(&["-n", ns, "link", "set", "lo", "up"])?;
            ip(&["-n", ns, "link", "set", dev, "up"])?;
        }
        Ok(hosts)
    }

    /// 10.213.SUBNET.HOST: 1 is A, 2 is B, anything else is nobody.
    fn addr(&self, host: u8) -> String {
        format!("10.213.{}.{host}", self.subnet)
    }

    /// `ip netns exec NS tvc ARGS...`: tvc as if on that host.
    fn tvc(&self, ns: &str, args: &[&str]) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", ns, env!("CARGO_BIN_EXE_tvc")])
            .args(args);
        c
    }

    fn delete(&self) {
        for ns in [&self.a, &self.b] {
            let _ = Command::new("ip")
                .args(["netns", "delete", ns])
                .stderr(Stdio::null())
                .status();
        }
    }
}

impl Drop for Hosts {
    fn drop(&mut self) {
        self.delete();
    }
}

/// Runs `ip ARGS`; its stderr is the error.
fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run ip: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`ip {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Why this machine cannot run the tests, if it cannot.
fn cannot_run() -> Option<String> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not root (network namespaces need CAP_SYS_ADMIN)".into());
    }
    match Command::new("ip").arg("-V").output() {
        Ok(out) if out.status.success() => None,
        _ => Some("`ip` (iproute2) is not installed".into()),
    }
}

/// Namespaces joined by a veth pair, or `None` after saying why the test is skipped.
fn hosts_or_skip(tag: char, subnet: u8) -> Option<Hosts> {
    let why = match cannot_run() {
        None => match Hosts::create(tag, subnet) {
            Ok(hosts) => return Some(hosts),
            Err(e) => format!("cannot create network namespaces here: {e}"),
        },
        Some(why) => why,
    };
    if std::env::var("TVC_REQUIRE_NETNS").as_deref() == Ok("1") {
        panic!("TVC_REQUIRE_NETNS=1, but {why}");
    }
    // Straight to stderr, not eprintln!, which the test harness captures: a skip should show.
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
    None
}

/// `tvc serve` in a namespace, killed on drop (`ip netns exec` execs tvc, so the child is
/// the server itself).
struct Served {
    child: Child,
    /// The first line `tvc serve` printed, e.g. `http://0.0.0.0:41234`.
    printed: String,
}

impl Served {
    fn start(mut command: Command) -> Served {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tvc serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let printed = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_default()
            .trim()
            .to_string();
        let served = Served { child, printed };
        assert!(
            served.printed.starts_with("http://"),
            "tvc serve printed no address: {:?}",
            served.printed
        );
        served
    }

    fn port(&self) -> u16 {
        self.printed
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {:?}", self.printed))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn experiment(dir: &Path) -> PathBuf {
    let path = dir.join("two-hosts.toml");
    // Well under the external caps (200 requests, 200 in flight per point).
    let text = "name = \"two-hosts\"\nworkload = \"http\"\n\
                models = [\"sequential\", \"threads\", \"tokio\", \"smol\"]\n\
                repetitions = 1\nwarmup = 0\n\
                [http]\nn = 20\nconcurrency = 10\nkeep_alive = [true, false]\n";
    std::fs::write(&path, text).unwrap();
    path
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_server_on_another_host_is_measured_as_an_external_target() {
    let Some(hosts) = hosts_or_skip('r', 1) else {
        return;
    };
    // Every address of host A, as someone serving other machines would bind.
    let server = Served::start(hosts.tvc(&hosts.a, &["serve", "--addr", "0.0.0.0:0"]));
    let url = format!("http://{}:{}/", hosts.addr(1), server.port());

    let dir = tempfile::tempdir().unwrap();
    let file = experiment(dir.path());
    let out = hosts
        .tvc(
            &hosts.b,
            &[
                "run",
                file.to_str().unwrap(),
                "--out",
                dir.path().to_str().unwrap(),
                "--target",
                &url,
                "--allow-external",
            ],
        )
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let results = PathBuf::from(stdout.lines().last().expect("a results folder").trim());
    assert!(
        results.starts_with(dir.path().join("two-hosts")),
        "{stdout}"
    );

    let rows = read_raw(&results.join("raw.csv")).unwrap();
    assert_eq!(rows.len(), 8, "4 models x keep-alive on/off");
    for r in &rows {
        assert_eq!(
            r.status,
            Status::Ok,
            "{}:{} keep-alive {}: {}",
            r.key.model,
            r.key.variant,
            r.key.keep_alive,
            r.reason
        );
        assert_eq!(r.figures.requests_ok, Some(20.0), "{}", r.key.model);
        assert_eq!(r.target, url);
    }
    let env: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(results.join("env.json")).unwrap()).unwrap();
    assert_eq!(env["server"]["kind"], "external target", "{env}");
    assert_eq!(env["server"]["url"], url.as_str());
    assert_eq!(env["status"], "completed");
}

#[test]
fn an_address_nobody_serves_on_the_other_host_is_named_unreachable() {
    let Some(hosts) = hosts_or_skip('u', 2) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = experiment(dir.path());
    let out_dir = dir.path().join("out");
    // Host A exists but serves nothing (its kernel refuses); .3 is no host at all (no ARP
    // answer, so the kernel reports the host unreachable after about 3 s).
    let cases = [
        (format!("http://{}:9/", hosts.addr(1)), "connection refused"),
        (
            format!("http://{}:80/", hosts.addr(3)),
            "unreachable (no route",
        ),
    ];
    for (url, why) in &cases {
        let out = hosts
            .tvc(
                &hosts.b,
                &[
                    "run",
                    file.to_str().unwrap(),
                    "--out",
                    out_dir.to_str().unwrap(),
                    "--target",
                    url,
                    "--allow-external",
                ],
            )
            .output()
            .unwrap();
        let stderr = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{url}: {stderr}");
        assert!(
            stderr.contains(&format!("the target {url}")) && stderr.contains("is unreachable"),
            "{url}: {stderr}"
        );
        assert!(stderr.contains(why), "{url}: expected {why:?} in {stderr}");
        assert!(!out_dir.exists(), "{url}: nothing ran, no results folder");
    }
}
