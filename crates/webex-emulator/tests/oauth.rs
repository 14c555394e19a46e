//! The emulator's OAuth server: consent, exact redirects, PKCE, rotation and reuse revocation.

use chrono::{TimeZone, Utc};
use reqwest::StatusCode;
use scheduler_core::clock::FixedClock;
use serde_json::Value;
use std::sync::Arc;
use webex_emulator::{Emulator, EmulatorConfig, pkce_s256};

const REDIRECT: &str = "https://bot.example.com/oauth/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

struct Fixture {
    emulator: Emulator,
    clock: FixedClock,
    http: reqwest::Client,
    alice: String,
}

async fn fixture(rotate: bool) -> Fixture {
    let clock = FixedClock::at(
        Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0)
            .single()
            .expect("valid"),
    );
    let config = EmulatorConfig {
        clock: Arc::new(clock.clone()),
        rotate_refresh_tokens: rotate,
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config).await.expect("starts");
    emulator.register_oauth_client("C1", "secret1", REDIRECT);
    let alice = emulator.add_person("Alice", "alice@example.com", None).id;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Fixture {
        emulator,
        clock,
        http,
        alice,
    }
}

impl Fixture {
    fn authorize_url(&self, extra: &[(&str, &str)]) -> url::Url {
        let mut url = self.emulator.authorize_url();
        url.query_pairs_mut()
            .append_pair("client_id", "C1")
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", REDIRECT)
            .append_pair(
                "scope",
                "meeting:schedules_read meeting:schedules_write spark:people_read",
            )
            .append_pair("state", "xyz")
            .append_pair("code_challenge", &pkce_s256(VERIFIER))
            .append_pair("code_challenge_method", "S256");
        for (k, v) in extra {
            url.query_pairs_mut().append_pair(k, v);
        }
        url
    }

    async fn authorize(&self, extra: &[(&str, &str)]) -> (StatusCode, Option<url::Url>) {
        let response = self
            .http
            .get(self.authorize_url(extra))
            .send()
            .await
            .expect("answers");
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(|v| url::Url::parse(v).expect("absolute redirect"));
        (response.status(), location)
    }

    async fn code(&self) -> String {
        let (status, location) = self.authorize(&[("person_id", &self.alice)]).await;
        assert_eq!(status, StatusCode::FOUND);
        let location = location.expect("redirect");
        assert!(location.as_str().starts_with(REDIRECT));
        let params: std::collections::HashMap<String, String> =
            location.query_pairs().into_owned().collect();
        assert_eq!(params.get("state").map(String::as_str), Some("xyz"));
        params.get("code").cloned().expect("code")
    }

    async fn token(&self, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let response = self
            .http
            .post(self.emulator.token_url())
            .form(form)
            .send()
            .await
            .expect("answers");
        let status = response.status();
        (status, response.json().await.expect("json"))
    }

    async fn exchange(&self, code: &str, verifier: &str) -> (StatusCode, Value) {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("client_id", "C1"),
            ("client_secret", "secret1"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
        ])
        .await
    }

    async fn refresh(&self, refresh_token: &str) -> (StatusCode, Value) {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("client_id", "C1"),
            ("client_secret", "secret1"),
            ("refresh_token", refresh_token),
        ])
        .await
    }

    async fn me(&self, access_token: &str) -> StatusCode {
        self.http
            .get(self.emulator.api_base().join("people/me").expect("url"))
            .bearer_auth(access_token)
            .send()
            .await
            .expect("answers")
            .status()
    }
}

fn field<'a>(body: &'a Value, key: &str) -> &'a str {
    body[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {body}"))
}

#[tokio::test]
async fn the_code_flow_with_pkce_yields_working_tokens() {
    let f = fixture(true).await;
    let code = f.code().await;
    let (status, tokens) = f.exchange(&code, VERIFIER).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 1_209_599);
    assert!(field(&tokens, "scope").split(' ').any(|s| s == "spark:kms"));
    assert!(
        field(&tokens, "scope")
            .split(' ')
            .any(|s| s == "meeting:schedules_write")
    );
    assert_eq!(f.me(field(&tokens, "access_token")).await, StatusCode::OK);
    let me: Value = f
        .http
        .get(f.emulator.api_base().join("people/me").expect("url"))
        .bearer_auth(field(&tokens, "access_token"))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(
        me["id"], f.alice,
        "the token belongs to the consenting person"
    );

    let (status, again) = f.exchange(&code, VERIFIER).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(again["error"], "invalid_grant");
    assert_eq!(
        f.me(field(&tokens, "access_token")).await,
        StatusCode::UNAUTHORIZED,
        "code reuse revokes what it issued"
    );
}

#[tokio::test]
async fn a_wrong_verifier_or_redirect_is_refused() {
    let f = fixture(true).await;
    let code = f.code().await;
    let (status, body) = f.exchange(&code, &"x".repeat(43)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );

    let mut url = f.emulator.authorize_url();
    url.query_pairs_mut()
        .append_pair("client_id", "C1")
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", &format!("{REDIRECT}/"))
        .append_pair("scope", "spark:people_read")
        .append_pair("person_id", &f.alice);
    let response = f.http.get(url).send().await.expect("answers");
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "one extra character is a different URI"
    );
    assert!(
        response.headers().get("location").is_none(),
        "never redirect to an unregistered URI"
    );

    let (status, location) = f
        .authorize(&[("person_id", &f.alice), ("code_challenge_method", "plain")])
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(
        location
            .expect("redirect")
            .query_pairs()
            .any(|(k, _)| k == "error")
    );

    let (status, body) = f
        .token(&[
            ("grant_type", "authorization_code"),
            ("client_id", "C1"),
            ("client_secret", "wrong"),
            ("code", "x"),
        ])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
}

#[tokio::test]
async fn codes_expire_after_ten_minutes_and_access_tokens_after_fourteen_days() {
    let f = fixture(true).await;
    let code = f.code().await;
    f.clock.advance(chrono::Duration::minutes(11));
    assert_eq!(f.exchange(&code, VERIFIER).await.0, StatusCode::BAD_REQUEST);

    let code = f.code().await;
    let (_, tokens) = f.exchange(&code, VERIFIER).await;
    f.clock.advance(chrono::Duration::days(14));
    assert_eq!(
        f.me(field(&tokens, "access_token")).await,
        StatusCode::UNAUTHORIZED
    );
    let (status, refreshed) = f.refresh(field(&tokens, "refresh_token")).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "refresh tokens outlive access tokens"
    );
    assert_eq!(
        f.me(field(&refreshed, "access_token")).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn refresh_tokens_expire_after_ninety_days_unused_and_live_on_while_used() {
    let f = fixture(false).await;
    let code = f.code().await;
    let (_, tokens) = f.exchange(&code, VERIFIER).await;
    assert_eq!(tokens["refresh_token_expires_in"], 7_776_000);

    // Used every 80 days, the refresh token outlives its first 90 days.
    f.clock.advance(chrono::Duration::days(80));
    let (status, used) = f.refresh(field(&tokens, "refresh_token")).await;
    assert_eq!(status, StatusCode::OK, "{used}");
    f.clock.advance(chrono::Duration::days(80));
    let (status, used) = f.refresh(field(&used, "refresh_token")).await;
    assert_eq!(status, StatusCode::OK, "{used}");

    // Left unused for 90 days, it is refused as Webex refuses it, and so is its access token.
    f.clock.advance(chrono::Duration::days(90));
    assert_eq!(
        f.me(field(&used, "access_token")).await,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = f.refresh(field(&used, "refresh_token")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request"))
    );
    assert!(
        field(&body, "error_description").contains("expired"),
        "{body}"
    );

    // A refresh token the emulator never issued gets the same answer.
    let (status, body) = f.refresh("never-issued").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request"))
    );
}

#[tokio::test]
async fn refresh_rotates_and_reusing_an_old_refresh_token_revokes_the_grant() {
    let f = fixture(true).await;
    let code = f.code().await;
    let (_, first) = f.exchange(&code, VERIFIER).await;
    let (status, second) = f.refresh(field(&first, "refresh_token")).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(
        field(&second, "refresh_token"),
        field(&first, "refresh_token"),
        "rotated"
    );
    let (status, third) = f.refresh(field(&second, "refresh_token")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(f.me(field(&third, "access_token")).await, StatusCode::OK);

    let (status, reuse) = f.refresh(field(&first, "refresh_token")).await;
    assert_eq!(
        (status, reuse["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request"))
    );
    assert_eq!(
        f.me(field(&third, "access_token")).await,
        StatusCode::UNAUTHORIZED,
        "the whole grant is revoked"
    );
    let (_, after) = f.refresh(field(&third, "refresh_token")).await;
    assert_eq!(after["error"], "invalid_request");
}

#[tokio::test]
async fn without_rotation_the_same_refresh_token_keeps_working() {
    let f = fixture(false).await;
    let code = f.code().await;
    let (_, first) = f.exchange(&code, VERIFIER).await;
    let (_, second) = f.refresh(field(&first, "refresh_token")).await;
    assert_eq!(
        field(&second, "refresh_token"),
        field(&first, "refresh_token")
    );
    let (status, _) = f.refresh(field(&first, "refresh_token")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn revoked_grants_answer_invalid_request_and_consent_can_be_denied() {
    let f = fixture(true).await;
    let code = f.code().await;
    let (_, tokens) = f.exchange(&code, VERIFIER).await;
    f.emulator.revoke_grants(&f.alice);
    assert_eq!(
        f.me(field(&tokens, "access_token")).await,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = f.refresh(field(&tokens, "refresh_token")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request")),
        "Webex answers a revoked refresh token with invalid_request"
    );

    let code = f.code().await;
    let (_, fresh) = f.exchange(&code, VERIFIER).await;
    let revoked = f
        .http
        .post(f.emulator.control_base().join("oauth/revoke").expect("url"))
        .json(&serde_json::json!({"personId": f.alice}))
        .send()
        .await
        .expect("control answers");
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        f.me(field(&fresh, "access_token")).await,
        StatusCode::UNAUTHORIZED,
        "revoked over HTTP too"
    );

    let (status, location) = f.authorize(&[("deny", "1")]).await;
    assert_eq!(status, StatusCode::FOUND);
    let params: Vec<(String, String)> = location
        .expect("redirect")
        .query_pairs()
        .into_owned()
        .collect();
    assert!(params.contains(&("error".into(), "access_denied".into())));

    let page = f.http.get(f.authorize_url(&[])).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("Allow as Alice"), "{html}");
    assert!(html.contains(&f.alice));
}
