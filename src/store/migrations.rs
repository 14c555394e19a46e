//! Schema migrations, embedded in the binary so a deployment is one file.
//!
//! Each migration runs once, in order, inside a transaction, and is recorded in
//! `schema_migrations`; the statements are written to be harmless if re-run. Every migration
//! exists twice, `migrations/NAME.sql` for SQLite and `migrations/postgres/NAME.sql` for
//! PostgreSQL, listed once below, so one engine cannot get a migration the other lacks (a
//! missing file does not compile; a file not listed fails `every_migration_file_is_listed_for_both_engines`).
//!
//! On PostgreSQL several replicas may start at once: the migrations run under an advisory lock,
//! so one replica migrates and the others wait, then find nothing left to do.

use super::pool::{Engine, Pool, on_pool};
use super::{Context, StoreError};

/// One migration: its version and its text for each engine.
struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

macro_rules! migrations {
    ($($version:literal => $name:literal),* $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../../migrations/", $name, ".sql")),
            postgres: include_str!(concat!("../../migrations/postgres/", $name, ".sql")),
        }),*]
    };
}

const MIGRATIONS: &[Migration] = migrations![
    1 => "0001_inbox_and_jobs",
    2 => "0002_people_and_tokens",
    3 => "0003_meetings",
    4 => "0004_invitations",
    5 => "0005_retention",
    6 => "0006_listings_follow_changes",
    7 => "0007_replicas",
    8 => "0008_webex_budget",
    9 => "0009_reminders",
];

/// The advisory lock key that serialises migrations across replicas ("wxs-migr" in ASCII).
const MIGRATION_LOCK: i64 = 0x7778_732d_6d69_6772;

macro_rules! migration_steps {
    ($conn:expr, $engine:expr) => {{
        let conn = $conn;
        sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")
            .execute(&mut *conn)
            .await
            .during("create schema_migrations")?;
        let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(&mut *conn)
            .await
            .during("read schema_migrations")?;
        refuse_newer(newest)?;
        for migration in MIGRATIONS {
            let mut tx = sqlx::Connection::begin(&mut *conn)
                .await
                .during("begin migration")?;
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(migration.version)
                    .fetch_optional(&mut *tx)
                    .await
                    .during("read schema_migrations")?;
            if done.is_some() {
                continue;
            }
            let sql = match $engine {
                Engine::Sqlite => migration.sqlite,
                Engine::Postgres => migration.postgres,
            };
            sqlx::raw_sql(sql)
                .execute(&mut *tx)
                .await
                .during("apply migration")?;
            sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
                .bind(migration.version)
                .execute(&mut *tx)
                .await
                .during("record migration")?;
            tx.commit().await.during("commit migration")?;
            tracing::info!(migration = migration.name, "migration applied");
        }
        Ok(())
    }};
}

pub(super) async fn run(pool: &Pool) -> Result<(), StoreError> {
    match pool {
        Pool::Sqlite(p) => {
            let mut conn = p.acquire().await.during("acquire for migrations")?;
            migration_steps!(&mut *conn, Engine::Sqlite)
        }
        Pool::Postgres(p) => {
            let mut conn = p.acquire().await.during("acquire for migrations")?;
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await
                .during("lock migrations")?;
            let applied: Result<(), StoreError> =
                async { migration_steps!(&mut *conn, Engine::Postgres) }.await;
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await
                .during("unlock migrations")?;
            applied
        }
    }
}

/// The newest migration this build knows.
pub(super) fn latest() -> i64 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}

fn refuse_newer(newest: Option<i64>) -> Result<(), StoreError> {
    match newest {
        Some(v) if v > latest() => Err(StoreError::Config(format!(
            "the database was migrated by a newer version of webex-scheduler (schema {v}, this \
             build knows up to {}); run the newer version or restore a backup",
            latest()
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(folder: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().into_string().unwrap();
                name.strip_suffix(".sql").map(str::to_string)
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_migration_file_is_listed_for_both_engines() {
        let listed: Vec<String> = MIGRATIONS.iter().map(|m| m.name.to_string()).collect();
        assert_eq!(names_in("migrations"), listed, "SQLite migrations");
        assert_eq!(
            names_in("migrations/postgres"),
            listed,
            "PostgreSQL migrations"
        );
        let versions: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
        let expected: Vec<i64> = (1..=MIGRATIONS.len() as i64).collect();
        assert_eq!(versions, expected, "versions follow the list");
    }

    #[tokio::test]
    async fn a_database_from_a_newer_build_is_refused_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/n.db", dir.path().display());
        let store = super::super::Store::connect(&url).await.unwrap();
        sqlx::query("INSERT INTO schema_migrations (version) VALUES (999)")
            .execute(store.sqlite_pool())
            .await
            .unwrap();
        drop(store);
        let refused = super::super::Store::connect(&url).await.unwrap_err();
        assert!(refused.to_string().contains("newer version"), "{refused}");
    }
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
        let recorded: Vec<i64> = on_pool!(self.pool(), |pool| {
            sqlx::query_scalar("SELECT version FROM schema_migrations")
                .fetch_all(pool)
                .await
                .during("read schema_migrations")
        })?;
        let known = || MIGRATIONS.iter().map(|m| m.version);
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
