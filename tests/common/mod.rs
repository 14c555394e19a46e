//! `spawn_app()`: the real server on port 0, talking to the Webex emulator, on a temporary
//! SQLite database, or with `TEST_DATABASE=postgres` on a scratch PostgreSQL database of its
//! own (see [`database`]). Tests drive it the way Webex and people would: a person posts in a space,
//! the emulator signs and delivers the webhook, the bot answers through the REST API, and the
//! test reads what the emulator received.
#![allow(dead_code)]

pub mod database;
mod eventually;
pub mod webex_as;
pub use database::{database_url, on_postgres};
pub use eventually::{WAIT, eventually};

use scheduler_core::clock::{FixedClock, SharedClock, SystemClock};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use webex_emulator::{Emulator, EmulatorConfig, MessageInfo, PersonInfo};
use webex_scheduler::settings::{EmulatorSettings, Settings};
use webex_scheduler::startup::Application;
use webex_scheduler::store::Store;

pub const WEBHOOK_SECRET: &str = "test-webhook-secret-0123456789";
pub const ENCRYPTION_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
pub const CLIENT_ID: &str = "test-client-id";
pub const CLIENT_SECRET: &str = "test-client-secret-value";

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub emulator: Emulator,
    pub store: Store,
    pub person: PersonInfo,
    pub colleague: PersonInfo,
    pub direct: String,
    pub group: String,
    pub http: reqwest::Client,
    /// `http://127.0.0.1:<port>` of `/metrics`, when the test set `METRICS_ADDR`.
    pub metrics_address: Option<String>,
    stop: CancellationToken,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop.cancel();
        database::release(self._dir.path());
    }
}

/// The bot's settings in these tests: the emulator's, with the secrets above (tests sign
/// deliveries and look for leaks with them) and a 2 s job lease (crash tests wait past it).
pub fn test_settings<'a>(
    emulator: &'a Emulator,
    port: u16,
    db_dir: &std::path::Path,
) -> EmulatorSettings<'a> {
    Settings::against_emulator(emulator, port, &db_dir.join("bot.db"))
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .webhook_secret(WEBHOOK_SECRET)
        .encryption_key(ENCRYPTION_KEY)
        .var("JOB_LEASE_SECONDS", "2")
        .var("WEBEX_TIMEOUT_SECONDS", "5")
        .var("DATABASE_URL", database_url(db_dir))
}

/// [`test_settings`] as variables, for a bot in another process or a test that edits them.
pub fn test_vars(
    emulator: &Emulator,
    port: u16,
    db_dir: &std::path::Path,
) -> HashMap<String, String> {
    test_settings(emulator, port, db_dir).into_vars()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the emulator and the bot; `adjust` may change the bot's environment first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut HashMap<String, String>)) -> TestApp {
    spawn_app_on(EmulatorConfig::default(), adjust).await
}

/// Starts the bot against an emulator configured by the test (quotas, clock, page sizes).
pub async fn spawn_app_on(
    config: EmulatorConfig,
    adjust: impl FnOnce(&mut HashMap<String, String>),
) -> TestApp {
    spawn_app_clocked(config, Arc::new(SystemClock), adjust).await
}

/// The bot and the emulator on one clock that only moves when the test says: days can pass
/// (tokens expire) without waiting for them. Jobs due later (retries) wait for the clock too.
pub async fn spawn_app_at(clock: FixedClock) -> TestApp {
    spawn_app_at_with(clock, |_| {}).await
}

/// [`spawn_app_at`], with the bot's environment changed by `adjust` first.
pub async fn spawn_app_at_with(
    clock: FixedClock,
    adjust: impl FnOnce(&mut HashMap<String, String>),
) -> TestApp {
    let config = EmulatorConfig {
        clock: Arc::new(clock.clone()),
        ..EmulatorConfig::default()
    };
    spawn_app_clocked(config, Arc::new(clock), adjust).await
}

async fn spawn_app_clocked(
    config: EmulatorConfig,
    bot_clock: SharedClock,
    adjust: impl FnOnce(&mut HashMap<String, String>),
) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        webex_scheduler::telemetry::init(false);
    }
    let emulator = Emulator::start(config).await.expect("emulator starts");
    let person = emulator.add_person("Ana Lopez", "ana@example.com", Some("Europe/Berlin"));
    let colleague = emulator.add_person("Bob Smith", "bob@example.com", None);
    let direct = emulator.direct_room(&person.id);
    let group =
        emulator.create_group_room("Design team", &[person.id.as_str(), colleague.id.as_str()]);

    let dir = tempfile::tempdir().expect("temp dir");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mut vars = test_vars(&emulator, port, dir.path());
    adjust(&mut vars);
    let settings = Settings::from_vars(&vars).expect("test settings are valid");
    let app = Application::build_on(settings, bot_clock, listener)
        .await
        .expect("app builds");
    let store = app.store().clone();
    let metrics_address = app
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    let stop = CancellationToken::new();
    tokio::spawn(app.run_until_stopped(stop.clone()));

    let test_app = TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        emulator,
        store,
        person,
        colleague,
        direct,
        group,
        http: reqwest::Client::new(),
        metrics_address,
        stop,
        _dir: dir,
    };
    test_app.wait_until_ready().await;
    test_app
}

impl TestApp {
    /// The person types `text` in `room` (Webex delivers it to the bot as a webhook).
    pub async fn say(&self, room: &str, text: &str) {
        self.emulator
            .post_as(&self.person.id, room, text)
            .await
            .unwrap();
    }

    /// Ready = the bot knows who it is and its three webhooks exist at the emulator.
    async fn wait_until_ready(&self) {
        eventually("the bot to be ready", WAIT, async || {
            let ready = self
                .http
                .get(format!("{}/readyz", self.address))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            let webhooks = self.emulator.webhooks().len();
            if ready && webhooks == 3 {
                Ok(())
            } else {
                Err(format!("/readyz ok: {ready}, webhooks: {webhooks}"))
            }
        })
        .await
    }

    /// The bot's `/metrics` text (the test must have set `METRICS_ADDR`).
    pub async fn scrape_metrics(&self) -> String {
        let address = self.metrics_address.as_ref().expect("METRICS_ADDR set");
        let response = self
            .http
            .get(format!("{address}/metrics"))
            .send()
            .await
            .expect("scrape");
        assert_eq!(response.status(), 200);
        response.text().await.expect("metrics text")
    }

    pub async fn post_webhook(&self, body: &str, signature: Option<&str>) -> reqwest::Response {
        let mut request = self
            .http
            .post(format!("{}/webhooks/webex", self.address))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(sig) = signature {
            request = request.header("X-Spark-Signature", sig);
        }
        request.send().await.expect("webhook request")
    }

    /// Whether `needle` appears anywhere in the database: in the files (main file, WAL,
    /// journal) of SQLite, in any row of any table of PostgreSQL.
    pub fn database_holds(&self, needle: &str) -> bool {
        if on_postgres() {
            return database::postgres_holds(&database_url(self.db_dir()), needle);
        }
        std::fs::read_dir(self.db_dir()).unwrap().any(|entry| {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
    }

    /// Runs `sql` on this bot's database (SQLite or PostgreSQL, as the run uses) and returns
    /// its rows with each column as text.
    pub async fn sql(&self, sql: &str) -> Vec<Vec<String>> {
        database::sql_rows(&database_url(self.db_dir()), sql).await
    }

    pub fn db_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Messages the bot has posted in a room.
    pub fn bot_messages(&self, room: &str) -> Vec<MessageInfo> {
        let bot = self.emulator.bot().id;
        self.emulator
            .messages_in(room)
            .into_iter()
            .filter(|m| m.person_id == bot)
            .collect()
    }

    /// Waits until the bot has posted at least `n` messages in `room`.
    pub async fn wait_for_bot_messages(&self, room: &str, n: usize) -> Vec<MessageInfo> {
        let what = format!("{n} bot messages in the room");
        eventually(&what, WAIT, async || {
            let messages = self.bot_messages(room);
            if messages.len() >= n {
                Ok(messages)
            } else {
                Err(messages.len())
            }
        })
        .await
    }

    /// The last link the bot sent a person, from its markdown `[...](url)`.
    pub async fn wait_for_link(&self, person_id: &str) -> String {
        let room = self.emulator.direct_room(person_id);
        eventually("a link from the bot", WAIT, async || {
            let messages = self.bot_markdown(&room);
            let link = messages.iter().rev().find_map(|md| {
                let start = md.find("](")? + 2;
                let end = start + md[start..].find(')')?;
                Some(md[start..end].to_string())
            });
            link.ok_or(messages)
        })
        .await
    }

    /// Follows a link in a browser-like way (redirects followed) as `person_id` consenting.
    pub async fn consent_as(&self, link: &str, person_id: &str) -> (u16, String) {
        let response = self
            .http
            .get(format!("{link}&person_id={person_id}"))
            .send()
            .await
            .expect("follow link");
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    /// Waits until a bot message in `room` contains `needle`; returns how many do.
    pub async fn wait_for_text(&self, room: &str, needle: &str) -> usize {
        let what = format!("a bot message containing {needle:?}");
        eventually(&what, WAIT, async || {
            let messages = self.bot_markdown(room);
            match messages.iter().filter(|m| m.contains(needle)).count() {
                0 => Err(messages),
                n => Ok(n),
            }
        })
        .await
    }

    /// The markdown of the bot's messages in a room, oldest first.
    pub fn bot_markdown(&self, room: &str) -> Vec<String> {
        self.bot_messages(room)
            .into_iter()
            .map(|m| m.markdown.unwrap_or_default())
            .collect()
    }

    /// Links the person's Webex account through the real OAuth flow.
    pub async fn connect(&self, person_id: &str) {
        let room = self.emulator.direct_room(person_id);
        let before = self.bot_messages(&room).len();
        self.emulator
            .post_as(person_id, &room, "connect")
            .await
            .unwrap();
        self.wait_for_bot_messages(&room, before + 1).await;
        let link = self.wait_for_link(person_id).await;
        let (status, page) = self.consent_as(&link, person_id).await;
        assert_eq!(status, 200, "{page}");
        self.wait_for_text(&room, "You're connected").await;
    }

    /// Turns off previews for the person: their typed requests are created straight away.
    pub async fn previews_off(&self) {
        self.emulator
            .post_as(&self.person.id, &self.direct, "settings confirm off")
            .await
            .unwrap();
        self.wait_for_text(&self.direct, "without a preview").await;
    }

    /// Whether the bot holds Webex tokens for the person.
    pub async fn tokens_stored(&self, person_id: &str) -> bool {
        self.store
            .load_tokens(person_id)
            .await
            .expect("read tokens")
            .is_some()
    }

    /// The `n`th card the bot posted in a room (from 1), with its message id.
    pub async fn wait_for_card(&self, room: &str, n: usize) -> (String, serde_json::Value) {
        let what = format!("{n} cards from the bot");
        eventually(&what, WAIT, async || {
            let cards: Vec<_> = self
                .bot_messages(room)
                .into_iter()
                .filter(|m| !m.attachments.is_empty())
                .collect();
            match cards.get(n - 1) {
                Some(m) => Ok((m.id.clone(), m.attachments[0].clone())),
                None => Err(cards.len()),
            }
        })
        .await
    }

    /// Presses a card button as `person_id` (Webex merges the button's data into the inputs).
    pub async fn press(
        &self,
        person_id: &str,
        message_id: &str,
        card: &serde_json::Value,
        title: &str,
    ) {
        let content = card.get("content").unwrap_or(card);
        let data = content["actions"]
            .as_array()
            .and_then(|a| a.iter().find(|b| b["title"] == title))
            .map(|b| b["data"].clone())
            .unwrap_or_else(|| panic!("no button {title}"));
        self.emulator
            .submit_card(person_id, message_id, data)
            .await
            .unwrap();
    }

    /// Meetings the emulator holds, as JSON.
    pub fn meetings(&self) -> Vec<serde_json::Value> {
        self.emulator.meetings()
    }

    /// How many calls the emulator saw with this method on paths starting with `prefix`.
    pub fn calls(&self, method: axum::http::Method, prefix: &str) -> usize {
        self.emulator
            .requests()
            .iter()
            .filter(|r| r.method == method && r.path.starts_with(prefix))
            .count()
    }

    /// Token-endpoint calls the emulator has seen.
    pub fn token_calls(&self) -> usize {
        self.emulator
            .requests()
            .iter()
            .filter(|r| r.path.ends_with("/access_token"))
            .count()
    }

    /// Waits until nothing is left to happen: no webhook notification on its way from the
    /// emulator to the bot, and no job pending or running. Every reply, retry and notification
    /// about the bot's own messages has landed, so a test may then assert that something
    /// happened exactly once, or not at all, without sleeping "long enough" first.
    ///
    /// Sound because each step hands over to the next before it ends: a job's Webex call
    /// dispatches its notifications before the call is answered, and a delivery is stored as a
    /// job before the bot answers it. So the notification counts are read on both sides of the
    /// job counts, and must not have moved.
    pub async fn wait_until_settled(&self) {
        eventually("the bot and the emulator to settle", WAIT, async || {
            let before = self.emulator.notification_progress();
            let jobs = self.store.job_counts().await.expect("job counts");
            let after = self.emulator.notification_progress();
            if before == after && after.in_flight() == 0 && jobs.pending == 0 && jobs.running == 0 {
                Ok(())
            } else {
                Err((after, jobs))
            }
        })
        .await
    }
}

/// Signs a body the way Webex does.
pub fn sign(body: &str) -> String {
    webex_scheduler::server::signature::sign(WEBHOOK_SECRET, body.as_bytes())
}

/// The UUID inside a Webex person id (base64 of `ciscospark://…/PEOPLE/<uuid>`), as some
/// clients put it in mention markup.
pub fn person_uuid(id: &str) -> String {
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(id.trim_end_matches('='))
        .or_else(|_| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id.trim_end_matches('='))
        })
        .expect("person ids are base64");
    String::from_utf8(decoded)
        .expect("utf-8")
        .rsplit('/')
        .next()
        .expect("uuid")
        .to_string()
}
