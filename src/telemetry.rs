//! Logging setup: structured `tracing` events, filtered by `RUST_LOG` (default `info`).
//!
//! What is logged is decided at the call sites, which never pass tokens, secrets or message
//! text; the tests capture everything at trace level and grep for the test secrets.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls (e.g. from several tests) are ignored.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.compact().try_init()
    };
}
