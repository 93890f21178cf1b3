//! env.json: everything the numbers depend on, written before the first point runs and
//! again when the run ends (or is interrupted).

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct Env {
    pub tvc_version: &'static str,
    /// The commit the binary was built from, `-dirty` if its sources differed (build time).
    pub git_commit: String,
    pub rustc: &'static str,
    pub crates: BTreeMap<String, String>,
    pub command: Vec<String>,
    pub started_utc: String,
    pub finished_utc: Option<String>,
    /// running, completed, interrupted or failed.
    pub status: String,
    pub experiment: ExperimentInfo,
    pub machine: Machine,
    pub limits: Limits,
    pub server: ServerInfo,
    pub points: usize,
    /// How many threads one process can have here, predicted before anything runs.
    pub predicted_thread_limit: tvc_core::probe::ThreadLimit,
    /// How many stackful coroutines (may) one process can have here, predicted the same way.
    pub predicted_coroutine_limit: tvc_core::probe::CoroutineLimit,
    /// The machine's speed when the run started and when it ended (a fixed loop, a futex
    /// and a pipe round trip): how runs made at different times compare.
    pub calibration_start: tvc_core::calibrate::Calibration,
    pub calibration_end: Option<tvc_core::calibrate::Calibration>,
    /// The peers' runtimes (the Python interpreter: version, implementation, GIL, switch
    /// interval, packages), or why they could not run.
    pub peers: crate::peers::Peers,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExperimentInfo {
    pub name: String,
    pub file: String,
    pub quick: bool,
    pub repetitions: u32,
    pub warmup: u32,
    pub content: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpu_model: String,
    pub cpus: usize,
    pub kernel: String,
    pub mem_total_kib: u64,
    pub os: String,
}

/// The limits that decide how many threads and connections fit.
#[derive(Debug, Clone, Serialize)]
pub struct Limits {
    /// `ulimit -u` (RLIMIT_NPROC, soft).
    pub ulimit_u: Option<u64>,
    /// `ulimit -n` (RLIMIT_NOFILE, soft, after tvc raised it to the hard limit).
    pub ulimit_n: Option<u64>,
    /// `ulimit -s` in KiB (the main thread's stack).
    pub ulimit_s_kib: Option<u64>,
    pub vm_max_map_count: Option<u64>,
    pub kernel_pid_max: Option<u64>,
    pub kernel_threads_max: Option<u64>,
    pub net_core_somaxconn: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServerInfo {
    pub kind: String,
    pub url: String,
    pub pid: Option<u32>,
    /// The extra CA certificates (PEM, absolute path) trusted for an https target.
    pub ca_file: Option<String>,
    /// Each time the built-in server was found dead and started again: how it ended and
    /// before which point (its stderr is in the run's server.log).
    pub restarts: Vec<String>,
}

impl Env {
    pub fn collect(
        exp: &crate::experiment::Experiment,
        started_utc: String,
        server: ServerInfo,
        points: usize,
    ) -> Env {
        tvc_core::probe::raise_nofile_limit();
        Env {
            tvc_version: env!("CARGO_PKG_VERSION"),
            git_commit: build_commit(),
            rustc: env!("TVC_RUSTC_VERSION"),
            crates: crate_versions(),
            command: std::env::args().collect(),
            started_utc,
            finished_utc: None,
            status: "running".into(),
            experiment: ExperimentInfo {
                name: exp.name.clone(),
                file: exp.file.display().to_string(),
                quick: exp.quick,
                repetitions: exp.repetitions,
                warmup: exp.warmup,
                content: exp.source.clone(),
            },
            machine: Machine::read(),
            limits: Limits::read(),
            server,
            points,
            predicted_thread_limit: tvc_core::probe::ThreadLimit::predict(),
            predicted_coroutine_limit: tvc_core::probe::CoroutineLimit::predict(),
            calibration_start: tvc_core::calibrate::Calibration::measure(),
            calibration_end: None,
            peers: Default::default(),
        }
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let json = serde_json::to_vec_pretty(self)?;
        Ok(tvc_results::files::atomic_write(path, &json)?)
    }
}

impl Machine {
    pub fn read() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_total_kib = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Machine {
            cpu_model,
            cpus: tvc_core::available_cpus(),
            kernel: read_trimmed("/proc/sys/kernel/osrelease").unwrap_or_else(|| "unknown".into()),
            mem_total_kib,
            os: std::env::consts::OS.to_string(),
        }
    }
}

impl Limits {
    pub fn read() -> Limits {
        let number = tvc_core::probe::read_number;
        Limits {
            ulimit_u: rlimit(libc::RLIMIT_NPROC),
            ulimit_n: rlimit(libc::RLIMIT_NOFILE),
            ulimit_s_kib: rlimit(libc::RLIMIT_STACK).map(|b| b / 1024),
            vm_max_map_count: number("/proc/sys/vm/max_map_count"),
            kernel_pid_max: number("/proc/sys/kernel/pid_max"),
            kernel_threads_max: number("/proc/sys/kernel/threads-max"),
            net_core_somaxconn: number("/proc/sys/net/core/somaxconn"),
        }
    }
}

fn rlimit(resource: libc::__rlimit_resource_t) -> Option<u64> {
    // SAFETY: getrlimit writes only into the struct we own.
    let mut l: libc::rlimit = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrlimit(resource, &mut l) } != 0 || l.rlim_cur == libc::RLIM_INFINITY {
        return None;
    }
    Some(l.rlim_cur)
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

/// The commit this binary was built from, `-dirty` when its sources differed from it (read
/// by the build script, not from the working directory at run time).
pub fn build_commit() -> String {
    let commit = env!("TVC_GIT_COMMIT");
    match env!("TVC_GIT_DIRTY") {
        "true" => format!("{commit}-dirty"),
        _ => commit.to_string(),
    }
}

/// Versions of the crates whose behaviour is being measured, from the Cargo.lock tvc was
/// built with.
fn crate_versions() -> BTreeMap<String, String> {
    const LOCK: &str = include_str!("../../../Cargo.lock");
    const WANTED: &[&str] = &[
        "tokio",
        "hyper",
        "hyper-util",
        "reqwest",
        "ureq",
        "rayon",
        "async-std",
        "smol",
        "async-io",
        "async-executor",
        "may",
        "generator",
        "httparse",
        "hdrhistogram",
    ];
    let mut out = BTreeMap::new();
    for block in LOCK.split("[[package]]") {
        let field = |key: &str| {
            block.lines().find_map(|l| {
                l.strip_prefix(key)
                    .and_then(|r| r.trim().strip_prefix('='))
                    .map(|v| v.trim().trim_matches('"').to_string())
            })
        };
        if let (Some(name), Some(version)) = (field("name "), field("version ")) {
            if WANTED.contains(&name.as_str()) {
                out.insert(name, version);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_limits_and_versions() {
        let l = super::Limits::read();
        let pid_max = std::fs::read_to_string("/proc/sys/kernel/pid_max").unwrap();
        assert_eq!(l.kernel_pid_max, pid_max.trim().parse().ok());
        let c = super::crate_versions();
        assert!(c.contains_key("tokio") && c.contains_key("smol"), "{c:?}");
    }

    #[test]
    fn the_build_commit_is_a_hash_with_its_dirty_flag() {
        let c = super::build_commit();
        let hash = c.strip_suffix("-dirty").unwrap_or(&c);
        assert!(
            hash == "unknown" || (hash.len() == 40 && hash.chars().all(|c| c.is_ascii_hexdigit())),
            "{c}"
        );
    }
}
