//! Reminders before meetings scheduled through the bot (issue 15), end to end against the
//! emulator on one injected clock: the reminder comes at its minute (with a daylight-saving
//! change between scheduling and meeting), where the meeting was scheduled, without the
//! password; a reschedule moves it, a cancel or a deletion in Webex removes it; the person's
//! own lead time or `off` is obeyed.

use crate::common::{self, TestApp};

use chrono::{DateTime, Utc};
use scheduler_core::clock::FixedClock;
use std::time::Duration;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// The bot and emulator at `now`, Ana connected, previews off.
async fn ready_at(now: &str) -> (TestApp, FixedClock) {
    let clock = FixedClock::at(at(now));
    let app = common::spawn_app_at(clock.clone()).await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    (app, clock)
}

fn reminders(app: &TestApp, room: &str) -> Vec<String> {
    app.bot_markdown(room)
        .into_iter()
        .filter(|m| m.starts_with("Reminder:"))
        .collect()
}

/// Lets the queue look at the jobs due at the clock's time: long enough for several polls.
async fn let_the_queue_look() {
    tokio::time::sleep(Duration::from_secs(2)).await;
}

async fn schedule(app: &TestApp, room: &str, text: &str, title: &str) {
    app.say(room, text).await;
    app.wait_for_text(room, &format!("Scheduled: {title}"))
        .await;
}

#[tokio::test]
async fn a_reminder_comes_ten_minutes_before_across_a_daylight_saving_change() {
    // Thursday in winter time; the meeting is on Monday, after Berlin changes to summer time.
    let (app, clock) = ready_at("2027-03-25T09:00:00Z").await;
    let room = app.direct.clone();
    schedule(
        &app,
        &room,
        "schedule Design review 2027-03-29 9am",
        "Design review",
    )
    .await;
    // 09:00 summer time is 07:00Z: due at 06:50Z, not at 07:50Z (winter time's 08:50).
    clock.set(at("2027-03-29T06:49:00Z"));
    let_the_queue_look().await;
    assert!(
        reminders(&app, &room).is_empty(),
        "{:?}",
        app.bot_markdown(&room)
    );
    clock.set(at("2027-03-29T06:50:00Z"));
    app.wait_for_text(&room, "Reminder:").await;
    let said = reminders(&app, &room);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with(
            "Reminder: **Design review** starts in 10 minutes, at 09:00 on Mon 29 Mar (Europe/Berlin)."
        ),
        "{said:?}"
    );
    let link = app.meetings()[0]["webLink"].as_str().unwrap().to_string();
    assert!(said[0].contains(&format!("Join: {link}")), "{said:?}");
    // Later polls post nothing more.
    clock.set(at("2027-03-29T06:55:00Z"));
    let_the_queue_look().await;
    assert_eq!(reminders(&app, &room).len(), 1);
}

#[tokio::test]
async fn a_moved_meeting_is_reminded_at_its_new_time_and_a_cancelled_or_deleted_one_never() {
    let (app, clock) = ready_at("2027-05-10T08:00:00Z").await;
    let room = app.direct.clone();
    schedule(&app, &room, "schedule Sync 2027-05-12 10am", "Sync").await;
    schedule(&app, &room, "schedule Retro 2027-05-12 2pm", "Retro").await;
    schedule(&app, &room, "schedule Demo 2027-05-12 4pm", "Demo").await;
    app.wait_until_settled().await;
    let before = app.bot_messages(&room).len();
    app.say(&room, "list").await;
    app.wait_for_bot_messages(&room, before + 1).await;

    app.say(&room, "reschedule 1 to 2027-05-12 11am").await;
    app.wait_for_text(&room, "Moved **Sync**").await;
    app.say(&room, "cancel 2").await;
    let (card_message, card) = app.wait_for_card(&room, 1).await;
    app.press(&app.person.id, &card_message, &card, "Cancel meeting")
        .await;
    app.wait_for_text(&room, "Cancelled **Retro**").await;
    // Demo is deleted in Webex directly, not through the bot.
    let demo = app
        .meetings()
        .into_iter()
        .find(|m| m["title"] == "Demo")
        .unwrap();
    let id = demo["id"].as_str().unwrap();
    assert_eq!(app.webex_as(&app.person.id).delete_meeting(id).await, 204);

    // Sync's old time (10:00 CEST = 08:00Z): nothing.
    clock.set(at("2027-05-12T07:50:00Z"));
    let_the_queue_look().await;
    assert!(
        reminders(&app, &room).is_empty(),
        "{:?}",
        reminders(&app, &room)
    );
    // Its new time: the reminder.
    clock.set(at("2027-05-12T08:50:00Z"));
    app.wait_for_text(&room, "Reminder: **Sync**").await;
    // Retro (cancelled) and Demo (deleted in Webex): nothing at their times.
    clock.set(at("2027-05-12T11:50:00Z"));
    let_the_queue_look().await;
    clock.set(at("2027-05-12T13:50:00Z"));
    let_the_queue_look().await;
    let said = reminders(&app, &room);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains("at 11:00 on Wed 12 May"), "{said:?}");
}

#[tokio::test]
async fn a_group_reminder_goes_to_the_request_thread_with_the_persons_lead_and_no_password() {
    let (app, clock) = ready_at("2027-06-01T08:00:00Z").await;
    app.say(&app.direct, "settings reminders 15m").await;
    app.wait_for_text(&app.direct, "remind you 15 minutes before")
        .await;
    app.say(&app.group, "@Scheduler schedule Planning 2027-06-02 10am")
        .await;
    app.wait_for_text(&app.group, "Scheduled: Planning").await;
    let request = app
        .emulator
        .messages_in(&app.group)
        .into_iter()
        .find(|m| m.person_id == app.person.id)
        .unwrap();
    // 10:00 CEST is 08:00Z; fifteen minutes before.
    clock.set(at("2027-06-02T07:44:00Z"));
    let_the_queue_look().await;
    assert!(reminders(&app, &app.group).is_empty());
    clock.set(at("2027-06-02T07:45:00Z"));
    app.wait_for_text(&app.group, "Reminder: **Planning**")
        .await;
    let reminder = app
        .bot_messages(&app.group)
        .into_iter()
        .find(|m| {
            m.markdown
                .as_deref()
                .is_some_and(|t| t.starts_with("Reminder:"))
        })
        .unwrap();
    assert_eq!(reminder.parent_id.as_deref(), Some(request.id.as_str()));
    let text = reminder.markdown.unwrap();
    assert!(text.contains("starts in 15 minutes"), "{text}");
    let password = app.meetings()[0]["password"].as_str().unwrap().to_string();
    assert!(!text.contains(&password), "{text}");
    assert!(!text.to_lowercase().contains("password"), "{text}");

    // With reminders off, the next meeting gets none.
    app.say(&app.direct, "settings reminders off").await;
    app.wait_for_text(&app.direct, "no reminders").await;
    app.say(&app.group, "@Scheduler schedule Review 2027-06-03 10am")
        .await;
    app.wait_for_text(&app.group, "Scheduled: Review").await;
    clock.set(at("2027-06-03T07:59:00Z"));
    let_the_queue_look().await;
    assert_eq!(reminders(&app, &app.group).len(), 1);
}

#[tokio::test]
async fn an_open_daily_series_is_planned_a_week_at_a_time_one_reminder_per_occurrence() {
    // Monday 5 July 2027, 10:00 in Berlin.
    let (app, clock) = ready_at("2027-07-05T08:00:00Z").await;
    let room = app.direct.clone();
    schedule(
        &app,
        &room,
        "schedule Standup 2027-07-06 9am daily",
        "Standup",
    )
    .await;
    // Tue 6 … Mon 12 July start inside the week from now (Monday's 09:00 is 07:00Z, before
    // the week ends at 08:00Z): seven reminders, plus one job to plan the next week; never the
    // series' hundreds of occurrences at once.
    let counts = app.store.job_counts().await.unwrap();
    assert_eq!(counts.timers, 8, "{counts:?}");
    for (due, day) in [
        ("2027-07-06T06:50:00Z", "Tue 6 Jul"),
        ("2027-07-07T06:50:00Z", "Wed 7 Jul"),
    ] {
        clock.set(at(due));
        app.wait_for_text(&room, &format!("at 09:00 on {day}"))
            .await;
    }
    // The day before the next window the plan job runs: the week after is planned.
    clock.set(at("2027-07-11T08:00:00Z"));
    let_the_queue_look().await;
    clock.set(at("2027-07-13T06:50:00Z"));
    app.wait_for_text(&room, "at 09:00 on Tue 13 Jul").await;
    assert_eq!(
        reminders(&app, &room).len(),
        3,
        "{:?}",
        reminders(&app, &room)
    );
}

#[tokio::test]
async fn a_reminder_typed_with_the_request_wins_over_the_persons_setting() {
    let (app, clock) = ready_at("2027-09-06T08:00:00Z").await;
    let room = app.direct.clone();
    app.say(&room, "settings reminders off").await;
    app.wait_for_text(&room, "no reminders").await;
    schedule(
        &app,
        &room,
        "schedule Board prep 2027-09-07 10am remind me 30m before",
        "Board prep",
    )
    .await;
    app.wait_for_text(&room, "- Reminder: 30 minutes before")
        .await;
    schedule(
        &app,
        &room,
        "schedule Lunch 2027-09-07 1pm no reminder",
        "Lunch",
    )
    .await;
    // 10:00 CEST is 08:00Z: thirty minutes before, although the person turned reminders off.
    clock.set(at("2027-09-07T07:29:00Z"));
    let_the_queue_look().await;
    assert!(reminders(&app, &room).is_empty());
    clock.set(at("2027-09-07T07:30:00Z"));
    app.wait_for_text(&room, "Reminder: **Board prep** starts in 30 minutes")
        .await;
    clock.set(at("2027-09-07T10:55:00Z"));
    let_the_queue_look().await;
    assert_eq!(
        reminders(&app, &room).len(),
        1,
        "{:?}",
        reminders(&app, &room)
    );
}

#[tokio::test]
async fn no_reminder_typed_with_the_request_silences_the_default() {
    let (app, clock) = ready_at("2027-10-04T08:00:00Z").await;
    let room = app.direct.clone();
    schedule(
        &app,
        &room,
        "schedule Quiet 2027-10-05 10am no reminder",
        "Quiet",
    )
    .await;
    app.wait_for_text(&room, "- Reminder: none").await;
    schedule(&app, &room, "schedule Loud 2027-10-05 11am", "Loud").await;
    assert_eq!(app.store.job_counts().await.unwrap().timers, 1);
    clock.set(at("2027-10-05T07:50:00Z"));
    let_the_queue_look().await;
    clock.set(at("2027-10-05T08:50:00Z"));
    app.wait_for_text(&room, "Reminder: **Loud**").await;
    assert_eq!(
        reminders(&app, &room).len(),
        1,
        "{:?}",
        reminders(&app, &room)
    );
}
