//! The words of the language: every keyword the grammar recognises, the command table, and the
//! words a misspelling may be corrected to. The grammar, the help text and the spelling
//! suggestions all read these tables, so they cannot disagree.

use crate::schedule::Nth;
use chrono::Weekday;
use std::sync::LazyLock;

/// A keyword, recognised case-insensitively by [`Kw::lookup`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kw {
    // Dates.
    Today,
    Tomorrow,
    Yesterday,
    Day,
    After,
    This,
    Next,
    Week,
    WeekdayName(Weekday),
    /// A weekday in the plural ("mondays"): a weekly repeat.
    WeekdayPlural(Weekday),
    Month(u32),
    // Times.
    Noon,
    Midnight,
    Now,
    At,
    Half,
    /// "quarter" in "quarter past 10", "quarter to 4".
    Quarter,
    /// "past", "after" in a clock phrase ("10 past 9").
    Past,
    /// A part of the day: it decides am/pm and must agree with the time.
    DayPart(DayPart),
    /// "tonight": today, in the evening.
    Tonight,
    /// "early", "late" before a part of the day.
    Early,
    Late,
    /// "around", "about", "approximately", "roughly", "circa": accepted and ignored.
    Approx,
    // Connectives.
    On,
    In,
    The,
    Of,
    And,
    A,
    For,
    From,
    /// "starting", "beginning": the first day of a series.
    Starting,
    To,
    Until,
    Between,
    As,
    Every,
    Each,
    Other,
    // Repeats.
    Daily,
    Weekly,
    Biweekly,
    Monthly,
    Yearly,
    /// "weekday": Monday to Friday.
    Workday,
    /// "weekdays".
    Workdays,
    Weekend,
    Weekends,
    Times,
    Twice,
    Occurrences,
    Nth(Nth),
    // Zones.
    Tz,
    Time,
    Zone,
    // People and options.
    With,
    Invite,
    Cohost,
    Everyone,
    Password,
    Agenda,
    /// "one" … "nineteen", "twenty" … "fifty" (compounds are read by the grammar).
    Number(u32),
}

/// A part of the day, as people write it beside a time ("tomorrow morning 9:30").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DayPart {
    Morning,
    Afternoon,
    Evening,
    Night,
}

/// Every keyword and its spellings (matched case-insensitively, hyphens as typed).
const KEYWORDS: &[(&[&str], Kw)] = {
    use Kw::*;
    use Weekday::*;
    &[
        (&["today"], Today),
        (&["tonight", "tonite"], Tonight),
        (&["tomorrow", "tmrw", "tmr"], Tomorrow),
        (&["yesterday"], Yesterday),
        (&["day"], Day),
        (&["after"], After),
        (&["this"], This),
        (&["next"], Next),
        (&["week"], Week),
        (&["monday", "mon"], WeekdayName(Mon)),
        (&["tuesday", "tue", "tues"], WeekdayName(Tue)),
        (&["wednesday", "wed", "weds"], WeekdayName(Wed)),
        (&["thursday", "thu", "thur", "thurs"], WeekdayName(Thu)),
        (&["friday", "fri"], WeekdayName(Fri)),
        (&["saturday", "sat"], WeekdayName(Sat)),
        (&["sunday", "sun"], WeekdayName(Sun)),
        (&["mondays"], WeekdayPlural(Mon)),
        (&["tuesdays"], WeekdayPlural(Tue)),
        (&["wednesdays"], WeekdayPlural(Wed)),
        (&["thursdays"], WeekdayPlural(Thu)),
        (&["fridays"], WeekdayPlural(Fri)),
        (&["saturdays"], WeekdayPlural(Sat)),
        (&["sundays"], WeekdayPlural(Sun)),
        (&["january", "jan"], Month(1)),
        (&["february", "feb"], Month(2)),
        (&["march", "mar"], Month(3)),
        (&["april", "apr"], Month(4)),
        (&["may"], Month(5)),
        (&["june", "jun"], Month(6)),
        (&["july", "jul"], Month(7)),
        (&["august", "aug"], Month(8)),
        (&["september", "sep", "sept"], Month(9)),
        (&["october", "oct"], Month(10)),
        (&["november", "nov"], Month(11)),
        (&["december", "dec"], Month(12)),
        (&["noon", "midday"], Noon),
        (&["midnight"], Midnight),
        (&["now"], Now),
        (&["at"], At),
        (&["half"], Half),
        (&["quarter"], Quarter),
        (&["past"], Past),
        (&["morning"], DayPart(self::DayPart::Morning)),
        (&["afternoon", "arvo"], DayPart(self::DayPart::Afternoon)),
        (&["evening"], DayPart(self::DayPart::Evening)),
        (&["night"], DayPart(self::DayPart::Night)),
        (&["early"], Early),
        (&["late"], Late),
        (
            &[
                "around",
                "about",
                "approximately",
                "approx",
                "roughly",
                "circa",
                "ish",
            ],
            Approx,
        ),
        (&["on"], On),
        (&["in"], In),
        (&["the"], The),
        (&["of"], Of),
        (&["and"], And),
        (&["a", "an"], A),
        (&["for"], For),
        (&["from"], From),
        (&["starting", "beginning"], Starting),
        (&["to"], To),
        (&["until", "till", "til", "through", "thru"], Until),
        (&["between"], Between),
        (&["as"], As),
        (&["every"], Every),
        (&["each"], Each),
        (&["other"], Other),
        (&["daily", "everyday"], Daily),
        (&["weekly"], Weekly),
        (&["biweekly", "bi-weekly", "fortnightly"], Biweekly),
        (&["monthly"], Monthly),
        (&["yearly", "annually"], Yearly),
        (&["weekday"], Workday),
        (&["weekdays"], Workdays),
        (&["weekend"], Weekend),
        (&["weekends"], Weekends),
        (&["times"], Times),
        (&["twice"], Twice),
        (
            &["occurrences", "occurrence", "meetings", "sessions"],
            Occurrences,
        ),
        (&["first"], Nth(crate::schedule::Nth::First)),
        (&["second"], Nth(crate::schedule::Nth::Second)),
        (&["third"], Nth(crate::schedule::Nth::Third)),
        (&["fourth"], Nth(crate::schedule::Nth::Fourth)),
        (&["last"], Nth(crate::schedule::Nth::Last)),
        (&["tz", "timezone"], Tz),
        (&["time"], Time),
        (&["zone"], Zone),
        (&["with"], With),
        (&["invite", "inviting"], Invite),
        (&["cohost", "co-host", "cohosts", "co-hosts"], Cohost),
        (&["everyone", "everybody"], Everyone),
        (&["password", "passcode", "pw", "pwd"], Password),
        (&["agenda"], Agenda),
        (&["one"], Number(1)),
        (&["two"], Number(2)),
        (&["three"], Number(3)),
        (&["four"], Number(4)),
        (&["five"], Number(5)),
        (&["six"], Number(6)),
        (&["seven"], Number(7)),
        (&["eight"], Number(8)),
        (&["nine"], Number(9)),
        (&["ten"], Number(10)),
        (&["eleven"], Number(11)),
        (&["twelve"], Number(12)),
        (&["thirteen"], Number(13)),
        (&["fourteen"], Number(14)),
        (&["fifteen"], Number(15)),
        (&["sixteen"], Number(16)),
        (&["seventeen"], Number(17)),
        (&["eighteen"], Number(18)),
        (&["nineteen"], Number(19)),
        (&["twenty"], Number(20)),
        (&["thirty"], Number(30)),
        (&["forty"], Number(40)),
        (&["fifty"], Number(50)),
    ]
};

/// A word of up to 16 ASCII letters, lower-cased and packed into an integer: a cheap key.
pub(crate) fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > 16 || !word.is_ascii() {
        return None;
    }
    let mut key = 0u128;
    for b in bytes {
        key = key << 8 | u128::from(b.to_ascii_lowercase());
    }
    // The length keeps "a" and "\0a" apart.
    Some(key ^ (bytes.len() as u128) << 120)
}

/// Words to values, looked up in one probe or two: an open-addressing table over packed
/// words, built once. (Looking words up is the grammar's most frequent operation.)
pub(crate) struct WordIndex<T> {
    slots: Box<[(u128, Option<T>)]>,
    mask: usize,
}

impl<T: Copy> WordIndex<T> {
    pub(crate) fn new<'w>(entries: impl Iterator<Item = (&'w str, T)>) -> Self {
        let entries: Vec<(u128, T)> = entries
            .map(|(w, v)| (pack(w).expect("table words are short ASCII"), v))
            .collect();
        let size = (entries.len() * 4).next_power_of_two();
        let mut slots = vec![(0u128, None); size].into_boxed_slice();
        let mask = size - 1;
        for (key, value) in entries {
            let mut i = Self::slot(key, mask);
            while slots[i].1.is_some() {
                i = (i + 1) & mask;
            }
            slots[i] = (key, Some(value));
        }
        Self { slots, mask }
    }

    fn slot(key: u128, mask: usize) -> usize {
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & mask
    }

    pub(crate) fn get(&self, word: &str) -> Option<T> {
        let key = pack(word)?;
        let mut i = Self::slot(key, self.mask);
        loop {
            match self.slots[i] {
                (k, Some(v)) if k == key => return Some(v),
                (_, None) => return None,
                _ => i = (i + 1) & self.mask,
            }
        }
    }
}

static KEYWORD_INDEX: LazyLock<WordIndex<Kw>> = LazyLock::new(|| {
    WordIndex::new(
        KEYWORDS
            .iter()
            .flat_map(|(words, kw)| words.iter().map(move |w| (*w, *kw))),
    )
});

impl Kw {
    /// The keyword `word` is, if any (ASCII case-insensitive; hyphens as typed).
    pub(crate) fn lookup(word: &str) -> Option<Kw> {
        KEYWORD_INDEX.get(word)
    }

    /// Every spelling of every keyword.
    #[cfg(test)]
    pub(crate) fn spellings() -> impl Iterator<Item = (&'static str, Kw)> {
        KEYWORDS
            .iter()
            .flat_map(|(words, kw)| words.iter().map(move |w| (*w, *kw)))
    }
}

/// A unit of time, as typed after a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Minute,
    Hour,
    Day,
    Week,
    /// Two weeks.
    Fortnight,
    Month,
    Year,
}

impl Unit {
    pub(crate) fn lookup(word: &str) -> Option<Unit> {
        static UNITS: LazyLock<WordIndex<Unit>> = LazyLock::new(|| {
            let table: &[(&[&str], Unit)] = &[
                (&["m", "min", "mins", "minute", "minutes"], Unit::Minute),
                (&["h", "hr", "hrs", "hour", "hours"], Unit::Hour),
                (&["day", "days"], Unit::Day),
                (&["week", "weeks", "wk", "wks"], Unit::Week),
                (&["fortnight", "fortnights"], Unit::Fortnight),
                (&["month", "months"], Unit::Month),
                (&["year", "years"], Unit::Year),
            ];
            WordIndex::new(
                table
                    .iter()
                    .flat_map(|(words, unit)| words.iter().map(move |w| (*w, *unit))),
            )
        });
        UNITS.get(word)
    }
}

/// The commands, in the order the help lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    Schedule,
    Form,
    List,
    Cancel,
    Reschedule,
    Tz,
    Connect,
    Disconnect,
    Settings,
    Help,
}

/// One row of the command table: the grammar matches `name` and `aliases`; the help prints
/// all of it; the tests parse every example.
pub(crate) struct CommandSpec {
    pub verb: Verb,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub usage: &'static str,
    pub summary: &'static str,
    pub examples: &'static [&'static str],
}

pub(crate) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        verb: Verb::Schedule,
        name: "schedule",
        aliases: &["book", "meet", "create", "new meeting"],
        usage: "schedule <what> <when> [repeat] [with <who>] [options]",
        summary: "create a meeting; the command word may be left out when the message has a date or time",
        examples: &[
            "schedule design review next tue 3-4pm every other week with ana@acme.com cohost bob@acme.com",
            "book standup tomorrow 9:30 for 15m",
            "1:1 with ana@acme.com friday 10am Europe/Lisbon",
        ],
    },
    CommandSpec {
        verb: Verb::Form,
        name: "form",
        aliases: &["new", "card"],
        usage: "form",
        summary: "post an empty \"Create a meeting\" card",
        examples: &["form"],
    },
    CommandSpec {
        verb: Verb::List,
        name: "list",
        aliases: &["upcoming", "meetings", "agenda"],
        usage: "list [today | tomorrow | this week | next week]",
        summary: "your upcoming meetings, numbered (default: the next 7 days)",
        examples: &["list", "list tomorrow", "upcoming next week"],
    },
    CommandSpec {
        verb: Verb::Cancel,
        name: "cancel",
        aliases: &["delete"],
        usage: "cancel <number from the list | meeting number>",
        summary: "cancel one of your meetings",
        examples: &["cancel 2", "delete 2551 234 5678"],
    },
    CommandSpec {
        verb: Verb::Reschedule,
        name: "reschedule",
        aliases: &["move"],
        usage: "reschedule <number | meeting number> to <when>",
        summary: "move one of your meetings; a time alone keeps its day, a day alone keeps its time",
        examples: &[
            "reschedule 2 to friday 10am",
            "move 1 to 3-4pm",
            "move 1 to friday",
        ],
    },
    CommandSpec {
        verb: Verb::Tz,
        name: "tz",
        aliases: &["timezone"],
        usage: "tz [<zone>]",
        summary: "show, or set, your default time zone",
        examples: &["tz", "tz Europe/Berlin", "timezone new york"],
    },
    CommandSpec {
        verb: Verb::Connect,
        name: "connect",
        aliases: &["login"],
        usage: "connect",
        summary: "link your Webex account",
        examples: &["connect"],
    },
    CommandSpec {
        verb: Verb::Disconnect,
        name: "disconnect",
        aliases: &["logout"],
        usage: "disconnect",
        summary: "unlink it and delete your stored tokens",
        examples: &["disconnect"],
    },
    CommandSpec {
        verb: Verb::Settings,
        name: "settings",
        aliases: &["status"],
        usage: "settings [confirm on | confirm off | reminders 10m | reminders off]",
        summary: "show or change your settings (confirm: preview each meeting before it is created or moved; reminders: how long before each meeting I remind you, 10 minutes unless you say)",
        examples: &["settings", "settings confirm off", "settings reminders 15m"],
    },
    CommandSpec {
        verb: Verb::Help,
        name: "help",
        aliases: &["?"],
        usage: "help [<command or topic>]",
        summary: "this text, or more about one command or topic",
        examples: &["help", "help schedule", "help zones"],
    },
];

impl Verb {
    pub(crate) fn spec(self) -> &'static CommandSpec {
        COMMANDS
            .iter()
            .find(|c| c.verb == self)
            .expect("every verb has a row in COMMANDS")
    }

    pub(crate) fn name(self) -> &'static str {
        self.spec().name
    }
}

/// The commands by name or alias (case-insensitive).
pub(crate) fn command_named(word: &str) -> Option<&'static CommandSpec> {
    static INDEX: LazyLock<WordIndex<usize>> = LazyLock::new(|| {
        WordIndex::new(COMMANDS.iter().enumerate().flat_map(|(i, c)| {
            std::iter::once(c.name)
                .chain(c.aliases.iter().copied())
                .map(move |w| (w, i))
        }))
    });
    INDEX.get(word).map(|i| &COMMANDS[i])
}

/// Zone abbreviations that name a place (the contract's table).
pub(crate) const ZONE_ABBREVIATIONS: &[(&str, chrono_tz::Tz)] = {
    use chrono_tz::{America, Asia, Australia, Europe, Pacific};
    &[
        ("ET", America::New_York),
        ("EST", America::New_York),
        ("EDT", America::New_York),
        ("CT", America::Chicago),
        ("CST", America::Chicago),
        ("CDT", America::Chicago),
        ("MT", America::Denver),
        ("MST", America::Denver),
        ("MDT", America::Denver),
        ("PT", America::Los_Angeles),
        ("PST", America::Los_Angeles),
        ("PDT", America::Los_Angeles),
        ("BST", Europe::London),
        ("CET", Europe::Berlin),
        ("CEST", Europe::Berlin),
        ("EET", Europe::Athens),
        ("EEST", Europe::Athens),
        ("WET", Europe::Lisbon),
        ("WEST", Europe::Lisbon),
        ("IST", Asia::Kolkata),
        ("JST", Asia::Tokyo),
        ("KST", Asia::Seoul),
        ("SGT", Asia::Singapore),
        ("HKT", Asia::Hong_Kong),
        ("AEST", Australia::Sydney),
        ("AEDT", Australia::Sydney),
        ("ACST", Australia::Adelaide),
        ("ACDT", Australia::Adelaide),
        ("AWST", Australia::Perth),
        ("NZST", Pacific::Auckland),
        ("NZDT", Pacific::Auckland),
        ("HST", Pacific::Honolulu),
        ("AKST", America::Anchorage),
        ("AKDT", America::Anchorage),
    ]
};

/// Words a misspelling may be corrected to: the date, weekday, month, time and repeat
/// keywords long enough that a near miss is more likely a typo than another word.
/// Keywords of four letters or fewer are left out (`noon` is one letter from `moon`, `soon`),
/// and so are a few whose neighbours are everyday words (`march`/`match`, `yearly`/`early`,
/// `every`/`very`).
pub(crate) const SUGGESTABLE: &[&str] = &[
    "today",
    "tomorrow",
    "yesterday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mondays",
    "tuesdays",
    "wednesdays",
    "thursdays",
    "fridays",
    "saturdays",
    "sundays",
    "january",
    "february",
    "april",
    "august",
    "september",
    "october",
    "november",
    "december",
    "midnight",
    "daily",
    "weekly",
    "biweekly",
    "fortnightly",
    "monthly",
    "annually",
    "weekday",
    "weekdays",
];

/// Everyday words within one or two edits of a suggestable keyword; never "corrected".
pub(crate) const NOT_TYPOS: &[&str] = &[
    "dairy",
    "daisy",
    "dally",
    "sundae",
    "sundry",
    "toady",
    "toddy",
    "aprils",
    "augusta",
    "fortnight",
];

/// Command names a misspelled first word may be corrected to (aliases are short or everyday
/// words, so only the canonical long names are suggested).
pub(crate) const SUGGESTABLE_COMMANDS: &[&str] = &[
    "schedule",
    "cancel",
    "reschedule",
    "timezone",
    "connect",
    "disconnect",
    "settings",
    "upcoming",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_case_insensitive_and_long_words_are_not_keywords() {
        assert_eq!(Kw::lookup("TOMORROW"), Some(Kw::Tomorrow));
        assert_eq!(Kw::lookup("Tues"), Some(Kw::WeekdayName(Weekday::Tue)));
        assert_eq!(Kw::lookup("supercalifragilistic"), None);
        assert_eq!(Kw::lookup("dé"), None);
    }

    #[test]
    fn no_spelling_names_two_keywords() {
        let mut seen = std::collections::HashMap::new();
        for (word, kw) in Kw::spellings() {
            if let Some(other) = seen.insert(word, kw) {
                panic!("{word} is both {other:?} and {kw:?}");
            }
            assert_eq!(Kw::lookup(word), Some(kw), "{word}");
            assert_eq!(Kw::lookup(&word.to_ascii_uppercase()), Some(kw), "{word}");
        }
    }

    #[test]
    fn every_suggestable_word_is_a_keyword() {
        for word in SUGGESTABLE {
            assert!(Kw::lookup(word).is_some(), "{word}");
        }
        for word in SUGGESTABLE_COMMANDS {
            assert!(command_named(word).is_some(), "{word}");
        }
    }
}
