//! The Webex REST client: wire types, per-call auth (bot or user token), pacing, 429 handling,
//! retries for reads, and pagination.
//!
//! Everything Webex-shaped stops here. Callers get typed values and a [`WebexError`] they can
//! branch on (refresh on `Unauthorized`, tell the user on `NotFound`, look before re-creating
//! on [`WebexError::is_ambiguous`]). The base URL is configuration, so the same client talks
//! to Webex, to the emulator, or to a test server.

pub mod budget;
mod client;
mod error;
mod link;
mod meeting_patch;
mod rate_gate;
mod retry_after;
mod types;

pub use client::{Auth, WebexClient, WebexConfig};
pub use error::WebexError;
pub use meeting_patch::MeetingPatch;
pub(crate) use types::Membership;
pub use types::{
    Attachment, AttachmentAction, Meeting, MeetingQuery, MeetingType, Message, NewInvitee,
    NewMeeting, NewMessage, NewWebhook, Person, PersonType, RoomType, UpdateWebhook, Webhook,
    WebhookEnvelope, WebhookEnvelopeData, WebhookStatus,
};

/// Who the bot is, learned from `GET /people/me` at startup: the HTTP edge drops the bot's own
/// events by it and the conversation strips the bot's mention by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotIdentity {
    pub id: String,
    pub display_name: String,
    pub emails: Vec<String>,
}
