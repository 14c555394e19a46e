//! Small cards the conversation posts: the preview with Schedule / Edit / Cancel, and the
//! "cancel this meeting?" question. Buttons carry `action` and `card_id`, which Webex merges
//! into the submission's inputs.

use super::meetings::{
    ACTION_CONFIRM_CANCEL, ACTION_DISMISS, ACTION_EDIT, ACTION_KEEP, ACTION_SCHEDULE,
};
use super::plan::{Plan, people_words};
use super::reply::escape_markdown;
use chrono::TimeZone;
use serde_json::{Value, json};

fn button(title: &str, action: &str, card_id: &str) -> Value {
    json!({"type": "Action.Submit", "title": title, "data": {"action": action, "card_id": card_id}})
}

fn card(body: Vec<Value>, actions: Vec<Value>) -> Value {
    json!({
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.3",
        "body": body,
        "actions": actions,
    })
}

/// What will be scheduled, for the asker to confirm.
pub fn preview_card(plan: &Plan, card_id: &str) -> Value {
    let zone = plan.zone();
    let mut facts = vec![
        json!({"title": "When", "value": plan.when()}),
        json!({"title": "Duration", "value": plan.duration_words()}),
    ];
    if let Some(words) = &plan.recurrence_words {
        facts.push(json!({"title": "Repeats", "value": escape_markdown(words)}));
        let next: Vec<String> = plan
            .next_starts
            .iter()
            .map(|s| {
                zone.from_utc_datetime(&s.naive_utc())
                    .format("%a %-d %b %Y %H:%M")
                    .to_string()
            })
            .collect();
        facts.push(json!({"title": "Next", "value": next.join("; ")}));
    }
    facts.push(json!({"title": "Invitees", "value": people_words(&plan.invitees)}));
    facts.push(json!({"title": "Password", "value": if plan.password.is_some() { "set" } else { "none (Webex generates one)" }}));
    card(
        vec![
            json!({"type": "TextBlock", "text": escape_markdown(&plan.title), "size": "Large", "weight": "Bolder", "wrap": true}),
            json!({"type": "FactSet", "facts": facts}),
        ],
        vec![
            button("Schedule", ACTION_SCHEDULE, card_id),
            button("Edit", ACTION_EDIT, card_id),
            button("Cancel", ACTION_DISMISS, card_id),
        ],
    )
}

/// "Cancel … ?" with two answers.
pub fn confirm_cancel_card(question: &str, prompt_id: &str) -> Value {
    card(
        vec![json!({"type": "TextBlock", "text": question, "wrap": true})],
        vec![
            button("Cancel meeting", ACTION_CONFIRM_CANCEL, prompt_id),
            button("Keep it", ACTION_KEEP, prompt_id),
        ],
    )
}
