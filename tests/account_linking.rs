//! Account linking end to end: `connect` → a direct message with a single-use link → consent at
//! the (emulated) Webex authorization server → callback → sealed tokens → "you're connected".

use crate::common;

use common::spawn_app;
use scheduler_core::clock::SystemClock;
use secrecy::ExposeSecret;
use std::sync::Arc;
use std::time::Duration;
use webex_scheduler::auth::{Linker, OAuthConfig, TokenCipher, TokenManager};
use webex_scheduler::store::OAuthStateRow;
use webex_scheduler::webex::{WebexClient, WebexConfig};

async fn connect(app: &common::TestApp) {
    app.emulator
        .post_as(&app.person.id, &app.direct, "connect")
        .await
        .unwrap();
    let link = app.wait_for_link(&app.person.id).await;
    let (status, page) = app.consent_as(&link, &app.person.id).await;
    assert_eq!(status, 200, "{link}: {page}");
    assert!(page.contains("You're connected"), "{page}");
    app.wait_for_text(&app.direct, "You're connected").await;
}

/// A token manager over the app's own database, as a worker would have.
fn token_manager(app: &common::TestApp) -> TokenManager {
    token_manager_with_keys(app, None)
}

/// The same, as a deployment whose key configuration was changed (`(current, previous)`).
fn token_manager_with_keys(app: &common::TestApp, keys: Option<(&str, &str)>) -> TokenManager {
    let mut settings =
        common::test_settings(&app.emulator, app.port, std::path::Path::new("unused"));
    if let Some((current, previous)) = keys {
        settings = settings
            .encryption_key(current)
            .var("TOKEN_ENCRYPTION_KEYS_PREVIOUS", previous);
    }
    let settings = settings.build().unwrap();
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
    let linker = Linker::new(
        Some(config),
        app.store.clone(),
        Arc::new(TokenCipher::new(&settings.encryption_keys)),
        webex,
        Arc::new(SystemClock),
    )
    .unwrap();
    TokenManager::new(linker)
}

#[tokio::test]
async fn connect_links_the_account_and_no_token_is_stored_in_clear() {
    let app = spawn_app().await;
    connect(&app).await;
    let row = app
        .store
        .load_tokens(&app.person.id)
        .await
        .unwrap()
        .expect("tokens stored");
    let token = token_manager(&app)
        .access_token(&app.person.id)
        .await
        .expect("usable token");
    assert!(!row.access_token.contains(token.token.expose_secret()));
    assert!(
        !app.database_holds(token.token.expose_secret()),
        "the access token appears in clear in the database files"
    );

    // `status` shows the account (never the token), checked live with the person's token.
    app.emulator
        .post_as(&app.person.id, &app.direct, "status")
        .await
        .unwrap();
    app.wait_for_text(&app.direct, "connected as ana@example.com")
        .await;
    assert!(app.bot_messages(&app.direct).iter().all(|m| {
        !m.markdown
            .as_deref()
            .unwrap_or("")
            .contains(token.token.expose_secret())
    }));

    // `disconnect` deletes the tokens.
    app.emulator
        .post_as(&app.person.id, &app.direct, "disconnect")
        .await
        .unwrap();
    app.wait_for_text(&app.direct, "deleted your stored Webex tokens")
        .await;
    assert!(!app.tokens_stored(&app.person.id).await);
}

#[tokio::test]
async fn in_a_group_the_link_goes_to_the_person_privately() {
    let app = spawn_app().await;
    app.emulator
        .post_as(&app.person.id, &app.group, "@Scheduler connect")
        .await
        .unwrap();
    app.wait_for_text(&app.group, "direct message").await;
    let link = app.wait_for_link(&app.person.id).await;
    assert!(
        app.bot_messages(&app.group).iter().all(|m| !m
            .markdown
            .as_deref()
            .unwrap_or("")
            .contains(&link)),
        "the link never appears in the group space"
    );
    let (status, _) = app.consent_as(&link, &app.person.id).await;
    assert_eq!(status, 200);
    app.wait_for_text(&app.group, "You're connected").await;
}

#[tokio::test]
async fn a_forwarded_link_does_not_link_someone_elses_account() {
    let app = spawn_app().await;
    app.emulator
        .post_as(&app.person.id, &app.direct, "connect")
        .await
        .unwrap();
    let link = app.wait_for_link(&app.person.id).await;
    let (status, page) = app.consent_as(&link, &app.colleague.id).await;
    assert_eq!(status, 403);
    assert!(page.contains("someone else"), "{page}");
    assert!(!app.tokens_stored(&app.person.id).await);
    assert!(!app.tokens_stored(&app.colleague.id).await);
}

#[tokio::test]
async fn bad_states_are_refused_without_calling_the_token_endpoint() {
    let app = spawn_app().await;
    let callback = format!("{}/oauth/callback", app.address);
    let get = |url: String| {
        let http = app.http.clone();
        async move {
            let r = http.get(url).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // An expired state, planted as if issued 11 minutes ago.
    let expired_state = "expired-state-value";
    let hash = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(expired_state.as_bytes()))
    };
    app.store
        .insert_oauth_state(&OAuthStateRow {
            state_hash: hash,
            person_id: app.person.id.clone(),
            room_id: None,
            key_id: "k".into(),
            verifier: "v".into(),
            resume: None,
            expires_at_ms: chrono::Utc::now().timestamp_millis() - 60_000,
        })
        .await
        .unwrap();

    let before = app.token_calls();
    let cases = [
        (format!("{callback}?code=abc"), 400, "can't be used"),
        (
            format!("{callback}?code=abc&state=never-issued"),
            400,
            "can't be used",
        ),
        (format!("{callback}?code=abc&state=&"), 400, "can't be used"),
        (
            format!("{callback}?code=abc&state={expired_state}"),
            400,
            "expired",
        ),
    ];
    for (url, status, phrase) in cases {
        let (got, page) = get(url.clone()).await;
        assert_eq!(got, status, "{url}");
        assert!(page.contains(phrase), "{url}: {page}");
    }
    // A reused state: the first use links, the second is refused.
    app.emulator
        .post_as(&app.person.id, &app.direct, "connect")
        .await
        .unwrap();
    let link = app.wait_for_link(&app.person.id).await;
    assert_eq!(app.consent_as(&link, &app.person.id).await.0, 200);
    let after_first = app.token_calls();
    let (status, page) = app.consent_as(&link, &app.person.id).await;
    assert_eq!(status, 400, "{page}");
    assert_eq!(
        before + 1,
        after_first,
        "only the genuine callback exchanged a code"
    );
    assert_eq!(
        app.token_calls(),
        after_first,
        "the reused state caused no token call"
    );
}

#[tokio::test]
async fn fifty_concurrent_jobs_cause_exactly_one_refresh() {
    let app = spawn_app().await;
    connect(&app).await;
    // Make the stored access token look expired.
    let mut row = app
        .store
        .load_tokens(&app.person.id)
        .await
        .unwrap()
        .unwrap();
    row.access_expires_at_ms = 0;
    app.store.save_tokens(&row, 0).await.unwrap();
    let manager = token_manager(&app);
    let before = app.token_calls();
    let tasks = (0..50).map(|_| manager.access_token(&app.person.id));
    let tokens = futures::future::join_all(tasks).await;
    assert_eq!(
        app.token_calls() - before,
        1,
        "one refresh for fifty callers"
    );
    let first = tokens[0]
        .as_ref()
        .expect("token")
        .token
        .expose_secret()
        .to_string();
    for t in &tokens {
        assert_eq!(t.as_ref().expect("token").token.expose_secret(), first);
    }
    let stored = app
        .store
        .load_tokens(&app.person.id)
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored.access_expires_at_ms > chrono::Utc::now().timestamp_millis(),
        "new pair stored"
    );
}

#[tokio::test]
async fn a_revoked_grant_is_told_once_and_not_retried() {
    let app = spawn_app().await;
    connect(&app).await;
    app.emulator.revoke_grants(&app.person.id);
    for _ in 0..2 {
        app.emulator
            .post_as(&app.person.id, &app.direct, "status")
            .await
            .unwrap();
        app.wait_for_text(&app.direct, "authorisation was revoked: type `connect`")
            .await;
    }
    app.wait_until_settled().await;
    let notices = app
        .bot_messages(&app.direct)
        .iter()
        .filter(|m| {
            m.markdown
                .as_deref()
                .unwrap_or("")
                .contains("revoked or has expired")
        })
        .count();
    assert_eq!(notices, 1, "one direct message about it");
    let counts = app.store.job_counts().await.unwrap();
    assert_eq!(
        (counts.pending, counts.dead),
        (0, 0),
        "no retry loop: {counts:?}"
    );
    assert!(
        app.store
            .person_prefs(&app.person.id)
            .await
            .unwrap()
            .needs_reconnect
    );
}

#[tokio::test]
async fn after_a_key_rotation_old_tokens_still_work_and_retiring_the_key_asks_to_reconnect() {
    let app = spawn_app().await;
    app.connect(&app.person.id).await;
    let new_key = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="; // 32 bytes
    let rotated = token_manager_with_keys(&app, Some((new_key, common::ENCRYPTION_KEY)));
    let token = rotated
        .access_token(&app.person.id)
        .await
        .expect("old row opens with the previous key");
    // Tokens stored from now on are sealed with the new key.
    rotated
        .linker()
        .store_tokens(
            &app.person.id,
            &webex_scheduler::auth::FreshTokens {
                access: token.token.clone(),
                refresh: None,
                expires_in: Duration::from_secs(3600),
                scopes: String::new(),
            },
        )
        .await
        .unwrap();
    let only_new = token_manager_with_keys(&app, Some((new_key, "")));
    assert!(
        only_new
            .linker()
            .is_connected(&app.person.id)
            .await
            .unwrap(),
        "rewrapped row opens with the new key alone"
    );
    let only_old = token_manager_with_keys(&app, Some((common::ENCRYPTION_KEY, "")));
    assert!(
        !only_old
            .linker()
            .is_connected(&app.person.id)
            .await
            .unwrap(),
        "a row sealed with a retired key counts as not connected"
    );
}

#[test]
fn pkce_matches_rfc_7636_appendix_b() {
    use oauth2::{PkceCodeChallenge, PkceCodeVerifier};
    let verifier = PkceCodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into());
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
    assert_eq!(
        challenge.as_str(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    assert_eq!(challenge.method().as_str(), "S256");
}
