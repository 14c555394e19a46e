//! A real browser shows the cards as a Webex client would, a person fills the form and presses
//! Schedule, and what the renderer submits becomes the expected meeting: through `read_form`
//! for cards filled here, and through the emulator and the running bot for the cards the bot
//! itself posts.

use crate::browser as harness;
use crate::common;

use chrono::{DateTime, Datelike, TimeZone, Utc, Weekday};
use chrono_tz::America::New_York;
use chrono_tz::Europe::Berlin;
use scheduler_core::schedule::{
    Invitee, MeetingRequest, Pattern, Recurrence, RecurrenceEnd, WeekdaySet, Who,
};
use serde_json::{Value, json};
use webex_scheduler::cards::{
    self, FieldErrors, FormValues, InviteeView, Submission, read_form, read_submission,
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
        reminder: None,
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
        &cards::preview(&meeting(), &people(), &[], New_York, "prev-1"),
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
    {
        let name = "preview";
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
        reminder: None,
    };
    assert_eq!(read_form(&values, now()), Ok(expected));
}

/// Shows a card the bot posted in Chromium, fills in `values`, presses `button`, and lets the
/// browser deliver what the renderer submitted to the emulator as that person's card
/// submission, exactly as a Webex client would. Screenshots go to `test-output/cards/bot/`.
async fn press_in_browser(
    app: &common::TestApp,
    step: &str,
    (message_id, card): (String, Value),
    button: &str,
    values: Value,
) -> String {
    let (dir, out) = harness::workspace(&format!("bot/{step}"));
    harness::write_json(&dir.join(format!("{step}.json")), &card["content"]);
    let submit = app.emulator.control_base().join("cards/submit").unwrap();
    harness::write_json(
        &dir.join(format!("{step}.fill.json")),
        &json!({
            "press": button,
            "values": values,
            "submitTo": {"url": submit.as_str(), "personId": app.person.id, "messageId": message_id},
        }),
    );
    let results = tokio::task::spawn_blocking(move || harness::render(&dir, &out, false))
        .await
        .expect("the browser run finishes");
    let shown = harness::result(&results, step);
    assert_eq!(shown["failures"], json!([]), "{step} fails validation");
    assert_eq!(shown["parseEvents"], json!([]), "{step} has parse warnings");
    assert_eq!(shown["submittedWith"], button, "{step}: {shown}");
    assert_eq!(
        shown["submitStatus"], 200,
        "{step}: the emulator refused it"
    );
    shown["text"].as_str().unwrap_or_default().to_string()
}

/// The weekday code the form's day boxes use (`MO`..`SU`).
fn day_code(day: Weekday) -> &'static str {
    ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day.num_days_from_monday() as usize]
}

#[tokio::test]
async fn a_meeting_made_corrected_and_edited_in_chromium_from_the_bots_own_cards() {
    if !harness::browser_available() {
        return;
    }
    let app = common::spawn_app().await;
    app.connect(&app.person.id).await;
    let day = (Utc::now().with_timezone(&New_York) + chrono::Duration::days(1)).date_naive();
    app.emulator
        .post_as(&app.person.id, &app.direct, "form")
        .await
        .unwrap();

    // The form as the bot posted it, filled in and sent from the browser, with one address
    // mistyped: the renderer cannot know, the server does.
    let form = app.wait_for_card(&app.direct, 1).await;
    press_in_browser(
        &app,
        "form",
        form,
        "Preview", // the form's button: previews are on
        json!({
            "title": "Quarterly planning",
            "date": day.format("%Y-%m-%d").to_string(),
            "start": "15:00",
            "duration": "60",
            "zone": "America/New_York",
            "repeat": "weekly",
            "days": [day_code(day.weekday())],
            "ends": "after",
            "count": "6",
            "invitees": "carol@example.com, bob@example",
            "cohosts": "bob@example.com",
            "password": "Secret42",
            "agenda": "Intro\nDemo"
        }),
    )
    .await;

    // The form comes back with the problem beside the field and everything else kept;
    // only the address is corrected.
    let returned = app.wait_for_card(&app.direct, 2).await;
    let shown = press_in_browser(
        &app,
        "fixed",
        returned,
        "Preview", // the form's button: previews are on
        json!({"invitees": "carol@example.com, bob@example.com"}),
    )
    .await;
    assert!(
        shown.contains("\"bob@example\" is not an e-mail address."),
        "{shown}"
    );
    assert!(app.meetings().is_empty());

    // Its preview: Edit brings the form back prefilled; only the title is changed.
    let preview = app.wait_for_card(&app.direct, 3).await;
    assert!(preview.1.to_string().contains("Quarterly planning"));
    press_in_browser(&app, "preview", preview, "Edit", json!({})).await;
    let edit = app.wait_for_card(&app.direct, 4).await;
    press_in_browser(
        &app,
        "edit",
        edit,
        "Preview", // the form's button: previews are on
        json!({"title": "Quarterly planning and budget"}),
    )
    .await;
    let second = app.wait_for_card(&app.direct, 5).await;
    assert!(
        second
            .1
            .to_string()
            .contains("Quarterly planning and budget")
    );
    press_in_browser(&app, "preview_edited", second, "Schedule", json!({})).await;

    app.wait_for_text(&app.direct, "Scheduled: Quarterly planning and budget")
        .await;
    app.wait_until_settled().await;
    assert_eq!(app.meetings().len(), 1, "exactly one meeting");
    let created: Vec<Value> = app
        .emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == axum::http::Method::POST && r.path == "/v1/meetings")
        .filter_map(|r| r.body)
        .collect();
    assert_eq!(created.len(), 1, "one create call: {created:?}");
    let body = &created[0];
    assert_eq!(body["title"], "Quarterly planning and budget");
    assert_eq!(body["timezone"], "America/New_York");
    let start = New_York
        .from_local_datetime(&day.and_hms_opt(15, 0, 0).unwrap())
        .unwrap();
    let parsed = |field: &str| {
        DateTime::parse_from_rfc3339(body[field].as_str().unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    assert_eq!(parsed("start"), start.with_timezone(&Utc), "{body}");
    assert_eq!(
        parsed("end"),
        (start + chrono::Duration::minutes(60)).with_timezone(&Utc)
    );
    let rule = body["recurrence"].as_str().unwrap();
    for part in [
        "FREQ=WEEKLY",
        &format!("BYDAY={}", day_code(day.weekday())),
        "COUNT=6",
    ] {
        assert!(
            rule.split(';').any(|p| p == part),
            "{part} missing from {rule}"
        );
    }
    assert_eq!(
        body["password"], "Secret42",
        "the password survives Edit in a direct space"
    );
    assert_eq!(body["agenda"], "Intro\nDemo");
    let mut invitees: Vec<(String, bool)> = body["invitees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["email"].as_str().unwrap().to_string(),
                i["coHost"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    invitees.sort();
    assert_eq!(
        invitees,
        [
            ("bob@example.com".to_string(), true),
            ("carol@example.com".to_string(), false)
        ]
    );
}

/// Removes `associatedInputs` from every action, as a client of Adaptive Cards 1.3 (which has
/// no such property) ignores it: such a client validates every input on every Action.Submit.
fn as_a_1_3_client_sees_it(mut card: Value) -> Value {
    if let Some(actions) = card["content"]["actions"].as_array_mut() {
        for action in actions {
            if let Some(action) = action.as_object_mut() {
                action.remove("associatedInputs");
            }
        }
    }
    card
}

#[tokio::test]
async fn cancel_on_an_empty_form_works_in_a_client_that_ignores_associated_inputs() {
    if !harness::browser_available() {
        return;
    }
    let app = common::spawn_app().await;
    app.connect(&app.person.id).await;
    app.emulator
        .post_as(&app.person.id, &app.direct, "form")
        .await
        .unwrap();
    let (message_id, card) = app.wait_for_card(&app.direct, 1).await;
    // No required input may block the button: the server checks the form, not the client.
    press_in_browser(
        &app,
        "cancel_empty",
        (message_id, as_a_1_3_client_sees_it(card)),
        "Cancel",
        json!({}),
    )
    .await;
    app.wait_for_text(&app.direct, "OK, nothing scheduled.")
        .await;
    assert!(app.meetings().is_empty());
}
