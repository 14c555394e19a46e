//! The invitation lifecycle end to end: scheduling, moving and cancelling a meeting from chat
//! each produce one e-mail per person, with the same UID and a rising SEQUENCE.

mod common;

use common::{TestApp, spawn_app_with};
use mail_parser::MimeHeaders;
use std::time::{Duration, Instant};

struct Mail {
    to: String,
    ics: String,
}

fn read_mails(dir: &std::path::Path) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut mails = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("eml") {
            continue;
        }
        let raw = std::fs::read(&path).unwrap();
        let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let to = message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or("")
            .to_string();
        let ics = message
            .parts
            .iter()
            .find(|p| {
                p.content_type()
                    .is_some_and(|c| c.ctype() == "text" && c.subtype() == Some("calendar"))
            })
            .and_then(|p| p.text_contents())
            .unwrap_or("")
            // Unfold RFC 5545 continuation lines.
            .replace("\r\n ", "")
            .replace("\n ", "");
        mails.push(Mail { to, ics });
    }
    mails
}

async fn wait_for_mails(dir: &std::path::Path, n: usize) -> Vec<Mail> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mails = read_mails(dir);
        if mails.len() >= n {
            return mails;
        }
        assert!(
            Instant::now() < deadline,
            "expected {n} mails, got {}",
            mails.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn property<'a>(ics: &'a str, name: &str) -> Vec<&'a str> {
    ics.lines()
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with([':', ';']))
        .map(|l| l.rsplit(':').next().unwrap_or("").trim_end_matches('\r'))
        .collect()
}

async fn say(app: &TestApp, text: &str) {
    app.emulator
        .post_as(&app.person.id, &app.direct, text)
        .await
        .unwrap();
}

#[tokio::test]
async fn schedule_move_and_cancel_each_mail_everyone_with_one_uid_and_rising_sequence() {
    let mail_dir = tempfile::tempdir().unwrap();
    let dir = mail_dir.path().to_path_buf();
    let app = spawn_app_with(|vars| {
        vars.insert("MAIL_DIR".into(), dir.display().to_string());
        vars.insert(
            "MAIL_FROM".into(),
            "Scheduler <scheduler@bot.example.com>".into(),
        );
    })
    .await;
    app.connect(&app.person.id).await;
    say(&app, "settings confirm off").await;
    app.wait_for_text(&app.direct, "without a preview").await;

    say(
        &app,
        "schedule planning tomorrow 10-11am with carol@example.com cohost dan@example.com",
    )
    .await;
    app.wait_for_text(&app.direct, "Scheduled: Planning").await;
    let created = wait_for_mails(mail_dir.path(), 3).await;
    let mut recipients: Vec<&str> = created.iter().map(|m| m.to.as_str()).collect();
    recipients.sort();
    assert_eq!(
        recipients,
        ["ana@example.com", "carol@example.com", "dan@example.com"]
    );
    let uid = property(&created[0].ics, "UID")[0].to_string();
    for m in &created {
        assert_eq!(property(&m.ics, "METHOD"), ["REQUEST"]);
        assert_eq!(property(&m.ics, "SEQUENCE"), ["0"]);
        assert_eq!(property(&m.ics, "UID"), [uid.as_str()]);
        assert_eq!(property(&m.ics, "ATTENDEE").len(), 2, "{}", m.ics);
    }
    let meeting = &app.meetings()[0];
    assert!(
        created[0]
            .ics
            .contains(meeting["webLink"].as_str().unwrap())
    );

    say(&app, "list").await;
    app.wait_for_text(&app.direct, "1. Planning").await;
    say(&app, "reschedule 1 to tomorrow 2pm").await;
    app.wait_for_text(&app.direct, "Moved").await;
    let moved = wait_for_mails(mail_dir.path(), 6).await;
    let updates: Vec<&Mail> = moved
        .iter()
        .filter(|m| property(&m.ics, "SEQUENCE") == ["1"])
        .collect();
    assert_eq!(updates.len(), 3);
    for m in &updates {
        assert_eq!(property(&m.ics, "UID"), [uid.as_str()]);
        assert_eq!(property(&m.ics, "METHOD"), ["REQUEST"]);
        let event_start = property(&m.ics, "DTSTART").into_iter().last().unwrap();
        assert!(event_start.ends_with("T140000"), "{}", m.ics);
    }

    // The move changed the occurrence's id: list again, as a person would.
    let before = app.bot_messages(&app.direct).len();
    say(&app, "list").await;
    app.wait_for_bot_messages(&app.direct, before + 1).await;
    say(&app, "cancel 1").await;
    let (card_message, card) = app.wait_for_card(&app.direct, 1).await;
    app.press(&app.person.id, &card_message, &card, "Cancel meeting")
        .await;
    app.wait_for_text(&app.direct, "Cancelled").await;
    let all = wait_for_mails(mail_dir.path(), 9).await;
    let cancels: Vec<&Mail> = all
        .iter()
        .filter(|m| property(&m.ics, "METHOD") == ["CANCEL"])
        .collect();
    assert_eq!(cancels.len(), 3);
    for m in &cancels {
        assert_eq!(property(&m.ics, "UID"), [uid.as_str()]);
        assert_eq!(property(&m.ics, "SEQUENCE"), ["2"]);
        assert_eq!(property(&m.ics, "STATUS"), ["CANCELLED"]);
        assert!(
            property(&m.ics, "RECURRENCE-ID").is_empty(),
            "a one-off meeting is cancelled whole: {}",
            m.ics
        );
    }
    app.wait_until_idle().await;
    assert_eq!(read_mails(mail_dir.path()).len(), 9, "no message twice");
}
