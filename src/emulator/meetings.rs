//! Meetings and meeting invitees (in progress).

use super::state::{AppState, World};
use axum::Router;
use serde_json::Value;

#[derive(Debug, Clone)]
pub(crate) struct MeetingSeries {}

#[derive(Debug, Clone, Default)]
pub(crate) struct QuotaLedger {}

pub(crate) fn series_json(_world: &World, _m: &MeetingSeries, _site: &str) -> Value {
    Value::Null
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
