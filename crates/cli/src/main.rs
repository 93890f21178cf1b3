//! The `tvc` binary: parse options, run, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let opts = tvc::Opts::parse();
    match tvc::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(tvc::exit_code(&e))
        }
    }
}
