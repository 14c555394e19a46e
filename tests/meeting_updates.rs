//! How the bot changes meetings at Webex, end to end against the emulator (issue 12, parts
//! 4 to 6): a move is a `PATCH` of only what changes, sent as the meeting document's
//! `application/json-patch+json`, never with the password and, for one occurrence of a
//! series, never with `integrationTags`; one occurrence stays between its neighbours, and a
//! move past them is refused before Webex is asked, naming the days that are possible; rules
//! go out in the form Cisco's documents show (`BYDAY=2TU`).
//!
//! Ana's zone is Europe/Berlin; days are counted from today there.

use crate::common;

use axum::http::Method;
use chrono::{Datelike, Duration as Days, NaiveDate, Utc};
use chrono_tz::Europe::Berlin;
use common::{TestApp, spawn_app};
use serde_json::Value;
use webex_emulator::RecordedRequest;

/// A linked person whose requests are carried out at once (no previews).
async fn linked() -> TestApp {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    app
}

fn day(n: i64) -> NaiveDate {
    (Utc::now().with_timezone(&Berlin) + Days::days(n)).date_naive()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The bot's requests to change meetings (`PATCH` or `PUT` on `/v1/meetings/…`).
fn meeting_changes(app: &TestApp) -> Vec<RecordedRequest> {
    app.emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == Method::PATCH || r.method == Method::PUT)
        .filter(|r| r.path.starts_with("/v1/meetings/"))
        .collect()
}

fn keys(body: &Value) -> Vec<String> {
    let mut keys: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// The newest bot message in the direct space containing `needle`.
async fn reply_with(app: &TestApp, needle: &str) -> String {
    app.wait_for_text(&app.direct, needle).await;
    app.bot_markdown(&app.direct)
        .into_iter()
        .rev()
        .find(|m| m.contains(needle))
        .unwrap()
}

fn weekday_name(d: NaiveDate) -> String {
    d.format("%A").to_string().to_lowercase()
}

/// "Planning" on the weekdays of `day(1)` and `day(4)`, six times, listed: 1. is on day 1,
/// 2. on day 4, and the next one after that on day 8.
async fn twice_weekly(app: &TestApp) {
    app.say(
        &app.direct,
        &format!(
            "schedule Planning {} 9am every {} and {} 6 times",
            iso(day(1)),
            weekday_name(day(1)),
            weekday_name(day(4))
        ),
    )
    .await;
    app.wait_for_text(&app.direct, "Scheduled: Planning").await;
    app.wait_until_settled().await;
    app.say(&app.direct, "list").await;
    app.wait_for_text(&app.direct, "2. Planning").await;
}

#[tokio::test]
async fn one_occurrence_moves_by_a_patch_of_its_times_without_tags_or_password() {
    let app = linked().await;
    twice_weekly(&app).await;
    app.say(&app.direct, &format!("reschedule 2 to {} 3pm", iso(day(4))))
        .await;
    reply_with(&app, "Moved this occurrence of **Planning**").await;

    let changes = meeting_changes(&app);
    assert_eq!(changes.len(), 1, "{changes:?}");
    let change = &changes[0];
    assert_eq!(change.method, Method::PATCH);
    assert_eq!(change.content_type, "application/json-patch+json");
    let series = &app.meetings()[0];
    let series_id = series["id"].as_str().unwrap();
    assert!(
        change
            .path
            .starts_with(&format!("/v1/meetings/{series_id}_")),
        "{}",
        change.path
    );
    let body = change.body.as_ref().unwrap();
    assert_eq!(keys(body), ["end", "sendEmail", "start"], "{body}");
    assert!(
        body["start"].as_str().unwrap().contains("T15:00:00"),
        "{body}"
    );
    // The series keeps its tag (the bot's idempotency key) and its password.
    assert!(
        series["integrationTags"]
            .as_array()
            .is_some_and(|t| !t.is_empty())
    );
    assert!(series["password"].is_string());
}

#[tokio::test]
async fn an_occurrence_is_not_moved_past_its_neighbours_and_the_reply_says_where_it_can_go() {
    let app = linked().await;
    twice_weekly(&app).await;
    let before = app.emulator.meetings();

    // The second Planning is on day 4, the third on day 8: day 8 is taken.
    app.say(
        &app.direct,
        &format!("reschedule 2 to {} 10am", iso(day(8))),
    )
    .await;
    let refusal = reply_with(&app, "can't move to").await;
    let date = |d: NaiveDate| d.format("%a %-d %b %Y").to_string();
    assert!(
        refusal.contains(&format!(
            "It can move to any day from {} to {} (the previous occurrence is on {}, the next \
             on {})",
            date(day(2)),
            date(day(7)),
            date(day(1)),
            date(day(8))
        )),
        "{refusal}"
    );
    assert!(meeting_changes(&app).is_empty(), "Webex was not asked");
    assert_eq!(app.emulator.meetings(), before, "nothing changed");

    // Inside the window the same occurrence moves.
    app.say(
        &app.direct,
        &format!("reschedule 2 to {} 10am", iso(day(7))),
    )
    .await;
    reply_with(&app, "Moved this occurrence of **Planning**").await;
    assert_eq!(meeting_changes(&app).len(), 1);
}

#[tokio::test]
async fn a_whole_series_move_patches_times_and_rule_and_keeps_what_was_edited_in_webex() {
    let app = linked().await;
    app.say(
        &app.direct,
        &format!("schedule Planning {} 9am weekly 4 times", iso(day(2))),
    )
    .await;
    app.wait_for_text(&app.direct, "Scheduled: Planning").await;
    app.wait_until_settled().await;
    let series = app.meetings()[0].clone();
    let id = series["id"].as_str().unwrap();
    let number = series["meetingNumber"].as_str().unwrap().to_string();

    // Ana renames the meeting and gives it an agenda in Webex itself.
    let token = app.emulator.issue_user_token(
        &app.person.id,
        &["meeting:schedules_read", "meeting:schedules_write"],
    );
    let edited = app
        .http
        .patch(
            app.emulator
                .api_base()
                .join(&format!("meetings/{id}"))
                .unwrap(),
        )
        .bearer_auth(secrecy::ExposeSecret::expose_secret(&token))
        .header("content-type", "application/json-patch+json")
        .body(r#"{"title": "Quarterly planning", "agenda": "Budget first"}"#)
        .send()
        .await
        .unwrap();
    assert!(edited.status().is_success(), "{:?}", edited.text().await);

    let edits = meeting_changes(&app).len();
    let moved_to = day(3);
    app.say(
        &app.direct,
        &format!("reschedule {number} to {} 11am", iso(moved_to)),
    )
    .await;
    reply_with(&app, "Moved **Quarterly planning** (the whole series)").await;

    let changes = meeting_changes(&app).split_off(edits);
    assert_eq!(changes.len(), 1, "{changes:?}");
    let body = changes[0].body.as_ref().unwrap();
    assert_eq!(changes[0].path, format!("/v1/meetings/{id}"));
    assert_eq!(
        keys(body),
        ["end", "recurrence", "sendEmail", "start"],
        "{body}"
    );
    let weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
        [moved_to.weekday().num_days_from_monday() as usize];
    assert_eq!(
        body["recurrence"],
        format!("FREQ=WEEKLY;BYDAY={weekday};COUNT=4")
    );

    let after = &app.meetings()[0];
    assert_eq!(after["title"], "Quarterly planning");
    assert_eq!(after["agenda"], "Budget first");
    assert_eq!(after["password"], series["password"]);
    assert_eq!(after["integrationTags"], series["integrationTags"]);
}

#[tokio::test]
async fn the_nth_weekday_of_a_month_is_sent_as_cisco_writes_it() {
    let app = linked().await;
    app.say(
        &app.direct,
        "schedule Review the second tuesday of every month 3pm three times",
    )
    .await;
    app.wait_for_text(&app.direct, "Scheduled: Review").await;
    let created = app
        .emulator
        .requests()
        .into_iter()
        .find(|r| r.method == Method::POST && r.path == "/v1/meetings")
        .and_then(|r| r.body)
        .expect("a POST");
    assert_eq!(created["recurrence"], "FREQ=MONTHLY;BYDAY=2TU;COUNT=3");
    assert_eq!(
        app.meetings()[0]["recurrence"],
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=3"
    );
}
