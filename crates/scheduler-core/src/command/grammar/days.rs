//! Days written the ways people write them beyond the contract's first forms: ordinal words
//! (`Jan first`, `the twenty second`), a day number without a suffix after `the` (`the 17`),
//! dotted day-first dates (`23.04.2027`, `23.4.`), and `the first monday of next month`.

use super::when::{DateSpec, month_name, weekday_name};
use super::{PResult, Problem, backtrack, boundary, digits, fail, keyword, kw, sp1};
use crate::command::lexicon::Kw;
use crate::schedule::Nth;
use chrono::NaiveDate;
use nom::Parser;

const ORDINALS: &[(&str, u32)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
    ("twentieth", 20),
    ("thirtieth", 30),
];

fn letters(input: &str) -> (&str, &str) {
    let n = input.bytes().take_while(u8::is_ascii_alphabetic).count();
    (&input[..n], &input[n..])
}

fn ordinal_value(word: &str) -> Option<u32> {
    ORDINALS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|(_, n)| *n)
}

/// A day of the month as an ordinal word: `first` … `thirty-first`, `twenty second`.
pub(crate) fn ordinal_word(input: &str) -> PResult<'_, u32> {
    let (word, rest) = letters(input);
    let tens = if word.eq_ignore_ascii_case("twenty") {
        20
    } else if word.eq_ignore_ascii_case("thirty") {
        30
    } else {
        0
    };
    if tens > 0 {
        if let Some(after) = rest.strip_prefix(['-', ' ']) {
            let (unit, r) = letters(after);
            if let Some(u) = ordinal_value(unit).filter(|u| (1..=9).contains(u)) {
                boundary(r)?;
                if tens + u > 31 {
                    return backtrack(input);
                }
                return Ok((r, tens + u));
            }
        }
        return backtrack(input);
    }
    let Some(n) = ordinal_value(word) else {
        return backtrack(input);
    };
    boundary(rest)?;
    Ok((rest, n))
}

/// After `the`: a day number without a suffix (`the 17`), or an ordinal word
/// (`the twenty second`), not followed by a weekday (that is `the first monday …`).
pub(crate) fn the_plain_day(input: &str) -> PResult<'_, u32> {
    let (rest, day) = if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        let (rest, n) = digits(input)?;
        if input.len() - rest.len() > 2 || !(1..=31).contains(&n) {
            return backtrack(input);
        }
        boundary(rest)?;
        (rest, n)
    } else {
        ordinal_word(input)?
    };
    if (sp1, weekday_name).parse(rest).is_ok() {
        return backtrack(input);
    }
    Ok((rest, day))
}

/// `23.04.2027`, `23.4.2027`, `23.4.`: day first, as everywhere dots are written.
pub(crate) fn dotted_date(input: &str) -> PResult<'_, DateSpec> {
    let (rest, day) = digits(input)?;
    let day_len = input.len() - rest.len();
    let rest = rest.strip_prefix('.').ok_or_else(|| err(input))?;
    let (after_month, month) = digits(rest)?;
    let month_len = rest.len() - after_month.len();
    let rest = after_month.strip_prefix('.').ok_or_else(|| err(input))?;
    if day_len > 2 || month_len > 2 {
        return backtrack(input);
    }
    let (rest, year) = match digits(rest) {
        Ok((r, y)) if rest.len() - r.len() == 4 => (r, Some(y as i32)),
        Ok(_) => return backtrack(input),
        Err(_) => (rest, None),
    };
    boundary(rest)?;
    let typed = &input[..input.len() - rest.len()];
    let valid = NaiveDate::from_ymd_opt(year.unwrap_or(2028), month, day).is_some();
    if !valid {
        return fail(
            input,
            Problem::BadDate {
                typed: typed.into(),
            },
        );
    }
    Ok((rest, DateSpec::MonthDay { month, day, year }))
}

fn err(input: &str) -> nom::Err<super::GrammarError<'_>> {
    nom::Err::Error(super::GrammarError::at(input))
}

/// Which month an nth weekday is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MonthRef {
    /// `this month` (0), `next month` (1).
    Ahead(u32),
    /// `of april`: the next april whose day has not passed.
    Named(u32),
}

/// `first monday of next month`, `last friday of april` (after `the`).
pub(crate) fn nth_weekday_of(input: &str) -> PResult<'_, DateSpec> {
    let (rest, nth) = match keyword(input) {
        Ok((rest, Kw::Nth(n))) => (rest, n),
        _ => {
            let (rest, n) = super::ordinal_day(input)?;
            let nth = match n {
                1 => Nth::First,
                2 => Nth::Second,
                3 => Nth::Third,
                4 => Nth::Fourth,
                _ => return backtrack(input),
            };
            (rest, nth)
        }
    };
    let (rest, (_, weekday, _, _, _)) = (sp1, weekday_name, sp1, kw(Kw::Of), sp1).parse(rest)?;
    let (rest, month) = match keyword(rest) {
        Ok((after, Kw::Next | Kw::This)) => {
            let ahead = u32::from(matches!(keyword(rest), Ok((_, Kw::Next))));
            let (after, _) = sp1(after)?;
            let (after, u) = super::unit(after)?;
            boundary(after)?;
            if u != crate::command::lexicon::Unit::Month {
                return backtrack(input);
            }
            (after, MonthRef::Ahead(ahead))
        }
        _ => {
            let (after, m) = month_name(rest)?;
            (after, MonthRef::Named(m))
        }
    };
    Ok((
        rest,
        DateSpec::NthWeekdayOf {
            nth,
            weekday,
            month,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_plain_days_and_dots() {
        assert_eq!(ordinal_word("first of").unwrap(), (" of", 1));
        assert_eq!(ordinal_word("twenty second").unwrap(), ("", 22));
        assert_eq!(ordinal_word("thirty-first").unwrap(), ("", 31));
        assert!(ordinal_word("thirty-second").is_err());
        assert_eq!(the_plain_day("17 at 3").unwrap(), (" at 3", 17));
        assert!(the_plain_day("first monday of").is_err());
        assert_eq!(
            dotted_date("23.04.2027").unwrap().1,
            DateSpec::MonthDay {
                month: 4,
                day: 23,
                year: Some(2027)
            }
        );
        assert_eq!(
            dotted_date("23.4. at").unwrap().1,
            DateSpec::MonthDay {
                month: 4,
                day: 23,
                year: None
            }
        );
        assert!(dotted_date("3.30pm").is_err());
        assert!(matches!(dotted_date("31.02."), Err(nom::Err::Failure(_))));
    }
}
