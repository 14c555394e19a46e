//! Typed settings, loaded once at startup from the environment.
//!
//! Every problem is collected before anything starts, so `check-config` (and a failed `serve`)
//! can report all of them at once instead of one per restart. Secrets are held in
//! [`SecretString`] so that neither `Debug` nor an error message can print them.

use chrono_tz::Tz;
use secrecy::{SecretBox, SecretString};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::path::PathBuf;
use url::Url;

mod emulator;
mod known;
mod reader;
pub use emulator::{EMULATOR_CLIENT_ID, EmulatorSettings};
use reader::Reader;

/// A 256-bit key for AES-256-GCM, never printed.
pub(crate) type EncryptionKey = SecretBox<[u8; 32]>;

#[derive(Debug)]
pub struct Settings {
    /// `LISTEN_ADDR`: where the HTTP server binds.
    pub listen_addr: SocketAddr,
    /// `METRICS_ADDR`: where `/metrics` is served, apart from the public listener; off unless set.
    pub metrics_addr: Option<SocketAddr>,
    /// `PUBLIC_URL`: how Webex and browsers reach us; base of the webhook and OAuth redirect URLs.
    pub public_url: Url,
    pub webex: WebexSettings,
    pub oauth: OAuthSettings,
    /// `DATABASE_URL`: `sqlite://path` (default `sqlite://data/webex-scheduler.db`) or
    /// `postgres://user@host/db` (several replicas share one PostgreSQL database).
    pub database_url: String,
    /// `TOKEN_ENCRYPTION_KEY` then `TOKEN_ENCRYPTION_KEYS_PREVIOUS` (comma-separated, newest first).
    pub encryption_keys: Vec<EncryptionKey>,
    pub mail: MailSettings,
    /// `DEFAULT_TIMEZONE`: the zone used when neither the person nor their profile names one.
    pub default_timezone: Tz,
    /// `LOG_DIR`: when set, JSON logs also go to hourly files there (the support logs).
    pub log_dir: Option<PathBuf>,
    /// `LOG_RETENTION_HOURS` (default 24, at least 1): log files older than this are deleted.
    pub log_retention: std::time::Duration,
    pub limits: Limits,
    /// `ADMIN_EMAILS`, `ALLOWED_EMAIL_DOMAINS`, `ALLOWED_SPACES`: who administers the bot, and
    /// who may use it where.
    pub access: crate::ops::access::Access,
    /// `WEBHOOKS_SYNC_ON_START` (default true): reconcile webhooks at startup and periodically.
    pub sync_webhooks: bool,
}

#[derive(Debug)]
pub struct WebexSettings {
    /// `WEBEX_API_URL`, default `https://webexapis.com/v1`.
    pub api_url: Url,
    /// `WEBEX_BOT_TOKEN`.
    pub bot_token: SecretString,
    /// `WEBEX_WEBHOOK_SECRET`, comma-separated: the first signs new webhooks, all verify.
    pub webhook_secrets: Vec<SecretString>,
    /// `WEBEX_REQUESTS_PER_MINUTE`, default 100.
    pub requests_per_minute: u32,
    /// `WEBEX_TIMEOUT_SECONDS`, default 20: one Webex call, after which its outcome is unknown.
    pub timeout: std::time::Duration,
}

#[derive(Debug)]
pub struct OAuthSettings {
    /// `WEBEX_CLIENT_ID`.
    pub client_id: Option<String>,
    /// `WEBEX_CLIENT_SECRET`.
    pub client_secret: Option<SecretString>,
    /// `WEBEX_AUTHORIZE_URL`, default from `WEBEX_API_URL`.
    pub authorize_url: Url,
    /// `WEBEX_TOKEN_URL`, default from `WEBEX_API_URL`.
    pub token_url: Url,
}

#[derive(Debug)]
pub struct MailSettings {
    /// `SMTP_URL`, e.g. `smtp://127.0.0.1:2525` or `smtps://user:pass@host`; it may hold a password.
    pub smtp_url: Option<SecretString>,
    /// `MAIL_FROM`, the sender of invitations.
    pub from: String,
    /// `INVITATIONS_BY=webex` lets Webex e-mail invitees instead of the bot (never both).
    pub webex_sends_email: bool,
    /// `MAIL_DIR`: write invitations as .eml files there instead of sending them (sandbox, tests).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Limits {
    /// `JOB_MAX_ATTEMPTS` (default 8) before a job is dead-lettered.
    pub job_max_attempts: u32,
    /// `WORKERS` (default 4): jobs processed at once (never two of one space).
    pub workers: usize,
    /// `MAX_INVITEES` (default 100) per meeting.
    pub max_invitees: usize,
    /// `JOB_LEASE_SECONDS` (default 60): how long a crashed worker's job waits before it is retried.
    pub job_lease: std::time::Duration,
    /// `DATA_RETENTION_DAYS` (default 30, at least 2): how long finished work is kept (see
    /// `store::retention`).
    pub retention: std::time::Duration,
    /// `PRUNE_INTERVAL_SECONDS` (default 3600): how often rows past retention are deleted.
    pub prune_every: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            job_max_attempts: 8,
            workers: 4,
            max_invitees: 100,
            job_lease: std::time::Duration::from_secs(60),
            retention: std::time::Duration::from_secs(30 * DAY_SECONDS),
            prune_every: std::time::Duration::from_secs(60 * 60),
        }
    }
}

const DAY_SECONDS: u64 = 24 * 60 * 60;

/// Every problem found in the configuration, in the order of the variables.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n{}", .problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
pub struct ConfigErrors {
    pub problems: Vec<String>,
}

const DEFAULT_API_URL: &str = "https://webexapis.com/v1";

impl Settings {
    /// Reads the process environment.
    pub(crate) fn from_env() -> Result<Self, ConfigErrors> {
        Self::from_vars(&std::env::vars().collect())
    }

    /// Reads settings from a map of variables; tests and the sandbox build one directly.
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self, ConfigErrors> {
        Self::read(vars).0
    }

    /// Reads settings and says which variables the reader looked at (see [`known`]).
    fn read(vars: &HashMap<String, String>) -> (Result<Self, ConfigErrors>, BTreeSet<String>) {
        let mut reader = Reader {
            vars,
            problems: Vec::new(),
            seen: RefCell::default(),
        };
        let settings = Self::read_with(&mut reader);
        (settings, reader.seen.into_inner())
    }

    fn read_with(r: &mut Reader) -> Result<Self, ConfigErrors> {
        let listen_addr = r
            .parsed("LISTEN_ADDR", "an address like 0.0.0.0:8080")
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        let metrics_addr = r.parsed("METRICS_ADDR", "an address like 127.0.0.1:9090");
        let public_url = r.url("PUBLIC_URL", None);
        let api_url = r.url("WEBEX_API_URL", Some(DEFAULT_API_URL));
        let bot_token = r.secret("WEBEX_BOT_TOKEN");
        let webhook_secrets = r.webhook_secrets();
        let requests_per_minute = r
            .parsed::<u32>("WEBEX_REQUESTS_PER_MINUTE", "a whole number of requests")
            .unwrap_or(100);
        let webex_timeout = std::time::Duration::from_secs(
            r.parsed::<u64>("WEBEX_TIMEOUT_SECONDS", "a whole number of seconds")
                .unwrap_or(20)
                .max(1),
        );
        if requests_per_minute == 0 {
            r.problem("WEBEX_REQUESTS_PER_MINUTE must be at least 1".into());
        }
        let client_id = r.optional("WEBEX_CLIENT_ID");
        let client_secret = r.optional("WEBEX_CLIENT_SECRET").map(SecretString::from);
        let authorize_url = api_url
            .as_ref()
            .and_then(|base| r.url_or("WEBEX_AUTHORIZE_URL", base, "authorize"));
        let token_url = api_url
            .as_ref()
            .and_then(|base| r.url_or("WEBEX_TOKEN_URL", base, "access_token"));
        let database_url = r
            .optional("DATABASE_URL")
            .unwrap_or_else(|| "sqlite://data/webex-scheduler.db".to_string());
        if let Err(problem) = crate::store::Engine::of_url(&database_url) {
            r.problem(problem);
        }
        let encryption_keys = r.encryption_keys();
        let smtp_url = r.optional("SMTP_URL");
        if let Some(raw) = &smtp_url {
            match Url::parse(raw) {
                Ok(u) if matches!(u.scheme(), "smtp" | "smtps") => {}
                // The URL may carry a password: name the problem, never echo the value.
                _ => r.problem(
                    "SMTP_URL must look like smtp://host:port or smtps://user:pass@host".into(),
                ),
            }
        }
        let from = r
            .optional("MAIL_FROM")
            .unwrap_or_else(|| "Webex Scheduler <scheduler@localhost>".into());
        let default_timezone = match r.optional("DEFAULT_TIMEZONE") {
            None => Tz::UTC,
            Some(name) => name.parse::<Tz>().unwrap_or_else(|_| {
                r.problem(format!(
                    "DEFAULT_TIMEZONE {name:?} is not an IANA zone name"
                ));
                Tz::UTC
            }),
        };
        let log_dir = r.optional("LOG_DIR").map(PathBuf::from);
        let log_retention_hours = r
            .parsed::<u64>("LOG_RETENTION_HOURS", "a whole number of hours")
            .unwrap_or(24);
        if log_retention_hours == 0 {
            r.problem("LOG_RETENTION_HOURS must be at least 1".into());
        }
        let mail_dir = r.optional("MAIL_DIR").map(PathBuf::from);
        let webex_sends_email = match r.optional("INVITATIONS_BY").as_deref() {
            None | Some("bot") => false,
            Some("webex") => true,
            Some(other) => {
                r.problem(format!("INVITATIONS_BY {other:?} must be bot or webex"));
                false
            }
        };
        let limits = Limits {
            job_max_attempts: r
                .parsed("JOB_MAX_ATTEMPTS", "a whole number")
                .unwrap_or(Limits::default().job_max_attempts),
            workers: r
                .parsed("WORKERS", "a whole number")
                .unwrap_or(Limits::default().workers)
                .max(1),
            max_invitees: r
                .parsed("MAX_INVITEES", "a whole number")
                .unwrap_or(Limits::default().max_invitees),
            job_lease: r
                .parsed::<u64>("JOB_LEASE_SECONDS", "a whole number of seconds")
                .map(std::time::Duration::from_secs)
                .unwrap_or(Limits::default().job_lease)
                .max(std::time::Duration::from_secs(1)),
            retention: r
                .parsed::<u64>("DATA_RETENTION_DAYS", "a whole number of days")
                .map(|days| std::time::Duration::from_secs(days * DAY_SECONDS))
                .unwrap_or(Limits::default().retention),
            prune_every: r
                .parsed::<u64>("PRUNE_INTERVAL_SECONDS", "a whole number of seconds")
                .map(std::time::Duration::from_secs)
                .unwrap_or(Limits::default().prune_every)
                .max(std::time::Duration::from_secs(1)),
        };
        if limits.retention < std::time::Duration::from_secs(2 * DAY_SECONDS) {
            // Replay protection needs a delivery's inbox row for longer than any late delivery.
            r.problem("DATA_RETENTION_DAYS must be at least 2".into());
        }
        let access = crate::ops::access::Access::from_lists(
            r.optional("ADMIN_EMAILS").as_deref(),
            r.optional("ALLOWED_EMAIL_DOMAINS").as_deref(),
        )
        .unwrap_or_else(|problem| {
            r.problem(problem);
            Default::default()
        })
        .with_spaces(r.optional("ALLOWED_SPACES").as_deref());
        let access = access
            .clone()
            .with_outsiders(r.optional("INVITEES_OUTSIDE_DOMAINS").as_deref())
            .unwrap_or_else(|problem| {
                r.problem(problem);
                access
            });
        let sync_webhooks = r
            .parsed::<bool>("WEBHOOKS_SYNC_ON_START", "true or false")
            .unwrap_or(true);

        if !r.problems.is_empty() {
            return Err(ConfigErrors {
                problems: std::mem::take(&mut r.problems),
            });
        }
        // Every `None` below was recorded as a problem above, so these cannot fail.
        let missing = || ConfigErrors {
            problems: vec!["internal: a required value was missing".into()],
        };
        Ok(Settings {
            listen_addr,
            metrics_addr,
            public_url: public_url.ok_or_else(missing)?,
            webex: WebexSettings {
                api_url: api_url.ok_or_else(missing)?,
                bot_token: bot_token.ok_or_else(missing)?,
                webhook_secrets,
                requests_per_minute,
                timeout: webex_timeout,
            },
            oauth: OAuthSettings {
                client_id,
                client_secret,
                authorize_url: authorize_url.ok_or_else(missing)?,
                token_url: token_url.ok_or_else(missing)?,
            },
            database_url,
            encryption_keys,
            mail: MailSettings {
                smtp_url: smtp_url.map(SecretString::from),
                from,
                webex_sends_email,
                dir: mail_dir,
            },
            default_timezone,
            log_dir,
            log_retention: std::time::Duration::from_secs(log_retention_hours * 3600),
            limits,
            access,
            sync_webhooks,
        })
    }

    /// The URL Webex delivers events to.
    pub(crate) fn webhook_url(&self) -> Url {
        join(&self.public_url, "webhooks/webex")
    }

    /// The exact OAuth redirect URI registered with the integration.
    pub fn oauth_redirect_url(&self) -> Url {
        join(&self.public_url, "oauth/callback")
    }
}

fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!("{}/{}", base.path().trim_end_matches('/'), path);
    url.set_path(&joined);
    url
}

#[cfg(test)]
mod tests;
