//! Every card the bot posts, filled with representative and worst-case data, is parsed and
//! validated by the official `adaptivecards` library as a 1.3 card, with no warning and no
//! failure, stays within the size budget, and is accepted by the emulator, which refuses what
//! Webex refuses (a version above 1.3, more than five actions, an oversized attachment).

use crate::browser as harness;

use chrono::{DateTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Berlin;
use scheduler_core::schedule::{
    MeetingRequest, Nth, Pattern, Recurrence, RecurrenceEnd, WeekdaySet,
};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use webex_emulator::{Emulator, EmulatorConfig, MAX_CARD_ACTIONS, MAX_CARD_BYTES};
use webex_scheduler::cards::{
    self, CARD_BUDGET_BYTES, FIELD_IDS, FieldErrors, FormValues, InviteeView,
};
use webex_scheduler::webex::{Attachment, NewMessage, WebexClient, WebexConfig, WebexError};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 9, 7, 30).unwrap()
}

fn meeting(recurrence: Option<Recurrence>) -> MeetingRequest {
    let start = Berlin.with_ymd_and_hms(2027, 3, 9, 23, 30, 0).unwrap();
    MeetingRequest {
        title: "Ünïcode & <markup> `code` "
            .repeat(4)
            .chars()
            .take(128)
            .collect(),
        start,
        end: start + chrono::Duration::minutes(95),
        timezone: Berlin,
        recurrence,
        invitees: vec![],
        password: None,
        agenda: Some("Line one\nLine two".into()),
        reminder: None,
    }
}

fn people(n: usize) -> Vec<InviteeView> {
    (0..n)
        .map(|i| InviteeView {
            email: format!("p{i}@example.com"),
            name: (i % 3 == 0).then(|| format!("Person *{i}*")),
            cohost: i % 4 == 0,
        })
        .collect()
}

fn cards() -> Vec<(&'static str, Value)> {
    let monthly = Recurrence {
        pattern: Pattern::MonthlyOnWeekday {
            nth: Nth::Second,
            weekday: Weekday::Tue,
        },
        interval: 1,
        end: RecurrenceEnd::Count(12),
    };
    let weekly = Recurrence {
        pattern: Pattern::Weekly(WeekdaySet::WORKWEEK),
        interval: 1,
        end: RecurrenceEnd::Never,
    };
    let all_errors = FieldErrors(
        FIELD_IDS
            .iter()
            .map(|f| (f.to_string(), format!("Problem with {f} [x](y)")))
            .collect(),
    );
    let mut worst = FormValues::from_request(&meeting(Some(monthly)), &people(240));
    worst.agenda = "é".repeat(1300);
    vec![
        (
            "form_new",
            cards::form(
                &FormValues::empty(Berlin, now()),
                &FieldErrors::default(),
                "c1",
            ),
        ),
        (
            "form_edit",
            cards::form(
                &FormValues::from_request(&meeting(Some(weekly)), &people(3)),
                &FieldErrors::default(),
                "c2",
            ),
        ),
        (
            "form_edit_in_a_group_space",
            cards::form_keeping_password(
                &FormValues::from_request(&meeting(Some(weekly)), &people(3)),
                &FieldErrors::default(),
                "c2g",
            ),
        ),
        (
            "form_all_errors",
            cards::form(&worst, &all_errors, &"c".repeat(cards::MAX_CARD_ID_LEN)),
        ),
        (
            "preview_once",
            cards::preview(&meeting(None), &[], &[], Berlin, "c3"),
        ),
        (
            "preview_not_invited",
            cards::preview(
                &meeting(None),
                &[],
                &[
                    "bob is not invited: it could be Bob Smith (bob@example.com) or Bob Jones \
                     (bj@example.com); write an e-mail address or @mention."
                        .to_string(),
                    "dave is not invited: write an e-mail address or @mention.".to_string(),
                ],
                Berlin,
                "c5",
            ),
        ),
        (
            "preview_series",
            cards::preview(
                &meeting(Some(monthly)),
                &people(1000),
                &[],
                chrono_tz::Asia::Tokyo,
                "c4",
            ),
        ),
        (
            "question_cancel_occurrence",
            cards::question(
                &format!(
                    "Cancel this occurrence of **{}** — Tue 9 Mar 2027, 23:30–01:05 \
                     (Europe/Berlin)? To cancel the whole series instead, type \
                     `cancel 123 456 7890`.",
                    cards::escape_markdown(&meeting(None).title)
                ),
                &[("Cancel meeting", "confirm_cancel"), ("Keep it", "keep")],
                &"q".repeat(cards::MAX_CARD_ID_LEN),
            ),
        ),
    ]
}

#[test]
fn every_filled_card_is_a_valid_adaptive_card_1_3_within_budget() {
    let cards = cards();
    for (name, card) in &cards {
        let bytes = serde_json::to_vec(&cards::attachment(card.clone()))
            .unwrap()
            .len();
        assert!(bytes < CARD_BUDGET_BYTES, "{name} is {bytes} bytes");
        assert_eq!(card["version"], "1.3", "{name}");
    }
    if !harness::browser_available() {
        return;
    }
    let (dir, out) = harness::workspace("validity");
    for (name, card) in &cards {
        harness::write_json(&dir.join(format!("{name}.json")), card);
    }
    let results = harness::render(&dir, &out, true);
    assert_eq!(results.len(), cards.len());
    for result in &results {
        let name = &result["name"];
        assert_eq!(result["parseEvents"], json!([]), "{name}: parse warnings");
        assert_eq!(result["failures"], json!([]), "{name}: validation failures");
        assert!(
            result["actions"].as_u64().is_some_and(|n| n <= 5),
            "{name}: too many actions"
        );
    }
    let form = harness::result(&results, "form_new");
    let inputs: Vec<&str> = form["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        inputs, FIELD_IDS,
        "the rendered form has exactly the fields read_submission accepts"
    );
}

/// A card message as the bot posts it, in a space of the emulator.
fn card_message(room: &str, card: Value) -> NewMessage {
    NewMessage {
        room_id: Some(room.to_string()),
        markdown: Some("A card (your client can't show cards)".into()),
        attachments: vec![Attachment::adaptive_card(card)],
        ..Default::default()
    }
}

#[tokio::test]
async fn the_emulator_accepts_every_card_the_bot_posts_and_refuses_what_webex_refuses() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let alice = emulator.add_person("Alice", "alice@example.com", None);
    let room = emulator.create_group_room("Team", &[alice.id.as_str()]);
    let webex = WebexClient::new(WebexConfig {
        api_base: emulator.api_base(),
        bot_token: emulator.bot_token(),
        requests_per_minute: 6000,
        timeout: std::time::Duration::from_secs(10),
        max_rate_limit_wait: std::time::Duration::from_secs(10),
    })
    .unwrap();
    for (name, card) in cards() {
        webex
            .post_message(&card_message(&room, card))
            .await
            .unwrap_or_else(|e| panic!("{name} was refused: {e}"));
    }

    let (_, fine) = cards().remove(0);
    let mut too_new = fine.clone();
    too_new["version"] = json!("1.4");
    let mut six_buttons = fine.clone();
    let submit = json!({"type": "Action.Submit", "title": "More", "data": {"action": "more"}});
    while six_buttons["actions"].as_array().unwrap().len() <= MAX_CARD_ACTIONS {
        six_buttons["actions"]
            .as_array_mut()
            .unwrap()
            .push(submit.clone());
    }
    let mut too_big = fine.clone();
    too_big["body"].as_array_mut().unwrap().push(json!({
        "type": "TextBlock", "wrap": true, "text": "x".repeat(MAX_CARD_BYTES)
    }));
    let http = reqwest::Client::new();
    for (name, bad, says) in [
        ("version 1.4", too_new, "1.3"),
        ("six actions", six_buttons, "at most 5 actions"),
        ("over the size limit", too_big, "bytes"),
    ] {
        // Webex's error shape, as sent.
        let response = http
            .post(emulator.api_base().join("messages").unwrap())
            .bearer_auth(emulator.bot_token().expose_secret())
            .json(&card_message(&room, bad.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{name}");
        let header = response.headers()["trackingid"]
            .to_str()
            .unwrap()
            .to_string();
        let body: Value = response.json().await.unwrap();
        let description = body["errors"][0]["description"].as_str().unwrap_or("");
        assert!(description.contains(says), "{name}: {body}");
        assert!(body["message"].is_string(), "{name}: {body}");
        assert_eq!(body["trackingId"], header.as_str(), "{name}: {body}");
        // And as the bot's client reads it.
        match webex.post_message(&card_message(&room, bad)).await {
            Err(WebexError::Api {
                status: 400,
                message,
                tracking_id: Some(_),
            }) => assert!(message.contains(says), "{name}: {message}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}
