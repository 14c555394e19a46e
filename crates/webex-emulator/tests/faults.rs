//! Injected faults: each kind, its count, its scope, and whether the request was processed.

use crate::support::{WAIT, eventually};
use axum::http::Method;
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use std::time::{Duration, Instant, SystemTime};
use webex_emulator::{Emulator, EmulatorConfig, Fault, FaultKind, RetryAfter};

async fn setup() -> (Emulator, String, reqwest::Client) {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("starts");
    let alice = emulator.add_person("Alice", "alice@example.com", None);
    let room = emulator.create_group_room("Team", &[&alice.id]);
    (emulator, room, reqwest::Client::new())
}

async fn post_message(
    emulator: &Emulator,
    http: &reqwest::Client,
    room: &str,
) -> reqwest::Response {
    http.post(emulator.api_base().join("messages").expect("url"))
        .bearer_auth(emulator.bot_token().expose_secret())
        .json(&json!({"roomId": room, "text": "hello"}))
        .send()
        .await
        .expect("answers")
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after_and_change_nothing() {
    let (emulator, room, http) = setup().await;
    emulator.inject(Fault::new(
        Some(Method::POST),
        "/v1/messages",
        FaultKind::RateLimited {
            retry_after: RetryAfter::Seconds(2),
        },
        2,
    ));
    for _ in 0..2 {
        let response = post_message(&emulator, &http, &room).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok()),
            Some("2")
        );
        assert!(response.headers().get("trackingid").is_some());
        let body: Value = response.json().await.expect("json");
        assert!(body["errors"][0]["description"].is_string());
    }
    assert!(
        emulator.messages_in(&room).is_empty(),
        "a 429 is not processed"
    );
    assert_eq!(
        post_message(&emulator, &http, &room).await.status(),
        StatusCode::OK
    );
    assert_eq!(emulator.messages_in(&room).len(), 1);
    let statuses: Vec<u16> = emulator.requests().iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        vec![429, 429, 200],
        "faulted requests are logged too"
    );
}

#[tokio::test]
async fn retry_after_can_be_an_http_date() {
    let (emulator, room, http) = setup().await;
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000);
    emulator.inject(Fault::new(
        None,
        "/v1/",
        FaultKind::RateLimited {
            retry_after: RetryAfter::HttpDate(at),
        },
        1,
    ));
    let response = post_message(&emulator, &http, &room).await;
    let header = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .expect("header")
        .to_string();
    assert_eq!(
        httpdate::parse_http_date(&header).expect("an HTTP date"),
        at
    );
}

#[tokio::test]
async fn server_errors_match_method_and_prefix_only() {
    let (emulator, room, http) = setup().await;
    emulator.inject(Fault::new(
        Some(Method::GET),
        "/v1/messages",
        FaultKind::ServerError(503),
        1,
    ));
    assert_eq!(
        post_message(&emulator, &http, &room).await.status(),
        StatusCode::OK,
        "POST is not matched"
    );
    let id = emulator.messages_in(&room)[0].id.clone();
    let get = || {
        http.get(
            emulator
                .api_base()
                .join(&format!("messages/{id}"))
                .expect("url"),
        )
        .bearer_auth(emulator.bot_token().expose_secret())
        .send()
    };
    assert_eq!(
        get().await.expect("answers").status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        get().await.expect("answers").status(),
        StatusCode::OK,
        "fired once"
    );
    emulator.inject(Fault::new(
        None,
        "/v1/messages",
        FaultKind::ServerError(500),
        5,
    ));
    emulator.clear_faults();
    assert_eq!(get().await.expect("answers").status(), StatusCode::OK);
}

#[tokio::test]
async fn latency_delays_but_processes() {
    let (emulator, room, http) = setup().await;
    emulator.inject(Fault::new(
        None,
        "/v1/messages",
        FaultKind::Latency(Duration::from_millis(300)),
        1,
    ));
    let started = Instant::now();
    assert_eq!(
        post_message(&emulator, &http, &room).await.status(),
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(emulator.messages_in(&room).len(), 1);
}

#[tokio::test]
async fn a_latency_fault_leaves_the_pending_list_when_its_request_starts_waiting() {
    let (emulator, room, http) = setup().await;
    emulator.inject(Fault::new(
        None,
        "/v1/messages",
        FaultKind::Latency(Duration::from_secs(2)),
        1,
    ));
    assert_eq!(emulator.pending_faults().len(), 1);
    let held = tokio::spawn({
        let emulator = emulator.clone();
        async move { post_message(&emulator, &http, &room).await.status() }
    });
    eventually("the request to take the fault", WAIT, async || {
        let pending = emulator.pending_faults();
        if pending.is_empty() {
            Ok(())
        } else {
            Err(pending)
        }
    })
    .await;
    assert!(
        emulator.requests().is_empty(),
        "taken on arrival: the request is still being held"
    );
    assert_eq!(held.await.expect("joined"), StatusCode::OK);
    assert_eq!(emulator.requests().len(), 1);
}

#[tokio::test]
async fn a_dropped_response_still_commits_the_change() {
    let (emulator, room, _) = setup().await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(500))
        .build()
        .expect("client");
    emulator.inject(Fault::new(
        Some(Method::POST),
        "/v1/messages",
        FaultKind::DropResponseAfterProcessing,
        1,
    ));
    let outcome = http
        .post(emulator.api_base().join("messages").expect("url"))
        .bearer_auth(emulator.bot_token().expose_secret())
        .json(&json!({"roomId": room, "text": "hello"}))
        .send()
        .await;
    assert!(outcome.is_err(), "the client never gets an answer");
    assert_eq!(
        emulator.messages_in(&room).len(),
        1,
        "but the message was stored"
    );
    let logged = emulator.requests();
    assert!(logged[0].response_dropped);
    assert_eq!(logged[0].status, 200);
    assert_eq!(
        post_message(&emulator, &http, &room).await.status(),
        StatusCode::OK
    );
}
