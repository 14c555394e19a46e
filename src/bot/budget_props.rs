//! Property tests: every reply builder that grows with its input, fed large inputs, stays
//! within Webex's message size (`budget::MESSAGE_LIMIT`), and says what it left out.

use super::budget::{MESSAGE_LIMIT, NAMED_PEOPLE};
use super::commands::{listing_text, preview_fallback};
use super::creation::confirmation_text;
use super::plan::{Plan, PlannedInvitee};
use super::reply::Reply;
use crate::store::{CommandRow, CommandState};
use crate::webex::Meeting;
use chrono::{Duration, TimeZone};
use chrono_tz::Europe::Berlin;
use proptest::prelude::*;
use scheduler_core::command::{ListRange, help};

/// Text as people type it, with what markdown escaping doubles and what takes four bytes.
fn typed(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[a-zA-Z0-9 *_<>&`#|~é€😀\\[\\]()]{{0,{max}}}"))
        .expect("a valid pattern")
}

fn meeting(n: usize, title: &str, host: &str) -> Meeting {
    let start = Berlin.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap() + Duration::minutes(n as i64);
    serde_json::from_value(serde_json::json!({
        "id": format!("M{n}"),
        "title": title,
        "start": start.to_rfc3339(),
        "end": (start + Duration::minutes(30)).to_rfc3339(),
        "meetingNumber": format!("2551234{n:04}"),
        "hostUserId": host,
        "hostDisplayName": format!("{title} host"),
    }))
    .expect("a meeting")
}

fn ranges() -> impl Strategy<Value = ListRange> {
    prop_oneof![
        Just(ListRange::Today),
        Just(ListRange::Tomorrow),
        Just(ListRange::ThisWeek),
        Just(ListRange::NextWeek),
        Just(ListRange::Next7Days),
    ]
}

fn plan(title: String, invitees: Vec<PlannedInvitee>, notes: Vec<String>) -> Plan {
    let start = Berlin.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap();
    Plan {
        title,
        start: start.fixed_offset(),
        end: (start + Duration::minutes(30)).fixed_offset(),
        timezone: "Europe/Berlin".into(),
        rrule: Some("FREQ=WEEKLY;BYDAY=MO".into()),
        recurrence_words: Some("every Monday".into()),
        next_starts: Vec::new(),
        invitees,
        password: Some(super::plan::SealedValue {
            key_id: "k".into(),
            data: "sealed".into(),
        }),
        agenda: None,
        host_email: "host@example.com".into(),
        person_zone: "America/New_York".into(),
        form: None,
        not_invited: notes,
        reminder_minutes: None,
    }
}

fn created(plan: &Plan) -> CommandRow {
    CommandRow {
        command_id: "wxs-1".into(),
        person_id: "P".into(),
        room_id: "R".into(),
        thread_id: None,
        plan: serde_json::to_string(plan).expect("a plan"),
        state: CommandState::Created,
        attempted: true,
        meeting_id: Some("M".into()),
        meeting_number: Some("25512345678".into()),
        web_link: Some("https://example.webex.com/j.php?MTID=m1".into()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_listing_of_any_size_fits_and_counts_what_it_leaves_out(
        titles in proptest::collection::vec(typed(128), 0..160),
        invited_every in 1usize..6,
        range in ranges(),
    ) {
        let all: Vec<Meeting> = titles
            .iter()
            .enumerate()
            .map(|(n, t)| meeting(n, t, if n % invited_every == 0 { "OTHER" } else { "ME" }))
            .collect();
        let (mine, invited): (Vec<_>, Vec<_>) = all.into_iter().partition(|m| {
            m.host_user_id.as_deref() == Some("ME")
        });
        let text = listing_text(&mine, &invited, range, Berlin, MESSAGE_LIMIT);
        prop_assert!(text.len() <= MESSAGE_LIMIT, "{} bytes", text.len());
        let shown = text.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())).count()
            + text.lines().filter(|l| l.starts_with("- ")).count();
        let counted: usize = text
            .lines()
            .filter_map(|l| l.strip_prefix("…and "))
            .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
            .sum();
        prop_assert_eq!(shown + counted, titles.len(), "{}", text);
        if !invited.is_empty() {
            prop_assert!(text.contains("**Invited to**"), "{}", text);
        }
    }

    #[test]
    fn a_confirmation_or_preview_with_any_invitees_and_notes_fits(
        title in typed(128),
        count in 0usize..1000,
        name in typed(128),
        notes in proptest::collection::vec(typed(300), 0..60),
    ) {
        let invitees: Vec<PlannedInvitee> = (0..count)
            .map(|n| PlannedInvitee {
                email: format!("person.{n}.{}@example.com", "x".repeat(40)),
                name: Some(format!("{name} {n}")),
                cohost: n % 7 == 0,
            })
            .collect();
        let plan = plan(title, invitees, notes);
        let text = confirmation_text(&created(&plan)).expect("a confirmation");
        prop_assert!(text.len() <= MESSAGE_LIMIT, "{} bytes", text.len());
        prop_assert!(text.contains("- Invitees: "), "{}", text);
        prop_assert!(text.ends_with("- Password: sent to you in a direct message"), "{}", text);
        if count > NAMED_PEOPLE {
            prop_assert!(text.contains(" other"), "{}", text);
        }
        let preview = preview_fallback(&plan);
        prop_assert!(preview.len() <= MESSAGE_LIMIT, "{} bytes", preview.len());
    }

    #[test]
    fn any_reply_fits(text in typed(12000)) {
        let reply = Reply::text(text.clone());
        prop_assert!(reply.markdown.len() <= MESSAGE_LIMIT);
        if text.len() <= MESSAGE_LIMIT {
            prop_assert_eq!(reply.markdown, text);
        }
    }
}

#[test]
fn every_help_text_fits() {
    let topics = [
        "list",
        "cancel",
        "reschedule",
        "schedule",
        "settings",
        "tz",
        "form",
    ];
    let names = scheduler_core::command::TOPICS.iter().map(|t| t.name);
    for topic in names.chain(topics).map(Some).chain([None]) {
        let text = help(topic);
        assert!(
            text.len() <= MESSAGE_LIMIT,
            "help {topic:?}: {} bytes",
            text.len()
        );
    }
}

#[test]
fn a_hundred_long_named_invitees_are_summarised_as_twenty_and_eighty_others() {
    let invitees: Vec<PlannedInvitee> = (0..100)
        .map(|n| PlannedInvitee {
            email: format!("person{n}@example.com"),
            name: Some(format!(
                "Maximiliane Alexandra von Hohenberg-Lichtenstein {n}"
            )),
            cohost: false,
        })
        .collect();
    let text = confirmation_text(&created(&plan("Town hall".into(), invitees, Vec::new())))
        .expect("a confirmation");
    assert!(
        text.contains("Lichtenstein 19 <person19@example.com> and 80 others"),
        "{text}"
    );
    assert!(!text.contains("Lichtenstein 20 "), "{text}");
}
