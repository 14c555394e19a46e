//! End-to-end behaviour of the foundation: ingress, queue, client and conversation, against
//! the Webex emulator. Each test asserts what the emulator received.

use crate::common;

use common::{WAIT, eventually, sign, spawn_app};
use std::time::Duration;
use webex_emulator::{Fault, FaultKind, RawMessage, RetryAfter};

#[tokio::test]
async fn a_direct_help_gets_usage_in_reply() {
    let app = spawn_app().await;
    app.emulator
        .post_as(&app.person.id, &app.direct, "help")
        .await
        .unwrap();
    let replies = app.wait_for_bot_messages(&app.direct, 1).await;
    let text = replies[0].markdown.clone().unwrap_or_default();
    assert!(text.contains("schedule"), "help text: {text}");
    assert!(
        replies[0].parent_id.is_none(),
        "direct replies are not threaded"
    );
}

#[tokio::test]
async fn a_group_mention_gets_a_threaded_reply() {
    let app = spawn_app().await;
    let asked = app
        .emulator
        .post_as(&app.person.id, &app.group, "@Scheduler help")
        .await
        .unwrap();
    let replies = app.wait_for_bot_messages(&app.group, 1).await;
    assert_eq!(replies[0].parent_id.as_deref(), Some(asked.as_str()));
    assert!(
        replies[0]
            .markdown
            .as_deref()
            .unwrap_or("")
            .contains("schedule")
    );
}

#[tokio::test]
async fn each_mention_encoding_seen_in_the_wild_is_understood() {
    let app = spawn_app().await;
    let bot = app.emulator.bot();
    let uuid = common::person_uuid(&bot.id);
    let first_name = bot
        .display_name
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let encodings = [
        // html with the REST id
        (
            format!("{} help", bot.display_name),
            Some(format!(
                r#"<p><spark-mention data-object-type="person" data-object-id="{}">{}</spark-mention> help</p>"#,
                bot.id, bot.display_name
            )),
        ),
        // html with the bare UUID
        (
            format!("{first_name} help"),
            Some(format!(
                r#"<p><spark-mention data-object-type="person" data-object-id="{uuid}">{first_name}</spark-mention> help</p>"#
            )),
        ),
        // display name in text only
        (format!("{} help", bot.display_name), None),
        // first name in text only
        (format!("{first_name} help"), None),
    ];
    for (i, (text, html)) in encodings.iter().enumerate() {
        let raw = RawMessage {
            text: Some(text.clone()),
            html: html.clone(),
            mentioned_people: vec![bot.id.clone()],
            ..Default::default()
        };
        app.emulator
            .post_raw_as(&app.person.id, &app.group, raw)
            .await
            .unwrap();
        let replies = app.wait_for_bot_messages(&app.group, i + 1).await;
        let reply = replies[i].markdown.clone().unwrap_or_default();
        assert!(
            reply.contains("schedule"),
            "encoding {i} not understood: {reply}"
        );
    }
}

#[tokio::test]
async fn forged_tampered_and_unsigned_deliveries_get_401_and_cause_no_work() {
    let app = spawn_app().await;
    let body = format!(
        r#"{{"id":"WH","resource":"messages","event":"created","actorId":"{p}","data":{{"id":"FORGED","roomId":"{r}","personId":"{p}"}}}}"#,
        p = app.person.id,
        r = app.direct
    );
    let calls_before = app.emulator.requests().len();
    let good = sign(&body);
    let wrong_secret =
        webex_scheduler::server::signature::sign("not-the-secret-at-all", body.as_bytes());
    let tampered_body = body.replace("FORGED", "FORGED2");
    let cases: Vec<(&str, String, Option<String>)> = vec![
        ("unsigned", body.clone(), None),
        ("empty", body.clone(), Some(String::new())),
        ("non-hex", body.clone(), Some("z".repeat(40))),
        ("short", body.clone(), Some(good[..20].to_string())),
        ("wrong secret", body.clone(), Some(wrong_secret)),
        ("tampered body", tampered_body, Some(good.clone())),
    ];
    for (name, body, sig) in cases {
        let response = app.post_webhook(&body, sig.as_deref()).await;
        assert_eq!(response.status(), 401, "{name}");
        assert!(
            response.text().await.unwrap().is_empty(),
            "{name}: body must be empty"
        );
    }
    app.wait_until_settled().await;
    assert_eq!(app.store.inbox_len().await.unwrap(), 0, "nothing stored");
    assert_eq!(app.store.job_counts().await.unwrap().pending, 0);
    assert_eq!(
        app.emulator.requests().len(),
        calls_before,
        "no call to Webex"
    );
}

#[tokio::test]
async fn an_oversized_delivery_is_refused_with_413_and_not_stored() {
    let app = spawn_app().await;
    let padding = "x".repeat(64 * 1024);
    let body = format!(
        r#"{{"resource":"messages","event":"created","data":{{"id":"BIG","pad":"{padding}"}}}}"#
    );
    let response = app.post_webhook(&body, Some(&sign(&body))).await;
    assert_eq!(response.status(), 413);
    assert_eq!(app.store.inbox_len().await.unwrap(), 0);
}

#[tokio::test]
async fn the_same_delivery_ten_times_gives_exactly_one_reply() {
    let app = spawn_app().await;
    let message_id = app
        .emulator
        .post_as(&app.person.id, &app.direct, "help")
        .await
        .unwrap();
    app.wait_for_bot_messages(&app.direct, 1).await;
    let body = format!(
        r#"{{"id":"WH","resource":"messages","event":"created","actorId":"{p}","data":{{"id":"{m}","roomId":"{r}","personId":"{p}"}}}}"#,
        p = app.person.id,
        r = app.direct,
        m = message_id
    );
    let signature = sign(&body);
    for _ in 0..5 {
        assert_eq!(
            app.post_webhook(&body, Some(&signature)).await.status(),
            200
        );
    }
    let concurrent = (0..5).map(|_| app.post_webhook(&body, Some(&signature)));
    for response in futures::future::join_all(concurrent).await {
        assert_eq!(response.status(), 200);
    }
    app.wait_until_settled().await;
    assert_eq!(app.bot_messages(&app.direct).len(), 1, "one reply in all");
    let fetches = app
        .emulator
        .requests()
        .iter()
        .filter(|r| r.method == axum::http::Method::GET && r.path.ends_with(&message_id))
        .count();
    assert_eq!(fetches, 1, "the message was fetched once");
}

#[tokio::test]
async fn the_bots_own_messages_are_ignored() {
    let app = spawn_app().await;
    app.emulator
        .post_as(&app.person.id, &app.direct, "help")
        .await
        .unwrap();
    let replies = app.wait_for_bot_messages(&app.direct, 1).await;
    // The emulator, like Webex, also notifies the bot of its own reply: settling waits for it.
    app.wait_until_settled().await;
    assert_eq!(
        app.bot_messages(&app.direct).len(),
        1,
        "no answer to itself"
    );
    let own_fetches = app
        .emulator
        .requests()
        .iter()
        .filter(|r| r.method == axum::http::Method::GET && r.path.ends_with(&replies[0].id))
        .count();
    assert_eq!(own_fetches, 0, "its own message is never fetched");
}

#[tokio::test]
async fn a_429_storm_is_waited_out_without_calling_inside_the_wait() {
    let app = spawn_app().await;
    app.emulator.inject(Fault {
        method: Some(axum::http::Method::POST),
        path_prefix: "/v1/messages".into(),
        kind: FaultKind::RateLimited {
            retry_after: RetryAfter::Seconds(1),
        },
        times: 3,
    });
    app.emulator
        .post_as(&app.person.id, &app.direct, "help")
        .await
        .unwrap();
    let replies = app.wait_for_bot_messages(&app.direct, 1).await;
    assert_eq!(replies.len(), 1);
    let posts: Vec<_> = app
        .emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == axum::http::Method::POST && r.path == "/v1/messages")
        .collect();
    assert_eq!(posts.len(), 4, "three refused, one accepted");
    for pair in posts.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        if pair[0].status == 429 {
            assert!(
                gap >= Duration::from_millis(950),
                "called again after {gap:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
        .await
        .unwrap();
    stream
        .write_all(b"POST /webhooks/webex HTTP/1.1\r\nHost: bot\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = [0u8; 512];
    let read = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue, // a 408 before closing is fine too
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the half-open request was never closed");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(3) && waited < Duration::from_secs(10),
        "closed after {waited:?}"
    );
}

#[tokio::test]
async fn being_added_to_a_space_posts_a_greeting_once() {
    let app = spawn_app().await;
    let room = app
        .emulator
        .create_group_room("Project X", &[app.person.id.as_str()]);
    let greetings = app.wait_for_bot_messages(&room, 1).await;
    assert!(
        greetings[0]
            .markdown
            .as_deref()
            .unwrap_or("")
            .contains("help")
    );
    app.wait_until_settled().await;
    assert_eq!(app.bot_messages(&room).len(), 1);
}

/// A bot whose emulator writes messages `behind` in the past: what the bot sees when a
/// captured delivery is replayed that long after the message was sent.
async fn replayed_after(behind: chrono::Duration) -> common::TestApp {
    let clock = scheduler_core::clock::FixedClock::at(chrono::Utc::now() - behind);
    let config = webex_emulator::EmulatorConfig {
        clock: std::sync::Arc::new(clock),
        ..Default::default()
    };
    common::spawn_app_on(config, |_| {}).await
}

#[tokio::test]
async fn a_delivery_arriving_a_day_after_its_message_is_ignored_as_a_replay() {
    let late = replayed_after(chrono::Duration::hours(25)).await;
    late.emulator
        .post_as(&late.person.id, &late.direct, "help")
        .await
        .unwrap();
    eventually("the delivery to be handled", WAIT, async || {
        let counts = late.store.job_counts().await.unwrap();
        if counts.done >= 1 {
            Ok(())
        } else {
            Err(counts)
        }
    })
    .await;
    late.wait_until_settled().await;
    assert!(
        late.bot_messages(&late.direct).is_empty(),
        "a replay got an answer"
    );
    assert_eq!(late.store.job_counts().await.unwrap().dead, 0);

    // Within a day it is an ordinary (slow) delivery.
    let slow = replayed_after(chrono::Duration::hours(23)).await;
    slow.emulator
        .post_as(&slow.person.id, &slow.direct, "help")
        .await
        .unwrap();
    slow.wait_for_bot_messages(&slow.direct, 1).await;
}

#[tokio::test]
async fn rows_past_retention_are_pruned_while_the_bot_runs() {
    let app = common::spawn_app_with(|vars| {
        vars.insert("PRUNE_INTERVAL_SECONDS".into(), "1".into());
    })
    .await;
    let now_ms = chrono::Utc::now().timestamp_millis();
    app.store.record_mail_sent("<old@bot>", 0).await.unwrap();
    app.store
        .record_mail_sent("<recent@bot>", now_ms)
        .await
        .unwrap();
    eventually("the old row to be pruned", WAIT, async || {
        match app.store.mail_was_sent("<old@bot>").await.unwrap() {
            true => Err("<old@bot> still recorded"),
            false => Ok(()),
        }
    })
    .await;
    assert!(app.store.mail_was_sent("<recent@bot>").await.unwrap());
}
