//! tvc-results: the one definition of the results files. A run folder holds
//!
//! - `raw.csv`: one [`RawRow`] per point and repetition, appended as each finishes;
//! - `summary.csv`: one [`SummaryRow`] per point and figure, median and interval;
//! - `fits.csv`: one [`FitRow`] per model variant and per-unit figure of the park workload;
//! - `env.json`: what the numbers depend on (written by the orchestrator, read as [`Env`]).
//!
//! The point key ([`PointKey`]) is defined once and embedded in every row type; every column
//! is declared once ([`record!`], [`figures!`]) and the header, the writer and the reader come
//! from that declaration. The orchestrator writes through [`RunWriter`]; charts and the report
//! read through [`Run`]. Statistics are computed by one module ([`stats`]): summaries and fits
//! are made when the run is written, and read back, never recomputed.

pub mod columns;
pub mod compare;
pub mod direction;
pub mod files;
pub mod fits;
pub mod format;
pub mod key;
pub mod raw;
pub mod reader;
pub mod stats;
pub mod study;
pub mod summary;
pub mod writer;

pub use fits::FitRow;
pub use key::PointKey;
pub use raw::{Figures, RawRow, Status};
pub use reader::{Env, Run, ThreadLimit};
pub use stats::{least_squares, speedup, summarize, Stat};
pub use summary::SummaryRow;
pub use writer::RunWriter;

use std::path::PathBuf;

/// What can go wrong with results files.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// The user named a folder that holds no results: their mistake, said once.
    #[error("{} is not a results folder: {why}", dir.display())]
    NotAResultsFolder { dir: PathBuf, why: String },
    /// The OS error is the source, so `{:#}` prints it once.
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: line {line}: {message}", path.display())]
    Malformed {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{}: not valid JSON: {message}", path.display())]
    Json { path: PathBuf, message: String },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl ResultsError {
    /// Whether the error is the user's to fix (a wrong folder), not a failure of tvc's.
    pub fn is_usage(&self) -> bool {
        matches!(self, ResultsError::NotAResultsFolder { .. })
    }
}

/// Reads a raw.csv (for tests and tools that look at rows directly).
pub fn read_raw(path: &std::path::Path) -> Result<Vec<RawRow>, ResultsError> {
    files::read_csv(path)
}
