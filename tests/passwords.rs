//! Meeting passwords end to end (issue 12 part 8): the rule the bot checks before calling
//! Webex and the reply after Webex refuses a password say the same rule, and the refusal
//! quotes the reason Webex gave (in `errors[].description`, as the meeting document's
//! example does), not a guess of the bot's.

use crate::common;

use axum::http::Method;
use common::{TestApp, spawn_app};
use scheduler_core::schedule::PASSWORD_RULE;

/// A person with a linked account and previews off: requests go to Webex at once.
async fn linked_without_previews() -> TestApp {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    app
}

/// Attempts to create a meeting, refused or not.
fn meeting_posts(app: &TestApp) -> Vec<u16> {
    app.emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == Method::POST && r.path == "/v1/meetings")
        .map(|r| r.status)
        .collect()
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
async fn a_password_webex_refuses_is_answered_with_webexs_reason_and_the_same_rule_as_the_check() {
    let app = linked_without_previews().await;

    // Refused by the bot's own check: Webex is not asked.
    app.say(
        &app.direct,
        "schedule check alpha tomorrow 9am password ab1",
    )
    .await;
    let before = reply_with(&app, &app.direct, "password").await;
    assert!(before.contains(PASSWORD_RULE), "{before}");
    assert!(meeting_posts(&app).is_empty(), "{:?}", meeting_posts(&app));

    // Passes the bot's check (ß is a letter) but not the emulated site's (A to Z only): Webex
    // refuses, and the reply quotes Webex's reason, then the same rule.
    app.say(
        &app.direct,
        "schedule check beta tomorrow 9am password ßßß12",
    )
    .await;
    let after = reply_with(&app, &app.direct, "Webex didn't accept that password").await;
    assert_eq!(meeting_posts(&app), [400], "Webex was asked once");
    assert!(
        after.contains(
            "Meeting password validation failed. The password must have 4 to 32 characters, \
             no spaces, at least one letter (A to Z) and one digit"
        ),
        "Webex's reason is quoted: {after}"
    );
    assert!(after.contains(PASSWORD_RULE), "the same rule: {after}");
    assert!(
        !after.contains("ßßß12"),
        "the password is not repeated: {after}"
    );
    assert!(app.meetings().is_empty());
}
