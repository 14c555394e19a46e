//! The "cancel this meeting?" question card (the meeting cards themselves are in
//! `crate::cards`). Buttons carry `action` and `card_id`, which Webex merges into the
//! submission's inputs.

use super::card_actions::{ACTION_CONFIRM_CANCEL, ACTION_KEEP};
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

/// "Cancel … ?" with two answers.
pub(crate) fn confirm_cancel_card(question: &str, prompt_id: &str) -> Value {
    card(
        vec![json!({"type": "TextBlock", "text": question, "wrap": true})],
        vec![
            button("Cancel meeting", ACTION_CONFIRM_CANCEL, prompt_id),
            button("Keep it", ACTION_KEEP, prompt_id),
        ],
    )
}
