//! A person's grant that can no longer be refreshed, end to end, on one clock shared by the bot
//! and the emulator: days pass without waiting for them.
//!
//! Webex answers an expired or revoked refresh token with `400 invalid_request` (not only
//! `invalid_grant`), and every 4xx from the token endpoint means "connect again": the person is
//! told once, the request waits (parked) and is carried out after they reconnect. Network
//! trouble and 5xx from the token endpoint are only a reason to try again later.

use crate::common::{self, TestApp};
use chrono::{Duration, DurationRound, Utc};
use scheduler_core::clock::{Clock, FixedClock};
use secrecy::ExposeSecret;
use serde_json::json;
use std::time::Instant;
use webex_emulator::{Fault, FaultKind};

const RECONNECT_NOTICE: &str = "revoked or has expired";

/// The bot and the emulator at the same pinned instant, the person connected at that instant.
async fn connected_at(clock: &FixedClock) -> TestApp {
    let app = common::spawn_app_at(clock.clone()).await;
    app.connect(&app.person.id).await;
    app
}

/// Puts a meeting in the person's Webex calendar tomorrow (as if made in Webex itself), so a
/// `list` that reaches Webex shows it whatever the reply's wording.
async fn meeting_tomorrow(app: &TestApp, clock: &FixedClock, title: &str) {
    let token = app
        .emulator
        .issue_user_token(&app.person.id, &["meeting:schedules_write"]);
    let start = clock.now() + Duration::days(1);
    let response = app
        .http
        .post(app.emulator.api_base().join("meetings").unwrap())
        .bearer_auth(token.expose_secret())
        .json(&json!({
            "title": title,
            "start": start.to_rfc3339(),
            "end": (start + Duration::minutes(30)).to_rfc3339(),
            "timezone": "Europe/Berlin",
        }))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{:?}",
        response.text().await
    );
}

fn reconnect_notices(app: &TestApp) -> usize {
    app.bot_messages(&app.direct)
        .iter()
        .filter(|m| {
            m.markdown
                .as_deref()
                .unwrap_or("")
                .contains(RECONNECT_NOTICE)
        })
        .count()
}

async fn wait_until_parked(app: &TestApp) {
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    while app.store.parked_jobs(&app.person.id).await.unwrap() == 0 {
        assert!(Instant::now() < deadline, "the request was not parked");
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// Waits until the only unfinished job is one waiting to be tried again.
async fn wait_until_waiting_to_retry(app: &TestApp) {
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let counts = app.store.job_counts().await.unwrap();
        if counts.pending == 1 && counts.running == 0 && app.token_calls() > 1 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no retry was scheduled: {counts:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

fn pinned_now() -> FixedClock {
    FixedClock::at(Utc::now().duration_trunc(Duration::minutes(1)).unwrap())
}

#[tokio::test]
async fn an_expired_refresh_token_asks_once_to_connect_again_and_the_list_resumes_after() {
    let clock = pinned_now();
    let app = connected_at(&clock).await;

    // 91 days without a word to the bot: the access token (14 days) and the refresh token
    // (90 days) have both expired, and Webex answers the refresh with 400 invalid_request.
    clock.advance(Duration::days(91));
    meeting_tomorrow(&app, &clock, "Quarterly review").await;
    for _ in 0..2 {
        app.emulator
            .post_as(&app.person.id, &app.direct, "list")
            .await
            .unwrap();
    }
    app.wait_for_text(&app.direct, RECONNECT_NOTICE).await;
    wait_until_parked(&app).await;
    app.wait_until_settled().await;
    let refused = app
        .emulator
        .requests()
        .into_iter()
        .any(|r| r.path.ends_with("/access_token") && r.status == 400);
    assert!(refused, "the emulator refused a refresh");
    assert_eq!(reconnect_notices(&app), 1, "told once, in a direct message");
    let counts = app.store.job_counts().await.unwrap();
    assert_eq!(
        (counts.pending, counts.running, counts.dead),
        (0, 0, 0),
        "nothing retried or dropped: {counts:?}"
    );
    assert!(
        app.bot_messages(&app.direct).iter().all(|m| !m
            .markdown
            .as_deref()
            .unwrap_or("")
            .contains("Quarterly review")),
        "nothing was listed with a grant that is gone"
    );
    let calls_while_parked = app.token_calls();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.token_calls(),
        calls_while_parked,
        "no further refresh attempts"
    );

    // Connecting again carries out what was asked.
    app.connect(&app.person.id).await;
    app.wait_for_text(&app.direct, "Quarterly review").await;
    app.wait_until_settled().await;
    assert_eq!(app.store.parked_jobs(&app.person.id).await.unwrap(), 0);
    assert_eq!(app.store.job_counts().await.unwrap().dead, 0);
    assert_eq!(reconnect_notices(&app), 1, "still told only once");
}

#[tokio::test]
async fn a_token_endpoint_5xx_is_tried_again_later_not_a_reason_to_reconnect() {
    let clock = pinned_now();
    let app = connected_at(&clock).await;

    // The access token has expired (14 days), the refresh token has not (90 days), and the
    // token endpoint is failing.
    clock.advance(Duration::days(15));
    meeting_tomorrow(&app, &clock, "Budget sync").await;
    let before = app.token_calls();
    app.emulator.inject(Fault::new(
        None,
        "/v1/access_token",
        FaultKind::ServerError(503),
        1000,
    ));
    app.emulator
        .post_as(&app.person.id, &app.direct, "list")
        .await
        .unwrap();
    wait_until_waiting_to_retry(&app).await;
    assert!(app.token_calls() > before, "the refresh was attempted");
    assert_eq!(reconnect_notices(&app), 0, "nobody is asked to reconnect");
    assert_eq!(app.store.parked_jobs(&app.person.id).await.unwrap(), 0);
    assert!(app.tokens_stored(&app.person.id).await, "the grant is kept");
    assert!(
        !app.store
            .person_prefs(&app.person.id)
            .await
            .unwrap()
            .needs_reconnect
    );

    // Once the token endpoint is back, the retry lists the meetings.
    app.emulator.clear_faults();
    clock.advance(Duration::minutes(10));
    app.wait_for_text(&app.direct, "Budget sync").await;
    app.wait_until_settled().await;
    assert_eq!(reconnect_notices(&app), 0);
    assert_eq!(app.store.job_counts().await.unwrap().dead, 0);
}
