//! A question with a few answers ("Cancel this meeting?" with *Cancel meeting* and *Keep it*).
//! Built here, beside the other cards, so every card the bot posts comes from this module and
//! is checked by the same tests (Adaptive Cards 1.3, Webex's five buttons, the size budget).

use serde_json::{Value, json};

/// The question as a text block and one `Action.Submit` per `(title, action)` answer, each
/// carrying `action` and `card_id` (Webex merges them into the submission's inputs). The
/// question is markdown the caller has already escaped.
pub fn question(text: &str, answers: &[(&str, &str)], card_id: &str) -> Value {
    let actions: Vec<Value> = answers
        .iter()
        .map(|(title, action)| {
            json!({"type": "Action.Submit", "title": title, "data": {"action": action, "card_id": card_id}})
        })
        .collect();
    json!({
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.3",
        "body": [{"type": "TextBlock", "text": text, "wrap": true}],
        "actions": actions,
    })
}
