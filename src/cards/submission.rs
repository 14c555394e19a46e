//! What a press on one of our cards means, read strictly from the attachment action's
//! `inputs` (the card's inputs merged with the pressed button's `data`).
//!
//! Anyone can post an attachment action with any `inputs` (docs/webex.md §Attachment actions), so
//! nothing the client checked is trusted: only known keys, only strings (a number for the
//! meeting count, which some renderers send as one), each under a size cap. Whether the card
//! is ours, still open, and pressed by the right person is the caller's check, by `card_id`.

use super::form::{FIELD_IDS, FormValues};
use serde_json::Value;

/// What a press on a card asks for.
// One is read per button press and matched at once; boxing the form would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submission {
    /// Schedule the meeting shown on a preview card.
    Schedule { card_id: String },
    /// Show the previewed meeting as a prefilled form.
    Edit { card_id: String },
    /// Drop the card's meeting (from a preview or a form).
    Cancel { card_id: String },
    /// A filled form: read it with [`super::read_form`].
    Form { card_id: String, values: FormValues },
}

/// The longest `card_id` we issue or accept.
pub const MAX_CARD_ID_LEN: usize = 64;

/// Hard caps (in characters) beyond which a value is not a typing mistake but a forged
/// submission; below them, too-long values get a friendly message next to the field.
fn max_chars(field: &str) -> usize {
    match field {
        "title" => 512,
        "password" => 256,
        "agenda" => 8_000,
        "invitees" | "cohosts" => 20_000,
        _ => 128,
    }
}

const REFUSED: &str = "I couldn't read what this card sent. Please use the card's buttons as they are, \
     or type `form` for a new one.";

/// Reads a submission, refusing anything our cards cannot have sent. The error is a
/// chat-safe sentence that echoes nothing from the submission.
pub fn read_submission(inputs: &Value) -> Result<Submission, String> {
    let Value::Object(fields) = inputs else {
        return Err(REFUSED.into());
    };
    let mut action = None;
    let mut card_id = None;
    let mut values = FormValues::default();
    for (key, value) in fields {
        match key.as_str() {
            "action" => action = Some(as_short_str(value)?),
            "card_id" => card_id = Some(read_card_id(value)?),
            field if FIELD_IDS.contains(&field) => {
                let text = field_text(field, value)?;
                values.set(field, text);
            }
            _ => return Err(REFUSED.into()),
        }
    }
    let card_id = card_id.ok_or_else(|| REFUSED.to_string())?;
    match action.ok_or_else(|| REFUSED.to_string())? {
        "form" => Ok(Submission::Form { card_id, values }),
        // The form's Cancel sends no inputs, but a client that ignores `associatedInputs`
        // sends them all: they were checked above and are dropped here.
        "cancel" => Ok(Submission::Cancel { card_id }),
        "schedule" if values == FormValues::default() => Ok(Submission::Schedule { card_id }),
        "edit" if values == FormValues::default() => Ok(Submission::Edit { card_id }),
        _ => Err(REFUSED.into()),
    }
}

fn as_short_str(value: &Value) -> Result<&str, String> {
    match value {
        Value::String(s) if s.len() <= 32 => Ok(s),
        _ => Err(REFUSED.into()),
    }
}

/// Card ids are ours: short, and made of letters, digits, `-` and `_` only.
fn read_card_id(value: &Value) -> Result<String, String> {
    match value {
        Value::String(id)
            if !id.is_empty()
                && id.len() <= MAX_CARD_ID_LEN
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Ok(id.clone())
        }
        _ => Err(REFUSED.into()),
    }
}

fn field_text(field: &str, value: &Value) -> Result<String, String> {
    let text = match value {
        Value::String(s) => s.clone(),
        // Input.Number values arrive as numbers from some renderers; only a small whole one
        // can be a count of meetings.
        Value::Number(n) if field == "count" => match n.as_u64() {
            Some(n) if n <= 9_999 => n.to_string(),
            _ => return Err(REFUSED.into()),
        },
        _ => return Err(REFUSED.into()),
    };
    if text.chars().count() > max_chars(field) || text.contains('\0') {
        return Err(REFUSED.into());
    }
    Ok(text)
}
