//! How charting fails: `DrawError` is what a drawing step returns inside the crate (the
//! backend's message), `PlotError` what a caller sees (which file could not be read, written
//! or drawn).

use std::path::PathBuf;
use tvc_results::ResultsError;

#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error(transparent)]
    Results(#[from] ResultsError),
    /// The OS error is the source, so `{:#}` prints it once.
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot draw {}: {message}", path.display())]
    Draw { path: PathBuf, message: String },
}

impl PlotError {
    /// Whether the user named a folder that holds no results (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(self, PlotError::Results(r) if r.is_usage())
    }
}

/// A drawing failure, with the backend's message; `render` names the file it was drawing.
pub(crate) struct DrawError(pub String);

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for DrawError
{
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}
