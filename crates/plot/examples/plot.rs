//! Draws the charts of result folders into each folder's `charts/`, like `tvc plot`:
//! `cargo run -p tvc-plot --example plot -- RUN_DIR...`
fn main() {
    for dir in std::env::args().skip(1) {
        match tvc_plot::plot_run(std::path::Path::new(&dir)) {
            Ok(paths) => paths.iter().for_each(|p| println!("{}", p.display())),
            Err(e) => eprintln!("{dir}: {e}"),
        }
    }
}
