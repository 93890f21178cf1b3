//! Takes the model crates' source for each workload (`crates/<model>/src/<workload>.rs`) into
//! the report at build time, so index.html shows the code that was built beside it: one
//! `include_str!` per file that exists, for every model of the registry.

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
        let src = crates.join(model.name).join("src");
        if !src.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", src.display());
        for (workload, stem) in FILES {
            let file = src.join(format!("{stem}.rs"));
            if !file.is_file() {
                continue;
            }
            let _ = writeln!(
                table,
                "    Source {{ model: {:?}, workload: {workload:?}, stem: {stem:?}, \
                 path: \"crates/{}/src/{stem}.rs\", text: include_str!({:?}) }},",
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
