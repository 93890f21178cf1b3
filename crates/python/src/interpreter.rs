//! The Python interpreter as a child of the worker: found and checked once per process, then
//! started once per run and reaped with `wait4`, whose resource usage is the only account of
//! a finished process's peak resident set (and brings its CPU time and context switches).

use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use tvc_core::child::{stderr_tail, wait4};
use tvc_core::probe::{Status, Usage};
use tvc_core::ModelError;

/// The interpreter to use; `python3` (from `PATH`) when unset or empty.
pub const PYTHON_VAR: &str = "TVC_PYTHON";
/// Set to `1` where the peer must run (CI): a missing interpreter or httpx is then a failure
/// instead of an unsupported point.
pub const REQUIRE_VAR: &str = "TVC_REQUIRE_PYTHON";
/// The command that makes the python models runnable, from the workspace (or any) folder.
pub const ENABLE: &str = "python3 -m venv .venv && .venv/bin/pip install httpx==0.28.1, \
                          then run tvc with TVC_PYTHON=.venv/bin/python";

/// Imports what the script imports and says where and what it is.
const CHECK: &str = "import json, platform, sys\n\
                     import httpx, httpcore\n\
                     print(json.dumps({'executable': sys.executable, \
                     'python': platform.python_version(), 'httpx': httpx.__version__, \
                     'httpcore': httpcore.__version__}))";

/// A checked interpreter.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Interpreter {
    /// `sys.executable`: the interpreter itself, so a wrapper (a pyenv shim, a shell
    /// script) is not between the worker and the process `wait4` reports on.
    pub executable: PathBuf,
    pub python: String,
    pub httpx: String,
    pub httpcore: String,
}

/// The interpreter every python point uses, checked on first use in this process; the
/// error says why it cannot run and how to fix it.
pub fn interpreter() -> Result<&'static Interpreter, String> {
    static CHECKED: OnceLock<Result<Interpreter, String>> = OnceLock::new();
    CHECKED.get_or_init(check).as_ref().map_err(Clone::clone)
}

/// [`interpreter`] as a model error: unsupported, or a failure where the peer is required.
pub(crate) fn required() -> Result<&'static Interpreter, ModelError> {
    interpreter().map_err(|why| {
        if std::env::var(REQUIRE_VAR).is_ok_and(|v| v == "1") {
            ModelError::Start(io::Error::other(format!("{REQUIRE_VAR}=1, but {why}")))
        } else {
            ModelError::Unsupported(why)
        }
    })
}

fn check() -> Result<Interpreter, String> {
    let (program, named) = match std::env::var(PYTHON_VAR) {
        Ok(p) if !p.is_empty() => (p.clone(), format!("{PYTHON_VAR}={p}")),
        _ => (
            "python3".to_string(),
            format!("python3 ({PYTHON_VAR} unset)"),
        ),
    };
    let unusable = |what: String| {
        format!(
            "the python models need Python 3 with httpx, and {named} {what}; to enable them: \
             {ENABLE}"
        )
    };
    let out = Command::new(&program)
        .args(["-c", CHECK])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => unusable("was not found".into()),
            _ => unusable(format!("could not be started: {e}")),
        })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(unusable(format!(
            "failed to import httpx ({})",
            last.map_or_else(|| out.status.to_string(), |l| l.trim().to_string())
        )));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.trim())
        .map_err(|e| unusable(format!("answered the check unexpectedly ({e}): {stdout:?}")))
}

/// A finished interpreter process.
pub(crate) struct Finished {
    pub status: libc::c_int,
    pub stdout: String,
    /// The last few KiB of stderr, for the reason of a failure.
    pub stderr_tail: String,
    /// Its whole life, from `wait4`.
    pub usage: Usage,
    /// The worker's resident set when it forked the interpreter: `ru_maxrss` starts there.
    pub rss_floor_kib: u64,
}

impl Finished {
    pub fn success(&self) -> bool {
        libc::WIFEXITED(self.status) && libc::WEXITSTATUS(self.status) == 0
    }

    /// How it ended and the last lines it wrote to stderr, for an error message.
    pub fn describe(&self) -> String {
        let how = if libc::WIFSIGNALED(self.status) {
            format!("was killed by signal {}", libc::WTERMSIG(self.status))
        } else {
            format!("exited with code {}", libc::WEXITSTATUS(self.status))
        };
        let lines: Vec<&str> = self
            .stderr_tail
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let last = lines[lines.len().saturating_sub(2)..].join(" / ");
        if last.is_empty() {
            format!("the Python process {how}")
        } else {
            format!("the Python process {how}: {last}")
        }
    }
}

/// Runs `SCRIPT` with one argument and waits for it.
pub(crate) fn run(py: &Interpreter, script: &str, arg: &str) -> io::Result<Finished> {
    let mut command = Command::new(&py.executable);
    command
        .args(["-c", script, arg])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: prctl and getppid are async-signal-safe; nothing else runs between fork and
    // exec. A worker killed at the point timeout takes its interpreter with it, instead of
    // leaving it to go on sending requests.
    let parent = std::process::id() as libc::pid_t;
    unsafe {
        command.pre_exec(move || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
    let rss_floor_kib = Status::of_self().vm_rss_kib;
    let mut child = command.spawn()?;
    let pid = child.id() as libc::pid_t;
    let err = stderr_tail(child.stderr.take());
    let mut bytes = Vec::new();
    let read = match child.stdout.take() {
        Some(mut o) => o.read_to_end(&mut bytes).map(drop),
        None => Ok(()),
    };
    // Reaped here rather than by `Child::wait`, which would drop the resource usage.
    let (status, usage) = wait4(pid, 0)?
        .ok_or_else(|| io::Error::other("wait4 returned before the interpreter ended"))?;
    read?;
    Ok(Finished {
        status,
        stdout: String::from_utf8_lossy(&bytes).into_owned(),
        stderr_tail: err.join().unwrap_or_default(),
        usage,
        rss_floor_kib,
    })
}
