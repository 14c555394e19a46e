//! The variables the bot reads, for documentation checks and `check-config`.
//!
//! The list is not written by hand: the settings reader records every name it looks up, so a
//! variable added to the reader is known here at once, and the README test (tests/image.rs)
//! fails until it is documented.

use super::Settings;
use std::collections::{BTreeSet, HashMap};

/// Variables read before the settings, by the logging setup (`telemetry`).
const READ_BY_LOGGING: &[&str] = &["LOG_FORMAT", "RUST_LOG"];

impl Settings {
    /// Every environment variable the bot reads, sorted.
    pub fn known_variables() -> BTreeSet<String> {
        let (_, mut seen) = Self::read(&HashMap::new());
        seen.extend(READ_BY_LOGGING.iter().map(|name| name.to_string()));
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_reports_what_it_looks_up_even_when_everything_is_missing() {
        let known = Settings::known_variables();
        for name in [
            "PUBLIC_URL",
            "WEBEX_BOT_TOKEN",
            "TOKEN_ENCRYPTION_KEYS_PREVIOUS",
            "WEBEX_TOKEN_URL",
            "LOG_DIR",
            "LOG_FORMAT",
        ] {
            assert!(known.contains(name), "{name} not in {known:?}");
        }
        assert!(!known.contains("HOME"), "{known:?}");
    }
}
