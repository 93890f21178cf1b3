//! The peers' set-up, done by the main job itself before it measures: when a run has peer
//! points and no interpreter was named, the pinned environment is made under
//! `target/peers/` (once; later runs find it), and the workers are told what became of it.
//! A set-up that fails is not the end of the run: the peer's points say why, the rest is
//! measured. `--no-peers` (or `TVC_PYTHON=none`) skips them.

use std::sync::OnceLock;
use tvc_core::Language;
use tvc_python::{PYTHON_VAR, REQUIREMENTS, SETUP_ERROR_VAR};

/// What the workers of this run are told (environment variables), and what env.json says.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Peers {
    #[serde(skip)]
    pub worker_env: Vec<(String, String)>,
    /// The Python peer's interpreter, or why there is none.
    pub python: Option<serde_json::Value>,
}

/// Skips every peer in this process and the workers it starts (`--no-peers`).
pub fn skip() {
    SKIPPED.get_or_init(|| ());
}

static SKIPPED: OnceLock<()> = OnceLock::new();

/// Sets the peers up for a run that has points in `languages` (once per process) and says
/// what the workers need to know.
pub fn prepare(languages: &[Language]) -> Peers {
    static DONE: OnceLock<Peers> = OnceLock::new();
    if !languages.contains(&Language::Python) {
        return Peers::default();
    }
    DONE.get_or_init(|| {
        let mut peers = Peers::default();
        if SKIPPED.get().is_some() {
            peers.worker_env.push((PYTHON_VAR.into(), "none".into()));
            peers.python = Some(serde_json::json!({"skipped": "--no-peers"}));
            return peers;
        }
        if std::env::var(PYTHON_VAR).is_ok_and(|v| !v.is_empty()) {
            peers.python = Some(describe(tvc_python::interpreter()));
            return peers;
        }
        match set_up() {
            Ok(()) => peers.python = Some(describe(tvc_python::interpreter())),
            Err(why) => {
                eprintln!("tvc: the python points will say why they were not measured: {why}");
                peers.worker_env.push((SETUP_ERROR_VAR.into(), why.clone()));
                peers.python = Some(serde_json::json!({ "unavailable": why }));
            }
        }
        peers
    })
    .clone()
}

/// Makes (or finds) the peers' environment, saying what it does on stderr.
pub fn set_up() -> Result<(), String> {
    tvc_peer::setup::ensure(REQUIREMENTS, "python3", &mut |s| eprintln!("tvc: {s}"))
        .map(drop)
        .map_err(|e| e.to_string())
}

fn describe(checked: Result<&tvc_python::Interpreter, String>) -> serde_json::Value {
    match checked {
        Ok(i) => serde_json::to_value(i).unwrap_or_default(),
        Err(why) => serde_json::json!({ "unavailable": why }),
    }
}
