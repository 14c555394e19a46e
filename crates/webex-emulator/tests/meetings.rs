//! Meetings and invitees over HTTP, with "now" pinned by a fixed clock.

use chrono::{TimeZone, Utc};
use reqwest::{Method, StatusCode};
use scheduler_core::clock::FixedClock;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use std::sync::Arc;
use webex_emulator::{Emulator, EmulatorConfig};

const WRITE: &[&str] = &["meeting:schedules_read", "meeting:schedules_write"];

pub(crate) struct Fixture {
    pub(crate) emulator: Emulator,
    pub(crate) clock: FixedClock,
    pub(crate) token: String,
    pub(crate) http: reqwest::Client,
}

impl Fixture {
    pub(crate) async fn new(quota: u32) -> Fixture {
        let clock = FixedClock::at(
            Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0)
                .single()
                .expect("valid"),
        );
        let config = EmulatorConfig {
            clock: Arc::new(clock.clone()),
            meetings_per_day_quota: quota,
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::start(config).await.expect("starts");
        let alice =
            emulator.add_person("Alice Example", "alice@example.com", Some("Europe/Berlin"));
        let token = emulator
            .issue_user_token(&alice.id, WRITE)
            .expose_secret()
            .to_string();
        Fixture {
            emulator,
            clock,
            token,
            http: reqwest::Client::new(),
        }
    }

    pub(crate) async fn call_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        tz: Option<&str>,
    ) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        let url = if path.starts_with("http") {
            path.parse().expect("url")
        } else {
            self.emulator.api_base().join(path).expect("url")
        };
        let mut request = self.http.request(method, url).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(tz) = tz {
            request = request.header("timezone", tz);
        }
        let response = request.send().await.expect("answers");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        (
            status,
            if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).expect("json")
            },
            headers,
        )
    }

    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let (status, body, _) = self.call_as(&self.token, method, path, body, None).await;
        (status, body)
    }
}

pub(crate) fn standup() -> Value {
    json!({
        "title": "Team standup", "agenda": "Daily sync",
        "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T09:30:00+01:00",
        "timezone": "Europe/Berlin", "recurrence": "FREQ=DAILY;INTERVAL=1;COUNT=10",
        "enabledJoinBeforeHost": true, "joinBeforeHostMinutes": 5,
        "invitees": [{"email": "carol@example.com", "displayName": "Carol"}, {"email": "bob@example.com", "displayName": "Bob", "coHost": true}],
        "sendEmail": false, "integrationTags": ["req-7f3a9c"]
    })
}

#[tokio::test]
async fn create_get_and_find_by_integration_tag() {
    let f = Fixture::new(100).await;
    let (status, created) = f.call(Method::POST, "meetings", Some(standup())).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let id = created["id"].as_str().expect("id");
    assert_eq!(created["meetingType"], "meetingSeries");
    assert_eq!(created["start"], "2027-03-02T09:00:00+01:00");
    assert_eq!(created["hostEmail"], "alice@example.com");
    assert_eq!(created["enabledJoinBeforeHost"], true);
    assert_eq!(created["integrationTags"], json!(["req-7f3a9c"]));
    assert!(
        created["password"].as_str().is_some_and(|p| !p.is_empty()),
        "generated password"
    );
    assert!(
        created["webLink"]
            .as_str()
            .is_some_and(|l| l.starts_with("https://"))
    );
    assert_eq!(
        created["sipAddress"],
        format!(
            "{}@emulator.webex.com",
            created["meetingNumber"].as_str().expect("number")
        )
    );

    let (status, got, _) = f
        .call_as(&f.token, Method::GET, &format!("meetings/{id}"), None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        got["start"], "2027-03-02T08:00:00Z",
        "GET answers in UTC without a timezone header"
    );
    let (_, got, _) = f
        .call_as(
            &f.token,
            Method::GET,
            &format!("meetings/{id}"),
            None,
            Some("America/New_York"),
        )
        .await;
    assert_eq!(got["start"], "2027-03-02T03:00:00-05:00");

    let (_, found) = f
        .call(Method::GET, "meetings?integrationTag=req-7f3a9c", None)
        .await;
    assert_eq!(found["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(found["items"][0]["id"], id);
    let (_, none) = f
        .call(Method::GET, "meetings?integrationTag=other", None)
        .await;
    assert_eq!(none["items"], json!([]));
    assert_eq!(f.emulator.meetings().len(), 1);
}

#[tokio::test]
async fn occurrences_can_be_listed_and_deleted_one_by_one() {
    let f = Fixture::new(100).await;
    let (_, created) = f.call(Method::POST, "meetings", Some(standup())).await;
    let id = created["id"].as_str().expect("id").to_string();
    let (_, listed) = f.call(Method::GET, "meetings?meetingType=scheduledMeeting&from=2027-03-02T00:00:00Z&to=2027-03-05T00:00:00Z", None).await;
    let items = listed["items"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["meetingSeriesId"], id);
    let second = items[1]["id"].as_str().expect("id").to_string();
    assert_eq!(second, format!("{id}_20270303T080000Z"));

    let (status, _) = f
        .call(
            Method::DELETE,
            &format!("meetings/{second}?sendEmail=false"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, listed) = f.call(Method::GET, "meetings?meetingType=scheduledMeeting&from=2027-03-02T00:00:00Z&to=2027-03-05T00:00:00Z", None).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(2));
    let (status, _) = f
        .call(Method::GET, &format!("meetings/{second}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _) = f
        .call(Method::DELETE, &format!("meetings/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(f.emulator.meetings().is_empty());
    let (status, error) = f.call(Method::GET, &format!("meetings/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(error["trackingId"].is_string());
}

#[tokio::test]
async fn an_occurrence_moves_alone_and_a_series_change_puts_it_back() {
    let f = Fixture::new(100).await;
    let (_, created) = f.call(Method::POST, "meetings", Some(standup())).await;
    let id = created["id"].as_str().expect("id").to_string();
    let second = format!("{id}_20270303T080000Z");
    let window =
        "meetings?meetingType=scheduledMeeting&from=2027-03-02T00:00:00Z&to=2027-03-06T00:00:00Z";

    let moved = json!({"title": "Standup, later", "start": "2027-03-03T15:00:00+01:00",
        "end": "2027-03-03T15:45:00+01:00", "sendEmail": false});
    let (status, got) = f
        .call(Method::PUT, &format!("meetings/{second}"), Some(moved))
        .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["id"], second, "a moved occurrence keeps its id");
    assert_eq!(got["meetingType"], "scheduledMeeting");
    assert_eq!(got["isModified"], true);
    assert_eq!(got["title"], "Standup, later");
    assert_eq!(got["start"], "2027-03-03T15:00:00+01:00");

    let (_, listed) = f.call(Method::GET, window, None).await;
    let slots: Vec<(String, String, bool)> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| {
            (
                m["start"].as_str().unwrap().to_string(),
                m["end"].as_str().unwrap().to_string(),
                m["isModified"].as_bool().unwrap(),
            )
        })
        .collect();
    let slot =
        |start: &str, end: &str, modified: bool| (start.to_string(), end.to_string(), modified);
    assert_eq!(
        slots,
        [
            slot("2027-03-02T08:00:00Z", "2027-03-02T08:30:00Z", false),
            slot("2027-03-03T14:00:00Z", "2027-03-03T14:45:00Z", true),
            slot("2027-03-04T08:00:00Z", "2027-03-04T08:30:00Z", false),
            slot("2027-03-05T08:00:00Z", "2027-03-05T08:30:00Z", false),
        ]
    );
    // Found where it went, not where it was.
    let (_, afternoon) = f
        .call(Method::GET, "meetings?meetingType=scheduledMeeting&from=2027-03-03T13:00:00Z&to=2027-03-03T16:00:00Z", None)
        .await;
    assert_eq!(afternoon["items"][0]["id"], second);
    let (_, series) = f.call(Method::GET, &format!("meetings/{id}"), None).await;
    assert_eq!(series["title"], "Team standup", "the series is untouched");
    assert_eq!(series["start"], "2027-03-02T08:00:00Z");

    let (status, error) = f
        .call(
            Method::PUT,
            &format!("meetings/{second}"),
            Some(json!({"title": "x", "start": "2027-03-03T15:00:00+01:00",
                "end": "2027-03-03T15:45:00+01:00", "recurrence": "FREQ=DAILY"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");

    // Moving the series drops the exception, as Webex documents.
    let mut later = standup();
    later["start"] = json!("2027-03-02T10:00:00+01:00");
    later["end"] = json!("2027-03-02T10:30:00+01:00");
    let (status, _) = f
        .call(Method::PUT, &format!("meetings/{id}"), Some(later))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, listed) = f.call(Method::GET, window, None).await;
    let items = listed["items"].as_array().expect("items");
    assert_eq!(items.len(), 4);
    assert!(items.iter().all(|m| m["isModified"] == false));
    assert_eq!(items[1]["start"], "2027-03-03T09:00:00Z");

    // A moved occurrence can be deleted like any other. (The series moved: new ids.)
    let second = format!("{id}_20270303T090000Z");
    let again = json!({"title": "Standup", "start": "2027-03-03T16:00:00+01:00",
        "end": "2027-03-03T16:30:00+01:00"});
    let (status, _) = f
        .call(Method::PUT, &format!("meetings/{second}"), Some(again))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = f
        .call(Method::DELETE, &format!("meetings/{second}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, listed) = f.call(Method::GET, window, None).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(3));
    let (status, _) = f
        .call(Method::GET, &format!("meetings/{second}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn list_pages_and_windows() {
    let f = Fixture::new(100).await;
    for day in 2..=5 {
        let body = json!({"title": format!("M{day}"), "start": format!("2027-03-0{day}T10:00:00Z"), "end": format!("2027-03-0{day}T10:30:00Z")});
        assert_eq!(
            f.call(Method::POST, "meetings", Some(body)).await.0,
            StatusCode::OK
        );
    }
    let (_, _, headers) = f
        .call_as(&f.token, Method::GET, "meetings?max=3", None, None)
        .await;
    let link = headers
        .get("link")
        .and_then(|v| v.to_str().ok())
        .expect("a next link")
        .to_string();
    let next = link
        .trim_start_matches('<')
        .split('>')
        .next()
        .expect("url")
        .to_string();
    let (_, second) = f.call(Method::GET, &next, None).await;
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    let (_, window) = f
        .call(
            Method::GET,
            "meetings?from=2027-03-04T00:00:00Z&to=2027-03-05T00:00:00Z",
            None,
        )
        .await;
    assert_eq!(window["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(window["items"][0]["title"], "M4");
    let (status, _) = f
        .call(
            Method::GET,
            "meetings?from=2027-03-05T00:00:00Z&to=2027-03-04T00:00:00Z",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn webex_rules_refuse_bad_meetings_with_error_bodies() {
    let f = Fixture::new(100).await;
    let base =
        json!({"title": "T", "start": "2027-03-02T09:00:00Z", "end": "2027-03-02T10:00:00Z"});
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    let cases = [
        with("start", json!("2027-03-01T07:00:00Z")),
        with("end", json!("2027-03-02T09:05:00Z")),
        with("title", json!("x".repeat(129))),
        with("timezone", json!("Mars/Olympus")),
        with("recurrence", json!("RRULE:FREQ=DAILY")),
        with("password", json!("12")),
        with("integrationTags", json!(["a", "b", "c", "d"])),
        with("invitees", json!([{"displayName": "no email"}])),
        with("joinBeforeHostMinutes", json!(7)),
        json!({"title": "T"}),
    ];
    for body in cases {
        let (status, error) = f.call(Method::POST, "meetings", Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            error["message"].is_string()
                && error["errors"][0]["description"].is_string()
                && error["trackingId"].is_string(),
            "{error}"
        );
    }
    assert!(f.emulator.meetings().is_empty());
}

#[tokio::test]
async fn bots_and_tokens_without_scope_are_refused() {
    let f = Fixture::new(100).await;
    let bot = f.emulator.bot_token();
    let (status, _, _) = f
        .call_as(
            bot.expose_secret(),
            Method::POST,
            "meetings",
            Some(standup()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Dave is neither the host nor invited (Bob and Carol are).
    let dave = f.emulator.add_person("Dave", "dave@example.com", None);
    let read_only = f
        .emulator
        .issue_user_token(&dave.id, &["meeting:schedules_read"]);
    let (status, _, _) = f
        .call_as(
            read_only.expose_secret(),
            Method::POST,
            "meetings",
            Some(standup()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, created) = f.call(Method::POST, "meetings", Some(standup())).await;
    let (status, _, _) = f
        .call_as(
            read_only.expose_secret(),
            Method::GET,
            &format!("meetings/{}", created["id"].as_str().expect("id")),
            None,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "someone else's meeting is invisible"
    );
}

#[tokio::test]
async fn the_daily_quota_counts_failed_attempts_too() {
    let f = Fixture::new(3).await;
    assert_eq!(
        f.call(Method::POST, "meetings", Some(standup())).await.0,
        StatusCode::OK
    );
    assert_eq!(
        f.call(Method::POST, "meetings", Some(json!({"title": "bad"})))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        f.call(Method::POST, "meetings", Some(standup())).await.0,
        StatusCode::OK
    );
    let (status, _, headers) = f
        .call_as(&f.token, Method::POST, "meetings", Some(standup()), None)
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert_eq!(retry, 24 * 3600);
    assert_eq!(f.emulator.meetings().len(), 2);
}

#[tokio::test]
async fn put_replaces_the_schedule_and_invitees_are_listed_by_email() {
    let f = Fixture::new(100).await;
    let (_, created) = f.call(Method::POST, "meetings", Some(standup())).await;
    let id = created["id"].as_str().expect("id");
    let update = json!({"title": "Renamed", "password": created["password"], "start": "2027-03-02T10:00:00+01:00", "end": "2027-03-02T11:00:00+01:00", "timezone": "Europe/Berlin", "sendEmail": false});
    let (status, updated) = f
        .call(Method::PUT, &format!("meetings/{id}"), Some(update))
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["title"], "Renamed");
    assert_eq!(updated["end"], "2027-03-02T11:00:00+01:00");
    assert!(
        updated.get("recurrence").is_none(),
        "PUT replaces: no recurrence given, none kept"
    );
    let (status, _) = f
        .call(
            Method::PUT,
            &format!("meetings/{id}"),
            Some(json!({"title": "No times"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, invitees) = f
        .call(
            Method::GET,
            &format!("meetingInvitees?meetingId={id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let emails: Vec<&str> = invitees["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["email"].as_str())
        .collect();
    assert_eq!(emails, vec!["bob@example.com", "carol@example.com"]);
    assert_eq!(invitees["items"][0]["coHost"], true);
    let (status, added) = f
        .call(
            Method::POST,
            "meetingInvitees",
            Some(json!({"meetingId": id, "email": "dan@example.com", "sendEmail": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(added["meetingId"], id);
    let (status, _) = f
        .call(
            Method::POST,
            "meetingInvitees",
            Some(json!({"meetingId": id, "email": "dan@example.com"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn states_follow_the_clock_and_can_filter_lists() {
    let f = Fixture::new(100).await;
    let body = json!({"title": "Twice", "start": "2027-03-02T09:00:00Z", "end": "2027-03-02T09:30:00Z",
        "recurrence": "FREQ=DAILY;COUNT=2"});
    let (_, created) = f.call(Method::POST, "meetings", Some(body)).await;
    let id = created["id"].as_str().expect("id").to_string();
    assert_eq!(created["state"], "active");
    let occurrences =
        "meetings?meetingType=scheduledMeeting&from=2027-03-02T00:00:00Z&to=2027-03-04T00:00:00Z";
    let states = |listed: &Value| -> Vec<String> {
        listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|m| m["state"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let (_, listed) = f.call(Method::GET, occurrences, None).await;
    assert_eq!(states(&listed), vec!["scheduled", "scheduled"]);

    f.clock.set(
        Utc.with_ymd_and_hms(2027, 3, 2, 9, 10, 0)
            .single()
            .expect("valid"),
    );
    let (_, listed) = f.call(Method::GET, occurrences, None).await;
    assert_eq!(
        states(&listed),
        vec!["ready", "scheduled"],
        "nobody joins in the emulator"
    );
    let (_, ready) = f
        .call(Method::GET, &format!("{occurrences}&state=ready"), None)
        .await;
    assert_eq!(ready["items"].as_array().map(Vec::len), Some(1));

    let second = format!("{id}_20270303T090000Z");
    assert_eq!(
        f.call(Method::DELETE, &format!("meetings/{second}"), None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    f.clock.set(
        Utc.with_ymd_and_hms(2027, 3, 2, 10, 0, 0)
            .single()
            .expect("valid"),
    );
    let (_, listed) = f.call(Method::GET, occurrences, None).await;
    assert_eq!(states(&listed), vec!["missed"]);
    let (_, series) = f.call(Method::GET, &format!("meetings/{id}"), None).await;
    assert_eq!(
        series["state"], "expired",
        "the only later occurrence was deleted"
    );
}
