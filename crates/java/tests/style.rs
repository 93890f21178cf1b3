//! The Java programs compile with every javac lint on and no warning, for Java 17 (the JDK
//! these machines have), so they run on any later runtime. Where there is no javac, the test
//! fails, or with TVC_SKIP_PEERS=1 says it did not run.

use std::path::Path;
use std::process::Command;

#[test]
fn the_programs_compile_without_a_lint_warning() {
    let javac = std::env::var(tvc_java::JAVAC_VAR).unwrap_or_else(|_| "javac".into());
    let peer = Path::new(env!("CARGO_MANIFEST_DIR")).join("peer");
    let out = tempfile_dir();
    let sources: Vec<_> = std::fs::read_dir(&peer)
        .expect("the programs' folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "java"))
        .collect();
    let run = Command::new(&javac)
        .args(["--release", "17", "-Xlint:all", "-Werror", "-d"])
        .arg(&out)
        .args(&sources)
        .output();
    let run = match run {
        Ok(run) => run,
        Err(e) => {
            let why = format!("no javac here ({javac}: {e})");
            let skip = tvc_peer::setup::SKIP_PEERS_VAR;
            assert!(std::env::var(skip).as_deref() == Ok("1"), "{why}");
            println!("NOT RUN ({skip}=1): {why}");
            return;
        }
    };
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        run.status.success(),
        "javac -Xlint:all -Werror: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn tempfile_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tvc-javac-lint-{}", std::process::id()))
}
