//! SQL of the durable job queue (the policy, backoff and workers are in `crate::jobs`).

use super::pool::{Engine, on_pool};
use super::{Context, Store, StoreError};
use sqlx::Row;

/// A job to enqueue.
#[derive(Debug, Clone)]
pub(crate) struct NewJob {
    pub kind: String,
    /// Jobs with the same key run one at a time, in the order they were enqueued.
    pub queue_key: String,
    pub payload: serde_json::Value,
    /// Earliest start (Unix ms); `None` means now.
    pub run_at_ms: Option<i64>,
}

impl NewJob {
    pub fn new(kind: &str, queue_key: &str, payload: serde_json::Value) -> Self {
        Self {
            kind: kind.into(),
            queue_key: queue_key.into(),
            payload,
            run_at_ms: None,
        }
    }
}

/// A job this worker now holds a lease on.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: String,
    pub queue_key: String,
    pub payload: serde_json::Value,
    /// Including this one.
    pub attempts: u32,
    /// When this attempt became due (`run_at`), for the due-to-done latency.
    pub due_at_ms: i64,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct JobCounts {
    /// Work waiting to run now or on a retry (timers waiting for their time are not work yet).
    pub pending: i64,
    /// Reminders and their planning jobs waiting for their time (issue 15).
    pub timers: i64,
    pub running: i64,
    pub done: i64,
    pub dead: i64,
    /// Waiting for a person to act (reconnect); not retried until then.
    pub parked: i64,
}

/// Inserts a job with the executor given (a transaction of either engine); evaluates to the
/// new job's id. A macro, not a function, because each engine's transaction is its own type.
macro_rules! insert_job {
    ($executor:expr, $job:expr, $now_ms:expr) => {{
        let job: &$crate::store::NewJob = $job;
        let now_ms: i64 = $now_ms;
        sqlx::query(
            "INSERT INTO jobs (kind, payload, queue_key, run_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&job.kind)
        .bind(job.payload.to_string())
        .bind(&job.queue_key)
        .bind(job.run_at_ms.unwrap_or(now_ms))
        .bind(now_ms)
        .bind(now_ms)
        .fetch_one($executor)
        .await
        .during("insert job")
        .map(|row| sqlx::Row::get::<i64, _>(&row, "id"))
    }};
}
pub(crate) use insert_job;

/// The claim statements: the earliest due pending job that heads its queue (no earlier pending
/// job of the same queue) in a queue where no job runs. Both engines' statements mean the same;
/// they differ in how they find it.
///
/// SQLite, one process whose writer lock makes the statement exclusive, checks each due row.
const CLAIM_SQLITE: &str =
    "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = $1, updated_at = $2
     WHERE id = (
         SELECT j.id FROM jobs j
         WHERE j.status = 'pending' AND j.run_at <= $3
           AND NOT EXISTS (SELECT 1 FROM jobs r
                           WHERE r.queue_key = j.queue_key AND r.status = 'running')
           AND NOT EXISTS (SELECT 1 FROM jobs e
                           WHERE e.queue_key = j.queue_key AND e.status = 'pending' AND e.id < j.id)
         ORDER BY j.run_at, j.id
         LIMIT 1)
     RETURNING id, kind, payload, queue_key, attempts, run_at";

/// PostgreSQL looks at queues, not rows: the queues with due work (one pass over the due rows),
/// each one's head (one index probe) if none of its jobs runs, then those few rows by primary key,
/// locked with `SKIP LOCKED`. Checking every due row, as SQLite does, took two index probes per
/// row; with several replicas there are more workers than spaces with a backlog, so claims often
/// find nothing, and each such claim paid for the whole backlog: in the three-replica pipeline
/// benchmark, 640 index scans per job update and more PostgreSQL CPU than the work itself.
const CLAIM_POSTGRES: &str =
    "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = $1, updated_at = $2
     WHERE id = (
         SELECT j.id FROM jobs j
         WHERE j.id = ANY(ARRAY(
                   SELECT head.id
                   FROM (SELECT DISTINCT queue_key FROM jobs
                         WHERE status = 'pending' AND run_at <= $3) due
                   CROSS JOIN LATERAL (SELECT e.id FROM jobs e
                                       WHERE e.queue_key = due.queue_key AND e.status = 'pending'
                                       ORDER BY e.id LIMIT 1) head
                   WHERE NOT EXISTS (SELECT 1 FROM jobs r
                                     WHERE r.queue_key = due.queue_key AND r.status = 'running')))
           AND j.status = 'pending' AND j.run_at <= $3
         ORDER BY j.run_at, j.id
         LIMIT 1
         FOR UPDATE OF j SKIP LOCKED)
     RETURNING id, kind, payload, queue_key, attempts, run_at";

impl Store {
    pub(crate) async fn enqueue(&self, job: &NewJob, now_ms: i64) -> Result<i64, StoreError> {
        on_pool!(self.pool(), |pool| {
            let mut tx = pool.begin().await.during("begin enqueue")?;
            let id = insert_job!(&mut *tx, job, now_ms)?;
            tx.commit().await.during("commit enqueue")?;
            Ok(id)
        })
    }

    /// Takes the next runnable job and leases it until `lease_until_ms`.
    ///
    /// A job is runnable when it is due, no job of its queue is running, and no earlier job of
    /// its queue is still pending (so a job waiting for a retry holds back the ones behind it:
    /// order per space is kept even through failures). The single UPDATE is atomic in SQLite;
    /// on PostgreSQL the candidate row is locked with `SKIP LOCKED`, so replicas claiming at the
    /// same moment take different jobs and never wait for each other, and a row another replica
    /// claimed meanwhile is re-checked (no longer pending) and passed over. The unique index
    /// `jobs_one_running_per_queue` backs the per-space rule in both engines.
    pub(crate) async fn claim_job(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
    ) -> Result<Option<ClaimedJob>, StoreError> {
        let sql = match self.pool().engine() {
            Engine::Sqlite => CLAIM_SQLITE,
            Engine::Postgres => CLAIM_POSTGRES,
        };
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query(sql)
                .bind(lease_until_ms)
                .bind(now_ms)
                .bind(now_ms)
                .fetch_optional(pool)
                .await
                .during("claim job")?;
            row.map(|r| {
                let payload: String = r.get("payload");
                Ok(ClaimedJob {
                    id: r.get("id"),
                    kind: r.get("kind"),
                    queue_key: r.get("queue_key"),
                    payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
                    attempts: u32::try_from(r.get::<i64, _>("attempts")).unwrap_or(u32::MAX),
                    due_at_ms: r.get("run_at"),
                })
            })
            .transpose()
        })
    }

    pub(crate) async fn complete_job(&self, id: i64, now_ms: i64) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
            "UPDATE jobs SET status = 'done', lease_until = NULL, updated_at = $1 WHERE id = $2",
        )
        .bind(now_ms)
        .bind(id)
        .execute(pool)
        .await
        .during("complete job")?;
            Ok(())
        })
    }

    /// Puts a failed job back, to run again no earlier than `run_at_ms`.
    pub(crate) async fn retry_job(
        &self,
        id: i64,
        run_at_ms: i64,
        error: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
            "UPDATE jobs SET status = 'pending', run_at = $1, lease_until = NULL, last_error = $2, updated_at = $3
             WHERE id = $4",
        )
        .bind(run_at_ms)
        .bind(error)
        .bind(now_ms)
        .bind(id)
        .execute(pool)
        .await
        .during("retry job")?;
            Ok(())
        })
    }

    /// Gives up on a job; it stays in the table for an operator to look at.
    pub(crate) async fn bury_job(
        &self,
        id: i64,
        error: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
            "UPDATE jobs SET status = 'dead', lease_until = NULL, last_error = $1, updated_at = $2 WHERE id = $3",
        )
        .bind(error)
        .bind(now_ms)
        .bind(id)
        .execute(pool)
        .await
        .during("bury job")?;
            Ok(())
        })
    }

    /// Keeps a long job's lease alive so the reaper does not hand it to another worker.
    pub(crate) async fn extend_lease(
        &self,
        id: i64,
        lease_until_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query("UPDATE jobs SET lease_until = $1 WHERE id = $2 AND status = 'running'")
                .bind(lease_until_ms)
                .bind(id)
                .execute(pool)
                .await
                .during("extend lease")?;
            Ok(())
        })
    }

    /// Returns to the queue every job whose worker vanished (crash, kill -9) without finishing.
    pub(crate) async fn reap_expired_leases(&self, now_ms: i64) -> Result<u64, StoreError> {
        on_pool!(self.pool(), |pool| {
            let done = sqlx::query(
                "UPDATE jobs SET status = 'pending', lease_until = NULL, updated_at = $1
             WHERE status = 'running' AND lease_until < $2",
            )
            .bind(now_ms)
            .bind(now_ms)
            .execute(pool)
            .await
            .during("reap leases")?;
            Ok(done.rows_affected())
        })
    }

    pub async fn job_counts(&self) -> Result<JobCounts, StoreError> {
        on_pool!(self.pool(), |pool| {
            let rows = sqlx::query(
                "SELECT status,
                        CAST(CASE WHEN kind IN ('reminder', 'reminder_plan') THEN 1 ELSE 0 END AS BIGINT) AS timer,
                        COUNT(*) AS n
                 FROM jobs GROUP BY status, timer",
            )
            .fetch_all(pool)
            .await
            .during("count jobs")?;
            let mut counts = JobCounts::default();
            for row in rows {
                let n: i64 = row.get("n");
                let timer = row.get::<i64, _>("timer") == 1;
                match row.get::<String, _>("status").as_str() {
                    "pending" if timer => counts.timers += n,
                    "pending" => counts.pending += n,
                    "running" => counts.running += n,
                    "done" => counts.done += n,
                    "dead" => counts.dead += n,
                    "parked" => counts.parked += n,
                    _ => {}
                }
            }
            Ok(counts)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/q.db", dir.path().display()))
            .await
            .unwrap();
        (store, dir)
    }

    /// The last error recorded for a job.
    async fn last_error(store: &Store, id: i64) -> Option<String> {
        let row = sqlx::query("SELECT last_error FROM jobs WHERE id = ?")
            .bind(id)
            .fetch_optional(store.sqlite_pool())
            .await
            .unwrap();
        row.and_then(|r| r.get("last_error"))
    }

    fn job(key: &str, n: u32) -> NewJob {
        NewJob::new("test", key, serde_json::json!(n))
    }

    #[tokio::test]
    async fn one_space_runs_in_order_and_spaces_run_side_by_side() {
        let (s, _d) = store().await;
        s.enqueue(&job("A", 1), 0).await.unwrap();
        s.enqueue(&job("A", 2), 0).await.unwrap();
        s.enqueue(&job("B", 1), 0).await.unwrap();

        let first = s.claim_job(10, 1_000).await.unwrap().unwrap();
        assert_eq!(
            (first.queue_key.as_str(), first.payload.as_u64()),
            ("A", Some(1))
        );
        // A's second job must wait for the first; B's job may run now.
        let second = s.claim_job(10, 1_000).await.unwrap().unwrap();
        assert_eq!(second.queue_key, "B");
        assert!(s.claim_job(10, 1_000).await.unwrap().is_none());

        s.complete_job(first.id, 20).await.unwrap();
        let third = s.claim_job(30, 1_000).await.unwrap().unwrap();
        assert_eq!(
            (third.queue_key.as_str(), third.payload.as_u64()),
            ("A", Some(2))
        );
    }

    #[tokio::test]
    async fn a_job_waiting_for_retry_holds_back_its_space() {
        let (s, _d) = store().await;
        s.enqueue(&job("A", 1), 0).await.unwrap();
        s.enqueue(&job("A", 2), 0).await.unwrap();
        let first = s.claim_job(0, 1_000).await.unwrap().unwrap();
        s.retry_job(first.id, 5_000, "boom", 1).await.unwrap();
        assert!(
            s.claim_job(100, 1_000).await.unwrap().is_none(),
            "order kept"
        );
        let again = s.claim_job(5_000, 9_000).await.unwrap().unwrap();
        assert_eq!(again.id, first.id);
        assert_eq!(again.attempts, 2);
        assert_eq!(last_error(&s, first.id).await.as_deref(), Some("boom"));
    }

    #[tokio::test]
    async fn an_expired_lease_is_reaped_and_the_job_runs_again() {
        let (s, _d) = store().await;
        let id = s.enqueue(&job("A", 1), 0).await.unwrap();
        let claimed = s.claim_job(0, 500).await.unwrap().unwrap();
        assert_eq!(claimed.id, id);
        assert_eq!(
            s.reap_expired_leases(400).await.unwrap(),
            0,
            "lease still valid"
        );
        assert_eq!(s.reap_expired_leases(501).await.unwrap(), 1);
        let again = s.claim_job(600, 1_000).await.unwrap().unwrap();
        assert_eq!(again.id, id);
    }

    #[tokio::test]
    async fn buried_jobs_are_never_claimed() {
        let (s, _d) = store().await;
        s.enqueue(&job("A", 1), 0).await.unwrap();
        let j = s.claim_job(0, 500).await.unwrap().unwrap();
        s.bury_job(j.id, "gave up", 1).await.unwrap();
        assert!(s.claim_job(10_000, 20_000).await.unwrap().is_none());
        let counts = s.job_counts().await.unwrap();
        assert_eq!((counts.dead, counts.pending), (1, 0));
    }
}
