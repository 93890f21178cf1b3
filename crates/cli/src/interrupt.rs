//! Ctrl-C and SIGTERM during a run: the first stops the run after (killing) the point in
//! progress, keeping every finished row and writing the summary; a second exits at once.
//! Children run in their own process group, so the terminal's Ctrl-C reaches tvc only,
//! and die with it (PR_SET_PDEATHSIG) if tvc itself is killed.

use std::os::unix::process::CommandExt;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The exit code of an interrupted run (128 + SIGINT), as shells expect.
pub const EXIT_INTERRUPTED: u8 = 130;

extern "C" fn on_signal(_: libc::c_int) {
    if INTERRUPTED.swap(true, Ordering::SeqCst) {
        // Second signal: leave now (async-signal-safe).
        unsafe { libc::_exit(EXIT_INTERRUPTED as libc::c_int) };
    }
}

/// Installs the handlers for SIGINT and SIGTERM.
pub fn install() {
    // SAFETY: the handler only touches an atomic and calls _exit.
    unsafe {
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
    }
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Detaches a child from the terminal's process group and ties its life to ours.
pub fn own_child(command: &mut Command) -> &mut Command {
    command.process_group(0);
    // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    command
}

/// The error a run returns when it was interrupted (after writing what it had).
#[derive(Debug, thiserror::Error)]
#[error("interrupted: the results folder keeps the {done} of {total} points finished before the signal: {dir}")]
pub struct Interrupted {
    pub done: usize,
    pub total: usize,
    pub dir: String,
}
