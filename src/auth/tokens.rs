//! Handing out a person's access token, refreshing it when it is about to expire or was
//! refused, once per person however many jobs ask at the same moment.
//!
//! Refresh tokens may rotate, and presenting a rotated-out one can make Webex revoke the whole
//! grant. So refreshes of one person are serialised (within a process by a mutex, across
//! replicas by a database lock), each waiter re-reads the stored pair after the lock (someone
//! may have refreshed already), and the new pair is committed before it is handed out.

use super::{AuthError, Linker, Sealed, aad};
use crate::metrics::Metrics;
use crate::store::TokenRow;
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A stored token that cannot be opened (its key was retired, or the row was tampered with)
/// is as good as none: the person is asked to connect again.
fn unreadable(e: super::CryptoError) -> AuthError {
    tracing::warn!(error = %e, "a stored token could not be decrypted; the person must reconnect");
    AuthError::NotConnected
}

/// Refresh this long before the access token expires.
const REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// A person's usable access token.
pub struct AccessToken {
    pub person_id: String,
    pub token: SecretString,
}

#[derive(Clone)]
pub struct TokenManager {
    linker: Linker,
    locks: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    metrics: Metrics,
}

impl TokenManager {
    pub fn new(linker: Linker) -> Self {
        Self {
            linker,
            locks: Arc::default(),
            metrics: Metrics::default(),
        }
    }

    /// Counts refreshes into `metrics` (by default, into a registry nobody reads).
    pub fn with_metrics(mut self, metrics: Metrics) -> Self {
        self.metrics = metrics;
        self
    }

    pub fn linker(&self) -> &Linker {
        &self.linker
    }

    /// A valid access token for `person_id`, refreshed first if it expires soon.
    pub async fn access_token(&self, person_id: &str) -> Result<AccessToken, AuthError> {
        let row = self.load(person_id).await?;
        if !self.expires_soon(&row) {
            return self.open_access(&row);
        }
        self.refresh_once(person_id, None).await
    }

    /// Webex refused `rejected` (401): refresh, unless another job already did.
    pub(crate) async fn after_unauthorized(
        &self,
        person_id: &str,
        rejected: &SecretString,
    ) -> Result<AccessToken, AuthError> {
        self.refresh_once(person_id, Some(rejected)).await
    }

    async fn refresh_once(
        &self,
        person_id: &str,
        rejected: Option<&SecretString>,
    ) -> Result<AccessToken, AuthError> {
        let lock = self.lock_for(person_id);
        let _held = lock.lock().await;
        // Other replicas refresh too: the database lock serialises them all.
        let across_replicas = self.linker.store.lock_refresh(person_id).await?;
        let refreshed = self.refresh_locked(person_id, rejected).await;
        across_replicas.release().await?;
        refreshed
    }

    /// The refresh itself, under both locks: re-read, and refresh only if no one did.
    async fn refresh_locked(
        &self,
        person_id: &str,
        rejected: Option<&SecretString>,
    ) -> Result<AccessToken, AuthError> {
        let row = self.load(person_id).await?;
        let current = self.open_access(&row)?;
        let already_refreshed = match rejected {
            Some(r) => r.expose_secret() != current.token.expose_secret(),
            None => !self.expires_soon(&row),
        };
        if already_refreshed {
            return Ok(current);
        }
        let refresh = self.open_refresh(&row)?.ok_or(AuthError::Revoked)?;
        let fresh = self.linker.refresh(&refresh).await;
        self.metrics.token_refresh(fresh.is_ok());
        let fresh = fresh?;
        self.linker.store_tokens(person_id, &fresh).await?;
        Ok(AccessToken {
            person_id: person_id.to_string(),
            token: fresh.access,
        })
    }

    fn lock_for(&self, person_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        locks.entry(person_id.to_string()).or_default().clone()
    }

    async fn load(&self, person_id: &str) -> Result<TokenRow, AuthError> {
        self.linker
            .store
            .load_tokens(person_id)
            .await?
            .ok_or(AuthError::NotConnected)
    }

    fn expires_soon(&self, row: &TokenRow) -> bool {
        let now = self.linker.clock.now().timestamp_millis();
        row.access_expires_at_ms - now < REFRESH_MARGIN.as_millis() as i64
    }

    fn open_access(&self, row: &TokenRow) -> Result<AccessToken, AuthError> {
        let token = self
            .linker
            .cipher
            .open(
                &Sealed {
                    key_id: row.key_id.clone(),
                    data: row.access_token.clone(),
                },
                &aad(&row.person_id, "access"),
            )
            .map_err(unreadable)?;
        Ok(AccessToken {
            person_id: row.person_id.clone(),
            token,
        })
    }

    fn open_refresh(&self, row: &TokenRow) -> Result<Option<SecretString>, AuthError> {
        row.refresh_token
            .as_ref()
            .map(|data| {
                self.linker.cipher.open(
                    &Sealed {
                        key_id: row.key_id.clone(),
                        data: data.clone(),
                    },
                    &aad(&row.person_id, "refresh"),
                )
            })
            .transpose()
            .map_err(unreadable)
    }
}
