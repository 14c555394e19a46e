//! The emulator's messaging behaviour, end to end over HTTP: people, rooms, memberships,
//! messages with mentions, bot visibility, webhooks (signed, filtered, disabled after failures),
//! card submissions and the control API.

use crate::support::{WAIT, eventually, notifications_settled};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use webex_emulator::{Delivery, Emulator, EmulatorConfig, NotificationProgress, sign};

/// What a webhook receiver got: headers and exact bytes.
#[derive(Clone, Default)]
struct Inbox(Arc<Mutex<Vec<(HeaderMap, Bytes)>>>);

impl Inbox {
    fn bodies(&self) -> Vec<Value> {
        self.0
            .lock()
            .expect("inbox")
            .iter()
            .map(|(_, b)| serde_json::from_slice(b).expect("webhook body is JSON"))
            .collect()
    }

    /// Waits until at least `n` notifications arrived; returns all of them.
    async fn wait_for(&self, n: usize) -> Vec<(HeaderMap, Bytes)> {
        let what = format!("{n} notifications at the receiver");
        eventually(&what, WAIT, async || {
            let got = self.0.lock().expect("inbox").clone();
            if got.len() >= n {
                Ok(got)
            } else {
                Err(got.len())
            }
        })
        .await
    }
}

/// A receiver answering `status`, returning its URL.
async fn receiver(status: StatusCode) -> (String, Inbox) {
    let inbox = Inbox::default();
    let app = Router::new()
        .route(
            "/hook",
            post(
                move |State(inbox): State<Inbox>, headers: HeaderMap, body: Bytes| async move {
                    inbox.0.lock().expect("inbox").push((headers, body));
                    status
                },
            ),
        )
        .with_state(inbox.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), inbox)
}

/// Waits until the webhook has `status`, since disabling follows the failed delivery.
async fn webhook_reaches(emulator: &Emulator, id: &str, status: &str) {
    let what = format!("webhook {id} to be {status}");
    eventually(&what, WAIT, async || {
        let hooks = emulator.webhooks();
        match hooks.iter().find(|h| h["id"] == id) {
            Some(h) if h["status"] == status => Ok(()),
            found => Err(found.map(|h| h["status"].clone())),
        }
    })
    .await
}

/// Waits until the emulator has recorded at least `n` delivery attempts; returns them all.
async fn delivery_attempts(emulator: &Emulator, n: usize) -> Vec<Delivery> {
    let what = format!("{n} delivery attempts");
    eventually(&what, WAIT, async || {
        let deliveries = emulator.deliveries();
        if deliveries.len() >= n {
            Ok(deliveries)
        } else {
            Err(deliveries.len())
        }
    })
    .await
}

async fn start(config: EmulatorConfig) -> Emulator {
    Emulator::start(config).await.expect("emulator starts")
}

struct Api {
    http: reqwest::Client,
    base: url::Url,
}

impl Api {
    fn new(emulator: &Emulator) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: emulator.api_base(),
        }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, HeaderMap, Value) {
        let url = if path.starts_with("http") {
            path.parse().expect("url")
        } else {
            self.base.join(path).expect("path")
        };
        let mut request = self.http.request(method, url).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("emulator answers");
        let status = StatusCode::from_u16(response.status().as_u16()).expect("status");
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("JSON body")
        };
        (
            status,
            HeaderMap::from_iter(headers.iter().map(|(k, v)| {
                (
                    k.as_str().parse().expect("name"),
                    v.to_str().expect("ascii").parse().expect("value"),
                )
            })),
            value,
        )
    }
}

#[tokio::test]
async fn people_me_identifies_the_bot_and_unknown_tokens_get_a_webex_401() {
    let emulator = start(EmulatorConfig::default()).await;
    let api = Api::new(&emulator);
    let (status, headers, me) = api
        .call(
            reqwest::Method::GET,
            "people/me",
            emulator.bot_token().expose_secret(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["id"], emulator.bot().id);
    assert_eq!(me["type"], "bot");
    assert_eq!(me["emails"][0], "scheduler@webex.bot");
    assert!(headers.get("trackingid").is_some());

    let (status, headers, body) = api
        .call(reqwest::Method::GET, "people/me", "not-a-token", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(body["errors"][0]["description"].is_string());
    assert_eq!(
        body["trackingId"].as_str(),
        headers.get("trackingid").and_then(|v| v.to_str().ok())
    );
    let logged = emulator.requests();
    assert_eq!(logged.len(), 2);
    assert_eq!(logged[0].subject, emulator.bot().id);
    assert_eq!(logged[1].subject, "unknown");
    assert_eq!(logged[1].status, 401);
}

#[tokio::test]
async fn people_lookup_by_email_and_absent_timezone() {
    let emulator = start(EmulatorConfig::default()).await;
    let api = Api::new(&emulator);
    let alice = emulator.add_person("Alice Example", "alice@example.com", Some("Europe/Berlin"));
    let bob = emulator.add_person("Bob", "bob@example.com", None);
    let token = emulator.bot_token();
    let (_, _, found) = api
        .call(
            reqwest::Method::GET,
            "people?email=ALICE%40example.com",
            token.expose_secret(),
            None,
        )
        .await;
    assert_eq!(found["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(found["items"][0]["id"], alice.id);
    assert_eq!(found["items"][0]["timezone"], "Europe/Berlin");
    let (_, _, bob_json) = api
        .call(
            reqwest::Method::GET,
            &format!("people/{}", bob.id),
            token.expose_secret(),
            None,
        )
        .await;
    assert!(
        bob_json.get("timezone").is_none(),
        "unset timezone must be absent: {bob_json}"
    );
    let (status, _, _) = api
        .call(reqwest::Method::GET, "people", token.expose_secret(), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn memberships_are_paginated_with_link_headers() {
    let emulator = start(EmulatorConfig {
        default_page_size: 2,
        ..EmulatorConfig::default()
    })
    .await;
    let api = Api::new(&emulator);
    let people: Vec<String> = (0..4)
        .map(|i| {
            emulator
                .add_person(&format!("P{i}"), &format!("p{i}@example.com"), None)
                .id
        })
        .collect();
    let refs: Vec<&str> = people.iter().map(String::as_str).collect();
    let room = emulator.create_group_room("Team", &refs);
    let token = emulator.bot_token();
    let mut url = format!("memberships?roomId={room}");
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let (status, headers, page) = api
            .call(reqwest::Method::GET, &url, token.expose_secret(), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        pages += 1;
        for item in page["items"].as_array().expect("items") {
            seen.push(item["personId"].as_str().expect("personId").to_string());
        }
        let Some(link) = headers.get("link") else {
            break;
        };
        let link = link.to_str().expect("ascii");
        url = link
            .trim_start_matches('<')
            .split('>')
            .next()
            .expect("url")
            .to_string();
    }
    assert_eq!(pages, 3, "5 members at 2 per page");
    assert_eq!(seen.len(), 5);
    assert!(seen.contains(&emulator.bot().id));
    let (status, _, _) = api
        .call(
            reqwest::Method::GET,
            "memberships",
            token.expose_secret(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "roomId is required");
}

#[tokio::test]
async fn a_mention_in_a_group_reaches_the_bot_signed_and_readable() {
    let emulator = start(EmulatorConfig::default()).await;
    let api = Api::new(&emulator);
    let (target, inbox) = receiver(StatusCode::OK).await;
    let token = emulator.bot_token();
    let (status, _, hook) = api
        .call(
            reqwest::Method::POST,
            "webhooks",
            token.expose_secret(),
            Some(json!({"name": "m", "targetUrl": target, "resource": "messages", "event": "created", "secret": "s3cret"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(hook["status"], "active");

    let alice = emulator.add_person("Alice Example", "alice@example.com", None);
    let room = emulator.create_group_room("Team", &[&alice.id]);
    emulator
        .post_as(&alice.id, &room, "no mention here")
        .await
        .expect("posted");
    let mentioned = emulator
        .post_as(&alice.id, &room, "@Scheduler schedule standup tomorrow 9am")
        .await
        .expect("posted");

    let got = inbox.wait_for(1).await;
    notifications_settled(&emulator).await;
    assert_eq!(
        inbox.0.lock().expect("inbox").len(),
        1,
        "only the mention is delivered to a bot in a group"
    );
    let (headers, body) = &got[0];
    let signature = headers
        .get("x-spark-signature")
        .and_then(|v| v.to_str().ok())
        .expect("signed");
    assert_eq!(signature, sign("s3cret", body));
    let envelope: Value = serde_json::from_slice(body).expect("json");
    assert_eq!(envelope["data"]["id"], mentioned);
    assert_eq!(envelope["data"]["roomType"], "group");
    assert_eq!(envelope["actorId"], alice.id);
    assert_eq!(envelope["data"]["mentionedPeople"][0], emulator.bot().id);
    assert!(
        envelope["data"].get("text").is_none(),
        "webhooks never carry content"
    );
    for field in [
        "id",
        "name",
        "targetUrl",
        "resource",
        "event",
        "orgId",
        "createdBy",
        "appId",
        "ownedBy",
        "status",
        "created",
    ] {
        assert!(envelope.get(field).is_some(), "envelope lacks {field}");
    }

    let (status, _, message) = api
        .call(
            reqwest::Method::GET,
            &format!("messages/{mentioned}"),
            token.expose_secret(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(message["text"], "Scheduler schedule standup tomorrow 9am");
    assert!(message["html"].as_str().expect("html").contains(&format!(
        "data-object-id=\"{}\">Scheduler</spark-mention>",
        emulator.bot().id
    )));

    let unmentioned = emulator.messages_in(&room)[0].id.clone();
    let (status, _, _) = api
        .call(
            reqwest::Method::GET,
            &format!("messages/{unmentioned}"),
            token.expose_secret(),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a bot cannot read group messages that do not mention it"
    );
}

#[tokio::test]
async fn the_bots_own_direct_messages_fire_webhooks_and_filters_apply() {
    let emulator = start(EmulatorConfig::default()).await;
    let api = Api::new(&emulator);
    let (all_target, all_inbox) = receiver(StatusCode::OK).await;
    let (filtered_target, filtered_inbox) = receiver(StatusCode::OK).await;
    let token = emulator.bot_token();
    let alice = emulator.add_person("Alice", "alice@example.com", None);
    let bob = emulator.add_person("Bob", "bob@example.com", None);
    for (target, filter) in [
        (&all_target, None),
        (
            &filtered_target,
            Some(format!("personEmail={}", "bob@example.com")),
        ),
    ] {
        let mut body =
            json!({"name": "m", "targetUrl": target, "resource": "messages", "event": "created"});
        if let Some(filter) = filter {
            body["filter"] = json!(filter);
        }
        api.call(
            reqwest::Method::POST,
            "webhooks",
            token.expose_secret(),
            Some(body),
        )
        .await;
    }
    let (status, _, sent) = api
        .call(reqwest::Method::POST, "messages", token.expose_secret(), Some(json!({"toPersonEmail": "alice@example.com", "markdown": "Hi <@personEmail:alice@example.com|Alice>"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sent["roomType"], "direct");
    assert_eq!(sent["personId"], emulator.bot().id);
    assert_eq!(sent["mentionedPeople"][0], alice.id);
    let bob_room = emulator.direct_room(&bob.id);
    emulator
        .post_as(&bob.id, &bob_room, "help")
        .await
        .expect("posted");

    let all = all_inbox.wait_for(2).await;
    assert_eq!(all.len(), 2, "bot's own DM and Bob's DM");
    let filtered = filtered_inbox.wait_for(1).await;
    notifications_settled(&emulator).await;
    assert_eq!(filtered_inbox.0.lock().expect("inbox").len(), 1);
    assert_eq!(
        filtered_inbox.bodies()[0]["data"]["personEmail"],
        "bob@example.com"
    );
    assert!(
        filtered[0].0.get("x-spark-signature").is_none(),
        "no secret, no signature"
    );
}

#[tokio::test]
async fn message_validation_follows_webex_limits() {
    let emulator = start(EmulatorConfig::default()).await;
    let api = Api::new(&emulator);
    let alice = emulator.add_person("Alice", "alice@example.com", None);
    let room = emulator.create_group_room("Team", &[&alice.id]);
    let token = emulator.bot_token();
    let card = json!({"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard", "version": "1.3", "body": []}});
    let cases = [
        json!({"roomId": room}),
        json!({"roomId": room, "toPersonId": alice.id, "text": "x"}),
        json!({"roomId": room, "text": "x".repeat(7440)}),
        json!({"roomId": room, "text": "x", "attachments": [card, card]}),
        json!({"roomId": room, "text": "x", "attachments": [{"contentType": "text/plain", "content": {}}]}),
        json!({"roomId": room, "text": "x", "parentId": "nope"}),
        // Cards Webex would not render: too new, too many buttons, too large.
        json!({"roomId": room, "text": "x", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
            "content": {"type": "AdaptiveCard", "version": "1.4", "body": []}}]}),
        json!({"roomId": room, "text": "x", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
            "content": {"type": "AdaptiveCard", "version": "1.3", "body": [],
                "actions": vec![json!({"type": "Action.Submit", "title": "B"}); webex_emulator::MAX_CARD_ACTIONS + 1]}}]}),
        json!({"roomId": room, "text": "x", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
            "content": {"type": "AdaptiveCard", "version": "1.3",
                "body": [{"type": "TextBlock", "text": "x".repeat(webex_emulator::MAX_CARD_BYTES)}]}}]}),
    ];
    for body in cases {
        let (status, _, error) = api
            .call(
                reqwest::Method::POST,
                "messages",
                token.expose_secret(),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(error["errors"][0]["description"].is_string());
    }
    let (status, _, _) = api
        .call(
            reqwest::Method::POST,
            "messages",
            token.expose_secret(),
            Some(json!({"roomId": room, "text": "x".repeat(7439)})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = api
        .call(
            reqwest::Method::POST,
            "messages",
            token.expose_secret(),
            Some(json!({"roomId": "unknown", "text": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let top = emulator
        .post_as(&alice.id, &room, "@Scheduler help")
        .await
        .expect("posted");
    let (status, _, reply) = api
        .call(
            reqwest::Method::POST,
            "messages",
            token.expose_secret(),
            Some(json!({"roomId": room, "parentId": top, "text": "in the thread"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["parentId"], top.as_str());
    let (status, _, _) = api
        .call(
            reqwest::Method::POST,
            "messages",
            token.expose_secret(),
            Some(json!({"roomId": room, "parentId": reply["id"], "text": "nested"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "threads are one level deep"
    );
}

#[tokio::test]
async fn card_submissions_reach_the_bot_with_inputs_merged() {
    let emulator = start(EmulatorConfig::default()).await;
    let api = Api::new(&emulator);
    let (target, inbox) = receiver(StatusCode::OK).await;
    let token = emulator.bot_token();
    api.call(reqwest::Method::POST, "webhooks", token.expose_secret(), Some(json!({"name": "a", "targetUrl": target, "resource": "attachmentActions", "event": "created"}))).await;
    let alice = emulator.add_person("Alice", "alice@example.com", None);
    let room = emulator.create_group_room("Team", &[&alice.id]);
    let card = json!({"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard", "version": "1.3",
        "body": [{"type": "Input.Text", "id": "title"}],
        "actions": [{"type": "Action.Submit", "title": "Schedule", "data": {"action": "schedule"}}]}});
    let (_, _, sent) = api
        .call(
            reqwest::Method::POST,
            "messages",
            token.expose_secret(),
            Some(json!({"roomId": room, "text": "card", "attachments": [card]})),
        )
        .await;
    let message_id = sent["id"].as_str().expect("id");
    let action_id = emulator
        .submit_card(&alice.id, message_id, json!({"title": "Standup"}))
        .await
        .expect("submitted");

    inbox.wait_for(1).await;
    let got = inbox.bodies();
    assert_eq!(got[0]["resource"], "attachmentActions");
    assert_eq!(got[0]["data"]["id"], action_id);
    assert_eq!(got[0]["data"]["messageId"], message_id);
    assert!(got[0]["data"].get("inputs").is_none());

    let (status, _, action) = api
        .call(
            reqwest::Method::GET,
            &format!("attachment/actions/{action_id}"),
            token.expose_secret(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        action["inputs"],
        json!({"title": "Standup", "action": "schedule"})
    );
    assert_eq!(action["personId"], alice.id);

    let plain = emulator
        .post_as(&alice.id, &room, "no card")
        .await
        .expect("posted");
    assert!(
        emulator
            .submit_card(&alice.id, &plain, json!({}))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn failing_targets_get_the_webhook_disabled_until_put_reactivates_it() {
    let config = EmulatorConfig {
        webhook_delivery_attempts: 2,
        webhook_retry_delay: Duration::from_millis(5),
        webhook_disable_after_failures: 4,
        ..EmulatorConfig::default()
    };
    let emulator = start(config).await;
    let api = Api::new(&emulator);
    let (target, _inbox) = receiver(StatusCode::INTERNAL_SERVER_ERROR).await;
    let token = emulator.bot_token();
    let (_, _, hook) = api.call(reqwest::Method::POST, "webhooks", token.expose_secret(), Some(json!({"name": "m", "targetUrl": target, "resource": "messages", "event": "created"}))).await;
    let hook_id = hook["id"].as_str().expect("id").to_string();
    let alice = emulator.add_person("Alice", "alice@example.com", None);
    let room = emulator.direct_room(&alice.id);
    emulator
        .post_as(&alice.id, &room, "one")
        .await
        .expect("posted");
    let deliveries = delivery_attempts(&emulator, 2).await;
    assert_eq!(deliveries.len(), 2, "each notification is retried");
    assert!(deliveries.iter().all(|d| d.status == Some(500)));
    let (_, _, still) = api
        .call(
            reqwest::Method::GET,
            &format!("webhooks/{hook_id}"),
            token.expose_secret(),
            None,
        )
        .await;
    assert_eq!(
        still["status"], "active",
        "two failures are below the threshold"
    );

    emulator
        .post_as(&alice.id, &room, "two")
        .await
        .expect("posted");
    delivery_attempts(&emulator, 4).await;
    webhook_reaches(&emulator, &hook_id, "inactive").await;
    let (_, _, disabled) = api
        .call(
            reqwest::Method::GET,
            &format!("webhooks/{hook_id}"),
            token.expose_secret(),
            None,
        )
        .await;
    assert_eq!(disabled["status"], "inactive");

    emulator
        .post_as(&alice.id, &room, "three")
        .await
        .expect("posted");
    notifications_settled(&emulator).await;
    assert_eq!(
        emulator.deliveries().len(),
        4,
        "an inactive webhook gets nothing"
    );

    let (status, _, _) = api
        .call(
            reqwest::Method::PUT,
            &format!("webhooks/{hook_id}"),
            token.expose_secret(),
            Some(json!({"name": "m", "targetUrl": target, "status": "inactive"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "PUT cannot deactivate");
    let (status, _, back) = api
        .call(
            reqwest::Method::PUT,
            &format!("webhooks/{hook_id}"),
            token.expose_secret(),
            Some(json!({"name": "m", "targetUrl": target, "status": "active"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(back["status"], "active");

    emulator
        .post_as(&alice.id, &room, "four")
        .await
        .expect("posted");
    let deliveries = delivery_attempts(&emulator, 5).await;
    webhook_reaches(&emulator, &hook_id, "inactive").await;
    let (_, _, again) = api
        .call(
            reqwest::Method::GET,
            &format!("webhooks/{hook_id}"),
            token.expose_secret(),
            None,
        )
        .await;
    assert_eq!(
        again["status"], "inactive",
        "re-enabled within the window, one failure disables it"
    );
    assert_eq!(deliveries.len(), 5);
    assert_eq!(emulator.deliveries().len(), 5, "no retry once disabled");
}

#[tokio::test]
async fn listing_messages_follows_bot_rules_newest_first() {
    let emulator = start(EmulatorConfig::default()).await;
    let api = Api::new(&emulator);
    let alice = emulator.add_person("Alice", "alice@example.com", None);
    let room = emulator.create_group_room("Team", &[&alice.id]);
    let mut mentions = Vec::new();
    for i in 0..3 {
        emulator
            .post_as(&alice.id, &room, &format!("chatter {i}"))
            .await
            .expect("posted");
        mentions.push(
            emulator
                .post_as(&alice.id, &room, &format!("@Scheduler ask {i}"))
                .await
                .expect("posted"),
        );
    }
    let bot = emulator.bot_token();
    let (status, _, _) = api
        .call(
            reqwest::Method::GET,
            &format!("messages?roomId={room}"),
            bot.expose_secret(),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "bots need mentionedPeople=me in groups"
    );
    let (status, headers, page) = api
        .call(
            reqwest::Method::GET,
            &format!("messages?roomId={room}&mentionedPeople=me&max=2"),
            bot.expose_secret(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert_eq!(ids, vec![mentions[2].as_str(), mentions[1].as_str()]);
    let link = headers
        .get("link")
        .and_then(|v| v.to_str().ok())
        .expect("next page")
        .to_string();
    let next = link
        .trim_start_matches('<')
        .split('>')
        .next()
        .expect("url")
        .to_string();
    let (_, _, rest) = api
        .call(reqwest::Method::GET, &next, bot.expose_secret(), None)
        .await;
    assert_eq!(rest["items"][0]["id"], mentions[0].as_str());

    let alice_token = emulator.issue_user_token(&alice.id, &["spark:messages_read"]);
    let (_, _, all) = api
        .call(
            reqwest::Method::GET,
            &format!("messages?roomId={room}&beforeMessage={}", mentions[2]),
            alice_token.expose_secret(),
            None,
        )
        .await;
    assert_eq!(
        all["items"].as_array().map(Vec::len),
        Some(5),
        "people see everything before that message"
    );
}

#[tokio::test]
async fn user_tokens_need_the_scopes_of_each_endpoint() {
    let emulator = start(EmulatorConfig::default()).await;
    let api = Api::new(&emulator);
    let alice = emulator.add_person("Alice", "alice@example.com", None);
    let bare = emulator.issue_user_token(&alice.id, &["meeting:schedules_write"]);
    let (status, _, error) = api
        .call(
            reqwest::Method::GET,
            "people/me",
            bare.expose_secret(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("spark:people_read")),
        "{error}"
    );
    let people = emulator.issue_user_token(&alice.id, &["spark:people_read"]);
    let (status, _, me) = api
        .call(
            reqwest::Method::GET,
            "people/me",
            people.expose_secret(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["id"], alice.id);
    let all = emulator.issue_user_token(&alice.id, &["spark:all"]);
    let (status, _, sent) = api
        .call(
            reqwest::Method::POST,
            "messages",
            all.expose_secret(),
            Some(json!({"toPersonId": emulator.bot().id, "text": "hi bot"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(sent["personId"], alice.id);
}

#[tokio::test]
async fn memberships_created_fires_when_the_bot_is_added() {
    let emulator = start(EmulatorConfig::default()).await;
    let api = Api::new(&emulator);
    let (target, inbox) = receiver(StatusCode::OK).await;
    let token = emulator.bot_token();
    api.call(reqwest::Method::POST, "webhooks", token.expose_secret(), Some(json!({"name": "j", "targetUrl": target, "resource": "memberships", "event": "created", "filter": format!("personId={}", emulator.bot().id)}))).await;
    let alice = emulator.add_person("Alice", "alice@example.com", None);
    let room = emulator.create_group_room("Team", &[&alice.id]);
    inbox.wait_for(1).await;
    notifications_settled(&emulator).await;
    let bodies = inbox.bodies();
    assert_eq!(
        bodies.len(),
        1,
        "only the bot's own membership matches the filter"
    );
    assert_eq!(bodies[0]["data"]["roomId"], room);
    assert_eq!(bodies[0]["data"]["personId"], emulator.bot().id);
    assert_eq!(bodies[0]["actorId"], alice.id);
}

#[tokio::test]
async fn the_control_api_drives_the_emulator_over_http() {
    let emulator = start(EmulatorConfig::default()).await;
    let http = reqwest::Client::new();
    let control = emulator.control_base();
    let bot: Value = http
        .get(control.join("bot").expect("url"))
        .send()
        .await
        .expect("bot")
        .json()
        .await
        .expect("json");
    assert_eq!(
        bot["token"].as_str(),
        Some(emulator.bot_token().expose_secret())
    );
    let alice: Value = http
        .post(control.join("people").expect("url"))
        .json(&json!({"displayName": "Alice", "email": "alice@example.com"}))
        .send()
        .await
        .expect("people")
        .json()
        .await
        .expect("json");
    let alice_id = alice["id"].as_str().expect("id");
    let room: Value = http
        .post(control.join("rooms").expect("url"))
        .json(&json!({"title": "T", "members": [alice_id]}))
        .send()
        .await
        .expect("room")
        .json()
        .await
        .expect("json");
    let room_id = room["id"].as_str().expect("id");
    let rooms: Value = http
        .get(control.join("rooms").expect("url"))
        .send()
        .await
        .expect("rooms")
        .json()
        .await
        .expect("json");
    assert_eq!(rooms[0]["id"], room_id);
    assert_eq!(rooms[0]["kind"], "group");
    assert_eq!(rooms[0]["memberIds"], json!([alice_id, emulator.bot().id]));
    let people: Value = http
        .get(control.join("people").expect("url"))
        .send()
        .await
        .expect("people")
        .json()
        .await
        .expect("json");
    assert_eq!(people[0]["id"], emulator.bot().id);
    assert_eq!(people[1]["emails"], json!(["alice@example.com"]));
    let posted = http
        .post(control.join("messages").expect("url"))
        .json(&json!({"personId": alice_id, "roomId": room_id, "text": "@Scheduler help"}))
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), reqwest::StatusCode::OK);
    let listed: Value = http
        .get(
            control
                .join(&format!("rooms/{room_id}/messages"))
                .expect("url"),
        )
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(listed[0]["mentionedPeople"][0], emulator.bot().id);
    let raw = http
        .post(control.join("messages").expect("url"))
        .json(&json!({"personId": alice_id, "roomId": room_id, "raw": {"text": "Scheduler help", "html": "<p>x</p>", "mentionedPeople": [emulator.bot().id]}}))
        .send().await.expect("raw");
    assert_eq!(raw.status(), reqwest::StatusCode::OK);
    assert_eq!(
        emulator.messages_in(room_id)[1].html.as_deref(),
        Some("<p>x</p>")
    );
    let bad = http
        .post(control.join("messages").expect("url"))
        .json(&json!({"personId": alice_id, "roomId": "nope", "text": "x"}))
        .send()
        .await
        .expect("bad");
    assert_eq!(bad.status(), reqwest::StatusCode::BAD_REQUEST);
    let fault = http
        .post(control.join("faults").expect("url"))
        .json(&json!({"method": "GET", "pathPrefix": "/v1/people", "kind": {"type": "serverError", "status": 503}}))
        .send().await.expect("fault");
    assert_eq!(fault.status(), reqwest::StatusCode::NO_CONTENT);
    let api = Api::new(&emulator);
    let (status, _, _) = api
        .call(
            reqwest::Method::GET,
            "people/me",
            emulator.bot_token().expose_secret(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let requests: Value = http
        .get(control.join("requests").expect("url"))
        .send()
        .await
        .expect("requests")
        .json()
        .await
        .expect("json");
    assert_eq!(
        requests
            .as_array()
            .and_then(|r| r.last())
            .map(|r| r["status"].clone()),
        Some(json!(503))
    );
}

#[tokio::test]
async fn subscribers_see_every_new_message_live() {
    let emulator = start(EmulatorConfig::default()).await;
    let api = Api::new(&emulator);
    let mut feed = emulator.subscribe_messages();
    let alice = emulator.add_person("Alice", "alice@example.com", None);
    let room = emulator.create_group_room("Team", &[&alice.id]);
    let asked = emulator
        .post_as(&alice.id, &room, "hello all")
        .await
        .expect("posted");
    let (_, _, answer) = api
        .call(
            reqwest::Method::POST,
            "messages",
            emulator.bot_token().expose_secret(),
            Some(json!({"roomId": room, "markdown": "**hi**"})),
        )
        .await;
    let first = tokio::time::timeout(Duration::from_secs(1), feed.recv())
        .await
        .expect("in time")
        .expect("open");
    let second = tokio::time::timeout(Duration::from_secs(1), feed.recv())
        .await
        .expect("in time")
        .expect("open");
    assert_eq!(
        first.id, asked,
        "unmentioned messages are shown too: the feed is a person's view"
    );
    assert_eq!(second.id, answer["id"].as_str().expect("id"));
    assert_eq!(second.markdown.as_deref(), Some("**hi**"));
}

#[tokio::test]
async fn notification_progress_counts_each_notification_until_its_delivery_is_over() {
    let config = EmulatorConfig {
        webhook_delivery_attempts: 2,
        webhook_retry_delay: Duration::from_secs(1),
        ..EmulatorConfig::default()
    };
    let emulator = start(config).await;
    let api = Api::new(&emulator);
    let alice = emulator.add_person("Alice", "alice@example.com", None);
    let room = emulator.direct_room(&alice.id);
    let (answering, answered) = receiver(StatusCode::OK).await;
    let (failing, failed) = receiver(StatusCode::INTERNAL_SERVER_ERROR).await;
    let token = emulator.bot_token();
    for target in [&answering, &failing] {
        api.call(reqwest::Method::POST, "webhooks", token.expose_secret(), Some(json!({"name": "n", "targetUrl": target, "resource": "messages", "event": "created"}))).await;
    }
    assert_eq!(
        emulator.notification_progress(),
        NotificationProgress::default()
    );

    emulator
        .post_as(&alice.id, &room, "hello")
        .await
        .expect("posted");
    assert_eq!(
        emulator.notification_progress().dispatched,
        2,
        "counted when the message is created: one per webhook"
    );
    answered.wait_for(1).await;
    failed.wait_for(1).await;
    assert!(
        emulator.notification_progress().in_flight() >= 1,
        "a notification waiting to retry is still in flight"
    );
    notifications_settled(&emulator).await;
    assert_eq!(
        emulator.notification_progress(),
        NotificationProgress {
            dispatched: 2,
            finished: 2
        }
    );
    assert_eq!(failed.bodies().len(), 2, "over only after its last attempt");
    assert_eq!(answered.bodies().len(), 1);
}
