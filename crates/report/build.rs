//! Takes the model crates' source for each workload (`crates/<model>/src/<workload>.rs`, or a
//! peer's program in its language, `crates/python/tvc_peer/<workload>.py`) into the report
//! at build time, so index.html shows the code that was built beside it: one `include_str!`
//! per file that exists, for every model of the registry.

use std::fmt::Write;
use std::path::Path;

/// The files each workload lives in, in every model crate (`Workload::name` → file stem; a
/// workload's first file is its main one, the switch ring's second its socket medium).
const FILES: [(&str, &str); 7] = [
    ("http", "http"),
    ("park", "park"),
    ("switch", "switch"),
    ("switch", "switch_io"),
    ("cpu", "cpu"),
    ("blocking", "blocking"),
    ("shared-state", "shared"),
];

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo");
    let crates = Path::new(&manifest)
        .parent()
        .expect("crates/report sits in crates/");
    let mut table = String::from("pub static SOURCES: &[Source] = &[\n");
    for model in tvc_core::registry::MODELS {
        let crate_dir = crates.join(model.name);
        for (workload, stem) in FILES {
            let relative = model.language.source_file(stem);
            let file = crate_dir.join(&relative);
            if let Some(dir) = file.parent() {
                println!("cargo:rerun-if-changed={}", dir.display());
            }
            if !file.is_file() {
                continue;
            }
            let _ = writeln!(
                table,
                "    Source {{ model: {:?}, workload: {workload:?}, stem: {stem:?}, \
                 path: \"crates/{}/{relative}\", text: include_str!({:?}) }},",
                model.name,
                model.name,
                file.display().to_string()
            );
        }
    }
    table.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("set by cargo")).join("sources.rs");
    std::fs::write(&out, table).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=build.rs");
}
