//! Issue 14 part 1: Prometheus metrics on `METRICS_ADDR`, scraped after an end-to-end run and
//! checked against what the emulator, the mail folder and the database say happened.

use crate::common::{TestApp, WAIT, eventually, sign, spawn_app_with};
use std::collections::BTreeMap;

/// One sample of the exposition: name, labels, value.
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Reads the OpenMetrics text (`name{a="x",b="y"} 1`), skipping comments.
fn samples(text: &str) -> Vec<Sample> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').expect("name and value");
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => (name, rest.trim_end_matches('}')),
                None => (series, ""),
            };
            let labels = labels
                .split(',')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').expect("label=value");
                    (k.to_string(), v.trim_matches('"').to_string())
                })
                .collect();
            Sample {
                name: name.to_string(),
                labels,
                value: value.parse().expect("a number"),
            }
        })
        .collect()
}

/// The sum of every series of `name` whose labels include `labels`.
fn sum(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    samples(text)
        .iter()
        .filter(|s| s.name == name)
        .filter(|s| {
            labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
        .sum()
}

async fn measured_app(mail_dir: &std::path::Path) -> TestApp {
    let dir = mail_dir.display().to_string();
    spawn_app_with(|vars| {
        vars.insert("METRICS_ADDR".into(), "127.0.0.1:0".into());
        vars.insert("MAIL_DIR".into(), dir);
    })
    .await
}

fn mails_written(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .count()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn the_numbers_after_an_end_to_end_run_are_what_happened() {
    let mail_dir = tempfile::tempdir().unwrap();
    let app = measured_app(mail_dir.path()).await;
    app.connect(&app.person.id).await; // "connect"
    app.previews_off().await; // "settings confirm off"
    let help = app
        .emulator
        .post_as(&app.person.id, &app.direct, "help")
        .await
        .unwrap();
    app.wait_for_text(&app.direct, "schedule").await;
    app.say(
        &app.direct,
        "schedule sync tomorrow 3pm with bob@example.com",
    )
    .await;
    eventually("the meeting and its mails", WAIT, async || {
        match (app.meetings().len(), mails_written(mail_dir.path())) {
            (1, mails) if mails >= 2 => Ok(()),
            seen => Err(seen),
        }
    })
    .await;

    // Deliveries Webex never sent: unsigned, oversized, and a repeat of the "help" delivery.
    assert_eq!(app.post_webhook("{}", None).await.status(), 401);
    let big = format!(r#"{{"pad":"{}"}}"#, "x".repeat(70 * 1024));
    assert_eq!(
        app.post_webhook(&big, Some(&sign(&big))).await.status(),
        413
    );
    let repeat = format!(
        r#"{{"id":"WH","resource":"messages","event":"created","actorId":"{p}","data":{{"id":"{help}","roomId":"{r}","personId":"{p}"}}}}"#,
        p = app.person.id,
        r = app.direct,
    );
    assert_eq!(
        app.post_webhook(&repeat, Some(&sign(&repeat)))
            .await
            .status(),
        200
    );
    app.wait_until_settled().await;

    let text = app.scrape_metrics().await;
    let count = |name: &str, labels: &[(&str, &str)]| sum(&text, name, labels);

    // Commands: the four the person typed, each answered.
    let commands = "webex_scheduler_commands_total";
    for kind in ["connect", "settings", "help", "schedule"] {
        let labels = [("kind", kind), ("outcome", "answered")];
        assert_eq!(count(commands, &labels), 1.0, "{kind}\n{text}");
    }
    assert_eq!(count(commands, &[]), 4.0, "{text}");

    // Deliveries: what Webex (the emulator) delivered was either work or the bot's own echo.
    let deliveries = "webex_scheduler_webhook_deliveries_total";
    let delivered = app.emulator.notification_progress().finished as f64;
    let accepted = count(deliveries, &[("result", "accepted")]);
    let own = count(deliveries, &[("result", "own_event")]);
    assert_eq!(accepted + own, delivered, "{text}");
    assert!(accepted >= 4.0 && own >= 4.0, "{text}");
    for result in ["bad_signature", "too_large", "duplicate"] {
        assert_eq!(
            count(deliveries, &[("result", result)]),
            1.0,
            "{result}\n{text}"
        );
    }

    // The startup reconciliation created the three webhooks.
    let syncs = "webex_scheduler_webhook_syncs_total";
    assert_eq!(count(syncs, &[("outcome", "ok")]), 1.0, "{text}");
    let repaired = "webex_scheduler_webhooks_repaired_total";
    assert_eq!(count(repaired, &[("action", "created")]), 3.0, "{text}");
    assert_eq!(count(repaired, &[("action", "reactivated")]), 0.0, "{text}");

    // Jobs: every accepted delivery became a webhook job that was done, with its latency.
    let jobs = "webex_scheduler_jobs_total";
    let done = count(jobs, &[("kind", "webhook"), ("outcome", "done")]);
    assert_eq!(done, accepted, "{text}");
    let latency = "webex_scheduler_job_latency_seconds_count";
    assert_eq!(count(latency, &[("kind", "webhook")]), done, "{text}");
    let failed: f64 = ["retry", "dead", "parked"]
        .iter()
        .map(|o| count(jobs, &[("outcome", o)]))
        .sum();
    assert_eq!(failed, 0.0, "{text}");
    let queue = "webex_scheduler_queue_jobs";
    let counts = app.store.job_counts().await.unwrap();
    assert_eq!(count(queue, &[("state", "pending")]), 0.0, "{text}");
    assert_eq!(count(queue, &[("state", "dead")]), counts.dead as f64);

    // Mails: one per message in the folder.
    let mails = mails_written(mail_dir.path()) as f64;
    assert_eq!(
        count("webex_scheduler_mails_total", &[("outcome", "sent")]),
        mails
    );

    // Webex requests by endpoint group, against the emulator's own log of requests.
    let requests = app.emulator.requests();
    for group in [
        "people",
        "messages",
        "rooms",
        "memberships",
        "webhooks",
        "meetings",
    ] {
        let prefix = format!("/v1/{group}");
        let seen = requests
            .iter()
            .filter(|r| r.path == prefix || r.path.starts_with(&format!("{prefix}/")))
            .count() as f64;
        let counted = count(
            "webex_scheduler_webex_requests_total",
            &[("endpoint", group)],
        );
        assert_eq!(counted, seen, "{group}\n{text}");
    }
    // No fault was injected, so every request was answered with success.
    let webex = "webex_scheduler_webex_requests_total";
    let succeeded: f64 = ["200", "201", "204"]
        .iter()
        .map(|status| count(webex, &[("status", status)]))
        .sum();
    assert_eq!(succeeded, count(webex, &[]), "{text}");
    assert!(count(webex, &[("endpoint", "meetings")]) >= 1.0, "{text}");
    assert!(text.contains("webex_scheduler_webex_budget_wait_seconds_total{token=\"bot\"}"));
    assert!(
        text.contains("webex_scheduler_build_info{version=\""),
        "{text}"
    );

    // Nothing about a person, a space or a secret is in a label.
    for private in [
        app.person.id.as_str(),
        "ana@example.com",
        "bob@example.com",
        app.direct.as_str(),
        crate::common::WEBHOOK_SECRET,
        crate::common::CLIENT_SECRET,
    ] {
        assert!(!text.contains(private), "{private} in /metrics");
    }
}

#[tokio::test]
async fn metrics_are_only_on_their_own_listener_and_off_by_default() {
    let mail_dir = tempfile::tempdir().unwrap();
    let app = measured_app(mail_dir.path()).await;
    let public = app
        .http
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), 404, "metrics on the public listener");
    assert!(app.scrape_metrics().await.ends_with("# EOF\n"));

    let plain = crate::common::spawn_app().await;
    assert!(plain.metrics_address.is_none());
}

#[tokio::test]
async fn refreshes_429s_and_a_grant_gone_are_counted_as_they_happened() {
    use chrono::{Duration, DurationRound, Utc};
    use webex_emulator::{Fault, FaultKind, RetryAfter};
    let now = Utc::now().duration_trunc(Duration::minutes(1)).unwrap();
    let clock = scheduler_core::clock::FixedClock::at(now);
    let app = crate::common::spawn_app_at_with(clock.clone(), |vars| {
        vars.insert("METRICS_ADDR".into(), "127.0.0.1:0".into());
    })
    .await;
    app.connect(&app.person.id).await;

    // Two weeks later the access token has expired: a list refreshes it, and its reply meets
    // two 429s before Webex takes it.
    clock.advance(Duration::days(15));
    app.emulator.inject(Fault {
        method: Some(axum::http::Method::POST),
        path_prefix: "/v1/messages".into(),
        kind: FaultKind::RateLimited {
            retry_after: RetryAfter::Seconds(1),
        },
        times: 2,
    });
    let replies = app.bot_messages(&app.direct).len();
    app.say(&app.direct, "list").await;
    app.wait_for_bot_messages(&app.direct, replies + 1).await;
    app.wait_until_settled().await;

    // Three months later the refresh token has expired too: the person is asked to reconnect
    // and the request waits for them.
    clock.advance(Duration::days(91));
    app.say(&app.direct, "list").await;
    app.wait_for_text(&app.direct, "revoked or has expired")
        .await;
    eventually("the list to be parked", WAIT, async || {
        match app.store.parked_jobs(&app.person.id).await.unwrap() {
            0 => Err(0),
            n => Ok(n),
        }
    })
    .await;
    app.wait_until_settled().await;

    let text = app.scrape_metrics().await;
    let count = |name: &str, labels: &[(&str, &str)]| sum(&text, name, labels);
    let refreshes = "webex_scheduler_token_refreshes_total";
    assert_eq!(count(refreshes, &[("outcome", "refreshed")]), 1.0, "{text}");
    assert_eq!(count(refreshes, &[("outcome", "failed")]), 1.0, "{text}");
    assert_eq!(count("webex_scheduler_reconnect_requests_total", &[]), 1.0);

    let limited = app
        .emulator
        .requests()
        .iter()
        .filter(|r| r.status == 429)
        .count() as f64;
    assert_eq!(limited, 2.0);
    let webex = "webex_scheduler_webex_requests_total";
    let counted = count(webex, &[("endpoint", "messages"), ("status", "429")]);
    assert_eq!(counted, limited, "{text}");
    let waited = count(
        "webex_scheduler_webex_budget_wait_seconds_total",
        &[("token", "bot")],
    );
    assert!(
        waited >= 1.5,
        "two 1-second pauses of the bot token: {waited}\n{text}"
    );

    let list = [("kind", "list")];
    assert_eq!(
        count("webex_scheduler_commands_total", &list),
        2.0,
        "{text}"
    );
    let gone = [("kind", "list"), ("outcome", "needs_reconnect")];
    assert_eq!(
        count("webex_scheduler_commands_total", &gone),
        1.0,
        "{text}"
    );
    let parked = app.store.job_counts().await.unwrap().parked as f64;
    assert_eq!(
        count("webex_scheduler_queue_jobs", &[("state", "parked")]),
        parked
    );
    let jobs_parked = count("webex_scheduler_jobs_total", &[("outcome", "parked")]);
    assert_eq!(jobs_parked, parked, "{text}");
}

#[tokio::test]
async fn invitations_that_cannot_be_delivered_count_as_retried() {
    // The mail "server" is a folder that cannot be created: every delivery fails for now.
    let blocker = tempfile::NamedTempFile::new().unwrap();
    let app = measured_app(&blocker.path().join("mail")).await;
    app.connect(&app.person.id).await;
    app.previews_off().await;
    app.say(
        &app.direct,
        "schedule sync tomorrow 3pm with bob@example.com",
    )
    .await;
    let text = eventually("mails to be retried", WAIT, async || {
        let text = app.scrape_metrics().await;
        match sum(
            &text,
            "webex_scheduler_mails_total",
            &[("outcome", "retried")],
        ) {
            n if n >= 2.0 => Ok(text),
            n => Err(n),
        }
    })
    .await;
    assert_eq!(
        sum(&text, "webex_scheduler_mails_total", &[("outcome", "sent")]),
        0.0
    );
    let retried = [("kind", "send_mail"), ("outcome", "retry")];
    let jobs = sum(&text, "webex_scheduler_jobs_total", &retried);
    let mails = sum(
        &text,
        "webex_scheduler_mails_total",
        &[("outcome", "retried")],
    );
    assert_eq!(jobs, mails, "{text}");
}
