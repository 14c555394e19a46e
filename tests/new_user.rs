//! What a new user trips over (issue 16, items 3 and 4), end to end against the emulator:
//! people named without an address are found among the space's members or said plainly not to
//! be invited, and questions, requests the bot cannot do and thanks get an honest answer.
//!
//! The group space is "Design team": Ana Lopez (who asks), Bob Smith and the bot.

use crate::common;

use axum::http::Method;
use common::{TestApp, spawn_app};
use serde_json::Value;

/// A fact of a preview card ("Invitees", "When"…).
fn fact(card: &Value, title: &str) -> Option<String> {
    card["content"]["body"]
        .as_array()?
        .iter()
        .find(|e| e["type"] == "FactSet")?["facts"]
        .as_array()?
        .iter()
        .find(|f| f["title"] == title)
        .and_then(|f| f["value"].as_str())
        .map(str::to_string)
}

/// The card's text outside its facts (the title, the not-invited notes).
fn texts(card: &Value) -> String {
    card["content"]["body"]
        .as_array()
        .map(|body| {
            body.iter()
                .filter(|e| e["type"] == "TextBlock")
                .filter_map(|e| e["text"].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// The invitee addresses of the meetings the bot created.
fn invited(app: &TestApp) -> Vec<Vec<String>> {
    app.emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == Method::POST && r.path == "/v1/meetings" && r.status < 300)
        .filter_map(|r| r.body)
        .map(|body| {
            body["invitees"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|i| i["email"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect()
}

/// A linked person's preview of `text` in `room`: the card.
async fn preview_of(app: &TestApp, room: &str, text: &str) -> (String, Value) {
    app.say(room, text).await;
    app.wait_for_card(room, 1).await
}

/// The last thing the bot said in `room`, once it has said `n` things.
async fn nth_reply(app: &TestApp, room: &str, n: usize) -> String {
    let messages = app.wait_for_bot_messages(room, n).await;
    messages[n - 1].markdown.clone().unwrap_or_default()
}

#[tokio::test]
async fn a_name_that_is_one_members_first_name_invites_that_member() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    let (message, card) =
        preview_of(&app, &app.group, "@Scheduler lunch with bob friday noon").await;
    assert_eq!(
        fact(&card, "Invitees").as_deref(),
        Some("Bob Smith (bob@example.com)"),
        "{card}"
    );
    assert!(!texts(&card).contains("not invited"), "{card}");
    assert!(
        texts(&card).contains("Lunch with bob"),
        "the title reads as typed"
    );
    app.press(&app.person.id, &message, &card, "Schedule").await;
    app.wait_for_text(&app.group, "Scheduled: Lunch with bob")
        .await;
    assert_eq!(invited(&app), [["bob@example.com"]]);
}

#[tokio::test]
async fn a_name_that_is_one_members_display_name_invites_that_member_without_a_preview() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    app.say(&app.group, "@Scheduler lunch with BOB SMITH friday noon")
        .await;
    app.wait_for_text(&app.group, "Scheduled:").await;
    let confirmation = nth_reply(&app, &app.group, 1).await;
    assert!(
        confirmation.contains("Invitees: Bob Smith"),
        "{confirmation}"
    );
    assert!(!confirmation.contains("not invited"), "{confirmation}");
    assert_eq!(invited(&app), [["bob@example.com"]]);
}

#[tokio::test]
async fn a_name_that_is_nobody_here_is_said_not_to_be_invited() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    let (message, card) =
        preview_of(&app, &app.group, "@Scheduler lunch with dave friday noon").await;
    assert_eq!(fact(&card, "Invitees").as_deref(), Some("nobody else"));
    assert!(
        texts(&card).contains("dave is not invited: write an e-mail address or @mention."),
        "{card}"
    );
    app.press(&app.person.id, &message, &card, "Schedule").await;
    let confirmation = nth_reply(&app, &app.group, 2).await;
    assert!(
        confirmation.contains("dave is not invited"),
        "{confirmation}"
    );
    assert_eq!(invited(&app), [Vec::<String>::new()]);
}

#[tokio::test]
async fn a_name_that_two_members_share_says_who_it_could_be_and_invites_neither() {
    let app = spawn_app().await;
    let other_bob = app
        .emulator
        .add_person("Bob Jones", "bob.jones@example.com", None);
    app.emulator
        .add_member(&app.group, &other_bob.id, &app.person.id);
    app.connect(&app.person.id).await;
    let (_, card) = preview_of(&app, &app.group, "@Scheduler lunch with Bob friday noon").await;
    assert_eq!(fact(&card, "Invitees").as_deref(), Some("nobody else"));
    let notes = texts(&card);
    assert!(notes.contains("Bob is not invited: it could be"), "{notes}");
    assert!(
        notes.contains("Bob Smith (bob@example.com)")
            && notes.contains("Bob Jones (bob.jones@example.com)"),
        "{notes}"
    );
    assert!(
        notes.contains("write an e-mail address or @mention"),
        "{notes}"
    );
}

#[tokio::test]
async fn in_a_direct_space_a_name_is_not_invited_and_the_confirmation_says_so() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    let before = app.bot_messages(&app.direct).len();
    let (_, card) = preview_of(&app, &app.direct, "lunch with bob friday noon").await;
    assert_eq!(fact(&card, "Invitees").as_deref(), Some("nobody else"));
    assert!(
        texts(&card).contains("bob is not invited: write an e-mail address."),
        "{card}"
    );
    assert_eq!(
        app.calls(Method::GET, "/v1/memberships"),
        0,
        "a direct space has no one else to ask about"
    );

    // With previews off, the confirmation carries the same note.
    app.previews_off().await;
    app.say(&app.direct, "coffee with bob friday 3pm").await;
    app.wait_for_text(&app.direct, "Scheduled: Coffee with bob")
        .await;
    let confirmation = app
        .bot_messages(&app.direct)
        .into_iter()
        .skip(before)
        .filter_map(|m| m.markdown)
        .find(|m| m.contains("Scheduled: Coffee with bob"))
        .unwrap();
    assert!(
        confirmation.contains("Invitees: nobody else"),
        "{confirmation}"
    );
    assert!(
        confirmation.contains("bob is not invited: write an e-mail address."),
        "{confirmation}"
    );
    assert_eq!(invited(&app), [Vec::<String>::new()]);
}

#[tokio::test]
async fn the_preview_always_says_who_is_invited_even_nobody() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    let (_, card) = preview_of(&app, &app.direct, "lunch friday noon").await;
    assert_eq!(fact(&card, "Invitees").as_deref(), Some("nobody else"));
    assert!(!texts(&card).contains("not invited"), "{card}");
}

/// Each message gets one reply; none asks to connect, none creates anything.
async fn answers(app: &TestApp, room: &str, prefix: &str, cases: &[(&str, &str)]) {
    let before = app.bot_messages(room).len();
    for (i, (text, reply)) in cases.iter().enumerate() {
        app.say(room, &format!("{prefix}{text}")).await;
        let got = nth_reply(app, room, before + i + 1).await;
        assert!(got.contains(reply), "{text:?} was answered {got:?}");
        assert!(
            !got.contains("Hi!") && !got.contains("When should it be"),
            "{got}"
        );
    }
    assert!(invited(app).is_empty(), "nothing was created");
    let link_sent = app
        .bot_messages(&app.emulator.direct_room(&app.person.id))
        .iter()
        .any(|m| {
            m.markdown
                .as_deref()
                .unwrap_or("")
                .contains("connect your Webex account")
        });
    assert!(!link_sent, "no answer needs an account");
}

#[tokio::test]
async fn questions_about_the_calendar_point_to_the_list() {
    let app = spawn_app().await;
    answers(
        &app,
        &app.direct,
        "",
        &[
            (
                "what's on tomorrow",
                "I can't answer questions yet, but `list tomorrow` shows your meetings tomorrow.",
            ),
            ("what do I have today?", "`list today`"),
            (
                "am I free friday",
                "I can't answer questions yet, but `list",
            ),
            ("do I have meetings next week", "`list next week`"),
            (
                "when is my next meeting",
                "`list` shows your meetings in the next 7 days",
            ),
            (
                "what's on in 2 months",
                "your Webex calendar shows the rest",
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn requests_the_bot_cannot_do_are_said_in_one_line() {
    let app = spawn_app().await;
    answers(
        &app,
        &app.group,
        "@Scheduler ",
        &[
            (
                "remind me 10 minutes before",
                "Reminders come with the meetings you schedule with me: I post one 10 minutes \
                 before each, where you scheduled it.",
            ),
            ("book a room for tomorrow 3pm", "I can't book rooms."),
            (
                "find a time with bob next week",
                "I can't look for a time when people are free.",
            ),
            ("what's on tomorrow", "`list tomorrow`"),
        ],
    )
    .await;
    for reply in app.bot_messages(&app.group) {
        let text = reply.markdown.unwrap_or_default();
        assert!(!text.contains('\n'), "one line: {text:?}");
    }
}

#[tokio::test]
async fn thanks_gets_a_friendly_answer_in_both_kinds_of_space() {
    let app = spawn_app().await;
    let thanks = [
        ("thanks", "You're welcome!"),
        ("thank you", "You're welcome!"),
        ("ty", "You're welcome!"),
        ("cheers", "You're welcome!"),
    ];
    answers(&app, &app.direct, "", &thanks).await;
    answers(&app, &app.group, "@Scheduler ", &thanks).await;
}
