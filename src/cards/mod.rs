//! Adaptive Cards: the create/edit form, the preview and the question cards (every card the
//! bot posts is built here), the first two filled from the JSON templates in `cards/`, and the
//! strict reading of what a card press sends back (docs/cards.md).
//!
//! Webex renders Adaptive Cards 1.3 with at most five buttons (docs/webex.md §Cards);
//! every card here is 1.3 and is validated by the official `adaptivecards` library in the
//! tests. A submitted form goes through [`read_form`], which builds a
//! [`MeetingRequest`](scheduler_core::schedule::MeetingRequest) and checks it with the same
//! [`scheduler_core::schedule`] rules as a typed command.

mod form;
mod markdown;
mod question;
mod read;
mod submission;
mod summary;
mod template;

pub use form::{
    FIELD_IDS, FieldErrors, FormValues, KEPT_PASSWORD_HINT, Submit, form, form_for,
    form_keeping_password,
};
pub use markdown::escape as escape_markdown;
pub use question::question;
pub use read::read_form;
pub use submission::{MAX_CARD_ID_LEN, Submission, read_submission};
pub use summary::preview;

use serde_json::{Value, json};

/// The `contentType` of an Adaptive Card attachment in a Webex message.
pub(crate) const CARD_CONTENT_TYPE: &str = "application/vnd.microsoft.card.adaptive";

/// The size every filled card stays under. Webex publishes no card size limit
/// (docs/webex.md §Cards, UNCONFIRMED); this is below the smallest limit other chat
/// platforms document (28 KB), and the tests hold every card, filled to its worst, to it.
pub const CARD_BUDGET_BYTES: usize = 24 * 1024;

/// The most characters the invitee and co-host boxes each take (about 150 addresses):
/// larger meetings are for typed commands with `everyone`, and this keeps the form within
/// [`CARD_BUDGET_BYTES`].
pub(crate) const MAX_ADDRESS_CHARS: usize = 4000;

/// Someone on a meeting, as the cards show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteeView {
    pub email: String,
    /// Their display name, when Webex knows it.
    pub name: Option<String>,
    pub cohost: bool,
}

/// `{ "contentType": …, "content": card }`: the item for a message's `attachments`.
pub fn attachment(card: Value) -> Value {
    json!({"contentType": CARD_CONTENT_TYPE, "content": card})
}

/// Fills a template. A template that does not fill is a bug the tests catch; should one slip
/// through, the person still gets a card that says something went wrong rather than nothing.
fn render(template: &str, bindings: &template::Bindings) -> Value {
    template::fill(template, bindings).unwrap_or_else(|e| {
        tracing::error!(error = %e, "card template failed to fill");
        json!({
            "type": "AdaptiveCard",
            "version": "1.3",
            "body": [{"type": "TextBlock", "wrap": true,
                      "text": "Sorry, I couldn't show this card. Please try again."}]
        })
    })
}

#[cfg(test)]
mod tests;
