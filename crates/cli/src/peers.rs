//! The peers' set-up, done by the main job itself before it measures: when a run has peer
//! points, the pinned environment is made under `target/peers/` (once; later runs find it)
//! and each peer's program is built (Go) or compiled (Java) once, and the workers are told
//! what became of it. A set-up that fails is not the end of the run: the peer's points say
//! why, the rest is measured. `--no-peers` skips them all.

use serde_json::{json, Value};
use std::process::Command;
use std::sync::OnceLock;
use tvc_core::Language;
use tvc_peer::setup::{self, NO_PEERS_VAR, SETUP_ERROR_VAR};
use tvc_peer::REQUIREMENTS;

/// What the workers of this run are told (environment variables), and what env.json says.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Peers {
    #[serde(skip)]
    pub worker_env: Vec<(String, String)>,
    /// Each peer's runtime (version, and for Python the GIL, the switch interval and the
    /// packages), or why it cannot run, by language.
    #[serde(flatten)]
    pub runtimes: serde_json::Map<String, Value>,
}

static SKIPPED: OnceLock<()> = OnceLock::new();

/// Skips every peer in this process and the workers it starts (`--no-peers`).
pub fn skip() {
    SKIPPED.get_or_init(|| ());
}

/// Sets the peers up for a run that has points in `languages` (once per process) and says
/// what the workers need to know.
pub fn prepare(languages: &[Language]) -> Peers {
    static DONE: OnceLock<Peers> = OnceLock::new();
    if languages.iter().all(|l| *l == Language::Rust) {
        return Peers::default();
    }
    DONE.get_or_init(|| {
        let mut peers = Peers::default();
        if SKIPPED.get().is_some() {
            peers.worker_env.push((NO_PEERS_VAR.into(), "1".into()));
            peers.runtimes.insert("skipped".into(), json!("--no-peers"));
            return peers;
        }
        if let Err(why) = set_up() {
            eprintln!("tvc: the peers' points will say why they were not measured: {why}");
            peers.worker_env.push((SETUP_ERROR_VAR.into(), why));
        }
        peers.runtimes = describe();
        peers
    })
    .clone()
}

/// Makes (or finds) the peers' environment and builds their programs, saying what it does on
/// stderr. An explicitly named toolchain (`TVC_PYTHON`, `TVC_GO`, `TVC_JAVA`) is used as it
/// is; the environment is made for the others.
pub fn set_up() -> Result<(), String> {
    setup::ensure(REQUIREMENTS, "python3", &mut |s| eprintln!("tvc: {s}"))
        .map_err(|e| e.to_string())?;
    for (name, built) in [
        ("Go", tvc_go::build().map(drop)),
        ("Java", tvc_java::build().map(drop)),
    ] {
        if let Err(why) = built {
            eprintln!("tvc: the {name} peer's program could not be built: {why}");
        }
    }
    Ok(())
}

/// Each peer's runtime as env.json records it, or why it cannot run.
pub fn describe() -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    out.insert(
        "python".into(),
        match tvc_python::interpreter() {
            Ok(i) => serde_json::to_value(i).unwrap_or_default(),
            Err(why) => json!({ "unavailable": why }),
        },
    );
    let version = |tool: Result<(std::path::PathBuf, String), String>, arg: &str| match tool {
        Ok((path, _)) => match Command::new(&path).arg(arg).output() {
            Ok(out) => {
                let text = String::from_utf8_lossy(if out.stdout.is_empty() {
                    &out.stderr
                } else {
                    &out.stdout
                })
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
                json!({ "command": path, "version": text })
            }
            Err(e) => json!({ "unavailable": format!("{} could not be run: {e}", path.display()) }),
        },
        Err(why) => json!({ "unavailable": why }),
    };
    out.insert("go".into(), version(tvc_go::go_command(), "version"));
    out.insert("java".into(), version(tvc_java::java_command(), "-version"));
    out
}
