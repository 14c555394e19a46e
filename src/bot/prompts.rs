//! The "cancel this meeting?" and "move this meeting?" question cards (the meeting cards
//! themselves are in `crate::cards`). Buttons carry `action` and `card_id`, which Webex merges
//! into the submission's inputs.

use super::card_actions::{
    ACTION_CONFIRM_CANCEL, ACTION_CONFIRM_MOVE, ACTION_KEEP, ACTION_KEEP_TIME,
};
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
    crate::cards::question(
        question,
        &[
            ("Cancel meeting", ACTION_CONFIRM_CANCEL),
            ("Keep it", ACTION_KEEP),
        ],
        prompt_id,
    )
}

/// "Move … ?" from when to when, with two answers: Confirm moves it, Keep changes nothing.
pub(crate) fn confirm_move_card(
    question: &str,
    from: &str,
    to: &str,
    note: Option<&str>,
    prompt_id: &str,
) -> Value {
    let mut body = vec![
        json!({"type": "TextBlock", "text": question, "wrap": true, "weight": "Bolder"}),
        json!({"type": "FactSet", "facts": [
            {"title": "From", "value": from},
            {"title": "To", "value": to},
        ]}),
    ];
    if let Some(note) = note {
        body.push(json!({"type": "TextBlock", "text": note, "wrap": true, "isSubtle": true}));
    }
    card(
        body,
        vec![
            button("Confirm", ACTION_CONFIRM_MOVE, prompt_id),
            button("Keep", ACTION_KEEP_TIME, prompt_id),
        ],
    )
}
