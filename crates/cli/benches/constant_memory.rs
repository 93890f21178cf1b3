//! `cargo bench --bench constant_memory`: the tokio model's peak RSS at 1 000 000 requests
//! is at most 1.2× its peak RSS at 10 000 (same concurrency, delay 0, loopback), measured
//! by `tvc run` itself (each point in its own worker process, peak RSS from wait4). Prints
//! both figures; exits non-zero when the bound does not hold.

use std::process::{Command, ExitCode};
use tvc_results::{read_raw, Status};

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; a filter that is not ours means "not this bench".
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"constant_memory".contains(&a))
    {
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("constant_memory: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<bool, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("constant-memory.toml");
    std::fs::write(
        &file,
        "name = \"constant-memory\"\nworkload = \"http\"\nmodels = [\"tokio\"]\n\
         repetitions = 1\nwarmup = 0\n[http]\nn = [10000, 1000000]\nconcurrency = 50\n",
    )?;
    let out = Command::new(env!("CARGO_BIN_EXE_tvc"))
        .args(["run", &file.to_string_lossy(), "--out"])
        .arg(dir.path())
        .output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let results = stdout
        .lines()
        .last()
        .ok_or("tvc printed no results folder")?;
    let rows = read_raw(&std::path::Path::new(results.trim()).join("raw.csv"))?;
    let mut rss = Vec::new();
    for n in [10_000u64, 1_000_000] {
        let r = rows
            .iter()
            .find(|r| r.key.n == n)
            .ok_or("a row is missing")?;
        if r.status != Status::Ok {
            return Err(format!("n = {n}: {} {}", r.status.name(), r.reason).into());
        }
        let kib = r.figures.peak_rss_kib.ok_or("no peak RSS")?;
        println!(
            "tokio, C = 50, n = {n:>9}: peak RSS {:.1} MiB, {:.0} req/s",
            kib as f64 / 1024.0,
            r.figures.throughput_per_s.unwrap_or(0.0)
        );
        rss.push(kib as f64);
    }
    let ratio = rss[1] / rss[0];
    let holds = ratio <= 1.2;
    println!(
        "peak RSS at 10^6 / at 10^4 = {ratio:.3} (bound 1.2): {}",
        if holds { "holds" } else { "DOES NOT HOLD" }
    );
    Ok(holds)
}
