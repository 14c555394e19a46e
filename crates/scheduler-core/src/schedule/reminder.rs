//! When a meeting's reminders are due: pure timer arithmetic in the meeting's own zone.
//!
//! A series keeps its wall-clock time across daylight-saving changes (the 09:00 stand-up is at
//! 09:00 in March and in November), so each occurrence's start is computed from its date and
//! the series' local time in the meeting's zone, never by adding days to an instant. The lead
//! time is elapsed time: "10 minutes before" is ten real minutes, even when clocks change
//! within them. The bot's job queue stores only the instants computed here.

use super::{Recurrence, RecurrenceEnd};
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt;

/// The lead time when neither the command nor the person chose one. Ten minutes: enough to
/// finish a sentence and find the link, short enough that the reminder is still relevant; one
/// message per occurrence, so a daily stand-up costs one message a day (people mute bots that
/// say more than they need to).
pub const DEFAULT_LEAD_MINUTES: u32 = 10;
/// The longest lead time accepted: a reminder a day before is an agenda, not a reminder.
pub const MAX_LEAD_MINUTES: u32 = 24 * 60;
/// How far ahead a series' reminders are planned. Planning all occurrences of an open daily
/// series at once would be thousands of jobs; a week ahead, re-planned as time passes, keeps
/// the queue bounded by (meetings × occurrences per week).
pub const PLAN_AHEAD_DAYS: i64 = 7;

/// Whether and how long before an occurrence a reminder is posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReminderLead {
    Off,
    Minutes(u32),
}

impl ReminderLead {
    /// The product default (see [`DEFAULT_LEAD_MINUTES`]).
    pub const DEFAULT: ReminderLead = ReminderLead::Minutes(DEFAULT_LEAD_MINUTES);

    /// Reads `10m`, `15 min`, `1h`, `90 minutes`, `off`/`none`/`no`; `None` for anything else or
    /// a lead outside 1 minute to [`MAX_LEAD_MINUTES`] (the caller says why, nothing is guessed).
    pub fn parse(text: &str) -> Option<ReminderLead> {
        let text = text.trim().to_ascii_lowercase();
        if matches!(text.as_str(), "off" | "none" | "no") {
            return Some(ReminderLead::Off);
        }
        let digits_end = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let number: u32 = text[..digits_end].parse().ok()?;
        let unit = text[digits_end..].trim();
        let minutes = match unit {
            "m" | "min" | "mins" | "minute" | "minutes" => number,
            "h" | "hr" | "hrs" | "hour" | "hours" => number.checked_mul(60)?,
            _ => return None,
        };
        (1..=MAX_LEAD_MINUTES)
            .contains(&minutes)
            .then_some(ReminderLead::Minutes(minutes))
    }

    /// The value kept in the database: minutes, 0 for off.
    pub fn as_stored(self) -> i64 {
        match self {
            ReminderLead::Off => 0,
            ReminderLead::Minutes(m) => i64::from(m),
        }
    }

    /// As a person would type it, and [`ReminderLead::parse`] reads it back: `10m` or `off`.
    pub fn as_typed(self) -> String {
        match self {
            ReminderLead::Off => "off".to_owned(),
            ReminderLead::Minutes(m) => format!("{m}m"),
        }
    }

    /// The inverse of [`ReminderLead::as_stored`].
    pub fn from_stored(minutes: i64) -> ReminderLead {
        match u32::try_from(minutes) {
            Ok(0) | Err(_) => ReminderLead::Off,
            Ok(m) => ReminderLead::Minutes(m.min(MAX_LEAD_MINUTES)),
        }
    }
}

impl fmt::Display for ReminderLead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReminderLead::Off => f.write_str("off"),
            ReminderLead::Minutes(m) => f.write_str(&duration_words(i64::from(*m))),
        }
    }
}

/// The instant an occurrence on `date` at wall-clock `time` starts in `zone`.
///
/// A time repeated when clocks go back is the first of the two (as [`super::localize`]). A time
/// skipped when clocks go forward is read with the offset in force before the gap, so 02:30 on
/// the spring-forward night is 03:30 summer time: the rule RFC 5545 gives for recurrences, so
/// the reminder agrees with the calendar that shows the occurrence.
pub fn occurrence_start(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let wall = date.and_time(time);
    match zone.from_local_datetime(&wall) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
        LocalResult::None => {
            // The offset a few hours earlier is the one before the gap (gaps are at most hours).
            let before = zone.offset_from_utc_datetime(&(wall - Duration::hours(12)));
            (wall - Duration::seconds(i64::from(before.fix().local_minus_utc()))).and_utc()
        }
    }
}

/// The starts of a meeting's occurrences in `[from, until)`: its start alone, or its series
/// expanded date by date at the first start's wall-clock time, honouring COUNT and UNTIL.
pub fn occurrence_starts(
    first: DateTime<Tz>,
    recurrence: Option<&Recurrence>,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let in_window = |at: &DateTime<Utc>| *at >= from && *at < until;
    let Some(recurrence) = recurrence else {
        let start = first.with_timezone(&Utc);
        return in_window(&start).then_some(start).into_iter().collect();
    };
    let zone = first.timezone();
    let time = first.time();
    let mut out = Vec::new();
    for (index, date) in recurrence.dates_from(first.date_naive()).enumerate() {
        match recurrence.end {
            RecurrenceEnd::Count(count) if index as u64 >= u64::from(count) => break,
            RecurrenceEnd::Until { date: last, .. } if date > last => break,
            _ => {}
        }
        let start = occurrence_start(zone, date, time);
        if start >= until {
            break;
        }
        if in_window(&start) {
            out.push(start);
        }
    }
    out
}

/// The starts in `[from, until)` of a series kept as the RRULE Webex was given (the bot stores
/// the rule, not the parsed request), expanded from `first` by the `rrule` crate at the first
/// start's wall-clock time in its zone; `None` if the rule does not read.
pub fn rrule_starts_between(
    rule: &str,
    first: DateTime<Tz>,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Option<Vec<DateTime<Utc>>> {
    let zone = rrule::Tz::Tz(first.timezone());
    let parsed: rrule::RRule<rrule::Unvalidated> = rule.parse().ok()?;
    let set = parsed.build(first.with_timezone(&zone)).ok()?;
    let window = set
        .after((from - Duration::seconds(1)).with_timezone(&zone))
        .before(until.with_timezone(&zone));
    Some(
        window
            .all(u16::MAX)
            .dates
            .into_iter()
            .map(|d| d.with_timezone(&Utc))
            .filter(|d| *d >= from && *d < until)
            .collect(),
    )
}

/// What to do about one occurrence's reminder at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderTiming {
    /// Post it at this instant.
    At(DateTime<Utc>),
    /// Its time has passed but the meeting has not started (scheduled at short notice, or the
    /// bot was down): post it now, late rather than never.
    Now,
    /// The meeting has started or reminders are off: nothing to post.
    Skip,
}

/// When the reminder for an occurrence starting at `start` is due, seen at `now`.
pub fn reminder_timing(
    now: DateTime<Utc>,
    start: DateTime<Utc>,
    lead: ReminderLead,
) -> ReminderTiming {
    let ReminderLead::Minutes(minutes) = lead else {
        return ReminderTiming::Skip;
    };
    let due = start - Duration::minutes(i64::from(minutes));
    if now < due {
        ReminderTiming::At(due)
    } else if now < start {
        ReminderTiming::Now
    } else {
        ReminderTiming::Skip
    }
}

/// "in 10 minutes", "in 1 hour 5 minutes", "now": how long until `start`, rounded to the
/// nearest minute (a reminder posted at 08:49:58 says 10 minutes, not 9).
pub fn time_until(now: DateTime<Utc>, start: DateTime<Utc>) -> String {
    let minutes = ((start - now).num_seconds() + 30).div_euclid(60);
    if minutes <= 0 {
        return "now".to_owned();
    }
    format!("in {}", duration_words(minutes))
}

fn duration_words(minutes: i64) -> String {
    let plural = |n: i64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (minutes / 60, minutes % 60) {
        (0, m) => plural(m, "minute"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
    }
}

#[cfg(test)]
#[path = "reminder_tests.rs"]
mod tests;
