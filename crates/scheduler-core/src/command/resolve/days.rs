//! Days of issue 13's date forms: slashed dates read by the person's region, and the nth
//! weekday of a month.

use crate::command::grammar::Problem;
use crate::command::grammar::when::DateSpec;
use crate::command::scan::{ScanError, Span};
use chrono::{Datelike, Months, NaiveDate};
use chrono_tz::Tz;

/// A slashed date: with one possible reading (`13/4`, `12/25`) that one; with two, the order
/// of the person's region (`person_zone`), or where the region writes both ways, a refusal
/// showing both readings.
pub(super) fn slashed(
    text: &str,
    span: Span,
    first: u32,
    second: u32,
    year: Option<i32>,
    person_zone: Tz,
    today: NaiveDate,
) -> Result<DateSpec, ScanError> {
    use crate::command::date_order::{DateOrder, for_zone};
    let typed = || text[span.at..span.end].to_string();
    let reading = |month: u32, day: u32| -> Option<NaiveDate> {
        let y = year.unwrap_or(today.year());
        NaiveDate::from_ymd_opt(y, month, day)
            .or_else(|| NaiveDate::from_ymd_opt(y + 1, month, day))
            .or_else(|| NaiveDate::from_ymd_opt(2028, month, day).filter(|_| year.is_none()))
    };
    let day_first = reading(second, first).map(|d| (second, first, d));
    let month_first = reading(first, second).map(|d| (first, second, d));
    let chosen = match (for_zone(person_zone), day_first, month_first) {
        // One reading only ("12/25", "25/12"): it is the date, whichever way the region writes.
        (_, Some(r), None) | (_, None, Some(r)) => r,
        (Some(DateOrder::DayFirst), Some(r), _) | (Some(DateOrder::MonthFirst), _, Some(r)) => r,
        (None, Some(a), Some(b)) if a.0 != b.0 => {
            return Err((
                Problem::SlashDateBoth {
                    typed: typed(),
                    day_first: a.2,
                    month_first: b.2,
                },
                Some(span.at),
            ));
        }
        (None, Some(r), _) => r,
        _ => return Err((Problem::BadDate { typed: typed() }, Some(span.at))),
    };
    let (month, day, _) = chosen;
    Ok(DateSpec::MonthDay { month, day, year })
}

/// `the first monday of next month`, `the last friday of april` (the next april whose day
/// has not passed).
pub(super) fn nth_weekday_date(
    nth: crate::schedule::Nth,
    weekday: chrono::Weekday,
    month: crate::command::grammar::days::MonthRef,
    today: NaiveDate,
) -> Option<NaiveDate> {
    use crate::command::grammar::days::MonthRef;
    let first_of_this = today.with_day(1)?;
    match month {
        MonthRef::Ahead(n) => {
            let m = first_of_this.checked_add_months(Months::new(n))?;
            nth.date_in(m.year(), m.month(), weekday)
        }
        MonthRef::Named(month) => (0..3)
            .filter_map(|k| nth.date_in(today.year() + k, month, weekday))
            .find(|d| *d >= today),
    }
}
