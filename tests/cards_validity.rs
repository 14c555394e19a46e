//! Every template, filled with representative and worst-case data, is parsed and validated by
//! the official `adaptivecards` library as a 1.3 card, with no warning and no failure, and
//! stays within the size budget.

use crate::browser as harness;

use chrono::{DateTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Berlin;
use scheduler_core::schedule::{
    MeetingRequest, Nth, Pattern, Recurrence, RecurrenceEnd, WeekdaySet,
};
use serde_json::{Value, json};
use webex_scheduler::cards::{
    self, CARD_BUDGET_BYTES, FIELD_IDS, FieldErrors, FormValues, InviteeView,
};

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
