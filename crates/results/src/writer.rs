//! Writing a run as it is measured: each raw row is appended to raw.csv and flushed as one
//! line, then summary.csv (and, for the park workload, fits.csv) is rewritten atomically
//! from every row so far, so an interrupted run keeps everything it measured.

use crate::columns::cells;
use crate::files::{atomic_write, csv_line, csv_text, header_line};
use crate::fits::{fits, FitRow};
use crate::raw::RawRow;
use crate::summary::summarize_rows;
use crate::ResultsError;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use tvc_core::Workload;

/// The file names of a results folder.
pub const RAW: &str = "raw.csv";
pub const SUMMARY: &str = "summary.csv";
pub const FITS: &str = "fits.csv";
pub const ENV: &str = "env.json";

/// The results files of one run, being written.
pub struct RunWriter {
    dir: PathBuf,
    raw: File,
    rows: Vec<RawRow>,
}

impl RunWriter {
    /// Starts raw.csv in `dir` with its header; an existing raw.csv is never overwritten.
    pub fn create(dir: &Path) -> Result<RunWriter, ResultsError> {
        let path = dir.join(RAW);
        let raw = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)
            .map_err(|source| ResultsError::Write {
                path: path.clone(),
                source,
            })?;
        let mut w = RunWriter {
            dir: dir.to_path_buf(),
            raw,
            rows: Vec::new(),
        };
        w.write_raw(&header_line::<RawRow>())?;
        Ok(w)
    }

    /// Appends one row (a single write of a whole line, flushed), then rewrites the
    /// summary and the fits from every row so far.
    pub fn append(&mut self, row: RawRow) -> Result<(), ResultsError> {
        self.write_raw(&csv_line(cells(&row)))?;
        self.rows.push(row);
        atomic_write(
            &self.dir.join(SUMMARY),
            &csv_text(&summarize_rows(&self.rows)),
        )?;
        if self.rows.iter().any(|r| r.key.workload == Workload::Park) {
            atomic_write(&self.dir.join(FITS), &csv_text::<FitRow>(&fits(&self.rows)))?;
        }
        Ok(())
    }

    /// Every row written so far.
    pub fn rows(&self) -> &[RawRow] {
        &self.rows
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn write_raw(&mut self, line: &[u8]) -> Result<(), ResultsError> {
        self.raw
            .write_all(line)
            .and_then(|_| self.raw.flush())
            .map_err(|source| ResultsError::Write {
                path: self.dir.join(RAW),
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::PointKey;
    use crate::raw::Status;
    use crate::reader::Run;

    fn row(rep: u32, wall: Option<f64>, status: Status) -> RawRow {
        let key = PointKey {
            experiment: "e".into(),
            model: "tokio".into(),
            variant: "default".into(),
            n: 10,
            ..PointKey::default()
        };
        let mut r = RawRow::new(key, rep, 1, "http://127.0.0.1:1", "t".into());
        r.status = status;
        r.figures.wall_ms = wall;
        r.reason = "a, \"quoted\"\nreason".into();
        r
    }

    #[test]
    fn rows_round_trip_and_the_header_has_the_contract_columns() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = RunWriter::create(dir.path()).unwrap();
        w.append(row(1, Some(12.5), Status::Ok)).unwrap();
        w.append(row(2, None, Status::Timeout)).unwrap();
        std::fs::write(dir.path().join(ENV), "{}").unwrap();
        let run = Run::load(dir.path()).unwrap();
        assert_eq!(run.raw, w.rows());
        let cols = crate::columns::header::<RawRow>();
        for c in [
            "experiment",
            "workload",
            "model",
            "variant",
            "n",
            "concurrency",
            "delay_ms",
            "keep_alive",
            "rep",
            "status",
            "reason",
            "wall_ms",
            "throughput_per_s",
            "p50_ms",
            "p90_ms",
            "p99_ms",
            "max_ms",
            "errors",
            "peak_rss_kib",
            "vm_peak_kib",
            "user_ms",
            "sys_ms",
            "vol_ctx_switches",
            "invol_ctx_switches",
            "threads",
        ] {
            assert!(cols.contains(&c), "missing column {c}");
        }
        // create_new: an existing raw.csv is never overwritten.
        assert!(RunWriter::create(dir.path()).is_err());
        // The summary was rewritten after each row and reads back as the one statistic.
        let p = run.points().next().unwrap().clone();
        assert_eq!(run.stat(&p, "wall_ms").unwrap().median, 12.5);
        assert_eq!(run.statuses(&p), "ok=1;timeout=1");
    }
}
