//! Throw-away PostgreSQL databases for tests: each test gets a database of its own, created
//! from an administrative URL and dropped when the test is done, so tests never see each
//! other's rows and may run in parallel.
//!
//! Names carry the creating process's id (`wst_<pid>_<n>`): a database left behind by a process
//! that was killed is dropped by the next process that creates one.

use super::{Context, StoreError};
use sqlx::{Connection, PgConnection};
use std::sync::atomic::{AtomicU64, Ordering};

/// `TEST_POSTGRES_URL` when it is set, else the local server's `postgres` database.
pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A database created for one test.
#[derive(Debug)]
pub struct ScratchDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    /// The administrative URL tests use: `TEST_POSTGRES_URL` or [`DEFAULT_ADMIN_URL`].
    pub fn admin_url() -> String {
        std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_string())
    }

    /// Creates an empty database next to `admin_url`'s (after dropping orphans).
    pub async fn create(admin_url: &str) -> Result<Self, StoreError> {
        let mut admin = PgConnection::connect(admin_url)
            .await
            .during("connect to PostgreSQL (TEST_POSTGRES_URL)")?;
        drop_orphans(&mut admin).await?;
        let name = format!(
            "wst_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            uuid::Uuid::new_v4().simple()
        );
        // The name is ours (digits, hex and underscores): safe to put in the statement.
        sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .during("create scratch database")?;
        let mut url = url::Url::parse(admin_url)
            .map_err(|e| StoreError::Config(format!("TEST_POSTGRES_URL: {e}")))?;
        url.set_path(&name);
        Ok(Self {
            admin_url: admin_url.to_string(),
            name,
            url: url.to_string(),
        })
    }

    /// [`Self::create`] for callers outside an async context (or inside one they must not
    /// await in, such as a synchronous test helper): runs on a thread of its own.
    pub fn create_blocking(admin_url: &str) -> Result<Self, StoreError> {
        let admin_url = admin_url.to_string();
        on_own_runtime(move || async move { Self::create(&admin_url).await })
    }

    /// The URL of this database, for `DATABASE_URL`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for ScratchDatabase {
    /// Drops the database, disconnecting whoever still uses it (the test's bot may still be
    /// stopping). Failures are only reported: the next run sweeps orphans anyway.
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let dropped = on_own_runtime(move || async move {
            let mut admin = PgConnection::connect(&admin_url)
                .await
                .during("connect to drop")?;
            drop_database(&mut admin, &name).await
        });
        if let Err(e) = dropped {
            eprintln!("could not drop scratch database {}: {e}", self.name);
        }
    }
}

/// Runs `work` to completion on a current-thread runtime in a new thread.
fn on_own_runtime<T: Send + 'static, F: std::future::Future<Output = Result<T, StoreError>>>(
    work: impl FnOnce() -> F + Send + 'static,
) -> Result<T, StoreError> {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Config(format!("runtime: {e}")))?
            .block_on(work())
    })
    .join()
    .unwrap_or_else(|_| {
        Err(StoreError::Config(
            "scratch database thread panicked".into(),
        ))
    })
}

async fn drop_database(admin: &mut PgConnection, name: &str) -> Result<(), StoreError> {
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(admin)
        .await
        .during("drop scratch database")?;
    Ok(())
}

/// Drops scratch databases whose creating process no longer runs.
async fn drop_orphans(admin: &mut PgConnection) -> Result<(), StoreError> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'wst\\_%'")
            .fetch_all(&mut *admin)
            .await
            .during("list scratch databases")?;
    for name in names {
        let pid = name.split('_').nth(1).and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            drop_database(admin, &name).await?;
        }
    }
    Ok(())
}
