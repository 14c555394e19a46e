//! The command line: one subcommand per way of running the bot.

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "webex-scheduler",
    version,
    about = "Schedule Webex meetings from any Webex space"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot: webhook receiver, OAuth callback and workers.
    Serve,
    /// Run the bot against a local Webex emulator with a terminal chat; needs no accounts.
    Sandbox(SandboxArgs),
    /// Parse one command as the bot would and print the interpretation.
    Parse(ParseArgs),
    /// Manage the bot's Webex webhooks.
    Webhooks {
        #[command(subcommand)]
        action: WebhooksAction,
    },
    /// Check the configuration and report every problem at once.
    CheckConfig,
    /// Copy the bot's state from one database to another (e.g. SQLite to PostgreSQL). Stop the
    /// bot first; running it again copies only what is missing.
    MigrateData(MigrateDataArgs),
    /// Ask the running bot whether it is alive (exit 0) or not (exit 1); for container health
    /// checks, as the image has no curl.
    Healthcheck(HealthcheckArgs),
}

#[derive(Debug, Clone, Args)]
pub struct MigrateDataArgs {
    /// The database the bot used so far, e.g. `sqlite://data/webex-scheduler.db`.
    #[arg(long)]
    pub from: String,
    /// The database the bot will use, e.g. `postgres://bot@db.internal/scheduler`.
    #[arg(long)]
    pub to: String,
}

#[derive(Debug, Clone, Args)]
pub struct HealthcheckArgs {
    /// Ask whether it is ready for traffic (`/readyz`) instead of alive (`/livez`).
    #[arg(long)]
    pub ready: bool,
    /// Where the bot listens (read from `LISTEN_ADDR` like `serve` does; `0.0.0.0` is probed
    /// on loopback).
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
}

#[derive(Debug, Subcommand)]
pub enum WebhooksAction {
    /// Create missing webhooks, re-activate inactive ones and delete stale duplicates.
    Sync,
}

#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// Directory for the sandbox's database and e-mails.
    #[arg(long, default_value = "data/sandbox")]
    pub data_dir: std::path::PathBuf,
    /// Read chat lines from standard input without a prompt (for scripts and tests).
    #[arg(long)]
    pub script: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ParseArgs {
    /// The present, as RFC 3339 (default: now).
    #[arg(long)]
    pub now: Option<String>,
    /// The zone in force when the command names none (IANA name; default UTC).
    #[arg(long)]
    pub tz: Option<String>,
    /// Print exactly one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Read JSON lines {"now","tz","text"} from stdin and write one result per line.
    #[arg(long, conflicts_with_all = ["json", "text"])]
    pub batch: bool,
    /// The command text.
    pub text: Vec<String>,
}
