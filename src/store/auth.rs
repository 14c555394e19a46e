//! SQL for people's preferences, their sealed tokens, and pending account links.

use super::pool::on_pool;
use super::{Context, Store, StoreError};
use sqlx::Row;

/// Makes sure a person has a row (their settings are updated in it); evaluates to the result.
macro_rules! upsert_person {
    ($tx:expr, $person_id:expr, $now_ms:expr) => {
        sqlx::query(
            "INSERT INTO people (person_id, updated_at) VALUES ($1, $2) ON CONFLICT (person_id) DO NOTHING",
        )
        .bind($person_id)
        .bind($now_ms)
        .execute(&mut *$tx)
        .await
        .during("upsert person")
    };
}

/// A sealed token pair as stored (values are opaque to the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub person_id: String,
    pub key_id: String,
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub access_expires_at_ms: i64,
    pub scopes: String,
}

/// A pending link, as stored when `connect` was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthStateRow {
    pub state_hash: String,
    pub person_id: String,
    pub room_id: Option<String>,
    pub key_id: String,
    pub verifier: String,
    pub resume: Option<String>,
    pub expires_at_ms: i64,
}

/// What looking up a state found; each kind of failure gets its own page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StateLookup {
    Valid(OAuthStateRow),
    Unknown,
    Expired,
    AlreadyUsed,
}

/// A person's own settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonPrefs {
    pub timezone: Option<String>,
    pub confirm: bool,
    pub needs_reconnect: bool,
}

impl Store {
    pub async fn insert_oauth_state(&self, row: &OAuthStateRow) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
            "INSERT INTO oauth_states (state_hash, person_id, room_id, key_id, verifier, resume, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&row.state_hash)
        .bind(&row.person_id)
        .bind(&row.room_id)
        .bind(&row.key_id)
        .bind(&row.verifier)
        .bind(&row.resume)
        .bind(row.expires_at_ms)
        .execute(pool)
        .await
        .during("insert oauth state")?;
            Ok(())
        })
    }

    /// Marks a state used and returns it, in one statement: a state works once, even when two
    /// callbacks race. (A read-then-write transaction would also be refused outright by SQLite
    /// whenever another connection wrote in between, which workers do all the time.)
    pub(crate) async fn take_oauth_state(
        &self,
        state_hash: &str,
        now_ms: i64,
    ) -> Result<StateLookup, StoreError> {
        on_pool!(self.pool(), |pool| {
            let claimed = sqlx::query(
                "UPDATE oauth_states SET used_at = $1 WHERE state_hash = $2 AND used_at IS NULL
             RETURNING state_hash, person_id, room_id, key_id, verifier, resume, expires_at",
            )
            .bind(now_ms)
            .bind(state_hash)
            .fetch_optional(pool)
            .await
            .during("use oauth state")?;
            let Some(row) = claimed else {
                let exists = sqlx::query("SELECT 1 AS x FROM oauth_states WHERE state_hash = $1")
                    .bind(state_hash)
                    .fetch_optional(pool)
                    .await
                    .during("read oauth state")?;
                return Ok(if exists.is_some() {
                    StateLookup::AlreadyUsed
                } else {
                    StateLookup::Unknown
                });
            };
            let expires_at_ms: i64 = row.get("expires_at");
            if expires_at_ms < now_ms {
                return Ok(StateLookup::Expired);
            }
            Ok(StateLookup::Valid(OAuthStateRow {
                state_hash: row.get("state_hash"),
                person_id: row.get("person_id"),
                room_id: row.get("room_id"),
                key_id: row.get("key_id"),
                verifier: row.get("verifier"),
                resume: row.get("resume"),
                expires_at_ms,
            }))
        })
    }

    /// Whether a link sent to the person is unused and still valid at `at_ms`.
    pub(crate) async fn has_link_valid_until(
        &self,
        person_id: &str,
        at_ms: i64,
    ) -> Result<bool, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query(
            "SELECT 1 AS x FROM oauth_states WHERE person_id = $1 AND used_at IS NULL AND expires_at > $2 LIMIT 1",
        )
        .bind(person_id)
        .bind(at_ms)
        .fetch_optional(pool)
        .await
        .during("look for a valid link")?;
            Ok(row.is_some())
        })
    }

    /// Claims the requests a person made while unlinked whose links are still valid (their
    /// states become used), oldest first.
    pub(crate) async fn take_pending_resumes(
        &self,
        person_id: &str,
        now_ms: i64,
    ) -> Result<Vec<String>, StoreError> {
        on_pool!(self.pool(), |pool| {
            let rows = sqlx::query(
                "UPDATE oauth_states SET used_at = $1
             WHERE person_id = $2 AND used_at IS NULL AND resume IS NOT NULL AND expires_at >= $3
             RETURNING resume, expires_at",
            )
            .bind(now_ms)
            .bind(person_id)
            .bind(now_ms)
            .fetch_all(pool)
            .await
            .during("take pending resumes")?;
            let mut resumes: Vec<(i64, String)> = rows
                .into_iter()
                .map(|r| (r.get("expires_at"), r.get("resume")))
                .collect();
            resumes.sort();
            Ok(resumes.into_iter().map(|(_, resume)| resume).collect())
        })
    }

    /// Stores a person's tokens (replacing any) and clears a pending reconnect.
    pub async fn save_tokens(&self, row: &TokenRow, now_ms: i64) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            let mut tx = pool.begin().await.during("begin save tokens")?;
            sqlx::query(
            "INSERT INTO tokens (person_id, key_id, access_token, refresh_token, access_expires_at, scopes, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (person_id) DO UPDATE SET key_id = excluded.key_id,
                 access_token = excluded.access_token, refresh_token = excluded.refresh_token,
                 access_expires_at = excluded.access_expires_at, scopes = excluded.scopes,
                 updated_at = excluded.updated_at",
        )
        .bind(&row.person_id)
        .bind(&row.key_id)
        .bind(&row.access_token)
        .bind(&row.refresh_token)
        .bind(row.access_expires_at_ms)
        .bind(&row.scopes)
        .bind(now_ms)
        .execute(&mut *tx)
        .await
        .during("save tokens")?;
            upsert_person!(tx, &row.person_id, now_ms)?;
            sqlx::query("UPDATE people SET needs_reconnect = 0 WHERE person_id = $1")
                .bind(&row.person_id)
                .execute(&mut *tx)
                .await
                .during("clear reconnect")?;
            tx.commit().await.during("commit save tokens")?;
            Ok(())
        })
    }

    pub async fn load_tokens(&self, person_id: &str) -> Result<Option<TokenRow>, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query(
                "SELECT person_id, key_id, access_token, refresh_token, access_expires_at, scopes
             FROM tokens WHERE person_id = $1",
            )
            .bind(person_id)
            .fetch_optional(pool)
            .await
            .during("load tokens")?;
            Ok(row.map(|r| TokenRow {
                person_id: r.get("person_id"),
                key_id: r.get("key_id"),
                access_token: r.get("access_token"),
                refresh_token: r.get("refresh_token"),
                access_expires_at_ms: r.get("access_expires_at"),
                scopes: r.get("scopes"),
            }))
        })
    }

    /// Deletes a person's tokens; true when there were any.
    pub(crate) async fn delete_tokens(&self, person_id: &str) -> Result<bool, StoreError> {
        on_pool!(self.pool(), |pool| {
            let done = sqlx::query("DELETE FROM tokens WHERE person_id = $1")
                .bind(person_id)
                .execute(pool)
                .await
                .during("delete tokens")?;
            Ok(done.rows_affected() > 0)
        })
    }

    /// Records that a person's grant is gone; true only for the call that changed it, so the
    /// person is told once.
    pub(crate) async fn mark_needs_reconnect(
        &self,
        person_id: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        on_pool!(self.pool(), |pool| {
            let mut tx = pool.begin().await.during("begin reconnect")?;
            upsert_person!(tx, person_id, now_ms)?;
            let changed = sqlx::query(
            "UPDATE people SET needs_reconnect = 1, updated_at = $1 WHERE person_id = $2 AND needs_reconnect = 0",
        )
        .bind(now_ms)
        .bind(person_id)
        .execute(&mut *tx)
        .await
        .during("mark reconnect")?
        .rows_affected();
            sqlx::query("DELETE FROM tokens WHERE person_id = $1")
                .bind(person_id)
                .execute(&mut *tx)
                .await
                .during("drop revoked tokens")?;
            tx.commit().await.during("commit reconnect")?;
            Ok(changed == 1)
        })
    }

    pub async fn person_prefs(&self, person_id: &str) -> Result<PersonPrefs, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query(
                "SELECT timezone, confirm, needs_reconnect FROM people WHERE person_id = $1",
            )
            .bind(person_id)
            .fetch_optional(pool)
            .await
            .during("read person")?;
            Ok(row
                .map(|r| PersonPrefs {
                    timezone: r.get("timezone"),
                    confirm: r.get::<i64, _>("confirm") != 0,
                    needs_reconnect: r.get::<i64, _>("needs_reconnect") != 0,
                })
                .unwrap_or(PersonPrefs {
                    confirm: true,
                    ..PersonPrefs::default()
                }))
        })
    }

    pub(crate) async fn set_timezone(
        &self,
        person_id: &str,
        zone: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            let mut tx = pool.begin().await.during("begin set tz")?;
            upsert_person!(tx, person_id, now_ms)?;
            sqlx::query("UPDATE people SET timezone = $1, updated_at = $2 WHERE person_id = $3")
                .bind(zone)
                .bind(now_ms)
                .bind(person_id)
                .execute(&mut *tx)
                .await
                .during("set timezone")?;
            tx.commit().await.during("commit set tz")?;
            Ok(())
        })
    }

    pub(crate) async fn set_confirm(
        &self,
        person_id: &str,
        confirm: bool,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            let mut tx = pool.begin().await.during("begin set confirm")?;
            upsert_person!(tx, person_id, now_ms)?;
            sqlx::query("UPDATE people SET confirm = $1, updated_at = $2 WHERE person_id = $3")
                .bind(i64::from(confirm))
                .bind(now_ms)
                .bind(person_id)
                .execute(&mut *tx)
                .await
                .during("set confirm")?;
            tx.commit().await.during("commit set confirm")?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/a.db", dir.path().display()))
            .await
            .unwrap();
        (store, dir)
    }

    fn state(hash: &str, expires: i64) -> OAuthStateRow {
        OAuthStateRow {
            state_hash: hash.into(),
            person_id: "P1".into(),
            room_id: Some("R1".into()),
            key_id: "k".into(),
            verifier: "sealed".into(),
            resume: None,
            expires_at_ms: expires,
        }
    }

    #[tokio::test]
    async fn a_state_works_once_and_not_after_it_expires() {
        let (s, _d) = store().await;
        s.insert_oauth_state(&state("h1", 1_000)).await.unwrap();
        s.insert_oauth_state(&state("h2", 1_000)).await.unwrap();
        assert!(
            matches!(s.take_oauth_state("h1", 500).await.unwrap(), StateLookup::Valid(r) if r.person_id == "P1")
        );
        assert_eq!(
            s.take_oauth_state("h1", 600).await.unwrap(),
            StateLookup::AlreadyUsed
        );
        assert_eq!(
            s.take_oauth_state("h2", 1_001).await.unwrap(),
            StateLookup::Expired
        );
        assert_eq!(
            s.take_oauth_state("nope", 0).await.unwrap(),
            StateLookup::Unknown
        );
    }

    #[tokio::test]
    async fn reconnect_is_reported_once_and_drops_tokens_until_saved_again() {
        let (s, _d) = store().await;
        let row = TokenRow {
            person_id: "P1".into(),
            key_id: "k".into(),
            access_token: "a".into(),
            refresh_token: Some("r".into()),
            access_expires_at_ms: 10,
            scopes: "x".into(),
        };
        s.save_tokens(&row, 0).await.unwrap();
        assert!(s.mark_needs_reconnect("P1", 1).await.unwrap());
        assert!(!s.mark_needs_reconnect("P1", 2).await.unwrap(), "told once");
        assert!(s.load_tokens("P1").await.unwrap().is_none());
        assert!(s.person_prefs("P1").await.unwrap().needs_reconnect);
        s.save_tokens(&row, 3).await.unwrap();
        assert!(!s.person_prefs("P1").await.unwrap().needs_reconnect);
    }

    #[tokio::test]
    async fn prefs_default_to_confirming_and_remember_changes() {
        let (s, _d) = store().await;
        assert_eq!(
            s.person_prefs("P9").await.unwrap(),
            PersonPrefs {
                timezone: None,
                confirm: true,
                needs_reconnect: false
            }
        );
        s.set_timezone("P9", "Europe/Paris", 1).await.unwrap();
        s.set_confirm("P9", false, 2).await.unwrap();
        let p = s.person_prefs("P9").await.unwrap();
        assert_eq!(
            (p.timezone.as_deref(), p.confirm),
            (Some("Europe/Paris"), false)
        );
    }
}
