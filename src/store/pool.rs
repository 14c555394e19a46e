//! The two database engines behind one store.
//!
//! SQLite is the embedded default for one machine; PostgreSQL is for several replicas sharing
//! one queue and one Webex budget. Every statement of the store is written once, in the SQL
//! both engines accept (`$1`-style placeholders, which SQLite also reads, `ON CONFLICT`,
//! `RETURNING`), and [`on_pool!`] runs that same text on whichever pool the store holds. Each
//! arm is type-checked against its own driver, so there is no `Any` driver erasing types: a
//! column read as `i64` is an `INTEGER` in SQLite and a `BIGINT` in PostgreSQL.

use super::{Context, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Which engine a store talks to.
#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The engine a `DATABASE_URL` names, or why it names none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// `sqlite:` and `postgres:`/`postgresql:` are the schemes the bot can use.
    pub fn of_url(url: &str) -> Result<Self, String> {
        let scheme = url.split(':').next().unwrap_or("");
        match scheme {
            "sqlite" => Ok(Self::Sqlite),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            _ => Err(format!(
                "DATABASE_URL: the scheme must be sqlite: or postgres: (got {scheme:?})"
            )),
        }
    }
}

/// `url` with its password, if any, replaced by `***`: for output meant to be read by people.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_string(),
        Err(_) => "(unreadable URL)".to_string(),
    }
}

/// Runs `$body` with `$p` bound to the store's pool, whichever engine it is.
///
/// The body is expanded once per engine, so it is compiled against each driver's types.
macro_rules! on_pool {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            $crate::store::pool::Pool::Sqlite($p) => $body,
            $crate::store::pool::Pool::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

impl Pool {
    pub(crate) async fn connect(url: &str) -> Result<Self, StoreError> {
        match Engine::of_url(url).map_err(StoreError::Config)? {
            Engine::Sqlite => connect_sqlite(url).await.map(Self::Sqlite),
            Engine::Postgres => connect_postgres(url).await.map(Self::Postgres),
        }
    }

    pub(crate) fn engine(&self) -> Engine {
        match self {
            Self::Sqlite(_) => Engine::Sqlite,
            Self::Postgres(_) => Engine::Postgres,
        }
    }

    /// The column that names a physical row, for batched deletes (`LIMIT` in a subquery).
    pub(crate) fn row_id(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "rowid",
            Self::Postgres(_) => "ctid",
        }
    }
}

async fn connect_sqlite(url: &str) -> Result<SqlitePool, StoreError> {
    ensure_parent_dir(url)?;
    let options = SqliteConnectOptions::from_str(url)
        .during("parse DATABASE_URL")?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .during("connect")
}

/// PostgreSQL: a bounded wait for a connection, so an unreachable server is refused at startup
/// with a clear message instead of hanging.
async fn connect_postgres(url: &str) -> Result<PgPool, StoreError> {
    let options = PgConnectOptions::from_str(url).during("parse DATABASE_URL")?;
    PgPoolOptions::new()
        .max_connections(10)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .during("connect to PostgreSQL")
}

/// SQLite will not create the folder of a new database file; a fresh checkout has no `data/`.
fn ensure_parent_dir(url: &str) -> Result<(), StoreError> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or("");
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::Path(e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_picks_the_engine_and_anything_else_is_refused() {
        assert_eq!(Engine::of_url("sqlite://data/x.db"), Ok(Engine::Sqlite));
        assert_eq!(Engine::of_url("postgres://u@h/db"), Ok(Engine::Postgres));
        assert_eq!(Engine::of_url("postgresql://u@h/db"), Ok(Engine::Postgres));
        let refused = Engine::of_url("mysql://u@h/db").unwrap_err();
        assert!(refused.contains("\"mysql\""), "{refused}");
    }

    #[test]
    fn a_password_in_a_url_is_never_shown() {
        assert_eq!(
            redacted("postgres://bot:hunter2@db:5432/scheduler"),
            "postgres://bot:***@db:5432/scheduler"
        );
        assert_eq!(redacted("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[tokio::test]
    async fn an_unreachable_postgres_is_refused_at_startup_with_what_failed() {
        let started = std::time::Instant::now();
        let refused = super::super::Store::connect("postgres://bot:hunter2@127.0.0.1:1/none")
            .await
            .unwrap_err()
            .to_string();
        assert!(refused.contains("connect to PostgreSQL"), "{refused}");
        assert!(!refused.contains("hunter2"), "{refused}");
        assert!(started.elapsed() < Duration::from_secs(15), "bounded wait");
    }
}
