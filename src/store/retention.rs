//! Retention: finished work is deleted once it is older than `DATA_RETENTION_DAYS`, so the
//! database of a bot serving thousands of people stays the size of its recent work, and what
//! it learnt about people's meetings (invitee addresses, titles) does not stay forever.
//!
//! Only rows nothing will read again go: acknowledged deliveries (the bot ignores a delivery
//! that arrives more than a day after its message, so an old inbox row no longer guards
//! against anything), finished or dead jobs, the replies those jobs recorded, requests that
//! were created, refused, dismissed or never confirmed, answered or abandoned prompts, sent
//! mail ids and expired OAuth states. Pending, running and parked jobs, requests being created,
//! linked accounts, preferences and the calendar state of meetings are kept.
//!
//! Each table is cleared in batches of [`BATCH`] rows, each its own short transaction, so a
//! large backlog never holds SQLite's write lock for long.

use super::pool::on_pool;
use super::{Context, Store, StoreError};

/// Rows deleted per statement.
const BATCH: i64 = 2000;

/// OAuth states are worthless once expired; a day of grace keeps them for diagnosis.
const OAUTH_STATE_GRACE_MS: i64 = 24 * 60 * 60 * 1000;

/// How many rows each table lost, by table name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Pruned(pub Vec<(&'static str, u64)>);

impl Pruned {
    pub(crate) fn total(&self) -> u64 {
        self.0.iter().map(|(_, n)| n).sum()
    }
}

/// Each table's rows that may go, as `(table, condition)`; `$1` is the cut-off in ms.
const RULES: [(&str, &str); 7] = [
    ("inbox", "received_at < $1"),
    ("jobs", "status IN ('done', 'dead') AND updated_at < $1"),
    ("replies", "sent_at < $1"),
    (
        "commands",
        "state IN ('previewed', 'created', 'failed', 'dismissed') AND updated_at < $1",
    ),
    ("prompts", "created_at < $1"),
    ("oauth_states", "expires_at < $1"),
    ("sent_mail", "sent_at < $1"),
];

impl Store {
    /// Deletes what is older than `retention_ms` before `now_ms` (see the module comment).
    pub(crate) async fn prune(&self, now_ms: i64, retention_ms: i64) -> Result<Pruned, StoreError> {
        let cutoff = now_ms - retention_ms;
        let mut pruned = Pruned::default();
        for (table, condition) in RULES {
            let cutoff = match table {
                "oauth_states" => now_ms - OAUTH_STATE_GRACE_MS,
                _ => cutoff,
            };
            let deleted = self.delete_in_batches(table, condition, cutoff).await?;
            pruned.0.push((table, deleted));
        }
        Ok(pruned)
    }

    async fn delete_in_batches(
        &self,
        table: &str,
        condition: &str,
        cutoff: i64,
    ) -> Result<u64, StoreError> {
        // Table and condition come from RULES above, never from input.
        let row_id = self.pool().row_id();
        let sql = format!(
            "DELETE FROM {table} WHERE {row_id} IN (SELECT {row_id} FROM {table} WHERE {condition} LIMIT $2)"
        );
        let mut total = 0;
        loop {
            let deleted = on_pool!(self.pool(), |pool| sqlx::query(&sql)
                .bind(cutoff)
                .bind(BATCH)
                .execute(pool)
                .await
                .during("prune")?
                .rows_affected());
            total += deleted;
            if deleted < BATCH as u64 {
                return Ok(total);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 60 * 60 * 1000;
    const NOW: i64 = 100 * DAY;

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/r.db", dir.path().display()))
            .await
            .unwrap();
        (dir, store)
    }

    async fn exec(store: &Store, sql: &str) {
        sqlx::query(sql).execute(store.sqlite_pool()).await.unwrap();
    }

    async fn ids(store: &Store, sql: &str) -> Vec<String> {
        sqlx::query_scalar(sql)
            .fetch_all(store.sqlite_pool())
            .await
            .unwrap()
    }

    /// One row per table and age: `old` is 40 days old, `new` 1 day.
    async fn fill(store: &Store) {
        for (name, at) in [("old", NOW - 40 * DAY), ("new", NOW - DAY)] {
            exec(store, &format!("INSERT INTO inbox (dedup_key, resource, event, data_id, received_at) VALUES ('{name}', 'messages', 'created', 'm', {at})")).await;
            exec(store, &format!("INSERT INTO replies (dedup_key, message_id, sent_at) VALUES ('{name}', 'm', {at})")).await;
            exec(store, &format!("INSERT INTO prompts (prompt_id, person_id, room_id, payload, created_at) VALUES ('{name}', 'p', 'r', '{{}}', {at})")).await;
            exec(
                store,
                &format!("INSERT INTO sent_mail (message_id, sent_at) VALUES ('{name}', {at})"),
            )
            .await;
            exec(store, &format!("INSERT INTO oauth_states (state_hash, person_id, key_id, verifier, expires_at) VALUES ('{name}', 'p', 'k', 'v', {at})")).await;
            for status in ["done", "dead", "pending", "running", "parked"] {
                exec(store, &format!("INSERT INTO jobs (kind, payload, queue_key, status, run_at, created_at, updated_at) VALUES ('{name}-{status}', '{{}}', 'q-{name}', '{status}', {at}, {at}, {at})")).await;
            }
            for state in ["previewed", "confirmed", "created", "failed", "dismissed"] {
                exec(store, &format!("INSERT INTO commands (command_id, person_id, room_id, plan, state, created_at, updated_at) VALUES ('{name}-{state}', 'p', 'r', '{{}}', '{state}', {at}, {at})")).await;
            }
        }
    }

    #[tokio::test]
    async fn finished_rows_older_than_the_retention_go_and_everything_else_stays() {
        let (_dir, store) = store().await;
        fill(&store).await;
        exec(&store, &format!("INSERT INTO oauth_states (state_hash, person_id, key_id, verifier, expires_at) VALUES ('expired', 'p', 'k', 'v', {})", NOW - 3 * DAY)).await;
        let pruned = store.prune(NOW, 30 * DAY).await.unwrap();
        assert_eq!(
            pruned,
            Pruned(vec![
                ("inbox", 1),
                ("jobs", 2),
                ("replies", 1),
                ("commands", 4),
                ("prompts", 1),
                ("oauth_states", 2),
                ("sent_mail", 1),
            ])
        );
        for table in ["inbox", "replies", "sent_mail"] {
            let key = if table == "sent_mail" {
                "message_id"
            } else {
                "dedup_key"
            };
            assert_eq!(
                ids(&store, &format!("SELECT {key} FROM {table}")).await,
                ["new"]
            );
        }
        assert_eq!(ids(&store, "SELECT prompt_id FROM prompts").await, ["new"]);
        // OAuth states go a day after they expire, however recent: expiry, not retention, decides.
        assert_eq!(
            ids(&store, "SELECT state_hash FROM oauth_states").await,
            ["new"]
        );
        let mut jobs = ids(&store, "SELECT kind FROM jobs").await;
        jobs.sort();
        assert_eq!(
            jobs,
            [
                "new-dead",
                "new-done",
                "new-parked",
                "new-pending",
                "new-running",
                "old-parked",
                "old-pending",
                "old-running"
            ]
        );
        let commands = ids(
            &store,
            "SELECT command_id FROM commands WHERE command_id LIKE 'old-%'",
        )
        .await;
        assert_eq!(
            commands,
            ["old-confirmed"],
            "a request being created is kept"
        );

        // Nothing more to do the second time.
        assert_eq!(store.prune(NOW, 30 * DAY).await.unwrap().total(), 0);
    }

    #[tokio::test]
    async fn a_backlog_larger_than_a_batch_is_cleared_in_one_call() {
        let (_dir, store) = store().await;
        let rows = BATCH * 2 + 7;
        exec(
            &store,
            &format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
                 INSERT INTO sent_mail (message_id, sent_at) SELECT 'm' || i, 0 FROM n"
            ),
        )
        .await;
        let pruned = store.prune(NOW, 30 * DAY).await.unwrap();
        assert_eq!(pruned.total(), rows as u64);
        assert!(
            ids(&store, "SELECT message_id FROM sent_mail")
                .await
                .is_empty()
        );
    }
}
