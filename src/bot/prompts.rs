//! The "cancel this meeting?" question card, built by [`crate::cards::question`] like every
//! card. Buttons carry `action` and `card_id`, which Webex merges into the submission's inputs.

use super::card_actions::{ACTION_CONFIRM_CANCEL, ACTION_KEEP};
use serde_json::Value;

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
