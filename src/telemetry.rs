//! Logging setup: structured `tracing` events, filtered by `RUST_LOG` (default `info`), on
//! standard error and, with `LOG_DIR`, also as JSON in hourly files there (the support logs).
//!
//! What is logged is decided at the call sites, which never pass tokens, secrets or message
//! text; the tests capture everything at trace level and grep for the test secrets, in the
//! files too. Every line of one piece of work carries its `reference` (see
//! `ops::reference`), because the span it runs in does and JSON lines include their spans.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tracing::Subscriber;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;

/// Log files are `webex-scheduler.<YYYY-MM-DD-HH>.log` (UTC hour).
const FILE_PREFIX: &str = "webex-scheduler";
const FILE_SUFFIX: &str = "log";

/// Installs the global subscriber once; later calls (e.g. from several tests) are ignored.
pub fn init(json: bool) {
    let _ = install(json, None);
}

/// Installs the global subscriber: standard error (JSON or text) and, when `log_dir` is set,
/// hourly JSON files there. Fails if the folder cannot be used.
pub fn install(json: bool, log_dir: Option<&Path>) -> std::io::Result<()> {
    let subscriber = subscriber(json, log_dir)?;
    // A second install (tests) keeps the first; that is not an error worth stopping for.
    let _ = tracing::subscriber::set_global_default(subscriber);
    Ok(())
}

fn subscriber(
    json: bool,
    log_dir: Option<&Path>,
) -> std::io::Result<impl Subscriber + Send + Sync> {
    let stderr = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let stderr = if json {
        stderr.json().boxed()
    } else {
        stderr.compact().boxed()
    };
    let files = match log_dir {
        None => None,
        Some(dir) => Some(file_layer(dir)?.with_filter(level_filter())),
    };
    Ok(tracing_subscriber::registry()
        .with(stderr.with_filter(level_filter()))
        .with(files))
}

/// JSON lines, each with its span and the spans around it (so with the work's reference),
/// into a file per UTC hour.
fn file_layer<S>(dir: &Path) -> std::io::Result<impl Layer<S> + Send + Sync>
where
    S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::HOURLY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix(FILE_SUFFIX)
        .build(dir)
        .map_err(std::io::Error::other)?;
    Ok(tracing_subscriber::fmt::layer()
        .json()
        .with_current_span(true)
        .with_span_list(true)
        .with_ansi(false)
        .with_writer(appender))
}

fn level_filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

/// Deletes this bot's log files in `dir` last written more than `retention` before `now`;
/// returns how many. Other files in the folder are left alone.
pub fn prune_logs(dir: &Path, now: SystemTime, retention: Duration) -> std::io::Result<usize> {
    let oldest_kept = now.checked_sub(retention).unwrap_or(SystemTime::UNIX_EPOCH);
    let mut deleted = 0;
    for path in log_files(dir)? {
        let written = std::fs::metadata(&path).and_then(|m| m.modified());
        if written.is_ok_and(|at| at < oldest_kept) {
            std::fs::remove_file(&path)?;
            deleted += 1;
        }
    }
    Ok(deleted)
}

fn is_log_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with(&format!("{FILE_PREFIX}.")) && name.ends_with(&format!(".{FILE_SUFFIX}"))
}

/// The bot's log files in `dir`, oldest first (their names sort by hour).
pub fn log_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_log_file(p))
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;

    #[test]
    fn only_the_bots_files_older_than_the_retention_are_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        let hours = |h: u64| Duration::from_secs(h * 3600);
        let write = |name: &str, age: Duration| {
            let file = File::create(dir.path().join(name)).unwrap();
            file.set_modified(now - age).unwrap();
        };
        write("webex-scheduler.2026-01-01-00.log", hours(30));
        write("webex-scheduler.2026-01-01-07.log", hours(25));
        write("webex-scheduler.2026-01-02-06.log", hours(23));
        write("webex-scheduler.2026-01-02-07.log", hours(0));
        write("someone-else.log", hours(100));
        write("webex-scheduler.notes", hours(100));
        assert_eq!(prune_logs(dir.path(), now, hours(24)).unwrap(), 2);
        let left: Vec<String> = log_files(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            left,
            [
                "webex-scheduler.2026-01-02-06.log",
                "webex-scheduler.2026-01-02-07.log"
            ]
        );
        assert!(dir.path().join("someone-else.log").exists());
        assert!(dir.path().join("webex-scheduler.notes").exists());
    }
}
