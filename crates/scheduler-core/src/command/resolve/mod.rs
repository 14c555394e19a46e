//! From what was typed to concrete meetings: dates counted from today in the meeting's zone,
//! wall times made instants (DST gaps refused, repeated hours taking the first), repeats made
//! RRULE-ready, and Webex's limits checked by `schedule::validate`.

use super::Context;
use super::grammar::Problem;
use super::grammar::repeat::{RepeatEndSpec, RepeatKind, RepeatSpec};
use super::grammar::when::{DateClause, DateSpec, end_after};
use super::lexicon::Unit;
use super::scan::{Clauses, End, ScanError, Span, Start};
use crate::schedule::{
    self, DEFAULT_TITLE, Field, MeetingRequest, Pattern, Recurrence, RecurrenceEnd, ScheduleError,
    WeekdaySet, floor_to_minute, localize, max_occurrences, until_end_of_day,
};
use chrono::{DateTime, Datelike, Days, Duration, Months, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

mod days;

use days::{nth_weekday_date, slashed};

/// The start and (if typed) the end of a meeting, in its zone.
pub(crate) struct When {
    pub start: DateTime<Tz>,
    pub end: Option<DateTime<Tz>>,
    pub zone: Tz,
}

/// A schedule message made a meeting request, checked against Webex's limits.
pub(crate) fn meeting(
    text: &str,
    mut clauses: Clauses<'_>,
    ctx: &Context<'_>,
) -> Result<MeetingRequest, ScanError> {
    let clauses = &mut clauses;
    let repeat = clauses.repeat.map(|(r, _)| r);
    if let (Some((end, span)), None) = (clauses.repeat_end, repeat) {
        let typed = text[span.at..span.end].to_string();
        let problem = match end {
            RepeatEndSpec::For(..) => Problem::SpanWithoutRepeat { typed },
            _ => Problem::RepeatEndWithoutRepeat { typed },
        };
        return Err((problem, Some(span.at)));
    }
    super::day_parts::apply(text, clauses)?;
    let when = when(text, clauses, ctx, repeat.as_ref())?;
    let start = when.start;
    {
        use chrono::Timelike;
        let wall = start.naive_local().time();
        super::day_parts::check(text, clauses, wall.hour() * 60 + wall.minute())?;
    }
    let end = when.end.unwrap_or(start + ctx.default_duration);
    let recurrence = match clauses.repeat {
        Some((spec, _)) => Some(recurrence(text, spec, clauses, start, ctx)?),
        None => None,
    };
    let request = MeetingRequest {
        title: title(clauses),
        start,
        end,
        timezone: when.zone,
        recurrence,
        invitees: std::mem::take(&mut clauses.invitees),
        password: clauses.password.map(|(p, _)| p.to_string()),
        agenda: clauses.agenda.map(|(a, _)| a.to_string()),
        reminder: clauses.reminder.map(|(r, _)| r),
    };
    let today = ctx.now.with_timezone(&when.zone).date_naive();
    schedule::validate(&request, ctx.now).map_err(|e| located(e, clauses, today))?;
    Ok(request)
}

/// Where a problem with a field was typed (`today` in the meeting's zone: a start on an
/// earlier day points at the date, a start earlier today at the time).
pub(crate) fn located(error: ScheduleError, clauses: &Clauses<'_>, today: NaiveDate) -> ScanError {
    let span = |s: Option<Span>| s.map(|s| s.at);
    let at = match error.field() {
        Field::Start => match &error {
            ScheduleError::StartInPast { start }
                if start.date_naive() < today && clauses.date.is_some() =>
            {
                span(clauses.date.map(|d| d.1))
            }
            _ => span(clauses.start.map(|s| s.1)).or(span(clauses.date.map(|d| d.1))),
        },
        Field::End => span(clauses.end.map(|e| e.1)).or(span(clauses.start.map(|s| s.1))),
        Field::Title => span(clauses.quoted_title.map(|t| t.1))
            .or(clauses.title_words.first().map(|w| w.span.at)),
        Field::Recurrence => match error {
            ScheduleError::FirstOccurrenceMismatch { .. } => {
                span(clauses.date.map(|d| d.1)).or(span(clauses.repeat.map(|r| r.1)))
            }
            ScheduleError::TooManyOccurrences { .. }
            | ScheduleError::SeriesEndTooFar { .. }
            | ScheduleError::UntilBeforeStart { .. } => {
                span(clauses.repeat_end.map(|e| e.1)).or(span(clauses.repeat.map(|r| r.1)))
            }
            _ => span(clauses.repeat.map(|r| r.1)),
        },
        Field::Password => span(clauses.password.map(|p| p.1)),
        Field::Agenda => span(clauses.agenda.map(|a| a.1)),
        Field::Invitees => span(clauses.people),
    };
    (Problem::Schedule(error), at)
}

/// The title: the quoted one, else the leftover words (leading articles dropped, the first
/// letter capitalised when the first word is all lower case), else "Webex meeting". Curly
/// double quotes become straight ones.
fn title(clauses: &Clauses<'_>) -> String {
    let straight = |s: String| -> String {
        if s.contains(['\u{201C}', '\u{201D}']) {
            s.replace(['\u{201C}', '\u{201D}'], "\"")
        } else {
            s
        }
    };
    if let Some((quoted, _)) = clauses.quoted_title {
        return if quoted.is_empty() {
            DEFAULT_TITLE.into()
        } else {
            straight(quoted.to_string())
        };
    }
    let is_article = |w: &str| ["a", "an", "the"].iter().any(|a| w.eq_ignore_ascii_case(a));
    let mut last = clauses.title_words.len();
    while last > 0 && super::requests::is_closing_politeness(clauses.title_words[last - 1].text) {
        last -= 1;
    }
    let words = clauses.title_words[..last]
        .iter()
        .map(|w| w.text)
        .skip_while(|w| is_article(w));
    let mut title = String::with_capacity(32);
    for word in words {
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    let dash_or_comma =
        |c: char| matches!(c, ',' | ';' | ':' | '-' | '\u{2013}' | '\u{2014}') || c.is_whitespace();
    let end = title
        .trim_end_matches(|c: char| dash_or_comma(c) || c == '.')
        .len();
    title.truncate(end);
    let start = title.len() - title.trim_start_matches(dash_or_comma).len();
    title.drain(..start);
    if title.is_empty() {
        return DEFAULT_TITLE.into();
    }
    let first_word = title.split_whitespace().next().unwrap_or_default();
    if !first_word.chars().any(char::is_uppercase)
        && let Some(first) = title.chars().next().filter(|c| c.is_lowercase())
    {
        let upper: String = first.to_uppercase().collect();
        title.replace_range(..first.len_utf8(), &upper);
    }
    straight(title)
}

/// Whether `date` is one of the days a repeat names (when it names any).
fn repeat_allows(repeat: Option<&RepeatSpec>, date: NaiveDate) -> bool {
    match repeat.map(|r| r.kind) {
        Some(RepeatKind::Weekly(Some(days))) => days.contains(date.weekday()),
        Some(RepeatKind::MonthlyOnDay(Some(day))) => date.day() == day,
        Some(RepeatKind::MonthlyOnWeekday(nth, weekday)) => {
            nth.date_in(date.year(), date.month(), weekday) == Some(date)
        }
        _ => true,
    }
}

fn names_days(repeat: Option<&RepeatSpec>) -> bool {
    matches!(
        repeat.map(|r| r.kind),
        Some(
            RepeatKind::Weekly(Some(_))
                | RepeatKind::MonthlyOnDay(Some(_))
                | RepeatKind::MonthlyOnWeekday(..)
        )
    )
}

/// When a meeting starts and ends, from the date, time, range, duration and zone clauses.
pub(crate) fn when(
    text: &str,
    clauses: &Clauses<'_>,
    ctx: &Context<'_>,
    repeat: Option<&RepeatSpec>,
) -> Result<When, ScanError> {
    let zone = clauses.zone.map_or(ctx.zone, |(z, _)| z);
    let now_floor = floor_to_minute(ctx.now);
    let now_local = ctx.now.with_timezone(&zone);
    let today = now_local.date_naive();
    let Some((start_spec, start_span)) = clauses.start else {
        let missing_time = clauses
            .date
            .map(|(_, s)| s)
            .or(clauses.repeat.map(|(_, s)| s));
        return Err(match missing_time {
            Some(span) => (
                Problem::NeedTime {
                    typed: text[span.at..span.end].into(),
                },
                Some(span.at),
            ),
            None => (Problem::NeedWhen, None),
        });
    };
    let start = match start_spec {
        Start::Now | Start::In(_) => {
            if let Some((_, date_span)) = clauses.date {
                return Err((
                    Problem::RelativeWithDate {
                        typed: text[start_span.at..start_span.end].into(),
                    },
                    Some(date_span.at),
                ));
            }
            let minutes = match start_spec {
                Start::In(m) => i64::from(m),
                _ => 0,
            };
            (now_floor + Duration::minutes(minutes)).with_timezone(&zone)
        }
        Start::At(clock) => {
            let time = naive_time(clock.minutes());
            // Today's start, looked up at most once: it decides whether today is still possible.
            let at_today = std::cell::OnceCell::new();
            let today_start = || {
                at_today
                    .get_or_init(|| localize(zone, today, time).map_err(Box::new))
                    .clone()
            };
            let is_ahead = |d: NaiveDate| -> bool {
                if d != today {
                    return d > today;
                }
                match today_start() {
                    Ok(s) => s.with_timezone(&Utc) >= now_floor,
                    Err(_) => time >= now_local.time(),
                }
            };
            let date = match clauses.date {
                None => first_day(today, |d| repeat_allows(repeat, d) && is_ahead(d)).ok_or((
                    Problem::Schedule(ScheduleError::TooFarAhead),
                    Some(start_span.at),
                ))?,
                Some((clause, span)) => {
                    let d = resolve_date(text, clause, span, today, &is_ahead, ctx.zone)?;
                    let lower_bound = clause.from || clause.spec == DateSpec::NextWeek(None);
                    if names_days(repeat) && !repeat_allows(repeat, d) {
                        if lower_bound {
                            // "every tuesday starting next week": the first such day from then.
                            first_day(d, |x| repeat_allows(repeat, x) && is_ahead(x)).ok_or((
                                Problem::Schedule(ScheduleError::TooFarAhead),
                                Some(span.at),
                            ))?
                        } else {
                            let rule = match repeat {
                                Some(spec) => pattern_for(spec, d),
                                None => Pattern::Daily,
                            };
                            return Err((
                                Problem::Schedule(ScheduleError::FirstOccurrenceMismatch {
                                    date: d,
                                    rule: schedule::pattern_words(&rule),
                                }),
                                Some(span.at),
                            ));
                        }
                    } else {
                        d
                    }
                }
            };
            let start = if date == today {
                today_start().map_err(|e| *e)
            } else {
                localize(zone, date, time)
            };
            start.map_err(|e| (Problem::Schedule(e), Some(start_span.at)))?
        }
    };
    let end = match clauses.end {
        None => None,
        Some((End::After(minutes), _)) => Some(start + Duration::minutes(i64::from(minutes))),
        Some((End::At(clock), span)) => {
            let start_wall = start.naive_local();
            let start_minutes = start_wall.time().hour_minutes();
            let end_minutes = end_after(start_minutes, clock);
            let mut end_date = start_wall.date();
            if !ends_after(start_minutes, end_minutes) {
                return Err((
                    Problem::Schedule(ScheduleError::EndNotAfterStart),
                    Some(span.at),
                ));
            }
            if end_minutes <= start_minutes {
                end_date = end_date.succ_opt().unwrap_or(end_date);
            }
            let end = localize(zone, end_date, naive_time(end_minutes))
                .map_err(|e| (Problem::Schedule(e), Some(span.at)))?;
            Some(end)
        }
    };
    Ok(When { start, end, zone })
}

/// Whether a wall end (minutes after midnight) can follow a wall start: later the same day, or
/// earlier on the clock but at most twelve hours later, the next day (`10pm-1am`).
pub(crate) fn ends_after(start_minutes: u32, end_minutes: u32) -> bool {
    end_minutes > start_minutes || 24 * 60 - (start_minutes - end_minutes) <= 12 * 60
}

trait HourMinutes {
    fn hour_minutes(&self) -> u32;
}

impl HourMinutes for NaiveTime {
    fn hour_minutes(&self) -> u32 {
        use chrono::Timelike;
        self.hour() * 60 + self.minute()
    }
}

pub(crate) fn naive_time(minutes: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(minutes / 60 % 24, minutes % 60, 0).unwrap_or(NaiveTime::MIN)
}

/// The first day from `from` (included) that `ok` accepts, within ten years.
fn first_day(from: NaiveDate, ok: impl Fn(NaiveDate) -> bool) -> Option<NaiveDate> {
    let mut d = from;
    for _ in 0..(366 * 10) {
        if ok(d) {
            return Some(d);
        }
        d = d.succ_opt()?;
    }
    None
}

fn add_days(d: NaiveDate, n: u64) -> Option<NaiveDate> {
    d.checked_add_days(Days::new(n))
}

/// The calendar day a date clause names, from `today` on (a bare weekday may be today).
pub(crate) fn date(
    text: &str,
    clause: DateClause,
    span: Span,
    today: NaiveDate,
    person_zone: Tz,
) -> Result<NaiveDate, ScanError> {
    resolve_date(text, clause, span, today, &|_| true, person_zone)
}

/// The calendar day a date clause names, counted from `today`.
pub(crate) fn resolve_date(
    text: &str,
    clause: DateClause,
    span: Span,
    today: NaiveDate,
    is_ahead: &dyn Fn(NaiveDate) -> bool,
    person_zone: Tz,
) -> Result<NaiveDate, ScanError> {
    let clause = match clause.spec {
        DateSpec::Slashed {
            first,
            second,
            year,
        } => DateClause {
            spec: slashed(text, span, first, second, year, person_zone, today)?,
            ..clause
        },
        _ => clause,
    };
    let too_far = || (Problem::Schedule(ScheduleError::TooFarAhead), Some(span.at));
    let bad_date = || {
        (
            Problem::BadDate {
                typed: text[span.at..span.end].into(),
            },
            Some(span.at),
        )
    };
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let date = match clause.spec {
        DateSpec::Today => today,
        DateSpec::Tomorrow => add_days(today, 1).ok_or_else(too_far)?,
        DateSpec::DayAfterTomorrow => add_days(today, 2).ok_or_else(too_far)?,
        DateSpec::Yesterday => today.pred_opt().ok_or_else(too_far)?,
        DateSpec::LastWeekday(day) => {
            let back =
                (7 + today.weekday().num_days_from_monday() - day.num_days_from_monday() - 1) % 7
                    + 1;
            today - Duration::days(i64::from(back))
        }
        DateSpec::Weekday { day, next: false } => {
            first_day(today, |d| d.weekday() == day && is_ahead(d)).ok_or_else(too_far)?
        }
        DateSpec::Weekday { day, next: true } => {
            first_day(today + Duration::days(1), |d| d.weekday() == day).ok_or_else(too_far)?
        }
        DateSpec::NextWeek(day) => {
            let offset = day.map_or(0, |d| d.num_days_from_monday());
            monday + Duration::days(7 + i64::from(offset))
        }
        DateSpec::MonthDay {
            month,
            day,
            year: Some(year),
        } => NaiveDate::from_ymd_opt(year, month, day).ok_or_else(bad_date)?,
        DateSpec::MonthDay {
            month,
            day,
            year: None,
        } => (0..9)
            .filter_map(|k| NaiveDate::from_ymd_opt(today.year() + k, month, day))
            .find(|d| *d >= today)
            .ok_or_else(bad_date)?,
        DateSpec::DayOfMonth(day) => (0..13u32)
            .filter_map(|k| {
                let month = today.with_day(1)?.checked_add_months(Months::new(k))?;
                NaiveDate::from_ymd_opt(month.year(), month.month(), day)
            })
            .find(|d| *d >= today)
            .ok_or_else(bad_date)?,
        DateSpec::InDays(n) => add_days(today, u64::from(n)).ok_or_else(too_far)?,
        DateSpec::InWeeks(n) => add_days(today, u64::from(n) * 7).ok_or_else(too_far)?,
        DateSpec::InMonths(n) => today
            .checked_add_months(Months::new(n))
            .ok_or_else(too_far)?,
        DateSpec::DaysFrom { days, weekday } => {
            let base = match weekday {
                None => today,
                Some(day) => first_day(today, |d| d.weekday() == day).ok_or_else(too_far)?,
            };
            add_days(base, u64::from(days)).ok_or_else(too_far)?
        }
        DateSpec::NthWeekdayOf {
            nth,
            weekday,
            month,
        } => nth_weekday_date(nth, weekday, month, today).ok_or_else(bad_date)?,
        DateSpec::WeekAfter(day) => {
            let coming =
                first_day(today, |d| d.weekday() == day && is_ahead(d)).ok_or_else(too_far)?;
            add_days(coming, 7).ok_or_else(too_far)?
        }
        // Made a month and day above.
        DateSpec::Slashed { .. } => return Err(bad_date()),
        DateSpec::MonthEnd { month, year } => {
            let year = year.unwrap_or(if month >= today.month() {
                today.year()
            } else {
                today.year() + 1
            });
            crate::schedule::last_day_of_month(year, month).ok_or_else(bad_date)?
        }
    };
    if let Some(weekday) = clause.weekday
        && date.weekday() != weekday
    {
        return Err((
            Problem::WeekdayMismatch {
                weekday,
                date,
                typed: text[span.at..span.end].into(),
            },
            Some(span.at),
        ));
    }
    Ok(date)
}

/// The repeat's pattern, with what it leaves out taken from the first meeting on `first`.
fn pattern_for(spec: &RepeatSpec, first: NaiveDate) -> Pattern {
    match spec.kind {
        RepeatKind::Daily => Pattern::Daily,
        RepeatKind::Weekly(None) => Pattern::Weekly(WeekdaySet::single(first.weekday())),
        RepeatKind::Weekly(Some(days)) => Pattern::Weekly(days),
        RepeatKind::MonthlyOnDay(None) => Pattern::MonthlyOnDay(first.day()),
        RepeatKind::MonthlyOnDay(Some(day)) => Pattern::MonthlyOnDay(day),
        RepeatKind::MonthlyOnWeekday(nth, weekday) => Pattern::MonthlyOnWeekday { nth, weekday },
        RepeatKind::Yearly => Pattern::Yearly {
            month: first.month(),
            day: first.day(),
        },
    }
}

/// The series: its pattern from the first meeting, and its end (`for 6 weeks` counted as the
/// occurrences that fall within six weeks of the first).
fn recurrence(
    text: &str,
    spec: RepeatSpec,
    clauses: &Clauses<'_>,
    start: DateTime<Tz>,
    ctx: &Context<'_>,
) -> Result<Recurrence, ScanError> {
    let first = start.date_naive();
    let zone = start.timezone();
    let pattern = pattern_for(&spec, first);
    let mut rec = Recurrence {
        pattern,
        interval: spec.interval,
        end: RecurrenceEnd::Never,
    };
    let Some((end, end_span)) = clauses.repeat_end else {
        return Ok(rec);
    };
    rec.end = match end {
        RepeatEndSpec::Count(n) => RecurrenceEnd::Count(n),
        RepeatEndSpec::Until(clause) => {
            let today = ctx.now.with_timezone(&zone).date_naive();
            // A month and day without a year is the next one on or after the first meeting.
            let base = match clause.spec {
                DateSpec::MonthDay { year: None, .. } => first,
                _ => today,
            };
            let date = resolve_date(text, clause, end_span, base, &|_| true, ctx.zone)?;
            RecurrenceEnd::Until {
                date,
                instant: until_end_of_day(date, zone),
            }
        }
        RepeatEndSpec::For(n, unit) => {
            let span_end = match unit {
                Unit::Day => add_days(first, u64::from(n)),
                Unit::Week => add_days(first, u64::from(n) * 7),
                Unit::Month => first.checked_add_months(Months::new(n)),
                Unit::Year => first.checked_add_months(Months::new(n.saturating_mul(12))),
                _ => None,
            };
            let limit = max_occurrences(rec.frequency());
            let count = match span_end {
                Some(last_excluded) => match last_excluded.pred_opt() {
                    Some(last) => rec.count_through(first, last, limit),
                    None => limit + 1,
                },
                None => limit + 1,
            };
            RecurrenceEnd::Count(count)
        }
    };
    Ok(rec)
}
