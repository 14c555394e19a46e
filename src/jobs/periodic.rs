//! Periodic work (webhook sync, retention pruning) done by one replica per period.

use super::Queue;
use std::sync::OnceLock;
use std::time::Duration;

impl Queue {
    /// Whether this replica runs `task` this period (see `Store::take_period`). A database
    /// error answers yes: doing periodic work twice is harmless, never doing it is not.
    pub(crate) async fn take_period(&self, task: &str, period: Duration) -> bool {
        let period_ms = i64::try_from(period.as_millis()).unwrap_or(i64::MAX);
        let taken = self
            .store()
            .take_period(task, replica_id(), self.now_ms(), period_ms)
            .await;
        match taken {
            Ok(true) => true,
            Ok(false) => {
                tracing::debug!(task, "another replica has this period");
                false
            }
            Err(e) => {
                tracing::warn!(error = %e, task, "could not take the period; running anyway");
                true
            }
        }
    }
}

/// This process's name among replicas (in `periodic_runs.holder`, for operators).
fn replica_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        format!(
            "pid-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        )
    })
}
