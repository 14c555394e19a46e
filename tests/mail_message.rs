//! The invitation e-mail without a network: the MIME tree (snapshot), headers that resist
//! injection, the memory and folder backends, and SMTP_URL handling.

use crate::peers as harness;

use harness::*;
use mail_parser::{MessageParser, MimeHeaders};
use scheduler_core::invite::{Invitation, Method, Person};
use secrecy::SecretString;
use webex_scheduler::mail::{
    Envelope, MailError, Mailer, compose_invitation, deterministic_message_id, to_message,
};

fn host_bot() -> Person {
    person(Some("Webex Scheduler"), "scheduler@bot.example.com")
}

fn weekly_berlin() -> Invitation {
    let mut inv = sample_invitation(chrono_tz::Europe::Berlin);
    inv.rrule = Some("FREQ=WEEKLY;BYDAY=TU;COUNT=4".to_owned());
    inv
}

fn envelope_for(inv: &Invitation, to: &Person) -> Envelope {
    compose_invitation(
        inv,
        to,
        Some(chrono_tz::America::New_York),
        &host_bot(),
        "bot.example.com",
    )
    .expect("compose")
}

/// Dates and MIME boundaries change on every build; everything else must not.
fn redact_volatile(raw: &str) -> String {
    let mut text = raw.to_owned();
    let boundaries: Vec<String> = text
        .match_indices("boundary=\"")
        .filter_map(|(i, m)| {
            let rest = &text[i + m.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect();
    for (n, boundary) in boundaries.iter().enumerate() {
        text = text.replace(boundary, &format!("BOUNDARY-{n}"));
    }
    text.lines()
        .map(|line| {
            if line.starts_with("Date: ") {
                "Date: [redacted]"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `type/subtype[; method=..][ (filename)]` for every part, indented by depth.
fn mime_outline(raw: &[u8]) -> Vec<String> {
    let message = MessageParser::default().parse(raw).expect("a MIME message");
    let mut out = Vec::new();
    fn walk(message: &mail_parser::Message, id: u32, depth: usize, out: &mut Vec<String>) {
        let part = message.part(id).expect("part");
        let mut line = "  ".repeat(depth);
        if let Some(ct) = part.content_type() {
            line.push_str(&format!(
                "{}/{}",
                ct.ctype(),
                ct.subtype().unwrap_or_default()
            ));
            if let Some(method) = ct.attribute("method") {
                line.push_str(&format!("; method={method}"));
            }
        }
        if let Some(name) = part.attachment_name() {
            line.push_str(&format!(" ({name})"));
        }
        out.push(line);
        for child in part.sub_parts().unwrap_or_default() {
            walk(message, *child, depth + 1, out);
        }
    }
    walk(&message, 0, 0, &mut out);
    out
}

#[test]
fn the_mime_tree_is_the_calconnect_one() {
    let inv = weekly_berlin();
    let raw = to_message(&envelope_for(
        &inv,
        &person(Some("Ann Example"), "ann@example.com"),
    ))
    .expect("message")
    .formatted();
    assert_eq!(
        mime_outline(&raw),
        [
            "multipart/mixed",
            "  multipart/alternative",
            "    text/plain",
            "    text/html",
            "    text/calendar; method=REQUEST",
            "  application/ics (invite.ics)",
        ]
    );
    let parsed = MessageParser::default().parse(&raw).expect("parse");
    let calendar_parts: Vec<String> = parsed
        .parts
        .iter()
        .filter(|p| {
            p.content_type()
                .is_some_and(|c| c.subtype().is_some_and(|s| s == "calendar" || s == "ics"))
        })
        .map(|p| String::from_utf8(p.contents().to_vec()).expect("utf-8 ics"))
        .collect();
    assert_eq!(calendar_parts.len(), 2);
    assert_eq!(
        calendar_parts[0], calendar_parts[1],
        "inline and attached ICS are the same object"
    );
    assert!(calendar_parts[0].contains("\r\nMETHOD:REQUEST\r\n"));
}

#[test]
fn a_cancellation_says_cancel_in_the_mime_parameter_and_the_body() {
    let mut inv = weekly_berlin();
    inv.method = Method::Cancel;
    inv.sequence = 1;
    let env = envelope_for(&inv, &person(None, "ann@example.com"));
    assert!(
        env.subject.starts_with("Cancelled: Weekly planning @ "),
        "{}",
        env.subject
    );
    let raw = to_message(&env).expect("message").formatted();
    let outline = mime_outline(&raw);
    assert_eq!(outline[4], "    text/calendar; method=CANCEL");
    assert_eq!(outline[5], "  application/ics (cancel.ics)");
    assert!(
        env.ics.contains("\r\nMETHOD:CANCEL\r\n") && env.ics.contains("\r\nSTATUS:CANCELLED\r\n")
    );
}

#[test]
fn one_full_message_snapshot() {
    let inv = weekly_berlin();
    let env = envelope_for(&inv, &person(Some("Ann Example"), "ann@example.com"));
    let raw =
        String::from_utf8(to_message(&env).expect("message").formatted()).expect("ascii mail");
    // The calendar travels base64-encoded; its decoded text follows so a reviewer can read it.
    let snapshot = format!(
        "{}\n\n----- decoded text/calendar part -----\n{}",
        redact_volatile(&raw),
        env.ics.replace("\r\n", "\n")
    );
    insta::assert_snapshot!(snapshot);
}

#[test]
fn one_moved_occurrence_is_described_where_it_now_is_and_where_it_was() {
    let mut inv = weekly_berlin();
    inv.sequence = 1;
    // The second Tuesday (10 March, 09:30 Berlin) moved to Wednesday 14:00.
    inv.recurrence_id = Some(local(chrono_tz::Europe::Berlin, 2026, 3, 10, 9, 30));
    inv.start = local(chrono_tz::Europe::Berlin, 2026, 3, 11, 14, 0);
    inv.end = local(chrono_tz::Europe::Berlin, 2026, 3, 11, 15, 0);
    let env = compose_invitation(
        &inv,
        &person(None, "ann@example.com"),
        None,
        &host_bot(),
        "bot.example.com",
    )
    .expect("compose");
    assert_eq!(
        env.subject,
        "Updated invitation: Weekly planning @ Wed 11 Mar 2026 14:00–15:00 (Europe/Berlin)"
    );
    assert!(
        env.text
            .starts_with("One occurrence of this meeting has been moved."),
        "{}",
        env.text
    );
    assert!(
        env.text.contains("Instead of: Tue 10 Mar 2026 09:30"),
        "{}",
        env.text
    );
    assert!(!env.text.contains("Repeats:"), "{}", env.text);
}

#[test]
fn a_moved_meeting_says_from_when_to_when_in_both_bodies() {
    let mut inv = weekly_berlin();
    inv.rrule = None;
    inv.sequence = 1;
    let berlin = chrono_tz::Europe::Berlin;
    inv.moved_from = Some((inv.start, inv.end));
    inv.start = local(berlin, 2026, 3, 6, 10, 0);
    inv.end = local(berlin, 2026, 3, 6, 11, 0);
    let env = compose_invitation(
        &inv,
        &person(None, "ann@example.com"),
        None,
        &host_bot(),
        "bot.example.com",
    )
    .expect("compose");
    assert!(
        env.text.starts_with("This meeting has been moved."),
        "{}",
        env.text
    );
    assert!(
        env.text
            .contains("When: Fri 6 Mar 2026 10:00–11:00 (Europe/Berlin)"),
        "{}",
        env.text
    );
    assert!(
        env.text
            .contains("Moved from: Tue 3 Mar 2026 09:30–10:30 (Europe/Berlin)"),
        "{}",
        env.text
    );
    assert!(env.html.contains("Moved from"), "{}", env.html);
    assert!(
        !env.ics.contains("20260303T0930"),
        "the calendar says only where it is now: {}",
        env.ics
    );
}

#[test]
fn bodies_show_the_meeting_in_the_recipients_zone() {
    let inv = weekly_berlin();
    let env = envelope_for(&inv, &person(None, "ann@example.com"));
    // 09:30 in Berlin on 3 March 2026 is 03:30 in New York (both on standard time).
    assert!(
        env.text
            .contains("When: Tue 3 Mar 2026 03:30–04:30 (America/New_York)"),
        "{}",
        env.text
    );
    assert!(
        env.text.contains("Repeats: Every week on Tuesday, 4 times"),
        "{}",
        env.text
    );
    assert!(
        env.text
            .contains("Join: https://example.webex.com/meet/j.php?MTID=m1234&x=1")
    );
    assert!(
        env.html
            .contains("<a href=\"https://example.webex.com/meet/j.php?MTID=m1234&amp;x=1\">"),
        "{}",
        env.html
    );
    let unknown_zone = compose_invitation(
        &inv,
        &person(None, "b@example.com"),
        None,
        &host_bot(),
        "bot.example.com",
    )
    .expect("compose");
    assert!(
        unknown_zone
            .text
            .contains("When: Tue 3 Mar 2026 09:30–10:30 (Europe/Berlin)"),
        "{}",
        unknown_zone.text
    );
}

#[test]
fn html_body_cannot_be_injected() {
    let mut inv = weekly_berlin();
    inv.title = "<script>alert(1)</script>".to_owned();
    inv.join_url = Some("javascript:alert(1)".to_owned());
    let env = envelope_for(&inv, &person(None, "ann@example.com"));
    assert!(!env.html.contains("<script>"), "{}", env.html);
    assert!(env.html.contains("&lt;script&gt;"));
    assert!(!env.html.contains("href=\"javascript:"), "{}", env.html);
}

#[test]
fn hostile_subjects_and_names_add_no_header() {
    let mut inv = weekly_berlin();
    inv.title = "Plan\r\nBcc: victim@evil.test\r\n\r\n<html>\u{0}".to_owned();
    let from = person(Some("Bot\r\nBcc: a@evil.test"), "scheduler@bot.example.com");
    let to = person(
        Some("Ann \"the\" <Boss>, Example\nX-Evil: 1"),
        "ann@example.com",
    );
    let env = compose_invitation(&inv, &to, None, &from, "bot.example.com").expect("compose");
    let raw = to_message(&env).expect("message").formatted();
    let parsed = MessageParser::default().parse(&raw).expect("parse");
    assert_eq!(header_names(&parsed), INVITATION_HEADERS);
    let subject = parsed.subject().expect("subject");
    assert!(
        subject.starts_with("Invitation: Plan Bcc: victim@evil.test <html> @ Tue 3 Mar 2026"),
        "{subject:?}"
    );
    let to_header = parsed.to().and_then(|a| a.first()).expect("one To");
    assert_eq!(to_header.address(), Some("ann@example.com"));
    assert_eq!(
        to_header.name(),
        Some("Ann \"the\" <Boss>, Example X-Evil: 1")
    );
    assert_eq!(parsed.to().map(|a| a.iter().count()), Some(1));
    let from_header = parsed.from().and_then(|a| a.first()).expect("From");
    assert_eq!(from_header.name(), Some("Bot Bcc: a@evil.test"));
}

#[test]
fn bad_addresses_are_invalid_not_retried() {
    let inv = weekly_berlin();
    for bad in ["not an address", "ann@example.com\r\nBcc: x@evil.test", ""] {
        let result = compose_invitation(
            &inv,
            &person(None, bad),
            None,
            &host_bot(),
            "bot.example.com",
        );
        assert!(
            matches!(result, Err(MailError::Invalid(_))),
            "{bad:?}: {result:?}"
        );
    }
}

#[test]
fn message_ids_are_stable_per_recipient_and_version() {
    let inv = weekly_berlin();
    let ann = person(None, "ann@example.com");
    let first = envelope_for(&inv, &ann);
    let again = envelope_for(&inv, &ann);
    assert_eq!(first, again, "composing twice gives the same message");
    assert_eq!(
        first.message_id,
        deterministic_message_id(&inv.uid, 0, "ann@example.com", "bot.example.com")
    );
    let bob = envelope_for(&inv, &person(None, "bob@example.org"));
    assert_ne!(first.message_id, bob.message_id);
    let mut changed = inv.clone();
    changed.sequence = 1;
    assert_ne!(first.message_id, envelope_for(&changed, &ann).message_id);
}

#[tokio::test]
async fn the_memory_backend_records_what_would_be_sent() {
    let mailer = Mailer::memory();
    let inv = weekly_berlin();
    let env = envelope_for(&inv, &person(None, "ann@example.com"));
    mailer.send(&env).await.expect("send");
    let sent = mailer.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].envelope, env);
    assert!(
        String::from_utf8_lossy(&sent[0].raw).contains(&format!("Message-ID: {}", env.message_id))
    );
}

#[tokio::test]
async fn the_folder_backend_keeps_one_file_per_message_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mailer = Mailer::folder(dir.path());
    let inv = weekly_berlin();
    let ann = envelope_for(&inv, &person(None, "ann@example.com"));
    let bob = envelope_for(&inv, &person(None, "bob@example.org"));
    mailer.send(&ann).await.expect("send");
    mailer.send(&ann).await.expect("re-send after a crash");
    mailer.send(&bob).await.expect("send");
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files.iter().all(|f| f.ends_with("@bot.example.com.eml")),
        "{files:?}"
    );
}

#[test]
fn the_smtp_mailer_needs_a_runtime_and_says_so() {
    let err = Mailer::from_url(&SecretString::from("smtp://127.0.0.1:2525".to_owned()))
        .expect_err("no runtime here");
    assert!(matches!(err, MailError::Invalid(_)), "{err:?}");
}

#[tokio::test]
async fn smtp_urls_are_checked_and_secrets_stay_out_of_errors() {
    let ok = |url: &str| Mailer::from_url(&SecretString::from(url.to_owned()));
    for good in [
        "smtp://127.0.0.1:2525",
        "smtp://relay.example.com?tls=required",
        "smtp://user:s3cret@relay.example.com:587?tls=required",
        "smtps://user:s3cret@relay.example.com",
        "smtp://relay.example.com?tls=opportunistic",
    ] {
        let mailer = ok(good).unwrap_or_else(|e| panic!("{good}: {e}"));
        assert!(!format!("{mailer:?}").contains("s3cret"));
    }
    for bad in [
        "smtp://user:s3cret@relay.example.com",
        "smtp://user:s3cret@relay.example.com?tls=opportunistic",
        "http://user:s3cret@relay.example.com",
        "smtp://user:s3cret@relay.example.com?tls=sometimes",
        "not a url s3cret",
        "smtp://",
    ] {
        let err = ok(bad).expect_err(bad);
        assert!(matches!(err, MailError::Invalid(_)), "{bad}: {err:?}");
        assert!(
            !format!("{err:?} {err}").contains("s3cret"),
            "{bad}: {err:?}"
        );
    }
}

fn hostile_header_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let fragment = prop_oneof![
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("\n".to_owned()),
        Just("\u{0}".to_owned()),
        Just("\u{2028}".to_owned()),
        Just("Bcc: victim@evil.test".to_owned()),
        Just("\r\n\r\n".to_owned()),
        Just("\"".to_owned()),
        Just("<x@evil.test>,".to_owned()),
        Just("=?utf-8?b?QmNjOiB4?=".to_owned()),
        Just("😀 Grüße".to_owned()),
        "[a-zA-Z0-9 ]{0,20}",
        proptest::collection::vec(any::<char>(), 0..5).prop_map(String::from_iter),
    ];
    proptest::collection::vec(fragment, 0..8).prop_map(|parts| parts.concat())
}

#[test]
fn arbitrary_titles_and_names_never_change_the_headers() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: 2_000,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        hostile_header_text(),
        hostile_header_text(),
        hostile_header_text(),
    );
    runner
        .run(&strategy, |(title, to_name, from_name)| {
            let mut inv = weekly_berlin();
            inv.title = title.clone();
            let to = person(Some(&to_name), "ann@example.com");
            let from = person(Some(&from_name), "scheduler@bot.example.com");
            let env = compose_invitation(&inv, &to, None, &from, "bot.example.com")
                .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e}")))?;
            let raw = to_message(&env)
                .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e}")))?
                .formatted();
            let parsed = MessageParser::default()
                .parse(raw.as_slice())
                .ok_or_else(|| proptest::test_runner::TestCaseError::fail("unparseable"))?;
            proptest::prop_assert_eq!(header_names(&parsed), INVITATION_HEADERS);
            let recipients: Vec<Option<&str>> = parsed
                .to()
                .map(|a| a.iter().map(|m| m.address()).collect())
                .unwrap_or_default();
            proptest::prop_assert_eq!(recipients, vec![Some("ann@example.com")]);
            let to_shown = parsed
                .to()
                .and_then(|a| a.first())
                .and_then(|m| m.name())
                .unwrap_or_default();
            proptest::prop_assert_eq!(
                to_shown.replace('\u{200B}', ""),
                scheduler_core::invite::normalize_line(&to_name)
            );
            // A zero-width space may keep an `=?` from reading as an encoded word.
            let subject = parsed.subject().unwrap_or_default().replace('\u{200B}', "");
            let shown_title = match scheduler_core::invite::normalize_line(&title) {
                t if t.is_empty() => "(no title)".to_owned(),
                t => t,
            };
            proptest::prop_assert!(
                subject.starts_with(
                    &format!("Invitation: {shown_title}")
                        .chars()
                        .take(160)
                        .collect::<String>()
                ),
                "{:?} vs {:?}",
                subject,
                shown_title
            );
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}
