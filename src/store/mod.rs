//! Every SQL statement of the bot lives here, one function per query.
//!
//! SQLite is the embedded default: WAL so readers never block the writer, `synchronous=FULL` so a
//! commit that preceded a webhook's 200 survives a power cut (Webex will not redeliver what we
//! acknowledged). Times are Unix milliseconds, taken from the injected clock by callers, so
//! tests control them. Keeping the SQL in one place is what lets a PostgreSQL back end follow.

mod admin;
mod auth;
mod invitations;
mod jobs;
mod listings;
mod meetings;
mod migrations;
mod retention;

pub use auth::OAuthStateRow;
pub(crate) use auth::{PersonPrefs, StateLookup, TokenRow};
pub use invitations::InvitationRow;
pub use jobs::JobCounts;
pub(crate) use jobs::{ClaimedJob, NewJob};
pub(crate) use listings::{Listed, ListedMeeting};
pub(crate) use meetings::{CommandRow, CommandState};
pub(crate) use migrations::SchemaState;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Failures of the database, with the operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {operation}: {source}")]
    Sql {
        operation: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("database path: {0}")]
    Path(String),
}

pub(crate) trait Context<T> {
    fn during(self, operation: &'static str) -> Result<T, StoreError>;
}

impl<T> Context<T> for Result<T, sqlx::Error> {
    fn during(self, operation: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Sql { operation, source })
    }
}

/// A webhook delivery worth keeping: enough to dedupe it and to process it later.
/// No message text: that is fetched by the worker with the bot token.
#[derive(Debug, Clone)]
pub(crate) struct InboxEvent {
    pub resource: String,
    pub event: String,
    pub data_id: String,
    pub room_id: Option<String>,
    pub actor_id: Option<String>,
}

impl InboxEvent {
    pub(crate) fn dedup_key(&self) -> String {
        format!("{}:{}", self.resource, self.data_id)
    }
}

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        ensure_parent_dir(url)?;
        let options = SqliteConnectOptions::from_str(url)
            .during("parse DATABASE_URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .during("connect")?;
        let store = Self { pool };
        migrations::run(&store.pool).await?;
        Ok(store)
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Readiness: the database answers a query.
    pub(crate) async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .during("ping")?;
        Ok(())
    }

    /// Records a verified delivery and its job in one transaction.
    ///
    /// Returns `false` when the delivery was seen before: the caller acknowledges it and does
    /// nothing else. Either both rows are durable or neither is.
    pub(crate) async fn accept_event(
        &self,
        event: &InboxEvent,
        job: &NewJob,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.during("begin accept_event")?;
        let inserted = sqlx::query(
            "INSERT INTO inbox (dedup_key, resource, event, data_id, room_id, actor_id, received_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING",
        )
        .bind(event.dedup_key())
        .bind(&event.resource)
        .bind(&event.event)
        .bind(&event.data_id)
        .bind(&event.room_id)
        .bind(&event.actor_id)
        .bind(now_ms)
        .execute(&mut *tx)
        .await
        .during("insert inbox")?
        .rows_affected()
            == 1;
        if inserted {
            jobs::insert(&mut tx, job, now_ms).await?;
        }
        tx.commit().await.during("commit accept_event")?;
        Ok(inserted)
    }

    /// How many deliveries the inbox holds (for tests and metrics).
    pub async fn inbox_len(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM inbox")
            .fetch_one(&self.pool)
            .await
            .during("count inbox")?;
        Ok(row.get("n"))
    }
}

impl Store {
    /// The message the bot already posted in answer to a delivery, if any.
    pub(crate) async fn reply_for(&self, dedup_key: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT message_id FROM replies WHERE dedup_key = ?")
            .bind(dedup_key)
            .fetch_optional(&self.pool)
            .await
            .during("read reply")?;
        Ok(row.map(|r| r.get("message_id")))
    }

    pub(crate) async fn record_reply(
        &self,
        dedup_key: &str,
        message_id: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO replies (dedup_key, message_id, sent_at) VALUES (?, ?, ?)
             ON CONFLICT (dedup_key) DO NOTHING",
        )
        .bind(dedup_key)
        .bind(message_id)
        .bind(now_ms)
        .execute(&self.pool)
        .await
        .during("record reply")?;
        Ok(())
    }
}

/// SQLite will not create the folder of a new database file; a fresh checkout has no `data/`.
fn ensure_parent_dir(url: &str) -> Result<(), StoreError> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or("");
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::Path(e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str) -> InboxEvent {
        InboxEvent {
            resource: "messages".into(),
            event: "created".into(),
            data_id: id.into(),
            room_id: Some("R1".into()),
            actor_id: Some("P1".into()),
        }
    }

    #[tokio::test]
    async fn a_repeated_delivery_is_accepted_once_with_one_job() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        let job = NewJob::new("webhook", "R1", serde_json::json!({"id": "M1"}));
        assert!(store.accept_event(&event("M1"), &job, 1_000).await.unwrap());
        assert!(!store.accept_event(&event("M1"), &job, 2_000).await.unwrap());
        assert!(store.accept_event(&event("M2"), &job, 3_000).await.unwrap());
        assert_eq!(store.inbox_len().await.unwrap(), 2);
        assert_eq!(store.job_counts().await.unwrap().pending, 2);
    }

    #[tokio::test]
    async fn database_uses_wal_and_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(store.pool())
            .await
            .unwrap();
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "synchronous=FULL is 2");
    }
}
