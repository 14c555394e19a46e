//! Waking idle workers on every replica when a job becomes pending.
//!
//! In one process the queue wakes its own workers after an enqueue; another replica's workers
//! would only notice at their next poll. On PostgreSQL the `jobs_notify` trigger (migration
//! 0007) sends `NOTIFY jobs` at commit, and each replica listens on one connection of its own.
//! Polling stays as the fallback: a notification lost while the listener reconnects costs at
//! most one poll interval.

use super::pool::Pool;
use super::{Context, Store, StoreError};
use sqlx::postgres::PgListener;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const CHANNEL: &str = "jobs";

impl Store {
    /// Calls `wake` for every job made pending by any replica, until `stop` is cancelled.
    /// Returns at once on SQLite, where only this process writes jobs.
    pub(crate) async fn relay_job_wakeups(&self, wake: impl Fn(), stop: CancellationToken) {
        let Pool::Postgres(pool) = self.pool() else {
            return;
        };
        while !stop.is_cancelled() {
            match listen(pool).await {
                Ok(mut listener) => {
                    // Jobs made pending while no one listened are found by this wake-up.
                    wake();
                    loop {
                        tokio::select! {
                            _ = stop.cancelled() => return,
                            received = listener.recv() => match received {
                                Ok(_) => wake(),
                                Err(e) => {
                                    tracing::warn!(error = %e, "job notifications interrupted; polling meanwhile");
                                    break;
                                }
                            }
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for job notifications; polling")
                }
            }
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }
}

async fn listen(pool: &sqlx::PgPool) -> Result<PgListener, StoreError> {
    let mut listener = PgListener::connect_with(pool)
        .await
        .during("listen connection")?;
    listener.listen(CHANNEL).await.during("LISTEN jobs")?;
    Ok(listener)
}
