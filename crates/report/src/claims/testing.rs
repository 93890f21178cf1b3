//! Small runs for the claims' unit tests, written as raw.csv text the way `tvc run` writes
//! it: each line stands for three repetitions with its last cell spread by ±1 % (rounded when
//! the cell is a count), so every median has a real interval and stays the value written.

use std::path::Path;
use tvc_results::Run;

pub const ENV: &str = r#"{"machine": {"cpus": 2}, "experiment": {"name": "t"}}"#;

/// A run of `lines` (CSV under `header`), each repeated three times.
pub fn run(header: &str, lines: &[&str]) -> Run {
    let mut csv = format!("{header}\n");
    for line in lines {
        let (head, last) = line.rsplit_once(',').unwrap_or((line, ""));
        for k in [0.99, 1.0, 1.01] {
            let spread = match (last.parse::<u64>(), last.parse::<f64>()) {
                (Ok(count), _) => (count as f64 * k).round().to_string(),
                (_, Ok(v)) => (v * k).to_string(),
                _ => last.to_string(),
            };
            csv.push_str(&format!("{head},{spread}\n"));
        }
    }
    Run::from_texts(Path::new("test-run"), &csv, ENV, None).expect("valid test CSV")
}
