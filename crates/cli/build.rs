//! Records what built this binary, so env.json and the report can say which code made the
//! numbers: the compiler, and the commit with whether the sources differed from it (read at
//! build time: a binary run from an edited tree, or a clean binary run from an edited tree,
//! says what it was built from).

use std::path::Path;
use std::process::Command;

/// What the measured code is made of, relative to the workspace root.
const SOURCES: &[&str] = &["crates", "experiments", "Cargo.toml", "Cargo.lock"];

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = output(Command::new(rustc).arg("--version")).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=TVC_RUSTC_VERSION={version}");

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // --no-optional-locks: `git status` would otherwise refresh the index file, which this
    // script watches, so the next cargo command (the test command after the main job) would
    // run it again and rebuild the binary for nothing.
    let git = |args: &[&str]| {
        let mut git = Command::new("git");
        git.arg("--no-optional-locks")
            .arg("-C")
            .arg(&root)
            .args(args);
        output(&mut git)
    };
    let commit = git(&["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let mut status = vec!["status", "--porcelain", "--"];
    status.extend(SOURCES);
    let dirty = git(&status).is_some_and(|s| !s.is_empty());
    println!("cargo:rustc-env=TVC_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=TVC_GIT_DIRTY={dirty}");

    // Run again when a source or the checked-out commit changes (only paths that exist:
    // a missing one would make cargo run this script on every build).
    println!("cargo:rerun-if-changed=build.rs");
    let git_dir = git(&["rev-parse", "--git-dir"]).map(|d| root.join(d));
    let watched = SOURCES.iter().map(|s| root.join(s)).chain(
        git_dir
            .iter()
            .flat_map(|g| [g.join("HEAD"), g.join("index"), g.join("refs")]),
    );
    for path in watched.filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok().filter(|o| o.status.success())?;
    Some(String::from_utf8(out.stdout).ok()?.trim().to_string())
}
