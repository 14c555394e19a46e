//! Health for orchestrators: `/livez` says the process runs, `/readyz` says it should get
//! traffic.
//!
//! They answer different questions on purpose. A failing liveness probe restarts the
//! container, so `/livez` checks nothing outside the process: a database outage must not turn
//! into a restart loop. A failing readiness probe only takes the replica out of the load
//! balancer until it passes again, so `/readyz` checks everything a webhook delivery needs:
//! the database answers, its schema is the one this build knows, and the bot knows its own
//! identity (without it, it cannot drop its own events). `/healthz` stays as an alias of
//! `/livez` for existing probes.

use super::AppState;
use crate::store::SchemaState;
use axum::extract::State;
use axum::http::StatusCode;

/// The process runs and its HTTP server answers; nothing else is checked.
pub(super) async fn livez() -> &'static str {
    "ok"
}

/// Ready when the database answers with the expected schema and the bot knows who it is.
/// The body names the first reason it is not, for the operator reading the probe's output.
pub(super) async fn readyz(State(app): State<AppState>) -> (StatusCode, String) {
    match not_ready_because(&app).await {
        None => (StatusCode::OK, "ready".into()),
        Some(reason) => (StatusCode::SERVICE_UNAVAILABLE, reason),
    }
}

async fn not_ready_because(app: &AppState) -> Option<String> {
    if app.store.ping().await.is_err() {
        return Some("database unreachable".into());
    }
    match app.store.schema_state().await {
        Err(_) => return Some("database schema unreadable".into()),
        Ok(SchemaState::Current) => {}
        Ok(SchemaState::Behind(missing)) => {
            return Some(format!("database migrations not applied: {missing:?}"));
        }
        Ok(SchemaState::Ahead(unknown)) => {
            return Some(format!(
                "database has migrations this build does not know: {unknown:?}"
            ));
        }
    }
    if app.bot.get().is_none() {
        return Some("bot identity unknown".into());
    }
    None
}
