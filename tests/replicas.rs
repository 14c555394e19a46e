//! Several replicas on one database (issue 11): they share one Webex budget per token, a 429
//! seen by one pauses all, and a token is refreshed once however many replicas need it. Each
//! "replica" here is a Webex client or token manager over a store of its own (its own pool),
//! on the test's database: SQLite by default, PostgreSQL with `TEST_DATABASE=postgres`.

use crate::common;

use scheduler_core::clock::SystemClock;
use secrecy::ExposeSecret;
use std::sync::Arc;
use std::time::Duration;
use webex_emulator::{Emulator, EmulatorConfig, Fault, FaultKind, RetryAfter};
use webex_scheduler::auth::{Linker, OAuthConfig, TokenCipher, TokenManager};
use webex_scheduler::store::Store;
use webex_scheduler::webex::{Auth, WebexClient, WebexConfig};

/// A Webex client of one replica: its own store on `url`, drawing on the shared budget.
async fn replica_client(emulator: &Emulator, url: &str, requests_per_minute: u32) -> WebexClient {
    let webex = WebexClient::new(WebexConfig {
        api_base: emulator.api_base().clone(),
        bot_token: emulator.bot_token(),
        requests_per_minute,
        timeout: Duration::from_secs(10),
        max_rate_limit_wait: Duration::from_secs(30),
    })
    .unwrap();
    webex.share_budget(Arc::new(Store::connect(url).await.unwrap()));
    webex
}

fn calls_to_me(emulator: &Emulator) -> Vec<std::time::Instant> {
    emulator
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/people/me")
        .map(|r| r.at)
        .collect()
}

#[tokio::test]
async fn a_restarted_or_second_replica_draws_on_the_same_webex_budget() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = common::database_url(dir.path());
    // One request a minute: the first replica spends it.
    let first = replica_client(&emulator, &url, 1).await;
    first.me(&Auth::Bot).await.unwrap();
    let second = replica_client(&emulator, &url, 1).await;
    let waited = tokio::time::timeout(Duration::from_secs(2), second.me(&Auth::Bot)).await;
    assert!(waited.is_err(), "the second replica waits for the minute");
    assert_eq!(calls_to_me(&emulator).len(), 1, "one request in the minute");
    common::database::release(dir.path());
}

#[tokio::test]
async fn a_429_seen_by_one_replica_holds_back_the_others_until_retry_after() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = common::database_url(dir.path());
    let one = replica_client(&emulator, &url, 6000).await;
    let other = replica_client(&emulator, &url, 6000).await;
    emulator.inject(Fault::new(
        Some(axum::http::Method::GET),
        "/v1/people/me",
        FaultKind::RateLimited {
            retry_after: RetryAfter::Seconds(2),
        },
        1,
    ));
    let first = tokio::spawn(async move { one.me(&Auth::Bot).await });
    common::eventually("the 429", common::WAIT, async || {
        match calls_to_me(&emulator).len() {
            0 => Err(0),
            _ => Ok(()),
        }
    })
    .await;
    other.me(&Auth::Bot).await.unwrap();
    first.await.unwrap().unwrap();
    let calls = calls_to_me(&emulator);
    assert_eq!(calls.len(), 3, "the 429, then one call per replica");
    for later in &calls[1..] {
        let after = later.duration_since(calls[0]);
        // Retry-After is whole seconds; allow the clock granularity of the shared pause.
        assert!(
            after >= Duration::from_millis(1_950),
            "sent {after:?} after the 429"
        );
    }
    common::database::release(dir.path());
}

/// A token manager of one replica: its own store on the app's database, its own process-local
/// refresh lock, the app's configuration.
async fn replica_tokens(app: &common::TestApp) -> TokenManager {
    let store = Store::connect(&common::database_url(app.db_dir()))
        .await
        .unwrap();
    let settings = common::test_settings(&app.emulator, app.port, app.db_dir())
        .build()
        .unwrap();
    let webex = WebexClient::new(WebexConfig {
        api_base: settings.webex.api_url.clone(),
        bot_token: settings.webex.bot_token.clone(),
        requests_per_minute: 6000,
        timeout: Duration::from_secs(10),
        max_rate_limit_wait: Duration::from_secs(10),
    })
    .unwrap();
    let config = OAuthConfig {
        client_id: common::CLIENT_ID.into(),
        client_secret: common::CLIENT_SECRET.to_string().into(),
        authorize_url: settings.oauth.authorize_url.clone(),
        token_url: settings.oauth.token_url.clone(),
        redirect_url: settings.oauth_redirect_url(),
    };
    let cipher = Arc::new(TokenCipher::new(&settings.encryption_keys));
    let linker = Linker::new(Some(config), store, cipher, webex, Arc::new(SystemClock)).unwrap();
    TokenManager::new(linker)
}

/// PostgreSQL only: on SQLite the deployment is one process, whose own lock already makes a
/// refresh single-flight (`account_linking::fifty_concurrent_jobs_cause_exactly_one_refresh`).
#[tokio::test]
async fn three_replicas_needing_a_fresh_token_at_once_refresh_it_once() {
    if !common::on_postgres() {
        eprintln!("SKIPPED here: a PostgreSQL test (TEST_DATABASE=postgres)");
        return;
    }
    let app = common::spawn_app().await;
    app.connect(&app.person.id).await;
    let mut row = app
        .store
        .load_tokens(&app.person.id)
        .await
        .unwrap()
        .unwrap();
    row.access_expires_at_ms = 0;
    app.store.save_tokens(&row, 0).await.unwrap();
    let mut replicas = Vec::new();
    for _ in 0..3 {
        replicas.push(replica_tokens(&app).await);
    }
    let before = app.token_calls();
    let asks = replicas
        .iter()
        .cycle()
        .take(30)
        .map(|r| r.access_token(&app.person.id));
    let tokens = futures::future::join_all(asks).await;
    assert_eq!(
        app.token_calls() - before,
        1,
        "one refresh for three replicas"
    );
    let first = tokens[0]
        .as_ref()
        .unwrap()
        .token
        .expose_secret()
        .to_string();
    for t in &tokens {
        assert_eq!(t.as_ref().unwrap().token.expose_secret(), first);
    }
}
