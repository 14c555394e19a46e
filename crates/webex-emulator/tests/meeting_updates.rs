//! Changing meetings as Cisco's meeting document describes it: PATCH merges the fields it
//! names (media type `application/json-patch+json`), PUT replaces the schedule, and one
//! occurrence of a series takes neither `integrationTags` nor a move past its neighbours.

use chrono::{TimeZone, Utc};
use reqwest::{Method, StatusCode};
use scheduler_core::clock::FixedClock;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use std::sync::Arc;
use webex_emulator::{Emulator, EmulatorConfig};

const PATCH_TYPE: &str = "application/json-patch+json";

struct Fixture {
    emulator: Emulator,
    token: String,
    http: reqwest::Client,
}

impl Fixture {
    async fn new() -> Fixture {
        let clock = FixedClock::at(Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0).unwrap());
        let emulator = Emulator::start(EmulatorConfig {
            clock: Arc::new(clock),
            ..EmulatorConfig::default()
        })
        .await
        .expect("starts");
        let alice =
            emulator.add_person("Alice Example", "alice@example.com", Some("Europe/Berlin"));
        let token = emulator
            .issue_user_token(
                &alice.id,
                &["meeting:schedules_read", "meeting:schedules_write"],
            )
            .expose_secret()
            .to_string();
        Fixture {
            emulator,
            token,
            http: reqwest::Client::new(),
        }
    }

    /// A request with a JSON body sent as `content_type`.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        content_type: &str,
    ) -> (StatusCode, Value) {
        let url = self.emulator.api_base().join(path).expect("url");
        let mut request = self.http.request(method, url).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request
                .header("content-type", content_type)
                .body(body.to_string());
        }
        let response = request.send().await.expect("answers");
        let status = response.status();
        let text = response.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::Null);
        (status, value)
    }

    async fn patch(&self, id: &str, body: Value) -> (StatusCode, Value) {
        self.send(
            Method::PATCH,
            &format!("meetings/{id}"),
            Some(body),
            PATCH_TYPE,
        )
        .await
    }

    async fn get(&self, path: &str) -> Value {
        self.send(Method::GET, path, None, "").await.1
    }

    async fn create(&self, body: Value) -> String {
        let (status, created) = self
            .send(Method::POST, "meetings", Some(body), "application/json")
            .await;
        assert_eq!(status, StatusCode::OK, "{created}");
        created["id"].as_str().expect("id").to_string()
    }
}

/// Weekly on Tuesdays from 2 March 2027, 09:00 Berlin, four times; a password and a tag.
fn weekly() -> Value {
    json!({
        "title": "Planning", "agenda": "Roadmap", "password": "Plan2027x",
        "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T09:30:00+01:00",
        "timezone": "Europe/Berlin", "recurrence": "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
        "sendEmail": false, "integrationTags": ["wxs-1"]
    })
}

#[tokio::test]
async fn patch_changes_only_the_fields_it_names() {
    let f = Fixture::new().await;
    let id = f.create(weekly()).await;
    let (status, got) = f
        .patch(
            &id,
            json!({"title": "Planning (renamed)", "sendEmail": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    let series = f.get(&format!("meetings/{id}")).await;
    assert_eq!(series["title"], "Planning (renamed)");
    assert_eq!(series["agenda"], "Roadmap", "kept");
    assert_eq!(series["password"], "Plan2027x", "kept");
    assert_eq!(series["recurrence"], "FREQ=WEEKLY;BYDAY=TU;COUNT=4", "kept");
    assert_eq!(series["start"], "2027-03-02T08:00:00Z", "kept");
    assert_eq!(series["integrationTags"], json!(["wxs-1"]), "kept");

    // `null` clears the fields the document says it clears.
    let (status, _) = f.patch(&id, json!({"agenda": null})).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        f.get(&format!("meetings/{id}"))
            .await
            .get("agenda")
            .is_none()
    );
    let (status, _) = f.patch(&id, json!({"title": null})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a title cannot be cleared");
}

#[tokio::test]
async fn patch_takes_only_its_documented_media_type_and_an_object() {
    let f = Fixture::new().await;
    let id = f.create(weekly()).await;
    let path = format!("meetings/{id}");
    let rename = json!({"title": "Renamed"});
    let (status, _) = f
        .send(
            Method::PATCH,
            &path,
            Some(rename.clone()),
            "application/json",
        )
        .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let operations = json!([{"op": "replace", "path": "/title", "value": "Renamed"}]);
    let (status, error) = f.patch(&id, operations).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert!(error["errors"][0]["description"].is_string());
    assert_eq!(f.get(&path).await["title"], "Planning", "nothing changed");
    let (status, _) = f
        .send(
            Method::PATCH,
            &path,
            Some(rename),
            "application/json-patch+json; charset=utf-8",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn put_replaces_what_it_leaves_out_except_the_password() {
    let f = Fixture::new().await;
    let id = f.create(weekly()).await;
    let body = json!({"title": "Planning", "start": "2027-03-02T10:00:00+01:00",
        "end": "2027-03-02T10:30:00+01:00", "timezone": "Europe/Berlin", "sendEmail": false});
    let (status, got) = f
        .send(
            Method::PUT,
            &format!("meetings/{id}"),
            Some(body),
            "application/json",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    let series = f.get(&format!("meetings/{id}")).await;
    assert!(series.get("agenda").is_none(), "{series}");
    assert!(series.get("recurrence").is_none(), "{series}");
    assert!(series.get("integrationTags").is_none(), "{series}");
    assert_eq!(series["password"], "Plan2027x");
}

#[tokio::test]
async fn an_occurrence_refuses_integration_tags_however_it_is_changed() {
    let f = Fixture::new().await;
    let id = f.create(weekly()).await;
    let second = format!("{id}_20270309T080000Z");
    let later = json!({"start": "2027-03-09T11:00:00+01:00", "end": "2027-03-09T11:30:00+01:00",
        "integrationTags": ["wxs-1"]});
    let (status, error) = f.patch(&second, later.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert!(
        error["errors"][0]["description"]
            .as_str()
            .unwrap()
            .contains("integrationTags"),
        "{error}"
    );
    let mut full = later.clone();
    full["title"] = json!("Planning");
    let (status, _) = f
        .send(
            Method::PUT,
            &format!("meetings/{second}"),
            Some(full),
            "application/json",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        f.get(&format!("meetings/{second}")).await["start"],
        "2027-03-09T08:00:00Z",
        "not moved"
    );
    // Without the tags the same move is taken, and the series keeps its tag.
    let mut untagged = later;
    untagged.as_object_mut().unwrap().remove("integrationTags");
    let (status, got) = f.patch(&second, untagged).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["start"], "2027-03-09T11:00:00+01:00");
    assert_eq!(got["title"], "Planning", "a PATCH keeps the title");
    assert_eq!(
        f.get(&format!("meetings/{id}")).await["integrationTags"],
        json!(["wxs-1"])
    );
}

#[tokio::test]
async fn an_occurrence_stays_after_the_previous_and_before_the_next_by_day() {
    let f = Fixture::new().await;
    let id = f.create(weekly()).await;
    // Tuesdays 2, 9, 16, 23 March; the one on the 9th moves.
    let second = format!("{id}_20270309T080000Z");
    let to = |day: u32, hour: u32| {
        json!({"start": format!("2027-03-{day:02}T{hour:02}:00:00+01:00"),
            "end": format!("2027-03-{day:02}T{hour:02}:30:00+01:00")})
    };
    for (day, hour, why) in [
        (16, 9, "onto the next one's day"),
        (16, 20, "the next one's day, at another time"),
        (18, 9, "past the next one"),
        (2, 11, "onto the previous one's day"),
    ] {
        let (status, error) = f.patch(&second, to(day, hour)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{why}: {error}");
        assert!(error["trackingId"].is_string() && error["message"].is_string());
        assert!(
            error["errors"][0]["description"]
                .as_str()
                .unwrap()
                .contains("two_meeting_schedule_at_same_day"),
            "{error}"
        );
    }
    assert_eq!(
        f.get(&format!("meetings/{second}")).await["start"],
        "2027-03-09T08:00:00Z",
        "nothing moved"
    );
    for (day, hour) in [(3, 9), (15, 23), (9, 17)] {
        let (status, got) = f.patch(&second, to(day, hour)).await;
        assert_eq!(status, StatusCode::OK, "to {day} at {hour}: {got}");
    }
    // Its neighbours are where they are now: the third one, moved to the 19th, frees the 16th.
    let third = format!("{id}_20270316T080000Z");
    assert_eq!(f.patch(&third, to(19, 9)).await.0, StatusCode::OK);
    assert_eq!(f.patch(&second, to(17, 9)).await.0, StatusCode::OK);
    assert_eq!(f.patch(&second, to(19, 8)).await.0, StatusCode::BAD_REQUEST);
}
