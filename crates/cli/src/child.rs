//! Runs one worker child process: captures its output, kills it (and its process group,
//! with any peer it started) at a deadline, and reaps it with `wait4`, whose resource usage
//! covers the child's whole life. Nothing here reads the child while it runs: it counts its
//! own threads (see `tvc_core::Clock`), so no sampler shares the cores with the measured
//! window; the only other thread here wakes every [`WATCH`] to check the deadline and Ctrl-C.

use std::io::{self, Read};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use tvc_core::child::{stderr_tail, wait4};
use tvc_core::probe::Usage;

/// How often the watchdog looks at the deadline and for Ctrl-C.
pub const WATCH: Duration = Duration::from_millis(100);

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

    // The watchdog kills the child's process group at the deadline, or when tvc is
    // interrupted; this thread blocks in wait4 until the child ends either way.
    let done = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let (done, killed) = (done.clone(), killed.clone());
        let deadline = Instant::now() + timeout;
        thread::spawn(move || {
            while !done.load(Ordering::Acquire) {
                let now = Instant::now();
                if now >= deadline || crate::interrupt::interrupted() {
                    killed.store(true, Ordering::Release);
                    // SAFETY: pid is our own unreaped child (reaped only after this thread
                    // is joined), the leader of its own process group: the group goes,
                    // with any process it started (a peer's).
                    unsafe { libc::kill(-pid, libc::SIGKILL) };
                    return;
                }
                thread::sleep(WATCH.min(deadline - now));
            }
        })
    };
    // Waits without reaping (WNOWAIT), so the pid stays ours while the watchdog may still
    // signal it; reaped below once the watchdog has stopped.
    let waited = wait_exited(pid);
    done.store(true, Ordering::Release);
    let _ = watchdog.join();
    waited?;
    let (status, usage) =
        wait4(pid, 0)?.ok_or_else(|| io::Error::other("wait4 returned before the worker ended"))?;
    let timed_out = killed.load(Ordering::Acquire);
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
    })
}

/// Blocks until child `pid` has ended, leaving it to be reaped (`waitid` with `WNOWAIT`).
fn wait_exited(pid: libc::pid_t) -> io::Result<()> {
    loop {
        // SAFETY: waitid writes only into the siginfo we own.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
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
    fn reads_the_childs_rusage() {
        let o = run(
            sh("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"),
            Duration::from_secs(30),
        )
        .unwrap();
        assert_eq!(o.exit, Exit::Code(0));
        assert!(o.usage.user_ms + o.usage.sys_ms >= 1.0, "{:?}", o.usage);
    }

    /// While a child runs, the harness wakes only for its watchdog (every 100 ms), not a
    /// thread sampler (which woke every millisecond and shared the measured cores): counted
    /// as the whole test process's voluntary context switches over a one-second child.
    #[test]
    fn nothing_samples_the_child_while_it_runs() {
        let before = Usage::of_self();
        let o = run(sh("sleep 1"), Duration::from_secs(30)).unwrap();
        assert_eq!(o.exit, Exit::Code(0));
        let switches = Usage::of_self().since(&before).vol_ctx_switches;
        // About 10 watchdog ticks and a few for the pipes; a 1 ms sampler made ~1 000.
        assert!(switches < 100, "{switches} wake-ups while a 1 s child ran");
    }
}
