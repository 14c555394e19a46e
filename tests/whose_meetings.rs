//! Whose meetings (issue 12 part 3), end to end: Webex lists the meetings a person hosts and
//! those they are invited to; `list` shows them apart (only the person's own are numbered),
//! `cancel` and `reschedule` on someone else's meeting say who hosts it and ask Webex nothing,
//! and a `DELETE` answered 404 counts as "already gone" only when a `GET` agrees.

use crate::common;

use axum::http::Method;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use common::{TestApp, spawn_app};
use serde_json::{Value, json};
use webex_emulator::{Fault, FaultKind};

/// Ana, connected to the bot.
async fn linked() -> TestApp {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app
}

/// Tomorrow in Berlin (Ana's zone), so that `list` (the next 7 days) holds it.
fn tomorrow() -> NaiveDate {
    (Utc::now().with_timezone(&Berlin) + Duration::days(1)).date_naive()
}

/// A 30-minute meeting tomorrow at `hour` Berlin time, inviting `invitees`.
fn meeting(title: &str, hour: u32, invitees: &[&str]) -> Value {
    let start = Berlin
        .from_local_datetime(&tomorrow().and_hms_opt(hour, 0, 0).unwrap())
        .unwrap();
    json!({
        "title": title,
        "start": start.to_rfc3339(),
        "end": (start + Duration::minutes(30)).to_rfc3339(),
        "timezone": "Europe/Berlin",
        "sendEmail": false,
        "invitees": invitees.iter().map(|e| json!({"email": e})).collect::<Vec<_>>(),
    })
}

/// The bot's last message in `room` that contains `needle`.
async fn reply_with(app: &TestApp, room: &str, needle: &str) -> String {
    app.wait_for_text(room, needle).await;
    app.bot_markdown(room)
        .into_iter()
        .rev()
        .find(|m| m.contains(needle))
        .expect("waited for it")
}

#[tokio::test]
async fn list_shows_invited_meetings_apart_and_cancel_or_reschedule_on_them_explains_the_host() {
    let app = linked().await;
    let bob = app.webex_as(&app.colleague.id);
    let theirs = bob
        .create_meeting(meeting("Budget review", 10, &["ana@example.com"]))
        .await;
    app.webex_as(&app.person.id)
        .create_meeting(meeting("Ana's sync", 9, &[]))
        .await;

    app.say(&app.direct, "list").await;
    let listing = reply_with(&app, &app.direct, "Your meetings").await;
    assert!(listing.contains("1. Ana's sync"), "{listing}");
    assert!(
        !listing.contains("2."),
        "only Ana's own are numbered: {listing}"
    );
    let invited = listing
        .split_once("**Invited to**")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("an Invited to section: {listing}"));
    assert!(invited.contains("- Budget review"), "{listing}");
    assert!(invited.contains("hosted by Bob Smith"), "{listing}");
    assert!(!invited.contains("Ana's sync"), "{listing}");

    let number = theirs["meetingNumber"].as_str().unwrap();
    app.say(&app.direct, &format!("cancel {number}")).await;
    let refused = reply_with(&app, &app.direct, "only the host can cancel").await;
    assert!(refused.contains("**Budget review**"), "{refused}");
    assert!(refused.contains("Bob Smith hosts it"), "{refused}");
    app.say(&app.direct, &format!("reschedule {number} to 3pm"))
        .await;
    reply_with(&app, &app.direct, "only the host can reschedule").await;
    app.wait_until_settled().await;
    assert_eq!(app.calls(Method::DELETE, "/v1/meetings"), 0);
    assert_eq!(app.calls(Method::PUT, "/v1/meetings"), 0);
    assert_eq!(app.meetings().len(), 2, "nothing was cancelled");
    assert!(
        app.bot_messages(&app.direct)
            .iter()
            .all(|m| m.attachments.is_empty()),
        "no card"
    );
}

/// Ana lists her one meeting and asks to cancel it: the card to confirm, with its message id.
async fn asked_to_cancel(app: &TestApp) -> (String, Value) {
    app.webex_as(&app.person.id)
        .create_meeting(meeting("Retro", 14, &[]))
        .await;
    app.say(&app.direct, "list").await;
    reply_with(app, &app.direct, "1. Retro").await;
    app.say(&app.direct, "cancel 1").await;
    app.wait_for_card(&app.direct, 1).await
}

#[tokio::test]
async fn a_delete_answered_404_while_the_meeting_is_still_there_is_not_called_cancelled() {
    let app = linked().await;
    let (message, card) = asked_to_cancel(&app).await;
    app.emulator.inject(Fault::new(
        Some(Method::DELETE),
        "/v1/meetings/",
        FaultKind::ServerError(404),
        1,
    ));
    app.press(&app.person.id, &message, &card, "Cancel meeting")
        .await;
    let answer = reply_with(&app, &app.direct, "couldn't cancel").await;
    assert!(answer.contains("**Retro**"), "{answer}");
    assert!(answer.contains("still there"), "{answer}");
    assert!(
        !app.bot_markdown(&app.direct)
            .iter()
            .any(|m| m.contains("Cancelled"))
    );
    assert_eq!(app.meetings().len(), 1);
}

#[tokio::test]
async fn a_delete_answered_404_is_already_gone_when_a_get_agrees() {
    let app = linked().await;
    let (message, card) = asked_to_cancel(&app).await;
    // Ana deletes it in Webex herself before she answers the card.
    let id = app.meetings()[0]["id"].as_str().unwrap().to_string();
    assert_eq!(app.webex_as(&app.person.id).delete_meeting(&id).await, 204);
    let gets_before = app.calls(Method::GET, &format!("/v1/meetings/{id}"));
    app.press(&app.person.id, &message, &card, "Cancel meeting")
        .await;
    reply_with(
        &app,
        &app.direct,
        "**Retro** is no longer in Webex, so it's cancelled.",
    )
    .await;
    assert!(
        app.calls(Method::GET, &format!("/v1/meetings/{id}")) > gets_before,
        "the 404 was confirmed with a GET"
    );
}
