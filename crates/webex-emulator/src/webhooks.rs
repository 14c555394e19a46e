//! Webhooks: registration (`/webhooks`), matching, signing and delivery.
//!
//! Deliveries are asynchronous and retried a few times; failures within a window count towards
//! disabling the webhook (`status: inactive`), which Webex never undoes by itself — only a
//! `PUT` with `status: active` does. Clients must notice; tests can lower the threshold.

use super::gateway::Caller;
use super::rooms::Page;
use super::state::{
    ApiError, ApiResult, AppState, PersonKind, RoomKind, World, new_id, org_id, parse_body,
    parse_query, timestamp,
};
use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha1::Sha1;
use std::collections::VecDeque;
use std::time::{Instant, SystemTime};

const RESOURCES: &[&str] = &[
    "attachmentActions",
    "dataSources",
    "memberships",
    "messages",
    "rooms",
    "meetings",
    "recordings",
    "convergedRecordings",
    "meetingParticipants",
    "meetingTranscripts",
    "telephony_calls",
    "telephony_conference",
    "telephony_mwi",
    "uc_counters",
    "serviceApp",
    "adminBatchJobs",
    "all",
];
const EVENTS: &[&str] = &[
    "created",
    "updated",
    "deleted",
    "started",
    "ended",
    "joined",
    "left",
    "migrated",
    "authorized",
    "deauthorized",
    "statusChanged",
    "all",
];

#[derive(Debug, Clone)]
pub(crate) struct WebhookRecord {
    pub id: String,
    pub name: String,
    pub target_url: String,
    pub resource: String,
    pub event: String,
    pub filter: Option<String>,
    pub secret: Option<String>,
    pub active: bool,
    pub owner_id: String,
    pub created: DateTime<Utc>,
    pub recent_failures: VecDeque<Instant>,
    pub disabled_at: Option<Instant>,
    /// Until then, a single failure disables the webhook again.
    pub probation_until: Option<Instant>,
}

/// Something that happened, before it is matched against webhooks.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub resource: String,
    pub event: String,
    pub actor_id: String,
    pub room_id: String,
    pub data: Value,
    pub has_attachments: bool,
}

impl Event {
    pub fn new(resource: &str, event: &str, actor_id: &str, room_id: &str, data: Value) -> Self {
        Self {
            resource: resource.to_string(),
            event: event.to_string(),
            actor_id: actor_id.to_string(),
            room_id: room_id.to_string(),
            data,
            has_attachments: false,
        }
    }
}

/// How far webhook notification has got: one notification is one event for one webhook, with
/// all its delivery attempts. A test that sees nothing in flight, twice with no change between,
/// knows that every event so far has reached (or given up on) its receivers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationProgress {
    /// Notifications sent off so far.
    pub dispatched: u64,
    /// Notifications that are over: answered with a 2xx, out of attempts, or dropped because
    /// their webhook was deleted or deactivated.
    pub finished: u64,
}

impl NotificationProgress {
    /// Notifications still being delivered (or waiting to retry).
    pub fn in_flight(&self) -> u64 {
        self.dispatched - self.finished
    }
}

/// Counts a notification as finished however its delivery ends.
struct Finished(AppState);

impl Drop for Finished {
    fn drop(&mut self) {
        self.0.world().notifications.finished += 1;
    }
}

/// One attempt to deliver a notification, kept so tests can see exactly what was sent.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub webhook_id: String,
    pub target_url: String,
    /// The exact bytes POSTed (as UTF-8), which the signature covers.
    pub body: String,
    pub signature: Option<String>,
    pub attempt: u32,
    /// `None` when the target could not be reached.
    pub status: Option<u16>,
    #[serde(skip)]
    pub at: SystemTime,
}

/// `X-Spark-Signature`: lowercase hex HMAC-SHA1 of the exact body bytes.
pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac =
        <Hmac<Sha1> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

pub(crate) fn webhook_json(hook: &WebhookRecord) -> Value {
    let mut value = json!({
        "id": hook.id,
        "name": hook.name,
        "targetUrl": hook.target_url,
        "resource": hook.resource,
        "event": hook.event,
        "status": if hook.active { "active" } else { "inactive" },
        "created": timestamp(hook.created),
        "ownedBy": "creator",
    });
    if let Some(filter) = &hook.filter {
        value["filter"] = json!(filter);
    }
    if let Some(secret) = &hook.secret {
        value["secret"] = json!(secret);
    }
    value
}

fn app_id() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD_NO_PAD.encode("ciscospark://us/APPLICATION/emulator")
}

fn envelope(hook: &WebhookRecord, event: &Event) -> Value {
    let mut value = json!({
        "id": hook.id,
        "name": hook.name,
        "targetUrl": hook.target_url,
        "resource": event.resource,
        "event": event.event,
        "orgId": org_id(),
        "createdBy": hook.owner_id,
        "appId": app_id(),
        "ownedBy": "creator",
        "status": "active",
        "created": timestamp(hook.created),
        "actorId": event.actor_id,
        "data": event.data,
    });
    if let Some(filter) = &hook.filter {
        value["filter"] = json!(filter);
    }
    value
}

impl World {
    /// Whether the owner of a webhook is allowed to learn about this event at all.
    fn owner_sees(&self, owner: &str, event: &Event) -> bool {
        let Some(room) = self.room(&event.room_id) else {
            return false;
        };
        if !self.is_member(&room.id, owner) {
            return false;
        }
        let owner_is_bot = self
            .person(owner)
            .is_some_and(|p| p.kind == PersonKind::Bot);
        if !owner_is_bot {
            return true;
        }
        match event.resource.as_str() {
            "messages" => {
                room.kind == RoomKind::Direct || mentioned(&event.data).iter().any(|p| p == owner)
            }
            "attachmentActions" => event
                .data
                .get("messageId")
                .and_then(Value::as_str)
                .and_then(|id| self.message(id))
                .is_some_and(|m| m.person_id == owner),
            _ => true,
        }
    }
}

fn mentioned(data: &Value) -> Vec<String> {
    data.get("mentionedPeople")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn subscribed(hook: &WebhookRecord, event: &Event) -> bool {
    let resource_ok = hook.resource == event.resource
        || (hook.resource == "all"
            && ["messages", "memberships", "rooms"].contains(&event.resource.as_str()));
    let event_ok = hook.event == event.event
        || (hook.event == "all"
            && ["created", "updated", "deleted"].contains(&event.event.as_str()));
    hook.active && resource_ok && event_ok
}

/// `k=v&k=v` filters; every clause must hold. `mentionedPeople=me` means the webhook's owner.
pub(crate) fn filter_matches(filter: &str, owner: &str, event: &Event) -> bool {
    url::form_urlencoded::parse(filter.as_bytes()).all(|(key, value)| match key.as_ref() {
        "mentionedPeople" => {
            let people = mentioned(&event.data);
            value
                .split(',')
                .map(|v| if v == "me" { owner } else { v })
                .any(|v| people.iter().any(|p| p == v))
        }
        "hasFiles" => value == event.data.get("files").is_some().to_string(),
        "hasAttachments" => value == event.has_attachments.to_string(),
        other => match event.data.get(other) {
            Some(Value::String(s)) => s.eq_ignore_ascii_case(&value),
            Some(Value::Bool(b)) => b.to_string() == value,
            _ => false,
        },
    })
}

/// Feeds created messages to live subscribers; nobody listening is fine.
fn announce_new_messages(state: &AppState, events: &[Event]) {
    let created: Vec<super::MessageInfo> = {
        let world = state.world();
        events
            .iter()
            .filter(|e| e.resource == "messages" && e.event == "created")
            .filter_map(|e| e.data.get("id").and_then(Value::as_str))
            .filter_map(|id| world.message(id))
            .map(super::MessageInfo::from)
            .collect()
    };
    for message in created {
        let _ = state.message_feed.send(message);
    }
}

/// Matches events against active webhooks and delivers each notification in the background.
pub(crate) fn dispatch(state: &AppState, events: Vec<Event>) {
    announce_new_messages(state, &events);
    let notifications: Vec<(String, String, Option<String>, Vec<u8>)> = {
        let world = state.world();
        events
            .iter()
            .flat_map(|event| {
                world
                    .webhooks
                    .iter()
                    .filter(move |hook| subscribed(hook, event))
                    .filter(|hook| world.owner_sees(&hook.owner_id, event))
                    .filter(move |hook| {
                        hook.filter
                            .as_deref()
                            .is_none_or(|f| filter_matches(f, &hook.owner_id, event))
                    })
                    .map(move |hook| {
                        let body = envelope(hook, event).to_string().into_bytes();
                        (
                            hook.id.clone(),
                            hook.target_url.clone(),
                            hook.secret.clone(),
                            body,
                        )
                    })
            })
            .collect()
    };
    // Counted before this returns, so before the call or request that made the events is
    // answered: whoever caused a notification can never see it uncounted.
    state.world().notifications.dispatched += notifications.len() as u64;
    for (hook_id, target, secret, body) in notifications {
        let state = state.clone();
        tokio::spawn(async move { deliver(state, hook_id, target, secret, body).await });
    }
}

async fn deliver(
    state: AppState,
    hook_id: String,
    target: String,
    secret: Option<String>,
    body: Vec<u8>,
) {
    let _finished = Finished(state.clone());
    let signature = secret.as_deref().map(|s| sign(s, &body));
    for attempt in 1..=state.config.webhook_delivery_attempts.max(1) {
        if !is_active(&state, &hook_id) {
            return;
        }
        let mut request = state
            .http
            .post(&target)
            .header("content-type", "application/json")
            .timeout(state.config.webhook_timeout)
            .body(body.clone());
        if let Some(signature) = &signature {
            request = request.header("x-spark-signature", signature);
        }
        let status = request.send().await.ok().map(|r| r.status().as_u16());
        state.world().deliveries.push(Delivery {
            webhook_id: hook_id.clone(),
            target_url: target.clone(),
            body: String::from_utf8_lossy(&body).into_owned(),
            signature: signature.clone(),
            attempt,
            status,
            at: SystemTime::now(),
        });
        if status.is_some_and(|s| (200..300).contains(&s)) {
            return;
        }
        record_failure(&state, &hook_id);
        tokio::time::sleep(state.config.webhook_retry_delay).await;
    }
}

fn is_active(state: &AppState, hook_id: &str) -> bool {
    state
        .world()
        .webhooks
        .iter()
        .any(|h| h.id == hook_id && h.active)
}

/// Failed attempts inside the window count; reaching the threshold disables the webhook.
fn record_failure(state: &AppState, hook_id: &str) {
    let now = Instant::now();
    let window = state.config.webhook_failure_window;
    let threshold = state.config.webhook_disable_after_failures.max(1) as usize;
    let mut world = state.world();
    let Some(hook) = world.webhooks.iter_mut().find(|h| h.id == hook_id) else {
        return;
    };
    hook.recent_failures.push_back(now);
    while hook
        .recent_failures
        .front()
        .is_some_and(|t| now.duration_since(*t) > window)
    {
        hook.recent_failures.pop_front();
    }
    let on_probation = hook.probation_until.is_some_and(|until| now < until);
    if (on_probation || hook.recent_failures.len() >= threshold) && hook.active {
        hook.active = false;
        hook.disabled_at = Some(now);
        hook.probation_until = None;
        tracing::info!(webhook = %hook.id, "emulator disabled a webhook after repeated delivery failures");
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateWebhook {
    name: Option<String>,
    target_url: Option<String>,
    resource: Option<String>,
    event: Option<String>,
    filter: Option<String>,
    secret: Option<String>,
}

fn required(field: Option<String>, name: &str) -> ApiResult<String> {
    field
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request(format!("{name} is required.")))
}

fn valid_target(url: &str) -> ApiResult<()> {
    match url::Url::parse(url) {
        Ok(u) if u.scheme() == "http" || u.scheme() == "https" => Ok(()),
        _ => Err(ApiError::bad_request(format!(
            "targetUrl '{url}' is not a valid URL."
        ))),
    }
}

/// Creating a webhook needs the read scope of its resource (bots hold the messaging ones).
fn read_scope_for(resource: &str) -> Option<&'static str> {
    match resource {
        "messages" | "attachmentActions" => Some("spark:messages_read"),
        "memberships" => Some("spark:memberships_read"),
        "rooms" => Some("spark:rooms_read"),
        "meetings" => Some("meeting:schedules_read"),
        _ => None,
    }
}

pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: CreateWebhook = parse_body(&body)?;
    let name = required(body.name, "name")?;
    let target_url = required(body.target_url, "targetUrl")?;
    let resource = required(body.resource, "resource")?;
    let event = required(body.event, "event")?;
    if let Some(scope) = read_scope_for(&resource) {
        caller.require(scope)?;
    }
    valid_target(&target_url)?;
    if !RESOURCES.contains(&resource.as_str()) {
        return Err(ApiError::bad_request(format!(
            "Unsupported resource '{resource}'."
        )));
    }
    if !EVENTS.contains(&event.as_str()) {
        return Err(ApiError::bad_request(format!(
            "Unsupported event '{event}'."
        )));
    }
    let hook = WebhookRecord {
        id: new_id("WEBHOOK"),
        name,
        target_url,
        resource,
        event,
        filter: body.filter.filter(|f| !f.is_empty()),
        secret: body.secret.filter(|s| !s.is_empty()),
        active: true,
        owner_id: caller.person_id.clone(),
        created: state.now(),
        recent_failures: VecDeque::new(),
        disabled_at: None,
        probation_until: None,
    };
    let json = webhook_json(&hook);
    state.world().webhooks.push(hook);
    Ok(Json(json))
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    let query = parse_query(raw.as_deref());
    let page = Page::from_query(&query, 100)?;
    let world = state.world();
    let own: Vec<&WebhookRecord> = world
        .webhooks
        .iter()
        .filter(|h| h.owner_id == caller.person_id)
        .collect();
    let items: Vec<Value> = page.slice(&own).iter().map(|h| webhook_json(h)).collect();
    let headers = page.link_header(&state.base, "v1/webhooks", &query, own.len());
    Ok((headers, Json(json!({ "items": items }))))
}

pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let world = state.world();
    let hook = world
        .webhooks
        .iter()
        .find(|h| h.id == id && h.owner_id == caller.person_id)
        .ok_or_else(|| ApiError::not_found("webhook"))?;
    Ok(Json(webhook_json(hook)))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateWebhook {
    name: Option<String>,
    target_url: Option<String>,
    secret: Option<String>,
    status: Option<String>,
}

/// Webex lets `PUT` reactivate a disabled webhook but never deactivate one.
pub(crate) async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: UpdateWebhook = parse_body(&body)?;
    let name = required(body.name, "name")?;
    let target_url = required(body.target_url, "targetUrl")?;
    valid_target(&target_url)?;
    let reactivate = match body.status.as_deref() {
        None => false,
        Some("active") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Invalid status '{other}'; only 'active' is allowed."
            )));
        }
    };
    let mut world = state.world();
    let hook = world
        .webhooks
        .iter_mut()
        .find(|h| h.id == id && h.owner_id == caller.person_id)
        .ok_or_else(|| ApiError::not_found("webhook"))?;
    hook.name = name;
    hook.target_url = target_url;
    if let Some(secret) = body.secret {
        hook.secret = Some(secret).filter(|s| !s.is_empty());
    }
    if reactivate && !hook.active {
        hook.active = true;
        hook.recent_failures.clear();
        // Webex: re-enabled within five minutes of being disabled, the next failure disables it.
        let window = state.config.webhook_failure_window;
        if hook.disabled_at.is_some_and(|at| at.elapsed() < window) {
            hook.probation_until = Some(Instant::now() + window);
        }
    }
    Ok(Json(webhook_json(hook)))
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut world = state.world();
    let before = world.webhooks.len();
    world
        .webhooks
        .retain(|h| !(h.id == id && h.owner_id == caller.person_id));
    if world.webhooks.len() == before {
        return Err(ApiError::not_found("webhook"));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_the_known_vector() {
        let body = r#"{"id":"WH1","resource":"messages","event":"created","data":{"id":"MSG1","roomId":"R1","personEmail":"a@example.com"}}"#;
        assert_eq!(
            sign("somesupersecretphrase", body.as_bytes()),
            "cd530f957de01bef09b07d54838479eec80ecea9"
        );
    }

    #[test]
    fn signature_covers_every_byte() {
        let a = sign("k", br#"{"a":1}"#);
        let b = sign("k", br#"{"a": 1}"#);
        assert_ne!(a, b);
        assert_ne!(sign("k1", b"x"), sign("k2", b"x"));
    }

    fn message_event(data: Value) -> Event {
        Event::new("messages", "created", "ALICE", "R1", data)
    }

    #[test]
    fn filters_match_fields_and_mentions_of_me() {
        let event = message_event(
            json!({"roomId": "R1", "roomType": "group", "personEmail": "alice@example.com", "mentionedPeople": ["BOT"]}),
        );
        assert!(filter_matches("roomId=R1", "BOT", &event));
        assert!(filter_matches(
            "roomType=group&mentionedPeople=me",
            "BOT",
            &event
        ));
        assert!(!filter_matches("mentionedPeople=me", "SOMEONE", &event));
        assert!(!filter_matches("roomId=R2", "BOT", &event));
        assert!(filter_matches(
            "personEmail=Alice%40example.com",
            "BOT",
            &event
        ));
        assert!(!filter_matches("hasFiles=true", "BOT", &event));
        assert!(filter_matches("hasFiles=false", "BOT", &event));
    }

    #[test]
    fn firehose_covers_only_messages_memberships_and_rooms() {
        let hook = WebhookRecord {
            id: "W".into(),
            name: "n".into(),
            target_url: "http://x".into(),
            resource: "all".into(),
            event: "all".into(),
            filter: None,
            secret: None,
            active: true,
            owner_id: "BOT".into(),
            created: Utc::now(),
            recent_failures: VecDeque::new(),
            disabled_at: None,
            probation_until: None,
        };
        assert!(subscribed(&hook, &message_event(json!({}))));
        let action = Event::new("attachmentActions", "created", "A", "R", json!({}));
        assert!(!subscribed(&hook, &action));
        let inactive = WebhookRecord {
            active: false,
            ..hook
        };
        assert!(!subscribed(&inactive, &message_event(json!({}))));
    }
}
