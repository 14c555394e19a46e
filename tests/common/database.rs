//! The database each test's bot uses: a SQLite file in the test's folder by default, or, with
//! `TEST_DATABASE=postgres`, a scratch PostgreSQL database created for the test and dropped
//! when its `TestApp` is (the server is `TEST_POSTGRES_URL`, by default
//! `postgres://postgres@127.0.0.1:5432/postgres`). `scripts/test` runs the suite both ways.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use webex_scheduler::store::scratch::ScratchDatabase;

/// Scratch databases by the folder of the test that uses them.
static SCRATCH: LazyLock<Mutex<HashMap<PathBuf, ScratchDatabase>>> = LazyLock::new(Mutex::default);

/// Whether this run's tests use PostgreSQL (`TEST_DATABASE=postgres`).
pub fn on_postgres() -> bool {
    std::env::var("TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// The `DATABASE_URL` of the test whose files live in `db_dir`; the same folder always gets
/// the same database, so a bot restarted on it finds its rows.
pub fn database_url(db_dir: &Path) -> String {
    if !on_postgres() {
        return format!("sqlite://{}/bot.db", db_dir.display());
    }
    let mut scratch = SCRATCH.lock().unwrap_or_else(|p| p.into_inner());
    scratch
        .entry(db_dir.to_path_buf())
        .or_insert_with(|| {
            let admin = ScratchDatabase::admin_url();
            ScratchDatabase::create_blocking(&admin).unwrap_or_else(|e| {
                panic!("TEST_DATABASE=postgres needs a PostgreSQL server at {admin}: {e}")
            })
        })
        .url()
        .to_string()
}

/// Drops the scratch database of `db_dir`, if it has one.
pub fn release(db_dir: &Path) {
    let taken = SCRATCH
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(db_dir);
    drop(taken);
}

/// Whether `needle` appears in any row of any table of the PostgreSQL database at `url`.
pub fn postgres_holds(url: &str, needle: &str) -> bool {
    let (url, needle) = (url.to_string(), needle.to_string());
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'",
                )
                .fetch_all(&mut conn)
                .await
                .unwrap();
                for table in tables {
                    // Each row as text: every column of every type, as the server prints it.
                    let sql =
                        format!("SELECT COUNT(*) FROM \"{table}\" t WHERE strpos(t::text, $1) > 0");
                    let hits: i64 = sqlx::query_scalar(&sql)
                        .bind(&needle)
                        .fetch_one(&mut conn)
                        .await
                        .unwrap();
                    if hits > 0 {
                        return true;
                    }
                }
                false
            })
    })
    .join()
    .unwrap()
}

/// Runs `sql` on the database at `url`, whichever engine, and returns every row with each
/// column as text (`NULL` for null): for tests that change or read the bot's rows directly, as
/// an operator restoring a backup or a newer replica migrating it would.
pub async fn sql_rows(url: &str, sql: &str) -> Vec<Vec<String>> {
    use sqlx::Connection;
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        let rows = sqlx::query(sql).fetch_all(&mut conn).await.unwrap();
        rows.iter().map(columns_as_text).collect()
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        let rows = sqlx::query(sql).fetch_all(&mut conn).await.unwrap();
        rows.iter().map(columns_as_text).collect()
    }
}

/// A row's columns as text, for the column types the bot's tables use (text and integers).
fn columns_as_text<R: sqlx::Row>(row: &R) -> Vec<String>
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i32>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    (0..row.len())
        .map(|i| {
            let text = row.try_get::<Option<String>, _>(i).ok();
            let big = || {
                row.try_get::<Option<i64>, _>(i)
                    .ok()
                    .map(|v| v.map(|n| n.to_string()))
            };
            let small = || {
                row.try_get::<Option<i32>, _>(i)
                    .ok()
                    .map(|v| v.map(|n| n.to_string()))
            };
            text.or_else(big)
                .or_else(small)
                .flatten()
                .unwrap_or_else(|| "NULL".into())
        })
        .collect()
}
