//! What happens to every `/v1` request before and after its handler: the tracking id, the
//! bearer token, injected faults, the Webex error body and the request log.
//!
//! Doing all of it in one place means every endpoint behaves alike, as Webex's front door does,
//! and the request log sees faulted and rejected requests too (tests assert on those timings).

use super::RecordedRequest;
use super::faults::{self, FaultKind};
use super::state::{ApiError, AppState, PendingError, PersonKind, new_tracking_id};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::time::{Instant, SystemTime};

/// Requests larger than this are refused; Webex bodies are small.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The authenticated caller of a REST request.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub person_id: String,
    pub scopes: Vec<String>,
    pub is_bot: bool,
}

impl Caller {
    /// Bots hold the messaging scopes implicitly; `spark:all` implies every `spark:` scope.
    pub fn has_scope(&self, scope: &str) -> bool {
        if self.is_bot {
            return scope.starts_with("spark:");
        }
        self.scopes
            .iter()
            .any(|s| s == scope || (s == "spark:all" && scope.starts_with("spark:")))
    }

    /// Webex answers 403 when a valid token lacks the scope an endpoint needs.
    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        if self.has_scope(scope) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "The access token lacks the scope {scope}."
            )))
        }
    }
}

/// Paths under `/v1` that take no bearer token (the OAuth endpoints).
fn is_public(path: &str) -> bool {
    path == "/v1/authorize" || path == "/v1/access_token"
}

pub(crate) async fn gateway(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let at = Instant::now();
    let at_system = SystemTime::now();
    let tracking_id = new_tracking_id();
    let (parts, body) = request.into_parts();
    let method = parts.method.clone();
    let path = parts.uri.path().to_string();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let caller = bearer_token(&parts.headers).and_then(|token| resolve_caller(&state, &token));
    let mut record = RecordedRequest {
        method: method.clone(),
        path: path.clone(),
        query: parts.uri.query().map(str::to_string),
        subject: caller
            .as_ref()
            .map_or_else(|| "unknown".to_string(), |c| c.person_id.clone()),
        at,
        at_system,
        body: None,
        content_type: content_type.clone(),
        status: 0,
        response_dropped: false,
    };

    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let error = ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large");
            return finish(&state, error.into_response(), &tracking_id, record);
        }
    };
    record.body = body_as_json(&bytes, &content_type);

    let fault = faults::take_matching(&mut state.world().faults, &method, &path);
    if let Some(FaultKind::Latency(delay)) = &fault {
        tokio::time::sleep(*delay).await;
    }
    if let Some(response) = fault.as_ref().and_then(fault_response) {
        return finish(&state, response, &tracking_id, record);
    }

    let response = match caller {
        Some(caller) => {
            let mut request = Request::from_parts(parts, Body::from(bytes));
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        None if is_public(&path) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        None => ApiError::unauthorized().into_response(),
    };

    let dropping = matches!(fault, Some(FaultKind::DropResponseAfterProcessing));
    let response = finish(
        &state,
        response,
        &tracking_id,
        RecordedRequest {
            response_dropped: dropping,
            ..record
        },
    );
    if dropping {
        tracing::debug!(%path, "emulator withholds the response after processing, as injected");
        // The client sees a timeout; the connection closes when it gives up.
        std::future::pending::<()>().await;
    }
    response
}

/// Renders a pending Webex error body, stamps the tracking id and logs the exchange.
fn finish(
    state: &AppState,
    response: Response,
    tracking_id: &str,
    mut record: RecordedRequest,
) -> Response {
    let mut response = match response.extensions().get::<PendingError>().cloned() {
        Some(PendingError(error)) => {
            let (mut parts, _) = response.into_parts();
            parts.extensions.remove::<PendingError>();
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            Response::from_parts(parts, Body::from(error.body(tracking_id).to_string()))
        }
        None => response,
    };
    if let Ok(value) = HeaderValue::from_str(tracking_id) {
        response.headers_mut().insert("trackingid", value);
    }
    record.status = response.status().as_u16();
    state.world().requests.push(record);
    response
}

fn fault_response(kind: &FaultKind) -> Option<Response> {
    match kind {
        FaultKind::RateLimited { retry_after } => {
            let mut response = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests have been sent in a given amount of time.",
            )
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&retry_after.header_value()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Some(response)
        }
        FaultKind::ServerError(status) => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Some(ApiError::new(status, "Injected failure").into_response())
        }
        FaultKind::Latency(_) | FaultKind::DropResponseAfterProcessing => None,
    }
}

fn bearer_token(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// A token is valid while it is known, unexpired and its OAuth grant (if any) is not revoked.
fn resolve_caller(state: &AppState, token: &str) -> Option<Caller> {
    let now = state.now();
    let world = state.world();
    let grant = world.tokens.get(token)?;
    if grant.expires_at.is_some_and(|expiry| expiry <= now) {
        return None;
    }
    if let Some(grant_id) = &grant.grant_id
        && world.oauth.is_revoked(grant_id)
    {
        return None;
    }
    let person = world.person(&grant.person_id)?;
    Some(Caller {
        person_id: person.id.clone(),
        scopes: grant.scopes.clone(),
        is_bot: person.kind == PersonKind::Bot,
    })
}

fn body_as_json(bytes: &[u8], content_type: &str) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let map: serde_json::Map<String, Value> = url::form_urlencoded::parse(bytes)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        return Some(Value::Object(map));
    }
    serde_json::from_slice(bytes).ok()
}
