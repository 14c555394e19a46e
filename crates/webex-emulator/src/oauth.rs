//! OAuth 2.0 for integrations: `GET /v1/authorize` and `POST /v1/access_token`.
//!
//! Strict where a real authorisation server is strict, so client bugs show up here rather than
//! in production: exact `redirect_uri` match, PKCE S256 only, single-use codes that expire after
//! ten minutes, refresh tokens that rotate (configurable), and a grant revoked as soon as a
//! rotated-out refresh token is presented again (RFC 9700 §4.14: reuse means theft). Access
//! tokens live 14 days and refresh tokens 90 days from their last use, on the injected clock; a
//! refresh token that is expired, revoked or unknown gets Webex's `400 invalid_request`.
//!
//! There is no login: the consent page lists the emulator's people, and a test can skip the
//! page by adding `person_id=<id>` or `login_hint=<email>` to the authorize URL.

use super::state::{AppState, TokenGrant, new_token, parse_query};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use secrecy::ExposeSecret;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Webex's lifetimes: 14 days for access tokens, 90 days for refresh tokens.
pub(crate) const ACCESS_TOKEN_SECS: i64 = 1_209_599;
pub(crate) const REFRESH_TOKEN_SECS: i64 = 7_776_000;
const CODE_TTL_SECS: i64 = 600;
/// Integrations always get this scope in Webex's token responses.
const ALWAYS_GRANTED: &str = "spark:kms";

#[derive(Debug, Clone)]
struct Client {
    id: String,
    secret: String,
    redirect_uris: Vec<String>,
}

#[derive(Debug, Clone)]
struct AuthCode {
    code: String,
    client_id: String,
    redirect_uri: String,
    person_id: String,
    scopes: Vec<String>,
    challenge: Option<String>,
    expires_at: DateTime<Utc>,
    /// Set once exchanged; a second exchange revokes this grant.
    grant_id: Option<String>,
}

#[derive(Debug, Clone)]
struct Grant {
    id: String,
    client_id: String,
    person_id: String,
    scopes: Vec<String>,
    revoked: bool,
    refresh_token: String,
    refresh_expires_at: DateTime<Utc>,
    retired_refresh_tokens: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct OAuthState {
    clients: Vec<Client>,
    codes: Vec<AuthCode>,
    grants: Vec<Grant>,
}

impl OAuthState {
    pub fn is_revoked(&self, grant_id: &str) -> bool {
        self.grants.iter().any(|g| g.id == grant_id && g.revoked)
    }

    /// Registers a client, or adds another redirect URI to it.
    pub fn register_client(&mut self, id: &str, secret: &str, redirect_uri: &str) {
        match self.clients.iter_mut().find(|c| c.id == id) {
            Some(client) => {
                client.secret = secret.to_string();
                if !client.redirect_uris.iter().any(|u| u == redirect_uri) {
                    client.redirect_uris.push(redirect_uri.to_string());
                }
            }
            None => self.clients.push(Client {
                id: id.to_string(),
                secret: secret.to_string(),
                redirect_uris: vec![redirect_uri.to_string()],
            }),
        }
    }

    pub fn revoke_person(&mut self, person_id: &str) {
        for grant in self.grants.iter_mut().filter(|g| g.person_id == person_id) {
            grant.revoked = true;
        }
    }

    fn revoke(&mut self, grant_id: &str) {
        if let Some(grant) = self.grants.iter_mut().find(|g| g.id == grant_id) {
            grant.revoked = true;
        }
    }
}

/// RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))), unpadded.
pub fn pkce_s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// RFC 7636 §4.1: 43 to 128 unreserved characters.
fn valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/authorize", get(authorize))
        .route("/v1/access_token", post(token))
}

fn plain_error(status: StatusCode, message: &str) -> Response {
    (status, format!("OAuth error: {message}\n")).into_response()
}

fn redirect(to: &url::Url) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to.to_string())]).into_response()
}

fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> Response {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut pairs = url.query_pairs_mut();
                for (k, v) in params {
                    pairs.append_pair(k, v);
                }
            }
            redirect(&url)
        }
        Err(_) => plain_error(StatusCode::BAD_REQUEST, "redirect_uri is not a URL"),
    }
}

async fn authorize(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let query = parse_query(raw.as_deref());
    let get = |k: &str| query.get(k).map(String::as_str);
    let Some(client_id) = get("client_id") else {
        return plain_error(StatusCode::BAD_REQUEST, "client_id is required");
    };
    let Some(redirect_uri) = get("redirect_uri") else {
        return plain_error(StatusCode::BAD_REQUEST, "redirect_uri is required");
    };
    let now = state.now();
    let mut world = state.world();
    let Some(client) = world.oauth.clients.iter().find(|c| c.id == client_id) else {
        return plain_error(StatusCode::BAD_REQUEST, "unknown client_id");
    };
    // Never redirect to an unregistered URI: that is how codes get stolen.
    if !client.redirect_uris.iter().any(|u| u == redirect_uri) {
        return plain_error(
            StatusCode::BAD_REQUEST,
            "redirect_uri does not exactly match a registered URI",
        );
    }
    let state_param = get("state").unwrap_or("");
    let fail =
        |error: &str| redirect_with(redirect_uri, &[("error", error), ("state", state_param)]);
    if get("response_type") != Some("code") {
        return fail("unsupported_response_type");
    }
    let scopes: Vec<String> = get("scope")
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if scopes.is_empty() {
        return fail("invalid_scope");
    }
    let challenge = get("code_challenge").map(str::to_string);
    if challenge.is_some() && get("code_challenge_method") != Some("S256") {
        return fail("invalid_request");
    }
    if get("deny").is_some() {
        return fail("access_denied");
    }
    let chosen = match (get("person_id"), get("login_hint")) {
        (Some(id), _) => world.person(id).map(|p| p.id.clone()),
        (None, Some(email)) => world.person_by_email(email).map(|p| p.id.clone()),
        (None, None) => None,
    };
    let Some(person_id) = chosen else {
        return consent_page(&world, &query).into_response();
    };
    let code = new_token().expose_secret().to_string();
    world.oauth.codes.push(AuthCode {
        code: code.clone(),
        client_id: client_id.to_string(),
        redirect_uri: redirect_uri.to_string(),
        person_id,
        scopes,
        challenge,
        expires_at: now + Duration::seconds(CODE_TTL_SECS),
        grant_id: None,
    });
    redirect_with(redirect_uri, &[("code", &code), ("state", state_param)])
}

/// "Sign in as…" links, one per person, each the same request plus `person_id`.
fn consent_page(world: &super::state::World, query: &HashMap<String, String>) -> Html<String> {
    let link = |extra: (&str, &str)| {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        let mut keys: Vec<&String> = query.keys().collect();
        keys.sort();
        for k in keys {
            pairs.append_pair(k, &query[k]);
        }
        pairs.append_pair(extra.0, extra.1);
        format!("authorize?{}", pairs.finish())
    };
    let people: String = world
        .people
        .iter()
        .filter(|p| p.kind == super::state::PersonKind::Person)
        .map(|p| {
            format!(
                "<li><a href=\"{}\">Allow as {} &lt;{}&gt;</a></li>",
                super::mentions::escape_html(&link(("person_id", &p.id))),
                super::mentions::escape_html(&p.display_name),
                super::mentions::escape_html(&p.email)
            )
        })
        .collect();
    let scopes = super::mentions::escape_html(query.get("scope").map_or("", String::as_str));
    let deny = super::mentions::escape_html(&link(("deny", "1")));
    Html(format!(
        "<!doctype html><title>Webex emulator: authorize</title><h1>Authorize access</h1>\
         <p>Requested scopes: <code>{scopes}</code></p><ul>{people}</ul><p><a href=\"{deny}\">Deny</a></p>"
    ))
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

fn invalid_grant(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description)
}

/// What Webex answers a refresh token it will no longer honour, whatever the reason (expired,
/// revoked, rotated out, never issued): `400 invalid_request`, not RFC 6749's `invalid_grant`
/// (Cisco's own SDK treats this answer as "log in again"; docs/webex.md §Tokens).
fn refresh_token_refused() -> Response {
    oauth_error(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "The refresh token provided is expired, revoked, malformed, or invalid.",
    )
}

/// Client credentials from the form or from HTTP Basic auth.
fn client_credentials(
    form: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Option<(String, String)> {
    if let (Some(id), Some(secret)) = (form.get("client_id"), form.get("client_secret")) {
        return Some((id.clone(), secret.clone()));
    }
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((unescape(id)?, unescape(secret)?))
}

async fn token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let Some((client_id, client_secret)) = client_credentials(&form, &headers) else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication is required",
        );
    };
    let authenticated = state
        .world()
        .oauth
        .clients
        .iter()
        .any(|c| c.id == client_id && c.secret == client_secret);
    if !authenticated {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown client or wrong secret",
        );
    }
    match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => exchange_code(&state, &client_id, &form),
        Some("refresh_token") => refresh(&state, &client_id, &form),
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "use authorization_code or refresh_token",
        ),
    }
}

fn exchange_code(state: &AppState, client_id: &str, form: &HashMap<String, String>) -> Response {
    let now = state.now();
    let mut world = state.world();
    let Some(code) = form
        .get("code")
        .and_then(|c| world.oauth.codes.iter().find(|a| &a.code == c))
        .cloned()
    else {
        return invalid_grant("unknown authorization code");
    };
    if let Some(grant_id) = &code.grant_id {
        world.oauth.revoke(grant_id);
        return invalid_grant("authorization code already used; its tokens are revoked");
    }
    if code.client_id != client_id {
        return invalid_grant("code was issued to another client");
    }
    if code.expires_at <= now {
        return invalid_grant("authorization code expired");
    }
    if form.get("redirect_uri") != Some(&code.redirect_uri) {
        return invalid_grant("redirect_uri differs from the authorization request");
    }
    match (&code.challenge, form.get("code_verifier")) {
        (Some(challenge), Some(verifier))
            if valid_verifier(verifier) && &pkce_s256(verifier) == challenge => {}
        (Some(_), _) => return invalid_grant("code_verifier does not match the code_challenge"),
        (None, Some(_)) => return invalid_grant("code_verifier sent but no code_challenge was"),
        (None, None) => {}
    }
    let grant = Grant {
        id: uuid::Uuid::new_v4().to_string(),
        client_id: client_id.to_string(),
        person_id: code.person_id.clone(),
        scopes: with_kms(&code.scopes),
        revoked: false,
        refresh_token: new_token().expose_secret().to_string(),
        refresh_expires_at: now + Duration::seconds(REFRESH_TOKEN_SECS),
        retired_refresh_tokens: Vec::new(),
    };
    if let Some(stored) = world.oauth.codes.iter_mut().find(|a| a.code == code.code) {
        stored.grant_id = Some(grant.id.clone());
    }
    let response = issue_access_token(&mut world, &grant, now);
    world.oauth.grants.push(grant);
    response
}

fn refresh(state: &AppState, client_id: &str, form: &HashMap<String, String>) -> Response {
    let now = state.now();
    let rotate = state.config.rotate_refresh_tokens;
    let mut world = state.world();
    let Some(presented) = form.get("refresh_token") else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "refresh_token is required",
        );
    };
    if let Some(reused) = world
        .oauth
        .grants
        .iter()
        .find(|g| g.retired_refresh_tokens.contains(presented))
    {
        let id = reused.id.clone();
        world.oauth.revoke(&id);
        return refresh_token_refused();
    }
    let Some(grant) = world
        .oauth
        .grants
        .iter_mut()
        .find(|g| &g.refresh_token == presented)
    else {
        return refresh_token_refused();
    };
    if grant.revoked {
        return refresh_token_refused();
    }
    if grant.client_id != client_id {
        return invalid_grant("refresh token was issued to another client");
    }
    if grant.refresh_expires_at <= now {
        return refresh_token_refused();
    }
    if rotate {
        let old = std::mem::replace(
            &mut grant.refresh_token,
            new_token().expose_secret().to_string(),
        );
        grant.retired_refresh_tokens.push(old);
    }
    // Refresh tokens in use are kept alive indefinitely.
    grant.refresh_expires_at = now + Duration::seconds(REFRESH_TOKEN_SECS);
    let grant = grant.clone();
    issue_access_token(&mut world, &grant, now)
}

fn with_kms(scopes: &[String]) -> Vec<String> {
    let mut scopes = scopes.to_vec();
    if !scopes.iter().any(|s| s == ALWAYS_GRANTED) {
        scopes.insert(0, ALWAYS_GRANTED.to_string());
    }
    scopes
}

fn issue_access_token(
    world: &mut super::state::World,
    grant: &Grant,
    now: DateTime<Utc>,
) -> Response {
    let access = new_token().expose_secret().to_string();
    world.tokens.insert(
        access.clone(),
        TokenGrant {
            person_id: grant.person_id.clone(),
            scopes: grant.scopes.clone(),
            expires_at: Some(now + Duration::seconds(ACCESS_TOKEN_SECS)),
            grant_id: Some(grant.id.clone()),
        },
    );
    let body = json!({
        "access_token": access,
        "expires_in": ACCESS_TOKEN_SECS,
        "refresh_token": grant.refresh_token,
        "refresh_token_expires_in": (grant.refresh_expires_at - now).num_seconds(),
        "token_type": "Bearer",
        "scope": grant.scopes.join(" "),
    });
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_must_be_long_enough_and_unreserved() {
        assert!(valid_verifier(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!valid_verifier("short"));
        assert!(!valid_verifier(&format!("{}+", "a".repeat(43))));
        assert!(!valid_verifier(&"a".repeat(129)));
    }

    #[test]
    fn revoking_a_person_revokes_all_their_grants() {
        let mut oauth = OAuthState::default();
        for (id, person) in [("g1", "P"), ("g2", "P"), ("g3", "Q")] {
            oauth.grants.push(Grant {
                id: id.into(),
                client_id: "c".into(),
                person_id: person.into(),
                scopes: vec![],
                revoked: false,
                refresh_token: id.into(),
                refresh_expires_at: Utc::now(),
                retired_refresh_tokens: vec![],
            });
        }
        oauth.revoke_person("P");
        assert!(oauth.is_revoked("g1") && oauth.is_revoked("g2"));
        assert!(!oauth.is_revoked("g3"));
    }

    #[test]
    fn basic_auth_credentials_are_accepted() {
        let mut headers = HeaderMap::new();
        let encoded = base64::engine::general_purpose::STANDARD.encode("client%3Aid:s%26cret");
        headers.insert(
            header::AUTHORIZATION,
            format!("Basic {encoded}").parse().expect("header"),
        );
        assert_eq!(
            client_credentials(&HashMap::new(), &headers),
            Some(("client:id".into(), "s&cret".into()))
        );
    }
}
