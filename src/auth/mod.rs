//! Account linking: each person lets the bot act as them (OAuth 2.0 authorization code with
//! PKCE), so meetings are hosted by the person who asked. Tokens are sealed at rest and
//! refreshed single-flight.
//!
//! Threats this guards against, beyond the usual: a forwarded link (the state is bound to the
//! Webex person who asked, and the callback checks `GET /people/me` of the new token against
//! it), a replayed callback (states are single-use and expire after ten minutes), and a stolen
//! database (tokens and PKCE verifiers are AES-256-GCM sealed; states are stored hashed).

pub mod crypto;
mod tokens;

pub use crypto::TokenCipher;
pub(crate) use crypto::{CryptoError, Sealed};
pub use tokens::AccessToken;
pub use tokens::TokenManager;

use crate::store::{OAuthStateRow, StateLookup, Store, StoreError, TokenRow};
use crate::webex::{Auth, WebexClient, WebexError};
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AsyncHttpClient, AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EndpointNotSet, EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken,
    RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use scheduler_core::clock::SharedClock;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Exactly what scheduling needs, nothing more.
pub(crate) const SCOPES: [&str; 3] = [
    "meeting:schedules_read",
    "meeting:schedules_write",
    "spark:people_read",
];

/// How long a link stays valid.
pub(crate) const STATE_TTL: Duration = Duration::from_secs(600);

type OAuthClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("account linking is not configured (WEBEX_CLIENT_ID / WEBEX_CLIENT_SECRET)")]
    NotConfigured,
    #[error("the person has not connected their Webex account")]
    NotConnected,
    #[error("the person's authorisation was revoked; they must connect again")]
    Revoked,
    #[error("the token endpoint failed: {0}")]
    TokenEndpoint(String),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Webex(#[from] WebexError),
}

impl AuthError {
    /// Worth retrying later (network or server trouble), as opposed to needing the person.
    pub fn is_transient(&self) -> bool {
        match self {
            AuthError::TokenEndpoint(_) | AuthError::Store(_) => true,
            AuthError::Webex(e) => e.is_transient(),
            _ => false,
        }
    }
}

/// The configured integration.
#[derive(Clone)]
pub struct OAuthConfig {
    pub client_id: String,
    pub client_secret: SecretString,
    pub authorize_url: Url,
    pub token_url: Url,
    pub redirect_url: Url,
}

/// Tokens as the token endpoint returned them, before sealing.
pub struct FreshTokens {
    pub access: SecretString,
    pub refresh: Option<SecretString>,
    pub expires_in: Duration,
    pub scopes: String,
}

/// The outcome of an OAuth callback, one page each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackOutcome {
    Connected {
        person_id: String,
        room_id: Option<String>,
        /// Requests to carry on with, oldest first: the one this link was sent for, and any
        /// other the person made while unlinked whose link is still valid (whichever link
        /// they follow, each request they were promised is done).
        resumes: Vec<String>,
    },
    Denied,
    Expired,
    Invalid,
    Mismatch,
    Failed,
}

/// Starts and finishes account links.
#[derive(Clone)]
pub struct Linker {
    client: Option<Arc<OAuthClient>>,
    http: oauth2::reqwest::Client,
    store: Store,
    cipher: Arc<TokenCipher>,
    webex: WebexClient,
    clock: SharedClock,
}

/// The key for a state row: a hash, so the database never holds a usable state.
fn state_hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

/// Associated data for a sealed value: who it belongs to and what it is.
pub(crate) fn aad(owner: &str, kind: &str) -> String {
    format!("{owner}:{kind}")
}

fn build_client(config: &OAuthConfig) -> Result<OAuthClient, AuthError> {
    let bad = |_| AuthError::NotConfigured;
    Ok(BasicClient::new(ClientId::new(config.client_id.clone()))
        .set_client_secret(ClientSecret::new(
            config.client_secret.expose_secret().to_string(),
        ))
        .set_auth_uri(AuthUrl::new(config.authorize_url.to_string()).map_err(bad)?)
        .set_token_uri(TokenUrl::new(config.token_url.to_string()).map_err(bad)?)
        .set_redirect_uri(RedirectUrl::new(config.redirect_url.to_string()).map_err(bad)?)
        // Webex reads the client credentials from the form body.
        .set_auth_type(AuthType::RequestBody))
}

impl Linker {
    pub fn new(
        config: Option<OAuthConfig>,
        store: Store,
        cipher: Arc<TokenCipher>,
        webex: WebexClient,
        clock: SharedClock,
    ) -> Result<Self, AuthError> {
        let client = config.as_ref().map(build_client).transpose()?.map(Arc::new);
        // Following redirects from a token endpoint would be an SSRF vector (RFC 9700 §4.11).
        let http = oauth2::reqwest::ClientBuilder::new()
            .redirect(oauth2::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| AuthError::TokenEndpoint(e.to_string()))?;
        Ok(Self {
            client,
            http,
            store,
            cipher,
            webex,
            clock,
        })
    }

    pub(crate) fn is_configured(&self) -> bool {
        self.client.is_some()
    }

    fn client(&self) -> Result<&OAuthClient, AuthError> {
        self.client.as_deref().ok_or(AuthError::NotConfigured)
    }

    pub(crate) fn cipher(&self) -> &Arc<TokenCipher> {
        &self.cipher
    }

    /// Creates a single-use link for `person_id`; `resume` is work to redo once linked.
    pub async fn start(
        &self,
        person_id: &str,
        room_id: Option<&str>,
        resume: Option<String>,
    ) -> Result<Url, AuthError> {
        let client = self.client()?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let state = CsrfToken::new_random_len(32);
        let mut request = client
            .authorize_url(|| state.clone())
            .set_pkce_challenge(challenge);
        for scope in SCOPES {
            request = request.add_scope(Scope::new(scope.to_string()));
        }
        let (url, state) = request.url();
        let hash = state_hash(state.secret());
        let sealed = self.cipher.seal(
            &SecretString::from(verifier.secret().to_string()),
            &aad(&hash, "pkce"),
        )?;
        let now = self.clock.now().timestamp_millis();
        self.store
            .insert_oauth_state(&OAuthStateRow {
                state_hash: hash,
                person_id: person_id.to_string(),
                room_id: room_id.map(str::to_string),
                key_id: sealed.key_id,
                verifier: sealed.data,
                resume,
                expires_at_ms: now + STATE_TTL.as_millis() as i64,
            })
            .await?;
        Ok(url)
    }

    /// Finishes a link from the callback's query parameters.
    pub async fn finish(
        &self,
        code: Option<&str>,
        state: Option<&str>,
        error: Option<&str>,
    ) -> Result<CallbackOutcome, AuthError> {
        let Some(state) = state.filter(|s| !s.is_empty()) else {
            return Ok(CallbackOutcome::Invalid);
        };
        let now = self.clock.now().timestamp_millis();
        let row = match self.store.take_oauth_state(&state_hash(state), now).await? {
            StateLookup::Valid(row) => row,
            StateLookup::Expired => return Ok(CallbackOutcome::Expired),
            StateLookup::Unknown | StateLookup::AlreadyUsed => return Ok(CallbackOutcome::Invalid),
        };
        if error.is_some() {
            return Ok(CallbackOutcome::Denied);
        }
        let Some(code) = code.filter(|c| !c.is_empty()) else {
            return Ok(CallbackOutcome::Invalid);
        };
        let verifier = self.cipher.open(
            &Sealed {
                key_id: row.key_id.clone(),
                data: row.verifier.clone(),
            },
            &aad(&row.state_hash, "pkce"),
        )?;
        let tokens = match self.exchange_code(code, verifier).await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "authorization code exchange failed");
                return Ok(CallbackOutcome::Failed);
            }
        };
        let me = self.webex.me(&Auth::User(tokens.access.clone())).await?;
        if me.id != row.person_id {
            // A forwarded link: someone else consented. Their tokens are dropped unstored.
            tracing::warn!("account link refused: the consenting person is not the requester");
            return Ok(CallbackOutcome::Mismatch);
        }
        self.store_tokens(&row.person_id, &tokens).await?;
        self.store.unpark_jobs(&row.person_id, now).await?;
        let others = self.store.take_pending_resumes(&row.person_id, now).await?;
        Ok(CallbackOutcome::Connected {
            person_id: row.person_id,
            room_id: row.room_id,
            resumes: row.resume.into_iter().chain(others).collect(),
        })
    }

    async fn exchange_code(
        &self,
        code: &str,
        verifier: SecretString,
    ) -> Result<FreshTokens, AuthError> {
        let response = self
            .client()?
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.expose_secret().to_string()))
            .request_async(&self.http)
            .await
            .map_err(token_error)?;
        Ok(fresh(&response))
    }

    /// Uses a refresh token. Any refusal (a 4xx other than 408 and 429) becomes
    /// [`AuthError::Revoked`], whatever its error code: see [`refresh_failure`].
    pub async fn refresh(&self, refresh: &SecretString) -> Result<FreshTokens, AuthError> {
        let http = NotingStatus {
            http: &self.http,
            status: std::sync::Mutex::new(None),
        };
        let outcome = self
            .client()?
            .exchange_refresh_token(&RefreshToken::new(refresh.expose_secret().to_string()))
            .request_async(&http)
            .await;
        outcome
            .map(|response| fresh(&response))
            .map_err(|e| refresh_failure(http.status(), e))
    }

    /// Seals and stores a token pair; the row is durable before anyone uses the new token.
    pub async fn store_tokens(&self, person_id: &str, t: &FreshTokens) -> Result<(), AuthError> {
        let access = self.cipher.seal(&t.access, &aad(person_id, "access"))?;
        let refresh = t
            .refresh
            .as_ref()
            .map(|r| self.cipher.seal(r, &aad(person_id, "refresh")))
            .transpose()?;
        let now = self.clock.now().timestamp_millis();
        self.store
            .save_tokens(
                &TokenRow {
                    person_id: person_id.to_string(),
                    key_id: access.key_id,
                    access_token: access.data,
                    refresh_token: refresh.map(|r| r.data),
                    access_expires_at_ms: now + t.expires_in.as_millis() as i64,
                    scopes: t.scopes.clone(),
                },
                now,
            )
            .await?;
        Ok(())
    }

    /// `disconnect`: forget the person's tokens. True when there were any.
    pub async fn disconnect(&self, person_id: &str) -> Result<bool, AuthError> {
        Ok(self.store.delete_tokens(person_id).await?)
    }

    /// Connected means a stored token this deployment can still open (a retired key or a
    /// tampered row counts as not connected, so the person is simply asked to link again).
    pub async fn is_connected(&self, person_id: &str) -> Result<bool, AuthError> {
        let Some(row) = self.store.load_tokens(person_id).await? else {
            return Ok(false);
        };
        let sealed = Sealed {
            key_id: row.key_id,
            data: row.access_token,
        };
        Ok(self.cipher.open(&sealed, &aad(person_id, "access")).is_ok())
    }
}

fn fresh(response: &oauth2::basic::BasicTokenResponse) -> FreshTokens {
    FreshTokens {
        access: SecretString::from(response.access_token().secret().to_string()),
        refresh: response
            .refresh_token()
            .map(|r| SecretString::from(r.secret().to_string())),
        expires_in: response.expires_in().unwrap_or(Duration::from_secs(3600)),
        scopes: response
            .scopes()
            .map(|s| {
                s.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default(),
    }
}

/// The HTTP client for one token request, noting the answer's status on the way through: the
/// oauth2 crate's error keeps the body but not the status, and the status is what says whether
/// a grant is gone.
struct NotingStatus<'a> {
    http: &'a oauth2::reqwest::Client,
    status: std::sync::Mutex<Option<oauth2::http::StatusCode>>,
}

impl NotingStatus<'_> {
    fn status(&self) -> Option<oauth2::http::StatusCode> {
        *self.status.lock().unwrap_or_else(|p| p.into_inner())
    }
}

type HttpError = <oauth2::reqwest::Client as AsyncHttpClient<'static>>::Error;

impl<'c> AsyncHttpClient<'c> for NotingStatus<'_> {
    type Error = HttpError;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<oauth2::HttpResponse, HttpError>> + Send + 'c>,
    >;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let response = self.http.call(request).await?;
            *self.status.lock().unwrap_or_else(|p| p.into_inner()) = Some(response.status());
            Ok(response)
        })
    }
}

/// What a failed refresh means, from the token endpoint's HTTP status.
///
/// Webex answers a refresh token it will not honour (expired after 90 days unused, revoked by
/// the person or an admin, rotated out) with `400 invalid_request`, not only RFC 6749's
/// `invalid_grant`, so the error code cannot be trusted to tell "gone" from "try later". The
/// status can: every refusal (4xx) means the person must connect again, except 408 and 429,
/// which say "not now". No answer at all, or a 5xx, is trouble on the way: try again later.
fn refresh_failure<E: std::error::Error>(
    status: Option<oauth2::http::StatusCode>,
    err: RequestTokenError<E, oauth2::StandardErrorResponse<BasicErrorResponseType>>,
) -> AuthError {
    let refused = status.filter(|s| s.is_client_error() && !matches!(s.as_u16(), 408 | 429));
    let Some(status) = refused else {
        return token_error(err);
    };
    let code = match &err {
        RequestTokenError::ServerResponse(r) => r.error().to_string(),
        _ => "no OAuth error code".into(),
    };
    if code == "invalid_client" {
        // Every person's refresh fails the same way: the integration's credentials are wrong.
        tracing::error!(
            status = status.as_u16(),
            "the token endpoint refused the integration's client credentials: check WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET"
        );
    } else {
        tracing::warn!(status = status.as_u16(), error = %code, "the token endpoint refused a refresh; the person must connect again");
    }
    AuthError::Revoked
}

/// Maps the oauth2 crate's error without keeping response bodies (they may echo tokens).
fn token_error<E: std::error::Error>(
    err: RequestTokenError<E, oauth2::StandardErrorResponse<BasicErrorResponseType>>,
) -> AuthError {
    match err {
        RequestTokenError::ServerResponse(r)
            if *r.error() == BasicErrorResponseType::InvalidGrant =>
        {
            AuthError::Revoked
        }
        RequestTokenError::ServerResponse(r) => AuthError::TokenEndpoint(format!("{}", r.error())),
        RequestTokenError::Request(_) => AuthError::TokenEndpoint("request failed".into()),
        RequestTokenError::Parse(_, _) => AuthError::TokenEndpoint("unreadable response".into()),
        RequestTokenError::Other(_) => AuthError::TokenEndpoint("unexpected failure".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth2::StandardErrorResponse;
    use oauth2::http::StatusCode;

    type TokenError =
        RequestTokenError<std::io::Error, StandardErrorResponse<BasicErrorResponseType>>;

    fn answered(code: &str) -> TokenError {
        let code = match code {
            "invalid_grant" => BasicErrorResponseType::InvalidGrant,
            "invalid_client" => BasicErrorResponseType::InvalidClient,
            other => BasicErrorResponseType::Extension(other.into()),
        };
        RequestTokenError::ServerResponse(StandardErrorResponse::new(code, None, None))
    }

    fn unreadable() -> TokenError {
        RequestTokenError::Other("server returned empty error response".into())
    }

    fn no_answer() -> TokenError {
        RequestTokenError::Request(std::io::Error::other("connection reset"))
    }

    #[test]
    fn every_refusal_of_a_refresh_means_connect_again_and_trouble_means_later() {
        let status = |code| Some(StatusCode::from_u16(code).unwrap());
        let gone: Vec<(Option<StatusCode>, TokenError)> = vec![
            // What Webex answers an expired or revoked refresh token.
            (status(400), answered("invalid_request")),
            (status(400), answered("invalid_grant")),
            (status(401), answered("invalid_client")),
            (status(403), unreadable()),
            (status(404), unreadable()),
        ];
        for (status, error) in gone {
            assert!(
                matches!(refresh_failure(status, error), AuthError::Revoked),
                "{status:?}"
            );
        }
        let later: Vec<(Option<StatusCode>, TokenError)> = vec![
            (status(500), unreadable()),
            (status(502), answered("temporarily_unavailable")),
            (status(503), unreadable()),
            (status(429), unreadable()),
            (status(408), unreadable()),
            (None, no_answer()),
        ];
        for (status, error) in later {
            let failure = refresh_failure(status, error);
            assert!(
                matches!(failure, AuthError::TokenEndpoint(_)) && failure.is_transient(),
                "{status:?}: {failure:?}"
            );
        }
    }
}
