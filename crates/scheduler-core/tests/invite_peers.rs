//! The ICS we build, read back by real calendar parsers: python-icalendar with
//! recurring-ical-events, vobject, and ical.js (Thunderbird's). They must all parse it, agree
//! on every occurrence instant of a year-long weekly series across both DST changes, and see
//! the same attendees and lifecycle fields.

use crate::peers as harness;

use chrono::{DateTime, Duration, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use harness::*;
use scheduler_core::invite::{Invitation, Method, build_ics};
use serde_json::Value;

fn utc(y: i32, mo: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, 0, 0, 0)
        .single()
        .expect("date")
}

fn iso(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Runs every parser on `ics` and returns their summaries, failing on any parse error.
fn read_everywhere(ics: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(String, Value)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_ics(dir.path(), "invite.ics", ics);
    PARSERS
        .iter()
        .map(|parser| {
            let result = parse_with(parser, std::slice::from_ref(&file), from, to).remove(0);
            assert!(
                result.get("error").is_none(),
                "{parser} rejected the ICS: {result}\n{ics}"
            );
            let errors = result["errors"].as_array().map_or(0, Vec::len);
            assert_eq!(errors, 0, "{parser} reported errors: {result}");
            (parser.to_string(), result)
        })
        .collect()
}

/// 52 Tuesdays from 6 Jan 2026 at 09:30 local, computed here with chrono-tz, independently
/// of the ICS.
fn expected_tuesdays(tz: Tz) -> Vec<String> {
    (0..52)
        .map(|week| {
            let day = local(tz, 2026, 1, 6, 9, 30).date_naive() + Duration::weeks(week);
            let at = tz
                .from_local_datetime(&day.and_hms_opt(9, 30, 0).expect("time"))
                .single()
                .expect("09:30 exists every day");
            iso(at.with_timezone(&Utc))
        })
        .collect()
}

fn weekly_invitation(tz: Tz, bounded_by_until: bool) -> Invitation {
    let mut inv = sample_invitation(tz);
    inv.start = local(tz, 2026, 1, 6, 9, 30);
    inv.end = local(tz, 2026, 1, 6, 10, 15);
    inv.rrule = Some(if bounded_by_until {
        // The last local second of the end day, in UTC, as RFC 5545 requires with a TZID.
        let until = local(tz, 2026, 12, 29, 23, 59) + Duration::seconds(59);
        format!(
            "FREQ=WEEKLY;BYDAY=TU;UNTIL={}",
            until.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ")
        )
    } else {
        "FREQ=WEEKLY;BYDAY=TU;COUNT=52".to_owned()
    });
    inv
}

#[test]
fn a_year_of_weekly_meetings_has_the_same_instants_in_every_parser() {
    if !all_peers() {
        return;
    }
    for (tz, bounded_by_until) in [
        (chrono_tz::Europe::Berlin, true),
        (chrono_tz::America::New_York, false),
        (chrono_tz::Australia::Sydney, true),
        // Morocco leaves +01 for Ramadan: no yearly rule fits, so dated observances are used.
        (chrono_tz::Africa::Casablanca, true),
        // Half-hour daylight saving.
        (chrono_tz::Australia::Lord_Howe, false),
    ] {
        let expected = expected_tuesdays(tz);
        let utc_hours: std::collections::BTreeSet<&str> =
            expected.iter().map(|s| &s[11..13]).collect();
        assert_eq!(
            utc_hours.len(),
            2,
            "{tz}: the series must cross a DST change both ways"
        );

        let ics = build_ics(&weekly_invitation(tz, bounded_by_until));
        assert_eq!(lint_ics(&ics), Vec::<String>::new(), "{tz}\n{ics}");
        for (parser, seen) in read_everywhere(&ics, utc(2025, 12, 1), utc(2027, 3, 1)) {
            let occurrences: Vec<String> = seen["occurrences"]
                .as_array()
                .expect("occurrences")
                .iter()
                .map(|v| v.as_str().expect("iso").to_owned())
                .collect();
            assert_eq!(occurrences, expected, "{parser} in {tz}");
            assert_eq!(seen["vevents"], 1, "{parser}");
        }
    }
}

#[test]
fn the_embedded_vtimezone_alone_gives_the_right_offset_every_hour() {
    if !python_peers() {
        return;
    }
    // (zone, exact): for Casablanca, whose Ramadan changes go between two offsets that tzdata
    // both calls standard, python-icalendar cannot tell which side of the repeated hour a
    // UTC instant is on; it may be off in exactly that hour, never elsewhere. Meeting times
    // are local, and their instants are checked exactly by the test above.
    for (tz, exact) in [
        (chrono_tz::Europe::Berlin, true),
        (chrono_tz::America::New_York, true),
        (chrono_tz::Australia::Sydney, true),
        (chrono_tz::Asia::Kolkata, true),
        (chrono_tz::Australia::Lord_Howe, true),
        (chrono_tz::Africa::Casablanca, false),
    ] {
        let ics = build_ics(&weekly_invitation(tz, true));
        let dir = tempfile::tempdir().expect("tempdir");
        let file = write_ics(dir.path(), "tz.ics", &ics);
        let seen = parse_with("icalendar", &[file], utc(2026, 1, 1), utc(2029, 1, 1)).remove(0);
        let mismatches: Vec<DateTime<Utc>> = seen["vtimezone_mismatches"][tz.name()]
            .as_array()
            .unwrap_or_else(|| panic!("{tz}: {seen}"))
            .iter()
            .map(|v| v.as_str().and_then(|s| s.parse().ok()).expect("instant"))
            .collect();
        if exact {
            assert_eq!(mismatches, Vec::<DateTime<Utc>>::new(), "{tz}");
        }
        for at in mismatches {
            let offset = |instant: DateTime<Utc>| instant.with_timezone(&tz).offset().fix();
            assert_ne!(
                offset(at),
                offset(at + Duration::hours(1)),
                "{tz}: {at} is not in the hour before a change"
            );
        }
    }
}

#[test]
fn every_parser_sees_the_people_and_the_meeting_details() {
    if !all_peers() {
        return;
    }
    let mut inv = weekly_invitation(chrono_tz::Europe::Berlin, false);
    inv.attendees[0].person.name = Some("Ann = Team lead".into());
    let ics = build_ics(&inv);
    for (parser, seen) in read_everywhere(&ics, utc(2026, 1, 1), utc(2026, 2, 1)) {
        assert_eq!(seen["method"], "REQUEST", "{parser}");
        assert_eq!(seen["uid"], inv.uid.as_str(), "{parser}");
        assert_eq!(seen["sequence"], 0, "{parser}");
        assert_eq!(seen["status"], "CONFIRMED", "{parser}");
        assert_eq!(seen["summary"], "Weekly planning", "{parser}");
        assert_eq!(
            seen["location"],
            inv.join_url.as_deref().unwrap_or_default(),
            "{parser}"
        );
        assert_eq!(
            seen["url"],
            inv.join_url.as_deref().unwrap_or_default(),
            "{parser}"
        );
        let description = seen["description"].as_str().expect("description");
        assert!(
            description
                .starts_with("Review the board; pick next items, assign owners.\n\nJoin: https://"),
            "{parser}: {description}"
        );
        assert!(
            description.contains("Meeting number: 2550 123 4567"),
            "{parser}"
        );
        assert!(
            description.contains("Dial-in: +1-415-555-0100,,25501234567##"),
            "{parser}"
        );
        assert_eq!(seen["organizer"]["email"], "host@example.com", "{parser}");
        assert_eq!(seen["organizer"]["cn"], "Hanna Host", "{parser}");

        let attendees = seen["attendees"].as_array().expect("attendees");
        assert_eq!(attendees.len(), 2, "{parser}: {attendees:?}");
        let ann = &attendees[0];
        assert_eq!(ann["email"], "ann@example.com", "{parser}");
        assert_eq!(ann["cn"], "Ann = Team lead", "{parser}");
        assert_eq!(ann["role"], "REQ-PARTICIPANT", "{parser}");
        assert_eq!(ann["partstat"], "NEEDS-ACTION", "{parser}");
        let bob = &attendees[1];
        assert_eq!(bob["email"], "bob@example.org", "{parser}");
        // The double quotes cannot be carried in a parameter, the comma can (quoted).
        assert_eq!(bob["cn"], "Bob 'B' Smith, Jr.", "{parser}");
        assert_eq!(bob["role"], "CHAIR", "{parser}");
        for attendee in attendees {
            let rsvp = attendee["rsvp"].to_string().to_ascii_uppercase();
            assert!(rsvp.contains("TRUE"), "{parser}: RSVP {rsvp}");
        }
    }
}

/// What every parser must see for one message of the lifecycle: the invitation, then METHOD,
/// SEQUENCE, STATUS, RECURRENCE-ID (UTC) and the occurrence instants (UTC).
type Expected<'a> = (
    &'a Invitation,
    &'a str,
    u32,
    &'a str,
    Option<&'a str>,
    Vec<&'a str>,
);

#[test]
fn lifecycle_keeps_the_uid_and_raises_the_sequence() {
    if !all_peers() {
        return;
    }
    let berlin = chrono_tz::Europe::Berlin;
    let created = weekly_invitation(berlin, false);

    let mut moved = created.clone();
    moved.sequence = 1;
    moved.dtstamp = created.dtstamp + Duration::hours(2);
    moved.start = local(berlin, 2026, 1, 6, 11, 0);
    moved.end = local(berlin, 2026, 1, 6, 11, 45);

    let mut one_cancelled = moved.clone();
    one_cancelled.sequence = 2;
    one_cancelled.method = Method::Cancel;
    one_cancelled.recurrence_id = Some(local(berlin, 2026, 1, 13, 11, 0));
    one_cancelled.start = local(berlin, 2026, 1, 13, 11, 0);
    one_cancelled.end = local(berlin, 2026, 1, 13, 11, 45);

    let mut series_without_it = moved.clone();
    series_without_it.sequence = 3;
    series_without_it.exdates = vec![local(berlin, 2026, 1, 13, 11, 0)];

    let mut cancelled = series_without_it.clone();
    cancelled.sequence = 4;
    cancelled.method = Method::Cancel;

    let window = (utc(2026, 1, 1), utc(2026, 1, 28));
    let cases: [Expected; 5] = [
        (
            &created,
            "REQUEST",
            0,
            "CONFIRMED",
            None,
            vec![
                "2026-01-06T08:30:00Z",
                "2026-01-13T08:30:00Z",
                "2026-01-20T08:30:00Z",
                "2026-01-27T08:30:00Z",
            ],
        ),
        (
            &moved,
            "REQUEST",
            1,
            "CONFIRMED",
            None,
            vec![
                "2026-01-06T10:00:00Z",
                "2026-01-13T10:00:00Z",
                "2026-01-20T10:00:00Z",
                "2026-01-27T10:00:00Z",
            ],
        ),
        (
            &one_cancelled,
            "CANCEL",
            2,
            "CANCELLED",
            Some("2026-01-13T10:00:00Z"),
            vec!["2026-01-13T10:00:00Z"],
        ),
        (
            &series_without_it,
            "REQUEST",
            3,
            "CONFIRMED",
            None,
            vec![
                "2026-01-06T10:00:00Z",
                "2026-01-20T10:00:00Z",
                "2026-01-27T10:00:00Z",
            ],
        ),
        (
            &cancelled,
            "CANCEL",
            4,
            "CANCELLED",
            None,
            vec![
                "2026-01-06T10:00:00Z",
                "2026-01-20T10:00:00Z",
                "2026-01-27T10:00:00Z",
            ],
        ),
    ];
    for (inv, method, sequence, status, recurrence_id, occurrences) in cases {
        let ics = build_ics(inv);
        assert_eq!(lint_ics(&ics), Vec::<String>::new(), "{ics}");
        for (parser, seen) in read_everywhere(&ics, window.0, window.1) {
            assert_eq!(seen["uid"], created.uid.as_str(), "{parser}");
            assert_eq!(seen["method"], method, "{parser}");
            assert_eq!(seen["sequence"], sequence, "{parser}");
            assert_eq!(seen["status"], status, "{parser}");
            assert_eq!(seen["recurrence_id"].as_str(), recurrence_id, "{parser}");
            assert_eq!(
                seen["occurrences"],
                serde_json::json!(occurrences),
                "{parser} seq {sequence}"
            );
        }
    }
}
