//! The results files on disk: reading a CSV of records (naming the file and line of a bad
//! cell), writing one record as one line, and replacing a file atomically.

use crate::columns::{cells, header, Columns, RowView};
use crate::ResultsError;
use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::path::Path;

/// Reads a CSV file of records.
pub fn read_csv<R: Columns>(path: &Path) -> Result<Vec<R>, ResultsError> {
    parse_csv(&read_text(path)?, path)
}

/// A file's whole text; the error names the file.
pub fn read_text(path: &Path) -> Result<String, ResultsError> {
    std::fs::read_to_string(path).map_err(|source| ResultsError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses CSV text with its header line; `path` names it in errors.
pub fn parse_csv<R: Columns>(text: &str, path: &Path) -> Result<Vec<R>, ResultsError> {
    let malformed = |line: u64, message: String| ResultsError::Malformed {
        path: path.to_path_buf(),
        line,
        message,
    };
    if text.trim().is_empty() {
        return Err(malformed(1, "the file is empty (no header line)".into()));
    }
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let index: HashMap<String, usize> = reader
        .headers()
        .map_err(|e| malformed(1, e.to_string()))?
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_string(), i))
        .collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| {
            malformed(
                e.position().map(|p| p.line()).unwrap_or(line),
                e.to_string(),
            )
        })?;
        let row = R::read(
            "",
            &RowView {
                index: &index,
                record: &record,
            },
        )
        .map_err(|m| malformed(record.position().map(|p| p.line()).unwrap_or(line), m))?;
        rows.push(row);
    }
    Ok(rows)
}

/// A CSV line of `cells`, quoted where needed, with its newline.
pub fn csv_line<I: IntoIterator<Item = S>, S: AsRef<[u8]>>(cells: I) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(cells);
    w.into_inner().unwrap_or_default()
}

/// The header line of a record type.
pub fn header_line<R: Columns>() -> Vec<u8> {
    csv_line(header::<R>())
}

/// A whole CSV text (header and lines) of `records`.
pub fn csv_text<R: Columns>(records: &[R]) -> Vec<u8> {
    let mut out = header_line::<R>();
    for r in records {
        out.extend(csv_line(cells(r)));
    }
    out
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`, so a crash
/// leaves either the old file or the new one, never half of one.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), ResultsError> {
    let tmp = path.with_extension("tmp");
    let write = || -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|source| ResultsError::Write {
        path: path.to_path_buf(),
        source,
    })
}
