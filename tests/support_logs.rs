//! Issue 14 part 3: with `LOG_DIR`, `serve` writes JSON support logs in hourly files, where one
//! reference (shown to the person at the end of the reply) is on every line of the work it
//! names: the delivery, the job that answered, the meeting and the e-mails. The bot runs as its
//! own process, as deployed, so its files hold its lines only.

use crate::common::{self, eventually};
use crate::crash::{BotProcess, bot_texts, free_port, wait_for_text, wait_ready};
use serde_json::Value;
use std::collections::BTreeSet;

const TITLE: &str = "quartz-zebra-5150 review";

fn log_lines(dir: &std::path::Path) -> Vec<Value> {
    let files = webex_scheduler::telemetry::log_files(dir).unwrap();
    assert!(!files.is_empty(), "no log file in LOG_DIR");
    files
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            text.lines()
                .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
                .collect::<Vec<Value>>()
        })
        .collect()
}

/// The spans around a line, innermost last.
fn spans(line: &Value) -> Vec<&Value> {
    line["spans"]
        .as_array()
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

fn reference_of(line: &Value) -> Option<&str> {
    spans(line)
        .iter()
        .rev()
        .find_map(|s| s["reference"].as_str())
}

fn mails_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).count())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_reference_follows_a_command_from_delivery_to_meeting_to_email() {
    let emulator = webex_emulator::Emulator::start(Default::default())
        .await
        .unwrap();
    let person = emulator.add_person("Ana Lopez", "ana@example.com", Some("Europe/Berlin"));
    emulator.add_person("Bob Smith", "bob@example.com", None);
    let room = emulator.direct_room(&person.id);
    let dir = tempfile::tempdir().unwrap();
    let (logs, mails) = (dir.path().join("logs"), dir.path().join("mail"));
    let port = free_port();
    let _bot = BotProcess(
        std::process::Command::new(env!("CARGO_BIN_EXE_webex-scheduler"))
            .arg("serve")
            .env_clear()
            .envs(common::test_vars(&emulator, port, dir.path()))
            .env("LOG_DIR", &logs)
            .env("MAIL_DIR", &mails)
            .env("RUST_LOG", "webex_scheduler=trace,info")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("bot starts"),
    );
    wait_ready(port, &emulator).await;

    emulator
        .post_as(&person.id, &room, "connect")
        .await
        .unwrap();
    let link = eventually("the link", common::WAIT, async || {
        let said = bot_texts(&emulator, &room);
        let link = said.iter().find_map(|m| {
            let start = m.find("](")? + 2;
            Some(m[start..start + m[start..].find(')')?].to_string())
        });
        link.ok_or(said)
    })
    .await;
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
    let before = bot_texts(&emulator, &room).len();
    let command = format!("schedule {TITLE} tomorrow 3pm with bob@example.com");
    emulator.post_as(&person.id, &room, &command).await.unwrap();
    eventually(
        "the e-mails to the host and Bob",
        common::WAIT,
        async || match mails_in(&mails) {
            n if n >= 2 => Ok(()),
            n => Err(n),
        },
    )
    .await;

    let reply = bot_texts(&emulator, &room)[before].clone();
    let reference = reply
        .rsplit_once("_reference: ")
        .and_then(|(_, rest)| rest.strip_suffix('_'))
        .unwrap_or_else(|| panic!("no reference at the end of the reply: {reply}"))
        .to_string();
    assert_eq!(reference.len(), 8, "{reply}");

    // The lines of this work, once the e-mail jobs have logged that they are done.
    let (lines, job_kinds) = eventually("the e-mail jobs in the logs", common::WAIT, async || {
        let lines = log_lines(&logs);
        let kinds: BTreeSet<String> = lines
            .iter()
            .filter(|l| reference_of(l) == Some(reference.as_str()))
            .flat_map(spans)
            .filter_map(|s| s["job.kind"].as_str().map(str::to_string))
            .collect();
        if kinds.contains("send_mail") {
            Ok((lines, kinds))
        } else {
            Err(kinds)
        }
    })
    .await;
    for kind in ["webhook", "invitation", "send_mail"] {
        assert!(job_kinds.contains(kind), "{kind} not in {job_kinds:?}");
    }
    let delivered = lines.iter().any(|l| {
        reference_of(l) == Some(reference.as_str())
            && spans(l).iter().any(|s| s["name"] == "webhook")
    });
    assert!(delivered, "the delivery is logged with {reference}");

    // Every line of a delivery or a job carries a reference.
    for line in &lines {
        let in_work = spans(line)
            .iter()
            .any(|s| matches!(s["name"].as_str(), Some("webhook" | "job")));
        if in_work {
            assert!(
                reference_of(line).is_some(),
                "a line without its reference: {line}"
            );
        }
    }

    // Neither secrets nor what the person wrote.
    let text = lines.iter().map(Value::to_string).collect::<String>();
    for secret in [
        common::WEBHOOK_SECRET,
        common::CLIENT_SECRET,
        common::ENCRYPTION_KEY,
        TITLE,
        "quartz-zebra",
    ] {
        assert!(!text.contains(secret), "{secret} in the support logs");
    }
}

/// The fields of the log lines whose message is `message`.
fn lines_saying<'a>(lines: &'a [Value], message: &str) -> Vec<&'a Value> {
    lines
        .iter()
        .filter(|l| l["fields"]["message"] == message)
        .map(|l| &l["fields"])
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_commands_and_refusals_are_logged_with_who() {
    let emulator = webex_emulator::Emulator::start(Default::default())
        .await
        .unwrap();
    let ana = emulator.add_person("Ana Lopez", "ana@example.com", None);
    let bob = emulator.add_person("Bob Smith", "bob@example.com", None);
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let port = free_port();
    let _bot = BotProcess(
        std::process::Command::new(env!("CARGO_BIN_EXE_webex-scheduler"))
            .arg("serve")
            .env_clear()
            .envs(common::test_vars(&emulator, port, dir.path()))
            .env("LOG_DIR", &logs)
            .env("ADMIN_EMAILS", "ana@example.com")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("bot starts"),
    );
    wait_ready(port, &emulator).await;
    let (ana_room, bob_room) = (emulator.direct_room(&ana.id), emulator.direct_room(&bob.id));
    emulator
        .post_as(&ana.id, &ana_room, "admin status")
        .await
        .unwrap();
    wait_for_text(&emulator, &ana_room, "Linked people").await;
    emulator
        .post_as(&bob.id, &bob_room, "admin dead")
        .await
        .unwrap();
    wait_for_text(&emulator, &bob_room, "Only the bot's admins").await;

    let (done, refused) = eventually("both lines in the logs", common::WAIT, async || {
        let lines = log_lines(&logs);
        let done: Vec<Value> = lines_saying(&lines, "admin command")
            .into_iter()
            .cloned()
            .collect();
        let refused: Vec<Value> = lines_saying(&lines, "refused an admin command: not an admin")
            .into_iter()
            .cloned()
            .collect();
        if done.is_empty() || refused.is_empty() {
            Err((done.len(), refused.len()))
        } else {
            Ok((done, refused))
        }
    })
    .await;
    assert_eq!(done[0]["admin"], ana.id.as_str(), "{done:?}");
    assert_eq!(done[0]["command"], "status", "{done:?}");
    assert_eq!(refused[0]["person"], bob.id.as_str(), "{refused:?}");
    assert_eq!(refused[0]["command"], "dead", "{refused:?}");
}
