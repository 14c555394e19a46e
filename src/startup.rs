//! Wiring: builds the application from settings and runs a CLI subcommand.
use crate::cli::Command;
use std::process::ExitCode;

pub fn run_command(_command: Command) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::FAILURE
}
