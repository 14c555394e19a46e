//! A bot process killed with SIGKILL in the middle of a job loses nothing: after a restart on
//! the same database the job runs again and the person gets exactly one answer. The logs of
//! both processes, captured at trace level, contain no secret and no message text.

use crate::common::{self, WAIT, eventually};

use std::process::{Child, Command, Stdio};
use std::time::Duration;
use webex_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};

const MESSAGE_TEXT: &str = "help zebra-quartz-771";
/// A bot process (and its recovery after a restart) gets longer than the in-process bot.
pub(crate) const START: Duration = Duration::from_secs(30);

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A bot process that is killed when the test ends, even when an assertion fails first.
pub(crate) struct BotProcess(pub(crate) Child);

impl BotProcess {
    pub(crate) fn kill(&mut self) -> std::io::Result<()> {
        self.0.kill()
    }

    pub(crate) fn wait(&mut self) -> std::io::Result<std::process::ExitStatus> {
        self.0.wait()
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn start_bot(
    emulator: &Emulator,
    port: u16,
    dir: &std::path::Path,
    log_name: &str,
) -> BotProcess {
    let log = std::fs::File::create(dir.join(log_name)).expect("log file");
    Command::new(env!("CARGO_BIN_EXE_webex-scheduler"))
        .arg("serve")
        .env_clear()
        .envs(common::test_vars(emulator, port, dir))
        .env("RUST_LOG", "trace")
        .env("LOG_DIR", dir.join("logs"))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map(BotProcess)
        .expect("bot starts")
}

pub(crate) async fn wait_ready(port: u16, emulator: &Emulator) {
    let http = reqwest::Client::new();
    eventually("the bot process to be ready", START, async || {
        let ready = http
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        let webhooks = emulator.webhooks().len();
        if ready && webhooks == 3 {
            Ok(())
        } else {
            Err(format!("/readyz ok: {ready}, webhooks: {webhooks}"))
        }
    })
    .await
}

/// Waits until the injected fault has fired: its request has arrived and is being held.
pub(crate) async fn held_by_the_fault(emulator: &Emulator, what: &str) {
    eventually(what, WAIT, async || {
        let pending = emulator.pending_faults();
        if pending.is_empty() {
            Ok(())
        } else {
            Err(pending)
        }
    })
    .await
}

fn bot_replies(emulator: &Emulator, room: &str) -> usize {
    let bot = emulator.bot().id;
    emulator
        .messages_in(room)
        .iter()
        .filter(|m| m.person_id == bot)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_interrupted_by_kill_9_is_finished_after_restart_exactly_once() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let person = emulator.add_person("Ana Lopez", "ana@example.com", None);
    let room = emulator.direct_room(&person.id);
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();

    let mut first = start_bot(&emulator, port, dir.path(), "first.log");
    wait_ready(port, &emulator).await;

    // Hold the worker inside its job: fetching the message takes 30 s.
    emulator.inject(Fault::new(
        Some(axum::http::Method::GET),
        "/v1/messages/",
        FaultKind::Latency(Duration::from_secs(30)),
        1,
    ));
    emulator
        .post_as(&person.id, &room, MESSAGE_TEXT)
        .await
        .unwrap();
    // Watch the bot's own database (SQLite's WAL lets a second reader in) until a worker holds the job.
    let db = webex_scheduler::store::Store::connect(&common::database_url(dir.path()))
        .await
        .unwrap();
    eventually("a worker to start the job", WAIT, async || {
        let counts = db.job_counts().await.unwrap();
        if counts.running > 0 {
            Ok(())
        } else {
            Err(counts)
        }
    })
    .await;
    held_by_the_fault(&emulator, "the worker to be inside the slow fetch").await;
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");
    assert_eq!(bot_replies(&emulator, &room), 0, "killed before answering");
    emulator.clear_faults();

    let mut second = start_bot(&emulator, port, dir.path(), "second.log");
    wait_ready(port, &emulator).await;
    eventually(
        "the interrupted job to finish",
        START,
        async || match bot_replies(&emulator, &room) {
            0 => Err(db.job_counts().await.unwrap()),
            _ => Ok(()),
        },
    )
    .await;
    // Waiting past a lease is the point: a second run would come only after it.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(bot_replies(&emulator, &room), 1, "exactly one reply");
    let counts = db.job_counts().await.unwrap();
    assert_eq!(
        (counts.done, counts.pending, counts.running),
        (1, 0, 0),
        "{counts:?}"
    );
    second.kill().ok();
    second.wait().ok();

    let secrets = {
        use secrecy::ExposeSecret;
        vec![
            emulator.bot_token().expose_secret().to_string(),
            common::WEBHOOK_SECRET.to_string(),
            common::ENCRYPTION_KEY.to_string(),
            MESSAGE_TEXT.to_string(),
            "zebra-quartz".to_string(),
        ]
    };
    // Both processes' support log files (LOG_DIR) too: JSON lines, captured at trace level.
    let support_logs = webex_scheduler::telemetry::log_files(&dir.path().join("logs")).unwrap();
    assert!(!support_logs.is_empty(), "LOG_DIR holds the support logs");
    for file in &support_logs {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            text.lines()
                .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
        );
    }
    let logs = ["first.log", "second.log"]
        .iter()
        .map(|name| dir.path().join(name))
        .chain(support_logs);
    for path in logs {
        let log = path.display();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("TRACE") || text.contains("DEBUG"),
            "{log} was captured at trace level"
        );
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{log} contains {secret:?}");
        }
    }
}

pub(crate) fn bot_texts(emulator: &Emulator, room: &str) -> Vec<String> {
    let bot = emulator.bot().id;
    emulator
        .messages_in(room)
        .into_iter()
        .filter(|m| m.person_id == bot)
        .map(|m| m.markdown.unwrap_or_default())
        .collect()
}

/// Waits until a bot message in `room` contains `needle`.
pub(crate) async fn wait_for_text(emulator: &Emulator, room: &str, needle: &str) {
    let what = format!("a bot message containing {needle:?}");
    eventually(&what, START, async || {
        let said = bot_texts(emulator, room);
        if said.iter().any(|m| m.contains(needle)) {
            Ok(())
        } else {
            Err(said)
        }
    })
    .await
}

/// Where the bot process is killed after the meeting was created: while a message it posts
/// hangs at Webex. The confirmation is posted first, then the host's password.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum KillWhile {
    /// Posting the confirmation: nothing has been said yet.
    Confirming,
    /// Posting the password: the confirmation is out.
    SendingThePassword,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_creation_and_confirmation_gives_one_meeting_and_one_confirmation() {
    crash_after_creation(KillWhile::Confirming).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_confirmation_and_password_gives_one_of_each() {
    crash_after_creation(KillWhile::SendingThePassword).await;
}

/// A meeting is created, the bot is killed with SIGKILL at `kill_while`, and a new process on
/// the same database finishes: one meeting, one confirmation, one password message, in that
/// order, and no secret in either process's trace-level log.
async fn crash_after_creation(kill_while: KillWhile) {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let person = emulator.add_person("Ana Lopez", "ana@example.com", Some("Europe/Berlin"));
    let room = emulator.direct_room(&person.id);
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut first = start_bot(&emulator, port, dir.path(), "first.log");
    wait_ready(port, &emulator).await;

    // Link the account and turn previews off, as a person would.
    emulator
        .post_as(&person.id, &room, "connect")
        .await
        .unwrap();
    let link = eventually("the link", START, async || {
        let said = bot_texts(&emulator, &room);
        let link = said.iter().find_map(|m| {
            let start = m.find("](")? + 2;
            Some(m[start..start + m[start..].find(')')?].to_string())
        });
        link.ok_or(said)
    })
    .await;
    let state = link
        .split("state=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .unwrap()
        .to_string();
    let page = reqwest::get(format!("{link}&person_id={}", person.id))
        .await
        .unwrap();
    assert!(page.status().is_success());
    wait_for_text(&emulator, &room, "You're connected").await;
    emulator
        .post_as(&person.id, &room, "settings confirm off")
        .await
        .unwrap();
    wait_for_text(&emulator, &room, "without a preview").await;

    // The messages after creating the meeting are the confirmation, then the password. The
    // one posted at `kill_while` hangs (faults fire in order: a zero wait lets one through).
    if kill_while == KillWhile::SendingThePassword {
        emulator.inject(Fault::new(
            Some(axum::http::Method::POST),
            "/v1/messages",
            FaultKind::Latency(Duration::ZERO),
            1,
        ));
    }
    emulator.inject(Fault::new(
        Some(axum::http::Method::POST),
        "/v1/messages",
        FaultKind::Latency(Duration::from_secs(120)),
        1,
    ));
    emulator
        .post_as(&person.id, &room, "schedule crash review tomorrow 9am")
        .await
        .unwrap();
    eventually("the meeting", START, async || {
        if emulator.meetings().is_empty() {
            Err(bot_texts(&emulator, &room))
        } else {
            Ok(())
        }
    })
    .await;
    if kill_while == KillWhile::SendingThePassword {
        wait_for_text(&emulator, &room, "Scheduled: Crash review").await;
    }
    held_by_the_fault(&emulator, "the message posted after creation to hang").await;
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");
    let said = bot_texts(&emulator, &room);
    assert_eq!(
        said.iter().any(|m| m.contains("Scheduled:")),
        kill_while == KillWhile::SendingThePassword,
        "{said:?}"
    );
    assert!(
        !said.iter().any(|m| m.contains("The password for")),
        "{said:?}"
    );
    emulator.clear_faults();

    let mut second = start_bot(&emulator, port, dir.path(), "second.log");
    wait_ready(port, &emulator).await;
    wait_for_text(&emulator, &room, "The password for").await;
    // Waiting past a lease is the point: a second run would come only after it.
    tokio::time::sleep(Duration::from_secs(3)).await;
    second.kill().ok();
    second.wait().ok();
    assert_eq!(emulator.meetings().len(), 1, "one meeting");
    let said = bot_texts(&emulator, &room);
    let confirmations: Vec<usize> = (0..said.len())
        .filter(|&i| said[i].contains("Scheduled: Crash review"))
        .collect();
    assert_eq!(confirmations.len(), 1, "one confirmation: {said:?}");
    let passwords: Vec<usize> = (0..said.len())
        .filter(|&i| said[i].contains("The password for"))
        .collect();
    assert_eq!(
        passwords.len(),
        1,
        "the host got the password once: {said:?}"
    );
    assert!(
        confirmations[0] < passwords[0],
        "the confirmation comes first: {said:?}"
    );

    // Trace-level logs of both processes hold no OAuth secret, token or meeting password.
    let password = emulator.meetings()[0]["password"]
        .as_str()
        .unwrap()
        .to_string();
    // Both processes' support log files (LOG_DIR) too: JSON lines, captured at trace level.
    let support_logs = webex_scheduler::telemetry::log_files(&dir.path().join("logs")).unwrap();
    assert!(!support_logs.is_empty(), "LOG_DIR holds the support logs");
    for file in &support_logs {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            text.lines()
                .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
        );
    }
    let logs = ["first.log", "second.log"]
        .iter()
        .map(|name| dir.path().join(name))
        .chain(support_logs);
    for path in logs {
        let log = path.display();
        let text = std::fs::read_to_string(&path).unwrap();
        for secret in [common::CLIENT_SECRET, state.as_str(), password.as_str()] {
            assert!(!text.contains(secret), "{log} contains {secret:?}");
        }
        assert!(
            !text.contains("Bearer "),
            "{log} holds an Authorization header"
        );
    }
}
