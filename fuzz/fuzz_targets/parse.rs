//! Fuzzes the command parser: no input panics, a refusal's offset is a position in the text,
//! and every accepted command written back as text parses to the same command.
//!
//! Run with `cargo +nightly fuzz run parse` from this directory; the seed corpus is
//! `corpus/parse/seed-*` (real commands and tricky fragments).

#![no_main]

use chrono::{DateTime, Duration, Utc};
use libfuzzer_sys::fuzz_target;
use scheduler_core::command::{Context, Mention, parse};

const ZONES: &[chrono_tz::Tz] = &[
    chrono_tz::Europe::Berlin,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::Pacific::Kiritimati,
    chrono_tz::UTC,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The present and the zone vary with the input, across DST changes.
    let base: DateTime<Utc> = "2027-03-24T09:00:00Z".parse().expect("a fixed instant");
    let now = base + Duration::minutes((text.len() as i64 * 7919) % (400 * 24 * 60));
    let zone = ZONES[text.len() % ZONES.len()];
    let mentions = [Mention {
        person_id: "P1".into(),
        text: "Ana Lopez".into(),
    }];
    let ctx = Context {
        mentions: &mentions,
        ..Context::new(now, zone)
    };
    match parse(text, &ctx) {
        Err(refusal) => {
            assert!(!refusal.message.is_empty());
            if let Some(offset) = refusal.offset {
                assert!(offset <= text.len() && text.is_char_boundary(offset));
            }
        }
        Ok(command) => {
            let again = command.to_text();
            assert_eq!(
                parse(&again, &ctx).as_ref(),
                Ok(&command),
                "{text:?} -> {again:?}"
            );
        }
    }
});
