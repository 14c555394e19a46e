//! Dates, times of day, ranges and durations.

use super::clock_forms::{approximately, military, short_meridiem};
use super::{
    GrammarError, PResult, Problem, backtrack, boundary, count, digits, fail, keyword, kw, kw_map,
    ordinal_day, sp0, sp1, unit,
};
use crate::command::lexicon::{Kw, Unit};
use chrono::{NaiveDate, Weekday};
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case};
use nom::combinator::{opt, value};

// ---------------------------------------------------------------------------------------------
// Dates

/// A date as typed, before it is counted from today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateSpec {
    Today,
    Tomorrow,
    DayAfterTomorrow,
    /// In the past, so refused; read so that it is not taken into the title.
    Yesterday,
    /// `last friday`: the one before today (in the past, so refused).
    LastWeekday(Weekday),
    /// `monday`, `this monday` (`next: false`) or `next monday` (`next: true`).
    Weekday {
        day: Weekday,
        next: bool,
    },
    /// `next week` (Monday), or `tuesday next week`.
    NextWeek(Option<Weekday>),
    /// `march 29`, `29 march 2027`, `2027-03-29`.
    MonthDay {
        month: u32,
        day: u32,
        year: Option<i32>,
    },
    /// `on the 15th`.
    DayOfMonth(u32),
    /// `until december`: the month's last day.
    MonthEnd {
        month: u32,
        year: Option<i32>,
    },
    InDays(u32),
    InWeeks(u32),
    InMonths(u32),
    /// `3 days from tuesday` (from the coming one), `two weeks from now` (`None`: today).
    DaysFrom {
        days: u32,
        weekday: Option<Weekday>,
    },
    /// `monday week`: a week after the coming monday.
    WeekAfter(Weekday),
    /// `3/4`, `03/04/2027`: read by the person's region's date order (`resolve`).
    Slashed {
        first: u32,
        second: u32,
        year: Option<i32>,
    },
    /// `the first monday of next month`, `the last friday of april`.
    NthWeekdayOf {
        nth: crate::schedule::Nth,
        weekday: Weekday,
        month: super::days::MonthRef,
    },
}

/// A date clause; `weekday` is a day name written beside a calendar date, to be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateClause {
    pub spec: DateSpec,
    pub weekday: Option<Weekday>,
    /// Written as a lower bound ("starting april 5", "from monday"): a series starts on its
    /// first day on or after it.
    pub from: bool,
}

pub(crate) fn weekday_name(input: &str) -> PResult<'_, Weekday> {
    let (rest, day) = kw_map(|k| match k {
        Kw::WeekdayName(d) => Some(d),
        _ => None,
    })(input)?;
    Ok((after_abbreviation_dot(rest), day))
}

/// Skips the period of an abbreviation ("Tue.", "Mar."), but not a sentence's last one.
fn after_abbreviation_dot(rest: &str) -> &str {
    rest.strip_prefix('.')
        .filter(|r| boundary(r).is_ok())
        .unwrap_or(rest)
}

pub(crate) fn month_name(input: &str) -> PResult<'_, u32> {
    let (rest, month) = kw_map(|k| match k {
        Kw::Month(m) => Some(m),
        _ => None,
    })(input)?;
    Ok((after_abbreviation_dot(rest), month))
}

/// A day of the month as a number, "29" or "29th".
fn day_number(input: &str) -> PResult<'_, u32> {
    if let Ok(r) = ordinal_day(input) {
        return Ok(r);
    }
    let (rest, n) = digits(input)?;
    if input.len() - rest.len() > 2 || !(1..=31).contains(&n) {
        return backtrack(input);
    }
    boundary(rest)?;
    Ok((rest, n))
}

/// A four-digit year, 2000–2999.
fn year(input: &str) -> PResult<'_, i32> {
    let (rest, n) = digits(input)?;
    if input.len() - rest.len() != 4 || !(2000..=2999).contains(&n) {
        return backtrack(input);
    }
    boundary(rest)?;
    Ok((rest, n as i32))
}

/// ", 2027" or " 2027" after a day and month.
fn optional_year(input: &str) -> PResult<'_, Option<i32>> {
    opt((opt(tag(",")), sp1, year).map(|(_, _, y)| y)).parse(input)
}

/// `march 29`, `Mar 29th, 2027`, `Jan first`, `March the 3rd`.
fn month_then_day(input: &str) -> PResult<'_, DateSpec> {
    let (rest, (month, _, _, day)) = (
        month_name,
        sp1,
        opt((kw(Kw::The), sp1)),
        alt((day_number, super::days::ordinal_word)),
    )
        .parse(input)?;
    let (rest, year) = optional_year(rest)?;
    Ok((rest, DateSpec::MonthDay { month, day, year }))
}

/// `29 march`, `29th of march 2027`.
fn day_then_month(input: &str) -> PResult<'_, DateSpec> {
    let (rest, (day, _, _, month)) =
        (day_number, sp1, opt((kw(Kw::Of), sp1)), month_name).parse(input)?;
    let (rest, year) = optional_year(rest)?;
    Ok((rest, DateSpec::MonthDay { month, day, year }))
}

/// `the 29th of march [2027]`, `the 15th` (this month, or next if it has passed).
fn the_day(input: &str) -> PResult<'_, DateSpec> {
    if let Ok((rest, (_, _, spec))) = (kw(Kw::The), sp1, super::days::nth_weekday_of).parse(input) {
        return Ok((rest, spec));
    }
    let (rest, (_, _, day)) = (
        kw(Kw::The),
        sp1,
        alt((ordinal_day, super::days::the_plain_day)),
    )
        .parse(input)?;
    if let Ok((rest, (_, _, _, month))) = (sp1, kw(Kw::Of), sp1, month_name).parse(rest) {
        let (rest, year) = optional_year(rest)?;
        return Ok((rest, DateSpec::MonthDay { month, day, year }));
    }
    Ok((rest, DateSpec::DayOfMonth(day)))
}

/// `2027-03-29`.
fn iso_date(input: &str) -> PResult<'_, DateSpec> {
    let bytes = input.as_bytes();
    let shape = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit);
    if !shape {
        return backtrack(input);
    }
    let rest = &input[10..];
    boundary(rest)?;
    let year: i32 = input[..4].parse().unwrap_or(0);
    let month: u32 = input[5..7].parse().unwrap_or(0);
    let day: u32 = input[8..10].parse().unwrap_or(0);
    if NaiveDate::from_ymd_opt(year, month, day).is_none() {
        return fail(
            input,
            Problem::BadDate {
                typed: input[..10].into(),
            },
        );
    }
    Ok((
        rest,
        DateSpec::MonthDay {
            month,
            day,
            year: Some(year),
        },
    ))
}

/// `3/4`, `03/04/2027`: which number is the month is decided in `resolve`, by the person's
/// region; a year of two digits is refused (`3/4/27`).
fn slash_date(input: &str) -> PResult<'_, DateSpec> {
    let (rest, (first, _, second, year)) =
        (digits, tag("/"), digits, opt((tag("/"), digits))).parse(input)?;
    let typed_len = input.len() - rest.len();
    if boundary(rest).is_err() || typed_len > 10 || (year.is_none() && typed_len > 5) {
        return backtrack(input);
    }
    let typed = &input[..typed_len];
    let year_digits = typed.rsplit('/').next().map_or(0, str::len);
    let year = match year {
        Some((_, y)) if year_digits == 4 && (2000..=2999).contains(&y) => Some(y as i32),
        Some(_) => {
            return fail(
                input,
                Problem::SlashDate {
                    typed: typed.into(),
                },
            );
        }
        None => None,
    };
    if !(1..=31).contains(&first) || !(1..=31).contains(&second) {
        return fail(
            input,
            Problem::BadDate {
                typed: typed.into(),
            },
        );
    }
    Ok((
        rest,
        DateSpec::Slashed {
            first,
            second,
            year,
        },
    ))
}

/// A calendar date: ISO, month-day, day-month or "the 29th of march".
pub(crate) fn calendar_date(input: &str) -> PResult<'_, DateSpec> {
    alt((iso_date, month_then_day, day_then_month, the_day)).parse(input)
}

/// `in 2 days`, `in a week`, `in 3 months`.
fn in_days(input: &str) -> PResult<'_, DateSpec> {
    let (rest, (_, _, n, _, unit)) = (
        kw(Kw::In),
        sp1,
        alt((count, value(1, kw(Kw::A)))),
        sp1,
        unit,
    )
        .parse(input)?;
    boundary(rest)?;
    let spec = match unit {
        Unit::Day => DateSpec::InDays(n),
        Unit::Week => DateSpec::InWeeks(n),
        Unit::Fortnight => DateSpec::InWeeks(n.saturating_mul(2)),
        Unit::Month => DateSpec::InMonths(n),
        _ => return backtrack(input),
    };
    Ok((rest, spec))
}

/// `day after tomorrow`, `the day after tomorrow`.
fn day_after_tomorrow(input: &str) -> PResult<'_, DateSpec> {
    let (rest, _) = (
        opt((kw(Kw::The), sp1)),
        kw(Kw::Day),
        sp1,
        kw(Kw::After),
        sp1,
        kw(Kw::Tomorrow),
    )
        .parse(input)?;
    Ok((rest, DateSpec::DayAfterTomorrow))
}

/// `next week`, `next week tuesday`, `next week on tuesday`, `next tuesday`.
fn next_forms(input: &str) -> PResult<'_, DateSpec> {
    let (rest, _) = (kw(Kw::Next), sp1).parse(input)?;
    if let Ok((rest, _)) = kw(Kw::Week)(rest) {
        if let Ok((rest, (_, _, day))) = (sp1, opt((kw(Kw::On), sp1)), weekday_name).parse(rest) {
            return Ok((rest, DateSpec::NextWeek(Some(day))));
        }
        return Ok((rest, DateSpec::NextWeek(None)));
    }
    let (rest, day) = weekday_name(rest)?;
    Ok((rest, DateSpec::Weekday { day, next: true }))
}

/// `friday 23`: a number from 13 to 31 after a weekday is the day of the month (the weekday
/// must agree); it is no hour of a 12-hour clock, and a 24-hour time is written `23:00`.
fn day_after_weekday(input: &str) -> PResult<'_, u32> {
    let (rest, n) = digits(input)?;
    // "thursday 11 at 10am": with the time after `at`, a small number is the day too.
    let time_follows = (sp1, kw(Kw::At), sp1).parse(rest).is_ok();
    let day_sized = (13..=31).contains(&n) || ((1..=12).contains(&n) && time_follows);
    if input.len() - rest.len() > 2 || !day_sized {
        return backtrack(input);
    }
    boundary(rest)?;
    if rest.trim_start().starts_with([':', '.']) {
        return backtrack(input);
    }
    Ok((rest, n))
}

/// `monday`, `this monday`, `monday next week`, `monday, march 29`.
fn weekday_forms(input: &str) -> PResult<'_, DateClause> {
    let (rest, this) = opt((kw(Kw::This), sp1)).parse(input)?;
    let (rest, day) = weekday_name(rest)?;
    if this.is_none() {
        // "monday week": a week after the coming monday.
        if let Ok((rest, _)) = (sp1, kw(Kw::Week)).parse(rest) {
            return Ok((rest, plain(DateSpec::WeekAfter(day))));
        }
        if let Ok((rest, _)) = (sp1, kw(Kw::Next), sp1, kw(Kw::Week)).parse(rest) {
            return Ok((
                rest,
                DateClause {
                    spec: DateSpec::NextWeek(Some(day)),
                    weekday: None,
                    from: false,
                },
            ));
        }
        let dated = (
            opt(tag(",")),
            sp1,
            alt((
                calendar_date,
                ordinal_day.map(DateSpec::DayOfMonth),
                day_after_weekday.map(DateSpec::DayOfMonth),
            )),
        )
            .parse(rest);
        if let Ok((rest, (_, _, spec))) = dated {
            return Ok((
                rest,
                DateClause {
                    spec,
                    from: false,
                    weekday: Some(day),
                },
            ));
        }
    }
    Ok((
        rest,
        DateClause {
            spec: DateSpec::Weekday { day, next: false },
            weekday: None,
            from: false,
        },
    ))
}

fn plain(spec: DateSpec) -> DateClause {
    DateClause {
        spec,
        from: false,
        weekday: None,
    }
}

/// Any date, with an optional leading `on` (or `from`, `starting`: "every monday starting april 5").
pub(crate) fn date(input: &str) -> PResult<'_, DateClause> {
    let (rest, from) = match keyword(input) {
        Ok((after, Kw::On)) => (sp1(after)?.0, false),
        Ok((after, Kw::From | Kw::Starting)) => (sp1(after)?.0, true),
        _ => (input, false),
    };
    let (rest, mut clause) = date_itself(rest)?;
    clause.from = from;
    Ok((rest, clause))
}

/// A date, without a leading `on`/`from`.
fn date_itself(rest: &str) -> PResult<'_, DateClause> {
    if rest.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return alt((
            calendar_date.map(plain),
            ordinal_day.map(|d| plain(DateSpec::DayOfMonth(d))),
        ))
        .parse(rest);
    }
    // One look at the first word decides which reading to try.
    let (after, first) = keyword(rest)?;
    match first {
        Kw::Today => Ok((after, plain(DateSpec::Today))),
        Kw::Tomorrow => Ok((after, plain(DateSpec::Tomorrow))),
        Kw::Yesterday => Ok((after, plain(DateSpec::Yesterday))),
        Kw::Nth(crate::schedule::Nth::Last) => (sp1, weekday_name)
            .map(|(_, d)| plain(DateSpec::LastWeekday(d)))
            .parse(after),
        Kw::Day => day_after_tomorrow.map(plain).parse(rest),
        Kw::The => alt((day_after_tomorrow, the_day)).map(plain).parse(rest),
        Kw::Next => next_forms.map(plain).parse(rest),
        Kw::This | Kw::WeekdayName(_) => weekday_forms(rest),
        Kw::Month(_) => month_then_day.map(plain).parse(rest),
        Kw::In => in_days.map(plain).parse(rest),
        _ => backtrack(rest),
    }
}

/// A month on its own, `december [2027]`, which ends a series on its last day.
pub(crate) fn month_end(input: &str) -> PResult<'_, DateClause> {
    let (rest, month) = month_name(input)?;
    let (rest, year) = optional_year(rest)?;
    Ok((rest, plain(DateSpec::MonthEnd { month, year })))
}

/// A date that starts with a digit: ISO, day-month, `15th` (and slashed dates, refused).
pub(crate) fn date_from_digits(input: &str) -> PResult<'_, DateClause> {
    alt((
        iso_date.map(plain),
        super::days::dotted_date.map(plain),
        slash_date.map(plain),
        day_then_month.map(plain),
        ordinal_day.map(|d| plain(DateSpec::DayOfMonth(d))),
    ))
    .parse(input)
}

// ---------------------------------------------------------------------------------------------
// Times of day

/// How an hour was written, which decides its half of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Am,
    Pm,
    /// 24-hour clock: a leading zero, 0 or 13–23, `15h`, `noon`, `midnight`.
    H24,
    /// 1–12 with neither am/pm nor a leading zero: 1–6 are afternoon, 7–11 morning, 12 noon.
    Bare,
}

/// A time of day as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Clock {
    pub hour: u32,
    pub minute: u32,
    pub style: Style,
}

impl Clock {
    /// Minutes after midnight, the half of the day decided.
    pub(crate) fn minutes(self) -> u32 {
        let hour = match self.style {
            Style::Am => self.hour % 12,
            Style::Pm => self.hour % 12 + 12,
            Style::H24 => self.hour,
            Style::Bare => match self.hour {
                1..=6 => self.hour + 12,
                _ => self.hour,
            },
        };
        hour * 60 + self.minute
    }

    fn with_style(self, style: Style) -> Clock {
        Clock { style, ..self }
    }
}

/// `am`, `pm`, `a.m.`, `p.m.`.
pub(crate) fn meridiem(input: &str) -> PResult<'_, Style> {
    let b = input.as_bytes();
    let style = match b.first().map(u8::to_ascii_lowercase) {
        Some(b'a') => Style::Am,
        Some(b'p') => Style::Pm,
        _ => return backtrack(input),
    };
    let len = match (
        b.get(1).map(u8::to_ascii_lowercase),
        b.get(2),
        b.get(3).map(u8::to_ascii_lowercase),
    ) {
        (Some(b'm'), _, _) => 2,
        (Some(b'.'), Some(b'm' | b'M'), Some(b'.')) => 4,
        _ => return backtrack(input),
    };
    let rest = &input[len..];
    // "3pm-4pm": a range's dash may follow directly.
    if !rest.starts_with(['-', '\u{2013}', '\u{2014}']) {
        boundary(rest)?;
    }
    Ok((rest, style))
}

/// `noon`, `midnight`.
fn named_time(input: &str) -> PResult<'_, Clock> {
    alt((
        value(
            Clock {
                hour: 12,
                minute: 0,
                style: Style::H24,
            },
            kw(Kw::Noon),
        ),
        value(
            Clock {
                hour: 0,
                minute: 0,
                style: Style::H24,
            },
            kw(Kw::Midnight),
        ),
    ))
    .parse(input)
}

/// A numeric time without the final boundary check, and whether it is a lone number
/// ("3", not "3pm", "3:00" or "15h"), which reads as a time only when nothing better does.
fn numeric_time_raw(input: &str) -> PResult<'_, (Clock, bool)> {
    let hour_len = input.bytes().take_while(u8::is_ascii_digit).count();
    if hour_len == 4 {
        return military(input);
    }
    if !(1..=2).contains(&hour_len) {
        return backtrack(input);
    }
    let (rest, hour) = digits(input)?;
    let leading_zero = hour_len == 2 && input.starts_with('0');
    // Minutes: ":30", ".30", "h30", "h".
    let mut minute = None;
    let mut h_form = false;
    let mut rest = rest;
    if let Some(after) = rest.strip_prefix([':', '.']) {
        if let Some(m) = two_digits(after) {
            minute = Some(m);
            rest = &after[2..];
        } else if rest.starts_with(':') {
            return backtrack(input);
        }
    } else if let Some(after) = rest.strip_prefix(['h', 'H']) {
        if let Some(m) = two_digits(after) {
            minute = Some(m);
            rest = &after[2..];
            h_form = true;
        } else if boundary(after).is_ok() {
            rest = after;
            h_form = true;
        } else {
            return backtrack(input);
        }
    }
    // am/pm, attached or after a space; "7p", "9a", "8:45a." attached; or "o'clock".
    let short = if h_form {
        None
    } else {
        short_meridiem(rest).ok()
    };
    let (rest, style) = match (sp0, meridiem).parse(rest) {
        _ if short.is_some() => match short {
            Some((r, s)) => (r, Some(s)),
            None => (rest, None),
        },
        Ok((r, (_, s))) if !h_form => (r, Some(s)),
        _ if !rest.trim_start().starts_with(['o', 'O']) => (rest, None),
        _ => match (
            sp1,
            alt((tag_no_case("o'clock"), tag_no_case("o\u{2019}clock"))),
        )
            .parse(rest)
        {
            Ok((r, _)) if minute.is_none() && !h_form => (r, Some(Style::Bare)),
            _ => (rest, None),
        },
    };
    let typed = &input[..input.len() - rest.len()];
    let rest = approximately(rest);
    let minute_value = minute.unwrap_or(0);
    let lone = minute.is_none() && style.is_none() && !h_form;
    let style = match style {
        Some(Style::Am | Style::Pm) if !(1..=12).contains(&hour) => {
            return fail(
                input,
                Problem::BadTime {
                    typed: typed.into(),
                },
            );
        }
        Some(s) => s,
        None if h_form || leading_zero || hour == 0 || hour >= 13 => Style::H24,
        None => Style::Bare,
    };
    if hour > 23 || minute_value > 59 {
        if lone {
            return backtrack(input);
        }
        return fail(
            input,
            Problem::BadTime {
                typed: typed.into(),
            },
        );
    }
    Ok((
        rest,
        (
            Clock {
                hour,
                minute: minute_value,
                style,
            },
            lone,
        ),
    ))
}

fn two_digits(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.len() >= 2
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && !b.get(2).is_some_and(u8::is_ascii_digit)
    {
        Some(u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0'))
    } else {
        None
    }
}

/// A time of day, as a whole word; `true` for a lone number.
pub(crate) fn clock(input: &str) -> PResult<'_, (Clock, bool)> {
    if let Ok((rest, c)) = named_time(input) {
        return Ok((rest, (c, false)));
    }
    if let Ok(found) = spoken_time(input) {
        return Ok(found);
    }
    let (rest, c) = numeric_time_raw(input)?;
    boundary(rest)?;
    Ok((rest, c))
}

/// A time said in words or as a clock phrase: "half past 7", "10 past 9", "seven thirty".
fn spoken_time(input: &str) -> PResult<'_, (Clock, bool)> {
    if let Ok((rest, c)) = super::spoken::clock_phrase(input) {
        return Ok((rest, (c, false)));
    }
    if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return backtrack(input);
    }
    super::spoken::word_time(input)
}

/// The range separators: `-`, `–`, `—`, `to`, `until`, `till`.
fn range_sep(input: &str) -> PResult<'_, ()> {
    let (rest, _) = sp0(input)?;
    if let Some(after) = rest.strip_prefix(['-', '\u{2013}', '\u{2014}']) {
        let (after, _) = sp0(after)?;
        return Ok((after, ()));
    }
    let (rest, _) = sp1(input)?;
    let (rest, _) = alt((kw(Kw::To), kw(Kw::Until))).parse(rest)?;
    let (rest, _) = sp1(rest)?;
    Ok((rest, ()))
}

/// A range's start: a time without a boundary check ("3" in "3-4pm").
fn range_start(input: &str) -> PResult<'_, (Clock, bool)> {
    if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return numeric_time_raw(input);
    }
    let named: PResult<'_, Clock> = alt((
        value(
            Clock {
                hour: 12,
                minute: 0,
                style: Style::H24,
            },
            alt((tag_no_case("noon"), tag_no_case("midday"))),
        ),
        value(
            Clock {
                hour: 0,
                minute: 0,
                style: Style::H24,
            },
            tag_no_case("midnight"),
        ),
    ))
    .parse(input);
    if let Ok((rest, c)) = named
        && (rest.starts_with(['-', '\u{2013}', '\u{2014}']) || boundary(rest).is_ok())
    {
        return Ok((rest, (c, false)));
    }
    spoken_time(input)
}

/// A time or a range, read once: `3pm`, `3-4pm`, `15:00 to 16:30`, `noon-1pm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timed {
    /// A time; `true` for a lone number.
    At(Clock, bool),
    /// A range; `true` when both ends are lone numbers ("3-4").
    Range(Clock, Clock, bool),
}

pub(crate) fn time_or_range(input: &str) -> PResult<'_, Timed> {
    let (after_start, (start, start_lone)) = range_start(input)?;
    if let Ok((rest, ())) = range_sep(after_start) {
        match clock(rest) {
            Ok((rest, (end, end_lone))) => {
                if start_lone && end_lone && start.hour == end.hour {
                    // "1-1", "2-2": a one-on-one or a score, never a twelve-hour meeting.
                    return backtrack(input);
                }
                let (start, end) = settle_range(start, end);
                return Ok((rest, Timed::Range(start, end, start_lone && end_lone)));
            }
            Err(nom::Err::Failure(e)) => return Err(nom::Err::Failure(e)),
            Err(_) => {}
        }
    }
    boundary(after_start)?;
    Ok((after_start, Timed::At(start, start_lone)))
}

/// A time range; the flag is true when both ends are lone numbers ("3-4"), a weak reading.
pub(crate) fn range(input: &str) -> PResult<'_, (Clock, Clock, bool)> {
    let prefixed = alt((value(true, kw(Kw::Between)), value(false, kw(Kw::From)))).parse(input);
    let (rest, between) = match prefixed {
        Ok((rest, between)) => {
            let (rest, _) = sp1(rest)?;
            (rest, between)
        }
        Err(_) => (input, false),
    };
    let has_prefix = rest.len() != input.len();
    let (rest, (start, start_lone)) = range_start(rest)?;
    // "from 3 in the morning until 5pm": the start's own part of the day.
    let (rest, start) = match (sp1, super::spoken::day_part).parse(rest) {
        Ok((after, (_, part)))
            if has_prefix && !part.plain && !part.today && start.style == Style::Bare =>
        {
            (after, start.with_style(part.part.style_for(start.hour)))
        }
        _ => (rest, start),
    };
    let sep = if between {
        (sp1, kw(Kw::And), sp1)
            .map(|_| ())
            .parse(rest)
            .or_else(|_: nom::Err<GrammarError<'_>>| range_sep(rest))
    } else {
        range_sep(rest)
    };
    let (rest, ()) = sep?;
    let (rest, (end, end_lone)) = clock(rest)?;
    let (start, end) = settle_range(start, end);
    Ok((rest, (start, end, start_lone && end_lone && !has_prefix)))
}

/// Decides the halves of the day of a range's ends: an am/pm written only on the end applies
/// to the start when that keeps the start first (`3-4pm`, but `11-1pm`); an end without one is
/// the first such time after the start (`6-7` is 18:00–19:00).
fn settle_range(start: Clock, end: Clock) -> (Clock, Clock) {
    let start = match (start.style, end.style) {
        (Style::Bare, Style::Am | Style::Pm) => {
            let candidate = start.with_style(end.style);
            if start.hour <= 12 && candidate.minutes() < end.minutes() {
                candidate
            } else {
                start
            }
        }
        _ => start,
    };
    // A bare end stays bare: it is the first such time after the start, and the start may
    // still change its half of the day ("monday morning 6-8" is 06:00–08:00).
    (start, end)
}

/// The minutes after midnight of an end time that follows a start at `start_minutes`: an end
/// written without am/pm is whichever half of the day comes first after the start.
pub(crate) fn end_after(start_minutes: u32, end: Clock) -> u32 {
    if end.style != Style::Bare {
        return end.minutes();
    }
    let morning = end.with_style(Style::Am).minutes();
    let evening = end.with_style(Style::Pm).minutes();
    let ahead = |m: u32| (m + 24 * 60 - start_minutes % (24 * 60)) % (24 * 60);
    if ahead(morning) != 0 && (ahead(evening) == 0 || ahead(morning) < ahead(evening)) {
        morning
    } else {
        evening
    }
}

/// `at 2:00 - 2:30 pm`, `at 3-4`: a range after `at` is a range (and never weak).
pub(crate) fn at_range(input: &str) -> PResult<'_, (Clock, Clock)> {
    let (rest, _) = (kw(Kw::At), sp1).parse(input)?;
    match time_or_range(rest)? {
        (rest, Timed::Range(start, end, _)) => Ok((rest, (start, end))),
        _ => backtrack(input),
    }
}

/// `at 3`, `at 15:00`, `at noon`: after `at`, a number must be a time.
pub(crate) fn at_time(input: &str) -> PResult<'_, Clock> {
    let (rest, _) = (kw(Kw::At), sp1).parse(input)?;
    if rest.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return match clock(rest) {
            Ok((r, (c, _))) => Ok((r, c)),
            Err(nom::Err::Error(_)) => {
                let typed = rest.split_whitespace().next().unwrap_or(rest);
                fail(
                    rest,
                    Problem::BadTime {
                        typed: typed.into(),
                    },
                )
            }
            Err(e) => Err(e),
        };
    }
    let (rest, (c, _)) = clock(rest)?;
    Ok((rest, c))
}

// ---------------------------------------------------------------------------------------------
// Durations

/// A length of time in minutes. `after_for` allows the compact hour forms (`1h`, `1h30`),
/// which elsewhere are times of day (`15h30`).
pub(crate) fn duration(input: &str, after_for: bool) -> PResult<'_, u32> {
    alt((half_an_hour, an_hour, move |i| {
        number_with_units(i, after_for)
    }))
    .parse(input)
}

/// `half an hour`, `half hour`, `a half hour`, `half-hour`.
fn half_an_hour(input: &str) -> PResult<'_, u32> {
    let (rest, _) = opt((kw(Kw::A), sp1)).parse(input)?;
    if let Ok((rest, _)) = tag_no_case::<&str, &str, GrammarError<'_>>("half-hour")(rest) {
        boundary(rest)?;
        return Ok((rest, 30));
    }
    let (rest, _) = (
        kw(Kw::Half),
        sp1,
        opt((kw(Kw::A), sp1)),
        unit_is(Unit::Hour),
    )
        .parse(rest)?;
    Ok((rest, 30))
}

/// `an hour`, `one hour`, `an hour and a half`.
fn an_hour(input: &str) -> PResult<'_, u32> {
    let (rest, _) = (
        alt((kw(Kw::A), kw(Kw::Number(1)))),
        sp1,
        unit_is(Unit::Hour),
    )
        .parse(input)?;
    if let Ok((rest, _)) = (sp1, kw(Kw::And), sp1, kw(Kw::A), sp1, kw(Kw::Half)).parse(rest) {
        return Ok((rest, 90));
    }
    Ok((rest, 60))
}

fn unit_is<'a>(expected: Unit) -> impl Fn(&'a str) -> PResult<'a, ()> {
    move |input| {
        let (rest, u) = unit(input)?;
        if u != expected {
            return backtrack(input);
        }
        boundary(rest)?;
        Ok((rest, ()))
    }
}

/// A decimal number: "1", "1.5", "two".
fn amount(input: &str) -> PResult<'_, f64> {
    if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        let (rest, whole) = digits(input)?;
        if let Some(after) = rest.strip_prefix('.') {
            let frac_len = after.bytes().take_while(u8::is_ascii_digit).count();
            if (1..=3).contains(&frac_len) {
                let value: f64 = input[..input.len() - after.len() + frac_len]
                    .parse()
                    .unwrap_or(0.0);
                return Ok((&after[frac_len..], value));
            }
        }
        return Ok((rest, f64::from(whole)));
    }
    let (rest, n) = super::spoken::number_words(input)?;
    Ok((rest, f64::from(n)))
}

/// `45m`, `45 min`, `90 minutes`, `2 hours`, `1.5 hours`, `1h30`, `1h30m`, `1 hour 30 minutes`,
/// `30-minute`.
fn number_with_units(input: &str, after_for: bool) -> PResult<'_, u32> {
    let (rest, first) = amount(input)?;
    let rest = match rest.strip_prefix('-') {
        Some(after) => after,
        None => sp0(rest)?.0,
    };
    let (rest_u, first_unit) = unit(rest)?;
    let unit_text = &rest[..rest.len() - rest_u.len()];
    let to_minutes = |amount: f64, u: Unit| -> Option<f64> {
        match u {
            Unit::Minute => Some(amount),
            Unit::Hour => Some(amount * 60.0),
            _ => None,
        }
    };
    let Some(mut minutes) = to_minutes(first, first_unit) else {
        return backtrack(input);
    };
    let mut rest = rest_u;
    if first_unit == Unit::Hour {
        // "1h30", "1h30m", "1 hour 30 minutes", "1 hour and 30 min".
        let attached = unit_text.len() <= 3
            && unit_text.eq_ignore_ascii_case("h")
            && rest.as_bytes().first().is_some_and(u8::is_ascii_digit);
        if attached {
            let (r, m) = digits(rest)?;
            let (r, _) = opt(unit_is_minute_raw).parse(r)?;
            minutes += f64::from(m);
            rest = r;
        } else if let Ok((r, (_, _, m, _, _))) = (
            sp1,
            opt((kw(Kw::And), sp1)),
            digits,
            sp0,
            unit_is_minute_raw,
        )
            .parse(rest)
        {
            minutes += f64::from(m);
            rest = r;
        } else if !after_for && unit_text.eq_ignore_ascii_case("h") {
            // "15h" elsewhere is a time of day.
            return backtrack(input);
        }
    }
    boundary(rest)?;
    if !after_for && first_unit == Unit::Hour && unit_text.eq_ignore_ascii_case("h") {
        return backtrack(input);
    }
    Ok((rest, minutes.round().clamp(0.0, 1_000_000.0) as u32))
}

fn unit_is_minute_raw(input: &str) -> PResult<'_, ()> {
    let (rest, u) = unit(input)?;
    if u != Unit::Minute {
        return backtrack(input);
    }
    Ok((rest, ()))
}

/// `for <duration>`.
pub(crate) fn for_duration(input: &str) -> PResult<'_, u32> {
    let (rest, _) = (kw(Kw::For), sp1).parse(input)?;
    duration(rest, true)
}

/// `in <duration>` (from now): `in 10 minutes`, `in an hour`, `in half an hour`.
pub(crate) fn in_duration(input: &str) -> PResult<'_, u32> {
    let (rest, _) = (kw(Kw::In), sp1).parse(input)?;
    duration(rest, true)
}

/// `until 5pm`, `till 17:00` (an end time).
pub(crate) fn until_time(input: &str) -> PResult<'_, Clock> {
    let (rest, (_, _, (c, _))) = (kw(Kw::Until), sp1, clock).parse(input)?;
    Ok((rest, c))
}

/// A keyword at `input`, for dispatch.
pub(crate) fn peek_keyword(input: &str) -> Option<Kw> {
    keyword(input).ok().map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> (u32, bool) {
        let (_, (c, lone)) = clock(text).unwrap();
        (c.minutes(), lone)
    }

    fn r(text: &str) -> (u32, u32) {
        let (_, (s, e, _)) = range(text).unwrap();
        (s.minutes(), end_after(s.minutes(), e))
    }

    #[test]
    fn times_of_day() {
        assert_eq!(t("3pm"), (15 * 60, false));
        assert_eq!(t("3 pm"), (15 * 60, false));
        assert_eq!(t("3:30pm"), (15 * 60 + 30, false));
        assert_eq!(t("3.30pm"), (15 * 60 + 30, false));
        assert_eq!(t("15:00"), (15 * 60, false));
        assert_eq!(t("15h"), (15 * 60, false));
        assert_eq!(t("15h30"), (15 * 60 + 30, false));
        assert_eq!(t("noon"), (12 * 60, false));
        assert_eq!(t("midnight"), (0, false));
        assert_eq!(t("07:30"), (7 * 60 + 30, false));
        assert_eq!(t("3"), (15 * 60, true));
        assert_eq!(t("9"), (9 * 60, true));
        assert_eq!(t("12"), (12 * 60, true));
        assert_eq!(t("12am"), (0, false));
        assert_eq!(t("12pm"), (12 * 60, false));
        assert!(clock("42").is_err());
        assert!(matches!(clock("13pm"), Err(nom::Err::Failure(_))));
        assert!(matches!(clock("25:00"), Err(nom::Err::Failure(_))));
    }

    #[test]
    fn ranges_share_am_pm_as_the_contract_says() {
        assert_eq!(r("3-4pm"), (15 * 60, 16 * 60));
        assert_eq!(r("11-1pm"), (11 * 60, 13 * 60));
        assert_eq!(r("from 3 to 4pm"), (15 * 60, 16 * 60));
        assert_eq!(r("between 10 and 11am"), (10 * 60, 11 * 60));
        assert_eq!(r("6-7"), (18 * 60, 19 * 60));
        assert_eq!(r("9am-5"), (9 * 60, 17 * 60));
        assert_eq!(r("15:00\u{2013}16:30"), (15 * 60, 16 * 60 + 30));
        assert_eq!(r("10pm-1am"), (22 * 60, 60));
    }

    #[test]
    fn durations() {
        let d = |s: &str| duration(s, true).unwrap().1;
        assert_eq!(d("45m"), 45);
        assert_eq!(d("45 min"), 45);
        assert_eq!(d("45 minutes"), 45);
        assert_eq!(d("1h"), 60);
        assert_eq!(d("1h30"), 90);
        assert_eq!(d("1h30m"), 90);
        assert_eq!(d("1.5 hours"), 90);
        assert_eq!(d("90 minutes"), 90);
        assert_eq!(d("an hour"), 60);
        assert_eq!(d("half an hour"), 30);
        assert_eq!(d("2 hours"), 120);
        assert_eq!(d("1 hour 30 minutes"), 90);
        assert_eq!(d("30-minute"), 30);
        assert!(duration("15h", false).is_err());
        assert!(duration("1h30", false).is_err());
    }

    #[test]
    fn dates() {
        let d = |s: &str| date(s).unwrap().1;
        assert_eq!(d("tomorrow").spec, DateSpec::Tomorrow);
        assert_eq!(
            d("on march 29").spec,
            DateSpec::MonthDay {
                month: 3,
                day: 29,
                year: None
            }
        );
        assert_eq!(
            d("29th of march 2027").spec,
            DateSpec::MonthDay {
                month: 3,
                day: 29,
                year: Some(2027)
            }
        );
        assert_eq!(
            d("the 29th of march").spec,
            DateSpec::MonthDay {
                month: 3,
                day: 29,
                year: None
            }
        );
        assert_eq!(d("on the 15th").spec, DateSpec::DayOfMonth(15));
        assert_eq!(
            d("next tue").spec,
            DateSpec::Weekday {
                day: Weekday::Tue,
                next: true
            }
        );
        assert_eq!(d("next week").spec, DateSpec::NextWeek(None));
        assert_eq!(d("in 2 weeks").spec, DateSpec::InWeeks(2));
        let checked = d("monday, march 29");
        assert_eq!(checked.weekday, Some(Weekday::Mon));
        assert!(date("march 3pm").is_err());
        assert_eq!(
            date_from_digits("3/4").unwrap().1.spec,
            DateSpec::Slashed {
                first: 3,
                second: 4,
                year: None
            }
        );
        assert!(matches!(
            date_from_digits("3/4/27"),
            Err(nom::Err::Failure(_))
        ));
        assert!(matches!(date("2027-02-30"), Err(nom::Err::Failure(_))));
    }
}
