//! The peers' toolchains, from the package registries, pinned: one Python virtual
//! environment under `target/peers/`, made from a requirements file (every package at an
//! exact version) by the machine's `python3` and pip, once. Its folder is named by the
//! requirements' digest, so new pins make a new environment and never half-update an old
//! one; it counts as made only once a marker is written at the very end, so one left half
//! made (no network, a full disk, Ctrl-C) is removed and made again, never used. Two tvc
//! processes setting it up at once take turns (an advisory lock).

use crate::place::{digest, peers_dir};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Set by the orchestrator for its workers when the environment could not be set up: why.
pub const SETUP_ERROR_VAR: &str = "TVC_PEERS_SETUP_ERROR";
/// Set (to `1`) by `--no-peers`: every peer is skipped.
pub const NO_PEERS_VAR: &str = "TVC_NO_PEERS";

/// A peer's program (an interpreter, a compiler, a runtime) and how it was found: named by
/// `var` (`none` skips the peer), else in the environment set up from `requirements` by
/// `find`, else `fallback` from `PATH`. The error says why there is none.
pub fn tool(
    var: &str,
    requirements: &str,
    find: impl FnOnce(&PythonEnv) -> Option<PathBuf>,
    fallback: &str,
) -> Result<(PathBuf, String), String> {
    if std::env::var(NO_PEERS_VAR).is_ok_and(|v| v == "1") {
        return Err("the peers were skipped (--no-peers)".into());
    }
    match std::env::var(var) {
        Ok(p) if p == "none" => return Err(format!("skipped ({var}=none)")),
        Ok(p) if !p.is_empty() => return Ok((PathBuf::from(&p), format!("{var}={p}"))),
        _ => {}
    }
    if let Ok(why) = std::env::var(SETUP_ERROR_VAR) {
        return Err(format!("the peers' environment could not be set up: {why}"));
    }
    let found = find_env(requirements).and_then(|env| Some((find(&env)?, env.dir)));
    Ok(match found {
        Some((path, dir)) => (path, format!("from {}", dir.display())),
        None => (
            PathBuf::from(fallback),
            format!("{fallback} from PATH ({var} unset, no environment set up yet)"),
        ),
    })
}

/// Written last into a finished environment.
pub const COMPLETE: &str = ".tvc-complete";

/// A finished environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonEnv {
    pub dir: PathBuf,
    /// Its interpreter.
    pub python: PathBuf,
}

/// Why an environment could not be made; each says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(
        "no Python interpreter to make it with ({base}: {source}); install Python 3.11 or \
         later, or name one with TVC_PYTHON"
    )]
    NoPython {
        base: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "{base} could not make a virtual environment ({why}); on Debian or Ubuntu: apt-get \
         install python3-venv"
    )]
    NoVenv { base: String, why: String },
    #[error(
        "pip could not install the pinned packages from the package index ({why}); check \
         the network, or install them yourself and name that interpreter with TVC_PYTHON"
    )]
    Pip { why: String },
    #[error("cannot write the environment in {}: {source}", dir.display())]
    Io {
        dir: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Set to `1` to let the tests that need the peers skip (saying so) where the peers cannot
/// be set up; by default such a test fails with the reason, since a skipped test is not a
/// pass.
pub const SKIP_PEERS_VAR: &str = "TVC_SKIP_PEERS";

/// For a test that needs the peers: sets their environment up (once per process, under the
/// same lock as the main job's set-up) and says whether the test can run. Where it cannot,
/// the test fails with the reason, unless [`SKIP_PEERS_VAR`]`=1`, when it prints that it did
/// not run and returns `false`.
pub fn ready_for_tests() -> bool {
    static READY: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    let ready = READY.get_or_init(|| {
        if std::env::var(NO_PEERS_VAR).is_ok_and(|v| v == "1") {
            return Err(format!("{NO_PEERS_VAR}=1"));
        }
        ensure(crate::REQUIREMENTS, "python3", &mut |s| {
            eprintln!("tvc: {s}")
        })
        .map(drop)
        .map_err(|e| e.to_string())
    });
    match ready {
        Ok(()) => true,
        Err(why) if std::env::var(SKIP_PEERS_VAR).is_ok_and(|v| v == "1") => {
            println!("NOT RUN ({SKIP_PEERS_VAR}=1): the peers could not be set up: {why}");
            false
        }
        Err(why) => panic!(
            "this test needs the peers, which could not be set up here: {why} (set \
             {SKIP_PEERS_VAR}=1 to let it skip, saying so)"
        ),
    }
}

/// Where the environment for `requirements` lives.
pub fn env_dir(requirements: &str) -> PathBuf {
    peers_dir().join(format!("python-env-{}", digest([requirements])))
}

fn python_in(dir: &Path) -> PathBuf {
    dir.join("bin").join("python")
}

/// Where a package of a finished environment is installed (`site-packages/<name>`).
pub fn package(env: &PythonEnv, name: &str) -> Option<PathBuf> {
    let lib = std::fs::read_dir(env.dir.join("lib")).ok()?;
    lib.flatten()
        .map(|d| d.path().join("site-packages").join(name))
        .find(|p| p.exists())
}

/// The finished environment for `requirements`, if there is one.
pub fn find_env(requirements: &str) -> Option<PythonEnv> {
    let dir = env_dir(requirements);
    let python = python_in(&dir);
    (dir.join(COMPLETE).is_file() && python.exists()).then_some(PythonEnv { dir, python })
}

/// The environment for `requirements`, made with `base` (e.g. `python3`) when there is none
/// yet; `say` hears what is being done and how long it took.
pub fn ensure(
    requirements: &str,
    base: &str,
    say: &mut dyn FnMut(String),
) -> Result<PythonEnv, SetupError> {
    if let Some(env) = find_env(requirements) {
        return Ok(env);
    }
    let dir = env_dir(requirements);
    let io_error = |source| SetupError::Io {
        dir: dir.clone(),
        source,
    };
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io_error)?;
    let _lock = Lock::take(&parent.join("python-env.lock")).map_err(io_error)?;
    // Made by another process while this one waited for the lock.
    if let Some(env) = find_env(requirements) {
        return Ok(env);
    }
    let started = Instant::now();
    say(format!(
        "setting up the peers' environment in {} (once; pinned packages from the \
         package index)",
        dir.display()
    ));
    let made = make(&dir, requirements, base);
    if made.is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let env = made?;
    say(format!(
        "the peers' environment is ready ({:.1} s)",
        started.elapsed().as_secs_f64()
    ));
    Ok(env)
}

fn make(dir: &Path, requirements: &str, base: &str) -> Result<PythonEnv, SetupError> {
    let io_error = |source| SetupError::Io {
        dir: dir.to_path_buf(),
        source,
    };
    // Whatever a run that stopped half-way left.
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io_error)?;
    }
    let venv = Command::new(base)
        .args(["-m", "venv"])
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|source| SetupError::NoPython {
            base: base.to_string(),
            source,
        })?;
    if !venv.status.success() {
        return Err(SetupError::NoVenv {
            base: base.to_string(),
            why: last_lines(&venv.stderr, &venv.stdout),
        });
    }
    let file = dir.join("requirements.txt");
    std::fs::write(&file, requirements).map_err(io_error)?;
    let python = python_in(dir);
    let pip = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--quiet",
            "--retries",
            "2",
            "--timeout",
            "20",
            "-r",
        ])
        .arg(&file)
        .stdin(Stdio::null())
        .output()
        .map_err(io_error)?;
    if !pip.status.success() {
        return Err(SetupError::Pip {
            why: last_lines(&pip.stderr, &pip.stdout),
        });
    }
    std::fs::write(dir.join(COMPLETE), requirements).map_err(io_error)?;
    Ok(PythonEnv {
        dir: dir.to_path_buf(),
        python,
    })
}

/// The last two non-empty lines a failed command wrote, for its error.
pub(crate) fn last_lines(stderr: &[u8], stdout: &[u8]) -> String {
    let text = match String::from_utf8_lossy(stderr).trim() {
        "" => String::from_utf8_lossy(stdout).into_owned(),
        e => e.to_string(),
    };
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    match lines.len() {
        0 => "no output".into(),
        n => lines[n.saturating_sub(2)..].join(" / "),
    }
}

/// An exclusive advisory lock on a file, held until dropped.
pub(crate) struct Lock {
    _file: std::fs::File,
}

impl Lock {
    pub(crate) fn take(path: &Path) -> io::Result<Lock> {
        use std::os::fd::AsRawFd;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        // SAFETY: flock on a descriptor we own; released when the file closes.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Lock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_base_interpreter_says_what_to_install() {
        let mut heard = Vec::new();
        let e = ensure("# a test's own pins\n", "/no/such/python3", &mut |s| {
            heard.push(s)
        })
        .unwrap_err();
        assert!(matches!(e, SetupError::NoPython { .. }), "{e}");
        assert!(e.to_string().contains("TVC_PYTHON"), "{e}");
        assert!(
            find_env("# a test's own pins\n").is_none(),
            "nothing half made is kept"
        );
        assert!(!env_dir("# a test's own pins\n").exists());
    }

    #[test]
    fn only_a_finished_environment_is_found() {
        let pins = "# another test's pins\n";
        let dir = env_dir(pins);
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::write(dir.join("bin/python"), "").unwrap();
        assert!(find_env(pins).is_none(), "no marker: half made");
        std::fs::write(dir.join(COMPLETE), pins).unwrap();
        assert_eq!(
            find_env(pins).map(|e| e.python),
            Some(dir.join("bin/python"))
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_last_lines_of_a_failure_are_kept() {
        assert_eq!(last_lines(b"a\n\nb\nc\n", b""), "b / c");
        assert_eq!(last_lines(b"", b"only out"), "only out");
        assert_eq!(last_lines(b"", b""), "no output");
    }
}
