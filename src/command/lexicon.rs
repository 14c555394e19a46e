//! The words of the language: every keyword the grammar recognises, the command table, and the
//! words a misspelling may be corrected to. The grammar, the help text and the spelling
//! suggestions all read these tables, so they cannot disagree.

use crate::schedule::Nth;
use chrono::Weekday;

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
    /// "one" … "twelve".
    Number(u32),
}

impl Kw {
    /// The keyword `word` is, if any (ASCII case-insensitive; hyphens as typed).
    pub(crate) fn lookup(word: &str) -> Option<Kw> {
        let mut buf = [0u8; 16];
        let lower = lowercase_into(word, &mut buf)?;
        use Kw::*;
        use Weekday::*;
        Some(match lower {
            "today" => Today,
            "tomorrow" | "tmrw" | "tmr" => Tomorrow,
            "yesterday" => Yesterday,
            "day" => Day,
            "after" => After,
            "this" => This,
            "next" => Next,
            "week" => Week,
            "monday" | "mon" => WeekdayName(Mon),
            "tuesday" | "tue" | "tues" => WeekdayName(Tue),
            "wednesday" | "wed" | "weds" => WeekdayName(Wed),
            "thursday" | "thu" | "thur" | "thurs" => WeekdayName(Thu),
            "friday" | "fri" => WeekdayName(Fri),
            "saturday" | "sat" => WeekdayName(Sat),
            "sunday" | "sun" => WeekdayName(Sun),
            "mondays" => WeekdayPlural(Mon),
            "tuesdays" => WeekdayPlural(Tue),
            "wednesdays" => WeekdayPlural(Wed),
            "thursdays" => WeekdayPlural(Thu),
            "fridays" => WeekdayPlural(Fri),
            "saturdays" => WeekdayPlural(Sat),
            "sundays" => WeekdayPlural(Sun),
            "january" | "jan" => Month(1),
            "february" | "feb" => Month(2),
            "march" | "mar" => Month(3),
            "april" | "apr" => Month(4),
            "may" => Month(5),
            "june" | "jun" => Month(6),
            "july" | "jul" => Month(7),
            "august" | "aug" => Month(8),
            "september" | "sep" | "sept" => Month(9),
            "october" | "oct" => Month(10),
            "november" | "nov" => Month(11),
            "december" | "dec" => Month(12),
            "noon" | "midday" => Noon,
            "midnight" => Midnight,
            "now" => Now,
            "at" => At,
            "half" => Half,
            "on" => On,
            "in" => In,
            "the" => The,
            "of" => Of,
            "and" => And,
            "a" | "an" => A,
            "for" => For,
            "from" => From,
            "starting" | "beginning" => Starting,
            "to" => To,
            "until" | "till" | "til" | "through" | "thru" => Until,
            "between" => Between,
            "as" => As,
            "every" => Every,
            "each" => Each,
            "other" => Other,
            "daily" => Daily,
            "weekly" => Weekly,
            "biweekly" | "bi-weekly" | "fortnightly" => Biweekly,
            "monthly" => Monthly,
            "yearly" | "annually" => Yearly,
            "weekday" => Workday,
            "weekdays" => Workdays,
            "weekend" => Weekend,
            "weekends" => Weekends,
            "times" => Times,
            "twice" => Twice,
            "occurrences" | "occurrence" | "meetings" | "sessions" => Occurrences,
            "first" => Nth(crate::schedule::Nth::First),
            "second" => Nth(crate::schedule::Nth::Second),
            "third" => Nth(crate::schedule::Nth::Third),
            "fourth" => Nth(crate::schedule::Nth::Fourth),
            "last" => Nth(crate::schedule::Nth::Last),
            "tz" | "timezone" => Tz,
            "time" => Time,
            "zone" => Zone,
            "with" => With,
            "invite" | "inviting" => Invite,
            "cohost" | "co-host" | "cohosts" | "co-hosts" => Cohost,
            "everyone" | "everybody" => Everyone,
            "password" | "passcode" | "pw" | "pwd" => Password,
            "agenda" => Agenda,
            "one" => Number(1),
            "two" => Number(2),
            "three" => Number(3),
            "four" => Number(4),
            "five" => Number(5),
            "six" => Number(6),
            "seven" => Number(7),
            "eight" => Number(8),
            "nine" => Number(9),
            "ten" => Number(10),
            "eleven" => Number(11),
            "twelve" => Number(12),
            _ => return None,
        })
    }
}

/// A unit of time, as typed after a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl Unit {
    pub(crate) fn lookup(word: &str) -> Option<Unit> {
        let mut buf = [0u8; 16];
        Some(match lowercase_into(word, &mut buf)? {
            "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minute,
            "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hour,
            "day" | "days" => Unit::Day,
            "week" | "weeks" | "wk" | "wks" => Unit::Week,
            "month" | "months" => Unit::Month,
            "year" | "years" => Unit::Year,
            _ => return None,
        })
    }
}

/// Lowercases an ASCII word into `buf`; `None` for longer or non-ASCII words (never keywords).
pub(crate) fn lowercase_into<'b>(word: &str, buf: &'b mut [u8; 16]) -> Option<&'b str> {
    let bytes = word.as_bytes();
    if bytes.len() > buf.len() || !word.is_ascii() {
        return None;
    }
    for (dst, src) in buf.iter_mut().zip(bytes) {
        *dst = src.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..bytes.len()]).ok()
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
        summary: "change the time of one of your meetings",
        examples: &["reschedule 2 to friday 10am", "move 1 to tomorrow 3-4pm"],
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
        aliases: &[],
        usage: "settings [confirm on | confirm off]",
        summary: "show or change your settings (confirm: preview each meeting before it is created)",
        examples: &["settings", "settings confirm off"],
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

/// The commands by name or alias (case-insensitive): the canonical name.
pub(crate) fn command_named(word: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| {
        c.name.eq_ignore_ascii_case(word) || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(word))
    })
}

/// Zone abbreviations that name a place (the contract's table).
pub(crate) const ZONE_ABBREVIATIONS: &[(&str, chrono_tz::Tz)] = {
    use chrono_tz::{America, Asia, Australia, Europe};
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
    "dairy", "daisy", "dally", "sundae", "sundry", "toady", "toddy", "aprils", "augusta", "fortnight",
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
    fn every_suggestable_word_is_a_keyword() {
        for word in SUGGESTABLE {
            assert!(Kw::lookup(word).is_some(), "{word}");
        }
        for word in SUGGESTABLE_COMMANDS {
            assert!(command_named(word).is_some(), "{word}");
        }
    }
}
