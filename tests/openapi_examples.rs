//! A contract fixture set taken from the examples in Cisco's OpenAPI documents
//! (`crates/webex-emulator/openapi/`), read by this test from the documents themselves, never
//! copied by hand, so that when Cisco updates the documents, running these tests shows what
//! changed.
//!
//! Each fixture is checked twice:
//! 1. **the bot reads it without loss**: it decodes into the bot's wire type
//!    (`webex_scheduler::webex`), and every field the bot reads comes back with the example's
//!    value. A field the bot reads that the example lacks fails the test, unless the fixture
//!    says why that kind of value has none (a series has no series id);
//! 2. **the emulator answers the same operation in the same shape**: every key the emulator
//!    sends is in the example with the same JSON type (recursively), and every field the bot
//!    reads from the example is in the emulator's answer. Keys of the example the emulator
//!    leaves out are printed, not failed: the emulator serves the slice of Webex the bot uses.
//!
//! Webhook deliveries have no example in the documents; their envelope is composed from the
//! documents' examples by the rule in [`envelope`] (docs/webex.md §OpenAPI documents).

use crate::emulator_contract::{MEETING, MESSAGING, load};
use axum::Router;
use axum::http::StatusCode;
use chrono::{DateTime, TimeZone, Utc};
use reqwest::Method;
use scheduler_core::clock::FixedClock;
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use webex_emulator::{Emulator, EmulatorConfig};
use webex_scheduler::webex::{
    AttachmentAction, Auth, Meeting, Message, NewMeeting, Person, WebexClient, WebexConfig,
    WebexError, Webhook, WebhookEnvelope,
};

/// What the bot holds after reading a value: (JSON pointer into the value, what it holds there
/// written back as JSON).
type Read = Vec<(String, Value)>;

struct Fixture {
    /// Which operation or schema of which document it comes from.
    name: &'static str,
    example: Value,
    /// Fields the bot reads that this kind of value does not have, with the reason.
    absent: &'static [(&'static str, &'static str)],
    read: fn(&Value) -> Result<Read, String>,
}

/// The example of one response, from `example` or the first of `examples`.
fn response_example(doc: &Value, path: &str, method: &str, status: &str) -> Value {
    let content = &doc["paths"][path][method]["responses"][status]["content"];
    let media = content
        .as_object()
        .and_then(|types| types.values().next())
        .unwrap_or_else(|| panic!("{method} {path} {status}: no response content any more"));
    media
        .get("example")
        .cloned()
        .or_else(|| {
            let examples = media.get("examples")?.as_object()?;
            examples.values().next()?.get("value").cloned()
        })
        .unwrap_or_else(|| panic!("{method} {path} {status}: no example any more"))
}

/// A delivery's envelope. The documents have none, so it is put together from their examples:
/// the webhook's own fields (the Webhook example, without the secret no delivery carries), the
/// actor, organisation and app of the event (the Events API's example of the same kind of
/// notification), and `data`, the resource's example reduced to the ids and metadata a
/// delivery carries (the Webhooks guide: never the content).
fn envelope(webhook: &Value, event: &Value, resource: &str, data: &Value, keep: &[&str]) -> Value {
    let mut envelope = webhook.clone();
    let fields = envelope
        .as_object_mut()
        .expect("the Webhook example is an object");
    fields.remove("secret");
    for key in ["actorId", "orgId", "appId"] {
        fields.insert(key.into(), event[key].clone());
    }
    fields.insert("resource".into(), json!(resource));
    fields.insert("event".into(), json!("created"));
    let data: serde_json::Map<String, Value> = keep
        .iter()
        .filter_map(|key| Some((key.to_string(), data.get(*key)?.clone())))
        .collect();
    fields.insert("data".into(), Value::Object(data));
    envelope
}

/// Metadata a `messages/created` delivery carries about the message.
const MESSAGE_DATA: &[&str] = &[
    "id",
    "roomId",
    "roomType",
    "personId",
    "personEmail",
    "mentionedPeople",
    "mentionedGroups",
    "files",
    "parentId",
    "created",
];
/// What an `attachmentActions/created` delivery carries: the action without its `inputs`.
const ACTION_DATA: &[&str] = &["id", "type", "messageId", "personId", "roomId", "created"];

fn fixtures() -> Vec<Fixture> {
    let messaging = load(MESSAGING);
    let meeting = load(MEETING);
    let message = response_example(&messaging, "/messages/{messageId}", "get", "200");
    let action = response_example(&messaging, "/attachment/actions/{id}", "get", "200");
    let webhook = response_example(&messaging, "/webhooks/{webhookId}", "get", "200");
    let event = response_example(&messaging, "/events/{eventId}", "get", "200");
    let listed = response_example(&meeting, "/meetings", "get", "200");
    let occurrence = listed["items"]
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|m| m["meetingType"] == "scheduledMeeting")
        })
        .cloned()
        .expect("GET /meetings' example lists an occurrence");
    vec![
        Fixture {
            name: "messaging GET /people/me 200",
            example: response_example(&messaging, "/people/me", "get", "200"),
            absent: &[],
            read: read_person,
        },
        Fixture {
            name: "messaging GET /messages/{messageId} 200",
            example: message.clone(),
            absent: &[],
            read: read_message,
        },
        Fixture {
            name: "messaging GET /attachment/actions/{id} 200",
            example: action.clone(),
            absent: &[],
            read: read_action,
        },
        Fixture {
            name: "messaging GET /webhooks/{webhookId} 200",
            example: webhook.clone(),
            absent: &[],
            read: read_webhook,
        },
        Fixture {
            name: "envelope messages/created (Webhook + Event + Message examples)",
            example: envelope(&webhook, &event, "messages", &message, MESSAGE_DATA),
            absent: &[],
            read: read_envelope,
        },
        Fixture {
            name: "envelope attachmentActions/created (Webhook + Event + AttachmentActivity examples)",
            example: envelope(&webhook, &event, "attachmentActions", &action, ACTION_DATA),
            absent: &[],
            read: read_envelope,
        },
        Fixture {
            name: "meeting POST /meetings 200 (a series)",
            example: response_example(&meeting, "/meetings", "post", "200"),
            absent: &[("/meetingSeriesId", "a series belongs to no other series")],
            read: read_meeting,
        },
        Fixture {
            name: "meeting GET /meetings/{meetingId} 200 (a series)",
            example: response_example(&meeting, "/meetings/{meetingId}", "get", "200"),
            absent: &[("/meetingSeriesId", "a series belongs to no other series")],
            read: read_meeting,
        },
        Fixture {
            name: "meeting GET /meetings 200 (the first scheduledMeeting: an occurrence)",
            example: occurrence,
            absent: &[(
                "/recurrence",
                "an occurrence carries its series' rule nowhere",
            )],
            read: read_meeting,
        },
        Fixture {
            name: "meeting GET /meetings 200 (the whole list)",
            example: listed,
            absent: &[],
            read: read_meeting_list,
        },
    ]
}

fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_json::from_value(value.clone()).map_err(|e| format!("does not decode: {e}"))
}

fn read(fields: &[(&str, Value)]) -> Read {
    fields
        .iter()
        .map(|(pointer, value)| (pointer.to_string(), value.clone()))
        .collect()
}

fn read_person(value: &Value) -> Result<Read, String> {
    let p: Person = decode(value)?;
    Ok(read(&[
        ("/id", json!(p.id)),
        ("/emails", json!(p.emails)),
        ("/displayName", json!(p.display_name)),
        ("/timezone", json!(p.timezone)),
    ]))
}

fn read_message(value: &Value) -> Result<Read, String> {
    let m: Message = decode(value)?;
    Ok(read(&[
        ("/id", json!(m.id)),
        ("/roomId", json!(m.room_id)),
        ("/roomType", json!(m.room_type)),
        ("/personId", json!(m.person_id)),
        ("/text", json!(m.text)),
        ("/html", json!(m.html)),
        ("/parentId", json!(m.parent_id)),
        ("/created", json!(m.created)),
    ]))
}

fn read_action(value: &Value) -> Result<Read, String> {
    let a: AttachmentAction = decode(value)?;
    Ok(read(&[
        ("/id", json!(a.id)),
        ("/messageId", json!(a.message_id)),
        ("/inputs", a.inputs.clone()),
        ("/personId", json!(a.person_id)),
        ("/roomId", json!(a.room_id)),
        ("/created", json!(a.created)),
    ]))
}

fn read_webhook(value: &Value) -> Result<Read, String> {
    let w: Webhook = decode(value)?;
    Ok(read(&[
        ("/id", json!(w.id)),
        ("/name", json!(w.name)),
        ("/targetUrl", json!(w.target_url)),
        ("/resource", json!(w.resource)),
        ("/event", json!(w.event)),
        (
            "/secret",
            json!(w.secret.as_ref().map(|s| s.expose_secret().to_string())),
        ),
        ("/status", json!(w.status)),
    ]))
}

fn read_envelope(value: &Value) -> Result<Read, String> {
    let e: WebhookEnvelope = decode(value)?;
    Ok(read(&[
        ("/resource", json!(e.resource)),
        ("/event", json!(e.event)),
        ("/actorId", json!(e.actor_id)),
        ("/data/id", json!(e.data.id)),
        ("/data/roomId", json!(e.data.room_id)),
        ("/data/personId", json!(e.data.person_id)),
    ]))
}

fn meeting_fields(m: &Meeting) -> Vec<(&'static str, Value)> {
    vec![
        ("/id", json!(m.id)),
        ("/meetingSeriesId", json!(m.meeting_series_id)),
        ("/meetingNumber", json!(m.meeting_number)),
        ("/title", json!(m.title)),
        ("/agenda", json!(m.agenda)),
        ("/start", json!(m.start)),
        ("/end", json!(m.end)),
        ("/recurrence", json!(m.recurrence)),
        ("/password", json!(m.password)),
        ("/webLink", json!(m.web_link)),
        ("/integrationTags", json!(m.integration_tags)),
    ]
}

fn read_meeting(value: &Value) -> Result<Read, String> {
    Ok(read(&meeting_fields(&decode(value)?)))
}

/// Every item of a list decodes (occurrences and the instances Webex lists beside them); the
/// fields are compared on the single-meeting fixtures.
fn read_meeting_list(value: &Value) -> Result<Read, String> {
    let items = value["items"].as_array().ok_or("no items")?;
    for (i, item) in items.iter().enumerate() {
        decode::<Meeting>(item).map_err(|e| format!("items[{i}] {e}"))?;
    }
    Ok(Read::new())
}

/// The same value: equal JSON, or the same instant written with `Z` or with an offset.
fn same_value(example: &Value, ours: &Value) -> bool {
    let instant = |v: &Value| {
        v.as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
    };
    example == ours || matches!((instant(example), instant(ours)), (Some(a), Some(b)) if a == b)
}

/// Problems with how the bot reads one fixture; empty when nothing is lost.
fn losses(fixture: &Fixture) -> Vec<String> {
    let read = match (fixture.read)(&fixture.example) {
        Ok(read) => read,
        Err(e) => return vec![e],
    };
    let mut problems = Vec::new();
    for (pointer, ours) in read {
        let absent_by_nature = fixture.absent.iter().any(|(p, _)| *p == pointer);
        match fixture.example.pointer(&pointer) {
            None if absent_by_nature => {}
            None => problems.push(format!(
                "{pointer}: the bot reads it; the example has no such field"
            )),
            Some(_) if absent_by_nature => problems.push(format!(
                "{pointer}: listed as absent from this kind of value, but the example now has it"
            )),
            Some(example) if !same_value(example, &ours) => problems.push(format!(
                "{pointer}: the example says {example}, the bot read {ours}"
            )),
            Some(_) => {}
        }
    }
    problems
}

#[test]
fn the_bot_reads_every_example_without_loss() {
    let fixtures = fixtures();
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let problems = losses(fixture);
        if !problems.is_empty() {
            failures.push(format!("{}:\n  {}", fixture.name, problems.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(fixtures.len(), 10, "every fixture was checked");
}

#[test]
fn a_changed_example_is_reported_as_a_loss() {
    // The checks are not vacuous: each kind of drift in a document shows up.
    let fixtures = fixtures();
    let named = |prefix: &str| {
        fixtures
            .iter()
            .find(|f| f.name.starts_with(prefix))
            .expect("a fixture of that name")
    };
    let person = named("messaging GET /people/me");
    let drift = |change: &dyn Fn(&mut Value)| {
        let mut example = person.example.clone();
        change(&mut example);
        losses(&Fixture { example, ..*person })
    };
    let gone = drift(&|p| {
        p.as_object_mut().unwrap().remove("timezone");
    });
    assert!(gone[0].contains("/timezone: the bot reads it"), "{gone:?}");
    let retyped = drift(&|p| p["emails"] = json!("one@example.com"));
    assert!(retyped[0].contains("does not decode"), "{retyped:?}");
    let series = named("meeting GET /meetings/{meetingId}");
    let mut example = series.example.clone();
    example["meetingSeriesId"] = json!("S");
    let listed = losses(&Fixture { example, ..*series });
    assert!(listed[0].contains("now has it"), "{listed:?}");
}

/// The error body of the meeting document's `POST /meetings 400` example, answered by a small
/// server to the bot's real client: the general message, every reason and the tracking id
/// reach the bot's error.
#[tokio::test]
async fn the_bot_reads_webexs_error_body_without_loss() {
    let example = response_example(&load(MEETING), "/meetings", "post", "400");
    let body = example.clone();
    let app = Router::new().fallback(move || {
        let body = body.clone();
        async move { (StatusCode::BAD_REQUEST, axum::Json(body)) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let webex = WebexClient::new(WebexConfig {
        api_base: base.parse().unwrap(),
        bot_token: "bot".to_string().into(),
        requests_per_minute: 6000,
        timeout: std::time::Duration::from_secs(10),
        max_rate_limit_wait: std::time::Duration::from_secs(1),
    })
    .unwrap();
    let start = Utc
        .with_ymd_and_hms(2027, 3, 2, 9, 0, 0)
        .unwrap()
        .fixed_offset();
    let meeting = NewMeeting {
        title: "Sync".into(),
        start,
        end: start + chrono::Duration::hours(1),
        ..Default::default()
    };
    let err = webex
        .create_meeting(&Auth::User("user".to_string().into()), &meeting)
        .await
        .expect_err("the server refuses");
    let WebexError::Api {
        status: 400,
        message,
        tracking_id,
    } = err
    else {
        panic!("not read as a 400: {err:?}");
    };
    assert_eq!(tracking_id.as_deref(), example["trackingId"].as_str());
    let expected: Vec<&str> = std::iter::once(&example["message"])
        .chain(
            example["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| &e["description"]),
        )
        .map(|v| v.as_str().expect("the example's texts are strings"))
        .collect();
    assert!(expected.len() >= 2, "{example}");
    for text in expected {
        assert!(message.contains(text), "{text:?} is lost from {message:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The emulator's answers for the same operations

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Keys the emulator sends that no example has, each with why; and values whose inside is the
/// sender's own (a card press's inputs, a card), compared by JSON type only.
struct Allowances {
    extra: &'static [(&'static str, &'static str)],
    opaque: &'static [&'static str],
}

const NONE: Allowances = Allowances {
    extra: &[],
    opaque: &[],
};

struct Shape<'a> {
    allow: &'a Allowances,
    problems: Vec<String>,
    omitted: Vec<String>,
}

impl Shape<'_> {
    fn compare(&mut self, example: &Value, ours: &Value, at: &str) {
        if json_type(example) != json_type(ours) {
            self.problems.push(format!(
                "{at}: Webex's example has a {}, the emulator a {}",
                json_type(example),
                json_type(ours)
            ));
            return;
        }
        if self.allow.opaque.contains(&at) {
            return;
        }
        match (example, ours) {
            (Value::Object(theirs), Value::Object(mine)) => {
                for (key, value) in mine {
                    let path = format!("{at}/{key}");
                    match theirs.get(key) {
                        Some(expected) => self.compare(expected, value, &path),
                        None if self.allow.extra.iter().any(|(p, _)| *p == path) => {}
                        None => self.problems.push(format!(
                            "{path}: the emulator sends it; Webex's example has no such key"
                        )),
                    }
                }
                self.omitted.extend(
                    theirs
                        .keys()
                        .filter(|k| !mine.contains_key(*k))
                        .map(|k| format!("{at}/{k}")),
                );
            }
            (Value::Array(theirs), Value::Array(mine)) => {
                if let Some(first) = theirs.first() {
                    for item in mine {
                        self.compare(first, item, &format!("{at}/0"));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The emulator's answer to each fixture's operation, keyed by fixture name.
async fn emulator_answers() -> BTreeMap<&'static str, Value> {
    let clock = FixedClock::at(Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0).unwrap());
    let emulator = Emulator::start(EmulatorConfig {
        clock: Arc::new(clock),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let alice = emulator.add_person("Alice Example", "alice@example.com", Some("Europe/Berlin"));
    let room = emulator.create_group_room("Team", &[alice.id.as_str()]);
    let bot = emulator.bot_token().expose_secret().to_string();
    let user = emulator
        .issue_user_token(
            &alice.id,
            &[
                "spark:all",
                "meeting:schedules_read",
                "meeting:schedules_write",
            ],
        )
        .expose_secret()
        .to_string();
    let http = reqwest::Client::new();
    let call = |token: &str, method: Method, path: &str, body: Option<Value>| {
        let request = http
            .request(method, emulator.api_base().join(path).unwrap())
            .bearer_auth(token);
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        let path = path.to_string();
        async move {
            let response = request.send().await.unwrap();
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            response.json::<Value>().await.unwrap()
        }
    };
    let mut answers = BTreeMap::new();
    let hooks = [
        ("messages", "bot-messages"),
        ("attachmentActions", "bot-cards"),
    ];
    let mut webhook = Value::Null;
    for (resource, name) in hooks {
        webhook = call(
            &bot,
            Method::POST,
            "webhooks",
            Some(
                json!({"name": name, "targetUrl": "http://127.0.0.1:9/webex",
                        "resource": resource, "event": "created", "secret": "a-webhook-secret"}),
            ),
        )
        .await;
    }
    let hook_id = webhook["id"].as_str().unwrap();
    answers.insert(
        "messaging GET /webhooks/{webhookId} 200",
        call(&bot, Method::GET, &format!("webhooks/{hook_id}"), None).await,
    );
    answers.insert(
        "messaging GET /people/me 200",
        call(&user, Method::GET, "people/me", None).await,
    );

    let asked = emulator
        .post_as(&alice.id, &room, "@Scheduler schedule sync tomorrow 3pm")
        .await
        .unwrap();
    let reply = emulator
        .reply_as(
            &alice.id,
            &room,
            &asked,
            "@Scheduler and with bob@example.com",
        )
        .await
        .unwrap();
    answers.insert(
        "messaging GET /messages/{messageId} 200",
        call(&bot, Method::GET, &format!("messages/{reply}"), None).await,
    );
    let card = webex_scheduler::cards::question("Cancel **Sync**?", &[("Keep it", "keep")], "q1");
    let posted = call(
        &bot,
        Method::POST,
        "messages",
        Some(
            json!({"roomId": room, "markdown": "Cancel Sync?", "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]}),
        ),
    )
    .await;
    let submitted = call(
        &user,
        Method::POST,
        "attachment/actions",
        Some(json!({"type": "submit", "messageId": posted["id"], "inputs": {"action": "keep"}})),
    )
    .await;
    let action_id = submitted["id"].as_str().unwrap();
    answers.insert(
        "messaging GET /attachment/actions/{id} 200",
        call(
            &bot,
            Method::GET,
            &format!("attachment/actions/{action_id}"),
            None,
        )
        .await,
    );
    let deliveries = crate::common::eventually(
        "deliveries of a message and an attachment action",
        std::time::Duration::from_secs(10),
        async || {
            let d = emulator.deliveries();
            let both = ["\"messages\"", "\"attachmentActions\""].iter().all(|r| {
                d.iter()
                    .any(|x| x.body.contains(&format!("\"resource\":{r}")))
            });
            if both { Ok(d) } else { Err(d.len()) }
        },
    )
    .await;
    for (resource, name) in [
        (
            "messages",
            "envelope messages/created (Webhook + Event + Message examples)",
        ),
        (
            "attachmentActions",
            "envelope attachmentActions/created (Webhook + Event + AttachmentActivity examples)",
        ),
    ] {
        let body = deliveries
            .iter()
            .map(|d| serde_json::from_str::<Value>(&d.body).unwrap())
            .rfind(|b| b["resource"] == resource)
            .unwrap_or_else(|| panic!("no {resource} delivery"));
        answers.insert(name, body);
    }

    let series = call(
        &user,
        Method::POST,
        "meetings",
        Some(json!({"title": "Team standup", "agenda": "Daily sync",
            "start": "2027-03-03T09:00:00+01:00", "end": "2027-03-03T09:30:00+01:00",
            "timezone": "Europe/Berlin", "recurrence": "FREQ=DAILY;INTERVAL=1;COUNT=10",
            "sendEmail": false, "integrationTags": ["wxs-0123456789abcdef01234567"]})),
    )
    .await;
    let id = series["id"].as_str().unwrap().to_string();
    answers.insert("meeting POST /meetings 200 (a series)", series);
    answers.insert(
        "meeting GET /meetings/{meetingId} 200 (a series)",
        call(&user, Method::GET, &format!("meetings/{id}"), None).await,
    );
    let listed = call(
        &user,
        Method::GET,
        "meetings?meetingType=scheduledMeeting&from=2027-03-01T00:00:00Z&to=2027-03-08T00:00:00Z",
        None,
    )
    .await;
    answers.insert(
        "meeting GET /meetings 200 (the first scheduledMeeting: an occurrence)",
        listed["items"][0].clone(),
    );
    answers.insert("meeting GET /meetings 200 (the whole list)", listed);
    let refused = http
        .post(emulator.api_base().join("meetings").unwrap())
        .bearer_auth(&user)
        .json(&json!({"title": "Too late", "start": "2027-03-01T06:00:00Z", "end": "2027-03-01T07:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    answers.insert(ERROR_BODY, refused.json().await.unwrap());
    answers
}

/// The error body fixture: the meeting document's example for `POST /meetings 400`.
const ERROR_BODY: &str = "meeting POST /meetings 400 (an error body)";

fn allowances(name: &str) -> Allowances {
    match name {
        n if n.starts_with("envelope") => Allowances {
            extra: &[(
                "/createdBy",
                "in every envelope the Webhooks guide shows; in no example of the documents",
            )],
            opaque: &[],
        },
        "messaging GET /attachment/actions/{id} 200" => Allowances {
            extra: &[],
            opaque: &["/inputs"],
        },
        _ => NONE,
    }
}

#[tokio::test]
async fn the_emulator_answers_each_examples_operation_in_the_same_shape() {
    let answers = emulator_answers().await;
    let mut failures = Vec::new();
    for fixture in fixtures() {
        let ours = answers
            .get(fixture.name)
            .unwrap_or_else(|| panic!("no emulator answer for {}", fixture.name));
        let allow = allowances(fixture.name);
        let mut shape = Shape {
            allow: &allow,
            problems: Vec::new(),
            omitted: Vec::new(),
        };
        shape.compare(&fixture.example, ours, "");
        for (pointer, _) in (fixture.read)(&fixture.example).unwrap_or_default() {
            let given = fixture
                .example
                .pointer(&pointer)
                .is_some_and(|v| !v.is_null());
            if given && ours.pointer(&pointer).is_none() {
                shape.problems.push(format!(
                    "{pointer}: the bot reads it and Webex gives it; the emulator does not"
                ));
            }
        }
        shape.omitted.sort();
        shape.omitted.dedup();
        if !shape.omitted.is_empty() {
            eprintln!(
                "{}: the emulator leaves out {}",
                fixture.name,
                shape.omitted.join(", ")
            );
        }
        if !shape.problems.is_empty() {
            failures.push(format!(
                "{}:\n  {}",
                fixture.name,
                shape.problems.join("\n  ")
            ));
        }
    }
    let example = response_example(&load(MEETING), "/meetings", "post", "400");
    let mut shape = Shape {
        allow: &NONE,
        problems: Vec::new(),
        omitted: Vec::new(),
    };
    shape.compare(&example, &answers[ERROR_BODY], "");
    shape.problems.extend(
        shape
            .omitted
            .iter()
            .map(|p| format!("{p}: Webex sends it; the emulator does not")),
    );
    if !shape.problems.is_empty() {
        failures.push(format!("{ERROR_BODY}:\n  {}", shape.problems.join("\n  ")));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
