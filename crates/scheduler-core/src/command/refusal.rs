//! Why a command is refused, in words a person can act on, with where it went wrong.

use crate::schedule::{Nth, ScheduleError};
use chrono::{Datelike, NaiveDate, Weekday};

/// A refusal: a chat-safe sentence and the byte offset in the parsed text it is about.
///
/// The message quotes words the person typed (at most 40 characters each); render it escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub offset: Option<usize>,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Refusal {}

/// What was wrong. Each variant renders to one message in [`Problem::message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    Misspelled {
        word: String,
        suggestion: &'static str,
    },
    Twice {
        what: &'static str,
        first: String,
        second: String,
    },
    NeedTime {
        typed: String,
    },
    NeedWhen,
    UnknownZone {
        typed: String,
        suggestion: Option<String>,
    },
    FractionalOffset {
        typed: String,
    },
    OffsetOutOfRange {
        typed: String,
    },
    BadTime {
        typed: String,
    },
    BadDate {
        typed: String,
    },
    SlashDate {
        typed: String,
    },
    /// A slashed date with two readings, where the person's region writes both ways.
    SlashDateBoth {
        typed: String,
        day_first: NaiveDate,
        month_first: NaiveDate,
    },
    BadRepeat {
        typed: String,
    },
    AmbiguousNth {
        typed: String,
        nth: Nth,
        weekday: Weekday,
    },
    MonthlyTwoDays,
    RepeatEndWithoutRepeat {
        typed: String,
    },
    SpanWithoutRepeat {
        typed: String,
    },
    WeekdayMismatch {
        weekday: Weekday,
        date: NaiveDate,
        typed: String,
    },
    RelativeWithDate {
        typed: String,
    },
    NoPassword,
    /// `remind …` without a lead time from 1 minute to 24 hours and "before".
    BadReminder,
    NoAgenda,
    NoCohost,
    UnclosedQuote,
    Schedule(ScheduleError),
    UnknownListRange {
        typed: String,
    },
    BadReference {
        typed: String,
    },
    MissingReference {
        verb: &'static str,
    },
    ExtraWords {
        verb: &'static str,
        typed: String,
    },
    UnknownSetting {
        typed: String,
    },
    RescheduleNeedsTime,
    /// A reschedule to a day before today (its time is the meeting's, so no instant to show).
    DayInPast {
        date: NaiveDate,
    },
    RescheduleOnlyTime {
        typed: String,
    },
    NotATime {
        typed: String,
    },
    NotAnAddress {
        typed: String,
    },
    /// A part of the day that does not fit the time ("tomorrow morning 3pm").
    DayPartMismatch {
        typed: String,
        part: &'static str,
        time: String,
    },
    /// A word that says something about time which this message does not make sense of: it
    /// would otherwise have been left in the title while the meeting is booked another way.
    UnreadTimeWord {
        typed: String,
        kind: &'static str,
    },
}

/// At most 40 characters of what was typed, for quoting.
pub(crate) fn quote(typed: &str) -> String {
    let typed = typed.trim();
    match typed.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &typed[..cut]),
        None => typed.to_string(),
    }
}

/// Which word (1-based, split at white space) contains the byte at `offset`.
pub(crate) fn word_number(text: &str, offset: usize) -> usize {
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

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

impl Problem {
    /// The refusal for this problem at `offset` in `text`.
    pub(crate) fn refusal(&self, text: &str, offset: Option<usize>) -> Refusal {
        let at = offset
            .map(|o| format!(" (at word {})", word_number(text, o)))
            .unwrap_or_default();
        Refusal {
            message: self.message(&at),
            offset,
        }
    }

    fn message(&self, at: &str) -> String {
        use Problem::*;
        match self {
            Misspelled { word, suggestion } => {
                format!(
                    "I couldn't read \"{}\"{at}. Did you mean \"{suggestion}\"?",
                    quote(word)
                )
            }
            Twice {
                what,
                first,
                second,
            } => format!(
                "I found two {what}: \"{}\" and \"{}\"{at}. Keep one, or put the title in double quotes.",
                quote(first),
                quote(second)
            ),
            NeedTime { typed } => format!(
                "I need a time: \"{}\"{at} says which day, not when. Add one, like \"{} at 3pm\".",
                quote(typed),
                quote(typed)
            ),
            NeedWhen => "When should it be? Add a day and a time, like \"tomorrow 3pm\", \
                         \"friday 10-11am\" or \"in 30 minutes\"."
                .into(),
            UnknownZone { typed, suggestion } => match suggestion {
                Some(s) => format!(
                    "I don't know the time zone \"{}\"{at}. Did you mean \"{s}\"?",
                    quote(typed)
                ),
                None => format!(
                    "I don't know the time zone \"{}\"{at}. Try an IANA name like \"Europe/Berlin\", \
                     a city like \"New York\" or an abbreviation like \"PST\".",
                    quote(typed)
                ),
            },
            FractionalOffset { typed } => format!(
                "Webex needs a named time zone, and \"{}\"{at} is an offset that no zone name covers. \
                 Use the place instead, like \"Asia/Kolkata\".",
                quote(typed)
            ),
            OffsetOutOfRange { typed } => format!(
                "No place uses the offset \"{}\"{at}; offsets go from UTC-12 to UTC+14.",
                quote(typed)
            ),
            BadTime { typed } => format!(
                "\"{}\"{at} isn't a time of day. Try \"3pm\", \"15:00\" or \"noon\".",
                quote(typed)
            ),
            BadDate { typed } => format!("\"{}\"{at} isn't a date on the calendar.", quote(typed)),
            SlashDate { typed } => format!(
                "I can't tell whether \"{}\"{at} is day/month or month/day. Write the month as a word, \
                 like \"4 March\" or \"March 4\", or write 2027-03-04.",
                quote(typed)
            ),
            SlashDateBoth {
                typed,
                day_first,
                month_first,
            } => format!(
                "\"{}\"{at} can be {} (day first) or {} (month first). Write the month as a word, \
                 like \"{}\", or write {}.",
                quote(typed),
                day_first.format("%-d %B"),
                month_first.format("%B %-d"),
                day_first.format("%-d %B").to_string().to_lowercase(),
                day_first.format("%Y-%m-%d"),
            ),
            BadRepeat { typed } => format!(
                "I couldn't read the repeat \"{}\"{at}. Try \"every monday\", \"every other week\", \
                 \"monthly on the 15th\" or \"the first monday of every month\".",
                quote(typed)
            ),
            AmbiguousNth {
                typed,
                nth,
                weekday,
            } => {
                let weeks = match nth {
                    Nth::Second => "other week",
                    Nth::Third => "3 weeks",
                    _ => "4 weeks",
                };
                let day = weekday_name(*weekday).to_ascii_lowercase();
                format!(
                    "\"{}\"{at} can be read two ways. Type \"every {weeks} on {day}\" or \
                     \"the {} {day} of every month\".",
                    quote(typed),
                    nth.word()
                )
            }
            MonthlyTwoDays => format!(
                "Webex repeats a monthly series on one day only{at}. Make a series for each day."
            ),
            RepeatEndWithoutRepeat { typed } => format!(
                "\"{}\"{at} ends a repeating meeting, but nothing says how it repeats. \
                 Add it, like \"weekly {}\".",
                quote(typed),
                quote(typed)
            ),
            SpanWithoutRepeat { typed } => format!(
                "A meeting lasts at most 23 hours 59 minutes, so \"{}\"{at} must be about repeating it. \
                 Say how, like \"daily {}\".",
                quote(typed),
                quote(typed)
            ),
            WeekdayMismatch {
                weekday,
                date,
                typed,
            } => format!(
                "\"{}\"{at}: {} is a {}, not a {}.",
                quote(typed),
                date.format("%-d %B %Y"),
                weekday_name(date.weekday()),
                weekday_name(*weekday)
            ),
            RelativeWithDate { typed } => format!(
                "\"{}\"{at} already says when it starts, so it can't go with a date.",
                quote(typed)
            ),
            BadReminder => format!(
                "How long before should I remind you{at}? From 1m to 24h, like \"remind 15m before\", or say \"no reminder\"."
            ),
            NoPassword => format!(
                "What password? Put it right after \"password\"{at}, like \"password Blue42sky\"."
            ),
            NoAgenda => format!(
                "The agenda{at} is empty. Write it after \"agenda:\", to the end of the message."
            ),
            NoCohost => format!(
                "Who should co-host? Put an e-mail address or an @mention after \"cohost\"{at}."
            ),
            UnclosedQuote => format!("The quote that starts{at} is never closed."),
            Schedule(e) => with_position(&e.to_string(), at),
            UnknownListRange { typed } => format!(
                "I can list today, tomorrow, this week or next week, but not \"{}\"{at}.",
                quote(typed)
            ),
            BadReference { typed } => format!(
                "\"{}\"{at} isn't a number from your list or a Webex meeting number. \
                 Type \"list\" to see your meetings and their numbers.",
                quote(typed)
            ),
            MissingReference { verb } => {
                format!("Which meeting? Give its number from \"list\", like \"{verb} 2\".")
            }
            ExtraWords { verb, typed } => format!(
                "\"{verb}\" takes nothing after it, but I found \"{}\"{at}.",
                quote(typed)
            ),
            UnknownSetting { typed } => format!(
                "I know \"settings confirm on\", \"settings confirm off\", \"settings reminders 10m\" (1m to 24h) and \"settings reminders off\", but not \"{}\"{at}.",
                quote(typed)
            ),
            RescheduleNeedsTime => {
                "To when? Say it after the meeting's number, like \"reschedule 2 to friday 10am\"."
                    .into()
            }
            DayInPast { date } => format!(
                "{}{at} is already in the past.",
                date.format("%A %-d %B %Y")
            ),
            RescheduleOnlyTime { typed } => format!(
                "Rescheduling changes only the time, so \"{}\"{at} doesn't belong there. \
                 Cancel the meeting and schedule it again to change more.",
                quote(typed)
            ),
            NotATime { typed } => format!(
                "I couldn't read \"{}\"{at} as part of a time. Try \"reschedule 2 to friday 10am\".",
                quote(typed)
            ),
            NotAnAddress { typed } => format!(
                "\"{}\"{at} isn't a complete e-mail address. Write it in full, like \"bob@acme.com\".",
                quote(typed)
            ),
            DayPartMismatch { typed, part, time } => format!(
                "\"{}\"{at} says the {part}, but the time I read is {time}. Write the time with \
                 am or pm, or put the title in double quotes.",
                quote(typed)
            ),
            UnreadTimeWord { typed, kind } => format!(
                "I couldn't tell what \"{}\"{at} means here: it looks like {kind}, but I can't \
                 use it with the rest. Say the time another way, or put the title in double quotes.",
                quote(typed)
            ),
        }
    }
}

/// Puts " (at word N)" at the end of a message's first sentence.
fn with_position(message: &str, at: &str) -> String {
    if at.is_empty() {
        return message.to_string();
    }
    let bytes = message.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b';' | b':') && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            // Not inside a time like "23 hours 59 minutes." — sentence ends are what we want.
            return format!("{}{at}{}", &message[..i], &message[i..]);
        }
    }
    format!("{message}{at}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contracts_example_message() {
        let p = Problem::Misspelled {
            word: "tomorow".into(),
            suggestion: "tomorrow",
        };
        let text = "sync with ana tomorow 3pm";
        assert_eq!(
            p.refusal(text, Some(14)).message,
            "I couldn't read \"tomorow\" (at word 4). Did you mean \"tomorrow\"?"
        );
    }

    #[test]
    fn word_numbers() {
        assert_eq!(word_number("a  bb c", 0), 1);
        assert_eq!(word_number("a  bb c", 3), 2);
        assert_eq!(word_number("a  bb c", 6), 3);
        assert_eq!(word_number("  é x", 5), 2);
    }

    #[test]
    fn long_words_are_cut_when_quoted() {
        let long = "x".repeat(100);
        assert_eq!(quote(&long).chars().count(), 41);
    }
}
