//! The settings reader's own tests: defaults, every problem at once, no secret in Debug.

use super::*;

const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // 32 bytes

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn minimal() -> HashMap<String, String> {
    vars(&[
        ("PUBLIC_URL", "https://bot.example.com/base"),
        ("WEBEX_BOT_TOKEN", "bot-token-value-xyz"),
        (
            "WEBEX_WEBHOOK_SECRET",
            "first-secret-0123456, second-secret-654321",
        ),
        ("TOKEN_ENCRYPTION_KEY", KEY),
    ])
}

#[test]
fn minimal_configuration_loads_with_defaults() {
    let s = Settings::from_vars(&minimal()).expect("valid");
    assert_eq!(s.webex.api_url.as_str(), "https://webexapis.com/v1");
    assert_eq!(
        s.oauth.token_url.as_str(),
        "https://webexapis.com/v1/access_token"
    );
    assert_eq!(
        s.oauth.authorize_url.as_str(),
        "https://webexapis.com/v1/authorize"
    );
    assert_eq!(
        s.webhook_url().as_str(),
        "https://bot.example.com/base/webhooks/webex"
    );
    assert_eq!(
        s.oauth_redirect_url().as_str(),
        "https://bot.example.com/base/oauth/callback"
    );
    assert_eq!(s.webex.webhook_secrets.len(), 2);
    assert_eq!(s.webex.requests_per_minute, 100);
    assert_eq!(s.default_timezone, Tz::UTC);
    assert_eq!(s.limits.retention.as_secs(), 30 * 24 * 3600);
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut v = vars(&[
        ("PUBLIC_URL", "not a url"),
        ("WEBEX_WEBHOOK_SECRET", "short"),
        ("TOKEN_ENCRYPTION_KEY", "c2hvcnQ="),
        ("DEFAULT_TIMEZONE", "Mars/Olympus"),
        ("WEBEX_REQUESTS_PER_MINUTE", "lots"),
        ("DATA_RETENTION_DAYS", "1"),
    ]);
    v.insert("SMTP_URL".into(), "ftp://user:hunter2@x".into());
    let err = Settings::from_vars(&v).expect_err("invalid");
    let text = err.to_string();
    for expected in [
        "PUBLIC_URL",
        "WEBEX_BOT_TOKEN is missing",
        "at least 16 characters",
        "must be 32 bytes, this one is 5",
        "Mars/Olympus",
        "WEBEX_REQUESTS_PER_MINUTE",
        "DATA_RETENTION_DAYS must be at least 2",
        "SMTP_URL",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    assert!(!text.contains("hunter2"), "SMTP password leaked: {text}");
    assert!(err.problems.len() >= 8);
}

#[test]
fn debug_output_shows_no_secret() {
    let mut v = minimal();
    v.insert(
        "SMTP_URL".into(),
        "smtps://me:smtp-pass-777@mail.example.com".into(),
    );
    v.insert("WEBEX_CLIENT_SECRET".into(), "client-secret-888".into());
    let s = Settings::from_vars(&v).expect("valid");
    let debug = format!("{s:?}");
    for secret in [
        "bot-token-value-xyz",
        "first-secret-0123456",
        "smtp-pass-777",
        "client-secret-888",
        KEY,
    ] {
        assert!(!debug.contains(secret), "{secret} leaked in Debug");
    }
}

#[test]
fn previous_encryption_keys_are_kept_in_order() {
    let mut v = minimal();
    v.insert(
        "TOKEN_ENCRYPTION_KEYS_PREVIOUS".into(),
        format!("{KEY},{KEY}"),
    );
    let s = Settings::from_vars(&v).expect("valid");
    assert_eq!(s.encryption_keys.len(), 3);
}
