//! Every recurrence rule the bot writes is one Webex takes: a property test over the rules
//! `Recurrence::to_rrule` makes for any series the bot would accept, and the rules
//! `follow_new_start` makes when such a series moves, each sent through the bot's own client
//! to the emulator, which accepts exactly the RRULE forms Cisco's documents show
//! (docs/webex.md, *Recurrence*).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use scheduler_core::clock::FixedClock;
use scheduler_core::schedule::{
    Nth, Pattern, Recurrence, RecurrenceEnd, WeekdaySet, check_recurrence, follow_new_start,
    localize, max_occurrences, until_end_of_day,
};
use std::sync::Arc;
use webex_emulator::{Emulator, EmulatorConfig};
use webex_scheduler::webex::{Auth, MeetingPatch, NewMeeting, WebexClient, WebexConfig};

const ZONES: &[Tz] = &[
    chrono_tz::Europe::Berlin,
    chrono_tz::America::New_York,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Australia::Sydney,
    chrono_tz::UTC,
];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 24, 9, 0, 0).unwrap()
}

/// A first meeting between tomorrow and about fourteen months ahead, at a whole or half hour.
fn start() -> impl Strategy<Value = DateTime<Tz>> {
    (
        prop::sample::select(ZONES),
        1u64..420,
        6u32..21,
        prop::bool::ANY,
    )
        .prop_filter_map("a wall time that exists", |(zone, days, hour, half)| {
            let date = now()
                .date_naive()
                .checked_add_days(chrono::Days::new(days))?;
            let time = NaiveTime::from_hms_opt(hour, if half { 30 } else { 0 }, 0)?;
            localize(zone, date, time).ok()
        })
}

/// The patterns the grammar and the form make for a series starting on `date` (the start is
/// always its first occurrence).
fn pattern_for(date: NaiveDate) -> impl Strategy<Value = Pattern> {
    let weekday = date.weekday();
    let last = Nth::Last.date_in(date.year(), date.month(), weekday) == Some(date);
    let nth = match (last, Nth::of_date(date)) {
        (true, _) | (false, None) => Nth::Last,
        (false, Some(nth)) => nth,
    };
    prop_oneof![
        Just(Pattern::Daily),
        any::<u8>().prop_map(move |bits| {
            let days = (0..7u8)
                .filter(|i| bits & (1 << i) != 0)
                .map(|i| chrono::Weekday::try_from(i).unwrap())
                .fold(WeekdaySet::single(weekday), WeekdaySet::with);
            Pattern::Weekly(days)
        }),
        Just(Pattern::MonthlyOnDay(date.day())),
        Just(Pattern::MonthlyOnWeekday { nth, weekday }),
        Just(Pattern::Yearly {
            month: date.month(),
            day: date.day()
        }),
    ]
}

/// A series the bot would send (its own checks pass), and a day its first meeting moves to.
fn series() -> impl Strategy<Value = (DateTime<Tz>, Recurrence, i64)> {
    start()
        .prop_flat_map(|start| {
            let zone = start.timezone();
            let first = start.date_naive();
            (
                Just(start),
                pattern_for(first),
                1u32..5,
                0u8..3,
                1u32..400,
                0u64..900,
                1i64..60,
            )
                .prop_map(
                    move |(start, pattern, interval, end, count, days, shift)| {
                        let end = match end {
                            0 => RecurrenceEnd::Never,
                            1 => RecurrenceEnd::Count(
                                count.min(max_occurrences(pattern.frequency())),
                            ),
                            _ => {
                                let date = first.checked_add_days(chrono::Days::new(days)).unwrap();
                                RecurrenceEnd::Until {
                                    date,
                                    instant: until_end_of_day(date, zone),
                                }
                            }
                        };
                        let rule = Recurrence {
                            pattern,
                            interval,
                            end,
                        };
                        (start, rule, shift)
                    },
                )
        })
        .prop_filter("a series the bot accepts", |(start, rule, _)| {
            check_recurrence(rule, start, now()).is_ok()
        })
}

#[test]
fn every_rule_the_bot_writes_is_one_the_emulator_takes() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (emulator, webex, user) = runtime.block_on(async {
        let emulator = Emulator::start(EmulatorConfig {
            clock: Arc::new(FixedClock::at(now())),
            meetings_per_day_quota: 100_000,
            ..EmulatorConfig::default()
        })
        .await
        .expect("starts");
        let alice = emulator.add_person("Alice Example", "alice@example.com", None);
        let user = Auth::User(emulator.issue_user_token(
            &alice.id,
            &["meeting:schedules_read", "meeting:schedules_write"],
        ));
        let webex = WebexClient::new(WebexConfig {
            api_base: emulator.api_base(),
            bot_token: emulator.bot_token(),
            requests_per_minute: 1_000_000,
            timeout: std::time::Duration::from_secs(10),
            max_rate_limit_wait: std::time::Duration::from_secs(10),
        })
        .expect("client");
        (emulator, webex, user)
    });
    let mut runner = TestRunner::new(Config {
        cases: 160,
        ..Config::default()
    });
    runner
        .run(&series(), |(start, rule, shift)| {
            let zone = start.timezone();
            let written = rule.to_rrule();
            prop_assert!(!written.contains("BYSETPOS"), "{written}");
            let meeting = NewMeeting {
                title: "Series".into(),
                start: start.fixed_offset(),
                end: (start + Duration::minutes(30)).fixed_offset(),
                timezone: Some(zone.name().into()),
                recurrence: Some(written.clone()),
                ..NewMeeting::default()
            };
            let created = runtime.block_on(webex.create_meeting(&user, &meeting));
            prop_assert!(created.is_ok(), "{written} from {start}: {created:?}");
            let created = created.unwrap();

            // The whole series moves; its rule follows the new first day.
            let moved = start + Duration::days(shift);
            let followed = follow_new_start(&written, start.date_naive(), moved.date_naive());
            let patch = MeetingPatch {
                start: Some(moved.fixed_offset()),
                end: Some((moved + Duration::minutes(30)).fixed_offset()),
                recurrence: Some(followed.clone()),
                ..MeetingPatch::default()
            };
            let patched = runtime.block_on(webex.patch_meeting(&user, &created.id, &patch));
            // Unless the move takes the first meeting past the series' end, which Webex (and
            // the emulator) refuse whatever the rule's form.
            let past_the_end =
                matches!(rule.end, RecurrenceEnd::Until { instant, .. } if moved > instant);
            prop_assert!(
                patched.is_ok() || past_the_end,
                "{followed} from {moved} (was {written}): {patched:?}"
            );
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
    drop(emulator);
}
