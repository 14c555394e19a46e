//! OAuth authorize and token endpoints (in progress).

use super::state::AppState;
use axum::Router;

pub(crate) const ACCESS_TOKEN_SECS: i64 = 1_209_599;

#[derive(Debug, Default)]
pub(crate) struct OAuthState {}

impl OAuthState {
    pub fn is_revoked(&self, _grant_id: &str) -> bool {
        false
    }
    pub fn register_client(&mut self, _id: &str, _secret: &str, _redirect: &str) {}
    pub fn revoke_person(&mut self, _person: &str) {}
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
