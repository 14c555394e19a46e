//! Moving meetings from chat, end to end against the emulator: a number from `list` keeps
//! naming the same meeting after the bot moves or cancels it; a number that changed outside
//! the chat is said to be stale and the list is shown again; what a reschedule leaves out
//! stays as the meeting has it; with previews on a move is shown first (Confirm / Keep); the
//! reply and the invitation say from when to when.
//!
//! Ana's zone is Europe/Berlin; days are counted from today there and written as dates, so
//! the tests read the same whatever day and hour they run.

use crate::common;

use axum::http::Method;
use chrono::{DateTime, Duration as Days, NaiveDate, TimeZone, Utc};
use chrono_tz::{Europe::Berlin, Tz};
use common::{TestApp, spawn_app};
use mail_parser::MimeHeaders;
use std::time::Duration;

/// A linked person; with previews off their requests are carried out at once.
async fn linked(previews: bool) -> TestApp {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    if !previews {
        app.previews_off().await;
    }
    app
}

/// `n` days from today in Berlin.
fn day(n: i64) -> NaiveDate {
    (Utc::now().with_timezone(&Berlin) + Days::days(n)).date_naive()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn berlin(d: NaiveDate, hour: u32, minute: u32) -> DateTime<Tz> {
    Berlin
        .from_local_datetime(&d.and_hms_opt(hour, minute, 0).unwrap())
        .unwrap()
}

/// "Sat 6 Mar 2027, 15:00–15:30", as the bot writes a slot.
fn slot(d: NaiveDate, from: (u32, u32), to: (u32, u32)) -> String {
    format!(
        "{}, {:02}:{:02}–{:02}:{:02}",
        d.format("%a %-d %b %Y"),
        from.0,
        from.1,
        to.0,
        to.1
    )
}

/// The newest bot message in `room` containing `needle`, once there is one.
async fn reply_with(app: &TestApp, room: &str, needle: &str) -> String {
    app.wait_for_text(room, needle).await;
    app.bot_messages(room)
        .into_iter()
        .rev()
        .filter_map(|m| m.markdown)
        .find(|m| m.contains(needle))
        .unwrap()
}

/// The next bot message in `room` after the first `before`.
async fn next_reply(app: &TestApp, room: &str, before: usize) -> String {
    let messages = app.wait_for_bot_messages(room, before + 1).await;
    messages[before].markdown.clone().unwrap_or_default()
}

/// The meeting titled `title` at Webex, with its start and end.
fn meeting(app: &TestApp, title: &str) -> Option<(DateTime<Tz>, DateTime<Tz>)> {
    let parse = |v: &serde_json::Value| {
        DateTime::parse_from_rfc3339(v.as_str().unwrap())
            .unwrap()
            .with_timezone(&Berlin)
    };
    app.meetings()
        .into_iter()
        .find(|m| m["title"] == title)
        .map(|m| (parse(&m["start"]), parse(&m["end"])))
}

/// Schedules (previews off) and lists, so that `1.` … are the titles in order of start.
async fn scheduled_and_listed(app: &TestApp, room: &str, meetings: &[(&str, NaiveDate, &str)]) {
    for (title, d, time) in meetings {
        app.say(room, &format!("schedule {title} {} {time}", iso(*d)))
            .await;
        app.wait_for_text(room, &format!("Scheduled: {title}"))
            .await;
    }
    // The host's password follows each confirmation as a job of its own: let it arrive first.
    app.wait_until_settled().await;
    let before = app.bot_messages(room).len();
    app.say(room, "list").await;
    let listing = next_reply(app, room, before).await;
    for (i, (title, ..)) in meetings.iter().enumerate() {
        assert!(
            listing.contains(&format!("{}. {title}", i + 1)),
            "{listing}"
        );
    }
}

#[tokio::test]
async fn reschedule_then_cancel_by_the_same_number_cancels_that_meeting() {
    let app = linked(false).await;
    let room = app.direct.clone();
    scheduled_and_listed(
        &app,
        &room,
        &[("Alpha", day(2), "9am"), ("Beta", day(3), "9am")],
    )
    .await;

    // Alpha moves after Beta; number 1 is still Alpha until the next list.
    app.say(&room, &format!("reschedule 1 to {} 10am", iso(day(4))))
        .await;
    reply_with(&app, &room, "Moved **Alpha**").await;
    assert_eq!(meeting(&app, "Alpha").unwrap().0, berlin(day(4), 10, 0));

    app.say(&room, "cancel 1").await;
    let (card_message, card) = app.wait_for_card(&room, 1).await;
    let question = card.to_string();
    assert!(question.contains("Alpha"), "{question}");
    assert!(
        question.contains(&slot(day(4), (10, 0), (10, 30))),
        "the question shows the meeting where it is now: {question}"
    );
    app.press(&app.person.id, &card_message, &card, "Cancel meeting")
        .await;
    reply_with(&app, &room, "Cancelled **Alpha**").await;
    assert!(meeting(&app, "Alpha").is_none(), "Alpha is cancelled");
    assert!(meeting(&app, "Beta").is_some(), "Beta is not");
    let said: Vec<String> = app
        .bot_messages(&room)
        .into_iter()
        .filter_map(|m| m.markdown)
        .collect();
    assert!(
        !said.iter().any(|m| m.contains("no longer exists")),
        "{said:?}"
    );

    // The number now says what happened to it; number 2 is still Beta.
    app.say(&room, "reschedule 1 to 11am").await;
    let answer = reply_with(&app, &room, "already cancelled").await;
    assert!(
        answer.starts_with("You already cancelled number 1 (**Alpha**)."),
        "{answer}"
    );
    app.say(&room, "cancel 2").await;
    let (_, card) = app.wait_for_card(&room, 2).await;
    assert!(card.to_string().contains("Beta"), "{card}");
}

/// A move is confirmed with the support reference of its work at the end (issue 14 part 3:
/// the invitations it queued carry the same one); the text before it is what is compared.
fn without_reference(reply: &str) -> &str {
    let (text, reference) = reply
        .rsplit_once("\n\n_reference: ")
        .unwrap_or_else(|| panic!("no reference: {reply}"));
    assert_eq!(reference.len(), "0123abcd_".len(), "{reply}");
    text
}

#[tokio::test]
async fn move_then_move_again_by_the_same_number_says_from_when_to_when() {
    let app = linked(false).await;
    let room = app.direct.clone();
    let d = day(2);
    scheduled_and_listed(&app, &room, &[("Gamma", d, "3pm")]).await;

    app.say(&room, "move 1 to 5pm").await;
    let first = reply_with(&app, &room, "Moved **Gamma**").await;
    assert_eq!(
        without_reference(&first),
        format!(
            "Moved **Gamma** from {} to {} (Europe/Berlin).",
            slot(d, (15, 0), (15, 30)),
            slot(d, (17, 0), (17, 30))
        )
    );
    app.say(&room, "move 1 to 5:30pm").await;
    let second = reply_with(&app, &room, &format!("to {}", slot(d, (17, 30), (18, 0)))).await;
    assert_eq!(
        without_reference(&second),
        format!(
            "Moved **Gamma** from {} to {} (Europe/Berlin).",
            slot(d, (17, 0), (17, 30)),
            slot(d, (17, 30), (18, 0))
        )
    );
    assert_eq!(
        meeting(&app, "Gamma").unwrap(),
        (berlin(d, 17, 30), berlin(d, 18, 0))
    );
    assert_eq!(app.calls(Method::PATCH, "/v1/meetings/"), 2);
}

#[tokio::test]
async fn a_number_changed_outside_the_chat_is_said_to_be_stale_and_the_list_shown_again() {
    let app = linked(false).await;
    let room = app.direct.clone();
    scheduled_and_listed(
        &app,
        &room,
        &[("Delta", day(2), "9am"), ("Epsilon", day(3), "9am")],
    )
    .await;

    // Ana moves Delta in Webex itself, after Epsilon.
    let series = app
        .meetings()
        .into_iter()
        .find(|m| m["title"] == "Delta")
        .unwrap();
    let token = app.emulator.issue_user_token(
        &app.person.id,
        &["meeting:schedules_read", "meeting:schedules_write"],
    );
    let moved = app
        .http
        .put(
            app.emulator
                .api_base()
                .join(&format!("meetings/{}", series["id"].as_str().unwrap()))
                .unwrap(),
        )
        .bearer_auth(secrecy::ExposeSecret::expose_secret(&token))
        .json(&serde_json::json!({
            "title": "Delta",
            "start": berlin(day(4), 9, 0).to_rfc3339(),
            "end": berlin(day(4), 9, 30).to_rfc3339(),
            "timezone": "Europe/Berlin",
        }))
        .send()
        .await
        .unwrap();
    assert!(moved.status().is_success(), "{:?}", moved.text().await);

    let patches = app.calls(Method::PATCH, "/v1/meetings/");
    app.say(&room, "reschedule 1 to 11am").await;
    let answer = reply_with(&app, &room, "has changed since I listed it").await;
    assert!(
        answer.starts_with(
            "Number 1 of your last list (**Delta**) has changed since I listed it (moved or \
             cancelled outside this chat), so I did nothing."
        ),
        "{answer}"
    );
    assert!(!answer.contains("no longer exists"), "{answer}");
    assert!(answer.contains("1. Epsilon"), "{answer}");
    assert!(
        answer.contains(&format!("2. Delta — {}", slot(day(4), (9, 0), (9, 30)))),
        "{answer}"
    );
    assert_eq!(
        app.calls(Method::PATCH, "/v1/meetings/"),
        patches,
        "nothing moved"
    );

    // The new numbers work.
    app.say(&room, "reschedule 2 to 11am").await;
    reply_with(&app, &room, "Moved **Delta**").await;
    assert_eq!(meeting(&app, "Delta").unwrap().0, berlin(day(4), 11, 0));
}

#[tokio::test]
async fn a_time_alone_keeps_the_meetings_day_and_length() {
    let app = linked(false).await;
    let room = app.direct.clone();
    let d = day(3);
    app.say(&room, &format!("schedule zeta {} 3-4pm", iso(d)))
        .await;
    app.wait_for_text(&room, "Scheduled: Zeta").await;
    app.say(&room, "list").await;
    app.wait_for_text(&room, "1. Zeta").await;

    app.say(&room, "reschedule 1 to 10am").await;
    reply_with(&app, &room, "Moved **Zeta**").await;
    assert_eq!(
        meeting(&app, "Zeta").unwrap(),
        (berlin(d, 10, 0), berlin(d, 11, 0)),
        "the same day, an hour long as before"
    );
}

#[tokio::test]
async fn a_day_alone_keeps_the_meetings_time_and_length() {
    let app = linked(false).await;
    let room = app.direct.clone();
    app.say(&room, &format!("schedule eta {} 3-4:15pm", iso(day(2))))
        .await;
    app.wait_for_text(&room, "Scheduled: Eta").await;
    app.say(&room, "list").await;
    app.wait_for_text(&room, "1. Eta").await;

    app.say(&room, &format!("reschedule 1 to {}", iso(day(5))))
        .await;
    let moved = reply_with(&app, &room, "Moved **Eta**").await;
    assert!(
        moved.contains(&format!("to {}", slot(day(5), (15, 0), (16, 15)))),
        "{moved}"
    );
    assert_eq!(
        meeting(&app, "Eta").unwrap(),
        (berlin(day(5), 15, 0), berlin(day(5), 16, 15))
    );
}

#[tokio::test]
async fn a_whole_series_moved_to_a_day_alone_keeps_its_time_and_says_it_is_the_whole_series() {
    let app = linked(false).await;
    let room = app.direct.clone();
    app.say(&room, "schedule planning every monday 10-11am x4")
        .await;
    app.wait_for_text(&room, "Scheduled: Planning").await;
    let number = app.meetings()[0]["meetingNumber"]
        .as_str()
        .unwrap()
        .to_string();

    let d = day(9);
    app.say(&room, &format!("reschedule {number} to {}", iso(d)))
        .await;
    let moved = reply_with(&app, &room, "Moved **Planning** (the whole series) from").await;
    assert!(
        moved.contains(&format!("to {}", slot(d, (10, 0), (11, 0)))),
        "{moved}"
    );
    assert_eq!(
        meeting(&app, "Planning").unwrap(),
        (berlin(d, 10, 0), berlin(d, 11, 0))
    );
    let rule = app.meetings()[0]["recurrence"]
        .as_str()
        .unwrap()
        .to_string();
    let weekday = d.format("%a").to_string().to_uppercase();
    assert_eq!(rule, format!("FREQ=WEEKLY;BYDAY={};COUNT=4", &weekday[..2]));
}

/// With previews on: the move is shown on a card (from → to) in the group space; only Ana
/// can answer it, once.
#[tokio::test]
async fn a_reschedule_is_previewed_and_confirm_moves_it_once_for_its_owner_only() {
    let app = linked(true).await;
    let room = app.group.clone();
    let d = day(2);
    app.say(&room, &format!("@Scheduler schedule theta {} 3pm", iso(d)))
        .await;
    let (preview, card) = app.wait_for_card(&room, 1).await;
    app.press(&app.person.id, &preview, &card, "Schedule").await;
    app.wait_for_text(&room, "Scheduled: Theta").await;
    // In a group space a meeting is named by its meeting number (list numbers live in the
    // direct space, where `list` is answered).
    let number = app.meetings()[0]["meetingNumber"]
        .as_str()
        .unwrap()
        .to_string();

    app.say(&room, &format!("@Scheduler reschedule {number} to 10am"))
        .await;
    let (question, card) = app.wait_for_card(&room, 2).await;
    let fallback = app.emulator.message(&question).unwrap().markdown.unwrap();
    assert_eq!(
        fallback,
        format!(
            "Move **Theta** from {} to {} (Europe/Berlin)?",
            slot(d, (15, 0), (15, 30)),
            slot(d, (10, 0), (10, 30))
        )
    );
    let facts = card["content"]["body"][1]["facts"].to_string();
    assert!(facts.contains(&slot(d, (15, 0), (15, 30))), "{facts}");
    assert!(facts.contains(&slot(d, (10, 0), (10, 30))), "{facts}");
    assert_eq!(app.calls(Method::PATCH, "/v1/meetings/"), 0, "nothing yet");

    app.press(&app.colleague.id, &question, &card, "Confirm")
        .await;
    app.wait_for_text(&room, "Only the person who asked can answer this")
        .await;
    assert_eq!(app.calls(Method::PATCH, "/v1/meetings/"), 0);

    app.press(&app.person.id, &question, &card, "Confirm").await;
    let moved = reply_with(&app, &room, "Moved **Theta**").await;
    assert!(
        moved.contains(&format!("from {} to", slot(d, (15, 0), (15, 30)))),
        "{moved}"
    );
    assert_eq!(meeting(&app, "Theta").unwrap().0, berlin(d, 10, 0));

    // Once: a second Confirm, or a Keep, changes nothing more.
    app.press(&app.person.id, &question, &card, "Confirm").await;
    app.press(&app.person.id, &question, &card, "Keep").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.wait_until_settled().await;
    assert_eq!(app.calls(Method::PATCH, "/v1/meetings/"), 1);
    let moves = app
        .bot_messages(&room)
        .into_iter()
        .filter_map(|m| m.markdown)
        .filter(|m| m.starts_with("Moved") || m.starts_with("OK,"))
        .count();
    assert_eq!(moves, 1);
}

#[tokio::test]
async fn keep_on_a_reschedule_preview_changes_nothing() {
    let app = linked(true).await;
    let room = app.direct.clone();
    let d = day(2);
    app.say(&room, &format!("schedule iota {} 3pm", iso(d)))
        .await;
    let (preview, card) = app.wait_for_card(&room, 1).await;
    app.press(&app.person.id, &preview, &card, "Schedule").await;
    app.wait_for_text(&room, "Scheduled: Iota").await;
    app.say(&room, "list").await;
    app.wait_for_text(&room, "1. Iota").await;

    app.say(&room, &format!("reschedule 1 to {}", iso(day(4))))
        .await;
    let (question, card) = app.wait_for_card(&room, 2).await;
    app.press(&app.person.id, &question, &card, "Keep").await;
    let kept = reply_with(&app, &room, "OK,").await;
    assert_eq!(
        kept,
        format!("OK, **Iota** stays on {}.", slot(d, (15, 0), (15, 30)))
    );
    app.press(&app.person.id, &question, &card, "Confirm").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.wait_until_settled().await;
    assert_eq!(app.calls(Method::PATCH, "/v1/meetings/"), 0);
    assert_eq!(meeting(&app, "Iota").unwrap().0, berlin(d, 15, 0));

    // Where it already is: nothing to confirm.
    app.say(&room, "reschedule 1 to 3pm").await;
    let answer = reply_with(&app, &room, "nothing to move").await;
    assert_eq!(
        answer,
        format!(
            "**Iota** is already on {}, so there is nothing to move.",
            slot(d, (15, 0), (15, 30))
        )
    );
    assert_eq!(
        app.bot_messages(&room)
            .iter()
            .filter(|m| !m.attachments.is_empty())
            .count(),
        2,
        "no new card"
    );
}

/// The text part of each invitation e-mail in `dir` with SEQUENCE `sequence`.
fn mail_texts(dir: &std::path::Path, sequence: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .filter_map(|e| {
            let raw = std::fs::read(e.path()).ok()?;
            let message = mail_parser::MessageParser::default().parse(&raw)?;
            let calendar = message.parts.iter().find(|p| {
                p.content_type()
                    .is_some_and(|c| c.ctype() == "text" && c.subtype() == Some("calendar"))
            })?;
            let ics = calendar.text_contents()?.to_string();
            ics.contains(&format!("SEQUENCE:{sequence}\r\n"))
                .then(|| message.body_text(0).map(|t| t.to_string()))
                .flatten()
        })
        .collect()
}

#[tokio::test]
async fn the_invitation_of_a_moved_meeting_says_from_when_to_when() {
    let (mail_dir, app) = crate::invitations::mailing_app().await;
    let room = app.direct.clone();
    let d = day(2);
    app.say(
        &room,
        &format!("schedule kappa {} 3pm with carol@example.com", iso(d)),
    )
    .await;
    app.wait_for_text(&room, "Scheduled: Kappa").await;
    app.say(&room, "list").await;
    app.wait_for_text(&room, "1. Kappa").await;
    app.say(&room, "reschedule 1 to 4pm").await;
    app.wait_for_text(&room, "Moved **Kappa**").await;

    let texts = common::eventually("both updates mailed", common::WAIT, async || {
        let texts = mail_texts(mail_dir.path(), "1");
        if texts.len() >= 2 {
            Ok(texts)
        } else {
            Err(texts.len())
        }
    })
    .await;
    let day_text = d.format("%a %-d %b %Y");
    for text in texts {
        assert!(text.starts_with("This meeting has been moved."), "{text}");
        assert!(
            text.contains(&format!("When: {day_text} 16:00–16:30 (Europe/Berlin)")),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "Moved from: {day_text} 15:00–15:30 (Europe/Berlin)"
            )),
            "{text}"
        );
    }
}
