//! The model crates' own code for each workload, as index.html shows it side by side: the
//! files are taken in at build time (build.rs, one `include_str!` each), so the page shows the
//! code that was built with it, and each line is marked by how many models share it, so what
//! differs between two models stands out without a diff tool.

use tvc_core::registry::ModelInfo;
use tvc_core::Workload;

/// One workload file of one model crate.
#[derive(Debug)]
pub struct Source {
    /// The model's registry name (also its crate's folder).
    pub model: &'static str,
    /// The workload's name (`Workload::name`).
    pub workload: &'static str,
    /// The file's stem: a workload may have more than one file (the switch ring's socket
    /// medium is `switch_io`).
    pub stem: &'static str,
    /// The file, relative to the repository.
    pub path: &'static str,
    pub text: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/sources.rs"));

/// The file `model` runs `workload` from, when its crate has one (the main one, when the
/// workload has several).
pub fn source(model: &str, workload: Workload) -> Option<&'static Source> {
    let stem = *stems(workload).first()?;
    source_in(model, workload, stem)
}

/// The file of `workload` named `stem` in `model`'s crate, when it has one.
pub fn source_in(model: &str, workload: Workload, stem: &str) -> Option<&'static Source> {
    SOURCES
        .iter()
        .find(|s| s.model == model && s.workload == workload.name() && s.stem == stem)
}

/// The file stems of a workload that some model has, main one first.
pub fn stems(workload: Workload) -> Vec<&'static str> {
    let mut stems: Vec<&'static str> = Vec::new();
    for s in SOURCES.iter().filter(|s| s.workload == workload.name()) {
        if !stems.contains(&s.stem) {
            stems.push(s.stem);
        }
    }
    stems.sort_by_key(|s| *s != workload.name() && *s != "shared");
    stems
}

/// How a line of one model's file stands against the same workload's files of the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Blank: not compared.
    Blank,
    /// A comment: it explains, it does not run, so it is not compared.
    Comment,
    /// The same line (ignoring indentation) is in every model's file.
    Everywhere,
    /// In this model's file only: where this model differs from all the others.
    Own,
    /// In some models' files but not all.
    Some,
}

impl Mark {
    /// The CSS class index.html gives the line.
    pub fn class(self) -> &'static str {
        match self {
            Mark::Blank => "blank",
            Mark::Comment => "comment",
            Mark::Everywhere => "same",
            Mark::Own => "own",
            Mark::Some => "some",
        }
    }
}

/// A line as it is compared: without indentation, runs of spaces as one.
fn normal(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The marks of every line of every file, compared with each other (`texts[i]`'s lines get
/// `marks[i]`).
pub fn marks(texts: &[&str]) -> Vec<Vec<Mark>> {
    let sets: Vec<std::collections::HashSet<String>> = texts
        .iter()
        .map(|t| t.lines().map(normal).collect())
        .collect();
    texts
        .iter()
        .map(|t| {
            t.lines()
                .map(|line| {
                    let n = normal(line);
                    if n.is_empty() {
                        return Mark::Blank;
                    }
                    if n.starts_with("//") {
                        return Mark::Comment;
                    }
                    match sets.iter().filter(|s| s.contains(&n)).count() {
                        c if c == texts.len() && c > 1 => Mark::Everywhere,
                        1 if texts.len() > 1 => Mark::Own,
                        _ => Mark::Some,
                    }
                })
                .collect()
        })
        .collect()
}

/// The models of the registry, each with its file for `workload` (or none: the model does
/// not express that workload in a file of its own).
pub fn panels(
    models: &[&'static ModelInfo],
    workload: Workload,
    stem: &str,
) -> Vec<(&'static ModelInfo, Option<&'static Source>)> {
    models
        .iter()
        .map(|m| (*m, source_in(m.name, workload, stem)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workload_is_in_the_threads_crate() {
        for w in Workload::ALL {
            let s = source("threads", w).unwrap_or_else(|| panic!("{}", w.name()));
            assert!(s.path.starts_with("crates/threads/src/"), "{}", s.path);
            assert!(s.text.starts_with("//!"), "{}", s.path);
        }
        assert!(source("no-such-model", Workload::Http).is_none());
    }

    #[test]
    fn lines_are_marked_by_how_many_files_hold_them() {
        let a = "//! a\nfn run() {\n    spawn();\n\n    join();\n}";
        let b = "//! b\nfn run() {\n  spawn();\n    wait();\n}";
        let c = "//! c\nfn run() {\n    task();\n}";
        let m = marks(&[a, b, c]);
        use Mark::*;
        assert_eq!(m[0], [Comment, Everywhere, Some, Blank, Own, Everywhere]);
        assert_eq!(m[1], [Comment, Everywhere, Some, Own, Everywhere]);
        assert_eq!(m[2], [Comment, Everywhere, Own, Everywhere]);
        // One file alone has nothing to differ from.
        assert_eq!(marks(&["x();"])[0], [Some]);
    }
}
