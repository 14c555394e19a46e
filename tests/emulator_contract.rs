//! Contract tests: the emulator's responses, and the request bodies the bot sends, must conform
//! to the official Webex OpenAPI documents vendored in `crates/webex-emulator/openapi/`.
//!
//! Each check embeds the whole OpenAPI document as the schema root (so `#/components/schemas/…`
//! references resolve) and validates against the schema the spec gives for that exact operation
//! and status. The documents are part of the repository, so these tests never skip.

use chrono::{TimeZone, Utc};
use reqwest::{Method, StatusCode};
use scheduler_core::clock::FixedClock;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use std::sync::Arc;
use webex_emulator::{Emulator, EmulatorConfig, RecordedRequest};

pub(crate) const MESSAGING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/webex-emulator/openapi/webex-messaging.json"
);
pub(crate) const MEETING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/webex-emulator/openapi/webex-meeting.json"
);

/// Loads a vendored document; its absence is a broken checkout, not a reason to skip.
pub(crate) fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| {
        panic!("the OpenAPI document {path} is part of the repository: {error}")
    });
    serde_json::from_str(&text).expect("the OpenAPI document is JSON")
}

/// The messaging spec describes `attachments[].content` with the schema of a file (`fileId`,
/// `contentUrl`, …), while its own example and all real traffic carry an Adaptive Card there
/// (see docs/webex.md §OpenAPI documents). Patch that one known defect so cards can be checked.
fn patch_known_defects(mut doc: Value) -> Value {
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        && schemas.contains_key("Attachment")
    {
        schemas.insert(
            "Attachment".into(),
            json!({
                "type": "object",
                "required": ["contentType", "content"],
                "properties": {
                    "contentType": {"type": "string", "enum": ["application/vnd.microsoft.card.adaptive"]},
                    "content": {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["AdaptiveCard"]}}}
                }
            }),
        );
    }
    doc
}

struct Contract {
    doc: Value,
}

enum Part<'a> {
    Request,
    Response(&'a str),
}

impl Contract {
    fn load(path: &str) -> Contract {
        Contract {
            doc: patch_known_defects(load(path)),
        }
    }

    /// The schema the spec gives for one operation's request body or response.
    fn operation_schema(&self, path: &str, method: &str, part: Part<'_>) -> Value {
        let operation = &self.doc["paths"][path][method];
        let located = match part {
            Part::Request => &operation["requestBody"]["content"],
            Part::Response(code) => &operation["responses"][code]["content"],
        };
        let schema = located
            .as_object()
            .and_then(|by_type| by_type.values().next())
            .map(|media| media["schema"].clone())
            .filter(|s| !s.is_null());
        schema.unwrap_or_else(|| panic!("the spec has no schema for {method} {path}"))
    }

    fn violations(&self, schema: Value, instance: &Value) -> Vec<String> {
        let mut root = self.doc.clone();
        root["components"]["schemas"]["__Target"] = schema;
        root["$ref"] = json!("#/components/schemas/__Target");
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&root)
            .expect("the OpenAPI document compiles as a schema");
        validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    fn assert_component(&self, name: &str, instance: &Value) {
        let errors = self.violations(
            json!({"$ref": format!("#/components/schemas/{name}")}),
            instance,
        );
        assert!(
            errors.is_empty(),
            "{name} violated: {errors:#?}\ninstance: {instance:#}"
        );
    }

    fn assert_operation(&self, path: &str, method: &str, part: Part<'_>, instance: &Value) {
        let label = match part {
            Part::Request => "request".to_string(),
            Part::Response(code) => format!("response {code}"),
        };
        let errors = self.violations(self.operation_schema(path, method, part), instance);
        assert!(
            errors.is_empty(),
            "{method} {path} {label} violated: {errors:#?}\ninstance: {instance:#}"
        );
    }

    /// The spec path a request path falls under: `/v1/meetings/abc` → `/meetings/{meetingId}`,
    /// literal segments winning over parameters (`/people/me` over `/people/{personId}`).
    fn template_for(&self, path: &str) -> Option<String> {
        let wanted: Vec<&str> = path.strip_prefix("/v1")?.split('/').collect();
        let paths = self.doc["paths"].as_object()?;
        paths
            .keys()
            .filter_map(|template| {
                let parts: Vec<&str> = template.split('/').collect();
                let fits = parts.len() == wanted.len()
                    && parts
                        .iter()
                        .zip(&wanted)
                        .all(|(t, w)| t.starts_with('{') || t == w);
                let literals = parts.iter().filter(|t| !t.starts_with('{')).count();
                fits.then_some((literals, template))
            })
            .max_by_key(|(literals, _)| *literals)
            .map(|(_, template)| template.clone())
    }

    /// Checks every logged JSON request body that this document describes against its
    /// operation's request schema, and its `Content-Type` against the media types the
    /// operation lists (`PATCH /meetings/{meetingId}` takes `application/json-patch+json`):
    /// what the client under test actually sent. Returns how many bodies were checked, so
    /// callers can tell the check did not pass vacuously.
    fn assert_logged_requests(&self, requests: &[RecordedRequest]) -> usize {
        let mut checked = 0;
        for request in requests {
            let (Some(body), Some(template)) = (&request.body, self.template_for(&request.path))
            else {
                continue;
            };
            let method = request.method.as_str().to_ascii_lowercase();
            let Some(media_types) =
                self.doc["paths"][&template][&method]["requestBody"]["content"].as_object()
            else {
                continue;
            };
            let sent = request.content_type.split(';').next().unwrap_or("").trim();
            assert!(
                media_types.contains_key(sent),
                "{method} {template} was sent as '{sent}'; the document lists {:?}",
                media_types.keys().collect::<Vec<_>>()
            );
            self.assert_operation(&template, &method, Part::Request, body);
            checked += 1;
        }
        checked
    }
}

struct Client {
    http: reqwest::Client,
    base: url::Url,
}

impl Client {
    async fn call(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .http
            .request(method, self.base.join(path).expect("url"))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("answers");
        let status = response.status();
        let text = response.text().await.expect("body");
        (
            status,
            if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).expect("json")
            },
        )
    }
}

async fn emulator() -> (Emulator, Client) {
    let clock = FixedClock::at(
        Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0)
            .single()
            .expect("valid"),
    );
    let emulator = Emulator::start(EmulatorConfig {
        clock: Arc::new(clock),
        ..EmulatorConfig::default()
    })
    .await
    .expect("starts");
    let client = Client {
        http: reqwest::Client::new(),
        base: emulator.api_base(),
    };
    (emulator, client)
}

/// The card the bot sends (docs/webex.md §Sending a card).
fn schedule_card_message(room_id: &str) -> Value {
    json!({
        "roomId": room_id,
        "text": "Schedule a meeting (your client can't show cards)",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {
                "type": "AdaptiveCard", "version": "1.3",
                "body": [{"type": "Input.Text", "id": "title", "label": "Title", "isRequired": true}],
                "actions": [{"type": "Action.Submit", "title": "Schedule", "data": {"action": "schedule"}}]
            }
        }]
    })
}

#[test]
fn the_validator_is_not_vacuous() {
    let contract = Contract::load(MEETING);
    let missing_required = json!({"title": "no id, no start"});
    assert!(
        !contract
            .violations(
                json!({"$ref": "#/components/schemas/MeetingSeriesObject"}),
                &missing_required
            )
            .is_empty()
    );
    let list = contract.operation_schema("/meetings", "get", Part::Response("200"));
    assert!(
        !contract
            .violations(list, &json!({"items": [{"id": "only an id"}]}))
            .is_empty()
    );
    let messaging = Contract::load(MESSAGING);
    let card_without_content = json!({"roomId": "R", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive"}]});
    let request = messaging.operation_schema("/messages", "post", Part::Request);
    assert!(
        !messaging
            .violations(request, &card_without_content)
            .is_empty()
    );
    let wrong_type = json!({"id": 42});
    assert!(
        !messaging
            .violations(json!({"$ref": "#/components/schemas/Person"}), &wrong_type)
            .is_empty()
    );
    let bad_enum = json!({"id": "W", "status": "paused"});
    assert!(
        !messaging
            .violations(json!({"$ref": "#/components/schemas/Webhook"}), &bad_enum)
            .is_empty()
    );
}

#[tokio::test]
async fn messaging_responses_and_requests_match_the_spec() {
    let contract = Contract::load(MESSAGING);
    let (emulator, client) = emulator().await;
    let bot = emulator.bot_token().expose_secret().to_string();
    let alice = emulator.add_person("Alice Example", "alice@example.com", Some("Europe/Berlin"));
    let room = emulator.create_group_room("Team", &[&alice.id]);

    let (_, me) = client.call(&bot, Method::GET, "people/me", None).await;
    contract.assert_operation("/people/me", "get", Part::Response("200"), &me);
    let (_, person) = client
        .call(&bot, Method::GET, &format!("people/{}", alice.id), None)
        .await;
    contract.assert_operation("/people/{personId}", "get", Part::Response("200"), &person);
    let (_, people) = client
        .call(&bot, Method::GET, "people?email=alice%40example.com", None)
        .await;
    contract.assert_operation("/people", "get", Part::Response("200"), &people);
    let (_, room_json) = client
        .call(&bot, Method::GET, &format!("rooms/{room}"), None)
        .await;
    contract.assert_operation("/rooms/{roomId}", "get", Part::Response("200"), &room_json);
    let (_, memberships) = client
        .call(
            &bot,
            Method::GET,
            &format!("memberships?roomId={room}"),
            None,
        )
        .await;
    contract.assert_operation("/memberships", "get", Part::Response("200"), &memberships);

    let card = schedule_card_message(&room);
    contract.assert_operation("/messages", "post", Part::Request, &card);
    let (status, sent) = client
        .call(&bot, Method::POST, "messages", Some(&card))
        .await;
    assert_eq!(status, StatusCode::OK);
    contract.assert_operation("/messages", "post", Part::Response("200"), &sent);
    let reply = json!({"roomId": room, "parentId": sent["id"], "markdown": "Booked for <@personEmail:alice@example.com>"});
    contract.assert_operation("/messages", "post", Part::Request, &reply);
    let (_, replied) = client
        .call(&bot, Method::POST, "messages", Some(&reply))
        .await;
    contract.assert_operation("/messages", "post", Part::Response("200"), &replied);
    let dm = json!({"toPersonEmail": "alice@example.com", "text": "hello"});
    contract.assert_operation("/messages", "post", Part::Request, &dm);
    let (_, direct) = client.call(&bot, Method::POST, "messages", Some(&dm)).await;
    contract.assert_operation("/messages", "post", Part::Response("200"), &direct);

    let asked = emulator
        .post_as(&alice.id, &room, "@Scheduler schedule standup tomorrow 9am")
        .await
        .expect("posted");
    let (_, message) = client
        .call(&bot, Method::GET, &format!("messages/{asked}"), None)
        .await;
    contract.assert_operation(
        "/messages/{messageId}",
        "get",
        Part::Response("200"),
        &message,
    );

    let (_, listed_messages) = client
        .call(
            &bot,
            Method::GET,
            &format!("messages?roomId={room}&mentionedPeople=me"),
            None,
        )
        .await;
    assert_eq!(listed_messages["items"].as_array().map(Vec::len), Some(1));
    contract.assert_operation("/messages", "get", Part::Response("200"), &listed_messages);

    let alice_token = emulator
        .issue_user_token(&alice.id, &["spark:all"])
        .expose_secret()
        .to_string();
    let submit = json!({"type": "submit", "messageId": sent["id"], "inputs": {"title": "Standup"}});
    contract.assert_operation("/attachment/actions", "post", Part::Request, &submit);
    let (status, action) = client
        .call(
            &alice_token,
            Method::POST,
            "attachment/actions",
            Some(&submit),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    contract.assert_operation(
        "/attachment/actions",
        "post",
        Part::Response("202"),
        &action,
    );
    let (_, fetched) = client
        .call(
            &bot,
            Method::GET,
            &format!("attachment/actions/{}", action["id"].as_str().expect("id")),
            None,
        )
        .await;
    contract.assert_operation(
        "/attachment/actions/{id}",
        "get",
        Part::Response("200"),
        &fetched,
    );

    let hook = json!({"name": "bot-messages", "targetUrl": "http://127.0.0.1:9/webex", "resource": "messages", "event": "created", "secret": "86dacc00"});
    contract.assert_operation("/webhooks", "post", Part::Request, &hook);
    let (_, created) = client
        .call(&bot, Method::POST, "webhooks", Some(&hook))
        .await;
    contract.assert_operation("/webhooks", "post", Part::Response("200"), &created);
    let hook_id = created["id"].as_str().expect("id");
    let (_, listed) = client.call(&bot, Method::GET, "webhooks", None).await;
    contract.assert_operation("/webhooks", "get", Part::Response("200"), &listed);
    let (_, one) = client
        .call(&bot, Method::GET, &format!("webhooks/{hook_id}"), None)
        .await;
    contract.assert_operation("/webhooks/{webhookId}", "get", Part::Response("200"), &one);
    let reactivate = json!({"name": "bot-messages", "targetUrl": "http://127.0.0.1:9/webex", "status": "active"});
    contract.assert_operation("/webhooks/{webhookId}", "put", Part::Request, &reactivate);
    let (_, updated) = client
        .call(
            &bot,
            Method::PUT,
            &format!("webhooks/{hook_id}"),
            Some(&reactivate),
        )
        .await;
    contract.assert_operation(
        "/webhooks/{webhookId}",
        "put",
        Part::Response("200"),
        &updated,
    );
    assert!(contract.assert_logged_requests(&emulator.requests()) >= 6);
}

#[tokio::test]
async fn meeting_responses_and_requests_match_the_spec() {
    let contract = Contract::load(MEETING);
    let (emulator, client) = emulator().await;
    let alice = emulator.add_person("Alice Example", "alice@example.com", Some("Europe/Berlin"));
    let token = emulator
        .issue_user_token(
            &alice.id,
            &["meeting:schedules_read", "meeting:schedules_write"],
        )
        .expose_secret()
        .to_string();

    let create = json!({
        "title": "Team standup", "agenda": "Daily sync",
        "start": "2027-03-03T09:00:00+01:00", "end": "2027-03-03T09:30:00+01:00",
        "timezone": "Europe/Berlin", "recurrence": "FREQ=DAILY;INTERVAL=1;COUNT=10",
        "enabledJoinBeforeHost": true, "joinBeforeHostMinutes": 5,
        "invitees": [{"email": "bob@example.com", "displayName": "Bob", "coHost": false}],
        "sendEmail": false, "integrationTags": ["req-7f3a9c"]
    });
    contract.assert_operation("/meetings", "post", Part::Request, &create);
    let (status, created) = client
        .call(&token, Method::POST, "meetings", Some(&create))
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    contract.assert_operation("/meetings", "post", Part::Response("200"), &created);
    let id = created["id"].as_str().expect("id").to_string();

    let (_, got) = client
        .call(&token, Method::GET, &format!("meetings/{id}"), None)
        .await;
    contract.assert_operation("/meetings/{meetingId}", "get", Part::Response("200"), &got);
    let (_, by_tag) = client
        .call(
            &token,
            Method::GET,
            "meetings?integrationTag=req-7f3a9c",
            None,
        )
        .await;
    assert_eq!(by_tag["items"].as_array().map(Vec::len), Some(1));
    contract.assert_operation("/meetings", "get", Part::Response("200"), &by_tag);
    let (_, occurrences) = client
        .call(
            &token,
            Method::GET,
            "meetings?meetingType=scheduledMeeting",
            None,
        )
        .await;
    assert!(
        occurrences["items"]
            .as_array()
            .is_some_and(|i| !i.is_empty())
    );
    contract.assert_operation("/meetings", "get", Part::Response("200"), &occurrences);
    let occurrence_id = occurrences["items"][0]["id"].as_str().expect("id");
    let (_, occurrence) = client
        .call(
            &token,
            Method::GET,
            &format!("meetings/{occurrence_id}"),
            None,
        )
        .await;
    contract.assert_component("MeetingObjectForListMeeting", &occurrence);

    let (_, invitees) = client
        .call(
            &token,
            Method::GET,
            &format!("meetingInvitees?meetingId={id}"),
            None,
        )
        .await;
    contract.assert_operation("/meetingInvitees", "get", Part::Response("200"), &invitees);

    let update = json!({"title": "Team standup (moved)", "password": created["password"], "start": "2027-03-03T10:00:00+01:00", "end": "2027-03-03T10:30:00+01:00", "timezone": "Europe/Berlin", "sendEmail": false});
    contract.assert_operation("/meetings/{meetingId}", "put", Part::Request, &update);
    let (status, updated) = client
        .call(
            &token,
            Method::PUT,
            &format!("meetings/{id}"),
            Some(&update),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    contract.assert_operation(
        "/meetings/{meetingId}",
        "put",
        Part::Response("200"),
        &updated,
    );

    let past = json!({"title": "Too late", "start": "2027-03-01T06:00:00Z", "end": "2027-03-01T07:00:00Z"});
    let (status, error) = client
        .call(&token, Method::POST, "meetings", Some(&past))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    contract.assert_operation("/meetings", "post", Part::Response("400"), &error);
    assert!(error["errors"][0]["description"].is_string() && error["trackingId"].is_string());
    assert!(contract.assert_logged_requests(&emulator.requests()) >= 3);
}

/// The bot's own Webex client, not hand-written bodies: every request body it sends for the
/// operations it uses must match the spec.
#[tokio::test]
async fn the_bots_real_client_sends_what_the_spec_describes() {
    let (messaging, meetings) = (Contract::load(MESSAGING), Contract::load(MEETING));
    use webex_scheduler::webex::{
        Attachment, Auth, MeetingPatch, NewInvitee, NewMeeting, NewMessage, NewWebhook,
        UpdateWebhook, WebexClient, WebexConfig, WebhookStatus,
    };
    let (emulator, _) = emulator().await;
    let alice = emulator.add_person("Alice Example", "alice@example.com", Some("Europe/Berlin"));
    let room = emulator.create_group_room("Team", &[&alice.id]);
    let webex = WebexClient::new(WebexConfig {
        api_base: emulator.api_base(),
        bot_token: emulator.bot_token(),
        requests_per_minute: 6000,
        timeout: std::time::Duration::from_secs(10),
        max_rate_limit_wait: std::time::Duration::from_secs(10),
    })
    .expect("client");
    let card = webex_scheduler::cards::form(
        &webex_scheduler::cards::FormValues::default(),
        &webex_scheduler::cards::FieldErrors::default(),
        "card-1",
    );
    webex
        .post_message(&NewMessage {
            room_id: Some(room.clone()),
            markdown: Some("Preview".into()),
            attachments: vec![Attachment::adaptive_card(card)],
            ..Default::default()
        })
        .await
        .expect("card posted");
    webex
        .post_message(&NewMessage {
            to_person_id: Some(alice.id.clone()),
            markdown: Some("A direct message".into()),
            ..Default::default()
        })
        .await
        .expect("dm posted");
    let hook = webex
        .create_webhook(&NewWebhook {
            name: "webex-scheduler messages/created".into(),
            target_url: "https://bot.example.com/webhooks/webex".into(),
            resource: "messages".into(),
            event: "created".into(),
            filter: None,
            secret: Some("a-webhook-secret-value".to_string().into()),
        })
        .await
        .expect("webhook created");
    webex
        .update_webhook(
            &hook.id,
            &UpdateWebhook {
                name: "webex-scheduler messages/created".into(),
                target_url: "https://bot.example.com/webhooks/webex".into(),
                secret: Some("a-newer-secret-value".to_string().into()),
                status: Some(WebhookStatus::Active),
            },
        )
        .await
        .expect("webhook updated");
    let user = Auth::User(emulator.issue_user_token(
        &alice.id,
        &[
            "meeting:schedules_read",
            "meeting:schedules_write",
            "spark:people_read",
        ],
    ));
    let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let start = berlin
        .with_ymd_and_hms(2027, 3, 2, 15, 0, 0)
        .unwrap()
        .fixed_offset();
    let body = NewMeeting {
        title: "Design review".into(),
        agenda: Some("Roadmap".into()),
        start,
        end: start + chrono::Duration::hours(1),
        timezone: Some("Europe/Berlin".into()),
        recurrence: Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=4".into()),
        password: Some("Secret42".into()),
        invitees: vec![NewInvitee {
            email: "bob@example.com".into(),
            display_name: Some("Bob".into()),
            co_host: true,
        }],
        send_email: false,
        integration_tags: vec!["wxs-0123456789abcdef01234567".into()],
        ..Default::default()
    };
    let meeting = webex
        .create_meeting(&user, &body)
        .await
        .expect("meeting created");
    let later = start + chrono::Duration::hours(2);
    let patch = MeetingPatch {
        start: Some(later),
        end: Some(later + chrono::Duration::hours(1)),
        recurrence: Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=3".into()),
        send_email: false,
        ..Default::default()
    };
    webex
        .patch_meeting(&user, &meeting.id, &patch)
        .await
        .expect("meeting updated");

    let requests = emulator.requests();
    let checked =
        messaging.assert_logged_requests(&requests) + meetings.assert_logged_requests(&requests);
    assert!(checked >= 6, "only {checked} request bodies were checked");
}
