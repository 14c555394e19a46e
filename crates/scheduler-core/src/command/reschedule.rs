//! `reschedule <ref> [to] <when>`: which parts of a time were written.
//!
//! A reschedule keeps whatever was not written: a time alone keeps the meeting's day, a day
//! alone keeps its time of day (and its length), no end keeps its length. Only the bot knows
//! the meeting, so the grammar fills in nothing it was not told: [`NewTime`] says what was
//! written, and the bot resolves the rest against the meeting.

use super::grammar::Problem;
use super::grammar::when::{end_after, peek_keyword};
use super::lexicon::{Kw, Verb};
use super::resolve::{self, ends_after, naive_time};
use super::scan::{self, Clauses, End, ScanError, Start};
use super::{Command, Context, is_idle, meeting_ref};
use crate::schedule::{self, ScheduleError};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

/// Where a `reschedule` moves a meeting, as far as the message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewTime {
    /// A day and a time (`friday 10am`, `tomorrow 3-4pm`), or `now` / `in 2 hours`.
    At {
        start: DateTime<Tz>,
        /// `None`: the meeting keeps its length.
        end: Option<DateTime<Tz>>,
    },
    /// A time without a day (`10am`, `3-4pm`, `9:30 for 1h`): the meeting keeps its day, as
    /// seen in `zone`.
    Time {
        start: NaiveTime,
        /// `None`: the meeting keeps its length.
        end: Option<NewEnd>,
        /// The zone written, else the person's.
        zone: Tz,
    },
    /// A day without a time (`friday`, `march 29`, `tomorrow`): the meeting keeps its time of
    /// day in `zone` and its length.
    Day { date: NaiveDate, zone: Tz },
}

/// The end written with a time alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewEnd {
    /// A wall time (its half of the day already decided): the same day when it is after the
    /// start, else the next day (`10pm-1am`).
    At(NaiveTime),
    /// A length (`for 1h`).
    After(Duration),
}

impl NewTime {
    /// The zone the written parts are read in.
    pub fn zone(&self) -> Tz {
        match self {
            NewTime::At { start, .. } => start.timezone(),
            NewTime::Time { zone, .. } | NewTime::Day { zone, .. } => *zone,
        }
    }
}

/// `reschedule <ref> [to] <when>`: only clauses about time.
pub(super) fn reschedule(text: &str, pos: usize, ctx: &Context<'_>) -> Result<Command, ScanError> {
    let (reference, mut pos) = meeting_ref(text, pos, Verb::Reschedule)?;
    let rest = &text[pos..];
    let trimmed = rest.trim_start();
    if let Some(Kw::To) = peek_keyword(trimmed) {
        pos += rest.len() - trimmed.len() + 2;
    }
    if is_idle(&text[pos..]) {
        return Err((Problem::RescheduleNeedsTime, None));
    }
    let mut clauses = scan::scan(text, pos, ctx.mentions)?;
    only_time(text, &clauses)?;
    super::day_parts::apply(text, &mut clauses)?;
    if clauses.start.is_none() && clauses.date.is_none() && clauses.end.is_none() {
        return Err((Problem::RescheduleNeedsTime, None));
    }
    let zone = clauses.zone.map_or(ctx.zone, |(z, _)| z);
    let to = match (clauses.start, clauses.date) {
        (Some((Start::At(clock), _)), None) => time_only(&clauses, clock.minutes(), zone)?,
        (None, Some((clause, span))) if clauses.end.is_none() => {
            let today = ctx.now.with_timezone(&zone).date_naive();
            let date = resolve::resolve_date(text, clause, span, today, &|d| d >= today, ctx.zone)?;
            if date < today {
                return Err((Problem::DayInPast { date }, Some(span.at)));
            }
            NewTime::Day { date, zone }
        }
        _ => day_and_time(text, &clauses, ctx)?,
    };
    Ok(Command::Reschedule { reference, to })
}

/// Refuses what is not about time: rescheduling keeps everything else.
fn only_time(text: &str, clauses: &Clauses<'_>) -> Result<(), ScanError> {
    let not_time = clauses
        .quoted_title
        .map(|(_, s)| s)
        .or(clauses.people)
        .or(clauses.password.map(|(_, s)| s))
        .or(clauses.agenda.map(|(_, s)| s))
        .or(clauses.reminder.map(|(_, s)| s))
        .or(clauses.repeat.map(|(_, s)| s))
        .or(clauses.repeat_end.map(|(_, s)| s));
    if let Some(span) = not_time {
        return Err((
            Problem::RescheduleOnlyTime {
                typed: text[span.at..span.end].into(),
            },
            Some(span.at),
        ));
    }
    clauses.check_spelling()?;
    if let Some(word) = clauses.title_words.first() {
        return Err((
            Problem::NotATime {
                typed: word.text.into(),
            },
            Some(word.span.at),
        ));
    }
    Ok(())
}

/// A time without a day. Its end is checked here as far as it can be without a day (after the
/// start, 10 minutes to 23 h 59 min); the bot checks the instants again once it has the day.
fn time_only(clauses: &Clauses<'_>, start_minutes: u32, zone: Tz) -> Result<NewTime, ScanError> {
    let (end, length) = match clauses.end {
        None => (None, None),
        Some((End::After(minutes), span)) => (
            Some(NewEnd::After(Duration::minutes(i64::from(minutes)))),
            Some((i64::from(minutes), span.at)),
        ),
        Some((End::At(clock), span)) => {
            let end_minutes = end_after(start_minutes, clock);
            if !ends_after(start_minutes, end_minutes) {
                return Err((
                    Problem::Schedule(ScheduleError::EndNotAfterStart),
                    Some(span.at),
                ));
            }
            let length = (end_minutes + 24 * 60 - start_minutes) % (24 * 60);
            (
                Some(NewEnd::At(naive_time(end_minutes))),
                Some((i64::from(length), span.at)),
            )
        }
    };
    if let Some((minutes, at)) = length {
        // Lengths do not depend on the day apart from clock changes, which the bot rechecks.
        let start = DateTime::<Utc>::UNIX_EPOCH.with_timezone(&Tz::UTC);
        schedule::check_times(&start, &(start + Duration::minutes(minutes)))
            .map_err(|e| (Problem::Schedule(e), Some(at)))?;
    }
    Ok(NewTime::Time {
        start: naive_time(start_minutes),
        end,
        zone,
    })
}

/// A day and a time, `now` or `in …`: a start instant, checked like a new meeting's.
fn day_and_time(
    text: &str,
    clauses: &Clauses<'_>,
    ctx: &Context<'_>,
) -> Result<NewTime, ScanError> {
    let when = resolve::when(text, clauses, ctx, None)?;
    let today = ctx.now.with_timezone(&when.zone).date_naive();
    schedule::check_start(&when.start, ctx.now).map_err(|e| resolve::located(e, clauses, today))?;
    if let Some(end) = &when.end {
        let end_span = clauses.end.map(|(_, s)| s.at);
        schedule::check_times(&when.start, end).map_err(|e| (Problem::Schedule(e), end_span))?;
    }
    Ok(NewTime::At {
        start: when.start,
        end: when.end,
    })
}
