//! HTTP edge: the Webex webhook receiver, the OAuth callback and health checks.
//!
//! Handlers here hold no business rules. The webhook receiver verifies, dedupes and persists,
//! then answers; everything that talks to Webex happens later in a worker, so the
//! acknowledgement never waits on Webex's latency or rate limits.

pub(crate) mod hardening;
mod health;
pub mod oauth;
pub mod serve;
pub mod signature;

use crate::jobs::kinds::WebhookEvent;
use crate::jobs::{Job, Queue};
use crate::metrics::Metrics;
use crate::metrics::labels::Delivery;
use crate::ops::reference;
use crate::store::{InboxEvent, Store};
use crate::webex::{BotIdentity, WebhookEnvelope};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use secrecy::SecretString;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// Webex envelopes are 1-2 KB; anything near this is not from Webex.
pub(crate) const MAX_WEBHOOK_BODY: usize = 64 * 1024;
/// A request must arrive whole within this time (slow bodies get 408).
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub queue: Queue,
    pub webhook_secrets: Arc<Vec<SecretString>>,
    pub bot: Arc<OnceLock<BotIdentity>>,
    pub linker: crate::auth::Linker,
    pub metrics: Metrics,
}

pub fn router(state: AppState) -> Router {
    let webhooks = Router::new()
        .route("/webhooks/webex", post(receive_webhook))
        .layer(DefaultBodyLimit::max(MAX_WEBHOOK_BODY))
        .layer(RequestBodyLimitLayer::new(MAX_WEBHOOK_BODY))
        .layer(axum::middleware::map_response_with_state(
            state.metrics.clone(),
            count_too_large,
        ));
    Router::new()
        .merge(webhooks)
        .route("/oauth/callback", get(oauth::callback))
        .route("/livez", get(health::livez))
        .route("/healthz", get(health::livez))
        .route("/readyz", get(health::readyz))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(hardening::layer())
        .with_state(state)
}

/// Every delivery gets its reference (see `ops::reference`) before anything is logged.
#[tracing::instrument(name = "webhook", skip_all, fields(reference, resource, data_id))]
async fn receive_webhook(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let this_reference = reference::fresh();
    tracing::Span::current().record("reference", this_reference.as_str());
    let signature = headers.get("x-spark-signature").map(|v| v.as_bytes());
    if !signature::verify(&app.webhook_secrets, &body, signature) {
        tracing::warn!("rejected a webhook with a missing or invalid signature");
        app.metrics.webhook_delivery(Delivery::BadSignature);
        return StatusCode::UNAUTHORIZED;
    }
    let envelope: WebhookEnvelope = match serde_json::from_slice(&body) {
        Ok(e) => e,
        Err(e) => {
            tracing::error!(error = %e, "signed webhook body is not a Webex envelope");
            app.metrics.webhook_delivery(Delivery::Malformed);
            return StatusCode::BAD_REQUEST;
        }
    };
    tracing::Span::current()
        .record("resource", envelope.resource.as_str())
        .record("data_id", envelope.data.id.as_str());
    if is_own_event(&envelope, app.bot.get()) {
        app.metrics.webhook_delivery(Delivery::OwnEvent);
        return StatusCode::OK;
    }
    let job = WebhookEvent {
        resource: envelope.resource.clone(),
        event: envelope.event.clone(),
        data_id: envelope.data.id.clone(),
        room_id: envelope.data.room_id.clone(),
        person_id: envelope.data.person_id.clone(),
        actor_id: envelope.actor_id.clone(),
        resumed: false,
        received_at: Some(app.queue.now_ms()),
    };
    let event = InboxEvent {
        resource: envelope.resource,
        event: envelope.event,
        data_id: envelope.data.id,
        room_id: envelope.data.room_id,
        actor_id: envelope.actor_id,
    };
    let new_job = match job.to_new_job() {
        Ok(mut new_job) => {
            reference::set(&mut new_job.payload, &this_reference);
            new_job
        }
        Err(e) => {
            tracing::error!(error = %e, "could not serialise a webhook job");
            app.metrics.webhook_delivery(Delivery::Failed);
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    };
    match app
        .store
        .accept_event(&event, &new_job, app.queue.now_ms())
        .await
    {
        Ok(true) => {
            tracing::info!("delivery accepted");
            app.queue.notify();
            app.metrics.webhook_delivery(Delivery::Accepted);
            StatusCode::OK
        }
        Ok(false) => {
            tracing::debug!("duplicate delivery acknowledged");
            app.metrics.webhook_delivery(Delivery::Duplicate);
            StatusCode::OK
        }
        Err(e) => {
            // Not acknowledged, so Webex retries: nothing is lost.
            tracing::error!(error = %e, "could not persist a webhook delivery");
            app.metrics.webhook_delivery(Delivery::Failed);
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

/// A body over the limit is refused (413) before the handler sees it; it is counted here.
async fn count_too_large(
    State(metrics): State<Metrics>,
    response: axum::response::Response,
) -> axum::response::Response {
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        metrics.webhook_delivery(Delivery::TooLarge);
    }
    response
}

/// Webex sends the bot its own messages too; answering them would loop.
/// A membership event about the bot (it was added to a space) is not its own doing.
fn is_own_event(envelope: &WebhookEnvelope, bot: Option<&BotIdentity>) -> bool {
    let Some(bot) = bot else { return false };
    match envelope.resource.as_str() {
        "memberships" => envelope.actor_id.as_deref() == Some(&bot.id),
        _ => {
            envelope.data.person_id.as_deref() == Some(&bot.id)
                || envelope.actor_id.as_deref() == Some(&bot.id)
        }
    }
}
