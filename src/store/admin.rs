//! What the `admin` command reads and changes: dead letters, and who is linked.

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
        let rows = sqlx::query(
            "SELECT id, kind, attempts, updated_at, last_error FROM jobs
             WHERE status = 'dead' ORDER BY updated_at DESC, id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .during("list dead jobs")?;
        Ok(rows
            .into_iter()
            .map(|r| DeadJob {
                id: r.get("id"),
                kind: r.get("kind"),
                attempts: r.get("attempts"),
                died_at_ms: r.get("updated_at"),
                last_error: r.get("last_error"),
            })
            .collect())
    }

    /// Gives a dead job one more attempt now; false if no dead job has that id. Its attempts
    /// are kept, so the log shows how often it has run.
    pub(crate) async fn revive_dead_job(&self, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE jobs SET status = 'pending', run_at = ?, lease_until = NULL, updated_at = ?
             WHERE id = ? AND status = 'dead'",
        )
        .bind(now_ms)
        .bind(now_ms)
        .bind(id)
        .execute(self.pool())
        .await
        .during("revive dead job")?;
        Ok(done.rows_affected() == 1)
    }

    /// How many people have stored Webex tokens.
    pub(crate) async fn linked_people(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM tokens")
            .fetch_one(self.pool())
            .await
            .during("count linked people")
    }
}
