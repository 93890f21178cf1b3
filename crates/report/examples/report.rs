//! Writes a report like `tvc report`: `cargo run -p tvc-report --example report -- OUT RUN_DIR...`
fn main() {
    let args: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let Some((out, runs)) = args.split_first() else {
        eprintln!("usage: report OUT RUN_DIR...");
        std::process::exit(2);
    };
    match tvc_report::write_report(runs, out) {
        Ok(written) => {
            println!("{}", written.markdown.display());
            println!("{}", written.html.display());
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
