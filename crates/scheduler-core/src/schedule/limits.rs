//! Webex's rules for a meeting (docs/webex.md §Meetings), checked on plain values so that the
//! command parser and the card form refuse the same things with the same words.

use super::recurrence::{Frequency, Pattern, Recurrence, RecurrenceEnd, month_name, weekday_name};
use super::{Invitee, MeetingRequest};
use chrono::{DateTime, Duration, Months, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

/// A meeting lasts at least this long.
pub const MIN_DURATION_MINUTES: i64 = 10;
/// …and at most 23 h 59 min (the API reference; the overview's "24 hours" is not accepted).
pub const MAX_DURATION_MINUTES: i64 = 23 * 60 + 59;
pub const MAX_TITLE_CHARS: usize = 128;
pub const MAX_AGENDA_CHARS: usize = 1300;
pub const MAX_INVITEES: usize = 1000;
/// Webex refuses a meeting that starts this many years ahead, or more.
pub const YEARS_AHEAD: u32 = 10;
/// Our own bound on "every N weeks": Webex documents none; 99 is what calendar pickers offer.
pub const MAX_INTERVAL: u32 = 99;
/// The common site policy in words: the check before calling Webex and the reply after a
/// Webex refusal both say it, so the person reads one rule.
pub const PASSWORD_RULE: &str =
    "a meeting password has 4 to 32 characters, no spaces, and at least one letter and one digit";
/// Password length the common site policy accepts (the site decides in the end).
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 4..=32;

/// The most occurrences Webex accepts in a series with an end.
pub fn max_occurrences(frequency: Frequency) -> u32 {
    match frequency {
        Frequency::Daily => 1826,
        Frequency::Weekly => 261,
        Frequency::Monthly => 60,
        Frequency::Yearly => 5,
    }
}

/// The furthest a series may end: five years from now (as Webex and our emulator count it).
pub fn series_horizon(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::days(5 * 365 + 1)
}

/// Which part of a request a problem is about (so a parser can point at what was typed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Start,
    End,
    Title,
    Recurrence,
    Password,
    Agenda,
    Invitees,
}

/// Why a meeting cannot be scheduled. `Display` is a complete, chat-safe sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("{} is already in the past.", when(.start))]
    StartInPast { start: DateTime<Tz> },
    #[error("Webex can't schedule a meeting {YEARS_AHEAD} years or more ahead.")]
    TooFarAhead,
    #[error("The meeting must end after it starts.")]
    EndNotAfterStart,
    #[error(
        "A Webex meeting lasts at least {MIN_DURATION_MINUTES} minutes; this one would last {minutes}."
    )]
    TooShort { minutes: i64 },
    #[error("A Webex meeting lasts at most 23 hours 59 minutes; this one would last {}.", hours_minutes(*.minutes))]
    TooLong { minutes: i64 },
    #[error(
        "{} doesn't exist in {zone}: the clocks jump from {} to {} that night. Pick a time outside that gap.",
        wall.format("%H:%M on %A %-d %B %Y"), gap_start.format("%H:%M"), gap_end.format("%H:%M")
    )]
    NonexistentTime {
        wall: NaiveDateTime,
        zone: Tz,
        gap_start: NaiveTime,
        gap_end: NaiveTime,
    },
    #[error("The title is {chars} characters long; Webex allows at most {MAX_TITLE_CHARS}.")]
    TitleTooLong { chars: usize },
    #[error("The agenda is {chars} characters long; Webex allows at most {MAX_AGENDA_CHARS}.")]
    AgendaTooLong { chars: usize },
    #[error("That password won't do: {PASSWORD_RULE}.")]
    PasswordInvalid,
    #[error("A meeting can have at most {MAX_INVITEES} invitees; this one has {count}.")]
    TooManyInvitees { count: usize },
    #[error(
        "Webex allows at most {limit} {} occurrences in a series with an end; this one has {}.",
        .frequency.adjective(), if *.count > *.limit { "more".to_string() } else { .count.to_string() }
    )]
    TooManyOccurrences {
        frequency: Frequency,
        count: u32,
        limit: u32,
    },
    #[error("A series can end at most 5 years from now; {} is further.", .until.format("%-d %B %Y"))]
    SeriesEndTooFar { until: chrono::NaiveDate },
    #[error("The series would end on {}, before its first meeting.", .until.format("%-d %B %Y"))]
    UntilBeforeStart { until: chrono::NaiveDate },
    #[error("A series needs at least one meeting.")]
    NoOccurrences,
    #[error("A series repeats every 1 to {MAX_INTERVAL} days, weeks, months or years.")]
    IntervalTooLarge,
    #[error(
        "Webex repeats a monthly or yearly series on one day only; make a series for each day."
    )]
    MonthlyOnOneDayOnly,
    #[error("The first meeting, {}, isn't one of the series' days ({}). Pick a date that is, or leave the date out.",
        .date.format("%A %-d %B %Y"), .rule)]
    FirstOccurrenceMismatch {
        date: chrono::NaiveDate,
        rule: String,
    },
    #[error("A series that repeats in {} never meets: {}.", .zone, .why)]
    NeverRecurs { zone: Tz, why: String },
}

impl ScheduleError {
    /// The part of the request the problem is about.
    pub fn field(&self) -> Field {
        use ScheduleError::*;
        match self {
            StartInPast { .. } | TooFarAhead | NonexistentTime { .. } => Field::Start,
            EndNotAfterStart | TooShort { .. } | TooLong { .. } => Field::End,
            TitleTooLong { .. } => Field::Title,
            AgendaTooLong { .. } => Field::Agenda,
            PasswordInvalid => Field::Password,
            TooManyInvitees { .. } => Field::Invitees,
            TooManyOccurrences { .. }
            | SeriesEndTooFar { .. }
            | UntilBeforeStart { .. }
            | IntervalTooLarge
            | NoOccurrences
            | MonthlyOnOneDayOnly
            | FirstOccurrenceMismatch { .. }
            | NeverRecurs { .. } => Field::Recurrence,
        }
    }
}

fn when(start: &DateTime<Tz>) -> String {
    format!("{}", start.format("%A %-d %B %Y at %H:%M %Z"))
}

fn hours_minutes(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("{h} hours"),
        (h, m) => format!("{h} hours {m} minutes"),
    }
}

/// Every check, in the order a person fixes things: when, how long, how often, then the rest.
pub fn validate(req: &MeetingRequest, now: DateTime<Utc>) -> Result<(), ScheduleError> {
    check_start(&req.start, now)?;
    check_times(&req.start, &req.end)?;
    if let Some(recurrence) = &req.recurrence {
        check_recurrence(recurrence, &req.start, now)?;
    }
    check_title(&req.title)?;
    if let Some(password) = &req.password {
        check_password(password)?;
    }
    if let Some(agenda) = &req.agenda {
        check_agenda(agenda)?;
    }
    check_invitees(&req.invitees)
}

/// Not in the past (to the minute: Webex moves a start in the current minute to the next one),
/// and less than ten years ahead.
pub fn check_start(start: &DateTime<Tz>, now: DateTime<Utc>) -> Result<(), ScheduleError> {
    if start.with_timezone(&Utc) < super::floor_to_minute(now) {
        return Err(ScheduleError::StartInPast { start: *start });
    }
    // Ten calendar years are at least 3652 days; only starts that far ahead need the exact date.
    let start = start.with_timezone(&Utc);
    if start - now >= Duration::days(3652) {
        let limit = now
            .checked_add_months(Months::new(12 * YEARS_AHEAD))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        if start >= limit {
            return Err(ScheduleError::TooFarAhead);
        }
    }
    Ok(())
}

/// The end after the start, 10 minutes to 23 h 59 min later.
pub fn check_times(start: &DateTime<Tz>, end: &DateTime<Tz>) -> Result<(), ScheduleError> {
    let minutes = (*end - *start).num_minutes();
    if end <= start {
        Err(ScheduleError::EndNotAfterStart)
    } else if minutes < MIN_DURATION_MINUTES {
        Err(ScheduleError::TooShort { minutes })
    } else if minutes > MAX_DURATION_MINUTES {
        Err(ScheduleError::TooLong { minutes })
    } else {
        Ok(())
    }
}

pub fn check_title(title: &str) -> Result<(), ScheduleError> {
    let chars = title.chars().count();
    if chars > MAX_TITLE_CHARS {
        return Err(ScheduleError::TitleTooLong { chars });
    }
    Ok(())
}

pub fn check_agenda(agenda: &str) -> Result<(), ScheduleError> {
    let chars = agenda.chars().count();
    if chars > MAX_AGENDA_CHARS {
        return Err(ScheduleError::AgendaTooLong { chars });
    }
    Ok(())
}

/// The common site policy (the site may ask for more; Webex then says so).
pub fn check_password(password: &str) -> Result<(), ScheduleError> {
    let ok = PASSWORD_CHARS.contains(&password.chars().count())
        && !password.chars().any(char::is_whitespace)
        && password.chars().any(|c| c.is_alphabetic())
        && password.chars().any(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(ScheduleError::PasswordInvalid)
    }
}

pub fn check_invitees(invitees: &[Invitee]) -> Result<(), ScheduleError> {
    if invitees.len() > MAX_INVITEES {
        return Err(ScheduleError::TooManyInvitees {
            count: invitees.len(),
        });
    }
    Ok(())
}

/// The series starts on one of its own days, and stays within Webex's limits: at most
/// [`max_occurrences`] with an end, an `UNTIL` at most five years ahead and not before the
/// first meeting.
pub fn check_recurrence(
    recurrence: &Recurrence,
    start: &DateTime<Tz>,
    now: DateTime<Utc>,
) -> Result<(), ScheduleError> {
    if recurrence.interval == 0 || recurrence.interval > MAX_INTERVAL {
        return Err(ScheduleError::IntervalTooLarge);
    }
    let first = start.date_naive();
    if !recurrence.pattern.matches(first) {
        return Err(ScheduleError::FirstOccurrenceMismatch {
            date: first,
            rule: pattern_words(&recurrence.pattern),
        });
    }
    let limit = max_occurrences(recurrence.frequency());
    match recurrence.end {
        RecurrenceEnd::Never => Ok(()),
        RecurrenceEnd::Count(0) => Err(ScheduleError::NoOccurrences),
        RecurrenceEnd::Count(count) => {
            if count > limit {
                return Err(ScheduleError::TooManyOccurrences {
                    frequency: recurrence.frequency(),
                    count,
                    limit,
                });
            }
            Ok(())
        }
        RecurrenceEnd::Until { date, instant } => {
            if instant < start.with_timezone(&Utc) {
                return Err(ScheduleError::UntilBeforeStart { until: date });
            }
            if instant > series_horizon(now) {
                return Err(ScheduleError::SeriesEndTooFar { until: date });
            }
            let count = recurrence.count_through(first, date, limit);
            if count > limit {
                return Err(ScheduleError::TooManyOccurrences {
                    frequency: recurrence.frequency(),
                    count,
                    limit,
                });
            }
            Ok(())
        }
    }
}

/// The days a pattern meets on, for messages: "Mondays and Wednesdays", "the 15th of the month".
pub fn pattern_words(pattern: &Pattern) -> String {
    match *pattern {
        Pattern::Daily => "every day".into(),
        Pattern::Weekly(days) => {
            let names: Vec<String> = days
                .iter()
                .map(|d| format!("{}s", weekday_name(d)))
                .collect();
            match names.split_last() {
                None => String::new(),
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {}", rest.join(", "), last),
            }
        }
        Pattern::MonthlyOnDay(day) => {
            format!("the {} of the month", super::recurrence::ordinal(day))
        }
        Pattern::MonthlyOnWeekday { nth, weekday } => {
            format!("the {} {} of the month", nth.word(), weekday_name(weekday))
        }
        Pattern::Yearly { month, day } => format!("{} {} every year", day, month_name(month)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{Nth, WeekdaySet};
    use chrono::{NaiveDate, TimeZone, Weekday};
    use chrono_tz::Europe::Berlin;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 30).unwrap()
    }

    #[test]
    fn durations_between_ten_minutes_and_a_minute_short_of_a_day() {
        let start = Berlin.with_ymd_and_hms(2027, 3, 2, 9, 0, 0).unwrap();
        assert!(check_times(&start, &(start + Duration::minutes(10))).is_ok());
        assert!(check_times(&start, &(start + Duration::minutes(9))).is_err());
        assert!(check_times(&start, &(start + Duration::minutes(23 * 60 + 59))).is_ok());
        assert!(check_times(&start, &(start + Duration::hours(24))).is_err());
        assert_eq!(
            check_times(&start, &start),
            Err(ScheduleError::EndNotAfterStart)
        );
    }

    #[test]
    fn the_current_minute_is_not_the_past() {
        let this_minute = Berlin.with_ymd_and_hms(2027, 3, 1, 10, 0, 0).unwrap();
        assert!(check_start(&this_minute, now()).is_ok());
        let before = this_minute - Duration::minutes(1);
        assert!(matches!(
            check_start(&before, now()),
            Err(ScheduleError::StartInPast { .. })
        ));
        let far = Berlin.with_ymd_and_hms(2037, 3, 1, 12, 0, 0).unwrap();
        assert_eq!(check_start(&far, now()), Err(ScheduleError::TooFarAhead));
    }

    #[test]
    fn series_limits() {
        let start = Berlin.with_ymd_and_hms(2027, 3, 1, 12, 0, 0).unwrap();
        let weekly = |end| Recurrence {
            pattern: Pattern::Weekly(WeekdaySet::single(Weekday::Mon)),
            interval: 1,
            end,
        };
        assert!(check_recurrence(&weekly(RecurrenceEnd::Count(261)), &start, now()).is_ok());
        assert!(check_recurrence(&weekly(RecurrenceEnd::Count(262)), &start, now()).is_err());
        let until = NaiveDate::from_ymd_opt(2032, 2, 23).unwrap();
        let end = RecurrenceEnd::Until {
            date: until,
            instant: crate::schedule::until_end_of_day(until, Berlin),
        };
        assert!(check_recurrence(&weekly(end), &start, now()).is_ok());
        let until = NaiveDate::from_ymd_opt(2032, 3, 3).unwrap();
        let end = RecurrenceEnd::Until {
            date: until,
            instant: crate::schedule::until_end_of_day(until, Berlin),
        };
        assert!(matches!(
            check_recurrence(&weekly(end), &start, now()),
            Err(ScheduleError::SeriesEndTooFar { .. })
        ));
        let monthly = Recurrence {
            pattern: Pattern::MonthlyOnWeekday {
                nth: Nth::Second,
                weekday: Weekday::Mon,
            },
            interval: 1,
            end: RecurrenceEnd::Never,
        };
        assert!(matches!(
            check_recurrence(&monthly, &start, now()),
            Err(ScheduleError::FirstOccurrenceMismatch { .. })
        ));
    }

    #[test]
    fn passwords_follow_the_common_site_policy() {
        assert!(check_password("BgJep@43").is_ok());
        assert!(check_password("abc").is_err());
        assert!(check_password("abcdefgh").is_err());
        assert!(check_password("ab 12").is_err());
    }
}
