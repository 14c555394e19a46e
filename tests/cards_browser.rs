//! A real browser shows the cards as a Webex client would, a person fills the form and presses
//! Schedule, and what the renderer submits becomes the expected meeting through `read_form`.

#[path = "browser/harness.rs"]
mod harness;

use chrono::{DateTime, TimeZone, Utc, Weekday};
use chrono_tz::America::New_York;
use chrono_tz::Europe::Berlin;
use serde_json::{Value, json};
use webex_scheduler::cards::{
    self, FieldErrors, FormValues, InviteeView, Submission, read_form, read_submission,
};
use webex_scheduler::schedule::{
    Invitee, MeetingRequest, Pattern, Recurrence, RecurrenceEnd, WeekdaySet, Who,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 9, 7, 30).unwrap()
}

const HOSTILE_TITLE: &str = "[click](javascript:alert(1)) <@all> **urgent** _x_ <b>y</b>";

fn meeting() -> MeetingRequest {
    let start = Berlin.with_ymd_and_hms(2027, 3, 2, 15, 0, 0).unwrap();
    MeetingRequest {
        title: HOSTILE_TITLE.into(),
        start,
        end: start + chrono::Duration::minutes(60),
        timezone: Berlin,
        recurrence: Some(Recurrence {
            pattern: Pattern::Weekly(WeekdaySet::single(Weekday::Tue)),
            interval: 1,
            end: RecurrenceEnd::Count(6),
        }),
        invitees: vec![],
        password: Some("Secret42".into()),
        agenda: None,
    }
}

fn people() -> Vec<InviteeView> {
    vec![
        InviteeView {
            email: "ana@example.com".into(),
            name: Some("Ana [admin](https://evil.example)".into()),
            cohost: false,
        },
        InviteeView {
            email: "bo@example.org".into(),
            name: None,
            cohost: true,
        },
    ]
}

#[test]
fn cards_render_in_chromium_and_the_filled_form_reads_back_as_the_meeting() {
    if !harness::browser_available() {
        return;
    }
    let (dir, out) = harness::workspace("browser");
    let empty = FormValues::empty(Berlin, now());
    harness::write_json(
        &dir.join("form.json"),
        &cards::form(&empty, &FieldErrors::default(), "form-1"),
    );
    let mut wrong = empty.clone();
    wrong.title = String::new();
    wrong.invitees = "ana@example.com, not-an-address".into();
    wrong.duration = "1440".into();
    let errors = read_form(&wrong, now()).expect_err("a form with mistakes");
    harness::write_json(
        &dir.join("form_errors.json"),
        &cards::form(&wrong, &errors, "form-2"),
    );
    harness::write_json(
        &dir.join("preview.json"),
        &cards::preview(&meeting(), &people(), New_York, "prev-1"),
    );
    harness::write_json(
        &dir.join("confirmation.json"),
        &cards::confirmation(
            &meeting(),
            &people(),
            New_York,
            "https://example.webex.com/meet/j.php?MTID=m0f",
            "2550 123 4567",
        ),
    );
    harness::write_json(
        &dir.join("error.json"),
        &cards::error_card("This card was already used", "Type form for a new one."),
    );
    // The same form again, to press Cancel; and the preview, to press Edit.
    harness::write_json(
        &dir.join("form_cancel.json"),
        &cards::form(&empty, &FieldErrors::default(), "form-3"),
    );
    harness::write_json(
        &dir.join("form_cancel.fill.json"),
        &json!({"press": "Cancel", "values": {"title": "Never mind"}}),
    );
    harness::write_json(
        &dir.join("preview.fill.json"),
        &json!({"press": "Edit", "values": {}}),
    );
    harness::write_json(
        &dir.join("form.fill.json"),
        &json!({"press": "Schedule", "values": {
            "title": "Quarterly planning",
            "date": "2027-03-02",
            "start": "15:00",
            "duration": "60",
            "zone": "America/New_York",
            "repeat": "weekly",
            "days": ["TU", "TH"],
            "ends": "after",
            "count": "6",
            "invitees": "ana@example.com, bo@example.org",
            "cohosts": "bo@example.org",
            "password": "Secret42",
            "agenda": "Intro\nDemo"
        }}),
    );

    let results = harness::render(&dir, &out, false);

    for result in &results {
        let name = result["name"].as_str().unwrap_or_default();
        assert_eq!(result["failures"], json!([]), "{name} fails validation");
        assert_eq!(
            result["parseEvents"],
            json!([]),
            "{name} has parse warnings"
        );
        let png = std::fs::metadata(out.join(format!("{name}.png"))).map(|m| m.len());
        assert!(png.is_ok_and(|len| len > 2000), "{name} has no screenshot");
    }

    // The hostile title and invitee name are shown literally: no link, no emphasis.
    for name in ["preview", "confirmation"] {
        let shown = harness::result(&results, name);
        assert!(
            shown["text"].as_str().unwrap().contains(HOSTILE_TITLE),
            "{name}: {}",
            shown["text"]
        );
        assert!(
            shown["text"]
                .as_str()
                .unwrap()
                .contains("Ana [admin](https://evil.example)")
        );
        assert_eq!(
            shown["emphasis"], 0,
            "{name} rendered markdown from typed text"
        );
        assert!(!shown["text"].as_str().unwrap().contains("Secret42"));
    }
    assert_eq!(
        harness::result(&results, "preview")["buttons"],
        json!(["Schedule", "Edit", "Cancel"])
    );
    // A renderer that linkifies may turn a visible address into a link, but never a disguised
    // one: every link shows exactly where it goes, and goes nowhere but https or mail.
    for result in &results {
        for link in result["links"].as_array().unwrap() {
            let (href, text) = (
                link["href"].as_str().unwrap(),
                link["text"].as_str().unwrap(),
            );
            let shown = href.strip_prefix("mailto:").unwrap_or(href);
            assert!(
                href.starts_with("https://") || href.starts_with("mailto:"),
                "{href}"
            );
            assert_eq!(text, shown, "a link whose text hides its target");
        }
    }
    let with_errors = harness::result(&results, "form_errors")["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(with_errors.contains("Give the meeting a title."));
    assert!(with_errors.contains("\"not-an-address\""));
    assert!(with_errors.contains("at most 23 hours 59 minutes"));

    let pressed = |name: &str| -> Value {
        serde_json::from_slice(&std::fs::read(out.join(format!("{name}.submitted.json"))).unwrap())
            .unwrap()
    };
    // Cancel sends no inputs (associatedInputs: none), only its own data.
    assert_eq!(
        pressed("form_cancel"),
        json!({"action": "cancel", "card_id": "form-3"})
    );
    assert_eq!(
        read_submission(&pressed("form_cancel")),
        Ok(Submission::Cancel {
            card_id: "form-3".into()
        })
    );
    assert_eq!(
        read_submission(&pressed("preview")),
        Ok(Submission::Edit {
            card_id: "prev-1".into()
        })
    );

    let submitted: Value =
        serde_json::from_slice(&std::fs::read(out.join("form.submitted.json")).unwrap()).unwrap();
    assert_eq!(
        harness::result(&results, "form")["submittedWith"],
        "Schedule"
    );
    let Ok(Submission::Form { card_id, values }) = read_submission(&submitted) else {
        panic!("not a form submission: {submitted}");
    };
    assert_eq!(card_id, "form-1");
    let start = New_York.with_ymd_and_hms(2027, 3, 2, 15, 0, 0).unwrap();
    let expected = MeetingRequest {
        title: "Quarterly planning".into(),
        start,
        end: start + chrono::Duration::minutes(60),
        timezone: New_York,
        recurrence: Some(Recurrence {
            pattern: Pattern::Weekly(WeekdaySet::single(Weekday::Tue).with(Weekday::Thu)),
            interval: 1,
            end: RecurrenceEnd::Count(6),
        }),
        invitees: vec![
            Invitee {
                who: Who::Email("ana@example.com".into()),
                cohost: false,
            },
            Invitee {
                who: Who::Email("bo@example.org".into()),
                cohost: true,
            },
        ],
        password: Some("Secret42".into()),
        agenda: Some("Intro\nDemo".into()),
    };
    assert_eq!(read_form(&values, now()), Ok(expected));
}
