//! Offsets people count from now or from a day: `30 minutes from now`, `an hour from now`,
//! `two weeks from now`, `3 days from tuesday` (`monday week` is read with the weekday).
//! Minutes and hours are a start; days and more are a date that still needs its time.

use super::when::DateSpec;
use super::{PResult, backtrack, boundary, count, keyword, kw, sp1, unit};
use crate::command::lexicon::{Kw, Unit};
use nom::Parser;
use nom::branch::alt;
use nom::combinator::value;

/// What an offset names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Offset {
    /// A start that many minutes from now.
    Minutes(u32),
    /// A day.
    Date(DateSpec),
}

/// `<amount> <unit> from now|today|tomorrow|<weekday>`.
pub(crate) fn from_now(input: &str) -> PResult<'_, Offset> {
    if !super::has_cue(super::Cue::From) {
        return backtrack(input);
    }
    if let Ok((rest, minutes)) = super::when::duration(input, true)
        && let Ok((rest, _)) = (sp1, kw(Kw::From), sp1, kw(Kw::Now)).parse(rest)
    {
        return Ok((rest, Offset::Minutes(minutes)));
    }
    let (rest, (n, _, u)) = (alt((count, value(1, kw(Kw::A)))), sp1, unit).parse(input)?;
    boundary(rest)?;
    let days = match u {
        Unit::Day => n,
        Unit::Week => n.saturating_mul(7),
        Unit::Fortnight => n.saturating_mul(14),
        _ => return backtrack(input),
    };
    let (rest, _) = (sp1, kw(Kw::From), sp1).parse(rest)?;
    let (rest, base) = keyword(rest)?;
    let spec = match base {
        Kw::Now | Kw::Today => DateSpec::DaysFrom {
            days,
            weekday: None,
        },
        Kw::Tomorrow => DateSpec::DaysFrom {
            days: days.saturating_add(1),
            weekday: None,
        },
        Kw::WeekdayName(day) => DateSpec::DaysFrom {
            days,
            weekday: Some(day),
        },
        _ => return backtrack(input),
    };
    Ok((rest, Offset::Date(spec)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    #[test]
    fn offsets_from_now_and_from_a_day() {
        assert_eq!(
            from_now("30 minutes from now").unwrap().1,
            Offset::Minutes(30)
        );
        assert_eq!(from_now("an hour from now").unwrap().1, Offset::Minutes(60));
        assert_eq!(
            from_now("two weeks from now").unwrap().1,
            Offset::Date(DateSpec::DaysFrom {
                days: 14,
                weekday: None
            })
        );
        assert_eq!(
            from_now("3 days from tuesday").unwrap().1,
            Offset::Date(DateSpec::DaysFrom {
                days: 3,
                weekday: Some(Weekday::Tue)
            })
        );
        assert!(from_now("30 minutes").is_err());
    }
}
