//! Every SQL statement of the bot lives here, one function per query.
//!
//! SQLite is the embedded default: WAL so readers never block the writer, `synchronous=FULL` so a
//! commit that preceded a webhook's 200 survives a power cut (Webex will not redeliver what we
//! acknowledged). PostgreSQL (`DATABASE_URL=postgres://…`) lets several replicas share one
//! queue; the same statements run on both (see `pool`). Times are Unix milliseconds, taken from
//! the injected clock by callers, so tests control them.

mod admin;
mod auth;
mod budget;
mod invitations;
mod jobs;
mod listings;
mod meetings;
mod migrations;
mod once;
mod parking;
pub(crate) mod pool;
mod reminders;
#[cfg(test)]
mod replica_tests;
mod retention;
pub mod scratch;
#[cfg(test)]
mod test_engines;
mod transfer;
mod wakeups;

pub use auth::{OAuthStateRow, TokenRow};
pub(crate) use auth::{PersonPrefs, StateLookup};
pub use invitations::InvitationRow;
pub use jobs::JobCounts;
pub(crate) use jobs::{ClaimedJob, NewJob};
pub(crate) use listings::{Listed, ListedMeeting};
pub(crate) use meetings::{CommandRow, CommandState};
pub(crate) use migrations::SchemaState;

use jobs::insert_job;
pub use pool::{Engine, redacted};
use pool::{Pool, on_pool};
use sqlx::Row;
pub use transfer::Copied;

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
    /// The configuration names no usable database (wrong scheme, a newer schema).
    #[error("{0}")]
    Config(String),
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
    pool: Pool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = Pool::connect(url).await?;
        migrations::run(&pool).await?;
        Ok(Self { pool })
    }

    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Which engine this store runs on.
    pub fn engine(&self) -> Engine {
        self.pool.engine()
    }

    /// The SQLite pool, for unit tests that look at the tables directly.
    #[cfg(test)]
    pub(crate) fn sqlite_pool(&self) -> &sqlx::SqlitePool {
        match &self.pool {
            Pool::Sqlite(pool) => pool,
            Pool::Postgres(_) => panic!("this test reads SQLite"),
        }
    }

    /// Readiness: the database answers a query.
    pub(crate) async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query("SELECT 1").execute(pool).await.during("ping")?;
            Ok(())
        })
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
        on_pool!(self.pool(), |pool| {
            let mut tx = pool.begin().await.during("begin accept_event")?;
            let inserted = sqlx::query(
            "INSERT INTO inbox (dedup_key, resource, event, data_id, room_id, actor_id, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedup_key) DO NOTHING",
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
                insert_job!(&mut *tx, job, now_ms)?;
            }
            tx.commit().await.during("commit accept_event")?;
            Ok(inserted)
        })
    }

    /// How many deliveries the inbox holds (for tests and metrics).
    pub async fn inbox_len(&self) -> Result<i64, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query("SELECT COUNT(*) AS n FROM inbox")
                .fetch_one(pool)
                .await
                .during("count inbox")?;
            Ok(row.get("n"))
        })
    }
}

impl Store {
    /// The message the bot already posted in answer to a delivery, if any.
    pub(crate) async fn reply_for(&self, dedup_key: &str) -> Result<Option<String>, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query("SELECT message_id FROM replies WHERE dedup_key = $1")
                .bind(dedup_key)
                .fetch_optional(pool)
                .await
                .during("read reply")?;
            Ok(row.map(|r| r.get("message_id")))
        })
    }

    pub(crate) async fn record_reply(
        &self,
        dedup_key: &str,
        message_id: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
                "INSERT INTO replies (dedup_key, message_id, sent_at) VALUES ($1, $2, $3)
             ON CONFLICT (dedup_key) DO NOTHING",
            )
            .bind(dedup_key)
            .bind(message_id)
            .bind(now_ms)
            .execute(pool)
            .await
            .during("record reply")?;
            Ok(())
        })
    }
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
            .fetch_one(store.sqlite_pool())
            .await
            .unwrap();
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(store.sqlite_pool())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "synchronous=FULL is 2");
    }
}
