//! Work that must happen once across replicas: periodic tasks (one replica per period) and a
//! person's token refresh (one replica at a time; the others wait and use its result).

use super::pool::{Pool, on_pool};
use super::{Context, Store, StoreError};
use sqlx::{Postgres, Transaction};

/// The advisory lock class of token refreshes; the second key is a hash of the person id.
const REFRESH_LOCK_CLASS: i32 = 0x7772;

/// Held while one replica refreshes a person's tokens; dropping it also releases the lock.
pub(crate) struct RefreshLock {
    /// PostgreSQL: the transaction holding `pg_advisory_xact_lock` (ended = released, even when
    /// this replica dies: the server ends its transactions). SQLite: one process, no lock.
    held: Option<Transaction<'static, Postgres>>,
}

impl RefreshLock {
    /// Releases the lock now, rather than when the connection is next used.
    pub(crate) async fn release(self) -> Result<(), StoreError> {
        if let Some(tx) = self.held {
            tx.rollback().await.during("release refresh lock")?;
        }
        Ok(())
    }
}

impl Store {
    /// Takes the current period of `task` for `holder` if no replica has taken it yet: true
    /// means "run it now". One statement moves `next_due` a period ahead only when it is due,
    /// so of replicas asking at once exactly one gets true; if the one that ran it dies, the
    /// next period is taken by another.
    pub(crate) async fn take_period(
        &self,
        task: &str,
        holder: &str,
        now_ms: i64,
        period_ms: i64,
    ) -> Result<bool, StoreError> {
        on_pool!(self.pool(), |pool| {
            let taken = sqlx::query(
                "INSERT INTO periodic_runs (task, holder, started_at, next_due) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (task) DO UPDATE SET holder = excluded.holder,
                     started_at = excluded.started_at, next_due = excluded.next_due
                 WHERE periodic_runs.next_due <= excluded.started_at
                 RETURNING task",
            )
            .bind(task)
            .bind(holder)
            .bind(now_ms)
            .bind(now_ms.saturating_add(period_ms))
            .fetch_optional(pool)
            .await
            .during("take period")?;
            Ok(taken.is_some())
        })
    }

    /// Waits until no other replica refreshes `person_id`'s tokens, and keeps them from starting
    /// until the returned lock is released. The caller re-reads the tokens after this: another
    /// replica may have refreshed them meanwhile.
    pub(crate) async fn lock_refresh(&self, person_id: &str) -> Result<RefreshLock, StoreError> {
        let Pool::Postgres(pool) = self.pool() else {
            return Ok(RefreshLock { held: None });
        };
        let mut tx = pool.begin().await.during("begin refresh lock")?;
        sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind(REFRESH_LOCK_CLASS)
            .bind(person_id)
            .execute(&mut *tx)
            .await
            .during("take refresh lock")?;
        Ok(RefreshLock { held: Some(tx) })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::test_engines::each_engine;

    #[tokio::test]
    async fn of_replicas_asking_at_once_one_takes_each_period() {
        each_engine(async |url| {
            let mut replicas = Vec::new();
            for _ in 0..4 {
                replicas.push(Store::connect(&url).await.unwrap());
            }
            let period = 1_000;
            let asks = replicas
                .iter()
                .cycle()
                .take(12)
                .enumerate()
                .map(|(i, store)| {
                    let holder = format!("replica-{i}");
                    async move { store.take_period("prune", &holder, 5_000, period).await }
                });
            let taken = futures::future::join_all(asks).await;
            let winners = taken.iter().filter(|t| *t.as_ref().unwrap()).count();
            assert_eq!(winners, 1, "{taken:?}");
            let store = &replicas[0];
            assert!(
                !store
                    .take_period("prune", "late", 5_999, period)
                    .await
                    .unwrap()
            );
            assert!(
                store
                    .take_period("prune", "next", 6_000, period)
                    .await
                    .unwrap()
            );
            assert!(
                store
                    .take_period("sync", "other task", 6_000, period)
                    .await
                    .unwrap(),
                "each task has its own periods"
            );
        })
        .await;
    }
}
