//! The Go programs are what a Go programmer would write: formatted by gofmt, clean under
//! go vet, with the peers' Go toolchain (set up here if it is not yet; where it cannot be,
//! the test fails, or with TVC_SKIP_PEERS=1 says it did not run).

use std::path::Path;
use std::process::Command;

#[test]
fn the_programs_are_gofmt_formatted_and_pass_go_vet() {
    if !tvc_peer::setup::ready_for_tests() {
        return;
    }
    let (go, named) = tvc_go::go_command().expect("the peers are set up");
    assert!(go.is_absolute(), "not the environment's go: {named}");
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
