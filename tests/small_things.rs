//! Small things a new user trips over: `connect` answers with one message; the confirmation
//! comes before the password message; Schedule pressed again on a preview says where the meeting
//! is; the form's button says what it does (a preview first, unless previews are off).

use crate::common;

use chrono::{Duration, Utc};
use common::{TestApp, spawn_app};
use serde_json::{Value, json};

fn texts(app: &TestApp, room: &str) -> Vec<String> {
    app.bot_messages(room)
        .into_iter()
        .map(|m| m.markdown.unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn connect_in_a_direct_space_is_one_message_with_the_link() {
    let app = spawn_app().await;
    app.say(&app.direct, "connect").await;
    let link = app.wait_for_link(&app.person.id).await;
    app.wait_until_settled().await;
    let said = texts(&app, &app.direct);
    assert_eq!(said.len(), 1, "one message: {said:?}");
    assert!(said[0].contains(&link), "{said:?}");
    // The link still works.
    assert_eq!(app.consent_as(&link, &app.person.id).await.0, 200);
    app.wait_for_text(&app.direct, "You're connected").await;
}

#[tokio::test]
async fn the_confirmation_comes_before_the_password() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    app.say(
        &app.direct,
        "schedule vault review tomorrow 10am password Walrus31q",
    )
    .await;
    app.wait_for_text(&app.direct, "The password for").await;
    app.wait_until_settled().await;
    let said = texts(&app, &app.direct);
    let confirmation = said
        .iter()
        .position(|m| m.contains("Scheduled: Vault review"))
        .expect("a confirmation");
    let password = said
        .iter()
        .position(|m| m.contains("The password for **Vault review** is `Walrus31q`"))
        .expect("the password message");
    assert!(confirmation < password, "{said:?}");
    assert_eq!(
        said.iter()
            .filter(|m| m.contains("The password for"))
            .count(),
        1
    );
}

#[tokio::test]
async fn schedule_pressed_again_says_the_meeting_is_already_scheduled() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.say(&app.direct, "schedule sync tomorrow 3pm").await;
    let (preview_message, preview) = app.wait_for_card(&app.direct, 1).await;
    app.press(&app.person.id, &preview_message, &preview, "Schedule")
        .await;
    app.wait_for_text(&app.direct, "Scheduled: Sync").await;
    app.wait_until_settled().await;

    app.press(&app.person.id, &preview_message, &preview, "Schedule")
        .await;
    app.wait_for_text(&app.direct, "Already scheduled: ").await;
    app.wait_until_settled().await;
    let link = app.meetings()[0]["webLink"].as_str().unwrap().to_string();
    let said = texts(&app, &app.direct);
    let again = said.last().unwrap();
    assert_eq!(again, &format!("Already scheduled: {link}"));
    assert_eq!(app.meetings().len(), 1, "still one meeting");
}

/// What a Webex client sends when the form's submit button is pressed.
fn form_submission(card: &Value, title: &str) -> Value {
    let content = card.get("content").unwrap_or(card);
    let mut inputs = json!({
        "title": title, "date": (Utc::now() + Duration::days(1)).format("%Y-%m-%d").to_string(),
        "start": "10:00", "end": "", "duration": "30", "zone": "Europe/Berlin",
        "zone_typed": "", "repeat": "none", "days": "", "ends": "never", "count": "",
        "until": "", "invitees": "", "cohosts": "", "password": "", "agenda": ""
    });
    let data = content["actions"]
        .as_array()
        .and_then(|a| a.iter().find(|b| b["data"]["action"] == "form"))
        .map(|b| b["data"].clone())
        .expect("a submit button");
    for (k, v) in data.as_object().unwrap() {
        inputs[k] = v.clone();
    }
    inputs
}

fn button_titles(card: &Value) -> Vec<String> {
    let content = card.get("content").unwrap_or(card);
    content["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn the_forms_button_says_preview_and_a_preview_follows() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.say(&app.direct, "form").await;
    let (form_message, form) = app.wait_for_card(&app.direct, 1).await;
    assert_eq!(button_titles(&form), ["Preview", "Cancel"]);

    app.emulator
        .submit_card(
            &app.person.id,
            &form_message,
            form_submission(&form, "Roadmap"),
        )
        .await
        .unwrap();
    let (preview_message, preview) = app.wait_for_card(&app.direct, 2).await;
    assert_eq!(button_titles(&preview), ["Schedule", "Edit", "Cancel"]);
    assert!(
        app.meetings().is_empty(),
        "the form's button does not create"
    );
    app.press(&app.person.id, &preview_message, &preview, "Schedule")
        .await;
    app.wait_for_text(&app.direct, "Scheduled: Roadmap").await;
    app.wait_until_settled().await;
    assert_eq!(app.meetings().len(), 1);
}

#[tokio::test]
async fn with_previews_off_the_forms_button_says_schedule_and_schedules() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    app.say(&app.direct, "form").await;
    let (form_message, form) = app.wait_for_card(&app.direct, 1).await;
    assert_eq!(button_titles(&form), ["Schedule", "Cancel"]);
    app.emulator
        .submit_card(
            &app.person.id,
            &form_message,
            form_submission(&form, "Roadmap"),
        )
        .await
        .unwrap();
    app.wait_for_text(&app.direct, "Scheduled: Roadmap").await;
    app.wait_until_settled().await;
    assert_eq!(app.meetings().len(), 1);
}
