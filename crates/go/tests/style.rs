//! The Go programs are what a Go programmer would write: formatted by gofmt, clean under
//! go vet. Run with the peers' Go toolchain; where there is none, the test says so (and fails
//! where TVC_REQUIRE_GO=1, as in CI).

use std::path::Path;
use std::process::Command;

#[test]
fn the_programs_are_gofmt_formatted_and_pass_go_vet() {
    let go = match tvc_go::go_command() {
        Ok((go, _)) if go.is_absolute() => go,
        found => {
            let why = format!("no Go toolchain set up here ({found:?}): run `tvc setup`");
            assert!(
                std::env::var(tvc_go::REQUIRE_VAR).as_deref() != Ok("1"),
                "{why}"
            );
            println!("skipped: {why}");
            return;
        }
    };
    let peer = Path::new(env!("CARGO_MANIFEST_DIR")).join("peer");
    let gofmt = go.with_file_name("gofmt");
    let out = Command::new(&gofmt)
        .arg("-l")
        .arg(&peer)
        .output()
        .expect("gofmt runs");
    let unformatted = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && unformatted.trim().is_empty(),
        "gofmt -l: {unformatted}"
    );
    let vet = Command::new(&go)
        .args(["vet", "."])
        .current_dir(&peer)
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "-mod=mod")
        .env("GOPROXY", "off")
        .env("CGO_ENABLED", "0")
        .env(
            "GOCACHE",
            tvc_peer::place::peers_dir().join("go-caches/build"),
        )
        .env(
            "GOPATH",
            tvc_peer::place::peers_dir().join("go-caches/path"),
        )
        .output()
        .expect("go vet runs");
    assert!(
        vet.status.success(),
        "go vet: {}",
        String::from_utf8_lossy(&vet.stderr)
    );
}
