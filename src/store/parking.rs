//! SQL of jobs set aside until their person reconnects (the policy is in `crate::jobs`).

use super::pool::on_pool;
use super::{Context, Store, StoreError};
use sqlx::Row;

impl Store {
    /// Sets a job aside until `park_key` (a person) reconnects.
    pub(crate) async fn park_job(
        &self,
        id: i64,
        park_key: &str,
        error: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
            "UPDATE jobs SET status = 'parked', park_key = $1, lease_until = NULL, last_error = $2, updated_at = $3
             WHERE id = $4",
        )
        .bind(park_key)
        .bind(error)
        .bind(now_ms)
        .bind(id)
        .execute(pool)
        .await
        .during("park job")?;
            Ok(())
        })
    }

    /// Puts a person's parked jobs back in the queue; returns how many.
    pub(crate) async fn unpark_jobs(&self, park_key: &str, now_ms: i64) -> Result<u64, StoreError> {
        on_pool!(self.pool(), |pool| {
            let done = sqlx::query(
                "UPDATE jobs SET status = 'pending', run_at = $1, park_key = NULL, updated_at = $2
             WHERE status = 'parked' AND park_key = $3",
            )
            .bind(now_ms)
            .bind(now_ms)
            .bind(park_key)
            .execute(pool)
            .await
            .during("unpark jobs")?;
            Ok(done.rows_affected())
        })
    }

    pub async fn parked_jobs(&self, park_key: &str) -> Result<i64, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query(
                "SELECT COUNT(*) AS n FROM jobs WHERE status = 'parked' AND park_key = $1",
            )
            .bind(park_key)
            .fetch_one(pool)
            .await
            .during("count parked")?;
            Ok(row.get("n"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/p.db", dir.path().display()))
            .await
            .unwrap();
        (store, dir)
    }

    #[tokio::test]
    async fn parked_jobs_wait_for_their_person() {
        let (s, _d) = store().await;
        let id = s
            .enqueue(
                &super::super::NewJob::new("k", "R", serde_json::json!({})),
                0,
            )
            .await
            .unwrap();
        let job = s.claim_job(0, 100).await.unwrap().unwrap();
        s.park_job(job.id, "P1", "needs reconnect", 1)
            .await
            .unwrap();
        assert!(s.claim_job(10_000, 20_000).await.unwrap().is_none());
        assert_eq!(s.parked_jobs("P1").await.unwrap(), 1);
        assert_eq!(s.unpark_jobs("P1", 20).await.unwrap(), 1);
        assert_eq!(s.claim_job(20, 100).await.unwrap().unwrap().id, id);
    }
}
