//! A stateful, in-process stand-in for the slice of the Webex REST API the bot uses.
//!
//! Webex cannot be reached from where this project is built and tested, and newcomers have no
//! bot token, so tests and the sandbox talk to this instead. It serves real HTTP on a local port
//! (the bot cannot tell the difference: every Webex URL is configuration), keeps people, rooms,
//! messages, webhooks, meetings and OAuth grants in memory, delivers signed webhooks, and can be
//! told to misbehave (429s, 5xx, latency, dropped responses).
//!
//! Two ways to drive it: the methods of [`Emulator`] in-process, or the same operations as JSON
//! under `/_emulator/...` for a bot running in another process (see [`control`]).
//!
//! # Layout
//! `state` holds the world and the Webex error type; `gateway` is the front door every REST
//! request passes (auth, faults, tracking ids, the request log); then one file per resource, with
//! the pure parts beside them: `mentions` (how Webex encodes mentions), `meeting_rules`
//! (Webex's scheduling rules) and `card_rules` (which cards Webex accepts).

mod card_rules;
pub mod control;
pub mod faults;
mod gateway;
mod meeting_access;
mod meeting_rules;
mod meeting_updates;
mod meetings;
mod mentions;
mod messages;
mod oauth;
mod people;
mod recurrence_rules;
mod rooms;
mod state;
pub mod webhooks;

pub use card_rules::{MAX_CARD_ACTIONS, MAX_CARD_BYTES, MAX_CARD_VERSION};
pub use faults::{Fault, FaultKind, RetryAfter};
pub use oauth::pkce_s256;
pub use webhooks::{Delivery, NotificationProgress, sign};

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use scheduler_core::clock::{SharedClock, SystemClock};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde_json::Value;
use state::{AppState, Person, PersonKind, RoomKind, Shared, TokenGrant, World};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use url::Url;

/// How the emulator is set up. `Default` gives Webex's own numbers; tests lower some of them.
#[derive(Clone)]
pub struct EmulatorConfig {
    pub bind: SocketAddr,
    pub bot_display_name: String,
    pub bot_email: String,
    /// "Now" for meeting validation, token expiry and quotas, so tests can pin it.
    pub clock: SharedClock,
    /// Page size when a list request has no `max`; small values exercise pagination.
    pub default_page_size: usize,
    /// Attempts per notification (the first try included).
    pub webhook_delivery_attempts: u32,
    pub webhook_retry_delay: Duration,
    pub webhook_timeout: Duration,
    /// Webex disables a webhook after 100 failed deliveries within five minutes.
    pub webhook_disable_after_failures: u32,
    pub webhook_failure_window: Duration,
    /// Webex: 100 meetings created per user per 24 hours, failed attempts included.
    pub meetings_per_day_quota: u32,
    /// Whether a refresh returns a new refresh token (the old one then becomes a reuse tripwire)
    /// or the same one again; Webex's behaviour is unconfirmed, so clients must cope with both.
    pub rotate_refresh_tokens: bool,
    /// The Webex site meetings are scheduled on, e.g. `example.webex.com`.
    pub site_url: String,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            bot_display_name: "Scheduler".to_string(),
            bot_email: "scheduler@webex.bot".to_string(),
            clock: Arc::new(SystemClock),
            default_page_size: 100,
            webhook_delivery_attempts: 3,
            webhook_retry_delay: Duration::from_millis(200),
            webhook_timeout: Duration::from_secs(5),
            webhook_disable_after_failures: 100,
            webhook_failure_window: Duration::from_secs(300),
            meetings_per_day_quota: 100,
            rotate_refresh_tokens: true,
            site_url: "emulator.webex.com".to_string(),
        }
    }
}

impl std::fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("bind", &self.bind)
            .field("bot_display_name", &self.bot_display_name)
            .field("bot_email", &self.bot_email)
            .field("now", &self.clock.now())
            .field("default_page_size", &self.default_page_size)
            .finish_non_exhaustive()
    }
}

/// A person as the test sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonInfo {
    pub id: String,
    pub display_name: String,
    pub emails: Vec<String>,
    pub timezone: Option<String>,
}

impl From<&Person> for PersonInfo {
    fn from(p: &Person) -> Self {
        Self {
            id: p.id.clone(),
            display_name: p.display_name.clone(),
            emails: vec![p.email.clone()],
            timezone: p.timezone.clone(),
        }
    }
}

/// A message as stored, whoever posted it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageInfo {
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
    pub created: DateTime<Utc>,
}

impl From<&state::Message> for MessageInfo {
    fn from(m: &state::Message) -> Self {
        Self {
            id: m.id.clone(),
            room_id: m.room_id.clone(),
            parent_id: m.parent_id.clone(),
            person_id: m.person_id.clone(),
            text: m.text.clone(),
            markdown: m.markdown.clone(),
            html: m.html.clone(),
            files: m.files.clone(),
            attachments: m.attachments.clone(),
            mentioned_people: m.mentioned_people.clone(),
            created: m.created,
        }
    }
}

/// A room as the test sees it; `kind` is `direct` or `group` (direct rooms have no title).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomInfo {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub member_ids: Vec<String>,
}

/// A message exactly as a client encoded it, to test the encodings seen in the wild.
#[derive(Debug, Clone, Default)]
pub struct RawMessage {
    pub text: Option<String>,
    pub markdown: Option<String>,
    pub html: Option<String>,
    pub mentioned_people: Vec<String>,
    pub parent_id: Option<String>,
}

/// One REST call the emulator received, faulted and rejected ones included.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    #[serde(serialize_with = "serialize_method")]
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    /// The person id behind the bearer token, or `"unknown"`.
    pub subject: String,
    #[serde(skip)]
    pub at: Instant,
    #[serde(serialize_with = "serialize_system_time")]
    pub at_system: SystemTime,
    pub body: Option<Value>,
    /// The request's `Content-Type` header (empty without one).
    pub content_type: String,
    pub status: u16,
    /// The request was processed but its response withheld (an injected fault).
    pub response_dropped: bool,
}

fn serialize_method<S: serde::Serializer>(method: &Method, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(method.as_str())
}

fn serialize_system_time<S: serde::Serializer>(at: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&state::timestamp(DateTime::<Utc>::from(*at)))
}

/// A handle on a running emulator; clones share it.
#[derive(Clone)]
pub struct Emulator {
    state: AppState,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("base", &self.state.base.as_str())
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Binds, creates the bot, and serves on the current tokio runtime until it shuts down.
    pub async fn start(config: EmulatorConfig) -> anyhow::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind(config.bind).await?;
        let addr = listener.local_addr()?;
        let base = Url::parse(&format!("http://{addr}/"))?;
        let now = config.clock.now();
        let bot = Person {
            id: state::new_id("PEOPLE"),
            display_name: config.bot_display_name.clone(),
            email: config.bot_email.clone(),
            timezone: None,
            kind: PersonKind::Bot,
            created: now,
        };
        let mut world = World::default();
        world.tokens.insert(
            state::new_token().expose_secret().to_string(),
            TokenGrant {
                person_id: bot.id.clone(),
                scopes: Vec::new(),
                expires_at: None,
                grant_id: None,
            },
        );
        let bot_id = bot.id.clone();
        world.people.push(bot);
        let shared = Arc::new(Shared {
            world: Mutex::new(world),
            clock: config.clock.clone(),
            config,
            // Webhook targets are local; a proxy from the environment must not intercept them.
            http: reqwest::Client::builder().no_proxy().build()?,
            base,
            bot_id,
            message_feed: tokio::sync::broadcast::channel(256).0,
        });
        let app = router(shared.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "the Webex emulator stopped serving");
            }
        });
        Ok(Emulator { state: shared })
    }

    /// The root of the REST API, ending in `/v1/` so relative joins land under it.
    pub fn api_base(&self) -> Url {
        self.url("v1/")
    }

    pub fn authorize_url(&self) -> Url {
        self.url("v1/authorize")
    }

    pub fn token_url(&self) -> Url {
        self.url("v1/access_token")
    }

    /// The root of the `/_emulator` control API.
    pub fn control_base(&self) -> Url {
        self.url("_emulator/")
    }

    fn url(&self, path: &str) -> Url {
        self.state
            .base
            .join(path)
            .unwrap_or_else(|_| self.state.base.clone())
    }

    fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.state.world()
    }

    pub fn bot(&self) -> PersonInfo {
        self.person(&self.state.bot_id)
            .unwrap_or_else(|| PersonInfo {
                id: self.state.bot_id.clone(),
                display_name: self.state.config.bot_display_name.clone(),
                emails: vec![self.state.config.bot_email.clone()],
                timezone: None,
            })
    }

    pub fn person(&self, person_id: &str) -> Option<PersonInfo> {
        self.world().person(person_id).map(PersonInfo::from)
    }

    /// Everyone, the bot first.
    pub fn people(&self) -> Vec<PersonInfo> {
        self.world().people.iter().map(PersonInfo::from).collect()
    }

    /// Every room with its members, oldest first.
    pub fn rooms(&self) -> Vec<RoomInfo> {
        let world = self.world();
        world
            .rooms
            .iter()
            .map(|room| RoomInfo {
                id: room.id.clone(),
                title: room.title.clone(),
                kind: room.kind.as_str().to_string(),
                member_ids: world
                    .members_of(&room.id)
                    .iter()
                    .map(|p| p.id.clone())
                    .collect(),
            })
            .collect()
    }

    /// The bot's access token (bot tokens never expire).
    pub fn bot_token(&self) -> SecretString {
        let world = self.world();
        let token = world
            .tokens
            .iter()
            .find(|(_, grant)| grant.person_id == self.state.bot_id)
            .map(|(token, _)| token.clone())
            .unwrap_or_default();
        SecretString::from(token)
    }

    pub fn add_person(
        &self,
        display_name: &str,
        email: &str,
        timezone: Option<&str>,
    ) -> PersonInfo {
        let person = Person {
            id: state::new_id("PEOPLE"),
            display_name: display_name.to_string(),
            email: email.to_string(),
            timezone: timezone.map(str::to_string),
            kind: PersonKind::Person,
            created: self.state.now(),
        };
        let info = PersonInfo::from(&person);
        self.world().people.push(person);
        info
    }

    /// A user access token without the OAuth dance; valid for Webex's 14 days.
    pub fn issue_user_token(&self, person_id: &str, scopes: &[&str]) -> SecretString {
        let token = state::new_token();
        let grant = TokenGrant {
            person_id: person_id.to_string(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            expires_at: Some(
                self.state.now() + chrono::Duration::seconds(oauth::ACCESS_TOKEN_SECS),
            ),
            grant_id: None,
        };
        self.world()
            .tokens
            .insert(token.expose_secret().to_string(), grant);
        token
    }

    /// Creates a group room with these members and the bot; fires `memberships/created` for each.
    pub fn create_group_room(&self, title: &str, members: &[&str]) -> String {
        let now = self.state.now();
        let creator = members
            .first()
            .copied()
            .unwrap_or(&self.state.bot_id)
            .to_string();
        let (room_id, events) = {
            let mut world = self.world();
            let room_id = world.create_room(title, RoomKind::Group, &creator, now);
            let mut events = Vec::new();
            for person in members.iter().copied().chain([self.state.bot_id.as_str()]) {
                events.extend(world.add_member(&room_id, person, &creator, now));
            }
            (room_id, events)
        };
        webhooks::dispatch(&self.state, events);
        room_id
    }

    /// Adds someone to a room, as `actor_id` would in a client; fires `memberships/created`.
    pub fn add_member(&self, room_id: &str, person_id: &str, actor_id: &str) {
        let now = self.state.now();
        let event = self.world().add_member(room_id, person_id, actor_id, now);
        webhooks::dispatch(&self.state, event.into_iter().collect());
    }

    /// The 1:1 space between a person and the bot, created on first use.
    pub fn direct_room(&self, person_id: &str) -> String {
        let now = self.state.now();
        self.world()
            .ensure_direct_room(person_id, &self.state.bot_id, now)
    }

    /// Posts as a person typing in a client: `@Name` of a member becomes a mention.
    pub async fn post_as(
        &self,
        person_id: &str,
        room_id: &str,
        text: &str,
    ) -> anyhow::Result<String> {
        self.post_typed(person_id, room_id, text, None).await
    }

    /// Like [`Emulator::post_as`], as a reply in the thread of `parent_id`.
    pub async fn reply_as(
        &self,
        person_id: &str,
        room_id: &str,
        parent_id: &str,
        text: &str,
    ) -> anyhow::Result<String> {
        self.post_typed(person_id, room_id, text, Some(parent_id))
            .await
    }

    async fn post_typed(
        &self,
        person_id: &str,
        room_id: &str,
        text: &str,
        parent: Option<&str>,
    ) -> anyhow::Result<String> {
        let now = self.state.now();
        let (id, event) = {
            let mut world = self.world();
            let members = world
                .members_of(room_id)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>();
            let rendered = mentions::from_typed(text, &members.iter().collect::<Vec<_>>());
            let (message, event) = world
                .post_encoded(person_id, room_id, parent, rendered.into(), now)
                .map_err(api_error)?;
            (message.id, event)
        };
        webhooks::dispatch(&self.state, vec![event]);
        Ok(id)
    }

    /// Posts a message whose `text`/`html`/`mentionedPeople` are taken as given.
    pub async fn post_raw_as(
        &self,
        person_id: &str,
        room_id: &str,
        raw: RawMessage,
    ) -> anyhow::Result<String> {
        let now = self.state.now();
        let encoded = messages::Encoded {
            text: raw.text,
            markdown: raw.markdown,
            html: raw.html,
            mentioned_people: raw.mentioned_people,
            mentioned_groups: Vec::new(),
        };
        let (id, event) = {
            let mut world = self.world();
            let (message, event) = world
                .post_encoded(person_id, room_id, raw.parent_id.as_deref(), encoded, now)
                .map_err(api_error)?;
            (message.id, event)
        };
        webhooks::dispatch(&self.state, vec![event]);
        Ok(id)
    }

    /// Clicks the submit button of the card in `message_id`; returns the attachment action id.
    /// When the card has exactly one `Action.Submit`, its `data` is merged into `inputs`.
    pub async fn submit_card(
        &self,
        person_id: &str,
        message_id: &str,
        inputs: Value,
    ) -> anyhow::Result<String> {
        let now = self.state.now();
        let (action, event) = self
            .world()
            .submit_card(person_id, message_id, inputs, now)
            .map_err(api_error)?;
        webhooks::dispatch(&self.state, vec![event]);
        Ok(action.id)
    }

    /// Every message in a room, oldest first.
    pub fn messages_in(&self, room_id: &str) -> Vec<MessageInfo> {
        self.world()
            .messages
            .iter()
            .filter(|m| m.room_id == room_id)
            .map(MessageInfo::from)
            .collect()
    }

    pub fn message(&self, message_id: &str) -> Option<MessageInfo> {
        self.world().message(message_id).map(MessageInfo::from)
    }

    /// New messages as they are created, whoever posts them (a lagging receiver skips ahead).
    pub fn subscribe_messages(&self) -> tokio::sync::broadcast::Receiver<MessageInfo> {
        self.state.message_feed.subscribe()
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.world().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.world().requests.clear();
    }

    /// Meeting series as the API would return them to their host.
    pub fn meetings(&self) -> Vec<Value> {
        let now = self.state.now();
        let world = self.world();
        world
            .meetings
            .iter()
            .map(|m| meetings::series_json(&world, m, &self.state.config.site_url, now))
            .collect()
    }

    pub fn inject(&self, fault: Fault) {
        self.world().faults.push(fault);
    }

    /// Faults that have not fired (all their times) yet. A fault leaves this list the moment its
    /// last matching request arrives, so an empty list after a [`FaultKind::Latency`] means that
    /// request is now being held.
    pub fn pending_faults(&self) -> Vec<Fault> {
        self.world().faults.clone()
    }

    pub fn clear_faults(&self) {
        self.world().faults.clear();
    }

    pub fn webhooks(&self) -> Vec<Value> {
        self.world()
            .webhooks
            .iter()
            .map(webhooks::webhook_json)
            .collect()
    }

    /// Every webhook delivery attempt so far, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.world().deliveries.clone()
    }

    /// How many webhook notifications were sent off and how many are over; see
    /// [`NotificationProgress`].
    pub fn notification_progress(&self) -> NotificationProgress {
        self.world().notifications
    }

    pub fn register_oauth_client(&self, client_id: &str, client_secret: &str, redirect_uri: &str) {
        self.world()
            .oauth
            .register_client(client_id, client_secret, redirect_uri);
    }

    /// Revokes every OAuth grant of a person, as if they removed the app in Webex settings.
    pub fn revoke_grants(&self, person_id: &str) {
        self.world().oauth.revoke_person(person_id);
    }
}

fn api_error(error: state::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{} {}", error.status, error.message)
}

fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/v1/people/me", get(people::me))
        .route("/v1/people/{id}", get(people::get))
        .route("/v1/people", get(people::list))
        .route("/v1/rooms/{id}", get(rooms::get_room))
        .route("/v1/memberships", get(rooms::list_memberships))
        .route("/v1/messages", get(messages::list).post(messages::create))
        .route(
            "/v1/messages/{id}",
            get(messages::get).delete(messages::delete),
        )
        .route("/v1/attachment/actions", post(messages::create_action))
        .route("/v1/attachment/actions/{id}", get(messages::get_action))
        .route("/v1/webhooks", get(webhooks::list).post(webhooks::create))
        .route(
            "/v1/webhooks/{id}",
            get(webhooks::get)
                .put(webhooks::update)
                .delete(webhooks::delete),
        )
        .merge(meetings::routes())
        .merge(oauth::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            gateway::gateway,
        ));
    Router::new()
        .merge(v1)
        .nest("/_emulator", control::routes())
        .with_state(state)
}

async fn not_found() -> state::ApiError {
    state::ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        "The requested resource could not be found.",
    )
}
