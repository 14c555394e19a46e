//! The Webex request budget of every token, shared by all replicas (see `webex::budget`).

use super::pool::on_pool;
use super::{Context, Store};
use crate::webex::budget::{Admission, BudgetError, Pacing, SharedBudget};
use async_trait::async_trait;
use sqlx::Row;
use std::time::Duration;

/// GCRA in one statement: the token's schedule (`tat`) moves one period on from
/// `max(tat, now)` only if that is at most the tolerance ahead of now and no 429 pause is in
/// force; a row comes back only when the request was admitted. Concurrent replicas serialise
/// on the row, so each sees the others' admissions. `CASE` rather than `MAX`/`GREATEST`: both
/// engines read it.
const TAKE: &str =
    "INSERT INTO webex_budgets (token_key, tat, blocked_until) VALUES ($1, $2 + $3, 0)
     ON CONFLICT (token_key) DO UPDATE
         SET tat = (CASE WHEN webex_budgets.tat > $2 THEN webex_budgets.tat ELSE $2 END) + $3
         WHERE webex_budgets.blocked_until <= $2
           AND (CASE WHEN webex_budgets.tat > $2 THEN webex_budgets.tat ELSE $2 END) - $2 <= $4
     RETURNING tat";

const PAUSE: &str = "INSERT INTO webex_budgets (token_key, tat, blocked_until) VALUES ($1, 0, $2)
     ON CONFLICT (token_key) DO UPDATE SET blocked_until =
         CASE WHEN webex_budgets.blocked_until > $2 THEN webex_budgets.blocked_until ELSE $2 END";

fn failed(e: super::StoreError) -> BudgetError {
    BudgetError(e.to_string())
}

fn millis(ms: i64) -> Duration {
    Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

#[async_trait]
impl SharedBudget for Store {
    async fn take(
        &self,
        token_key: &str,
        pacing: Pacing,
        now_ms: i64,
    ) -> Result<Admission, BudgetError> {
        on_pool!(self.pool(), |pool| {
            let admitted = sqlx::query(TAKE)
                .bind(token_key)
                .bind(now_ms)
                .bind(pacing.period_ms)
                .bind(pacing.tolerance_ms)
                .fetch_optional(pool)
                .await
                .during("take from the Webex budget")
                .map_err(failed)?;
            if admitted.is_some() {
                return Ok(Admission::Go);
            }
            // Refused: read why, to know how long to wait (a hint; the next take decides).
            let row =
                sqlx::query("SELECT tat, blocked_until FROM webex_budgets WHERE token_key = $1")
                    .bind(token_key)
                    .fetch_one(pool)
                    .await
                    .during("read the Webex budget")
                    .map_err(failed)?;
            let (tat, blocked_until): (i64, i64) = (row.get("tat"), row.get("blocked_until"));
            if blocked_until > now_ms {
                return Ok(Admission::Paused(millis(blocked_until - now_ms)));
            }
            Ok(Admission::Wait(
                millis(tat.max(now_ms) - pacing.tolerance_ms - now_ms)
                    .max(Duration::from_millis(1)),
            ))
        })
    }

    async fn pause(&self, token_key: &str, until_ms: i64) -> Result<(), BudgetError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(PAUSE)
                .bind(token_key)
                .bind(until_ms)
                .execute(pool)
                .await
                .during("pause the Webex budget")
                .map_err(failed)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_engines::each_engine;
    use super::*;
    use std::num::NonZeroU32;

    /// The most admissions inside any closed 60 s window.
    fn busiest_minute(admitted: &[i64]) -> usize {
        let mut end = 0;
        let mut busiest = 0;
        for (start, first) in admitted.iter().enumerate() {
            while end < admitted.len() && admitted[end] <= first + 60_000 {
                end += 1;
            }
            busiest = busiest.max(end - start);
        }
        busiest
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn greedy_replicas_together_stay_within_the_budget_in_every_minute() {
        each_engine(async |url| {
            let mut replicas = Vec::new();
            for _ in 0..3 {
                replicas.push(Store::connect(&url).await.unwrap());
            }
            let pacing = Pacing::for_rate(NonZeroU32::new(100).unwrap());
            let mut admitted = Vec::new();
            let mut now = 1_000_000;
            // Three minutes of every replica asking twice at every instant anyone may send.
            while now < 1_000_000 + 180_000 {
                let asks = replicas
                    .iter()
                    .chain(replicas.iter())
                    .map(|r| r.take("token", pacing, now));
                let answers = futures::future::join_all(asks).await;
                let mut next = now + 60_000;
                for answer in answers {
                    match answer.unwrap() {
                        Admission::Go => admitted.push(now),
                        Admission::Wait(w) => next = next.min(now + w.as_millis() as i64),
                        Admission::Paused(_) => panic!("nothing paused it"),
                    }
                }
                now = next.max(now + 1);
            }
            let busiest = busiest_minute(&admitted);
            assert!(busiest <= 100, "{busiest} requests in one minute");
            assert!(
                admitted.len() >= 3 * 90,
                "the budget is used: {}",
                admitted.len()
            );
        })
        .await;
    }

    #[tokio::test]
    async fn a_429_on_one_replica_pauses_the_token_on_all_and_survives_a_restart() {
        each_engine(async |url| {
            let pacing = Pacing::for_rate(NonZeroU32::new(100).unwrap());
            let one = Store::connect(&url).await.unwrap();
            let other = Store::connect(&url).await.unwrap();
            assert_eq!(one.take("t", pacing, 10_000).await.unwrap(), Admission::Go);
            one.pause("t", 15_000).await.unwrap();
            one.pause("t", 12_000).await.unwrap();
            assert_eq!(
                other.take("t", pacing, 11_000).await.unwrap(),
                Admission::Paused(Duration::from_millis(4_000)),
                "a shorter pause never shortens a longer one"
            );
            assert_eq!(
                other.take("u", pacing, 11_000).await.unwrap(),
                Admission::Go
            );
            drop((one, other));
            let restarted = Store::connect(&url).await.unwrap();
            assert_eq!(
                restarted.take("t", pacing, 14_000).await.unwrap(),
                Admission::Paused(Duration::from_millis(1_000))
            );
            for _ in 0..4 {
                assert_eq!(
                    restarted.take("t", pacing, 15_000).await.unwrap(),
                    Admission::Go
                );
            }
            assert_eq!(
                restarted.take("t", pacing, 15_000).await.unwrap(),
                Admission::Wait(Duration::from_millis(625)),
                "the burst of 4 is spent; the next slot is a period away"
            );
        })
        .await;
    }
}
