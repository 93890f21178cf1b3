//! A peer's process, kept for the worker's life: started on the first run, it greets with a
//! `TVC-PEER {"hello": ...}` line once it has started (its imports done, its runtime up), then
//! is sent one JSON line per run and answers one `TVC-PEER` line each; whatever else it
//! prints (the article's per-request lines) is read and dropped. A process that ends before
//! its greeting cannot run here at all; one that ends after it crashed at its work. It dies with the worker (`PR_SET_PDEATHSIG`), and
//! when it dies early the error says how it ended and what it last wrote to stderr.

use crate::PREFIX;
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::thread::JoinHandle;
use tvc_core::child::{stderr_tail, wait4};

/// How to start a peer's process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// What the peer is, for messages (`the Python peer`).
    pub name: String,
    pub program: PathBuf,
    pub args: Vec<String>,
    pub cwd: Option<PathBuf>,
    pub env: Vec<(String, String)>,
}

/// Why a run got no answer.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("{name} could not be started ({program}): {source}")]
    Start {
        name: String,
        program: String,
        #[source]
        source: io::Error,
    },
    /// It ended (or closed its output) before answering: how, and its last words; `fresh`
    /// when it had not greeted yet (it cannot run at all: a wrong program, a runtime that
    /// does not start), not a crash in the middle of its work.
    #[error("{why}")]
    Died { why: String, fresh: bool },
    #[error("{name}'s answer could not be read: {why}")]
    Garbled { name: String, why: String },
}

/// A running peer process.
pub struct Session {
    launch: Launch,
    /// Whether it has greeted (started up and is reading runs).
    greeted: bool,
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    stderr: Option<JoinHandle<String>>,
}

impl Session {
    pub fn start(launch: &Launch) -> Result<Session, SessionError> {
        let mut command = Command::new(&launch.program);
        command
            .args(&launch.args)
            .envs(launch.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(cwd) = &launch.cwd {
            command.current_dir(cwd);
        }
        // A worker killed at the point timeout takes its peer with it: the orchestrator kills
        // the worker's whole process group, which the peer is in, and the kernel kills the
        // peer when the thread that started it ends. That thread must be the process's main
        // one (the worker's), since a test's thread ends with its test while the kept peer is
        // still wanted; elsewhere the peer ends when its stdin closes with the process.
        // SAFETY: gettid and getpid only read; prctl and getppid are async-signal-safe and
        // nothing else runs between fork and exec.
        let main_thread = unsafe { libc::gettid() == libc::getpid() };
        let parent = std::process::id() as libc::pid_t;
        if main_thread {
            unsafe {
                command.pre_exec(move || {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    if libc::getppid() != parent {
                        libc::_exit(1);
                    }
                    Ok(())
                });
            }
        }
        let start = |source| SessionError::Start {
            name: launch.name.clone(),
            program: launch.program.display().to_string(),
            source,
        };
        let mut child = command.spawn().map_err(start)?;
        let missing = || start(io::Error::other("no pipe to the child"));
        let stdin = child.stdin.take().ok_or_else(missing)?;
        let stdout = BufReader::new(child.stdout.take().ok_or_else(missing)?);
        let stderr = Some(stderr_tail(child.stderr.take()));
        Ok(Session {
            launch: launch.clone(),
            greeted: false,
            child,
            stdin,
            stdout,
            stderr,
        })
    }

    /// Sends one request and waits for its answer line (without the prefix).
    pub fn call(&mut self, request: &serde_json::Value) -> Result<String, SessionError> {
        let line = format!("{request}\n");
        if self.stdin.write_all(line.as_bytes()).is_err() || self.stdin.flush().is_err() {
            return Err(self.died("before it was sent its run"));
        }
        if !self.greeted {
            let hello = self.next_line("before it started")?;
            if !hello.starts_with(r#"{"hello""#) {
                let name = self.launch.name.clone();
                let why = format!("its first line was not a greeting: {hello:.120}");
                return Err(SessionError::Garbled { name, why });
            }
            self.greeted = true;
        }
        self.next_line("without an answer")
    }

    /// The next line with the protocol's prefix (without it).
    fn next_line(&mut self, when: &str) -> Result<String, SessionError> {
        let mut out = String::new();
        loop {
            out.clear();
            match self.stdout.read_line(&mut out) {
                Ok(0) | Err(_) => return Err(self.died(when)),
                Ok(_) => {
                    if let Some(line) = out.strip_prefix(PREFIX) {
                        return Ok(line.trim_end().to_string());
                    }
                }
            }
        }
    }

    /// The peer ended: reaps it and says how, with the last lines it wrote to stderr.
    fn died(&mut self, when: &str) -> SessionError {
        let pid = self.child.id() as libc::pid_t;
        let how = match wait4(pid, 0) {
            Ok(Some((status, _))) if libc::WIFSIGNALED(status) => {
                format!("was killed by signal {}", libc::WTERMSIG(status))
            }
            Ok(Some((status, _))) => format!("exited with code {}", libc::WEXITSTATUS(status)),
            _ => "ended".to_string(),
        };
        let tail = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        let lines: Vec<&str> = tail
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        // A runtime's own fatal message (Go's `fatal error:`, its first `runtime:` line) says
        // more than the last lines of a trace after it.
        let fatal = lines.iter().find(|l| {
            ["fatal error", "runtime: ", "panic: ", "Exception in thread"]
                .iter()
                .any(|p| l.starts_with(p))
        });
        let mut last = lines[lines.len().saturating_sub(2)..].join(" / ");
        if let Some(f) = fatal.filter(|f| !last.contains(**f)) {
            last = format!("{f} / {last}");
        }
        let name = &self.launch.name;
        SessionError::Died {
            why: match last.is_empty() {
                true => format!("{name} {how} {when}"),
                false => format!("{name} {how} {when}: {last}"),
            },
            fresh: !self.greeted,
        }
    }
}

/// The worker's peer process: one at a time, started on first use and kept while runs ask
/// for the same launch (a worker runs one point, so one peer, warm-ups then the measured
/// run). A peer that died is started afresh by the next run.
static CURRENT: Mutex<Option<Session>> = Mutex::new(None);

impl SessionError {
    /// Whether the peer cannot run here at all (it could not start, or ended before its
    /// first answer), rather than failing in the middle of its work.
    pub fn cannot_run(&self) -> bool {
        matches!(
            self,
            SessionError::Start { .. } | SessionError::Died { fresh: true, .. }
        )
    }
}

/// Runs one request on the kept peer process for `launch`, starting it if needed.
pub fn call(launch: &Launch, request: &serde_json::Value) -> Result<String, SessionError> {
    let mut current = CURRENT.lock().unwrap_or_else(|p| p.into_inner());
    if current.as_ref().is_none_or(|s| s.launch != *launch) {
        *current = Some(Session::start(launch)?);
    }
    let Some(session) = current.as_mut() else {
        unreachable!("started above")
    };
    let answer = session.call(request);
    if answer.is_err() {
        *current = None;
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Launch {
        Launch {
            name: "the test peer".into(),
            program: "sh".into(),
            args: vec!["-c".into(), script.into()],
            cwd: None,
            env: vec![],
        }
    }

    #[test]
    fn a_kept_process_answers_each_line_and_skips_other_output() {
        let echo = sh("echo 'TVC-PEER {\"hello\":\"sh\"}'; \
             while read line; do echo chatter; echo \"TVC-PEER $line\"; done");
        let mut s = Session::start(&echo).unwrap();
        let a = s.call(&serde_json::json!({"run": 1})).unwrap();
        let b = s.call(&serde_json::json!({"run": 2})).unwrap();
        assert_eq!((a.as_str(), b.as_str()), (r#"{"run":1}"#, r#"{"run":2}"#));
        let pid = s.child.id();
        assert!(std::path::Path::new(&format!("/proc/{pid}")).exists());
    }

    #[test]
    fn a_crash_after_the_greeting_is_not_a_peer_that_cannot_run() {
        let crash = sh("echo 'TVC-PEER {\"hello\":\"sh\"}'; read line; \
             echo 'runtime: failed to create new OS thread' >&2; echo 'goroutine 1' >&2; \
             echo 'main.go:56' >&2; exit 2");
        let mut s = Session::start(&crash).unwrap();
        let e = s.call(&serde_json::json!({})).unwrap_err();
        assert!(!e.cannot_run(), "it greeted, then crashed at its work");
        let e = e.to_string();
        assert!(
            e.contains("failed to create new OS thread") && e.contains("main.go"),
            "{e}"
        );
    }

    #[test]
    fn a_peer_that_dies_says_how_and_its_last_words() {
        let mut s = Session::start(&sh("read line; echo 'Traceback: boom' >&2; exit 3")).unwrap();
        // It never greeted: it cannot run here.
        let e = s.call(&serde_json::json!({})).unwrap_err();
        assert!(e.cannot_run(), "it never answered");
        let e = e.to_string();
        assert!(
            e.contains("exited with code 3") && e.contains("boom"),
            "{e}"
        );
        let missing = Launch {
            program: "/no/such/interpreter".into(),
            ..sh("")
        };
        let e = Session::start(&missing)
            .err()
            .expect("not started")
            .to_string();
        assert!(e.contains("/no/such/interpreter"), "{e}");
    }
}
