//! `webex-scheduler sandbox`: the whole product on one machine, with no accounts.
//!
//! It starts the Webex emulator, the real bot (its own SQLite file, webhooks registered with the
//! emulator exactly as with Webex) and a terminal chat in which you type as a sample person,
//! in a direct space or a group space. The bot cannot tell it is not talking to Webex.

mod render;

use crate::cli::SandboxArgs;
use crate::clock::SystemClock;
use crate::emulator::{Emulator, EmulatorConfig, PersonInfo};
use crate::settings::Settings;
use crate::startup::Application;
use base64::Engine;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// The sample people and spaces the chat offers.
struct Scene {
    me: PersonInfo,
    colleague: PersonInfo,
    direct: String,
    group: String,
}

pub async fn run(args: SandboxArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.data_dir)?;
    init_quiet_logging(&args.data_dir)?;
    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    let scene = populate(&emulator);
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let settings = sandbox_settings(&args, &emulator, listener.local_addr()?.port())?;
    let app = Application::build_on(settings, Arc::new(SystemClock), listener).await?;
    let stop = CancellationToken::new();
    let running = tokio::spawn(app.run_until_stopped(stop.clone()));
    tokio::spawn(crate::startup::stop_on_signal(stop.clone()));

    if !args.script {
        print_welcome(&emulator, &scene);
    }
    let printer = tokio::spawn(print_bot_messages(
        emulator.clone(),
        vec![
            ("direct".to_string(), scene.direct.clone()),
            ("group".to_string(), scene.group.clone()),
        ],
        stop.clone(),
    ));
    chat(&emulator, &scene, args.script, stop.clone()).await?;
    // Give in-flight replies a moment to arrive before leaving.
    tokio::time::sleep(Duration::from_millis(if args.script { 3000 } else { 300 })).await;
    stop.cancel();
    let _ = printer.await;
    running.await??;
    Ok(())
}

fn populate(emulator: &Emulator) -> Scene {
    let me = emulator.add_person("Ana Lopez", "ana@example.com", Some("Europe/Berlin"));
    let colleague = emulator.add_person("Bob Smith", "bob@example.com", Some("America/New_York"));
    let direct = emulator.direct_room(&me.id);
    let group = emulator.create_group_room("Design team", &[me.id.as_str(), colleague.id.as_str()]);
    Scene {
        me,
        colleague,
        direct,
        group,
    }
}

/// Settings for a bot that talks to the emulator; secrets are fresh random values each run.
fn sandbox_settings(
    args: &SandboxArgs,
    emulator: &Emulator,
    port: u16,
) -> anyhow::Result<Settings> {
    use secrecy::ExposeSecret;
    let random = |n: usize| {
        let bytes: Vec<u8> = (0..n).map(|_| rand::random::<u8>()).collect();
        base64::engine::general_purpose::STANDARD.encode(bytes)
    };
    let vars: HashMap<String, String> = [
        ("LISTEN_ADDR", format!("127.0.0.1:{port}")),
        ("PUBLIC_URL", format!("http://127.0.0.1:{port}")),
        ("WEBEX_API_URL", emulator.api_base().to_string()),
        ("WEBEX_AUTHORIZE_URL", emulator.authorize_url().to_string()),
        ("WEBEX_TOKEN_URL", emulator.token_url().to_string()),
        (
            "WEBEX_BOT_TOKEN",
            emulator.bot_token().expose_secret().to_string(),
        ),
        ("WEBEX_WEBHOOK_SECRET", random(24)),
        ("TOKEN_ENCRYPTION_KEY", random(32)),
        (
            "DATABASE_URL",
            format!("sqlite://{}/sandbox.db", args.data_dir.display()),
        ),
        ("DEFAULT_TIMEZONE", "Europe/Berlin".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    Ok(Settings::from_vars(&vars)?)
}

/// The chat owns the terminal, so the bot's logs go to a file in the data folder.
fn init_quiet_logging(dir: &std::path::Path) -> anyhow::Result<()> {
    let file = std::fs::File::create(dir.join("sandbox.log"))?;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
    Ok(())
}

fn print_welcome(emulator: &Emulator, scene: &Scene) {
    let bot = emulator.bot();
    println!("webex-scheduler sandbox: the bot, a Webex emulator and a local chat.");
    println!(
        "You are {} <{}>. {} <{}> is in the group space too.",
        scene.me.display_name,
        scene.me.emails.join(", "),
        scene.colleague.display_name,
        scene.colleague.emails.join(", ")
    );
    println!(
        "You are in a direct space with {}: type `help`. `/group` switches to the group space \
         (mention the bot there: `@{} help`), `/direct` back, `/quit` leaves.",
        bot.display_name,
        bot.display_name
            .split_whitespace()
            .next()
            .unwrap_or("Scheduler")
    );
}

async fn chat(
    emulator: &Emulator,
    scene: &Scene,
    script: bool,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut room = (String::from("direct"), scene.direct.clone());
    loop {
        if !script {
            print!(
                "[{}] {}> ",
                room.0,
                scene.me.display_name.split(' ').next().unwrap_or("you")
            );
            std::io::stdout().flush()?;
        }
        let line = tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            line = lines.next_line() => line?,
        };
        let Some(line) = line else { return Ok(()) };
        let line = line.trim();
        match line {
            "" => continue,
            "/quit" | "/exit" => return Ok(()),
            "/group" => room = ("group".into(), scene.group.clone()),
            "/direct" | "/dm" => room = ("direct".into(), scene.direct.clone()),
            text => {
                if let Err(e) = emulator.post_as(&scene.me.id, &room.1, text).await {
                    println!("(could not post: {e})");
                    continue;
                }
                // Replies are printed by the watcher; pause so they appear before the next prompt.
                tokio::time::sleep(Duration::from_millis(if script { 1500 } else { 800 })).await;
            }
        }
    }
}

/// Prints every message the bot posts, in any sample space, as it arrives.
async fn print_bot_messages(
    emulator: Emulator,
    rooms: Vec<(String, String)>,
    stop: CancellationToken,
) {
    let bot_id = emulator.bot().id;
    let mut seen = HashSet::new();
    loop {
        for (label, room) in &rooms {
            for message in emulator.messages_in(room) {
                if message.person_id == bot_id && seen.insert(message.id.clone()) {
                    println!("\n[{label}] {}", render::message(&message));
                }
            }
        }
        let _ = std::io::stdout().flush();
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_millis(150)) => {}
        }
    }
}
