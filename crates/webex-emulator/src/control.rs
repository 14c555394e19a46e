//! The control API: the [`Emulator`] handle's operations as JSON over HTTP under `/_emulator`,
//! so a bot in another process (crash tests, the sandbox) can be driven and observed.
//!
//! | method & path | body / answer |
//! |---|---|
//! | `GET /_emulator/bot` | `{id, displayName, emails, token}` |
//! | `GET /_emulator/people`, `GET /_emulator/rooms` | everyone / every room with `memberIds` |
//! | `POST /_emulator/people` | `{displayName, email, timezone?}` → person |
//! | `POST /_emulator/tokens` | `{personId, scopes: [..]}` → `{token}` |
//! | `POST /_emulator/oauth/clients` | `{clientId, clientSecret, redirectUri}` → 204 |
//! | `POST /_emulator/oauth/revoke` | `{personId}` → 204 (revokes all the person's grants) |
//! | `POST /_emulator/rooms` | `{title, members: [personId..]}` → `{id}` |
//! | `POST /_emulator/rooms/direct` | `{personId}` → `{id}` (the person's 1:1 with the bot) |
//! | `POST /_emulator/rooms/{roomId}/members` | `{personId, actorId}` → 204 |
//! | `GET /_emulator/rooms/{roomId}/messages` | `[message..]` |
//! | `POST /_emulator/messages` | `{personId, roomId, text, parentId?}` or `{.., raw: {text?, markdown?, html?, mentionedPeople?}}` → `{id}` |
//! | `POST /_emulator/cards/submit` | `{personId, messageId, inputs}` → `{id}` |
//! | `GET /_emulator/requests`, `DELETE /_emulator/requests` | the request log / clear it |
//! | `GET /_emulator/deliveries` | webhook delivery attempts |
//! | `GET /_emulator/meetings`, `GET /_emulator/webhooks` | state |
//! | `POST /_emulator/faults`, `DELETE /_emulator/faults` | a [`FaultSpec`] / clear all |
//!
//! Errors answer 400/404 with `{"error": "..."}`.

use super::faults::{Fault, FaultSpec};
use super::state::AppState;
use super::{Emulator, RawMessage};
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::{Value, json};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/bot", get(bot))
        .route("/people", get(people).post(add_person))
        .route("/tokens", post(issue_token))
        .route("/oauth/clients", post(register_client))
        .route("/oauth/revoke", post(revoke_grants))
        .route("/rooms", get(rooms).post(create_room))
        .route("/rooms/direct", post(direct_room))
        .route("/rooms/{room_id}/members", post(add_member))
        .route("/rooms/{room_id}/messages", get(messages_in))
        .route("/messages", post(post_message))
        .route("/cards/submit", post(submit_card))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/deliveries", get(deliveries))
        .route("/meetings", get(meetings))
        .route("/webhooks", get(webhooks))
        .route("/faults", post(inject).delete(clear_faults))
}

fn emulator(state: AppState) -> Emulator {
    Emulator { state }
}

struct ControlError(StatusCode, String);

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<anyhow::Error> for ControlError {
    fn from(e: anyhow::Error) -> Self {
        ControlError(StatusCode::BAD_REQUEST, e.to_string())
    }
}

type ControlResult<T> = Result<T, ControlError>;

async fn bot(State(state): State<AppState>) -> Json<Value> {
    let emulator = emulator(state);
    let bot = emulator.bot();
    Json(json!({
        "id": bot.id, "displayName": bot.display_name, "emails": bot.emails,
        "token": emulator.bot_token().expose_secret(),
    }))
}

async fn people(State(state): State<AppState>) -> Json<Value> {
    Json(json!(emulator(state).people()))
}

async fn rooms(State(state): State<AppState>) -> Json<Value> {
    Json(json!(emulator(state).rooms()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewPerson {
    display_name: String,
    email: String,
    timezone: Option<String>,
}

async fn add_person(State(state): State<AppState>, Json(body): Json<NewPerson>) -> Json<Value> {
    let person =
        emulator(state).add_person(&body.display_name, &body.email, body.timezone.as_deref());
    Json(json!(person))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewToken {
    person_id: String,
    #[serde(default)]
    scopes: Vec<String>,
}

async fn issue_token(
    State(state): State<AppState>,
    Json(body): Json<NewToken>,
) -> ControlResult<Json<Value>> {
    let emulator = emulator(state);
    if emulator.person(&body.person_id).is_none() {
        return Err(ControlError(StatusCode::NOT_FOUND, "unknown person".into()));
    }
    let scopes: Vec<&str> = body.scopes.iter().map(String::as_str).collect();
    let token = emulator.issue_user_token(&body.person_id, &scopes);
    Ok(Json(json!({ "token": token.expose_secret() })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewClient {
    client_id: String,
    client_secret: String,
    redirect_uri: String,
}

async fn register_client(State(state): State<AppState>, Json(body): Json<NewClient>) -> StatusCode {
    emulator(state).register_oauth_client(&body.client_id, &body.client_secret, &body.redirect_uri);
    StatusCode::NO_CONTENT
}

async fn revoke_grants(State(state): State<AppState>, Json(body): Json<PersonRef>) -> StatusCode {
    emulator(state).revoke_grants(&body.person_id);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct NewRoom {
    title: String,
    #[serde(default)]
    members: Vec<String>,
}

async fn create_room(
    State(state): State<AppState>,
    Json(body): Json<NewRoom>,
) -> ControlResult<Json<Value>> {
    let emulator = emulator(state);
    if let Some(unknown) = body.members.iter().find(|m| emulator.person(m).is_none()) {
        return Err(ControlError(
            StatusCode::NOT_FOUND,
            format!("unknown person {unknown}"),
        ));
    }
    let members: Vec<&str> = body.members.iter().map(String::as_str).collect();
    Ok(Json(
        json!({ "id": emulator.create_group_room(&body.title, &members) }),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PersonRef {
    person_id: String,
}

async fn direct_room(
    State(state): State<AppState>,
    Json(body): Json<PersonRef>,
) -> ControlResult<Json<Value>> {
    let emulator = emulator(state);
    if emulator.person(&body.person_id).is_none() {
        return Err(ControlError(StatusCode::NOT_FOUND, "unknown person".into()));
    }
    Ok(Json(json!({ "id": emulator.direct_room(&body.person_id) })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewMember {
    person_id: String,
    actor_id: Option<String>,
}

async fn add_member(
    State(state): State<AppState>,
    Path(room_id): Path<String>,
    Json(body): Json<NewMember>,
) -> ControlResult<StatusCode> {
    let emulator = emulator(state);
    if emulator.person(&body.person_id).is_none() {
        return Err(ControlError(StatusCode::NOT_FOUND, "unknown person".into()));
    }
    let actor = body.actor_id.unwrap_or_else(|| body.person_id.clone());
    emulator.add_member(&room_id, &body.person_id, &actor);
    Ok(StatusCode::NO_CONTENT)
}

async fn messages_in(State(state): State<AppState>, Path(room_id): Path<String>) -> Json<Value> {
    Json(json!(emulator(state).messages_in(&room_id)))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawBody {
    text: Option<String>,
    markdown: Option<String>,
    html: Option<String>,
    #[serde(default)]
    mentioned_people: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PostMessage {
    person_id: String,
    room_id: String,
    text: Option<String>,
    parent_id: Option<String>,
    raw: Option<RawBody>,
}

async fn post_message(
    State(state): State<AppState>,
    Json(body): Json<PostMessage>,
) -> ControlResult<Json<Value>> {
    let emulator = emulator(state);
    let id = match (body.raw, body.text, body.parent_id) {
        (Some(raw), _, parent_id) => {
            let raw = RawMessage {
                text: raw.text,
                markdown: raw.markdown,
                html: raw.html,
                mentioned_people: raw.mentioned_people,
                parent_id,
            };
            emulator
                .post_raw_as(&body.person_id, &body.room_id, raw)
                .await?
        }
        (None, Some(text), Some(parent)) => {
            emulator
                .reply_as(&body.person_id, &body.room_id, &parent, &text)
                .await?
        }
        (None, Some(text), None) => {
            emulator
                .post_as(&body.person_id, &body.room_id, &text)
                .await?
        }
        (None, None, _) => {
            return Err(ControlError(
                StatusCode::BAD_REQUEST,
                "text or raw is required".into(),
            ));
        }
    };
    Ok(Json(json!({ "id": id })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubmitCard {
    person_id: String,
    message_id: String,
    #[serde(default = "empty_object")]
    inputs: Value,
}

fn empty_object() -> Value {
    json!({})
}

async fn submit_card(
    State(state): State<AppState>,
    Json(body): Json<SubmitCard>,
) -> ControlResult<Json<Value>> {
    let id = emulator(state)
        .submit_card(&body.person_id, &body.message_id, body.inputs)
        .await?;
    Ok(Json(json!({ "id": id })))
}

async fn requests(State(state): State<AppState>) -> Json<Value> {
    Json(json!(emulator(state).requests()))
}

async fn clear_requests(State(state): State<AppState>) -> StatusCode {
    emulator(state).clear_requests();
    StatusCode::NO_CONTENT
}

async fn deliveries(State(state): State<AppState>) -> Json<Value> {
    Json(json!(emulator(state).deliveries()))
}

async fn meetings(State(state): State<AppState>) -> Json<Value> {
    Json(json!(emulator(state).meetings()))
}

async fn webhooks(State(state): State<AppState>) -> Json<Value> {
    Json(json!(emulator(state).webhooks()))
}

async fn inject(
    State(state): State<AppState>,
    Json(spec): Json<FaultSpec>,
) -> ControlResult<StatusCode> {
    let fault = Fault::try_from(spec).map_err(|e| ControlError(StatusCode::BAD_REQUEST, e))?;
    emulator(state).inject(fault);
    Ok(StatusCode::NO_CONTENT)
}

async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    emulator(state).clear_faults();
    StatusCode::NO_CONTENT
}
