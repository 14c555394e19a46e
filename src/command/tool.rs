//! `webex-scheduler parse`.
use crate::cli::ParseArgs;
use std::process::ExitCode;

pub fn run(_args: &ParseArgs) -> ExitCode {
    eprintln!("parse: not implemented yet");
    ExitCode::from(2)
}
