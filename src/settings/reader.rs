//! The reader behind [`Settings::from_vars`](super::Settings::from_vars): every lookup is
//! recorded (for `known_variables`) and every problem collected.

use super::{EncryptionKey, join};
use base64::Engine;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use url::Url;

/// Collects problems while reading variables, so that all of them are reported together.
pub(super) struct Reader<'a> {
    pub(super) vars: &'a HashMap<String, String>,
    pub(super) problems: Vec<String>,
    /// Every variable name looked up, so the documentation can be checked against the reader.
    pub(super) seen: RefCell<BTreeSet<String>>,
}

impl Reader<'_> {
    pub(super) fn problem(&mut self, p: String) {
        self.problems.push(p);
    }

    pub(super) fn optional(&self, key: &str) -> Option<String> {
        self.seen.borrow_mut().insert(key.to_string());
        self.vars
            .get(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    pub(super) fn secret(&mut self, key: &str) -> Option<SecretString> {
        let value = self.optional(key).map(SecretString::from);
        if value.is_none() {
            self.problem(format!("{key} is missing"));
        }
        value
    }

    pub(super) fn parsed<T: std::str::FromStr>(&mut self, key: &str, expected: &str) -> Option<T> {
        let raw = self.optional(key)?;
        let parsed = raw.parse().ok();
        if parsed.is_none() {
            self.problem(format!("{key} {raw:?} is not {expected}"));
        }
        parsed
    }

    pub(super) fn url(&mut self, key: &str, default: Option<&str>) -> Option<Url> {
        let raw = match (self.optional(key), default) {
            (Some(v), _) => v,
            (None, Some(d)) => d.to_string(),
            (None, None) => {
                self.problem(format!("{key} is missing"));
                return None;
            }
        };
        match Url::parse(&raw) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Some(u),
            _ => {
                self.problem(format!("{key} {raw:?} is not an http(s) URL"));
                None
            }
        }
    }

    pub(super) fn url_or(&mut self, key: &str, base: &Url, leaf: &str) -> Option<Url> {
        let default = join(base, leaf);
        self.url(key, Some(default.as_str()))
    }

    pub(super) fn webhook_secrets(&mut self) -> Vec<SecretString> {
        let Some(raw) = self.optional("WEBEX_WEBHOOK_SECRET") else {
            self.problem("WEBEX_WEBHOOK_SECRET is missing".into());
            return Vec::new();
        };
        let secrets: Vec<SecretString> = raw
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(SecretString::from)
            .collect();
        if secrets.iter().any(|s| s.expose_secret().len() < 16) {
            self.problem("WEBEX_WEBHOOK_SECRET: every secret needs at least 16 characters".into());
        }
        secrets
    }

    pub(super) fn encryption_keys(&mut self) -> Vec<EncryptionKey> {
        let mut keys = Vec::new();
        match self.optional("TOKEN_ENCRYPTION_KEY") {
            None => self.problem(
                "TOKEN_ENCRYPTION_KEY is missing (32 random bytes, base64: `openssl rand -base64 32`)"
                    .into(),
            ),
            Some(raw) => keys.extend(self.decode_key("TOKEN_ENCRYPTION_KEY", &raw)),
        }
        if let Some(list) = self.optional("TOKEN_ENCRYPTION_KEYS_PREVIOUS") {
            for raw in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                keys.extend(self.decode_key("TOKEN_ENCRYPTION_KEYS_PREVIOUS", raw));
            }
        }
        keys
    }

    pub(super) fn decode_key(&mut self, key: &str, raw: &str) -> Option<EncryptionKey> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(raw).ok();
        match bytes.as_deref().map(<[u8; 32]>::try_from) {
            Some(Ok(array)) => Some(SecretBox::new(Box::new(array))),
            Some(Err(_)) => {
                let len = bytes.map(|b| b.len()).unwrap_or(0);
                self.problem(format!("{key}: a key must be 32 bytes, this one is {len}"));
                None
            }
            None => {
                self.problem(format!("{key}: not valid base64"));
                None
            }
        }
    }
}
