//! Messages and attachment actions (card submissions).
//!
//! Visibility follows Webex's bot rules: in a group room a bot sees only messages that mention
//! it (and its own); in a direct room it sees everything.

use super::card_rules;
use super::gateway::Caller;
use super::mentions::{self, Rendered};
use super::rooms::Page;
use super::state::{
    ApiError, ApiResult, AppState, AttachmentAction, Message, PersonKind, RoomKind, World, new_id,
    parse_body, parse_query, timestamp,
};
use super::webhooks::{self, Event};
use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

/// Webex's limit for `text`, `markdown` and `html`.
pub const MAX_MESSAGE_BYTES: usize = 7439;
const MESSAGES_READ: &str = "spark:messages_read";
const MESSAGES_WRITE: &str = "spark:messages_write";
pub const ADAPTIVE_CARD: &str = "application/vnd.microsoft.card.adaptive";

/// A `POST /messages` body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NewMessage {
    pub room_id: Option<String>,
    pub to_person_id: Option<String>,
    pub to_person_email: Option<String>,
    pub parent_id: Option<String>,
    pub text: Option<String>,
    pub markdown: Option<String>,
    #[serde(default)]
    pub files: Vec<String>,
    #[serde(default)]
    pub attachments: Vec<Value>,
}

/// The already-encoded form of a message, as a Webex client would produce it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Encoded {
    pub text: Option<String>,
    pub markdown: Option<String>,
    pub html: Option<String>,
    pub mentioned_people: Vec<String>,
    pub mentioned_groups: Vec<String>,
}

impl From<Rendered> for Encoded {
    fn from(r: Rendered) -> Self {
        Encoded {
            text: Some(r.text),
            markdown: None,
            html: Some(r.html),
            mentioned_people: r.mentioned_people,
            mentioned_groups: r.mentioned_groups,
        }
    }
}

impl World {
    /// Who may read a message: members, and for bots in group rooms only mentions and own posts.
    pub(crate) fn can_read(&self, reader: &str, message: &Message) -> bool {
        let Some(room) = self.room(&message.room_id) else {
            return false;
        };
        if !self.is_member(&room.id, reader) {
            return false;
        }
        let reader_is_bot = self
            .person(reader)
            .is_some_and(|p| p.kind == PersonKind::Bot);
        !reader_is_bot
            || room.kind == RoomKind::Direct
            || message.person_id == reader
            || message.mentioned_people.iter().any(|p| p == reader)
    }

    /// Resolves the destination of a `POST /messages` to a room the sender is in.
    fn destination_room(
        &mut self,
        sender: &str,
        body: &NewMessage,
        now: DateTime<Utc>,
    ) -> ApiResult<String> {
        let given = [&body.room_id, &body.to_person_id, &body.to_person_email]
            .iter()
            .filter(|d| d.is_some())
            .count();
        if given != 1 {
            return Err(ApiError::bad_request(
                "Exactly one of roomId, toPersonId or toPersonEmail must be specified.",
            ));
        }
        if let Some(room_id) = &body.room_id {
            if self.room(room_id).is_none() || !self.is_member(room_id, sender) {
                return Err(ApiError::not_found("room"));
            }
            return Ok(room_id.clone());
        }
        let other = match (&body.to_person_id, &body.to_person_email) {
            (Some(id), _) => self.person(id).map(|p| p.id.clone()),
            (None, Some(email)) => self.person_by_email(email).map(|p| p.id.clone()),
            (None, None) => None,
        }
        .ok_or_else(|| ApiError::not_found("person"))?;
        if other == sender {
            return Err(ApiError::bad_request(
                "Cannot send a direct message to yourself.",
            ));
        }
        Ok(self.ensure_direct_room(sender, &other, now))
    }

    fn encode_api_message(&self, body: &NewMessage) -> Encoded {
        let Some(markdown) = &body.markdown else {
            return Encoded {
                text: body.text.clone(),
                ..Encoded::default()
            };
        };
        let rendered = mentions::from_markdown(markdown, |kind, key| match kind {
            "personId" => self.person(key).cloned(),
            "personEmail" => self.person_by_email(key).cloned(),
            _ => None,
        });
        Encoded {
            text: Some(body.text.clone().unwrap_or_else(|| rendered.text.clone())),
            markdown: Some(markdown.clone()),
            html: Some(rendered.html),
            mentioned_people: rendered.mentioned_people,
            mentioned_groups: rendered.mentioned_groups,
        }
    }

    /// Stores a message sent through the API (by a bot or a user token).
    pub(crate) fn create_message(
        &mut self,
        sender: &str,
        body: NewMessage,
        now: DateTime<Utc>,
    ) -> ApiResult<(Message, Event)> {
        validate_content(&body)?;
        let room_id = self.destination_room(sender, &body, now)?;
        let encoded = self.encode_api_message(&body);
        let message = Message {
            files: body.files,
            attachments: body.attachments,
            to_person_id: body.to_person_id,
            to_person_email: body.to_person_email,
            ..new_message(sender, &room_id, body.parent_id.as_deref(), encoded, now)
        };
        let message = self.store_message(message)?;
        let event = self.message_event("created", &message);
        Ok((message, event))
    }

    /// Stores an already-encoded message from a member (the control API's "type in a client").
    pub(crate) fn post_encoded(
        &mut self,
        sender: &str,
        room_id: &str,
        parent_id: Option<&str>,
        encoded: Encoded,
        now: DateTime<Utc>,
    ) -> ApiResult<(Message, Event)> {
        if self.room(room_id).is_none() || !self.is_member(room_id, sender) {
            return Err(ApiError::not_found("room"));
        }
        let message = self.store_message(new_message(sender, room_id, parent_id, encoded, now))?;
        let event = self.message_event("created", &message);
        Ok((message, event))
    }

    /// Threads are one level deep in Webex: a reply's parent must be a top-level message.
    fn store_message(&mut self, message: Message) -> ApiResult<Message> {
        if let Some(parent_id) = &message.parent_id {
            let parent = self
                .message(parent_id)
                .filter(|p| p.room_id == message.room_id)
                .ok_or_else(|| {
                    ApiError::bad_request("The parent message could not be found in this room.")
                })?;
            if parent.parent_id.is_some() {
                return Err(ApiError::bad_request(
                    "Cannot reply to a reply; use the thread's first message.",
                ));
            }
        }
        if let Some(room) = self.rooms.iter_mut().find(|r| r.id == message.room_id) {
            room.last_activity = message.created;
        }
        self.messages.push(message.clone());
        Ok(message)
    }

    fn message_event(&self, event: &str, message: &Message) -> Event {
        let mut event = Event::new(
            "messages",
            event,
            &message.person_id,
            &message.room_id,
            self.message_event_data(message),
        );
        event.has_attachments = !message.attachments.is_empty();
        event
    }

    /// Webhook `data` for messages: metadata only, never the content (Webex encrypts it).
    fn message_event_data(&self, message: &Message) -> Value {
        let mut data = json!({
            "id": message.id,
            "roomId": message.room_id,
            "roomType": self.room(&message.room_id).map_or("group", |r| r.kind.as_str()),
            "personId": message.person_id,
            "personEmail": self.person(&message.person_id).map(|p| p.email.clone()).unwrap_or_default(),
            "created": timestamp(message.created),
        });
        if let Some(parent) = &message.parent_id {
            data["parentId"] = json!(parent);
        }
        if !message.mentioned_people.is_empty() {
            data["mentionedPeople"] = json!(message.mentioned_people);
        }
        if !message.mentioned_groups.is_empty() {
            data["mentionedGroups"] = json!(message.mentioned_groups);
        }
        if !message.files.is_empty() {
            data["files"] = json!(message.files);
        }
        data
    }

    pub(crate) fn message_json(&self, message: &Message) -> Value {
        let mut value = self.message_event_data(message);
        for (key, field) in [
            ("text", &message.text),
            ("markdown", &message.markdown),
            ("html", &message.html),
        ] {
            if let Some(content) = field {
                value[key] = json!(content);
            }
        }
        if !message.attachments.is_empty() {
            value["attachments"] = json!(message.attachments);
        }
        if let Some(to) = &message.to_person_id {
            value["toPersonId"] = json!(to);
        }
        if let Some(to) = &message.to_person_email {
            value["toPersonEmail"] = json!(to);
        }
        value
    }

    /// Records a card submission; Webex merges the submit action's `data` into `inputs`.
    pub(crate) fn submit_card(
        &mut self,
        person_id: &str,
        message_id: &str,
        inputs: Value,
        now: DateTime<Utc>,
    ) -> ApiResult<(AttachmentAction, Event)> {
        let message = self
            .message(message_id)
            .ok_or_else(|| ApiError::not_found("message"))?;
        if !self.is_member(&message.room_id, person_id) {
            return Err(ApiError::not_found("message"));
        }
        let card = message
            .attachments
            .iter()
            .find(|a| a.get("contentType").and_then(Value::as_str) == Some(ADAPTIVE_CARD))
            .ok_or_else(|| ApiError::bad_request("The message has no card to submit."))?;
        let Value::Object(mut merged) = inputs else {
            return Err(ApiError::bad_request("inputs must be a JSON object."));
        };
        if let Some(Value::Object(data)) = single_submit_data(card) {
            for (key, value) in data {
                merged.entry(key).or_insert(value);
            }
        }
        let action = AttachmentAction {
            id: new_id("ATTACHMENT_ACTION"),
            message_id: message.id.clone(),
            person_id: person_id.to_string(),
            room_id: message.room_id.clone(),
            inputs: Value::Object(merged),
            created: now,
        };
        let mut data = action_json(&action);
        if let Some(obj) = data.as_object_mut() {
            obj.remove("inputs");
        }
        let event = Event::new(
            "attachmentActions",
            "created",
            person_id,
            &action.room_id,
            data,
        );
        self.actions.push(action.clone());
        Ok((action, event))
    }
}

fn new_message(
    sender: &str,
    room_id: &str,
    parent_id: Option<&str>,
    encoded: Encoded,
    now: DateTime<Utc>,
) -> Message {
    Message {
        id: new_id("MESSAGE"),
        room_id: room_id.to_string(),
        parent_id: parent_id.map(str::to_string),
        person_id: sender.to_string(),
        text: encoded.text,
        markdown: encoded.markdown,
        html: encoded.html,
        files: Vec::new(),
        attachments: Vec::new(),
        mentioned_people: encoded.mentioned_people,
        mentioned_groups: encoded.mentioned_groups,
        to_person_id: None,
        to_person_email: None,
        created: now,
    }
}

/// With one `Action.Submit` on the card, which one was clicked is unambiguous.
fn single_submit_data(card: &Value) -> Option<Value> {
    let actions = card.pointer("/content/actions")?.as_array()?;
    let submits: Vec<&Value> = actions
        .iter()
        .filter(|a| a.get("type").and_then(Value::as_str) == Some("Action.Submit"))
        .collect();
    match submits.as_slice() {
        [only] => only.get("data").cloned(),
        _ => None,
    }
}

pub(crate) fn action_json(action: &AttachmentAction) -> Value {
    json!({
        "id": action.id,
        "type": "submit",
        "messageId": action.message_id,
        "inputs": action.inputs,
        "personId": action.person_id,
        "roomId": action.room_id,
        "created": timestamp(action.created),
    })
}

fn validate_content(body: &NewMessage) -> ApiResult<()> {
    if body.text.is_none()
        && body.markdown.is_none()
        && body.files.is_empty()
        && body.attachments.is_empty()
    {
        return Err(ApiError::bad_request(
            "Message must contain text, markdown, files or attachments.",
        ));
    }
    for (name, field) in [("text", &body.text), ("markdown", &body.markdown)] {
        if field.as_ref().is_some_and(|s| s.len() > MAX_MESSAGE_BYTES) {
            return Err(ApiError::bad_request(format!(
                "The {name} of the message exceeds the maximum length of {MAX_MESSAGE_BYTES} bytes."
            )));
        }
    }
    if body.files.len() > 1 {
        return Err(ApiError::bad_request(
            "Only one file is allowed per message.",
        ));
    }
    match body.attachments.as_slice() {
        [] => Ok(()),
        [card] => validate_card(card),
        _ => Err(ApiError::bad_request(
            "Only one card per message is supported.",
        )),
    }
}

fn validate_card(card: &Value) -> ApiResult<()> {
    if card.get("contentType").and_then(Value::as_str) != Some(ADAPTIVE_CARD) {
        return Err(ApiError::bad_request(format!(
            "Attachment contentType must be {ADAPTIVE_CARD}."
        )));
    }
    if card.pointer("/content/type").and_then(Value::as_str) != Some("AdaptiveCard") {
        return Err(ApiError::bad_request(
            "Attachment content must be an AdaptiveCard.",
        ));
    }
    card_rules::check(card).map_err(ApiError::bad_request)
}

pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    caller.require(MESSAGES_WRITE)?;
    let body: NewMessage = parse_body(&body)?;
    let now = state.now();
    let (json, event) = {
        let mut world = state.world();
        let (message, event) = world.create_message(&caller.person_id, body, now)?;
        (world.message_json(&message), event)
    };
    webhooks::dispatch(&state, vec![event]);
    Ok(Json(json))
}

pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    caller.require(MESSAGES_READ)?;
    let world = state.world();
    let message = world
        .message(&id)
        .filter(|m| world.can_read(&caller.person_id, m))
        .ok_or_else(|| ApiError::not_found("message"))?;
    Ok(Json(world.message_json(message)))
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require(MESSAGES_WRITE)?;
    let event = {
        let mut world = state.world();
        let message = world
            .message(&id)
            .filter(|m| world.can_read(&caller.person_id, m))
            .cloned()
            .ok_or_else(|| ApiError::not_found("message"))?;
        if message.person_id != caller.person_id {
            return Err(ApiError::forbidden(
                "Only the author of a message can delete it.",
            ));
        }
        world.messages.retain(|m| m.id != id);
        world.message_event("deleted", &message)
    };
    webhooks::dispatch(&state, vec![event]);
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /messages?roomId=`: newest first. Bots must add `mentionedPeople=me` in group rooms,
/// and then see only the messages that mention them.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    caller.require(MESSAGES_READ)?;
    let query = parse_query(raw.as_deref());
    let room_id = query
        .get("roomId")
        .ok_or_else(|| ApiError::bad_request("roomId is required for listing messages."))?;
    let page = Page::from_query(&query, 50)?;
    let mentioning = match query.get("mentionedPeople").map(String::as_str) {
        None => None,
        Some("me") => Some(caller.person_id.clone()),
        Some(id) if id == caller.person_id => Some(caller.person_id.clone()),
        Some(_) => {
            return Err(ApiError::bad_request(
                "mentionedPeople only accepts 'me' or your own person id.",
            ));
        }
    };
    let before = query
        .get("before")
        .map(|raw| {
            DateTime::parse_from_rfc3339(raw)
                .map(|at| at.with_timezone(&Utc))
                .map_err(|_| ApiError::bad_request(format!("Invalid before: {raw}")))
        })
        .transpose()?;
    let world = state.world();
    let room = world
        .room(room_id)
        .filter(|r| world.is_member(&r.id, &caller.person_id))
        .ok_or_else(|| ApiError::not_found("room"))?;
    if caller.is_bot && room.kind == RoomKind::Group && mentioning.is_none() {
        return Err(ApiError::forbidden(
            "Bots must use mentionedPeople=me to list messages in group rooms.",
        ));
    }
    // Storage order is posting order, which stays exact even when a pinned clock gives
    // several messages the same `created`.
    let cutoff = match query.get("beforeMessage") {
        Some(id) => world
            .messages
            .iter()
            .position(|m| &m.id == id)
            .ok_or_else(|| ApiError::not_found("message"))?,
        None => world.messages.len(),
    };
    let newest_first: Vec<&Message> = world.messages[..cutoff]
        .iter()
        .rev()
        .filter(|m| &m.room_id == room_id && world.can_read(&caller.person_id, m))
        .filter(|m| {
            query
                .get("parentId")
                .is_none_or(|p| m.parent_id.as_ref() == Some(p))
        })
        .filter(|m| {
            mentioning
                .as_ref()
                .is_none_or(|me| m.mentioned_people.contains(me))
        })
        .filter(|m| before.is_none_or(|at| m.created < at))
        .collect();
    let items: Vec<Value> = page
        .slice(&newest_first)
        .iter()
        .map(|m| world.message_json(m))
        .collect();
    let headers = page.link_header(&state.base, "v1/messages", &query, newest_first.len());
    Ok((headers, Json(json!({ "items": items }))))
}

/// Bots may read submissions of their own cards; people may read their own submissions.
pub(crate) async fn get_action(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    caller.require(MESSAGES_READ)?;
    let world = state.world();
    let action = world
        .actions
        .iter()
        .find(|a| a.id == id)
        .ok_or_else(|| ApiError::not_found("attachment action"))?;
    let card_author = world
        .message(&action.message_id)
        .map(|m| m.person_id.as_str());
    let allowed =
        action.person_id == caller.person_id || card_author == Some(caller.person_id.as_str());
    if !allowed {
        return Err(ApiError::not_found("attachment action"));
    }
    Ok(Json(action_json(action)))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubmitCardAction {
    #[serde(rename = "type")]
    kind: String,
    message_id: String,
    inputs: Value,
}

/// `POST /attachment/actions`: what a client does when someone clicks a card's submit button.
pub(crate) async fn create_action(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    caller.require(MESSAGES_WRITE)?;
    let body: SubmitCardAction = parse_body(&body)?;
    if body.kind != "submit" {
        return Err(ApiError::bad_request("type must be 'submit'."));
    }
    let now = state.now();
    let (action, event) =
        state
            .world()
            .submit_card(&caller.person_id, &body.message_id, body.inputs, now)?;
    webhooks::dispatch(&state, vec![event]);
    Ok((StatusCode::ACCEPTED, Json(action_json(&action))))
}
