//! Structural properties of `build_ics` that need no external parser.

use crate::peers as harness;

use harness::*;
use scheduler_core::invite::{Attendee, Method, build_ics};

fn lines_starting(ics: &str, prefix: &str) -> Vec<String> {
    unfold(ics)
        .into_iter()
        .filter(|l| l.starts_with(prefix))
        .collect()
}

#[test]
fn building_twice_gives_the_same_bytes() {
    let inv = sample_invitation(chrono_tz::Europe::Berlin);
    assert_eq!(build_ics(&inv), build_ics(&inv));
}

#[test]
fn the_organizer_listed_as_attendee_is_accepted_chair_and_duplicates_go() {
    let mut inv = sample_invitation(chrono_tz::Europe::Berlin);
    inv.attendees.push(Attendee {
        person: person(None, "HOST@example.com"),
        cohost: false,
    });
    inv.attendees.push(Attendee {
        person: person(Some("Ann again"), "Ann@Example.com"),
        cohost: false,
    });
    let ics = build_ics(&inv);
    let attendees = lines_starting(&ics, "ATTENDEE");
    assert_eq!(attendees.len(), 3, "{attendees:#?}");
    let host = attendees
        .iter()
        .find(|l| l.ends_with(":mailto:HOST@example.com"))
        .expect("host");
    assert!(
        host.contains("ROLE=CHAIR")
            && host.contains("PARTSTAT=ACCEPTED")
            && host.contains("RSVP=FALSE"),
        "{host}"
    );
    assert_eq!(lint_ics(&ics), Vec::<String>::new());
}

#[test]
fn a_single_occurrence_cancel_has_recurrence_id_and_no_rule() {
    let berlin = chrono_tz::Europe::Berlin;
    let mut inv = sample_invitation(berlin);
    inv.method = Method::Cancel;
    inv.sequence = 2;
    inv.rrule = Some("FREQ=WEEKLY;BYDAY=TU".to_owned());
    inv.recurrence_id = Some(local(berlin, 2026, 3, 10, 9, 30));
    let ics = build_ics(&inv);
    assert_eq!(
        lines_starting(&ics, "RECURRENCE-ID"),
        ["RECURRENCE-ID;TZID=Europe/Berlin:20260310T093000"]
    );
    assert!(
        lines_starting(&ics, "RRULE:FREQ=WEEKLY").is_empty(),
        "{ics}"
    );
    assert_eq!(lines_starting(&ics, "METHOD"), ["METHOD:CANCEL"]);
    assert_eq!(lines_starting(&ics, "STATUS"), ["STATUS:CANCELLED"]);
    assert_eq!(lines_starting(&ics, "SEQUENCE"), ["SEQUENCE:2"]);
}

#[test]
fn exdates_follow_the_rule_in_the_events_zone() {
    let berlin = chrono_tz::Europe::Berlin;
    let mut inv = sample_invitation(berlin);
    inv.rrule = Some("FREQ=WEEKLY;BYDAY=TU;COUNT=4".to_owned());
    inv.exdates = vec![local(berlin, 2026, 3, 17, 9, 30)];
    let ics = build_ics(&inv);
    assert_eq!(
        lines_starting(&ics, "EXDATE"),
        ["EXDATE;TZID=Europe/Berlin:20260317T093000"]
    );
}

#[test]
fn a_rule_cannot_smuggle_in_lines() {
    let mut inv = sample_invitation(chrono_tz::Europe::Berlin);
    inv.rrule = Some("FREQ=WEEKLY;BYDAY=TU\r\nATTENDEE:mailto:evil@example.com".to_owned());
    let ics = build_ics(&inv);
    assert_eq!(lint_ics(&ics), Vec::<String>::new(), "{ics}");
    assert_eq!(lines_starting(&ics, "ATTENDEE").len(), 2);
    assert_eq!(
        lines_starting(&ics, "RRULE:FREQ=WEEKLY"),
        ["RRULE:FREQ=WEEKLY;BYDAY=TUATTENDEEMAILTOEVILEXAMPLECOM"]
    );
}

#[test]
fn every_zone_used_gets_one_vtimezone() {
    let mut inv = sample_invitation(chrono_tz::America::New_York);
    inv.end = local(chrono_tz::Europe::London, 2026, 3, 3, 17, 0);
    let ics = build_ics(&inv);
    assert_eq!(
        lines_starting(&ics, "TZID:"),
        ["TZID:America/New_York", "TZID:Europe/London"]
    );
    assert_eq!(lint_ics(&ics), Vec::<String>::new());

    let mut same_zone = sample_invitation(chrono_tz::America::New_York);
    same_zone.recurrence_id = Some(same_zone.start);
    assert_eq!(
        lines_starting(&build_ics(&same_zone), "BEGIN:VTIMEZONE").len(),
        1
    );
}

#[test]
fn zones_without_daylight_saving_and_utc_are_valid_too() {
    for tz in [
        chrono_tz::Asia::Kolkata,
        chrono_tz::UTC,
        chrono_tz::Asia::Tokyo,
        chrono_tz::Africa::Casablanca,
    ] {
        let ics = build_ics(&sample_invitation(tz));
        assert_eq!(lint_ics(&ics), Vec::<String>::new(), "{tz}\n{ics}");
        assert_eq!(
            lines_starting(&ics, &format!("TZID:{}", tz.name())).len(),
            1,
            "{tz}"
        );
    }
}
