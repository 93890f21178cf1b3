//! The Python programs are formatted and linted by ruff (pinned in the peers' environment,
//! with this crate's ruff.toml). Where there is no environment, the test says so (and fails
//! where TVC_REQUIRE_PYTHON=1, as in CI).

use std::path::Path;
use std::process::Command;

#[test]
fn the_programs_are_ruff_formatted_and_lint_clean() {
    let Some(env) = tvc_peer::setup::find_env(tvc_peer::REQUIREMENTS) else {
        let why = "no peers' environment set up here (with ruff): run `tvc setup`";
        assert!(
            std::env::var(tvc_python::REQUIRE_VAR).as_deref() != Ok("1"),
            "{why}"
        );
        println!("skipped: {why}");
        return;
    };
    let ruff = env.dir.join("bin").join("ruff");
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    for args in [
        &["format", "--check", "tvc_peer"][..],
        &["check", "tvc_peer"],
    ] {
        let out = Command::new(&ruff)
            .args(args)
            .current_dir(crate_dir)
            .output()
            .expect("ruff runs");
        assert!(
            out.status.success(),
            "ruff {}: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
