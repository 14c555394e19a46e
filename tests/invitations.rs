//! The invitation lifecycle end to end: scheduling, moving and cancelling a meeting from chat
//! each produce one e-mail per person, with the same UID and a rising SEQUENCE.

use crate::common;
use crate::peers as harness;

use chrono::{Duration as Days, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use common::{TestApp, spawn_app_with};
use mail_parser::MimeHeaders;

struct Mail {
    to: String,
    /// The calendar part, continuation lines unfolded (for reading properties).
    ics: String,
    /// The calendar part as sent.
    calendar: String,
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
        let calendar = message
            .parts
            .iter()
            .find(|p| {
                p.content_type()
                    .is_some_and(|c| c.ctype() == "text" && c.subtype() == Some("calendar"))
            })
            .and_then(|p| p.text_contents())
            .unwrap_or("")
            .to_string();
        // Unfold RFC 5545 continuation lines.
        let ics = calendar.replace("\r\n ", "").replace("\n ", "");
        mails.push(Mail { to, ics, calendar });
    }
    mails
}

async fn wait_for_mails(dir: &std::path::Path, n: usize) -> Vec<Mail> {
    let what = format!("{n} invitation e-mails");
    common::eventually(&what, common::WAIT, async || {
        let mails = read_mails(dir);
        if mails.len() >= n {
            Ok(mails)
        } else {
            Err(mails.iter().map(|m| m.to.clone()).collect::<Vec<_>>())
        }
    })
    .await
}

fn property<'a>(ics: &'a str, name: &str) -> Vec<&'a str> {
    ics.lines()
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with([':', ';']))
        .map(|l| l.rsplit(':').next().unwrap_or("").trim_end_matches('\r'))
        .collect()
}

/// A linked person with previews off, and the folder the bot's invitation e-mails land in.
pub(crate) async fn mailing_app() -> (tempfile::TempDir, TestApp) {
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
    app.previews_off().await;
    (mail_dir, app)
}

async fn say(app: &TestApp, text: &str) {
    app.emulator
        .post_as(&app.person.id, &app.direct, text)
        .await
        .unwrap();
}

#[tokio::test]
async fn schedule_move_and_cancel_each_mail_everyone_with_one_uid_and_rising_sequence() {
    let (mail_dir, app) = mailing_app().await;

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
    app.wait_until_settled().await;
    assert_eq!(read_mails(mail_dir.path()).len(), 9, "no message twice");
}

/// The VEVENT blocks of an ICS text, as a calendar stores what it was sent.
fn vevents(ics: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in ics.split_inclusive("\r\n") {
        inside |= line.starts_with("BEGIN:VEVENT");
        if inside {
            out.push_str(line);
        }
        inside &= !line.starts_with("END:VEVENT");
    }
    out
}

/// The calendar mailed to `to` in invitation version `sequence`, as sent.
fn raw_ics(dir: &std::path::Path, to: &str, sequence: &str) -> String {
    read_mails(dir)
        .into_iter()
        .find(|m| m.to == to && property(&m.ics, "SEQUENCE") == [sequence])
        .map(|m| m.calendar)
        .unwrap_or_else(|| panic!("no version {sequence} mailed to {to}"))
}

#[tokio::test]
async fn one_occurrence_moved_then_cancelled_is_mailed_as_that_occurrence_and_calendars_agree() {
    if !(harness::python_peers() && harness::node_peers()) {
        return;
    }
    let (mail_dir, app) = mailing_app().await;
    say(
        &app,
        "schedule standup tomorrow 9am daily 5 times with carol@example.com",
    )
    .await;
    app.wait_for_text(&app.direct, "Scheduled: Standup").await;
    wait_for_mails(mail_dir.path(), 2).await;

    // Ana's zone is Berlin: the five standups, and the second one moved to 15:00.
    let first_day = (Utc::now().with_timezone(&Berlin) + Days::days(1)).date_naive();
    let berlin = |day: u32, hour: u32| {
        let date = first_day + Days::days(i64::from(day));
        Berlin
            .from_local_datetime(&date.and_hms_opt(hour, 0, 0).unwrap())
            .unwrap()
    };
    let second = berlin(1, 9);
    say(&app, "list").await;
    app.wait_for_text(&app.direct, "2. Standup").await;
    say(
        &app,
        &format!("reschedule 2 to {} 3pm", second.format("%Y-%m-%d")),
    )
    .await;
    app.wait_for_text(&app.direct, "Moved this occurrence of")
        .await;

    // Webex was asked to move that occurrence only.
    let series = &app.meetings()[0];
    let series_id = series["id"].as_str().unwrap();
    let number = series["meetingNumber"].as_str().unwrap();
    app.wait_for_text(
        &app.direct,
        &format!("to move all of it, type `reschedule {number} to"),
    )
    .await;
    let patches: Vec<String> = app
        .emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == axum::http::Method::PATCH)
        .map(|r| r.path)
        .collect();
    assert_eq!(patches.len(), 1, "{patches:?}");
    assert!(
        patches[0].starts_with(&format!("/v1/meetings/{series_id}_")),
        "{patches:?}"
    );
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(series["start"].as_str().unwrap()).unwrap(),
        berlin(0, 9),
        "the series still starts where it did"
    );

    // The update names the occurrence by its place in the series and carries no rule.
    let mails = wait_for_mails(mail_dir.path(), 4).await;
    let updates: Vec<&Mail> = mails
        .iter()
        .filter(|m| property(&m.ics, "SEQUENCE") == ["1"])
        .collect();
    assert_eq!(updates.len(), 2);
    for m in &updates {
        assert_eq!(property(&m.ics, "METHOD"), ["REQUEST"]);
        assert!(property(&vevents(&m.ics), "RRULE").is_empty(), "{}", m.ics);
        let recurrence_id = property(&m.ics, "RECURRENCE-ID");
        assert_eq!(recurrence_id, [second.format("%Y%m%dT%H%M%S").to_string()]);
    }

    // A calendar holding the series and the update shows the move, in every parser.
    let calendar_dir = tempfile::tempdir().unwrap();
    let series_ics = raw_ics(mail_dir.path(), "carol@example.com", "0");
    let update_ics = raw_ics(mail_dir.path(), "carol@example.com", "1");
    let merged = series_ics.replace(
        "END:VCALENDAR\r\n",
        &format!("{}END:VCALENDAR\r\n", vevents(&update_ics)),
    );
    let file = harness::write_ics(calendar_dir.path(), "calendar.ics", &merged);
    let expected: Vec<String> = [
        berlin(0, 9),
        berlin(1, 15),
        berlin(2, 9),
        berlin(3, 9),
        berlin(4, 9),
    ]
    .iter()
    .map(|t| {
        t.with_timezone(&Utc)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    })
    .collect();
    let (from, to) = (
        berlin(0, 0).with_timezone(&Utc),
        berlin(10, 0).with_timezone(&Utc),
    );
    for parser in ["icalendar", "ical.js"] {
        let seen = harness::parse_with(parser, std::slice::from_ref(&file), from, to).remove(0);
        assert_eq!(
            seen["occurrences"],
            serde_json::json!(expected),
            "{parser}: {seen}"
        );
    }

    // Cancelling it where it is now cancels the occurrence calendars know.
    let before = app.bot_messages(&app.direct).len();
    say(&app, "list").await;
    app.wait_for_bot_messages(&app.direct, before + 1).await;
    say(&app, "cancel 2").await;
    let (card_message, card) = app.wait_for_card(&app.direct, 1).await;
    assert!(card.to_string().contains("15:00"), "the moved one: {card}");
    assert!(
        card.to_string().contains(&format!(
            "To cancel the whole series instead, type `cancel {number}`"
        )),
        "{card}"
    );
    app.press(&app.person.id, &card_message, &card, "Cancel meeting")
        .await;
    app.wait_for_text(
        &app.direct,
        "Cancelled this occurrence of **Standup**; the rest of the series goes on.",
    )
    .await;
    let mails = wait_for_mails(mail_dir.path(), 6).await;
    let cancels: Vec<&Mail> = mails
        .iter()
        .filter(|m| property(&m.ics, "SEQUENCE") == ["2"])
        .collect();
    assert_eq!(cancels.len(), 2);
    for m in &cancels {
        assert_eq!(property(&m.ics, "METHOD"), ["CANCEL"]);
        assert_eq!(
            property(&m.ics, "RECURRENCE-ID"),
            [second.format("%Y%m%dT%H%M%S").to_string()]
        );
    }
    assert_eq!(app.meetings().len(), 1, "the series itself goes on");
}
