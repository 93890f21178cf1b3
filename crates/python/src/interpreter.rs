//! Which Python runs the peer, and how it is started: `$TVC_PYTHON` when set (`none` skips
//! the python models), else the environment tvc set up under `target/peers/` from
//! `requirements.txt`, else `python3` from `PATH`. The programs (`tvc_peer/`, embedded in
//! the binary) are written once into a folder named by their digest and run as
//! `python -m tvc_peer` from there.

use std::io;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use tvc_peer::setup;
use tvc_peer::{Launch, REQUIREMENTS};

/// The interpreter to use: a path, or `none` to skip the python models.
pub const PYTHON_VAR: &str = "TVC_PYTHON";
/// Set to `1` where the peer must run (CI): a missing interpreter or package is then a
/// failure instead of an unsupported point.
pub const REQUIRE_VAR: &str = "TVC_REQUIRE_PYTHON";
/// What makes the python models runnable.
pub const ENABLE: &str = "run `tvc setup` (it makes a virtual environment under target/peers/ \
    from crates/peer/requirements.txt), or install those packages into a Python 3.11+ and \
    name it with TVC_PYTHON (TVC_PYTHON=none, or --no-peers, skips them)";

/// The peer's programs, as `python -m tvc_peer` finds them.
const PROGRAMS: &[(&str, &str)] = &[
    (
        "tvc_peer/__init__.py",
        include_str!("../tvc_peer/__init__.py"),
    ),
    (
        "tvc_peer/__main__.py",
        include_str!("../tvc_peer/__main__.py"),
    ),
    (
        "tvc_peer/harness.py",
        include_str!("../tvc_peer/harness.py"),
    ),
    ("tvc_peer/work.py", include_str!("../tvc_peer/work.py")),
    (
        "tvc_peer/article.py",
        include_str!("../tvc_peer/article.py"),
    ),
    ("tvc_peer/http.py", include_str!("../tvc_peer/http.py")),
    ("tvc_peer/park.py", include_str!("../tvc_peer/park.py")),
    ("tvc_peer/switch.py", include_str!("../tvc_peer/switch.py")),
    (
        "tvc_peer/switch_io.py",
        include_str!("../tvc_peer/switch_io.py"),
    ),
    ("tvc_peer/cpu.py", include_str!("../tvc_peer/cpu.py")),
    (
        "tvc_peer/blocking.py",
        include_str!("../tvc_peer/blocking.py"),
    ),
    ("tvc_peer/shared.py", include_str!("../tvc_peer/shared.py")),
];

/// Imports what the programs import and says what the interpreter is.
const CHECK: &str = "import json, platform, sys\n\
    import httpx, httpcore\n\
    try:\n    import uvloop; uv = uvloop.__version__\nexcept ImportError:\n    uv = None\n\
    gil = getattr(sys, '_is_gil_enabled', None)\n\
    print(json.dumps({'executable': sys.executable, 'python': platform.python_version(), \
    'implementation': platform.python_implementation(), \
    'gil': gil is None or gil(), 'switch_interval_s': sys.getswitchinterval(), \
    'httpx': httpx.__version__, 'httpcore': httpcore.__version__, 'uvloop': uv}))";

/// A checked interpreter, as env.json records it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Interpreter {
    /// `sys.executable`: the interpreter itself, not a wrapper (a pyenv shim) in between.
    pub executable: PathBuf,
    pub python: String,
    pub implementation: String,
    /// Whether the GIL is enabled (`sys._is_gil_enabled()`; always, before Python 3.13).
    pub gil: bool,
    pub switch_interval_s: f64,
    pub httpx: String,
    pub httpcore: String,
    pub uvloop: Option<String>,
}

/// Where the interpreter came from, or why there is none.
fn choose() -> Result<(PathBuf, String), String> {
    setup::tool(
        PYTHON_VAR,
        REQUIREMENTS,
        |env| Some(env.python.clone()),
        "python3",
    )
}

/// How this worker starts its interpreter (decided once).
pub(crate) fn launch() -> Result<&'static Launch, String> {
    static LAUNCH: OnceLock<Result<Launch, String>> = OnceLock::new();
    let launch = LAUNCH.get_or_init(|| {
        let (program, named) = choose()?;
        let dir = tvc_peer::place::materialise("python-programs", PROGRAMS)
            .map_err(|e| format!("the peer's programs could not be written: {e}"))?;
        Ok(Launch {
            name: format!("the Python peer ({named})"),
            program,
            args: vec!["-m".into(), "tvc_peer".into()],
            cwd: Some(dir),
            env: Vec::new(),
        })
    });
    launch.as_ref().map_err(Clone::clone)
}

/// The interpreter the python models use, checked once per process (for env.json and the
/// tests); the error says why it cannot run and how to fix it.
pub fn interpreter() -> Result<&'static Interpreter, String> {
    static CHECKED: OnceLock<Result<Interpreter, String>> = OnceLock::new();
    CHECKED.get_or_init(check).as_ref().map_err(Clone::clone)
}

fn check() -> Result<Interpreter, String> {
    let (program, named) = choose()?;
    let unusable = |what: String| {
        format!("the python models need Python 3.11+ with httpx, and {named} {what}")
    };
    let out = Command::new(&program)
        .args(["-c", CHECK])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => unusable("was not found".into()),
            _ => unusable(format!("could not be started: {e}")),
        })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(unusable(format!(
            "failed to import httpx ({})",
            last.map_or_else(|| out.status.to_string(), |l| l.trim().to_string())
        )));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.trim())
        .map_err(|e| unusable(format!("answered the check unexpectedly ({e}): {stdout:?}")))
}
