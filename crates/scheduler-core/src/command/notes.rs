//! What a reply should add about how a message was read, where the reading is right but the
//! person may have meant something a little different: a zone abbreviation of the other half
//! of the year (`3pm PST` in July: Pacific Daylight Time was used, as the place's clock shows
//! it that day) and `biweekly` (read as every two weeks, as most people mean it).

use super::Command;
use chrono::Offset;
use chrono_tz::OffsetComponents;

/// Zone abbreviations that say standard (`false`) or summer (`true`) time.
const SEASONAL: &[(&str, bool)] = &[
    ("EST", false),
    ("EDT", true),
    ("CST", false),
    ("CDT", true),
    ("MST", false),
    ("MDT", true),
    ("PST", false),
    ("PDT", true),
    ("AKST", false),
    ("AKDT", true),
    ("AEST", false),
    ("AEDT", true),
    ("ACST", false),
    ("ACDT", true),
    ("NZST", false),
    ("NZDT", true),
    ("CET", false),
    ("CEST", true),
    ("EET", false),
    ("EEST", true),
    ("WET", false),
    ("WEST", true),
    ("BST", true),
];

/// Sentences for the reply to a scheduled meeting, each complete; empty when there is nothing
/// to say.
pub fn reading_notes(text: &str, command: &Command) -> Vec<String> {
    let Command::Schedule(req) = command else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
        .collect();
    let start = req.start.with_timezone(&req.timezone);
    let summer = !start.offset().dst_offset().is_zero();
    for word in &words {
        let Some((typed, says_summer)) = SEASONAL
            .iter()
            .find(|(abbr, _)| abbr.eq_ignore_ascii_case(word))
        else {
            continue;
        };
        if *says_summer != summer {
            let seconds = start.offset().fix().local_minus_utc();
            let sign = if seconds < 0 { '-' } else { '+' };
            let minutes = seconds.unsigned_abs() / 60;
            notes.push(format!(
                "You wrote {typed}, but on {} {} is on {} time ({}, UTC{sign}{:02}:{:02}): I used the time in force that day.",
                start.format("%-d %B %Y"),
                req.timezone.name(),
                if summer { "summer" } else { "standard" },
                start.format("%Z"),
                minutes / 60,
                minutes % 60,
            ));
        }
        break;
    }
    let biweekly = words
        .iter()
        .any(|w| w.eq_ignore_ascii_case("biweekly") || w.eq_ignore_ascii_case("bi-weekly"));
    if biweekly && req.recurrence.as_ref().is_some_and(|r| r.interval == 2) {
        notes.push(
            "I read \"biweekly\" as every two weeks; for twice a week, write \"twice a week on tue and thu\"."
                .to_string(),
        );
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{Context, parse};

    fn notes_for(text: &str) -> Vec<String> {
        let now = "2027-03-24T09:00:00Z".parse().expect("a now");
        let ctx = Context::new(now, chrono_tz::Europe::Berlin);
        reading_notes(text, &parse(text, &ctx).expect("parses"))
    }

    #[test]
    fn a_seasonal_abbreviation_of_the_other_season_is_noted() {
        let notes = notes_for("sync tomorrow 3pm PST");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("You wrote PST, but on 25 March 2027 America/Los_Angeles is on summer time (PDT, UTC-07:00)"),
            "{notes:?}"
        );
        assert!(notes_for("sync tomorrow 3pm PDT").is_empty());
        assert!(notes_for("sync tomorrow 3pm AEST")[0].contains("AEDT, UTC+11:00"));
        assert!(notes_for("sync tomorrow 3pm pacific").is_empty());
    }

    #[test]
    fn biweekly_says_every_two_weeks() {
        assert!(notes_for("sync biweekly friday 10am")[0].contains("every two weeks"));
        assert!(notes_for("sync every other friday 10am").is_empty());
    }
}
