//! The Python programs are formatted and linted by ruff (pinned in the peers' environment,
//! set up here if it is not yet; where it cannot be, the test fails, or with
//! TVC_SKIP_PEERS=1 says it did not run), with this crate's ruff.toml.

use std::path::Path;
use std::process::Command;

#[test]
fn the_programs_are_ruff_formatted_and_lint_clean() {
    if !tvc_peer::setup::ready_for_tests() {
        return;
    }
    let env = tvc_peer::setup::find_env(tvc_peer::REQUIREMENTS).expect("set up");
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
