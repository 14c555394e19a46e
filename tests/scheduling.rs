//! Scheduling end to end against the emulator: typed command → preview → Schedule → exactly the
//! expected meeting → confirmation; and list, cancel, reschedule. Each test asserts what the
//! emulator received.

use crate::common;

use axum::http::Method;
use chrono::Datelike;
use common::{TestApp, WAIT, eventually, spawn_app, spawn_app_on, spawn_app_with};
use serde_json::Value;
use std::time::Duration;
use webex_emulator::{EmulatorConfig, Fault, FaultKind, RetryAfter};

fn meeting_posts(app: &TestApp) -> Vec<Value> {
    app.emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == Method::POST && r.path == "/v1/meetings" && r.status < 300)
        .filter_map(|r| r.body)
        .collect()
}

async fn say(app: &TestApp, room: &str, text: &str) -> String {
    app.emulator
        .post_as(&app.person.id, room, text)
        .await
        .unwrap()
}

/// A person with a linked account and previews off.
async fn linked_without_previews() -> TestApp {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    app
}

#[tokio::test]
async fn a_typed_command_is_previewed_confirmed_and_created_exactly_as_asked() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    let asked = say(
        &app,
        &app.group,
        "@Scheduler schedule design review tomorrow 3-4pm every other week with carol@example.com cohost @Bob",
    )
    .await;
    let (card_message, card) = app.wait_for_card(&app.group, 1).await;
    let preview = card.to_string();
    assert!(preview.contains("Design review"), "{preview}");
    assert!(
        preview.contains("every other week") || preview.contains("every 2 weeks"),
        "{preview}"
    );
    assert!(
        meeting_posts(&app).is_empty(),
        "nothing is created before Schedule"
    );
    assert_eq!(
        app.emulator
            .message(&card_message)
            .unwrap()
            .parent_id
            .as_deref(),
        Some(asked.as_str()),
        "the preview answers in the thread"
    );

    // Someone else pressing Schedule is refused politely.
    app.emulator
        .submit_card(
            &app.colleague.id,
            &card_message,
            card["content"]["actions"][0]["data"].clone(),
        )
        .await
        .unwrap();
    app.wait_for_text(&app.group, "Only the person who asked")
        .await;
    assert!(meeting_posts(&app).is_empty());

    app.press(&app.person.id, &card_message, &card, "Schedule")
        .await;
    app.wait_for_text(&app.group, "Scheduled:").await;
    // Pressed twice: still one meeting, one confirmation.
    app.press(&app.person.id, &card_message, &card, "Schedule")
        .await;
    app.wait_until_settled().await;

    let posts = meeting_posts(&app);
    assert_eq!(posts.len(), 1, "exactly one create call");
    assert_eq!(app.meetings().len(), 1, "exactly one meeting");
    let body = &posts[0];
    assert_eq!(
        body["title"], "Design review",
        "the title as typed, capitalised"
    );
    assert_eq!(
        body["timezone"], "Europe/Berlin",
        "the person's profile zone"
    );
    assert!(
        body["start"].as_str().unwrap().ends_with("T15:00:00+01:00")
            || body["start"].as_str().unwrap().ends_with("T15:00:00+02:00")
    );
    assert!(body["end"].as_str().unwrap().contains("T16:00:00"));
    assert!(
        body["recurrence"]
            .as_str()
            .unwrap()
            .starts_with("FREQ=WEEKLY;INTERVAL=2;BYDAY=")
    );
    assert_eq!(
        body["sendEmail"], false,
        "our invitation is the one people get"
    );
    let tags = body["integrationTags"].as_array().unwrap();
    assert_eq!(tags.len(), 1);
    assert!(tags[0].as_str().unwrap().starts_with("wxs-"));
    let invitees = body["invitees"].as_array().unwrap();
    let by_email = |e: &str| invitees.iter().find(|i| i["email"] == e).cloned();
    assert_eq!(invitees.len(), 2, "{invitees:?}");
    assert!(
        !by_email("carol@example.com")
            .unwrap()
            .get("coHost")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        "carol is a plain invitee"
    );
    assert_eq!(by_email("bob@example.com").unwrap()["coHost"], true);

    let confirmations: Vec<_> = app
        .bot_messages(&app.group)
        .into_iter()
        .filter(|m| m.markdown.as_deref().unwrap_or("").contains("Scheduled:"))
        .collect();
    assert_eq!(confirmations.len(), 1);
    let text = confirmations[0].markdown.clone().unwrap();
    let meeting = &app.meetings()[0];
    assert!(
        text.contains(meeting["webLink"].as_str().unwrap()),
        "{text}"
    );
    assert!(
        text.contains(meeting["meetingNumber"].as_str().unwrap()),
        "{text}"
    );
    assert!(
        !text.contains(meeting["password"].as_str().unwrap()),
        "no password in a group space"
    );
    assert_eq!(confirmations[0].parent_id.as_deref(), Some(asked.as_str()));
    // The password went to the host alone.
    let dm = app.bot_messages(&app.direct);
    assert!(dm.iter().any(|m| {
        m.markdown
            .as_deref()
            .unwrap_or("")
            .contains(meeting["password"].as_str().unwrap())
    }));
}

#[tokio::test]
async fn everyone_means_the_spaces_people_without_bots_or_the_host() {
    let app = linked_without_previews().await;
    say(
        &app,
        &app.group,
        "@Scheduler schedule retro tomorrow 2pm with everyone",
    )
    .await;
    app.wait_for_text(&app.group, "Scheduled:").await;
    let posts = meeting_posts(&app);
    let emails: Vec<&str> = posts[0]["invitees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, vec!["bob@example.com"]);
}

#[tokio::test]
async fn an_unlinked_person_gets_a_link_and_the_request_resumes_after_linking() {
    let app = spawn_app().await;
    say(&app, &app.direct, "schedule sync tomorrow 10am").await;
    app.wait_for_text(&app.direct, "First I need your permission")
        .await;
    let link = app.wait_for_link(&app.person.id).await;
    let (status, _) = app.consent_as(&link, &app.person.id).await;
    assert_eq!(status, 200);
    let (card_message, card) = app.wait_for_card(&app.direct, 1).await;
    assert!(card.to_string().contains("Sync"), "{card}");
    app.press(&app.person.id, &card_message, &card, "Schedule")
        .await;
    app.wait_for_text(&app.direct, "Scheduled:").await;
    assert_eq!(app.meetings().len(), 1);
}

#[tokio::test]
async fn every_request_made_while_unlinked_resumes_whichever_link_is_followed() {
    let app = spawn_app().await;
    say(&app, &app.direct, "schedule sync tomorrow 10am").await;
    app.wait_for_text(&app.direct, "First I need your permission")
        .await;
    say(&app, &app.direct, "schedule retro tomorrow 4pm").await;
    app.wait_for_text(&app.direct, "I'll carry on with this request too")
        .await;
    let links = app
        .bot_messages(&app.direct)
        .iter()
        .filter(|m| m.markdown.as_deref().unwrap_or("").contains("](http"))
        .count();
    assert_eq!(links, 1, "the link sent a moment ago is not sent again");
    // The person ignores that link and asks for a fresh one.
    app.connect(&app.person.id).await;
    app.wait_for_card(&app.direct, 2).await;
    app.wait_until_settled().await;
    let previews: Vec<String> = app
        .bot_messages(&app.direct)
        .iter()
        .filter_map(|m| m.attachments.first().map(|c| c.to_string()))
        .collect();
    assert_eq!(previews.len(), 2, "one preview per request: {previews:?}");
    assert!(
        previews[0].contains("Sync") && previews[1].contains("Retro"),
        "{previews:?}"
    );
}

#[tokio::test]
async fn a_create_whose_response_is_lost_still_makes_exactly_one_meeting() {
    let app = linked_without_previews().await;
    app.emulator.inject(Fault::new(
        Some(Method::POST),
        "/v1/meetings",
        FaultKind::DropResponseAfterProcessing,
        1,
    ));
    say(&app, &app.direct, "schedule budget sync tomorrow 11am").await;
    app.wait_for_text(&app.direct, "Scheduled:").await;
    app.wait_until_settled().await;
    assert_eq!(
        app.meetings().len(),
        1,
        "the lost response did not cause a second meeting"
    );
    let lookups = app
        .emulator
        .requests()
        .into_iter()
        .filter(|r| {
            r.method == Method::GET
                && r.path == "/v1/meetings"
                && r.query.as_deref().unwrap_or("").contains("integrationTag")
        })
        .count();
    assert!(
        lookups >= 1,
        "the bot looked the meeting up by its tag before retrying"
    );
}

#[tokio::test]
async fn twenty_commands_in_a_429_storm_make_twenty_meetings_each_once() {
    let app = linked_without_previews().await;
    app.emulator.inject(Fault::new(
        Some(Method::POST),
        "/v1/meetings",
        FaultKind::RateLimited {
            retry_after: RetryAfter::Seconds(1),
        },
        6,
    ));
    for i in 0..20 {
        say(
            &app,
            &app.direct,
            &format!("schedule storm {i} tomorrow {}:00", 8 + (i % 10)),
        )
        .await;
    }
    // Twenty commands in one space run one after another, some behind a 1 s Retry-After:
    // allow more than `WAIT`.
    eventually("20 meetings", Duration::from_secs(90), async || {
        match app.meetings().len() {
            20.. => Ok(()),
            n => Err(format!("{n} meetings")),
        }
    })
    .await;
    app.wait_until_settled().await;
    let meetings = app.meetings();
    assert_eq!(meetings.len(), 20);
    let mut tags: Vec<String> = meetings
        .iter()
        .map(|m| m["integrationTags"][0].as_str().unwrap().to_string())
        .collect();
    tags.sort();
    tags.dedup();
    assert_eq!(tags.len(), 20, "each command created its meeting once");
    let calls: Vec<_> = app
        .emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == Method::POST && r.path == "/v1/meetings")
        .collect();
    for (i, refused) in calls.iter().enumerate().filter(|(_, r)| r.status == 429) {
        for later in &calls[i + 1..] {
            let gap = later.at.duration_since(refused.at);
            assert!(
                gap >= Duration::from_millis(950),
                "a call {gap:?} after a 429"
            );
        }
    }
}

#[tokio::test]
async fn webexs_daily_quota_is_explained_not_retried() {
    let config = EmulatorConfig {
        meetings_per_day_quota: 1,
        ..EmulatorConfig::default()
    };
    let app = spawn_app_on(config, |_| {}).await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    say(&app, &app.direct, "schedule first tomorrow 9am").await;
    app.wait_for_text(&app.direct, "Scheduled:").await;
    say(&app, &app.direct, "schedule second tomorrow 10am").await;
    app.wait_for_text(&app.direct, "at most 100 new meetings a day")
        .await;
    app.wait_until_settled().await;
    assert_eq!(app.meetings().len(), 1);
    assert_eq!(app.store.job_counts().await.unwrap().dead, 0);
}

#[tokio::test]
async fn list_cancel_and_reschedule_from_chat() {
    let app = linked_without_previews().await;
    say(&app, &app.direct, "schedule one-off chat tomorrow 9am").await;
    app.wait_for_text(&app.direct, "Scheduled: One-off chat")
        .await;
    say(&app, &app.direct, "schedule standup tomorrow 11am daily").await;
    app.wait_for_text(&app.direct, "Scheduled: Standup").await;

    say(&app, &app.direct, "list").await;
    app.wait_for_text(&app.direct, "Your meetings in the next 7 days")
        .await;
    let listing = app
        .bot_messages(&app.direct)
        .into_iter()
        .rev()
        .find(|m| {
            m.markdown
                .as_deref()
                .unwrap_or("")
                .contains("Your meetings")
        })
        .unwrap()
        .markdown
        .unwrap();
    assert!(listing.contains("1. One-off chat"), "{listing}");
    assert!(listing.contains("2. Standup"), "{listing}");

    // Move the one-off meeting: keep its 30 minutes.
    say(&app, &app.direct, "reschedule 1 to tomorrow 4pm").await;
    app.wait_for_text(&app.direct, "Moved").await;
    let put = app
        .emulator
        .requests()
        .into_iter()
        .find(|r| r.method == Method::PATCH && r.path.starts_with("/v1/meetings/"))
        .expect("a PATCH");
    let body = put.body.unwrap();
    assert!(
        body["start"].as_str().unwrap().contains("T16:00:00"),
        "{body}"
    );
    assert!(
        body["end"].as_str().unwrap().contains("T16:30:00"),
        "{body}"
    );

    // Cancel the daily series' occurrence 2 after confirming on the card.
    say(&app, &app.direct, "cancel 2").await;
    let (card_message, card) = app.wait_for_card(&app.direct, 1).await;
    assert!(card.to_string().contains("Standup"), "{card}");
    app.press(&app.person.id, &card_message, &card, "Cancel meeting")
        .await;
    app.wait_for_text(&app.direct, "Cancelled").await;
    let deleted = app.calls(Method::DELETE, "/v1/meetings/");
    assert_eq!(deleted, 1);
    // The card works once.
    app.press(&app.person.id, &card_message, &card, "Cancel meeting")
        .await;
    app.wait_until_settled().await;
    let deleted_again = app.calls(Method::DELETE, "/v1/meetings/");
    assert_eq!(deleted_again, 1);
}

#[tokio::test]
async fn a_grant_revoked_before_schedule_parks_the_request_until_the_person_reconnects() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    say(&app, &app.direct, "schedule parked sync tomorrow 4pm").await;
    let (card_message, card) = app.wait_for_card(&app.direct, 1).await;
    app.emulator.revoke_grants(&app.person.id);
    app.press(&app.person.id, &card_message, &card, "Schedule")
        .await;
    app.wait_for_text(&app.direct, "revoked or has expired")
        .await;
    eventually("the job to be parked", WAIT, async || {
        match app.store.parked_jobs(&app.person.id).await.unwrap() {
            0 => Err(app.store.job_counts().await.unwrap()),
            _ => Ok(()),
        }
    })
    .await;
    // A retry loop would keep a job pending or running, and the bot from settling.
    app.wait_until_settled().await;
    let counts = app.store.job_counts().await.unwrap();
    assert_eq!(
        (counts.pending, counts.running, counts.dead),
        (0, 0, 0),
        "no retry loop: {counts:?}"
    );
    assert!(app.meetings().is_empty());

    // Connecting again resumes the parked request.
    app.connect(&app.person.id).await;
    app.wait_for_text(&app.direct, "Scheduled: Parked sync")
        .await;
    app.wait_until_settled().await;
    assert_eq!(app.meetings().len(), 1);
    let notices = app
        .bot_messages(&app.direct)
        .iter()
        .filter(|m| {
            m.markdown
                .as_deref()
                .unwrap_or("")
                .contains("revoked or has expired")
        })
        .count();
    assert_eq!(notices, 1, "told once");
}

#[tokio::test]
async fn a_saved_zone_wins_over_the_profile_and_is_shown_by_tz() {
    let app = linked_without_previews().await;
    say(&app, &app.direct, "tz").await;
    app.wait_for_text(
        &app.direct,
        "Your time zone is **Europe/Berlin**. Change it with `tz <zone>`, e.g. `tz America/New_York`.",
    )
    .await;
    say(&app, &app.direct, "tz new york").await;
    app.wait_for_text(&app.direct, "**America/New_York**").await;
    say(&app, &app.direct, "schedule zone check tomorrow 9am").await;
    app.wait_for_text(&app.direct, "Scheduled: Zone check")
        .await;
    let body = &meeting_posts(&app)[0];
    assert_eq!(body["timezone"], "America/New_York");
    assert!(
        body["start"].as_str().unwrap().contains("T09:00:00-0"),
        "{body}"
    );
}

#[tokio::test]
async fn webexs_refusal_of_a_past_start_becomes_a_message_not_raw_text() {
    // Webex's clock is two days ahead of the bot's, so it sees "tomorrow" as the past.
    let ahead =
        scheduler_core::clock::FixedClock::at(chrono::Utc::now() + chrono::Duration::days(2));
    let config = EmulatorConfig {
        clock: std::sync::Arc::new(ahead),
        ..EmulatorConfig::default()
    };
    let app = spawn_app_on(config, |_| {}).await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    say(&app, &app.direct, "schedule skewed tomorrow 9am").await;
    app.wait_for_text(&app.direct, "That start time has already passed")
        .await;
    let said: Vec<_> = app
        .bot_messages(&app.direct)
        .into_iter()
        .map(|m| m.markdown)
        .collect();
    assert!(
        said.iter()
            .flatten()
            .any(|m| m.contains("That start time has already passed")),
        "{said:?}"
    );
    app.wait_until_settled().await;
    assert!(app.meetings().is_empty());
    assert!(
        app.bot_messages(&app.direct).iter().all(|m| !m
            .markdown
            .as_deref()
            .unwrap_or("")
            .contains("trackingId")),
        "no raw Webex error text"
    );
}

#[tokio::test]
async fn too_many_invitees_are_refused_clearly() {
    let app = spawn_app_with(|vars| {
        vars.insert("MAX_INVITEES".into(), "2".into());
    })
    .await;
    app.connect(&app.person.id).await;
    say(
        &app,
        &app.direct,
        "schedule crowd tomorrow 9am with a@example.com, b@example.com and c@example.com",
    )
    .await;
    app.wait_for_text(&app.direct, "I can invite at most 2 people")
        .await;
    assert!(app.meetings().is_empty());
}

#[tokio::test]
async fn keep_it_on_a_cancel_question_keeps_the_meeting() {
    let app = linked_without_previews().await;
    say(&app, &app.direct, "schedule keeper tomorrow 9am").await;
    app.wait_for_text(&app.direct, "Scheduled: Keeper").await;
    say(&app, &app.direct, "list").await;
    app.wait_for_text(&app.direct, "1. Keeper").await;
    say(&app, &app.direct, "cancel 1").await;
    let (card_message, card) = app.wait_for_card(&app.direct, 1).await;
    app.press(&app.person.id, &card_message, &card, "Keep it")
        .await;
    app.wait_for_text(&app.direct, "OK, I kept it.").await;
    // The question is closed: its other button does nothing now.
    app.press(&app.person.id, &card_message, &card, "Cancel meeting")
        .await;
    app.wait_until_settled().await;
    let deletes = app.calls(Method::DELETE, "/");
    assert_eq!(deletes, 0);
    assert_eq!(app.meetings().len(), 1);
}

#[tokio::test]
async fn a_meeting_is_found_by_its_webex_meeting_number_typed_with_spaces() {
    let app = linked_without_previews().await;
    say(&app, &app.direct, "schedule numbered tomorrow 9am").await;
    app.wait_for_text(&app.direct, "Scheduled: Numbered").await;
    say(&app, &app.direct, "schedule other tomorrow 10am").await;
    app.wait_for_text(&app.direct, "Scheduled: Other").await;
    let numbered = app
        .meetings()
        .into_iter()
        .find(|m| m["title"] == "Numbered")
        .unwrap();
    let number = numbered["meetingNumber"].as_str().unwrap().to_string();
    assert!(number.len() >= 9, "{number}");
    // Grouped as people read it out: 4-3-rest.
    let grouped = format!("{} {} {}", &number[..4], &number[4..7], &number[7..]);

    say(&app, &app.direct, "cancel 999 999 9999").await;
    app.wait_for_text(&app.direct, "I couldn't find meeting number 9999999999")
        .await;

    say(&app, &app.direct, &format!("cancel {grouped}")).await;
    let (card_message, card) = app.wait_for_card(&app.direct, 1).await;
    assert!(card.to_string().contains("Numbered"), "{card}");
    app.press(&app.person.id, &card_message, &card, "Cancel meeting")
        .await;
    app.wait_for_text(&app.direct, "Cancelled").await;
    app.wait_until_settled().await;
    let left: Vec<Value> = app.meetings();
    let titles: Vec<&str> = left.iter().filter_map(|m| m["title"].as_str()).collect();
    assert_eq!(titles, ["Other"], "only the numbered meeting is gone");
    let deleted = app
        .emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == Method::DELETE)
        .map(|r| r.path)
        .collect::<Vec<_>>();
    assert_eq!(
        deleted,
        [format!("/v1/meetings/{}", numbered["id"].as_str().unwrap())]
    );
}

#[tokio::test]
async fn a_password_with_markdown_characters_is_sent_exactly_as_typed() {
    let app = linked_without_previews().await;
    say(
        &app,
        &app.direct,
        "schedule escape test tomorrow 9am password Blue_42*x!",
    )
    .await;
    app.wait_for_text(&app.direct, "Only you got this message")
        .await;
    assert_eq!(app.meetings()[0]["password"], "Blue_42*x!");
    let dm = app
        .bot_messages(&app.direct)
        .into_iter()
        .filter_map(|m| m.markdown)
        .find(|m| m.contains("Only you got this message"))
        .unwrap();
    // Inside a code span a backslash would be shown, not read as an escape.
    assert!(dm.contains("is `Blue_42*x!`."), "{dm}");
}

#[tokio::test]
async fn a_weekly_series_moved_to_another_day_meets_on_that_day() {
    let app = linked_without_previews().await;
    say(&app, &app.direct, "schedule planning every monday 10am x4").await;
    app.wait_for_text(&app.direct, "Scheduled: Planning").await;
    let number = app.meetings()[0]["meetingNumber"]
        .as_str()
        .unwrap()
        .to_string();
    say(
        &app,
        &app.direct,
        &format!("reschedule {number} to wednesday 11am"),
    )
    .await;
    app.wait_for_text(&app.direct, "Moved **Planning**").await;
    let put = app
        .emulator
        .requests()
        .into_iter()
        .find(|r| r.method == Method::PATCH)
        .and_then(|r| r.body)
        .expect("a PATCH");
    assert_eq!(put["recurrence"], "FREQ=WEEKLY;BYDAY=WE;COUNT=4", "{put}");
    let series = &app.meetings()[0];
    let start = chrono::DateTime::parse_from_rfc3339(series["start"].as_str().unwrap()).unwrap();
    assert_eq!(
        start.with_timezone(&chrono_tz::Europe::Berlin).weekday(),
        chrono::Weekday::Wed
    );
}
