//! Every time phrase of issue 13's families, after "sync tomorrow", at five fixed nows: zones
//! on both sides of UTC, and the day before each kind of DST change (spring forward in Berlin
//! and Los Angeles, fall back in New York and Sydney), so "tomorrow" is the change's day.
//! The expected wall times are written here; the test only turns them into instants of the
//! zone's tomorrow (the earlier one where a wall time happens twice).

use super::check_at;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// (now, zone in force).
const CONTEXTS: &[(&str, Tz)] = &[
    ("2027-03-27T09:00:00Z", chrono_tz::Europe::Berlin),
    ("2027-03-13T20:00:00Z", chrono_tz::America::Los_Angeles),
    ("2027-11-06T12:00:00Z", chrono_tz::America::New_York),
    ("2027-04-03T00:00:00Z", chrono_tz::Australia::Sydney),
    ("2027-03-24T09:00:00Z", chrono_tz::Asia::Kolkata),
];

/// (what follows "sync tomorrow", start, end or "" for the default 30 minutes).
const PHRASES: &[(&str, &str, &str)] = &[
    // Parts of the day.
    ("morning 9:30", "09:30", ""),
    ("afternoon at 3", "15:00", ""),
    ("evening at 7", "19:00", ""),
    ("evening 7-8", "19:00", "20:00"),
    ("morning 6-8", "06:00", "08:00"),
    ("at 8 in the evening", "20:00", ""),
    ("at 10 in the morning", "10:00", ""),
    ("at noon", "12:00", ""),
    ("late evening at 10", "22:00", ""),
    ("early morning at 6", "06:00", ""),
    ("afternoon 1-2", "13:00", "14:00"),
    ("night at 11", "23:00", ""),
    ("evening at quarter past 7", "19:15", ""),
    ("morning at half past 8", "08:30", ""),
    ("afternoon at four", "16:00", ""),
    // Clock phrases and short forms.
    ("half past 7", "07:30", ""),
    ("quarter to 4", "15:45", ""),
    ("quarter past 10", "10:15", ""),
    ("10 past 9", "09:10", ""),
    ("twenty to six", "17:40", ""),
    ("half 8", "08:30", ""),
    ("at 8 o'clock", "08:00", ""),
    ("7p", "19:00", ""),
    ("9a", "09:00", ""),
    ("8:45a.", "08:45", ""),
    ("3pm-ish", "15:00", ""),
    ("around 3", "15:00", ""),
    ("about 10am", "10:00", ""),
    ("0730-0930", "07:30", "09:30"),
    ("1430", "14:30", ""),
    ("at 5 p.m.", "17:00", ""),
    ("12:30p", "12:30", ""),
    ("quarter to 7", "06:45", ""),
    ("ten to six", "17:50", ""),
    ("five past 4", "16:05", ""),
    ("at roughly 11am", "11:00", ""),
    ("1600-1700", "16:00", "17:00"),
    ("0900", "09:00", ""),
    ("twenty five past 3 pm", "15:25", ""),
    ("quarter after 9", "09:15", ""),
    // Numbers in words.
    ("at seven", "07:00", ""),
    ("seven thirty", "07:30", ""),
    ("at eight forty", "08:40", ""),
    ("at seven pm", "19:00", ""),
    ("at nine oh five", "09:05", ""),
    ("at eleven fifteen", "11:15", ""),
    ("at twelve thirty", "12:30", ""),
    ("at four", "16:00", ""),
    ("at ten thirty am", "10:30", ""),
    ("six to seven pm", "18:00", "19:00"),
    ("at two pm for forty five minutes", "14:00", "14:45"),
    ("at nine for fifteen minutes", "09:00", "09:15"),
    ("at three for twenty-five minutes", "15:00", "15:25"),
    // Ranges.
    ("at 2:00 - 2:30 pm", "14:00", "14:30"),
    ("from 3 in the morning until 5pm", "03:00", "17:00"),
    ("between 2 and 4", "14:00", "16:00"),
    ("7:00 to 8:00pm", "19:00", "20:00"),
    ("10-1", "10:00", "13:00"),
    ("11-2", "11:00", "14:00"),
    ("9-12", "09:00", "12:00"),
    ("from 9am to 5pm", "09:00", "17:00"),
    ("3-4pm", "15:00", "16:00"),
    ("11-1pm", "11:00", "13:00"),
    ("9:30-10:15", "09:30", "10:15"),
    ("4 to 5", "16:00", "17:00"),
    ("noon-1:30pm", "12:00", "13:30"),
    ("from 2 till 3:30", "14:00", "15:30"),
    ("between 10am and noon", "10:00", "12:00"),
    ("1-5", "13:00", "17:00"),
    ("10 to 6", "10:00", "18:00"),
    ("8 - 9 am", "08:00", "09:00"),
    ("at 9 until 9:15", "09:00", "09:15"),
    ("at 3-4", "15:00", "16:00"),
];

/// (what follows "sync tomorrow 3pm", the zone it names).
const ZONE_WORDS: &[(&str, &str)] = &[
    ("pacific", "America/Los_Angeles"),
    ("pacific time", "America/Los_Angeles"),
    ("PT", "America/Los_Angeles"),
    ("PST", "America/Los_Angeles"),
    ("PDT", "America/Los_Angeles"),
    ("eastern", "America/New_York"),
    ("eastern time", "America/New_York"),
    ("ET", "America/New_York"),
    ("central", "America/Chicago"),
    ("CT", "America/Chicago"),
    ("mountain", "America/Denver"),
    ("MT", "America/Denver"),
    ("India time", "Asia/Kolkata"),
    ("AEST", "Australia/Sydney"),
    ("ACDT", "Australia/Adelaide"),
    ("GMT", "UTC"),
    ("BST", "Europe/London"),
    ("berlin time", "Europe/Berlin"),
    ("new york time", "America/New_York"),
    ("hawaii time", "Pacific/Honolulu"),
];

/// The instant of `wall` on the day after `now`'s day in `zone`, as RFC 3339.
fn tomorrow_at(now: DateTime<Utc>, zone: Tz, wall: &str) -> String {
    let day = now.with_timezone(&zone).date_naive() + Duration::days(1);
    let time = NaiveTime::parse_from_str(wall, "%H:%M").expect("a wall time");
    zone.from_local_datetime(&day.and_time(time))
        .earliest()
        .expect("the phrases avoid the spring gap")
        .to_rfc3339()
}

#[test]
fn every_phrase_in_every_context() {
    let mut failures = Vec::new();
    for (now_text, zone) in CONTEXTS {
        let now: DateTime<Utc> = now_text.parse().expect("a now");
        for (phrase, start, end) in PHRASES {
            let mut expect = format!("start={}", tomorrow_at(now, *zone, start));
            if !end.is_empty() {
                expect.push_str(&format!("; end={}", tomorrow_at(now, *zone, end)));
            }
            let text = format!("sync tomorrow {phrase}");
            if let Err(e) = check_at(now_text, *zone, &text, &expect) {
                failures.push(e);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_zone_word_in_every_context() {
    let mut failures = Vec::new();
    for (now_text, zone) in CONTEXTS {
        let now: DateTime<Utc> = now_text.parse().expect("a now");
        for (word, named) in ZONE_WORDS {
            let named_zone: Tz = named.parse().expect("an IANA zone");
            let expect = format!(
                "timezone={named}; start={}",
                tomorrow_at(now, named_zone, "15:00")
            );
            let text = format!("sync tomorrow 3pm {word}");
            if let Err(e) = check_at(now_text, *zone, &text, &expect) {
                failures.push(e);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
