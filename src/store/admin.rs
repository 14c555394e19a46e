//! What the `admin` command reads and changes: dead letters, and who is linked.

use super::pool::on_pool;
use super::{Context, Store, StoreError};
use sqlx::Row;

/// A dead-lettered job, as an admin sees it.
#[derive(Debug, Clone)]
pub(crate) struct DeadJob {
    pub id: i64,
    pub kind: String,
    pub attempts: i64,
    pub died_at_ms: i64,
    pub last_error: Option<String>,
}

impl Store {
    /// The most recent dead letters, newest first.
    pub(crate) async fn dead_jobs(&self, limit: i64) -> Result<Vec<DeadJob>, StoreError> {
        let rows = on_pool!(self.pool(), |pool| {
            sqlx::query(
                "SELECT id, kind, attempts, updated_at, last_error FROM jobs
                 WHERE status = 'dead' ORDER BY updated_at DESC, id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await
            .during("list dead jobs")?
            .into_iter()
            .map(|r| DeadJob {
                id: r.get("id"),
                kind: r.get("kind"),
                attempts: r.get("attempts"),
                died_at_ms: r.get("updated_at"),
                last_error: r.get("last_error"),
            })
            .collect::<Vec<_>>()
        });
        Ok(rows)
    }

    /// Gives a dead job one more attempt now; false if no dead job has that id. Its attempts
    /// are kept, so the log shows how often it has run.
    pub(crate) async fn revive_dead_job(&self, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        let revived = on_pool!(self.pool(), |pool| {
            sqlx::query(
                "UPDATE jobs SET status = 'pending', run_at = $1, lease_until = NULL, updated_at = $2
                 WHERE id = $3 AND status = 'dead'",
            )
            .bind(now_ms)
            .bind(now_ms)
            .bind(id)
            .execute(pool)
            .await
            .during("revive dead job")?
            .rows_affected()
        });
        Ok(revived == 1)
    }

    /// How many people have stored Webex tokens.
    pub(crate) async fn linked_people(&self) -> Result<i64, StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM tokens")
                .fetch_one(pool)
                .await
                .during("count linked people")
        })
    }
}
