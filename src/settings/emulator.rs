//! Settings for a bot that talks to a running Webex emulator instead of Webex.
//!
//! The sandbox, the tests' `spawn_app()` and the pipeline benchmark all start the bot against
//! the emulator; they get its Webex URLs, bot token, OAuth integration, secrets and pacing from
//! here, and add only what is theirs (a mail folder, a shorter lease, a lifted rate limit).

use super::{ConfigErrors, Settings};
use base64::Engine;
use secrecy::ExposeSecret;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use webex_emulator::Emulator;

/// The OAuth client id registered with the emulator unless [`EmulatorSettings::client_id`]
/// names another.
pub const EMULATOR_CLIENT_ID: &str = "webex-scheduler-emulated";

/// A builder for the variables (the same ones `serve` reads from the environment) of a bot on
/// `127.0.0.1:port` whose Webex is `emulator`. Start it with [`Settings::against_emulator`].
///
/// Unless set otherwise, the OAuth client secret, the webhook secret and the token encryption
/// key are fresh random values, and Webex calls are paced at 6000 a minute.
pub struct EmulatorSettings<'a> {
    emulator: &'a Emulator,
    port: u16,
    vars: BTreeMap<String, String>,
}

impl Settings {
    /// Settings for a bot listening on `127.0.0.1:port`, keeping its SQLite database in the file
    /// `database`, with `emulator` as its Webex: finish with [`EmulatorSettings::build`] or, for
    /// a bot in another process or a test that edits them, [`EmulatorSettings::into_vars`].
    pub fn against_emulator<'a>(
        emulator: &'a Emulator,
        port: u16,
        database: &Path,
    ) -> EmulatorSettings<'a> {
        let vars = [
            ("LISTEN_ADDR", format!("127.0.0.1:{port}")),
            ("PUBLIC_URL", format!("http://127.0.0.1:{port}")),
            ("WEBEX_API_URL", emulator.api_base().to_string()),
            ("WEBEX_AUTHORIZE_URL", emulator.authorize_url().to_string()),
            ("WEBEX_TOKEN_URL", emulator.token_url().to_string()),
            (
                "WEBEX_BOT_TOKEN",
                emulator.bot_token().expose_secret().to_string(),
            ),
            ("WEBEX_CLIENT_ID", EMULATOR_CLIENT_ID.to_string()),
            ("WEBEX_CLIENT_SECRET", random_base64(24)),
            ("WEBEX_WEBHOOK_SECRET", random_base64(24)),
            ("TOKEN_ENCRYPTION_KEY", random_base64(32)),
            ("DATABASE_URL", format!("sqlite://{}", database.display())),
            // The production default of 100/min spaces the bot's calls 0.6 s apart: every
            // reply would crawl in the sandbox and every end-to-end test would wait seconds per
            // message. The emulator has no budget to protect; pacing itself is tested in the
            // Webex client's tests.
            ("WEBEX_REQUESTS_PER_MINUTE", "6000".to_string()),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_string(), value))
        .collect();
        EmulatorSettings {
            emulator,
            port,
            vars,
        }
    }
}

impl EmulatorSettings<'_> {
    /// `WEBEX_CLIENT_ID`: the integration's client id.
    pub fn client_id(self, id: &str) -> Self {
        self.var("WEBEX_CLIENT_ID", id)
    }

    /// `WEBEX_CLIENT_SECRET`: the integration's client secret.
    pub fn client_secret(self, secret: &str) -> Self {
        self.var("WEBEX_CLIENT_SECRET", secret)
    }

    /// `WEBEX_WEBHOOK_SECRET`: what the bot's webhooks are signed with (tests sign their own
    /// deliveries with it).
    pub fn webhook_secret(self, secret: &str) -> Self {
        self.var("WEBEX_WEBHOOK_SECRET", secret)
    }

    /// `TOKEN_ENCRYPTION_KEY`: 32 bytes, base64.
    pub fn encryption_key(self, key: &str) -> Self {
        self.var("TOKEN_ENCRYPTION_KEY", key)
    }

    /// `WEBEX_REQUESTS_PER_MINUTE`: how fast the bot may call the emulator.
    pub fn requests_per_minute(self, n: u32) -> Self {
        self.var("WEBEX_REQUESTS_PER_MINUTE", n.to_string())
    }

    /// Any other variable `serve` reads, e.g. `MAIL_DIR` or `JOB_LEASE_SECONDS`.
    pub fn var(mut self, name: &str, value: impl Into<String>) -> Self {
        self.vars.insert(name.to_string(), value.into());
        self
    }

    /// Registers the integration (client id, secret and this bot's redirect URI) with the
    /// emulator, as one would on developer.webex.com, and returns the variables.
    pub fn into_vars(self) -> HashMap<String, String> {
        let var = |name: &str| self.vars.get(name).map_or("", String::as_str);
        self.emulator.register_oauth_client(
            var("WEBEX_CLIENT_ID"),
            var("WEBEX_CLIENT_SECRET"),
            &format!("http://127.0.0.1:{}/oauth/callback", self.port),
        );
        self.vars.into_iter().collect()
    }

    /// Registers the integration (see [`Self::into_vars`]) and reads the settings.
    pub fn build(self) -> Result<Settings, ConfigErrors> {
        Settings::from_vars(&self.into_vars())
    }
}

/// `n` random bytes in standard base64: secrets nobody needs to know.
fn random_base64(n: usize) -> String {
    let bytes: Vec<u8> = (0..n).map(|_| rand::random::<u8>()).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use webex_emulator::EmulatorConfig;

    #[tokio::test]
    async fn a_bot_against_the_emulator_gets_its_urls_token_pace_and_fresh_secrets() {
        let emulator = Emulator::start(EmulatorConfig::default())
            .await
            .expect("emulator starts");
        let database = Path::new("/data/bot.db");
        let settings = Settings::against_emulator(&emulator, 4321, database)
            .build()
            .expect("valid");
        assert_eq!(settings.listen_addr.to_string(), "127.0.0.1:4321");
        assert_eq!(settings.public_url.as_str(), "http://127.0.0.1:4321/");
        assert_eq!(settings.webex.api_url, emulator.api_base());
        assert_eq!(settings.oauth.authorize_url, emulator.authorize_url());
        assert_eq!(settings.oauth.token_url, emulator.token_url());
        assert_eq!(
            settings.webex.bot_token.expose_secret(),
            emulator.bot_token().expose_secret()
        );
        assert_eq!(settings.webex.requests_per_minute, 6000);
        assert_eq!(settings.database_url, "sqlite:///data/bot.db");
        assert_eq!(
            settings.oauth.client_id.as_deref(),
            Some(EMULATOR_CLIENT_ID)
        );

        let first = Settings::against_emulator(&emulator, 4321, database).into_vars();
        let second = Settings::against_emulator(&emulator, 4321, database)
            .webhook_secret("chosen-webhook-secret-0123")
            .requests_per_minute(60)
            .var("MAIL_DIR", "/data/mail")
            .into_vars();
        for secret in ["WEBEX_CLIENT_SECRET", "TOKEN_ENCRYPTION_KEY"] {
            assert_ne!(first[secret], second[secret], "{secret} is fresh each time");
        }
        assert_eq!(second["WEBEX_WEBHOOK_SECRET"], "chosen-webhook-secret-0123");
        assert_eq!(second["WEBEX_REQUESTS_PER_MINUTE"], "60");
        assert_eq!(second["MAIL_DIR"], "/data/mail");
    }
}
