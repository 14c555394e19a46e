//! Invitations over a real SMTP server (aiosmtpd on loopback): what arrives is one message
//! per recipient with exactly the headers we meant, the calendar in it is read correctly by
//! the real calendar parsers, refusals are classified for the outbox, and an outage delays
//! mail without losing or duplicating any.

use crate::common::eventually;
use crate::peers as harness;

use chrono::{TimeZone, Utc};
use harness::*;
use mail_parser::{MessageParser, MimeHeaders};
use scheduler_core::invite::{Invitation, Person};
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::time::Duration;
use webex_scheduler::mail::{Envelope, MailError, Mailer, SmtpOptions, compose_invitation};

fn bot() -> Person {
    person(Some("Webex Scheduler"), "scheduler@bot.example.com")
}

fn weekly_invitation() -> Invitation {
    let mut inv = sample_invitation(chrono_tz::Europe::Berlin);
    inv.rrule = Some("FREQ=WEEKLY;BYDAY=TU;COUNT=4".to_owned());
    inv
}

fn envelopes(inv: &Invitation) -> Vec<Envelope> {
    inv.attendees
        .iter()
        .map(|a| {
            compose_invitation(inv, &a.person, None, &bot(), "bot.example.com").expect("compose")
        })
        .collect()
}

/// Waits until the sink holds at least `n` messages (SMTP's 250 comes before the file rename)
/// and returns every message it holds, in arrival order.
async fn arrived(sink: &SmtpSink, n: usize) -> Vec<Vec<u8>> {
    let what = format!("{n} messages at the SMTP sink");
    eventually(&what, Duration::from_secs(10), async || {
        let messages = sink.messages();
        if messages.len() >= n {
            Ok(messages)
        } else {
            Err(messages.len())
        }
    })
    .await
}

fn smtp(url: &str) -> Mailer {
    Mailer::from_url_with(
        &SecretString::from(url.to_owned()),
        &SmtpOptions {
            timeout: Duration::from_secs(5),
            ..SmtpOptions::default()
        },
    )
    .expect("mailer")
}

/// The envelope recipients the server saw, from the sink's X-RcptTo header.
fn rcpt_to(raw: &[u8]) -> String {
    let parsed = MessageParser::default().parse(raw).expect("mail");
    parsed
        .header_raw("X-RcptTo")
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The decoded text/calendar alternative and its `method` parameter.
fn calendar_part(raw: &[u8]) -> (String, String) {
    let parsed = MessageParser::default().parse(raw).expect("mail");
    let part = parsed
        .parts
        .iter()
        .find(|p| {
            p.content_type()
                .is_some_and(|c| c.ctype() == "text" && c.subtype() == Some("calendar"))
        })
        .expect("a text/calendar part");
    let method = part
        .content_type()
        .and_then(|c| c.attribute("method"))
        .unwrap_or_default()
        .to_owned();
    (
        String::from_utf8(part.contents().to_vec()).expect("utf-8"),
        method,
    )
}

#[tokio::test]
async fn one_message_per_recipient_arrives_and_every_parser_reads_its_calendar() {
    if !all_peers() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let sink = SmtpSink::start(dir.path(), free_port());
    let mailer = smtp(&sink.url());
    let inv = weekly_invitation();
    let sent = envelopes(&inv);
    for env in &sent {
        mailer.send(env).await.expect("delivered");
    }
    let received = arrived(&sink, sent.len()).await;
    assert_eq!(received.len(), 2);

    let by_recipient: BTreeMap<String, &Vec<u8>> =
        received.iter().map(|raw| (rcpt_to(raw), raw)).collect();
    assert_eq!(
        by_recipient.keys().collect::<Vec<_>>(),
        ["ann@example.com", "bob@example.org"]
    );
    for env in &sent {
        let raw = by_recipient[&env.to.email];
        let parsed = MessageParser::default()
            .parse(raw.as_slice())
            .expect("mail");
        assert_eq!(
            parsed.message_id(),
            Some(env.message_id.trim_matches(['<', '>']))
        );
        assert_eq!(parsed.subject(), Some(env.subject.as_str()));
        assert_eq!(
            parsed
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address()),
            Some(env.to.email.as_str())
        );
        assert_eq!(
            parsed
                .from()
                .and_then(|a| a.first())
                .and_then(|a| a.address()),
            Some("scheduler@bot.example.com")
        );

        let (ics, method) = calendar_part(raw);
        assert_eq!(ics, env.ics, "the calendar arrives byte for byte");
        assert_eq!(method, "REQUEST");
        assert_eq!(lint_ics(&ics), Vec::<String>::new());

        let file = write_ics(dir.path(), "received.ics.txt", &ics);
        let from = Utc
            .with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
            .single()
            .expect("date");
        for parser in PARSERS {
            let seen = parse_with(
                parser,
                std::slice::from_ref(&file),
                from,
                from + chrono::Duration::days(40),
            )
            .remove(0);
            assert!(seen.get("error").is_none(), "{parser}: {seen}");
            assert_eq!(seen["method"], "REQUEST", "{parser}");
            assert_eq!(seen["uid"], inv.uid.as_str(), "{parser}");
            assert_eq!(
                seen["occurrences"],
                serde_json::json!([
                    "2026-03-03T08:30:00Z",
                    "2026-03-10T08:30:00Z",
                    "2026-03-17T08:30:00Z",
                    "2026-03-24T08:30:00Z"
                ]),
                "{parser}"
            );
            let emails: Vec<&str> = seen["attendees"]
                .as_array()
                .expect("attendees")
                .iter()
                .filter_map(|a| a["email"].as_str())
                .collect();
            assert_eq!(emails, ["ann@example.com", "bob@example.org"], "{parser}");
        }
    }
}

#[tokio::test]
async fn injected_headers_never_reach_the_server() {
    if !python_peers() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let sink = SmtpSink::start(dir.path(), free_port());
    let mailer = smtp(&sink.url());
    let mut inv = weekly_invitation();
    inv.title = "Sync\r\nBcc: victim@evil.test\nX-Injected: yes\r\n\r\nbody".to_owned();
    let to = person(Some("Ann\r\nCc: other@evil.test"), "ann@example.com");
    let from = person(
        Some("Bot\u{0}\nBcc: hidden@evil.test"),
        "scheduler@bot.example.com",
    );
    let env = compose_invitation(&inv, &to, None, &from, "bot.example.com").expect("compose");
    mailer.send(&env).await.expect("delivered");

    let received = arrived(&sink, 1).await;
    assert_eq!(received.len(), 1);
    assert_eq!(
        rcpt_to(&received[0]),
        "ann@example.com",
        "no extra envelope recipient"
    );
    let parsed = MessageParser::default()
        .parse(received[0].as_slice())
        .expect("mail");
    // The sink adds X-MailFrom and X-RcptTo from the SMTP envelope.
    let mut expected = INVITATION_HEADERS.to_vec();
    expected.extend(["X-MailFrom", "X-RcptTo"]);
    assert_eq!(header_names(&parsed), expected);
    let subject = parsed.subject().expect("subject");
    assert!(
        subject.starts_with("Invitation: Sync Bcc: victim@evil.test X-Injected: yes body @ "),
        "{subject:?}"
    );
    assert_eq!(
        parsed.to().and_then(|a| a.first()).and_then(|a| a.name()),
        Some("Ann Cc: other@evil.test")
    );
}

#[tokio::test]
async fn refusals_are_classified_for_the_outbox() {
    if !python_peers() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let sink = SmtpSink::start(dir.path(), free_port());
    let mailer = smtp(&sink.url());
    let inv = weekly_invitation();
    let compose = |email: &str| {
        compose_invitation(&inv, &person(None, email), None, &bot(), "bot.example.com")
            .expect("compose")
    };
    let refused = mailer
        .send(&compose("reject-me@example.com"))
        .await
        .expect_err("550");
    assert!(matches!(refused, MailError::Permanent(_)), "{refused:?}");
    let busy = mailer
        .send(&compose("busy-me@example.com"))
        .await
        .expect_err("451");
    assert!(matches!(busy, MailError::Transient(_)), "{busy:?}");
    assert!(busy.is_transient() && !refused.is_transient());
    mailer
        .send(&compose("ann@example.com"))
        .await
        .expect("the pool still works afterwards");
    assert_eq!(arrived(&sink, 1).await.len(), 1);

    let nobody_listens = smtp(&format!("smtp://127.0.0.1:{}", free_port()));
    let down = nobody_listens
        .send(&compose("ann@example.com"))
        .await
        .expect_err("refused");
    assert!(matches!(down, MailError::Transient(_)), "{down:?}");
}

/// A retry loop like the outbox's: keep what failed transiently, try again after a pause.
async fn deliver_with_retries(
    mailer: &Mailer,
    mut pending: Vec<Envelope>,
    deadline: Duration,
) -> (usize, Vec<Envelope>) {
    let started = std::time::Instant::now();
    let mut transient_failures = 0;
    while !pending.is_empty() && started.elapsed() < deadline {
        let mut still_pending = Vec::new();
        for env in pending {
            match mailer.send(&env).await {
                Ok(()) => {}
                Err(MailError::Transient(_)) => {
                    transient_failures += 1;
                    still_pending.push(env);
                }
                Err(other) => panic!("an outage must not look permanent: {other:?}"),
            }
        }
        pending = still_pending;
        if !pending.is_empty() {
            // The outbox's pause between retries, modelled: part of the scenario.
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    (transient_failures, pending)
}

#[tokio::test]
async fn an_outage_delays_mail_but_every_message_arrives_once() {
    if !python_peers() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut sink = SmtpSink::start(dir.path(), port);
    let mailer = smtp(&format!("smtp://127.0.0.1:{port}"));

    let mut inv = weekly_invitation();
    inv.attendees = (0..6)
        .map(|i| scheduler_core::invite::Attendee {
            person: person(
                Some(&format!("Guest {i}")),
                &format!("guest{i}@example.com"),
            ),
            cohost: false,
        })
        .collect();
    let all = envelopes(&inv);
    let (before, during) = all.split_at(2);

    // Two go out while the server is up, leaving a pooled connection behind.
    for env in before {
        mailer.send(env).await.expect("delivered before the outage");
    }
    assert_eq!(arrived(&sink, 2).await.len(), 2);

    // The server goes away; the rest are retried until it is back.
    sink.stop();
    let outage = tokio::spawn({
        let dir = dir.path().to_owned();
        async move {
            // The outage lasts this long: the scenario, not a wait for something to happen.
            tokio::time::sleep(Duration::from_millis(1500)).await;
            tokio::task::spawn_blocking(move || SmtpSink::start(&dir, port))
                .await
                .expect("restart")
        }
    });
    let (transient_failures, undelivered) =
        deliver_with_retries(&mailer, during.to_vec(), Duration::from_secs(30)).await;
    let restarted = outage.await.expect("sink restarted");
    assert!(
        undelivered.is_empty(),
        "{} never arrived",
        undelivered.len()
    );
    assert!(
        transient_failures >= during.len(),
        "the outage was noticed ({transient_failures} transient failures)"
    );

    let received = arrived(&restarted, all.len()).await;
    let mut ids: Vec<String> = received
        .iter()
        .map(|raw| {
            MessageParser::default()
                .parse(raw.as_slice())
                .and_then(|m| m.message_id().map(str::to_owned))
                .expect("id")
        })
        .collect();
    ids.sort();
    let mut expected: Vec<String> = all
        .iter()
        .map(|e| e.message_id.trim_matches(['<', '>']).to_owned())
        .collect();
    expected.sort();
    assert_eq!(ids, expected, "every message exactly once");
}

#[tokio::test]
async fn starttls_and_authentication_are_enforced() {
    if !python_peers() {
        return;
    }
    let certs_dir = tempfile::tempdir().expect("tempdir");
    let certificates = test_certificates(certs_dir.path());
    if !available("openssl (to make a test CA)", certificates.is_some()) {
        return;
    }
    let (ca, leaf, key) = certificates.expect("certificates");
    let mail_dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let sink = SmtpSink::start_tls(mail_dir.path(), port, &leaf, &key, Some("sched:p4ss+w%rd"));
    let inv = weekly_invitation();
    let env = compose_invitation(
        &inv,
        &person(None, "ann@example.com"),
        None,
        &bot(),
        "bot.example.com",
    )
    .expect("compose");
    let with_ca = |url: String| {
        Mailer::from_url_with(
            &SecretString::from(url),
            &SmtpOptions {
                timeout: Duration::from_secs(5),
                root_certificates_pem: vec![std::fs::read(&ca).expect("ca")],
                ..SmtpOptions::default()
            },
        )
        .expect("mailer")
    };

    // Percent-encoded credentials over required STARTTLS, trusting the test CA: delivered.
    with_ca(format!(
        "smtp://sched:p4ss%2Bw%25rd@127.0.0.1:{port}?tls=required"
    ))
    .send(&env)
    .await
    .expect("delivered over STARTTLS with AUTH");
    assert_eq!(arrived(&sink, 1).await.len(), 1);

    // A wrong password is refused for good, and the error does not echo it.
    let wrong = with_ca(format!(
        "smtp://sched:not-the-s3cret@127.0.0.1:{port}?tls=required"
    ))
    .send(&env)
    .await
    .expect_err("535");
    assert!(matches!(wrong, MailError::Permanent(_)), "{wrong:?}");
    assert!(!format!("{wrong:?} {wrong}").contains("not-the-s3cret"));

    // Without the CA the certificate is not trusted; nothing is sent in the clear instead.
    let untrusted = smtp(&format!(
        "smtp://sched:p4ss%2Bw%25rd@127.0.0.1:{port}?tls=required"
    ))
    .send(&env)
    .await
    .expect_err("untrusted certificate");
    assert!(!format!("{untrusted:?}").contains("p4ss"), "{untrusted:?}");

    // A plain-text client is turned away by the server (530 STARTTLS required).
    let plain = smtp(&format!("smtp://127.0.0.1:{port}"))
        .send(&env)
        .await
        .expect_err("530");
    assert!(matches!(plain, MailError::Permanent(_)), "{plain:?}");

    assert_eq!(
        sink.messages().len(),
        1,
        "only the authenticated TLS send arrived"
    );
}
