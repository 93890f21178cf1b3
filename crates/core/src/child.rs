//! What the harness reads from a child process it started (a worker, or a peer's
//! interpreter): its end with its resource usage, and the tail of its stderr for the reason
//! of a failure. One copy for the orchestrator and the peer, so both read children alike.

use crate::probe::Usage;
use std::io::{self, Read};
use std::process::ChildStderr;
use std::thread::{self, JoinHandle};

/// How much of a child's stderr is kept: its last 4 KiB, where a panic or traceback ends.
pub const STDERR_TAIL: usize = 4096;

/// Reads `stderr` to its end on a thread of its own (so a chatty child never blocks on a
/// full pipe) and hands back its last [`STDERR_TAIL`] bytes, lossily decoded.
pub fn stderr_tail(stderr: Option<ChildStderr>) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut e) = stderr {
            let _ = e.read_to_end(&mut buf);
        }
        let start = buf.len().saturating_sub(STDERR_TAIL);
        String::from_utf8_lossy(&buf[start..]).into_owned()
    })
}

/// Reaps child `pid` with `wait4`, which, unlike `Child::wait`, also hands back the child's
/// resource usage over its whole life. `flags` as for `wait4` (`WNOHANG`: `None` while the
/// child runs). An interrupted wait is retried.
pub fn wait4(pid: libc::pid_t, flags: libc::c_int) -> io::Result<Option<(libc::c_int, Usage)>> {
    let mut status = 0;
    // SAFETY: wait4 writes only into the two values we own.
    let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let r = unsafe { libc::wait4(pid, &mut status, flags, &mut rusage) };
        match r {
            0 => return Ok(None),
            r if r == pid => return Ok(Some((status, Usage::from_rusage(&rusage)))),
            _ => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
}
