//! Hostile text cannot change the structure of an invitation (reliability target 16): titles,
//! agendas and names full of CR, LF, quotes, `;`, `,`, `\`, `BEGIN:VEVENT`, emoji and control
//! characters still give exactly one VEVENT with the same properties, and the text parses back
//! to its normalised form, in our own parser (10k cases) and in the three real peers (a batch).

use crate::peers as harness;

use harness::*;
use icalendar::Component;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use scheduler_core::invite::{
    Attendee, Invitation, build_ics, normalize_line, normalize_text, sanitize_param_value,
};

fn nasty_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("\r".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{2028}".to_owned()),
        Just("\"".to_owned()),
        Just(";".to_owned()),
        Just(",".to_owned()),
        Just("\\".to_owned()),
        Just("\\n".to_owned()),
        Just(":".to_owned()),
        Just("^'".to_owned()),
        Just("^n^^".to_owned()),
        Just("\t".to_owned()),
        Just("\u{0}".to_owned()),
        Just("BEGIN:VEVENT".to_owned()),
        Just("\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil".to_owned()),
        Just("\nATTENDEE:mailto:x@evil.test".to_owned()),
        Just("😀👩‍👩‍👧".to_owned()),
        Just("Grüße, ça va? 日本語".to_owned()),
        "[a-zA-Z0-9 ]{0,30}",
        prop::collection::vec(any::<char>(), 0..6).prop_map(String::from_iter),
    ];
    prop::collection::vec(fragment, 0..12).prop_map(|parts| parts.concat())
}

fn hostile_invitation() -> impl Strategy<Value = Invitation> {
    (nasty_text(), nasty_text(), nasty_text(), nasty_text()).prop_map(
        |(title, agenda, organizer_name, attendee_name)| {
            let mut inv = sample_invitation(chrono_tz::Europe::Berlin);
            inv.title = title;
            inv.agenda = Some(agenda);
            inv.join_url = None;
            inv.meeting_number = None;
            inv.dial_in = None;
            inv.organizer.name = Some(organizer_name);
            inv.attendees = vec![Attendee {
                person: person(Some(&attendee_name), "guest@example.net"),
                cohost: false,
            }];
            inv
        },
    )
}

fn expected_description(inv: &Invitation) -> Option<String> {
    let agenda = normalize_text(inv.agenda.as_deref().unwrap_or_default());
    (!agenda.trim().is_empty()).then_some(agenda)
}

/// The names of the VEVENT's content lines, in order.
fn vevent_property_names(ics: &str) -> Vec<String> {
    let lines = unfold(ics);
    let start = lines
        .iter()
        .position(|l| l == "BEGIN:VEVENT")
        .expect("a VEVENT");
    let end = lines
        .iter()
        .position(|l| l == "END:VEVENT")
        .expect("END:VEVENT");
    lines[start + 1..end]
        .iter()
        .map(|l| l.split([':', ';']).next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn hostile_text_keeps_one_vevent_and_parses_back() {
    let config = Config {
        cases: 10_000,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    runner
        .run(&hostile_invitation(), |inv| {
            let ics = build_ics(&inv);
            prop_assert_eq!(lint_ics(&ics), Vec::<String>::new(), "{}", ics);
            let mut names = vevent_property_names(&ics);
            let mut expected_names: Vec<String> = [
                "ATTENDEE",
                "DTEND",
                "DTSTAMP",
                "DTSTART",
                "ORGANIZER",
                "SEQUENCE",
                "STATUS",
                "SUMMARY",
                "TRANSP",
                "UID",
            ]
            .map(str::to_owned)
            .to_vec();
            if expected_description(&inv).is_some() {
                expected_names.push("DESCRIPTION".to_owned());
            }
            names.sort();
            expected_names.sort();
            prop_assert_eq!(names, expected_names, "{}", ics);

            let calendar: icalendar::Calendar = ics.parse().map_err(|e| {
                TestCaseError::fail(format!("icalendar crate cannot parse: {e}\n{ics}"))
            })?;
            let events: Vec<_> = calendar.events().collect();
            prop_assert_eq!(events.len(), 1);
            let event = events[0];
            prop_assert_eq!(event.get_uid(), Some(inv.uid.as_str()));
            prop_assert_eq!(
                event.get_summary().unwrap_or_default(),
                normalize_line(&inv.title)
            );
            prop_assert_eq!(
                event.get_description().map(str::to_owned),
                expected_description(&inv)
            );
            let attendees = event.get_attendees();
            prop_assert_eq!(attendees.len(), 1);
            let name = inv.attendees[0].person.name.as_deref().unwrap_or_default();
            prop_assert_eq!(attendees[0].cn.clone(), sanitize_param_value(name));
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

#[test]
fn real_parsers_read_hostile_text_back_unchanged() {
    if !all_peers() {
        return;
    }
    let mut runner = TestRunner::new(Config {
        cases: 150,
        failure_persistence: None,
        ..Config::default()
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cases = Vec::new();
    for index in 0..150 {
        let tree = hostile_invitation()
            .new_tree(&mut runner)
            .expect("generate a case");
        let inv = proptest::strategy::ValueTree::current(&tree);
        let file = write_ics(dir.path(), &format!("case{index:03}.ics"), &build_ics(&inv));
        cases.push((inv, file));
    }
    let files: Vec<_> = cases.iter().map(|(_, f)| f.clone()).collect();
    let from = inv_window_start();
    for parser in PARSERS {
        let results = parse_with(parser, &files, from, from + chrono::Duration::days(60));
        for ((inv, file), seen) in cases.iter().zip(results) {
            let ics = std::fs::read_to_string(file).expect("ics");
            assert!(seen.get("error").is_none(), "{parser}: {seen}\n{ics}");
            assert_eq!(seen["vevents"], 1, "{parser}\n{ics}");
            assert_eq!(
                seen["summary"],
                normalize_line(&inv.title),
                "{parser}\n{ics}"
            );
            assert_eq!(
                seen["description"].as_str().map(str::to_owned),
                expected_description(inv),
                "{parser}\n{ics}"
            );
            let attendees = seen["attendees"].as_array().expect("attendees");
            assert_eq!(attendees.len(), 1, "{parser}\n{ics}");
            let name = inv.attendees[0].person.name.as_deref().unwrap_or_default();
            assert_eq!(
                attendees[0]["cn"].as_str().map(str::to_owned),
                sanitize_param_value(name),
                "{parser}\n{ics}"
            );
            assert_eq!(attendees[0]["email"], "guest@example.net", "{parser}");
            let organizer_name = inv.organizer.name.as_deref().unwrap_or_default();
            assert_eq!(
                seen["organizer"]["cn"].as_str().map(str::to_owned),
                sanitize_param_value(organizer_name),
                "{parser}\n{ics}"
            );
            assert_eq!(
                seen["occurrences"].as_array().map(Vec::len),
                Some(1),
                "{parser}"
            );
        }
    }
}

fn inv_window_start() -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc
        .with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
        .single()
        .expect("date")
}
