//! The emulator's world: every resource it knows, behind one lock.
//!
//! One `std::sync::Mutex` guards everything because requests are tiny and the lock is never held
//! across an `.await`; that keeps every operation atomic, which is what lets tests reason about
//! "the meeting was stored before the response was dropped".

use super::faults::Fault;
use super::meeting_rules::QuotaLedger;
use super::meetings::MeetingSeries;
use super::oauth::OAuthState;
use super::webhooks::{Delivery, NotificationProgress, WebhookRecord};
use super::{EmulatorConfig, RecordedRequest};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use scheduler_core::clock::SharedClock;
use secrecy::SecretString;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use url::Url;

/// Shared by every handler and by the [`super::Emulator`] handle.
pub(crate) struct Shared {
    pub world: Mutex<World>,
    pub config: EmulatorConfig,
    pub clock: SharedClock,
    pub http: reqwest::Client,
    pub base: Url,
    pub bot_id: String,
    /// Every new message, for live views such as the sandbox's chat.
    pub message_feed: tokio::sync::broadcast::Sender<super::MessageInfo>,
}

impl Shared {
    /// Poisoning only happens if a handler panicked mid-update; the emulator is a test double,
    /// so carrying on with the state as it was is more useful than cascading panics.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

pub(crate) type AppState = Arc<Shared>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonKind {
    Person,
    Bot,
}

#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub id: String,
    pub display_name: String,
    pub email: String,
    pub timezone: Option<String>,
    pub kind: PersonKind,
    pub created: DateTime<Utc>,
}

impl Person {
    pub fn first_name(&self) -> &str {
        self.display_name
            .split_whitespace()
            .next()
            .unwrap_or(&self.display_name)
    }

    pub fn last_name(&self) -> String {
        self.display_name
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomKind {
    Direct,
    Group,
}

impl RoomKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RoomKind::Direct => "direct",
            RoomKind::Group => "group",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Room {
    pub id: String,
    pub title: String,
    pub kind: RoomKind,
    pub creator_id: String,
    pub created: DateTime<Utc>,
    pub last_activity: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub(crate) struct Membership {
    pub id: String,
    pub room_id: String,
    pub person_id: String,
    pub is_moderator: bool,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub id: String,
    pub room_id: String,
    pub parent_id: Option<String>,
    pub person_id: String,
    pub text: Option<String>,
    pub markdown: Option<String>,
    pub html: Option<String>,
    pub files: Vec<String>,
    pub attachments: Vec<Value>,
    pub mentioned_people: Vec<String>,
    pub mentioned_groups: Vec<String>,
    pub to_person_id: Option<String>,
    pub to_person_email: Option<String>,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub(crate) struct AttachmentAction {
    pub id: String,
    pub message_id: String,
    pub person_id: String,
    pub room_id: String,
    pub inputs: Value,
    pub created: DateTime<Utc>,
}

/// What a bearer token stands for.
#[derive(Debug, Clone)]
pub(crate) struct TokenGrant {
    pub person_id: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// The OAuth grant this token came from, so revoking the grant revokes the token.
    pub grant_id: Option<String>,
}

/// Everything the emulator knows.
#[derive(Default)]
pub(crate) struct World {
    pub people: Vec<Person>,
    pub rooms: Vec<Room>,
    pub memberships: Vec<Membership>,
    pub messages: Vec<Message>,
    pub actions: Vec<AttachmentAction>,
    pub webhooks: Vec<WebhookRecord>,
    pub deliveries: Vec<Delivery>,
    pub notifications: NotificationProgress,
    pub meetings: Vec<MeetingSeries>,
    pub meeting_quota: QuotaLedger,
    pub tokens: HashMap<String, TokenGrant>,
    pub oauth: OAuthState,
    pub faults: Vec<Fault>,
    pub requests: Vec<RecordedRequest>,
}

impl World {
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    pub fn person_by_email(&self, email: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.email.eq_ignore_ascii_case(email))
    }

    pub fn room(&self, id: &str) -> Option<&Room> {
        self.rooms.iter().find(|r| r.id == id)
    }

    pub fn message(&self, id: &str) -> Option<&Message> {
        self.messages.iter().find(|m| m.id == id)
    }

    pub fn is_member(&self, room_id: &str, person_id: &str) -> bool {
        self.memberships
            .iter()
            .any(|m| m.room_id == room_id && m.person_id == person_id)
    }

    pub fn members_of(&self, room_id: &str) -> Vec<&Person> {
        self.memberships
            .iter()
            .filter(|m| m.room_id == room_id)
            .filter_map(|m| self.person(&m.person_id))
            .collect()
    }

    /// The 1:1 space of two people, if they have one.
    pub fn direct_room_between(&self, a: &str, b: &str) -> Option<&Room> {
        self.rooms
            .iter()
            .filter(|r| r.kind == RoomKind::Direct)
            .find(|r| self.is_member(&r.id, a) && self.is_member(&r.id, b))
    }
}

/// Webex IDs are base64 (no padding) of `ciscospark://us/<KIND>/<uuid>`; the emulator mints the
/// same shape so clients that (wrongly) decode or length-check IDs meet reality in tests.
pub(crate) fn new_id(kind: &str) -> String {
    let raw = format!("ciscospark://us/{kind}/{}", uuid::Uuid::new_v4());
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(raw)
}

pub(crate) fn org_id() -> String {
    base64::engine::general_purpose::STANDARD_NO_PAD
        .encode("ciscospark://us/ORGANIZATION/00000000-0000-4000-8000-emulator0org")
}

pub(crate) fn new_token() -> SecretString {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    SecretString::from(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

pub(crate) fn new_tracking_id() -> String {
    format!("EMULATOR_{}", uuid::Uuid::new_v4())
}

/// Webex timestamps: RFC 3339 in UTC with milliseconds.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A Webex-style failure. Rendered without a body here; the request middleware fills in the
/// body with the request's tracking id, so body and `Trackingid` header always agree.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub description: String,
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status,
            description: message.clone(),
            message,
            retry_after_secs: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// Webex's answer to a parameter it refuses: a general message, the reason only in
    /// `errors[].description` (the meeting document's example for a bad password).
    pub fn invalid_items(description: impl Into<String>) -> Self {
        Self {
            description: description.into(),
            ..Self::bad_request("The input parameters contain invalid items.")
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            format!("The requested {what} could not be found."),
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "The request requires a valid access token set in the Authorization request header.",
        )
    }

    pub fn body(&self, tracking_id: &str) -> Value {
        json!({
            "message": self.message,
            "errors": [{ "description": self.description }],
            "trackingId": tracking_id,
        })
    }
}

/// Marker the middleware looks for to render an [`ApiError`] body.
#[derive(Debug, Clone)]
pub(crate) struct PendingError(pub ApiError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        if let Some(secs) = self.retry_after_secs
            && let Ok(value) = secs.to_string().parse()
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, value);
        }
        response.extensions_mut().insert(PendingError(self));
        response
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

/// Parses a JSON request body, turning malformed input into Webex's 400 rather than axum's.
pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    if bytes.is_empty() {
        return Err(ApiError::bad_request("Required request body is missing"));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("JSON parse error: {e}")))
}

/// Query strings parsed leniently (last value wins), as a map.
pub(crate) fn parse_query(raw: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}
