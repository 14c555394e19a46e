use clap::Parser;
use std::process::ExitCode;
use webex_scheduler::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        // The parser runs alone: no runtime, no settings, nothing but the grammar.
        Command::Parse(args) => webex_scheduler::parse_tool::run(&args),
        other => webex_scheduler::startup::run_command(other),
    }
}
