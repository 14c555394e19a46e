//! The Webex client against small scripted HTTP servers on 127.0.0.1.
//!
//! Each test starts its own axum server whose handler records every request (arrival instant,
//! wall-clock time, method, URI, bearer token, body) and answers from a script. Assertions are
//! made on what the server saw, not on what the client believes it did.

use crate::common::{WAIT, eventually};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::DateTime;
use secrecy::SecretString;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use url::Url;
use webex_scheduler::webex::{
    Auth, MeetingQuery, MeetingType, NewMeeting, NewMessage, UpdateWebhook, WebexClient,
    WebexConfig, WebexError, WebhookStatus,
};

const BOT_TOKEN: &str = "bot-token-DO-NOT-LEAK-7f3a";
const USER_TOKEN: &str = "user-token-DO-NOT-LEAK-91c2";

// ---------------------------------------------------------------------------------------------
// Scripted server

#[derive(Clone, Debug)]
struct Hit {
    at: Instant,
    wall: SystemTime,
    method: Method,
    uri: String,
    host: String,
    token: String,
    body: String,
}

impl Hit {
    fn path(&self) -> &str {
        self.uri.split('?').next().unwrap_or_default()
    }
}

/// What the script answers, optionally after a delay (to provoke client timeouts).
struct Answer {
    delay: Duration,
    response: Response,
}

impl Answer {
    fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

fn answer(status: u16, body: Value) -> Answer {
    let status = StatusCode::from_u16(status).unwrap();
    let response = if status == StatusCode::NO_CONTENT {
        status.into_response()
    } else {
        (status, axum::Json(body)).into_response()
    };
    Answer {
        delay: Duration::ZERO,
        response,
    }
}

fn with_header(mut a: Answer, name: &'static str, value: &str) -> Answer {
    a.response
        .headers_mut()
        .insert(name, HeaderValue::from_str(value).unwrap());
    a
}

fn rate_limited(retry_after: &str) -> Answer {
    with_header(answer(429, json!({})), "retry-after", retry_after)
}

/// The script sees the request and every earlier one.
type Script = dyn Fn(&Hit, &[Hit]) -> Answer + Send + Sync;

struct ServerState {
    hits: Mutex<Vec<Hit>>,
    script: Box<Script>,
}

struct TestServer {
    base: Url,
    state: Arc<ServerState>,
}

impl TestServer {
    fn hits(&self) -> Vec<Hit> {
        self.state.hits.lock().unwrap().clone()
    }

    fn hits_to(&self, path_suffix: &str) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.path().ends_with(path_suffix))
            .collect()
    }
}

async fn serve(script: impl Fn(&Hit, &[Hit]) -> Answer + Send + Sync + 'static) -> TestServer {
    let state = Arc::new(ServerState {
        hits: Mutex::new(Vec::new()),
        script: Box::new(script),
    });
    let app = Router::new()
        .fallback(record_and_answer)
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    TestServer {
        base: Url::parse(&format!("http://{addr}/v1")).unwrap(),
        state,
    }
}

async fn record_and_answer(
    State(state): State<Arc<ServerState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let hit = Hit {
        at: Instant::now(),
        wall: SystemTime::now(),
        method,
        uri: uri.to_string(),
        host: headers
            .get("host")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        token: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default()
            .to_owned(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let Answer { delay, response } = {
        let mut hits = state.hits.lock().unwrap();
        let answer = (state.script)(&hit, &hits);
        hits.push(hit);
        answer
    };
    // The scripted latency is the behaviour under test (timeouts, slow Webex).
    tokio::time::sleep(delay).await;
    response
}

fn config(server: &TestServer) -> WebexConfig {
    WebexConfig {
        api_base: server.base.clone(),
        bot_token: SecretString::from(BOT_TOKEN),
        // High enough that pacing never slows a test down unless the test is about pacing.
        requests_per_minute: 6000,
        timeout: Duration::from_secs(5),
        max_rate_limit_wait: Duration::from_secs(20),
    }
}

fn client(server: &TestServer) -> WebexClient {
    WebexClient::new(config(server)).unwrap()
}

fn user() -> Auth {
    Auth::User(SecretString::from(USER_TOKEN))
}

fn person(id: &str) -> Value {
    json!({"id": id, "emails": [format!("{id}@example.com")], "displayName": id, "type": "person"})
}

fn meeting_json(id: &str) -> Value {
    json!({
        "id": id, "meetingNumber": "123456789", "title": "Standup",
        "start": "2027-03-29T15:00:00+02:00", "end": "2027-03-29T15:30:00+02:00",
        "timezone": "Europe/Berlin", "meetingType": "meetingSeries", "state": "active",
        "webLink": "https://example.webex.com/j.php?MTID=m1", "integrationTags": ["cmd-1"]
    })
}

fn new_meeting() -> NewMeeting {
    NewMeeting {
        title: "Standup".into(),
        start: DateTime::parse_from_rfc3339("2027-03-29T15:00:00+02:00").unwrap(),
        end: DateTime::parse_from_rfc3339("2027-03-29T15:30:00+02:00").unwrap(),
        timezone: Some("Europe/Berlin".into()),
        integration_tags: vec!["cmd-1".into()],
        ..NewMeeting::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Error mapping

#[tokio::test]
async fn status_codes_map_to_typed_errors_with_message_and_tracking_id() {
    let server = serve(|hit, _| match hit.path() {
        "/v1/people/expired" => with_header(answer(401, json!({})), "trackingid", "NA_401"),
        "/v1/people/gone" => with_header(answer(404, json!({})), "Trackingid", "NA_404"),
        "/v1/people/bad" => answer(
            400,
            json!({"message": "Required request body is missing",
                   "errors": [{"description": "Required request body is missing"}],
                   "trackingId": "NA_400"}),
        ),
        "/v1/people/forbidden" => with_header(
            answer(403, json!({"message": "Not a member"})),
            "trackingid",
            "NA_403",
        ),
        _ => answer(500, json!({"message": "boom", "trackingId": "NA_500"})),
    })
    .await;
    let c = client(&server);

    assert_eq!(
        c.person(&user(), "expired").await.unwrap_err(),
        WebexError::Unauthorized {
            tracking_id: Some("NA_401".into())
        }
    );
    assert_eq!(
        c.person(&user(), "gone").await.unwrap_err(),
        WebexError::NotFound {
            tracking_id: Some("NA_404".into())
        }
    );
    assert_eq!(
        c.person(&user(), "bad").await.unwrap_err(),
        WebexError::Api {
            status: 400,
            message: "Required request body is missing".into(),
            tracking_id: Some("NA_400".into()),
        }
    );
    assert_eq!(
        c.person(&user(), "forbidden").await.unwrap_err(),
        WebexError::Api {
            status: 403,
            message: "Not a member".into(),
            tracking_id: Some("NA_403".into()),
        }
    );
    let err = c.person(&user(), "crash").await.unwrap_err();
    assert_eq!(
        err,
        WebexError::Api {
            status: 500,
            message: "boom".into(),
            tracking_id: Some("NA_500".into()),
        }
    );
    assert!(err.is_ambiguous() && err.is_transient());
    // Client errors are final: one request each, no retries.
    for path in ["expired", "gone", "bad", "forbidden"] {
        assert_eq!(server.hits_to(path).len(), 1, "{path}");
    }
}

#[tokio::test]
async fn a_2xx_body_that_is_not_the_expected_shape_is_a_decode_error() {
    let server = serve(|_, _| answer(200, json!({"no": "id"}))).await;
    let err = client(&server).me(&Auth::Bot).await.unwrap_err();
    assert!(matches!(err, WebexError::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout_and_counts_as_ambiguous() {
    let server = serve(|_, _| answer(200, meeting_json("M1")).after(Duration::from_secs(3))).await;
    let c = WebexClient::new(WebexConfig {
        timeout: Duration::from_millis(300),
        ..config(&server)
    })
    .unwrap();

    let err = c.create_meeting(&user(), &new_meeting()).await.unwrap_err();

    assert_eq!(err, WebexError::Timeout);
    assert!(err.is_ambiguous());
    assert_eq!(server.hits().len(), 1, "a timed-out POST is not resent");
}

#[tokio::test]
async fn an_unreachable_server_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let c = WebexClient::new(WebexConfig {
        api_base: Url::parse(&format!("http://{addr}/v1")).unwrap(),
        bot_token: SecretString::from(BOT_TOKEN),
        requests_per_minute: 6000,
        timeout: Duration::from_secs(2),
        max_rate_limit_wait: Duration::from_secs(2),
    })
    .unwrap();
    let err = c.me(&Auth::Bot).await.unwrap_err();
    assert!(matches!(err, WebexError::Network(_)), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Retry-After

#[tokio::test]
async fn retry_after_in_seconds_is_waited_before_the_retry() {
    let server = serve(|_, before| match before.len() {
        0 => rate_limited("1"),
        _ => answer(200, person("alice")),
    })
    .await;

    let me = client(&server).me(&user()).await.unwrap();

    assert_eq!(me.id, "alice");
    let hits = server.hits();
    assert_eq!(hits.len(), 2);
    assert!(hits[1].at - hits[0].at >= Duration::from_secs(1));
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_waited_until_that_date() {
    let server = serve(|_, before| match before.len() {
        0 => rate_limited(&httpdate::fmt_http_date(
            SystemTime::now() + Duration::from_secs(2),
        )),
        _ => answer(200, person("alice")),
    })
    .await;

    client(&server).me(&user()).await.unwrap();

    let hits = server.hits();
    assert_eq!(hits.len(), 2);
    // HTTP-dates have whole seconds: the retry may come no earlier than the date as written.
    let written = httpdate::parse_http_date(&httpdate::fmt_http_date(
        hits[0].wall + Duration::from_secs(2),
    ))
    .unwrap();
    assert!(
        hits[1].wall >= written,
        "retried {:?} before the date {:?}",
        hits[1].wall,
        written
    );
}

#[tokio::test]
async fn garbage_retry_after_falls_back_and_a_short_budget_gives_up_with_rate_limited() {
    let server = serve(|_, _| rate_limited("after lunch")).await;
    let c = WebexClient::new(WebexConfig {
        max_rate_limit_wait: Duration::from_secs(2),
        ..config(&server)
    })
    .unwrap();
    let started = Instant::now();

    let err = c.me(&user()).await.unwrap_err();

    // The 5 s fallback does not fit a 2 s budget: give up at once instead of sleeping in vain.
    let WebexError::RateLimited { retry_after } = err else {
        panic!("expected RateLimited, got {err:?}");
    };
    assert!(
        retry_after > Duration::from_millis(4500) && retry_after <= Duration::from_secs(5),
        "{retry_after:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(server.hits().len(), 1);
}

#[tokio::test]
async fn a_rate_limit_that_outlasts_the_budget_ends_in_rate_limited_after_waiting_what_fits() {
    let server = serve(|_, _| rate_limited("1")).await;
    let c = WebexClient::new(WebexConfig {
        max_rate_limit_wait: Duration::from_millis(2500),
        ..config(&server)
    })
    .unwrap();
    let started = Instant::now();

    let err = c.me(&user()).await.unwrap_err();

    assert!(matches!(err, WebexError::RateLimited { .. }), "{err:?}");
    let hits = server.hits();
    assert_eq!(hits.len(), 3, "waits of 1 s fit twice into 2.5 s");
    assert!(started.elapsed() < Duration::from_millis(3500));
}

// ---------------------------------------------------------------------------------------------
// A 429 storm shared by concurrent callers

const STORM_ROUNDS: usize = 3;
/// Requests already on the wire when the first 429 went out cannot know about it yet.
const IN_FLIGHT_GRACE: Duration = Duration::from_millis(150);

#[derive(Default)]
struct Storm {
    rounds_left: usize,
    /// (opened, closes) of every Retry-After the server asked for.
    windows: Vec<(Instant, Instant)>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_storm_pauses_every_caller_of_the_token_and_not_other_tokens() {
    let storm = Arc::new(Mutex::new(Storm {
        rounds_left: STORM_ROUNDS,
        windows: Vec::new(),
    }));
    let script_storm = storm.clone();
    let server = serve(move |hit, _| {
        if hit.token != BOT_TOKEN {
            return answer(200, person("user"));
        }
        let mut storm = script_storm.lock().unwrap();
        let inside_window = storm.windows.iter().any(|(_, closes)| hit.at < *closes);
        if inside_window || storm.rounds_left > 0 {
            if !inside_window {
                storm.rounds_left -= 1;
            }
            storm
                .windows
                .push((hit.at, hit.at + Duration::from_secs(1)));
            return rate_limited("1");
        }
        answer(200, person("bot"))
    })
    .await;
    let c = client(&server);
    let started = Instant::now();

    // Staggered, so most callers start while a pause they never saw a 429 for is running.
    let bot_callers = (0..10u32).map(|i| {
        let c = c.clone();
        tokio::spawn(async move {
            if i > 0 {
                // Well after the first 429 reached the client, well before its pause ends: the
                // timing of the callers is the scenario under test.
                tokio::time::sleep(Duration::from_millis(200) + Duration::from_millis(70) * i)
                    .await;
            }
            c.me(&Auth::Bot).await
        })
    });
    let bot_callers: Vec<_> = bot_callers.collect();
    // The user's call goes out while the bot token is paused: once the first 429 was sent.
    eventually("the first 429 of the storm", WAIT, async || {
        match storm.lock().unwrap().windows.len() {
            0 => Err("no 429 sent yet"),
            _ => Ok(()),
        }
    })
    .await;
    let user_started = Instant::now();
    let user_result = c.me(&user()).await;
    let user_took = user_started.elapsed();
    let bot_results = tokio::time::timeout(
        Duration::from_secs(15),
        futures::future::join_all(bot_callers),
    )
    .await
    .expect("the storm should be over within 15 s");

    // Everyone got through in the end.
    assert_eq!(user_result.unwrap().id, "user");
    for result in bot_results {
        assert_eq!(result.unwrap().unwrap().id, "bot");
    }
    // No bot request arrived while a Retry-After it could have known about was running.
    let windows = storm.lock().unwrap().windows.clone();
    let bot_hits: Vec<Hit> = server
        .hits()
        .into_iter()
        .filter(|h| h.token == BOT_TOKEN)
        .collect();
    for hit in &bot_hits {
        for (opened, closes) in &windows {
            assert!(
                !(hit.at > *opened + IN_FLIGHT_GRACE && hit.at < *closes),
                "request at +{:?} inside the wait {:?}..{:?}",
                hit.at - started,
                *opened - started,
                *closes - started
            );
        }
    }
    // The storm really was waited out, round after round.
    let last_bot = bot_hits.iter().map(|h| h.at).max().unwrap();
    assert!(last_bot - started >= Duration::from_secs(STORM_ROUNDS as u64));
    // The other token sailed through while the bot token was paused.
    assert!(
        user_took < Duration::from_millis(500),
        "user call took {user_took:?}"
    );
    let user_hit = server
        .hits()
        .into_iter()
        .find(|h| h.token == USER_TOKEN)
        .unwrap();
    assert!(
        windows
            .iter()
            .any(|(opened, closes)| user_hit.at > *opened && user_hit.at < *closes),
        "the user request should have landed while the bot token was blocked"
    );
}

// ---------------------------------------------------------------------------------------------
// Retries: reads yes, POST /meetings never

#[tokio::test]
async fn post_meetings_is_not_retried_on_500_but_a_get_is() {
    let server = serve(|_, _| answer(500, json!({"message": "internal"}))).await;
    let c = client(&server);

    let created = c.create_meeting(&user(), &new_meeting()).await.unwrap_err();
    let fetched = c.meeting(&user(), "M1").await.unwrap_err();

    assert!(created.is_ambiguous(), "{created:?}");
    assert!(matches!(fetched, WebexError::Api { status: 500, .. }));
    let posts: Vec<_> = server
        .hits()
        .into_iter()
        .filter(|h| h.method == Method::POST)
        .collect();
    assert_eq!(posts.len(), 1);
    assert_eq!(
        server.hits_to("/meetings/M1").len(),
        3,
        "GET tried 1 + 2 times"
    );
}

#[tokio::test]
async fn a_get_that_fails_once_succeeds_on_retry() {
    let server = serve(|_, before| match before.len() {
        0 => answer(503, json!({})),
        _ => answer(200, meeting_json("M1")),
    })
    .await;
    let meeting = client(&server).meeting(&user(), "M1").await.unwrap();
    assert_eq!(meeting.id, "M1");
    assert_eq!(server.hits().len(), 2);
}

#[tokio::test]
async fn a_get_retried_after_503_honours_its_retry_after() {
    let server = serve(|_, before| match before.len() {
        0 => with_header(answer(503, json!({})), "retry-after", "1"),
        _ => answer(200, person("alice")),
    })
    .await;

    client(&server).me(&Auth::Bot).await.unwrap();

    let hits = server.hits();
    assert_eq!(hits.len(), 2);
    assert!(hits[1].at - hits[0].at >= Duration::from_secs(1));
}

#[tokio::test]
async fn post_meetings_waits_out_a_429_because_webex_did_not_process_it() {
    let server = serve(|_, before| match before.len() {
        0 => rate_limited("1"),
        _ => answer(200, meeting_json("M1")),
    })
    .await;

    let meeting = client(&server)
        .create_meeting(&user(), &new_meeting())
        .await
        .unwrap();

    assert_eq!(meeting.id, "M1");
    let hits = server.hits();
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h.method == Method::POST));
    assert!(hits[1].at - hits[0].at >= Duration::from_secs(1));
    let sent: Value = serde_json::from_str(&hits[1].body).unwrap();
    assert_eq!(sent["integrationTags"], json!(["cmd-1"]));
    assert_eq!(sent["sendEmail"], false);
    assert_eq!(sent["start"], "2027-03-29T15:00:00+02:00");
}

// ---------------------------------------------------------------------------------------------
// Pagination

#[tokio::test]
async fn memberships_follow_next_links_across_three_pages() {
    let server = serve(|hit, _| {
        let base = "http://example.invalid"; // never followed: only rel="next" counts
        let member = |n: u32| json!({"personId": format!("P{n}"), "personEmail": format!("p{n}@example.com"), "roomId": "R"});
        if hit.uri.contains("cursor=3") {
            answer(200, json!({"items": [member(5)]}))
        } else if hit.uri.contains("cursor=2") {
            let a = answer(200, json!({"items": [member(3), member(4)]}));
            // Relative link with Webex's old max=null defect.
            with_header(
                a,
                "link",
                r#"</v1/memberships?roomId=R&cursor=3&max=null>; rel="next""#,
            )
        } else {
            let a = answer(200, json!({"items": [member(1), member(2)]}));
            let host = format!("http://{}", hit.host);
            with_header(
                a,
                "link",
                &format!(
                    r#"<{base}/v1/memberships?first>; rel="first", <{host}/v1/memberships?roomId=R&max=100&cursor=2>; rel="next""#
                ),
            )
        }
    })
    .await;

    let members = client(&server).memberships("R").await.unwrap();

    let ids: Vec<_> = members.iter().map(|m| m.person_id.as_str()).collect();
    assert_eq!(ids, ["P1", "P2", "P3", "P4", "P5"]);
    let hits = server.hits();
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[0].uri, "/v1/memberships?roomId=R&max=100");
    assert!(hits[2].uri.contains("max=100") && !hits[2].uri.contains("null"));
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed_with_our_token() {
    let server = serve(|_, _| {
        with_header(
            answer(200, json!({"items": []})),
            "link",
            r#"<https://attacker.example.com/v1/webhooks?cursor=2>; rel="next""#,
        )
    })
    .await;
    let err = client(&server).webhooks().await.unwrap_err();
    assert!(matches!(err, WebexError::Decode(_)), "{err:?}");
    assert_eq!(server.hits().len(), 1);
}

#[tokio::test]
async fn meetings_are_listed_with_the_query_and_across_pages() {
    let server = serve(|hit, _| {
        if hit.uri.contains("page=2") {
            answer(200, json!({"items": [meeting_json("M2")]}))
        } else {
            with_header(
                answer(200, json!({"items": [meeting_json("M1")]})),
                "link",
                r#"</v1/meetings?page=2>; rel="next""#,
            )
        }
    })
    .await;
    let query = MeetingQuery {
        from: Some(DateTime::parse_from_rfc3339("2027-03-29T14:55:00+02:00").unwrap()),
        to: Some(DateTime::parse_from_rfc3339("2027-03-29T15:05:00+02:00").unwrap()),
        meeting_type: Some(MeetingType::MeetingSeries),
        integration_tag: Some("cmd-1".into()),
        max: Some(10),
        ..MeetingQuery::default()
    };

    let meetings = client(&server).meetings(&user(), &query).await.unwrap();

    assert_eq!(
        meetings.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        ["M1", "M2"]
    );
    let first = Url::parse(&format!("http://x{}", server.hits()[0].uri)).unwrap();
    let pairs: Vec<(String, String)> = first.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("from".to_owned(), "2027-03-29T14:55:00+02:00".to_owned()),
            ("to".to_owned(), "2027-03-29T15:05:00+02:00".to_owned()),
            ("meetingType".to_owned(), "meetingSeries".to_owned()),
            ("integrationTag".to_owned(), "cmd-1".to_owned()),
            ("max".to_owned(), "10".to_owned()),
        ]
    );
    assert!(server.hits().iter().all(|h| h.token == USER_TOKEN));
}

// ---------------------------------------------------------------------------------------------
// Requests as sent

#[tokio::test]
async fn each_call_carries_the_token_its_auth_names() {
    let server = serve(|hit, _| answer(200, person(&hit.token))).await;
    let c = client(&server);

    c.me(&Auth::Bot).await.unwrap();
    c.me(&user()).await.unwrap();
    c.room("R1").await.unwrap();

    let tokens: Vec<_> = server.hits().into_iter().map(|h| h.token).collect();
    assert_eq!(tokens, [BOT_TOKEN, USER_TOKEN, BOT_TOKEN]);
}

#[tokio::test]
async fn bot_calls_use_the_documented_paths_and_bodies() {
    let server = serve(|hit, _| match (hit.method.as_str(), hit.path()) {
        ("POST", "/v1/messages") => answer(
            200,
            json!({"id": "MSG1", "roomId": "R1", "roomType": "group", "markdown": "hi"}),
        ),
        ("GET", "/v1/attachment/actions/A1") => answer(
            200,
            json!({"id": "A1", "type": "submit", "messageId": "MSG1",
                   "inputs": {"action": "schedule", "title": "Standup"}, "personId": "P1", "roomId": "R1",
                   "created": "2026-03-02T20:25:57.938Z"}),
        ),
        ("PUT", "/v1/webhooks/W1") => answer(
            200,
            json!({"id": "W1", "name": "hook", "targetUrl": "https://bot.example.com/webex",
                   "resource": "messages", "event": "created", "status": "active"}),
        ),
        ("DELETE", _) => answer(204, Value::Null),
        _ => answer(404, json!({})),
    })
    .await;
    let c = client(&server);

    let posted = c
        .post_message(&NewMessage::markdown_to_room("R1", "hi"))
        .await
        .unwrap();
    let action = c.attachment_action("A1").await.unwrap();
    let hook = c
        .update_webhook(
            "W1",
            &UpdateWebhook {
                name: "hook".into(),
                target_url: "https://bot.example.com/webex".into(),
                secret: None,
                status: Some(WebhookStatus::Active),
            },
        )
        .await
        .unwrap();
    c.delete_message("MSG1").await.unwrap();
    c.delete_meeting(&user(), "M1", false).await.unwrap();

    assert_eq!(posted.id, "MSG1");
    assert_eq!(action.inputs["title"], "Standup");
    assert_eq!(hook.status, Some(WebhookStatus::Active));
    let hits = server.hits();
    assert_eq!(
        serde_json::from_str::<Value>(&hits[0].body).unwrap(),
        json!({"roomId": "R1", "markdown": "hi"})
    );
    assert_eq!(
        serde_json::from_str::<Value>(&hits[2].body).unwrap(),
        json!({"name": "hook", "targetUrl": "https://bot.example.com/webex", "status": "active"})
    );
    assert_eq!(hits[3].uri, "/v1/messages/MSG1");
    assert_eq!(hits[4].uri, "/v1/meetings/M1?sendEmail=false");
    assert_eq!(hits[4].token, USER_TOKEN);
}

// ---------------------------------------------------------------------------------------------
// Pacing end to end

#[tokio::test]
async fn the_client_paces_requests_beyond_the_burst() {
    let server = serve(|_, _| answer(200, person("p"))).await;
    // 600/min: a burst of 24, then one every 60 s / 576 ≈ 104 ms.
    let c = WebexClient::new(WebexConfig {
        requests_per_minute: 600,
        ..config(&server)
    })
    .unwrap();
    let started = Instant::now();

    let calls = (0..34).map(|_| c.me(&Auth::Bot));
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }

    let period = Duration::from_secs(60) / 576;
    let hits = server.hits();
    let in_first_burst = hits.iter().filter(|h| h.at - started < period / 2).count();
    assert!(
        in_first_burst <= 24,
        "{in_first_burst} requests in the burst"
    );
    let spread = hits.iter().map(|h| h.at).max().unwrap() - started;
    assert!(spread >= period * 9, "34 requests took only {spread:?}");
}

// ---------------------------------------------------------------------------------------------
// Secrets

/// Collects log output so the test can read what the client logged.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tokens_never_appear_in_debug_display_errors_or_logs_and_tracking_ids_are_logged() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = serve(|hit, _| {
        let tracked = |a| {
            with_header(
                a,
                "trackingid",
                &format!("TRK_{}", hit.path().replace('/', "_")),
            )
        };
        match hit.path() {
            "/v1/people/401" => tracked(answer(401, json!({}))),
            "/v1/people/404" => tracked(answer(404, json!({}))),
            "/v1/people/400" => tracked(answer(400, json!({"message": "nope"}))),
            "/v1/people/429" => tracked(rate_limited("30")),
            "/v1/people/decode" => tracked(answer(200, json!([]))),
            _ => tracked(answer(500, json!({}))),
        }
    })
    .await;
    let c = WebexClient::new(WebexConfig {
        max_rate_limit_wait: Duration::from_secs(1),
        ..config(&server)
    })
    .unwrap();

    let mut errors = vec![c.create_meeting(&user(), &new_meeting()).await.unwrap_err()];
    // 429 last: it pauses the token for longer than the test runs.
    for path in ["401", "404", "400", "decode", "500", "429"] {
        errors.push(c.person(&Auth::Bot, path).await.unwrap_err());
        errors.push(c.person(&user(), path).await.unwrap_err());
    }

    let client_debug = format!("{c:?}");
    let auth_debug = format!("{:?}", user());
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    for secret in [BOT_TOKEN, USER_TOKEN] {
        assert!(!client_debug.contains(secret));
        assert!(!auth_debug.contains(secret));
        assert!(!logged.contains(secret), "token in logs");
        for err in &errors {
            assert!(!format!("{err}").contains(secret));
            assert!(!format!("{err:?}").contains(secret));
        }
    }
    for tracking in [
        "TRK__v1_people_401",
        "TRK__v1_people_400",
        "TRK__v1_people_429",
        "TRK__v1_people_500",
        "TRK__v1_meetings",
    ] {
        assert!(
            logged.contains(tracking),
            "{tracking} not logged:\n{logged}"
        );
    }
}
