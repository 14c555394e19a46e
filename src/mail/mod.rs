//! Invitation e-mail: MIME assembly (lettre) and delivery.
//!
//! One message per recipient, each carrying the same iCalendar object twice: as the
//! `text/calendar; method=...` alternative that Gmail, Outlook and Thunderbird turn into an
//! invitation card, and as an `application/ics` attachment for clients that only offer
//! attachments (the CalConnect iMIP best-practice tree).
//!
//! Nothing user-controlled reaches a header unfiltered: subjects and display names go through
//! [`scheduler_core::invite::normalize_line`] (no CR, LF, NUL or other control character) before lettre
//! encodes them, and addresses must parse as [`lettre::Address`].

mod compose;
mod error;
mod mailer;
mod message;

pub use compose::{compose_invitation, deterministic_message_id};
pub use error::MailError;
pub use mailer::SentMail;
pub use mailer::{Mailer, SmtpOptions};
pub use message::to_message;

use scheduler_core::invite::{Method, Person};

/// A ready-to-send invitation for one recipient. Everything in it is deterministic for a given
/// invitation version and recipient, so the outbox can store it or rebuild it and re-send with
/// the same Message-ID after a crash.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// `<...@domain>`, angle brackets included.
    pub message_id: String,
    pub from: Person,
    pub to: Person,
    /// Where a plain "reply" goes: the meeting's organizer rather than the bot's address.
    pub reply_to: Option<Person>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub ics: String,
    pub method: Method,
}
