//! Properties of the command language:
//!
//! * no input makes the parser panic, and a refusal's offset is a position in the text;
//! * a command written back as text (`Command::to_text`) parses to the same command, both for
//!   commands built directly and for whatever a jumble of real command words parses to.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use scheduler_core::command::{
    Command, Context, ListRange, MeetingRef, Mention, NewEnd, NewTime, SettingChange, TOPICS, parse,
};
use scheduler_core::schedule::{
    self, Invitee, MAX_LEAD_MINUTES, MeetingRequest, Nth, Pattern, Recurrence, RecurrenceEnd,
    ReminderLead, WeekdaySet, Who, add_invitee, localize, max_occurrences, until_end_of_day,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 24, 9, 0, 0).unwrap()
}

const ZONES: &[Tz] = &[
    chrono_tz::Europe::Berlin,
    chrono_tz::Europe::London,
    chrono_tz::America::New_York,
    chrono_tz::America::Los_Angeles,
    chrono_tz::America::St_Johns,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::Australia::Sydney,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Auckland,
    chrono_tz::Etc::GMTMinus2,
    chrono_tz::UTC,
];

fn zone() -> impl Strategy<Value = Tz> {
    prop::sample::select(ZONES)
}

fn mentions() -> Vec<Mention> {
    vec![
        Mention {
            person_id: "P-ANA".into(),
            text: "Ana Lopez".into(),
        },
        Mention {
            person_id: "P-BOB".into(),
            text: "Bob".into(),
        },
    ]
}

/// Words and fragments people type, plus noise.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "schedule",
            "book",
            "new",
            "list",
            "cancel",
            "reschedule",
            "move",
            "to",
            "tz",
            "help",
            "settings",
            "confirm",
            "on",
            "off",
            "tomorrow",
            "today",
            "yesterday",
            "monday",
            "next",
            "tue",
            "this",
            "friday",
            "march",
            "29",
            "29th",
            "the",
            "of",
            "2027-04-02",
            "3pm",
            "3",
            "15:00",
            "9:30",
            "noon",
            "midnight",
            "at",
            "3-4pm",
            "11-1pm",
            "from",
            "until",
            "till",
            "between",
            "and",
            "for",
            "45m",
            "1h30",
            "an",
            "hour",
            "half",
            "in",
            "2",
            "days",
            "weeks",
            "minutes",
            "now",
            "PST",
            "Europe/Paris",
            "new york",
            "time",
            "UTC+2",
            "UTC+05:30",
            "every",
            "other",
            "week",
            "weekday",
            "weekdays",
            "daily",
            "weekly",
            "biweekly",
            "monthly",
            "mondays",
            "first",
            "last",
            "month",
            "4",
            "times",
            "x3",
            "with",
            "cohost",
            "as",
            "everyone",
            "ana@acme.com",
            "bob@acme.com",
            "Ana Lopez",
            "Bob",
            "<@personId:Z1>",
            "password",
            "Blue42sky",
            "agenda:",
            "agenda",
            "\"Design review\"",
            "\u{201C}Plan\u{201D}",
            "design",
            "review",
            "sync",
            "a",
            "tomorow",
            "wendesday",
            ",",
            ".",
            "-",
            "\u{2013}",
            "?",
            "#2",
            "mon-fri",
            "tonight",
            "starting",
            "until december",
            "first monday of every month",
            "the 15th of every month",
            "2551 234 5678",
            "3/4",
            "25:00",
            "13pm",
            "feb 30",
            "every 2nd monday",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z0-9@:./#-]{1,6}",
        "\\PC{1,4}",
    ]
}

fn jumble() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..14).prop_map(|words| words.join(" "))
}

fn check_refusal_offset(text: &str, result: &Result<Command, scheduler_core::command::Refusal>) {
    if let Err(refusal) = result {
        assert!(!refusal.message.is_empty());
        if let Some(offset) = refusal.offset {
            assert!(
                offset <= text.len(),
                "offset {offset} past the end of {text:?}"
            );
            assert!(
                text.is_char_boundary(offset),
                "offset {offset} inside a character of {text:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_input_panics(text in "\\PC{0,120}", zone in zone(), days in 0i64..2000) {
        let mentions = mentions();
        let ctx = Context { mentions: &mentions, ..Context::new(now() + Duration::days(days), zone) };
        let result = parse(&text, &ctx);
        check_refusal_offset(&text, &result);
    }

    #[test]
    fn command_words_in_any_order_never_panic_and_round_trip(text in jumble(), zone in zone(), minutes in 0i64..(3 * 366 * 24 * 60)) {
        let mentions = mentions();
        let ctx = Context { mentions: &mentions, ..Context::new(now() + Duration::minutes(minutes), zone) };
        let result = parse(&text, &ctx);
        check_refusal_offset(&text, &result);
        if let Ok(command) = result {
            let again = command.to_text();
            let reparsed = parse(&again, &ctx);
            prop_assert_eq!(reparsed.as_ref(), Ok(&command), "{:?} → {:?}", text, again);
        }
    }

    #[test]
    fn built_commands_round_trip(command in command()) {
        let ctx = Context::new(now(), chrono_tz::UTC);
        let text = command.to_text();
        let reparsed = parse(&text, &ctx);
        prop_assert_eq!(reparsed.as_ref(), Ok(&command), "{:?}", text);
    }
}

fn start() -> impl Strategy<Value = DateTime<Tz>> {
    (
        zone(),
        0i64..700,
        0u32..24,
        prop::sample::select(vec![0u32, 5, 15, 30, 45, 59]),
    )
        .prop_filter_map("a wall time that exists", |(zone, days, hour, minute)| {
            let date = now().with_timezone(&zone).date_naive() + Duration::days(days + 1);
            localize(zone, date, NaiveTime::from_hms_opt(hour, minute, 0)?).ok()
        })
}

/// Where a reschedule moves a meeting: a day and a time, a time alone (with an end at most
/// twelve hours later, or a length), or a day alone.
fn new_time() -> impl Strategy<Value = NewTime> {
    let clock = (
        0u32..24,
        prop::sample::select(vec![0u32, 5, 15, 30, 45, 59]),
    )
        .prop_map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap());
    let end = prop_oneof![
        Just(None),
        (10i64..=720).prop_map(|m| Some((m, true))),
        (10i64..1439).prop_map(|m| Some((m, false))),
    ];
    prop_oneof![
        (start(), prop::option::of(10i64..1439)).prop_map(|(start, minutes)| NewTime::At {
            start,
            end: minutes.map(|m| start + Duration::minutes(m)),
        }),
        (clock, end, zone()).prop_map(|(start, end, zone)| NewTime::Time {
            start,
            end: end.map(|(m, wall)| {
                if wall {
                    NewEnd::At(start + Duration::minutes(m))
                } else {
                    NewEnd::After(Duration::minutes(m))
                }
            }),
            zone,
        }),
        (0i64..700, zone()).prop_map(|(days, zone)| NewTime::Day {
            date: now().with_timezone(&zone).date_naive() + Duration::days(days),
            zone,
        }),
    ]
}

fn pattern_for(start: DateTime<Tz>) -> impl Strategy<Value = Pattern> {
    use chrono::Datelike;
    let date = start.date_naive();
    let weekday = date.weekday();
    let nth = Nth::of_date(date);
    let last = schedule::Nth::Last.date_in(date.year(), date.month(), weekday) == Some(date);
    prop_oneof![
        Just(Pattern::Daily),
        any::<u8>().prop_map(move |bits| {
            let extra = (0..7u8)
                .filter(|i| bits & (1 << i) != 0)
                .map(|i| chrono::Weekday::try_from(i).unwrap())
                .fold(WeekdaySet::single(weekday), WeekdaySet::with);
            Pattern::Weekly(extra)
        }),
        Just(Pattern::Weekly(WeekdaySet::WORKWEEK)),
        Just(Pattern::MonthlyOnDay(date.day())),
        Just(match (nth, last) {
            (_, true) => Pattern::MonthlyOnWeekday {
                nth: Nth::Last,
                weekday
            },
            (Some(nth), _) => Pattern::MonthlyOnWeekday { nth, weekday },
            _ => Pattern::MonthlyOnDay(date.day()),
        }),
        Just(Pattern::Yearly {
            month: date.month(),
            day: date.day()
        }),
    ]
}

fn recurrence_for(start: DateTime<Tz>) -> impl Strategy<Value = Option<Recurrence>> {
    let zone = start.timezone();
    let first = start.date_naive();
    prop_oneof![
        Just(None),
        (pattern_for(start), 1u32..5, 0u8..3, 1u32..300, 0u64..700).prop_map(
            move |(pattern, interval, end, count, days)| {
                let end = match end {
                    0 => RecurrenceEnd::Never,
                    1 => RecurrenceEnd::Count(count.min(max_occurrences(pattern.frequency()))),
                    _ => {
                        let date: NaiveDate =
                            first.checked_add_days(chrono::Days::new(days)).unwrap();
                        RecurrenceEnd::Until {
                            date,
                            instant: until_end_of_day(date, zone),
                        }
                    }
                };
                Some(Recurrence {
                    pattern,
                    interval,
                    end,
                })
            }
        ),
    ]
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        "[a-z]{1,8}@[a-z]{1,8}\\.(com|org|io)".prop_map(Who::Email),
        "[A-Za-z0-9]{4,12}".prop_map(|person_id| Who::Mention { person_id }),
        Just(Who::Everyone),
    ]
}

fn meeting() -> impl Strategy<Value = MeetingRequest> {
    start()
        .prop_flat_map(|start| {
            (
                Just(start),
                10i64..=1439,
                recurrence_for(start),
                "[A-Za-z0-9][A-Za-z0-9 :&'-]{0,60}",
                prop::collection::vec((who(), any::<bool>()), 0..5),
                prop::option::of("[A-Za-z]{2,8}[0-9]{1,4}"),
                prop::option::of("[A-Za-z0-9][A-Za-z0-9 ,.!?'-]{0,80}"),
                prop::option::of(prop_oneof![
                    Just(ReminderLead::Off),
                    (1u32..=MAX_LEAD_MINUTES).prop_map(ReminderLead::Minutes),
                ]),
            )
        })
        .prop_filter_map(
            "within Webex's limits",
            |(start, minutes, recurrence, title, people, password, agenda, reminder)| {
                let mut invitees: Vec<Invitee> = Vec::new();
                for (who, cohost) in people {
                    add_invitee(&mut invitees, who, cohost);
                }
                let req = MeetingRequest {
                    title: title.trim().to_string(),
                    start,
                    end: start + Duration::minutes(minutes),
                    timezone: start.timezone(),
                    recurrence,
                    invitees,
                    password,
                    agenda: agenda.map(|a| a.trim().to_string()),
                    reminder,
                };
                (!req.title.is_empty() && schedule::validate(&req, now()).is_ok()).then_some(req)
            },
        )
}

fn command() -> impl Strategy<Value = Command> {
    let topics: Vec<String> = ["schedule", "list", "cancel", "tz", "help"]
        .iter()
        .map(|s| s.to_string())
        .chain(TOPICS.iter().map(|t| t.name.to_string()))
        .collect();
    prop_oneof![
        4 => meeting().prop_map(Command::Schedule),
        1 => Just(Command::Form),
        1 => prop::sample::select(vec![
            ListRange::Today,
            ListRange::Tomorrow,
            ListRange::ThisWeek,
            ListRange::NextWeek,
            ListRange::Next7Days,
        ])
        .prop_map(Command::List),
        1 => prop_oneof![
            (1u32..1000).prop_map(MeetingRef::ListIndex),
            "[1-9][0-9]{8,12}".prop_map(MeetingRef::MeetingNumber),
        ]
        .prop_map(Command::Cancel),
        2 => (1u32..100, new_time()).prop_map(|(n, to)| Command::Reschedule {
            reference: MeetingRef::ListIndex(n),
            to,
        }),
        1 => prop::option::of(zone()).prop_map(Command::Tz),
        1 => Just(Command::Connect),
        1 => Just(Command::Disconnect),
        1 => prop::option::of(any::<bool>().prop_map(SettingChange::Confirm)).prop_map(Command::Settings),
        1 => prop_oneof![
            Just(ReminderLead::Off),
            (1u32..=MAX_LEAD_MINUTES).prop_map(ReminderLead::Minutes),
        ]
        .prop_map(|lead| Command::Settings(Some(SettingChange::Reminders(lead)))),
        1 => prop::option::of(prop::sample::select(topics)).prop_map(Command::Help),
        1 => Just(Command::NotACommand),
    ]
}
