//! SQL for reminders: a person's lead time and the once-only keys of planned timers.

use super::jobs::insert_job;
use super::pool::on_pool;
use super::{Context, NewJob, Store, StoreError};
use sqlx::Row;

impl Store {
    /// The person's reminder lead in minutes (0 = off), or `None` if they never chose one.
    pub(crate) async fn reminder_minutes(
        &self,
        person_id: &str,
    ) -> Result<Option<i64>, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query("SELECT reminder_minutes FROM people WHERE person_id = $1")
                .bind(person_id)
                .fetch_optional(pool)
                .await
                .during("read reminder minutes")?;
            Ok(row.and_then(|r| r.get::<Option<i64>, _>("reminder_minutes")))
        })
    }

    pub(crate) async fn set_reminder_minutes(
        &self,
        person_id: &str,
        minutes: i64,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
                "INSERT INTO people (person_id, updated_at, reminder_minutes) VALUES ($1, $2, $3)
                 ON CONFLICT (person_id) DO UPDATE
                 SET reminder_minutes = excluded.reminder_minutes, updated_at = excluded.updated_at",
            )
            .bind(person_id)
            .bind(now_ms)
            .bind(minutes)
            .execute(pool)
            .await
            .during("set reminder minutes")?;
            Ok(())
        })
    }

    /// Enqueues `job` unless a timer with `key` was ever planned; the key and the job are
    /// written in one transaction, so there is never a key without its job or a second job.
    /// Returns whether this call planned it.
    pub(crate) async fn enqueue_timer_once(
        &self,
        key: &str,
        job: &NewJob,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        on_pool!(self.pool(), |pool| {
            let mut tx = pool.begin().await.during("begin timer")?;
            let claimed = sqlx::query(
                "INSERT INTO timer_keys (timer_key, created_at) VALUES ($1, $2)
                 ON CONFLICT (timer_key) DO NOTHING",
            )
            .bind(key)
            .bind(now_ms)
            .execute(&mut *tx)
            .await
            .during("claim timer key")?
            .rows_affected()
                == 1;
            if claimed {
                insert_job!(&mut *tx, job, now_ms)?;
            }
            tx.commit().await.during("commit timer")?;
            Ok(claimed)
        })
    }

    /// The request a Webex meeting (series) was created for, if it was created by the bot.
    pub(crate) async fn command_for_meeting(
        &self,
        meeting_id: &str,
    ) -> Result<Option<String>, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query("SELECT command_id FROM commands WHERE meeting_id = $1")
                .bind(meeting_id)
                .fetch_optional(pool)
                .await
                .during("read command by meeting")?;
            Ok(row.map(|r| r.get("command_id")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_engines::each_engine;
    use super::*;

    /// Planning the same occurrence twice (a retried creation, a plan job run again) leaves
    /// one job; a second key is a second job. Timers are counted apart from pending work.
    #[tokio::test]
    async fn a_timer_is_enqueued_once_per_key_on_both_engines() {
        each_engine(async |url: String| {
            let s = Store::connect(&url).await.unwrap();
            let mut job = NewJob::new("reminder", "reminder:c1:1000", serde_json::json!({}));
            job.run_at_ms = Some(5_000);
            assert!(
                s.enqueue_timer_once("reminder:c1:1000", &job, 1)
                    .await
                    .unwrap()
            );
            assert!(
                !s.enqueue_timer_once("reminder:c1:1000", &job, 2)
                    .await
                    .unwrap()
            );
            let counts = s.job_counts().await.unwrap();
            assert_eq!((counts.timers, counts.pending), (1, 0), "{counts:?}");
            assert!(
                s.enqueue_timer_once("reminder:c1:2000", &job, 3)
                    .await
                    .unwrap()
            );
            assert_eq!(s.job_counts().await.unwrap().timers, 2);
            // Not due before its time.
            assert!(s.claim_job(4_999, 10_000).await.unwrap().is_none());
            assert!(s.claim_job(5_000, 10_000).await.unwrap().is_some());

            assert_eq!(s.reminder_minutes("P").await.unwrap(), None);
            s.set_reminder_minutes("P", 15, 1).await.unwrap();
            s.set_reminder_minutes("P", 0, 2).await.unwrap();
            assert_eq!(s.reminder_minutes("P").await.unwrap(), Some(0));
        })
        .await;
    }
}
