//! The meeting form end to end: `form` posts the card; a submission is re-validated on the
//! server, problems come back on the form, and a good one goes through the same preview and
//! creation path as a typed command. Forged and replayed submissions create nothing.

use crate::common;

use chrono::{Duration, Utc};
use common::{TestApp, spawn_app};
use serde_json::{Value, json};

/// What a Webex client sends when the form's Schedule is pressed: every input, plus the
/// button's data.
fn submission(card: &Value, fields: &[(&str, &str)]) -> Value {
    let content = card.get("content").unwrap_or(card);
    let data = content["actions"]
        .as_array()
        .and_then(|a| a.iter().find(|b| b["data"]["action"] == "form"))
        .map(|b| b["data"].clone())
        .expect("a form button");
    let mut inputs = json!({
        "title": "", "date": "", "start": "", "end": "", "duration": "", "zone": "",
        "zone_typed": "", "repeat": "none", "days": "", "ends": "never", "count": "",
        "until": "", "invitees": "", "cohosts": "", "password": "", "agenda": ""
    });
    for (k, v) in fields {
        inputs[*k] = json!(v);
    }
    for (k, v) in data.as_object().unwrap() {
        inputs[k] = v.clone();
    }
    inputs
}

/// Sends a card submission as the person the form belongs to.
async fn submit_as_owner(app: &TestApp, message: &str, inputs: Value) {
    app.emulator
        .submit_card(&app.person.id, message, inputs)
        .await
        .unwrap();
}

fn tomorrow() -> String {
    (Utc::now() + Duration::days(1))
        .format("%Y-%m-%d")
        .to_string()
}

async fn form_card(app: &TestApp, n: usize) -> (String, Value) {
    app.emulator
        .post_as(&app.person.id, &app.direct, "form")
        .await
        .unwrap();
    app.wait_for_card(&app.direct, n).await
}

#[tokio::test]
async fn a_meeting_made_entirely_from_the_form_after_fixing_a_mistake() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    let (form_message, form) = form_card(&app, 1).await;
    assert!(
        form.to_string().contains("Europe/Berlin"),
        "the person's zone is prefilled"
    );

    // A mistake: an impossible start time and no title.
    let bad = submission(
        &form,
        &[
            ("date", &tomorrow()),
            ("start", "25:99"),
            ("duration", "60"),
            ("zone", "Europe/Berlin"),
            ("password", "Lynx55k"),
        ],
    );
    submit_as_owner(&app, &form_message, bad).await;
    let (fixed_message, fixed_form) = app.wait_for_card(&app.direct, 2).await;
    let text = fixed_form.to_string();
    assert!(text.contains("25:99"), "what they typed is kept");
    assert!(
        text.contains("Lynx55k"),
        "its owner sees their password in a direct space"
    );
    assert!(app.meetings().is_empty());

    let good = submission(
        &fixed_form,
        &[
            ("title", "Roadmap"),
            ("date", &tomorrow()),
            ("start", "10:00"),
            ("duration", "60"),
            ("zone", "Europe/Berlin"),
            ("invitees", "carol@example.com"),
        ],
    );
    submit_as_owner(&app, &fixed_message, good.clone()).await;
    let (preview_message, preview) = app.wait_for_card(&app.direct, 3).await;
    assert!(preview.to_string().contains("Roadmap"));
    // The same form submitted again does nothing more.
    submit_as_owner(&app, &fixed_message, good).await;
    app.press(&app.person.id, &preview_message, &preview, "Schedule")
        .await;
    app.wait_for_text(&app.direct, "Scheduled: Roadmap").await;
    app.wait_until_settled().await;
    assert_eq!(app.meetings().len(), 1);
    let cards = app
        .bot_messages(&app.direct)
        .iter()
        .filter(|m| !m.attachments.is_empty())
        .count();
    assert_eq!(cards, 3, "form, corrected form, one preview");
}

#[tokio::test]
async fn forged_foreign_and_malformed_submissions_create_nothing() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    let (form_message, form) = form_card(&app, 1).await;
    let date = tomorrow();
    let fields = [
        ("title", "Sneaky"),
        ("date", date.as_str()),
        ("start", "10:00"),
        ("duration", "30"),
        ("zone", "UTC"),
    ];

    // A card id the bot never issued.
    let mut forged = submission(&form, &fields);
    forged["card_id"] = json!("wxs-000000000000000000000000");
    submit_as_owner(&app, &form_message, forged).await;
    app.wait_for_text(&app.direct, "I don't recognise that card")
        .await;

    // An extra key a real form never sends.
    let mut extra = submission(&form, &fields);
    extra["hostEmail"] = json!("ceo@example.com");
    submit_as_owner(&app, &form_message, extra).await;

    // Someone else submitting Ana's form (in the group space, where both are members).
    let (group_form_message, group_form) = {
        app.emulator
            .post_as(&app.person.id, &app.group, "@Scheduler form")
            .await
            .unwrap();
        app.wait_for_card(&app.group, 1).await
    };
    app.emulator
        .submit_card(
            &app.colleague.id,
            &group_form_message,
            submission(&group_form, &fields),
        )
        .await
        .unwrap();
    app.wait_for_text(&app.group, "Only the person this form is for")
        .await;
    app.wait_until_settled().await;
    assert!(app.meetings().is_empty());
    let previews = app
        .bot_messages(&app.direct)
        .iter()
        .chain(app.bot_messages(&app.group).iter())
        .filter(|m| {
            m.attachments
                .first()
                .is_some_and(|c| c.to_string().contains("Sneaky"))
        })
        .count();
    assert_eq!(previews, 0, "no preview for any refused submission");
}

#[tokio::test]
async fn edit_on_a_preview_opens_the_form_prefilled_and_schedules_the_edited_meeting() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.emulator
        .post_as(
            &app.person.id,
            &app.direct,
            "schedule budget review tomorrow 9am with carol@example.com",
        )
        .await
        .unwrap();
    let (preview_message, preview) = app.wait_for_card(&app.direct, 1).await;
    app.press(&app.person.id, &preview_message, &preview, "Edit")
        .await;
    let (form_message, form) = app.wait_for_card(&app.direct, 2).await;
    let text = form.to_string();
    assert!(
        text.contains("Budget review") && text.contains("carol@example.com"),
        "{text}"
    );
    // The old preview no longer works.
    app.press(&app.person.id, &preview_message, &preview, "Schedule")
        .await;

    let edited = submission(
        &form,
        &[
            ("title", "Budget review, moved"),
            ("date", &tomorrow()),
            ("start", "11:00"),
            ("duration", "30"),
            ("zone", "Europe/Berlin"),
            ("invitees", "carol@example.com"),
        ],
    );
    submit_as_owner(&app, &form_message, edited).await;
    let (new_preview_message, new_preview) = app.wait_for_card(&app.direct, 3).await;
    app.press(
        &app.person.id,
        &new_preview_message,
        &new_preview,
        "Schedule",
    )
    .await;
    app.wait_for_text(&app.direct, "Scheduled: Budget review, moved")
        .await;
    app.wait_until_settled().await;
    let meetings = app.meetings();
    assert_eq!(meetings.len(), 1, "only the edited meeting exists");
    assert_eq!(meetings[0]["title"], "Budget review, moved");
}

#[tokio::test]
async fn a_meeting_password_is_never_stored_in_clear_nor_shown_in_a_group_space_yet_kept() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    app.emulator
        .post_as(
            &app.person.id,
            &app.direct,
            "schedule vault review tomorrow 9am password Zebra42x",
        )
        .await
        .unwrap();
    let (preview_message, preview) = app.wait_for_card(&app.direct, 1).await;
    assert!(!preview.to_string().contains("Zebra42x"));
    // In a direct space, Edit shows the person their own password again.
    app.press(&app.person.id, &preview_message, &preview, "Edit")
        .await;
    let (_, form) = app.wait_for_card(&app.direct, 2).await;
    assert!(form.to_string().contains("Zebra42x"), "{form}");

    // A form with a mistake, sent in the group space: it comes back without the password,
    // which the bot keeps; fixed and sent with the password field left empty, it is used.
    app.emulator
        .post_as(&app.person.id, &app.group, "@Scheduler form")
        .await
        .unwrap();
    let (group_message, group_form) = app.wait_for_card(&app.group, 1).await;
    let mut fields: Vec<(&str, String)> = vec![
        ("title", "Vault review".into()),
        ("date", tomorrow()),
        ("start", "25:00".into()),
        ("duration", "30".into()),
        ("zone", "Europe/Berlin".into()),
        ("password", "Quokka77y".into()),
    ];
    fn pairs<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
        fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
    submit_as_owner(
        &app,
        &group_message,
        submission(&group_form, &pairs(&fields)),
    )
    .await;
    let (returned_message, returned) = app.wait_for_card(&app.group, 2).await;
    let text = returned.to_string();
    assert!(text.contains("25:00"), "what they typed is kept: {text}");
    assert!(!text.contains("Quokka77y"), "{text}");
    assert!(
        text.contains(webex_scheduler::cards::KEPT_PASSWORD_HINT),
        "{text}"
    );

    fields[2].1 = "11:00".into();
    fields[5].1 = String::new();
    submit_as_owner(
        &app,
        &returned_message,
        submission(&returned, &pairs(&fields)),
    )
    .await;
    let (preview_message, preview) = app.wait_for_card(&app.group, 3).await;
    assert!(
        preview.to_string().contains("Set"),
        "the kept password: {preview}"
    );
    app.press(&app.person.id, &preview_message, &preview, "Schedule")
        .await;
    app.wait_for_text(&app.group, "Scheduled: Vault review")
        .await;

    // Edit in the group space: the password is not shown, and survives.
    let (edit_message, edit_preview) = {
        app.emulator
            .post_as(
                &app.person.id,
                &app.group,
                "@Scheduler schedule vault follow-up tomorrow 3pm password Walrus31q",
            )
            .await
            .unwrap();
        app.wait_for_card(&app.group, 4).await
    };
    app.press(&app.person.id, &edit_message, &edit_preview, "Edit")
        .await;
    let (form_message, form) = app.wait_for_card(&app.group, 5).await;
    assert!(!form.to_string().contains("Walrus31q"), "{form}");
    assert!(
        form.to_string()
            .contains(webex_scheduler::cards::KEPT_PASSWORD_HINT)
    );
    let edited = submission(
        &form,
        &[
            ("title", "Vault follow-up, later"),
            ("date", &tomorrow()),
            ("start", "16:00"),
            ("duration", "30"),
            ("zone", "Europe/Berlin"),
        ],
    );
    submit_as_owner(&app, &form_message, edited).await;
    let (final_message, final_preview) = app.wait_for_card(&app.group, 6).await;
    app.press(&app.person.id, &final_message, &final_preview, "Schedule")
        .await;
    app.wait_for_text(&app.group, "Scheduled: Vault follow-up, later")
        .await;
    let mut passwords: Vec<String> = app
        .meetings()
        .iter()
        .map(|m| m["password"].as_str().unwrap().to_string())
        .collect();
    passwords.sort();
    assert_eq!(passwords, ["Quokka77y", "Walrus31q"]);

    app.wait_until_settled().await;
    for password in ["Zebra42x", "Quokka77y", "Walrus31q"] {
        assert!(
            !app.database_holds(password),
            "{password} is in the database files in clear"
        );
    }
}
