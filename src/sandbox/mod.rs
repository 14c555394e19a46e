//! `webex-scheduler sandbox`: the whole product on one machine, with no accounts.
//!
//! It starts the Webex emulator, the real bot (its own SQLite file, webhooks registered with the
//! emulator exactly as with Webex, invitations written to a folder) and a terminal chat in which
//! you type as a sample person, in a direct space or a group space. The bot cannot tell it is not
//! talking to Webex.

mod render;
mod watch;

use crate::cli::SandboxArgs;
use crate::settings::Settings;
use crate::startup::Application;
use crate::store::Store;
use scheduler_core::clock::SystemClock;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use webex_emulator::{Emulator, EmulatorConfig, PersonInfo};

const CLIENT_ID: &str = "sandbox-integration";

/// The sample people and spaces the chat offers.
struct Scene {
    me: PersonInfo,
    colleague: PersonInfo,
    direct: String,
    group: String,
}

/// What the chat remembers between lines: the last link and card the bot sent, and the values
/// typed into that card so far.
#[derive(Default)]
struct Memory {
    last_link: Option<String>,
    last_card: Option<(String, String, Value)>,
    inputs: serde_json::Map<String, Value>,
}

pub async fn run(args: SandboxArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.data_dir)?;
    init_quiet_logging(&args.data_dir)?;
    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    let scene = populate(&emulator);
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let mail_dir = args.data_dir.join("mail");
    // Taken before the bot starts: mail from earlier runs is not news.
    let earlier_mail = watch::mail_on_disk(&mail_dir);
    let settings = sandbox_settings(&args, &emulator, port, &mail_dir)?;
    let app = Application::build_on(settings, Arc::new(SystemClock), listener).await?;
    let store = app.store().clone();
    let stop = CancellationToken::new();
    let running = tokio::spawn(app.run_until_stopped(stop.clone()));
    tokio::spawn(crate::startup::stop_on_signal(stop.clone()));

    wait_until_listening(&emulator).await;
    if !args.script {
        print_welcome(&emulator, &scene);
    }
    let memory = Arc::new(Mutex::new(Memory::default()));
    let rooms = vec![
        ("direct".to_string(), scene.direct.clone()),
        ("group".to_string(), scene.group.clone()),
    ];
    let printer = tokio::spawn(watch::print_bot_messages(
        emulator.clone(),
        rooms,
        memory.clone(),
        stop.clone(),
    ));
    let mails = tokio::spawn(watch::print_new_mail(mail_dir, earlier_mail, stop.clone()));
    let chat_room = Chat {
        emulator: &emulator,
        store: &store,
        scene: &scene,
        memory: &memory,
        script: args.script,
    };
    chat_room.run(stop.clone()).await?;
    // Let in-flight replies arrive and be printed before leaving.
    watch::settle(&emulator, &store, SETTLE_PATIENCE).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    stop.cancel();
    let _ = printer.await;
    let _ = mails.await;
    running.await??;
    Ok(())
}

/// Messages typed before the bot has registered its webhooks would never reach it.
async fn wait_until_listening(emulator: &Emulator) {
    for _ in 0..200 {
        if emulator.webhooks().len() >= 3 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("(the bot has not registered its webhooks yet; see data/sandbox/sandbox.log)");
}

fn populate(emulator: &Emulator) -> Scene {
    let me = emulator.add_person("Ana Lopez", SANDBOX_ADMIN, Some("Europe/Berlin"));
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

/// The sandbox's person, Ana, who is also its admin.
const SANDBOX_ADMIN: &str = "ana@example.com";

/// Settings for a bot that talks to the emulator; secrets are fresh random values each run.
fn sandbox_settings(
    args: &SandboxArgs,
    emulator: &Emulator,
    port: u16,
    mail_dir: &Path,
) -> anyhow::Result<Settings> {
    let settings = Settings::against_emulator(emulator, port, &args.data_dir.join("sandbox.db"))
        .client_id(CLIENT_ID)
        .var("MAIL_DIR", mail_dir.display().to_string())
        .var("MAIL_FROM", "Webex Scheduler <scheduler@sandbox.example>")
        .var("DEFAULT_TIMEZONE", "Europe/Berlin")
        // The newcomer runs this bot, so they can try the `admin` commands too.
        .var("ADMIN_EMAILS", SANDBOX_ADMIN)
        .build()?;
    Ok(settings)
}

/// The chat owns the terminal, so the bot's logs go to a file in the data folder.
fn init_quiet_logging(dir: &Path) -> anyhow::Result<()> {
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
    let first = bot
        .display_name
        .split_whitespace()
        .next()
        .unwrap_or("Scheduler")
        .to_string();
    println!("webex-scheduler sandbox: the bot, a Webex emulator and a local chat.");
    println!(
        "You are {} <{}>; {} <{}> shares the group space.",
        scene.me.display_name,
        scene.me.emails.join(", "),
        scene.colleague.display_name,
        scene.colleague.emails.join(", ")
    );
    println!(
        "You start in your direct space with {}. Try:",
        bot.display_name
    );
    println!("  help                      what the bot understands");
    println!("  connect                   link your (emulated) Webex account, then /follow");
    println!("  schedule sync tomorrow 3pm with bob@example.com");
    println!("  list, cancel 1, reschedule 1 to friday 10am, form");
    println!(
        "Chat commands: /group (mention the bot there: @{first} help), /direct, /follow (open the"
    );
    println!(
        "last link as you), /press <button> (on the last card), /set <field> <value> (fill the"
    );
    println!("last card), /quit. Invitation e-mails appear here and in data/sandbox/mail.");
}

/// The longest the chat waits for the bot to finish answering a line before taking the next.
const SETTLE_PATIENCE: Duration = Duration::from_secs(20);

/// The terminal chat: what it needs to post as the sample person and wait for the answers.
struct Chat<'a> {
    emulator: &'a Emulator,
    store: &'a Store,
    scene: &'a Scene,
    memory: &'a Mutex<Memory>,
    /// Lines come from a script: no prompt, but each line is echoed after one, so the output
    /// reads as a transcript.
    script: bool,
}

impl Chat<'_> {
    async fn run(&self, stop: CancellationToken) -> anyhow::Result<()> {
        let (emulator, scene, memory) = (self.emulator, self.scene, self.memory);
        let mut lines = BufReader::new(tokio::io::stdin()).lines();
        let mut room = (String::from("direct"), scene.direct.clone());
        let me = scene.me.display_name.split(' ').next().unwrap_or("you");
        loop {
            if !self.script {
                print!("[{}] {me}> ", room.0);
                std::io::stdout().flush()?;
            }
            let line = tokio::select! {
                _ = stop.cancelled() => return Ok(()),
                line = lines.next_line() => line?,
            };
            let Some(line) = line else { return Ok(()) };
            let line = line.trim();
            if self.script && !line.is_empty() {
                println!("\n[{}] {me}> {line}", room.0);
            }
            let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
            match word {
                "" => continue,
                "/quit" | "/exit" => return Ok(()),
                "/group" => room = ("group".into(), scene.group.clone()),
                "/direct" | "/dm" => room = ("direct".into(), scene.direct.clone()),
                "/set" => set_input(memory, rest),
                "/follow" => follow_link(memory, &scene.me.id).await,
                "/press" => press_button(emulator, memory, &scene.me.id, rest.trim()).await,
                _ => {
                    if let Err(e) = emulator.post_as(&scene.me.id, &room.1, line).await {
                        println!("(could not post: {e})");
                        continue;
                    }
                }
            }
            if !matches!(word, "/group" | "/direct" | "/dm" | "/set") {
                // Replies are printed by the watchers; wait for them before the next line.
                watch::settle(emulator, self.store, SETTLE_PATIENCE).await;
            }
        }
    }
}

/// Opens the last link the bot sent as the sample person would in a browser, consenting at the
/// emulator's authorization page.
async fn follow_link(memory: &Mutex<Memory>, person_id: &str) {
    let Some(link) = memory
        .lock()
        .map(|m| m.last_link.clone())
        .unwrap_or_default()
    else {
        println!("(no link to follow yet: type `connect`)");
        return;
    };
    let url = format!("{link}&person_id={person_id}");
    match reqwest::get(&url).await {
        Ok(response) => {
            let status = response.status();
            let page = response.text().await.unwrap_or_default();
            let title = page
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .unwrap_or("");
            println!("(browser: {} {title})", status.as_u16());
        }
        Err(e) => println!("(browser: could not open the link: {e})"),
    }
}

fn set_input(memory: &Mutex<Memory>, rest: &str) {
    let (field, value) = rest.split_once(' ').unwrap_or((rest, ""));
    if let Ok(mut m) = memory.lock() {
        m.inputs.insert(
            field.trim().to_string(),
            Value::String(value.trim().to_string()),
        );
        println!("({} = {:?})", field.trim(), value.trim());
    }
}

/// Presses a button of the last card, sending what a Webex client would: every input's value
/// (as shown, or as set with /set) merged with the button's data.
async fn press_button(emulator: &Emulator, memory: &Mutex<Memory>, person_id: &str, title: &str) {
    let Some((message_id, inputs)) = memory.lock().ok().and_then(|m| {
        let (_, message_id, card) = m.last_card.clone()?;
        let button = card["actions"]
            .as_array()?
            .iter()
            .find(|b| {
                b["title"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case(title))
            })?
            .clone();
        let mut inputs = render::input_values(&card);
        for (k, v) in &m.inputs {
            inputs.insert(k.clone(), v.clone());
        }
        for (k, v) in button["data"].as_object()? {
            inputs.insert(k.clone(), v.clone());
        }
        Some((message_id, Value::Object(inputs)))
    }) else {
        println!("(no button {title:?} on the last card)");
        return;
    };
    if let Err(e) = emulator.submit_card(person_id, &message_id, inputs).await {
        println!("(could not press: {e})");
    }
}
