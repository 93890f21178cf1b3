//! Runs one worker child process: captures its output, kills it at a deadline, samples its
//! thread count from outside (so no harness thread runs inside the measured process), and
//! reaps it with `wait4`, whose resource usage covers the child's whole life.

use std::io::{self, Read};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};
use tvc_core::child::{stderr_tail, wait4};
use tvc_core::probe::{Status, Usage};

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    TimedOut,
    /// Killed because tvc itself was interrupted.
    Interrupted,
}

#[derive(Debug)]
pub struct Outcome {
    pub exit: Exit,
    pub stdout: String,
    /// The last few KiB of stderr, for the reason of a crash.
    pub stderr_tail: String,
    /// The child's rusage from `wait4`: its whole life, start-up and warm-up included.
    pub usage: Usage,
    /// The most threads the child had, sampled from `/proc/<pid>/status` every millisecond
    /// for its first second, then every 5 ms.
    pub peak_threads: Option<u64>,
}

/// Spawns `command`, waits at most `timeout`, and reaps it.
pub fn run(mut command: Command, timeout: Duration) -> io::Result<Outcome> {
    let mut child = crate::interrupt::own_child(&mut command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut stdout = child.stdout.take();
    let out = thread::spawn(move || {
        let mut s = String::new();
        if let Some(o) = stdout.as_mut() {
            let _ = o.read_to_string(&mut s);
        }
        s
    });
    let err = stderr_tail(child.stderr.take());

    let started = Instant::now();
    let deadline = started + timeout;
    let mut timed_out = false;
    let mut peak_threads = None;
    let (status, usage) = loop {
        if let Some(t) = Status::of(pid as u32).map(|s| s.threads).filter(|&t| t > 0) {
            peak_threads = peak_threads.max(Some(t));
        }
        let flags = if timed_out { 0 } else { libc::WNOHANG };
        match wait4(pid, flags)? {
            Some(done) => break done,
            None if Instant::now() >= deadline
                || (!timed_out && crate::interrupt::interrupted()) =>
            {
                // SAFETY: pid is our own unreaped child, the leader of its own process
                // group: the group goes, with any process it started (a peer's).
                unsafe { libc::kill(-pid, libc::SIGKILL) };
                timed_out = true;
            }
            // Finer at first, so a short run's threads are seen before it ends.
            None if started.elapsed() < Duration::from_secs(1) => {
                thread::sleep(Duration::from_millis(1))
            }
            None => thread::sleep(Duration::from_millis(5)),
        }
    };
    let exit = if timed_out && crate::interrupt::interrupted() {
        Exit::Interrupted
    } else if timed_out {
        Exit::TimedOut
    } else if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Code(libc::WEXITSTATUS(status))
    };
    Ok(Outcome {
        exit,
        stdout: out.join().unwrap_or_default(),
        stderr_tail: err.join().unwrap_or_default(),
        usage,
        peak_threads,
    })
}

/// A signal's name for a human (SIGABRT rather than 6).
pub fn signal_name(sig: i32) -> String {
    let name = match sig {
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGBUS => "SIGBUS",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        libc::SIGILL => "SIGILL",
        _ => return format!("signal {sig}"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    }

    #[test]
    fn captures_output_and_exit_code() {
        let o = run(
            sh("echo hello; echo oops >&2; exit 3"),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(o.exit, Exit::Code(3));
        assert_eq!(o.stdout, "hello\n");
        assert_eq!(o.stderr_tail, "oops\n");
    }

    #[test]
    fn reports_signals() {
        let o = run(sh("kill -ABRT $$"), Duration::from_secs(10)).unwrap();
        assert_eq!(o.exit, Exit::Signal(libc::SIGABRT));
        assert_eq!(signal_name(libc::SIGABRT), "SIGABRT");
    }

    #[test]
    fn kills_at_the_deadline() {
        let start = Instant::now();
        let o = run(sh("exec sleep 30"), Duration::from_millis(200)).unwrap();
        assert_eq!(o.exit, Exit::TimedOut);
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn reads_the_childs_rusage_and_threads() {
        let o = run(
            sh("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"),
            Duration::from_secs(30),
        )
        .unwrap();
        assert_eq!(o.exit, Exit::Code(0));
        assert!(o.usage.user_ms + o.usage.sys_ms >= 1.0, "{:?}", o.usage);
        assert_eq!(o.peak_threads, Some(1), "a shell has one thread");
    }
}
