//! Runs a store test on each engine: SQLite in a temporary folder, then PostgreSQL in a scratch
//! database. Without PostgreSQL the second run is skipped with a message, except in CI
//! (`CI=true`), where it fails: CI must prove both engines.

use super::scratch::ScratchDatabase;

/// Calls `test` with a `DATABASE_URL` of each engine; open as many stores on it as needed.
pub(crate) async fn each_engine(test: impl AsyncFn(String)) {
    let dir = tempfile::tempdir().expect("temp dir");
    test(format!("sqlite://{}/t.db", dir.path().display())).await;
    if let Some(scratch) = postgres_or_skip().await {
        test(scratch.url().to_string()).await;
    }
}

/// A scratch PostgreSQL database, or `None` (with a message) when none can be made locally.
pub(crate) async fn postgres_or_skip() -> Option<ScratchDatabase> {
    let admin = ScratchDatabase::admin_url();
    match ScratchDatabase::create(&admin).await {
        Ok(scratch) => Some(scratch),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("PostgreSQL is required in CI ({admin}): {e}")
        }
        Err(e) => {
            eprintln!("skipping the PostgreSQL half of this test: {e} (set TEST_POSTGRES_URL)");
            None
        }
    }
}
