//! A bot process killed with SIGKILL between claiming a reminder and posting it: after a
//! restart on the same database the reminder is posted, exactly once (issue 15, part 4).

use crate::common::{self, WAIT, eventually};
use crate::crash::{
    START, bot_texts, free_port, held_by_the_fault, start_bot, wait_for_text, wait_ready,
};

use std::time::Duration;
use webex_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};

/// Makes every reminder job due now: the real clock of a bot process cannot be moved, so the
/// test moves the job's time instead (the row is what a restart reads).
async fn reminders_due_now(url: &str) {
    let sql = "UPDATE jobs SET run_at = 0 WHERE kind = 'reminder' AND status = 'pending'";
    let changed = if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query(sql)
            .execute(&pool)
            .await
            .unwrap()
            .rows_affected()
    } else {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query(sql)
            .execute(&pool)
            .await
            .unwrap()
            .rows_affected()
    };
    assert_eq!(changed, 1, "one reminder planned");
}

fn reminders(emulator: &Emulator, room: &str) -> usize {
    bot_texts(emulator, room)
        .iter()
        .filter(|m| m.starts_with("Reminder:"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_interrupted_by_kill_9_is_posted_after_restart_exactly_once() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let person = emulator.add_person("Ana Lopez", "ana@example.com", Some("Europe/Berlin"));
    let room = emulator.direct_room(&person.id);
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let url = common::database_url(dir.path());
    let mut first = start_bot(&emulator, port, dir.path(), "first.log");
    wait_ready(port, &emulator).await;

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
    emulator
        .post_as(&person.id, &room, "schedule Crash reminder tomorrow 9am")
        .await
        .unwrap();
    wait_for_text(&emulator, &room, "The password for").await;
    let db = webex_scheduler::store::Store::connect(&url).await.unwrap();
    eventually("the interactive work to finish", WAIT, async || {
        let counts = db.job_counts().await.unwrap();
        if counts.pending == 0 && counts.running == 0 && counts.timers >= 1 {
            Ok(())
        } else {
            Err(counts)
        }
    })
    .await;

    // The reminder's post hangs at Webex; the process is killed while it does.
    emulator.inject(Fault::new(
        Some(axum::http::Method::POST),
        "/v1/messages",
        FaultKind::Latency(Duration::from_secs(120)),
        1,
    ));
    reminders_due_now(&url).await;
    held_by_the_fault(&emulator, "the reminder's post to hang").await;
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");
    assert_eq!(reminders(&emulator, &room), 0, "killed before posting");
    emulator.clear_faults();

    let mut second = start_bot(&emulator, port, dir.path(), "second.log");
    wait_ready(port, &emulator).await;
    wait_for_text(&emulator, &room, "Reminder: **Crash reminder**").await;
    // Waiting past a lease is the point: a second run would come only after it.
    tokio::time::sleep(Duration::from_secs(3)).await;
    second.kill().ok();
    second.wait().ok();
    assert_eq!(
        reminders(&emulator, &room),
        1,
        "{:?}",
        bot_texts(&emulator, &room)
    );
    let password = emulator.meetings()[0]["password"]
        .as_str()
        .unwrap()
        .to_string();
    for log in ["first.log", "second.log"] {
        let text = std::fs::read_to_string(dir.path().join(log)).unwrap();
        assert!(!text.contains(&password), "{log} holds the password");
    }
}
