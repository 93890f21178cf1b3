//! A short calibration of the machine, taken at the start and the end of every run and kept
//! in env.json, so a reader can tell a slow machine from a slow model: the same three fixed
//! measurements on any day, against which a run's figures can be compared. Each is the
//! median of a few repetitions of a fixed amount of work.

use serde::{Deserialize, Serialize};
use std::os::fd::{FromRawFd, OwnedFd};
use std::time::Instant;

/// The machine's speed at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// One round of the cpu workload's hash loop ([`crate::work::cpu_unit`]), in ns: the
    /// core's speed.
    pub loop_ns: f64,
    /// One round trip between two threads over a std channel (a futex wake each way), in
    /// ns: the kernel's scheduler and wake-up path.
    pub futex_round_trip_ns: f64,
    /// One round trip of a byte between two threads over two pipes, in ns: a system call
    /// and a wake-up each way, as I/O readiness costs.
    pub pipe_round_trip_ns: f64,
    /// How long the calibration took, in ms.
    pub took_ms: f64,
}

const REPETITIONS: usize = 5;
const LOOP_ROUNDS: u64 = 400_000;
const ROUND_TRIPS: u32 = 2_000;

impl Calibration {
    /// Measures the machine now (about a quarter of a second).
    pub fn measure() -> Calibration {
        let start = Instant::now();
        let loop_ns = median(|| {
            let t = Instant::now();
            std::hint::black_box(crate::work::cpu_unit(7, LOOP_ROUNDS));
            t.elapsed().as_nanos() as f64 / LOOP_ROUNDS as f64
        });
        let futex_round_trip_ns = median(futex_round_trip);
        let pipe_round_trip_ns = median(|| pipe_round_trip().unwrap_or(f64::NAN));
        Calibration {
            loop_ns,
            futex_round_trip_ns,
            pipe_round_trip_ns,
            took_ms: start.elapsed().as_secs_f64() * 1e3,
        }
    }
}

fn median(mut f: impl FnMut() -> f64) -> f64 {
    let mut xs: Vec<f64> = (0..REPETITIONS).map(|_| f()).collect();
    xs.sort_by(f64::total_cmp);
    xs[REPETITIONS / 2]
}

fn futex_round_trip() -> f64 {
    let (ping_tx, ping_rx) = std::sync::mpsc::channel::<u32>();
    let (pong_tx, pong_rx) = std::sync::mpsc::channel::<u32>();
    let echo = std::thread::spawn(move || {
        while let Ok(v) = ping_rx.recv() {
            if pong_tx.send(v).is_err() {
                break;
            }
        }
    });
    let t = Instant::now();
    for i in 0..ROUND_TRIPS {
        let _ = ping_tx.send(i);
        let _ = pong_rx.recv();
    }
    let ns = t.elapsed().as_nanos() as f64 / f64::from(ROUND_TRIPS);
    drop(ping_tx);
    let _ = echo.join();
    ns
}

/// A pipe's two ends.
fn pipe() -> std::io::Result<(std::fs::File, std::fs::File)> {
    let mut fds = [0; 2];
    // SAFETY: pipe writes two fresh descriptors into the array we own; each is then owned
    // by exactly one File.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((r.into(), w.into()))
}

fn pipe_round_trip() -> std::io::Result<f64> {
    use std::io::{Read, Write};
    let (mut ping_r, mut ping_w) = pipe()?;
    let (mut pong_r, mut pong_w) = pipe()?;
    let echo = std::thread::spawn(move || {
        let mut b = [0u8; 1];
        while ping_r.read_exact(&mut b).is_ok() {
            if pong_w.write_all(&b).is_err() {
                break;
            }
        }
    });
    let mut b = [0u8; 1];
    let t = Instant::now();
    for _ in 0..ROUND_TRIPS {
        ping_w.write_all(&b)?;
        pong_r.read_exact(&mut b)?;
    }
    let ns = t.elapsed().as_nanos() as f64 / f64::from(ROUND_TRIPS);
    drop(ping_w);
    let _ = echo.join();
    Ok(ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_measures_three_plausible_figures() {
        let c = Calibration::measure();
        // A hash round is a few ns; a round trip through the kernel is µs, not ns or ms.
        assert!(c.loop_ns > 0.1 && c.loop_ns < 100.0, "{c:?}");
        assert!(
            c.futex_round_trip_ns > 500.0 && c.futex_round_trip_ns < 1e6,
            "{c:?}"
        );
        assert!(
            c.pipe_round_trip_ns > 500.0 && c.pipe_round_trip_ns < 1e6,
            "{c:?}"
        );
    }
}
