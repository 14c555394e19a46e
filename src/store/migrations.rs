//! Schema migrations, embedded in the binary so a deployment is one file.
//!
//! Each migration runs once, in order, inside a transaction, and is recorded in
//! `schema_migrations`; the statements are written to be harmless if re-run.

use super::{Context, StoreError};
use sqlx::SqlitePool;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/0001_inbox_and_jobs.sql")),
    (
        2,
        include_str!("../../migrations/0002_people_and_tokens.sql"),
    ),
    (3, include_str!("../../migrations/0003_meetings.sql")),
    (4, include_str!("../../migrations/0004_invitations.sql")),
    (5, include_str!("../../migrations/0005_retention.sql")),
    (
        6,
        include_str!("../../migrations/0006_listings_follow_changes.sql"),
    ),
];

pub(super) async fn run(pool: &SqlitePool) -> Result<(), StoreError> {
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)")
        .execute(pool)
        .await
        .during("create schema_migrations")?;
    for (version, sql) in MIGRATIONS {
        let mut tx = pool.begin().await.during("begin migration")?;
        let done: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = ?")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await
                .during("read schema_migrations")?;
        if done.is_some() {
            continue;
        }
        sqlx::raw_sql(sql)
            .execute(&mut *tx)
            .await
            .during("apply migration")?;
        sqlx::query("INSERT INTO schema_migrations (version) VALUES (?)")
            .bind(version)
            .execute(&mut *tx)
            .await
            .during("record migration")?;
        tx.commit().await.during("commit migration")?;
    }
    Ok(())
}

/// How the database's recorded migrations compare with this build's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaState {
    Current,
    /// Migrations this build knows that the database has not recorded.
    Behind(Vec<i64>),
    /// Migrations the database records that this build does not know: a newer build migrated it,
    /// and this one may misread its rows.
    Ahead(Vec<i64>),
}

impl super::Store {
    /// Compares `schema_migrations` with the migrations built in (readiness: a replica whose
    /// schema does not match must not take traffic).
    pub(crate) async fn schema_state(&self) -> Result<SchemaState, StoreError> {
        let recorded: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
            .fetch_all(self.pool())
            .await
            .during("read schema_migrations")?;
        let known = || MIGRATIONS.iter().map(|(v, _)| *v);
        let mut ahead: Vec<i64> = recorded
            .iter()
            .copied()
            .filter(|v| !known().any(|k| k == *v))
            .collect();
        let behind: Vec<i64> = known().filter(|k| !recorded.contains(k)).collect();
        ahead.sort_unstable();
        Ok(match (behind.is_empty(), ahead.is_empty()) {
            (true, true) => SchemaState::Current,
            (false, _) => SchemaState::Behind(behind),
            (true, false) => SchemaState::Ahead(ahead),
        })
    }
}
