//! The built-in mock server as a child process of the orchestrator, so it never shares a
//! process (or an allocator, or a runtime) with the model being measured.

use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct ServerChild {
    child: Child,
    pub url: String,
}

impl ServerChild {
    /// Starts `tvc serve` on an ephemeral loopback port and waits for its address; its
    /// stderr is appended to `log` (or dropped).
    pub fn start(exe: &Path, log: Option<&Path>) -> Result<ServerChild> {
        let stderr = match log {
            Some(log) => Stdio::from(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(log)
                    .with_context(|| format!("cannot write {}", log.display()))?,
            ),
            None => Stdio::null(),
        };
        let mut command = Command::new(exe);
        let mut child = crate::interrupt::own_child(&mut command)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .context("cannot start the built-in mock server")?;
        let stdout = child.stdout.take().context("mock server has no stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
        let url = line.trim().to_string();
        if !url.starts_with("http://") {
            let _ = child.kill();
            let _ = child.wait();
            bail!("the built-in mock server did not report its address (got {url:?})");
        }
        Ok(ServerChild { child, url })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// How the server ended, if it has.
    pub fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            Ok(None) => None,
            Err(e) => Some(format!("cannot be waited for: {e}")),
        }
    }
}

impl Drop for ServerChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
