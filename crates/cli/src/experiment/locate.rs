//! Where a key sits in an experiment file, so every error names the file, the line and the
//! key: TOML's own errors carry a byte span; the parser's later checks look the key up.

use std::fmt;
use std::path::{Path, PathBuf};

/// A mistake in an experiment file.
#[derive(Debug, thiserror::Error)]
pub struct ExperimentError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
    /// The file is fine but asks more than this machine allows (open files, threads): a
    /// limit of the machine, not a mistake in the file.
    pub machine_limit: bool,
}

impl fmt::Display for ExperimentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// An experiment file's text, for locating its keys in errors.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl Source<'_> {
    /// An error at a line, about a key.
    pub fn error(
        &self,
        line: Option<usize>,
        key: Option<&str>,
        message: String,
    ) -> ExperimentError {
        ExperimentError {
            file: self.path.to_path_buf(),
            line,
            key: key.map(str::to_string),
            message,
            machine_limit: false,
        }
    }

    /// An error about `key` set in `[section]` (the top level when `None`).
    pub fn at(&self, section: Option<&str>, key: &str, message: String) -> ExperimentError {
        self.error(self.key_line(section, key), Some(key), message)
    }

    /// An error about the table `[table]`.
    pub fn at_table(&self, table: &str, message: String) -> ExperimentError {
        self.error(self.table_line(table), Some(table), message)
    }

    /// An error TOML reported at a byte offset: the line, and the key that line sets.
    pub fn at_offset(&self, offset: Option<usize>, message: String) -> ExperimentError {
        match offset {
            Some(offset) => {
                let (line, text) = self.line_at(offset);
                self.error(Some(line), key_in_line(text).as_deref(), message)
            }
            None => self.error(None, None, message),
        }
    }

    /// The line of a `[table]` header.
    pub fn table_line(&self, table: &str) -> Option<usize> {
        self.text
            .lines()
            .position(|l| l.trim().starts_with('[') && key_in_line(l).as_deref() == Some(table))
            .map(|i| i + 1)
    }

    /// The line where `key` is set inside `[section]` (top level when `None`).
    pub fn key_line(&self, section: Option<&str>, key: &str) -> Option<usize> {
        let mut current: Option<String> = None;
        for (i, line) in self.text.lines().enumerate() {
            let t = line.trim();
            if t.starts_with('[') {
                current = key_in_line(t);
                continue;
            }
            if current.as_deref() == section && key_in_line(t).as_deref() == Some(key) {
                return Some(i + 1);
            }
        }
        None
    }

    /// One-based line number of `offset` and that line's text.
    fn line_at(&self, offset: usize) -> (usize, &str) {
        let offset = offset.min(self.text.len());
        let line = self.text[..offset].matches('\n').count() + 1;
        let text = self.text.lines().nth(line - 1).unwrap_or("");
        (line, text)
    }
}

/// The key a TOML line sets (`key = ...`) or opens (`[table]`).
fn key_in_line(text: &str) -> Option<String> {
    let t = text.trim();
    if let Some(table) = t.strip_prefix('[') {
        return Some(
            table
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string(),
        );
    }
    let (key, _) = t.split_once('=')?;
    Some(key.trim().trim_matches('"').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_in_their_section() {
        let text = "a = 1\n[x]\na = 2\n[x.y]\n\"a\" = 3\n";
        let s = Source {
            path: Path::new("f.toml"),
            text,
        };
        assert_eq!(s.key_line(None, "a"), Some(1));
        assert_eq!(s.key_line(Some("x"), "a"), Some(3));
        assert_eq!(s.key_line(Some("x.y"), "a"), Some(5));
        assert_eq!(s.table_line("x.y"), Some(4));
        assert_eq!(
            s.at_offset(Some(8), "m".into()).to_string(),
            "f.toml:2: key `x`: m"
        );
    }
}
