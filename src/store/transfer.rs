//! `webex-scheduler migrate-data`: copies a deployment's state from one database to another,
//! typically from the SQLite file of one machine to the PostgreSQL database of several
//! replicas. The bot must be stopped on the source while it runs.
//!
//! Copied: linked accounts (sealed tokens, as they are: the same `TOKEN_ENCRYPTION_KEY` opens
//! them), people's preferences, the calendar state of meetings (UIDs, sequences, what each
//! version said), requests and their prompts, list numbering, the delivery inbox and replies
//! (so a redelivery is still recognised), sent mail ids, pending account links, and the job
//! queue with its ids. A job that was running when the source stopped is copied as pending:
//! its worker is gone. Not copied: the Webex budget and periodic task periods, which start
//! afresh. Rows the target already holds are kept (`ON CONFLICT DO NOTHING`), so a copy that
//! was interrupted can be run again.

use super::pool::on_pool;
use super::{Context, Store, StoreError};
use sqlx::Row;

/// A column and whether it holds an integer (every other column is text).
type Column = (&'static str, bool);

const INT: bool = true;
const TEXT: bool = false;

/// Every table worth copying, parents before children, with its columns.
const TABLES: &[(&str, &[Column])] = &[
    ("bot_state", &[("key", TEXT), ("value", TEXT)]),
    (
        "people",
        &[
            ("person_id", TEXT),
            ("timezone", TEXT),
            ("confirm", INT),
            ("needs_reconnect", INT),
            ("updated_at", INT),
            ("reminder_minutes", INT),
        ],
    ),
    ("timer_keys", &[("timer_key", TEXT), ("created_at", INT)]),
    (
        "tokens",
        &[
            ("person_id", TEXT),
            ("key_id", TEXT),
            ("access_token", TEXT),
            ("refresh_token", TEXT),
            ("access_expires_at", INT),
            ("scopes", TEXT),
            ("updated_at", INT),
        ],
    ),
    (
        "oauth_states",
        &[
            ("state_hash", TEXT),
            ("person_id", TEXT),
            ("room_id", TEXT),
            ("key_id", TEXT),
            ("verifier", TEXT),
            ("resume", TEXT),
            ("expires_at", INT),
            ("used_at", INT),
        ],
    ),
    (
        "inbox",
        &[
            ("dedup_key", TEXT),
            ("resource", TEXT),
            ("event", TEXT),
            ("data_id", TEXT),
            ("room_id", TEXT),
            ("actor_id", TEXT),
            ("received_at", INT),
        ],
    ),
    (
        "jobs",
        &[
            ("id", INT),
            ("kind", TEXT),
            ("payload", TEXT),
            ("queue_key", TEXT),
            ("status", TEXT),
            ("attempts", INT),
            ("run_at", INT),
            ("lease_until", INT),
            ("last_error", TEXT),
            ("park_key", TEXT),
            ("created_at", INT),
            ("updated_at", INT),
        ],
    ),
    (
        "replies",
        &[("dedup_key", TEXT), ("message_id", TEXT), ("sent_at", INT)],
    ),
    (
        "commands",
        &[
            ("command_id", TEXT),
            ("person_id", TEXT),
            ("room_id", TEXT),
            ("thread_id", TEXT),
            ("plan", TEXT),
            ("state", TEXT),
            ("attempted", INT),
            ("preview_message_id", TEXT),
            ("meeting_id", TEXT),
            ("meeting_number", TEXT),
            ("web_link", TEXT),
            ("created_at", INT),
            ("updated_at", INT),
        ],
    ),
    (
        "listings",
        &[
            ("room_id", TEXT),
            ("person_id", TEXT),
            ("position", INT),
            ("meeting_id", TEXT),
            ("series_id", TEXT),
            ("title", TEXT),
            ("list_range", TEXT),
            ("cancelled", INT),
        ],
    ),
    (
        "prompts",
        &[
            ("prompt_id", TEXT),
            ("person_id", TEXT),
            ("room_id", TEXT),
            ("payload", TEXT),
            ("answered_at", INT),
            ("created_at", INT),
        ],
    ),
    (
        "invitations",
        &[
            ("meeting_key", TEXT),
            ("uid", TEXT),
            ("sequence", INT),
            ("snapshot", TEXT),
            ("updated_at", INT),
        ],
    ),
    (
        "invitation_versions",
        &[("meeting_key", TEXT), ("sequence", INT), ("snapshot", TEXT)],
    ),
    (
        "invitation_events",
        &[("event_id", TEXT), ("meeting_key", TEXT), ("sequence", INT)],
    ),
    ("sent_mail", &[("message_id", TEXT), ("sent_at", INT)]),
];

/// One value of a copied row, in the type its column holds on both engines.
#[derive(Debug, Clone)]
enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

/// How many rows each table gave and how many the target did not have yet.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Copied(pub Vec<(&'static str, u64, u64)>);

impl Store {
    /// Copies every table of `self` into `target` (see the module comment).
    pub async fn copy_into(&self, target: &Store) -> Result<Copied, StoreError> {
        let mut copied = Copied::default();
        for (table, columns) in TABLES {
            let rows = self.read_table(table, columns).await?;
            let added = target.write_table(table, columns, &rows).await?;
            copied.0.push((table, rows.len() as u64, added));
        }
        target.after_copy().await?;
        Ok(copied)
    }

    async fn read_table(
        &self,
        table: &str,
        columns: &[Column],
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        // Table and column names are the constants above, never input.
        let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
        let sql = format!("SELECT {} FROM {table}", names.join(", "));
        on_pool!(self.pool(), |pool| {
            let rows = sqlx::query(&sql)
                .fetch_all(pool)
                .await
                .during("read for copy")?;
            Ok(rows
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .map(|(name, int)| match int {
                            true => Value::Int(row.get(*name)),
                            false => Value::Text(row.get(*name)),
                        })
                        .collect()
                })
                .collect())
        })
    }

    async fn write_table(
        &self,
        table: &str,
        columns: &[Column],
        rows: &[Vec<Value>],
    ) -> Result<u64, StoreError> {
        let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT DO NOTHING",
            names.join(", "),
            placeholders.join(", ")
        );
        on_pool!(self.pool(), |pool| {
            let mut tx = pool.begin().await.during("begin copy")?;
            let mut added = 0;
            for row in rows {
                let mut query = sqlx::query(&sql);
                for value in row {
                    query = match value.clone() {
                        Value::Int(v) => query.bind(v),
                        Value::Text(v) => query.bind(v),
                    };
                }
                added += query
                    .execute(&mut *tx)
                    .await
                    .during("write copy")?
                    .rows_affected();
            }
            tx.commit().await.during("commit copy")?;
            Ok(added)
        })
    }

    /// Jobs whose worker is gone become pending; new job ids continue after the copied ones.
    async fn after_copy(&self) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
                "UPDATE jobs SET status = 'pending', lease_until = NULL WHERE status = 'running'",
            )
            .execute(pool)
            .await
            .during("release copied leases")?;
            Ok::<(), StoreError>(())
        })?;
        if let super::pool::Pool::Postgres(pool) = self.pool() {
            sqlx::query(
                "SELECT setval(pg_get_serial_sequence('jobs', 'id'),
                               (SELECT COALESCE(MAX(id), 0) + 1 FROM jobs), false)",
            )
            .execute(pool)
            .await
            .during("continue job ids")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_engines::each_engine;
    use super::super::{InvitationRow, NewJob, TokenRow};
    use super::*;

    /// A SQLite store with a bit of everything the migration must carry.
    async fn filled(dir: &std::path::Path) -> Store {
        let s = Store::connect(&format!("sqlite://{}/from.db", dir.display()))
            .await
            .unwrap();
        let tokens = TokenRow {
            person_id: "P1".into(),
            key_id: "k1".into(),
            access_token: "sealed-access".into(),
            refresh_token: Some("sealed-refresh".into()),
            access_expires_at_ms: 99,
            scopes: "meeting:schedules_write".into(),
        };
        s.save_tokens(&tokens, 1).await.unwrap();
        s.set_timezone("P1", "Europe/Berlin", 2).await.unwrap();
        s.set_confirm("P1", false, 3).await.unwrap();
        let invitation = InvitationRow {
            meeting_key: "M1".into(),
            uid: "uid-1@example.com".into(),
            sequence: 2,
            snapshot: "state".into(),
        };
        let mail = NewJob::new("send_mail", "mail:M1", serde_json::json!({"to": "bob"}));
        s.record_invitation("updated:1", &invitation, "v2", &[mail], 4)
            .await
            .unwrap();
        s.enqueue(&NewJob::new("webhook", "R1", serde_json::json!(1)), 5)
            .await
            .unwrap();
        s.enqueue(&NewJob::new("webhook", "R2", serde_json::json!(2)), 5)
            .await
            .unwrap();
        s.claim_job(6, 60_000).await.unwrap().unwrap();
        s
    }

    #[tokio::test]
    async fn accounts_preferences_invitations_and_pending_jobs_arrive_and_a_rerun_adds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let source = filled(dir.path()).await;
        each_engine(async |url| {
            let target = Store::connect(&url).await.unwrap();
            let copied = source.copy_into(&target).await.unwrap();
            let jobs = copied.0.iter().find(|(t, _, _)| *t == "jobs").unwrap();
            assert_eq!((jobs.1, jobs.2), (3, 3), "{copied:?}");

            let tokens = target.load_tokens("P1").await.unwrap().unwrap();
            assert_eq!(tokens, source.load_tokens("P1").await.unwrap().unwrap());
            let prefs = target.person_prefs("P1").await.unwrap();
            assert_eq!(
                (prefs.timezone.as_deref(), prefs.confirm),
                (Some("Europe/Berlin"), false)
            );
            let invitation = target.invitation("M1").await.unwrap().unwrap();
            assert_eq!(
                (invitation.uid.as_str(), invitation.sequence),
                ("uid-1@example.com", 2)
            );
            assert_eq!(
                target.invitation_version("M1", 2).await.unwrap().as_deref(),
                Some("v2")
            );
            let counts = target.job_counts().await.unwrap();
            assert_eq!(
                (counts.pending, counts.running),
                (3, 0),
                "the running job is pending"
            );
            let first = target.claim_job(10, 20).await.unwrap().unwrap();
            assert_eq!(first.kind, "send_mail");
            let next_id = target
                .enqueue(&NewJob::new("webhook", "R3", serde_json::json!(3)), 7)
                .await
                .unwrap();
            assert_eq!(next_id, 4, "new ids follow the copied ones");

            let again = source.copy_into(&target).await.unwrap();
            assert_eq!(again.0.iter().map(|(_, _, added)| added).sum::<u64>(), 0);
        })
        .await;
    }
}
