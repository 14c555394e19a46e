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
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError,
    Scope, TokenResponse, TokenUrl,
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

    /// Uses a refresh token; `invalid_grant` becomes [`AuthError::Revoked`].
    pub async fn refresh(&self, refresh: &SecretString) -> Result<FreshTokens, AuthError> {
        let response = self
            .client()?
            .exchange_refresh_token(&RefreshToken::new(refresh.expose_secret().to_string()))
            .request_async(&self.http)
            .await
            .map_err(token_error)?;
        Ok(fresh(&response))
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
