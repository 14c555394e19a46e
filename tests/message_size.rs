//! Message size end to end (issue 12 part 2): the emulator refuses `text`/`markdown` over
//! 7,439 bytes as Webex does, and the bot's replies stay under it by design: a confirmation
//! for a meeting with 100 long-named invitees names 20 and counts the others, and `list`
//! with 120 meetings shows what fits and says how many more there are and how to see them.

use crate::common;

use axum::http::Method;
use chrono::{Duration, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use common::{TestApp, spawn_app, spawn_app_on};
use serde_json::json;
use webex_emulator::EmulatorConfig;

/// Webex's limit for a message's `text` or `markdown`.
const WEBEX_LIMIT: usize = 7439;

/// Every message the bot posted in `room` is within Webex's limit (else Webex would have
/// refused it: the emulator does).
fn all_within_the_limit(app: &TestApp, room: &str) {
    for markdown in app.bot_markdown(room) {
        assert!(markdown.len() <= WEBEX_LIMIT, "{} bytes", markdown.len());
    }
}

#[tokio::test]
async fn a_confirmation_for_a_hundred_long_named_invitees_names_twenty_and_counts_eighty() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    // Bob and 99 more people with long names share the group space with Ana.
    for n in 1..100 {
        let person = app.emulator.add_person(
            &format!("Maximiliane Alexandra Konstanze von Hohenberg-Lichtenstein {n:03}"),
            &format!("maximiliane.alexandra.konstanze.{n:03}@example.com"),
            None,
        );
        app.emulator
            .add_member(&app.group, &person.id, &app.person.id);
    }
    app.say(
        &app.group,
        "@Scheduler schedule town hall tomorrow 3pm with everyone",
    )
    .await;
    app.wait_for_text(&app.group, "Scheduled: Town hall").await;
    let posted = app
        .emulator
        .requests()
        .into_iter()
        .find(|r| r.method == Method::POST && r.path == "/v1/meetings" && r.status < 300)
        .and_then(|r| r.body)
        .expect("the meeting was created");
    assert_eq!(posted["invitees"].as_array().unwrap().len(), 100);
    let confirmation = app
        .bot_markdown(&app.group)
        .into_iter()
        .find(|m| m.contains("Scheduled: Town hall"))
        .unwrap();
    assert!(confirmation.contains(" and 80 others"), "{confirmation}");
    assert!(confirmation.contains("Bob Smith"), "{confirmation}");
    all_within_the_limit(&app, &app.group);
}

#[tokio::test]
async fn list_with_a_hundred_and_twenty_meetings_shows_what_fits_and_counts_the_rest() {
    let app = spawn_app_on(
        EmulatorConfig {
            meetings_per_day_quota: 200,
            ..EmulatorConfig::default()
        },
        |_| {},
    )
    .await;
    app.connect(&app.person.id).await;
    let ana = app.webex_as(&app.person.id);
    let tomorrow = (Utc::now().with_timezone(&Berlin) + Duration::days(1)).date_naive();
    for n in 0..120i64 {
        // Every hour from tomorrow 00:00 Berlin: five days, all within `list`'s seven.
        let start = Berlin
            .from_local_datetime(&tomorrow.and_hms_opt(0, 0, 0).unwrap())
            .unwrap()
            + Duration::hours(n);
        ana.create_meeting(json!({
            "title": format!("Quarterly planning for the platform and infrastructure teams, part {n:03}"),
            "start": start.to_rfc3339(),
            "end": (start + Duration::minutes(30)).to_rfc3339(),
            "timezone": "Europe/Berlin",
            "sendEmail": false,
        }))
        .await;
    }
    app.say(&app.direct, "list").await;
    app.wait_for_text(&app.direct, "Your meetings in the next 7 days")
        .await;
    let listing = app
        .bot_markdown(&app.direct)
        .into_iter()
        .find(|m| m.contains("Your meetings"))
        .unwrap();
    assert!(listing.len() <= WEBEX_LIMIT, "{} bytes", listing.len());
    let shown = listing
        .lines()
        .filter(|l| l.contains("Quarterly planning"))
        .count();
    let more = format!("…and {} more (narrow it: `list tomorrow`)", 120 - shown);
    assert!(shown > 10 && shown < 120, "{shown} shown");
    assert!(listing.contains(&more), "{listing}");
    assert!(
        listing.contains(&format!("{shown}. Quarterly planning")),
        "{listing}"
    );
    assert!(listing.ends_with("Type `cancel <n>` or `reschedule <n> to <when>`."));
    all_within_the_limit(&app, &app.direct);
}
