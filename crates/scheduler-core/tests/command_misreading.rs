//! No silent misreading (issue 13): a word that carries time meaning, put anywhere in a
//! schedule command, is either read (it is not left in the title, or, for a part of the day
//! left in a title like "morning standup", the meeting's time lies in that part of the day)
//! or the command is refused with a message that points at it (by its word number or by
//! quoting it).
//!
//! Bare digits are not generated: a lone number beside an explicit time stays in the title
//! by the contract ("top 5 at 3"); number words and four-digit times are.

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use scheduler_core::command::{Command, Context, parse};

fn now() -> DateTime<Utc> {
    "2027-03-24T09:00:00Z".parse().expect("a fixed now")
}

/// Commands that schedule a meeting as they are.
const BASES: &[&str] = &[
    "schedule sync tomorrow at 3pm",
    "schedule design review friday 10-11am",
    "schedule standup next tue 9:30 for 15m",
    "schedule planning march 29 2pm with ana@acme.com",
    "schedule team retro every monday 4pm",
    "schedule coffee chat 2027-04-02 11:00",
];

/// Words and phrases with time meaning, one family of the issue each line.
const TIME_WORDS: &[&str] = &[
    // Parts of the day.
    "morning",
    "afternoon",
    "evening",
    "night",
    "tonight",
    "this evening",
    "in the morning",
    "at night",
    "late evening",
    "early morning",
    // Clock phrases and numbers.
    "7pm",
    "8:45",
    "0730",
    "1430",
    "half past 7",
    "quarter to 4",
    "10 past 9",
    "seven thirty",
    "at seven",
    "seven",
    "9a",
    "7p",
    "noon",
    "midnight",
    "3pm-ish",
    "around 5",
    // Offsets.
    "later",
    "earlier",
    "in an hour",
    "in two hours",
    "in a fortnight",
    "the day after tomorrow",
    "ago",
    // Dates and ordinals.
    "third",
    "fifth",
    "17th",
    "the 3rd",
    "twentieth",
    // Repeats.
    "everyday",
    "daily",
    "weekly",
    "biweekly",
    "fortnightly",
    "weekdays",
    "nightly",
    "quarterly",
    // Zones.
    "pacific",
    "eastern",
    "central",
    "mountain",
    "PT",
    "ET",
    "GMT",
    "BST",
    "AEST",
    "pacific time",
    "India time",
    "PST",
];

const ZONES: &[Tz] = &[
    chrono_tz::Europe::Berlin,
    chrono_tz::America::Los_Angeles,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Australia::Sydney,
];

/// The wall hours a part of the day covers (as the grammar documents them).
fn part_covers(word: &str, hour: u32) -> bool {
    match word {
        "morning" => (4..12).contains(&hour),
        "afternoon" => (12..19).contains(&hour),
        "evening" => (16..24).contains(&hour),
        "night" => !(5..18).contains(&hour),
        _ => false,
    }
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The command with `inserted` put before word `at` (1 ≤ at ≤ the number of words), and the
/// byte span it occupies.
fn insert(base: &str, inserted: &str, at: usize) -> (String, std::ops::Range<usize>) {
    let parts: Vec<&str> = base.split(' ').collect();
    let at = at.clamp(1, parts.len());
    let before = parts[..at].join(" ");
    let after = parts[at..].join(" ");
    let start = before.len() + 1;
    let text = if after.is_empty() {
        format!("{before} {inserted}")
    } else {
        format!("{before} {inserted} {after}")
    };
    (text, start..start + inserted.len())
}

/// Which word (1-based) a byte offset is in.
fn word_number(text: &str, offset: usize) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if i > offset {
            break;
        }
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
        }
    }
    words.max(1)
}

fn check(text: &str, span: std::ops::Range<usize>, inserted: &str, zone: Tz) -> Result<(), String> {
    let ctx = Context::new(now(), zone);
    match parse(text, &ctx) {
        Ok(Command::Schedule(req)) => {
            let title = words(&req.title);
            let hour = req.start.with_timezone(&req.timezone).hour();
            for w in words(inserted) {
                let agrees = part_covers(&w, hour);
                if title.contains(&w) && !agrees {
                    return Err(format!(
                        "{text:?}: {w:?} left in the title {:?}, meeting at {}",
                        req.title, req.start
                    ));
                }
            }
            Ok(())
        }
        Ok(other) => Err(format!("{text:?}: read as {other:?}")),
        Err(refusal) => {
            let first = word_number(text, span.start);
            let last = first + inserted.split_whitespace().count() - 1;
            let at_word = refusal
                .offset
                .map(|o| word_number(text, o))
                .is_some_and(|n| (first..=last).contains(&n));
            let lower = refusal.message.to_ascii_lowercase();
            let quoted = words(inserted).iter().any(|w| lower.contains(w.as_str()));
            if at_word || quoted {
                Ok(())
            } else {
                Err(format!(
                    "{text:?}: refused without pointing at {inserted:?}: {} (offset {:?})",
                    refusal.message, refusal.offset
                ))
            }
        }
    }
}

#[test]
fn every_base_command_schedules_as_it_is() {
    let ctx = Context::new(now(), chrono_tz::Europe::Berlin);
    for base in BASES {
        assert!(
            matches!(parse(base, &ctx), Ok(Command::Schedule(_))),
            "{base}: {:?}",
            parse(base, &ctx)
        );
    }
}

#[test]
fn a_day_part_against_the_time_is_refused_naming_it() {
    // Known answers, so that the property below cannot pass by accident.
    let (text, span) = insert(BASES[0], "morning", 2);
    let ctx = Context::new(now(), chrono_tz::Europe::Berlin);
    let refusal = parse(&text, &ctx).expect_err("morning is not 3pm");
    assert!(refusal.message.contains("morning"), "{}", refusal.message);
    assert!(check(&text, span, "morning", chrono_tz::Europe::Berlin).is_ok());
    assert!(
        check(
            "schedule sync tomorrow at 3pm",
            0..0,
            "sync",
            chrono_tz::UTC
        )
        .is_err()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn a_time_word_anywhere_is_read_or_named(
        base in prop::sample::select(BASES),
        inserted in prop::sample::select(TIME_WORDS),
        at in 1usize..8,
        zone in prop::sample::select(ZONES),
    ) {
        let (text, span) = insert(base, inserted, at);
        if let Err(e) = check(&text, span, inserted, zone) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Every time word in every position of every base, in Berlin: the exhaustive version of the
/// property, listing all failures at once.
#[test]
fn every_time_word_in_every_position() {
    let mut failures = Vec::new();
    for base in BASES {
        let positions = base.split(' ').count();
        for inserted in TIME_WORDS {
            for at in 1..=positions {
                let (text, span) = insert(base, inserted, at);
                if let Err(e) = check(&text, span, inserted, chrono_tz::Europe::Berlin) {
                    failures.push(e);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} misreadings:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
