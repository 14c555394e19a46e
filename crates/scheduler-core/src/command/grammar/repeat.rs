//! Repeats (`every other week`, `the first monday of every month`) and how they end
//! (`4 times`, `until june 30`, `for 6 weeks`).

use super::when::{DateClause, date, month_end};
use super::{
    GrammarError, PResult, Problem, backtrack, boundary, count, digits, fail, keyword, kw, kw_map,
    list_sep, ordinal_day, sp1, unit,
};
use crate::command::lexicon::{Kw, Unit};
use crate::schedule::{Nth, WeekdaySet};
use chrono::Weekday;
use nom::Parser;
use nom::branch::alt;
use nom::combinator::{opt, value};
use nom::multi::separated_list1;

/// What a repeat names, before the first meeting fills in what it leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RepeatKind {
    Daily,
    /// The days; `None` for "the start's weekday".
    Weekly(Option<WeekdaySet>),
    /// The day of the month; `None` for "the start's day".
    MonthlyOnDay(Option<u32>),
    MonthlyOnWeekday(Nth, Weekday),
    Yearly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RepeatSpec {
    pub kind: RepeatKind,
    pub interval: u32,
}

impl RepeatSpec {
    fn every(kind: RepeatKind) -> Self {
        Self { kind, interval: 1 }
    }

    /// One repeat from two that say the same thing, one more precisely ("weekly" and "every
    /// tuesday"); `None` when they disagree.
    pub(crate) fn merge(self, other: RepeatSpec) -> Option<RepeatSpec> {
        use RepeatKind::*;
        let interval = match (self.interval, other.interval) {
            (a, b) if a == b => a,
            (1, b) => b,
            (a, 1) => a,
            _ => return None,
        };
        let kind = match (self.kind, other.kind) {
            (a, b) if a == b => a,
            (Yearly, Yearly) => Yearly,
            (Weekly(None), Weekly(days)) | (Weekly(days), Weekly(None)) => Weekly(days),
            (MonthlyOnDay(None), k @ (MonthlyOnDay(_) | MonthlyOnWeekday(..)))
            | (k @ (MonthlyOnDay(_) | MonthlyOnWeekday(..)), MonthlyOnDay(None)) => k,
            _ => return None,
        };
        Some(RepeatSpec { kind, interval })
    }
}

/// How a series ends, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RepeatEndSpec {
    Count(u32),
    Until(DateClause),
    /// `for 6 weeks`: that span, counted from the first meeting.
    For(u32, Unit),
}

/// A weekday, singular or plural.
fn any_weekday(input: &str) -> PResult<'_, Weekday> {
    let (rest, day) = kw_map(|k| match k {
        Kw::WeekdayName(d) | Kw::WeekdayPlural(d) => Some(d),
        _ => None,
    })(input)?;
    let rest = rest
        .strip_prefix('.')
        .filter(|r| boundary(r).is_ok())
        .unwrap_or(rest);
    Ok((rest, day))
}

fn plural_weekday(input: &str) -> PResult<'_, Weekday> {
    kw_map(|k| match k {
        Kw::WeekdayPlural(d) => Some(d),
        _ => None,
    })(input)
}

/// `mon and wed`, `monday, wednesday and friday`, `tue/thu`.
fn weekday_list(input: &str) -> PResult<'_, WeekdaySet> {
    let (rest, days) = separated_list1(list_sep, any_weekday).parse(input)?;
    Ok((
        rest,
        days.into_iter().fold(WeekdaySet::EMPTY, WeekdaySet::with),
    ))
}

/// `first` … `fourth`, `last`, `1st` … `4th`; `true` when it is `first`/`1st`/`last`.
fn nth(input: &str) -> PResult<'_, (Nth, bool)> {
    if let Ok((rest, n)) = ordinal_day(input) {
        let nth = match n {
            1 => Nth::First,
            2 => Nth::Second,
            3 => Nth::Third,
            4 => Nth::Fourth,
            _ => return backtrack(input),
        };
        return Ok((rest, (nth, nth == Nth::First)));
    }
    let (rest, nth) = kw_map(|k| match k {
        Kw::Nth(n) => Some(n),
        _ => None,
    })(input)?;
    Ok((rest, (nth, matches!(nth, Nth::First | Nth::Last))))
}

/// A refusal for two days in a monthly rule: "the 1st and 15th", "first and third monday".
fn no_second_day<'a>(input: &'a str) -> PResult<'a, ()> {
    let second = (
        list_sep,
        opt((kw(Kw::The), sp1)),
        alt((ordinal_day.map(|_| ()), nth.map(|_| ()))),
    )
        .parse(input);
    match second {
        Ok(_) => fail(input, Problem::MonthlyTwoDays),
        Err(_) => Ok((input, ())),
    }
}

/// ` of every month`, ` of each month`, ` of the month`, ` of every other month`,
/// ` of every 3 months`: the interval.
fn of_every_month(input: &str) -> PResult<'_, u32> {
    of_month(input, true)
}

/// Like [`of_every_month`]; `allow_the` also takes "of the month".
fn of_month(input: &str, allow_the: bool) -> PResult<'_, u32> {
    let (rest, (_, _, _, which, _)) = (
        sp1,
        kw(Kw::Of),
        sp1,
        alt((
            value(true, kw(Kw::Every)),
            value(true, kw(Kw::Each)),
            value(false, kw(Kw::The)),
        )),
        sp1,
    )
        .parse(input)?;
    if !which && !allow_the {
        return backtrack(input);
    }
    let (rest, interval) = if which {
        alt((
            (kw(Kw::Other), sp1).map(|_| 2),
            (count, sp1).map(|(n, _)| n),
            nom::combinator::success(1),
        ))
        .parse(rest)?
    } else {
        (rest, 1)
    };
    let (rest, u) = unit(rest)?;
    if u != Unit::Month {
        return backtrack(input);
    }
    boundary(rest)?;
    Ok((rest, interval))
}

/// `first monday`, with a refusal for "first and third monday".
fn nth_weekday(input: &str) -> PResult<'_, (Nth, bool, Weekday)> {
    let (rest, (n, plain)) = nth(input)?;
    no_second_day(rest)?;
    let (rest, (_, day)) = (sp1, any_weekday).parse(rest)?;
    Ok((rest, (n, plain, day)))
}

/// ` on mon and wed` after a weekly repeat.
fn on_weekdays(input: &str) -> PResult<'_, WeekdaySet> {
    let (rest, (_, _, _, days)) = (sp1, kw(Kw::On), sp1, weekday_list).parse(input)?;
    Ok((rest, days))
}

/// ` on the 15th`, ` on the first monday` after a monthly repeat.
fn on_month_day(input: &str) -> PResult<'_, RepeatKind> {
    let (rest, _) = (sp1, kw(Kw::On), sp1, opt((kw(Kw::The), sp1))).parse(input)?;
    if let Ok((rest, day)) = ordinal_day(rest) {
        no_second_day(rest)?;
        return Ok((rest, RepeatKind::MonthlyOnDay(Some(day))));
    }
    let (rest, (n, _, day)) = nth_weekday(rest)?;
    Ok((rest, RepeatKind::MonthlyOnWeekday(n, day)))
}

/// The unit of an `every`: "day", "week [on …]", "month [on …]", "year".
fn unit_with_days(input: &str) -> PResult<'_, RepeatKind> {
    let (rest, u) = unit(input)?;
    boundary(rest)?;
    Ok(match u {
        Unit::Day => (rest, RepeatKind::Daily),
        Unit::Week => match on_weekdays(rest) {
            Ok((rest, days)) => (rest, RepeatKind::Weekly(Some(days))),
            Err(_) => (rest, RepeatKind::Weekly(None)),
        },
        Unit::Month => match on_month_day(rest) {
            Ok((rest, kind)) => (rest, kind),
            Err(nom::Err::Failure(e)) => return Err(nom::Err::Failure(e)),
            Err(_) => (rest, RepeatKind::MonthlyOnDay(None)),
        },
        Unit::Year => (rest, RepeatKind::Yearly),
        _ => return backtrack(input),
    })
}

/// `fortnight` after `every`: every two weeks.
fn fortnight(input: &str) -> PResult<'_, RepeatSpec> {
    let (rest, u) = unit(input)?;
    boundary(rest)?;
    if u != Unit::Fortnight {
        return backtrack(input);
    }
    Ok((
        rest,
        RepeatSpec {
            kind: RepeatKind::Weekly(None),
            interval: 2,
        },
    ))
}

/// `every morning`, `every night`: daily, with the part of the day left for the scanner to
/// read (it decides am/pm of the time).
fn every_day_part(input: &str) -> PResult<'_, RepeatSpec> {
    match keyword(input) {
        Ok((_, Kw::DayPart(_))) => Ok((input, RepeatSpec::every(RepeatKind::Daily))),
        _ => backtrack(input),
    }
}

/// What follows `every`.
fn every_body(input: &str) -> PResult<'_, RepeatSpec> {
    if let Ok(found) = alt((fortnight, every_day_part)).parse(input) {
        return Ok(found);
    }
    // every other …
    if let Ok((rest, _)) = (kw(Kw::Other), sp1).parse(input) {
        if let Ok((rest, days)) = weekday_list(rest) {
            return Ok((
                rest,
                RepeatSpec {
                    kind: RepeatKind::Weekly(Some(days)),
                    interval: 2,
                },
            ));
        }
        let (rest, kind) = unit_with_days(rest)?;
        return Ok((rest, RepeatSpec { kind, interval: 2 }));
    }
    // every 2 weeks …
    if let Ok((rest, (n, _))) = (count, sp1).parse(input)
        && let Ok((rest, kind)) = unit_with_days(rest)
    {
        return Ok((rest, RepeatSpec { kind, interval: n }));
    }
    // "every 2nd monday" is not a count; fall through.
    // every first monday [of the month]
    if let Ok((rest, (n, plain, day))) = nth_weekday(input) {
        return match of_every_month(rest) {
            Ok((rest, interval)) => Ok((
                rest,
                RepeatSpec {
                    kind: RepeatKind::MonthlyOnWeekday(n, day),
                    interval,
                },
            )),
            Err(nom::Err::Error(_)) if plain => Ok((
                rest,
                RepeatSpec::every(RepeatKind::MonthlyOnWeekday(n, day)),
            )),
            Err(nom::Err::Error(_)) => {
                let typed = &input[..input.len() - rest.len()];
                fail(
                    input,
                    Problem::AmbiguousNth {
                        typed: typed.into(),
                        nth: n,
                        weekday: day,
                    },
                )
            }
            Err(e) => Err(e),
        };
    }
    // every 15th [of the month]
    if let Ok((rest, day)) = ordinal_day(input) {
        no_second_day(rest)?;
        let (rest, interval) = opt(|i| of_month(i, true)).parse(rest)?;
        return Ok((
            rest,
            RepeatSpec {
                kind: RepeatKind::MonthlyOnDay(Some(day)),
                interval: interval.unwrap_or(1),
            },
        ));
    }
    // every weekday / weekend
    if let Ok((rest, k)) = keyword(input) {
        match k {
            Kw::Workday | Kw::Workdays => {
                return Ok((
                    rest,
                    RepeatSpec::every(RepeatKind::Weekly(Some(WeekdaySet::WORKWEEK))),
                ));
            }
            Kw::Weekend | Kw::Weekends => {
                return Ok((
                    rest,
                    RepeatSpec::every(RepeatKind::Weekly(Some(WeekdaySet::WEEKEND))),
                ));
            }
            _ => {}
        }
    }
    // every mon-fri
    if let Ok((rest, days)) = weekday_range(input) {
        return Ok((rest, RepeatSpec::every(RepeatKind::Weekly(Some(days)))));
    }
    // every monday and wednesday
    if let Ok((rest, days)) = weekday_list(input) {
        return Ok((rest, RepeatSpec::every(RepeatKind::Weekly(Some(days)))));
    }
    // every day / week / month / year
    let (rest, kind) = unit_with_days(input)?;
    Ok((rest, RepeatSpec::every(kind)))
}

/// `every …` (committed: a reading of `every` that fails is refused) or `each …`.
fn every_phrase(input: &str) -> PResult<'_, RepeatSpec> {
    let (rest, committed) =
        alt((value(true, kw(Kw::Every)), value(false, kw(Kw::Each)))).parse(input)?;
    let body = (sp1, every_body).map(|(_, spec)| spec).parse(rest);
    match body {
        Err(nom::Err::Failure(GrammarError {
            problem: Some(p), ..
        })) if matches!(*p, Problem::AmbiguousNth { .. }) => {
            let Problem::AmbiguousNth {
                typed,
                nth,
                weekday,
            } = *p
            else {
                unreachable!()
            };
            let typed = format!("{} {typed}", &input[..input.len() - rest.len()]);
            fail(
                input,
                Problem::AmbiguousNth {
                    typed,
                    nth,
                    weekday,
                },
            )
        }
        Err(nom::Err::Error(_)) if committed => {
            let typed: String = input
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            fail(input, Problem::BadRepeat { typed })
        }
        other => other,
    }
}

/// `daily`, `weekly [on tue]`, `biweekly`, `fortnightly`, `monthly [on the 15th]`, `yearly`,
/// `weekdays`.
fn adverb(input: &str) -> PResult<'_, RepeatSpec> {
    let (rest, k) = keyword(input)?;
    let spec = |kind, interval| RepeatSpec { kind, interval };
    match k {
        Kw::Daily => Ok((rest, spec(RepeatKind::Daily, 1))),
        Kw::Weekly | Kw::Biweekly => {
            let interval = if k == Kw::Biweekly { 2 } else { 1 };
            match on_weekdays(rest) {
                Ok((rest, days)) => Ok((rest, spec(RepeatKind::Weekly(Some(days)), interval))),
                Err(_) => Ok((rest, spec(RepeatKind::Weekly(None), interval))),
            }
        }
        Kw::Monthly => match on_month_day(rest) {
            Ok((rest, kind)) => Ok((rest, spec(kind, 1))),
            Err(nom::Err::Failure(e)) => Err(nom::Err::Failure(e)),
            Err(_) => Ok((rest, spec(RepeatKind::MonthlyOnDay(None), 1))),
        },
        Kw::Yearly => Ok((rest, spec(RepeatKind::Yearly, 1))),
        Kw::Workdays => Ok((
            rest,
            spec(RepeatKind::Weekly(Some(WeekdaySet::WORKWEEK)), 1),
        )),
        Kw::Weekends => Ok((rest, spec(RepeatKind::Weekly(Some(WeekdaySet::WEEKEND)), 1))),
        _ => backtrack(input),
    }
}

/// `mondays`, `on mondays and thursdays`, `on weekdays`.
fn plural_days(input: &str) -> PResult<'_, RepeatSpec> {
    let (rest, on) = opt((kw(Kw::On), sp1)).parse(input)?;
    if let Ok((rest, k)) = keyword(rest) {
        match k {
            Kw::Workdays => {
                return Ok((
                    rest,
                    RepeatSpec::every(RepeatKind::Weekly(Some(WeekdaySet::WORKWEEK))),
                ));
            }
            Kw::Weekends | Kw::Weekend if on.is_some() || k == Kw::Weekends => {
                return Ok((
                    rest,
                    RepeatSpec::every(RepeatKind::Weekly(Some(WeekdaySet::WEEKEND))),
                ));
            }
            _ => {}
        }
    }
    let (after_first, first) = plural_weekday(rest)?;
    let mut days = WeekdaySet::single(first);
    let mut rest = after_first;
    while let Ok((r, day)) = (list_sep, any_weekday).map(|(_, d)| d).parse(rest) {
        days = days.with(day);
        rest = r;
    }
    Ok((rest, RepeatSpec::every(RepeatKind::Weekly(Some(days)))))
}

/// `[the] first monday of every month`, `the second tuesday of each month`.
fn nth_of_month(input: &str) -> PResult<'_, RepeatSpec> {
    let (rest, _) = opt((kw(Kw::On), sp1)).parse(input)?;
    let (rest, _) = opt((kw(Kw::The), sp1)).parse(rest)?;
    match nth_weekday(rest) {
        Ok((rest, (n, _, day))) => {
            let (rest, interval) = of_every_month(rest)?;
            return Ok((
                rest,
                RepeatSpec {
                    kind: RepeatKind::MonthlyOnWeekday(n, day),
                    interval,
                },
            ));
        }
        Err(nom::Err::Failure(e)) => return Err(nom::Err::Failure(e)),
        Err(_) => {}
    }
    // [on] [the] 15th of every month
    let (rest, day) = ordinal_day(rest)?;
    no_second_day(rest)?;
    // "the 15th of the month" names a day, not a repeat.
    let (rest, interval) = of_month(rest, false)?;
    Ok((
        rest,
        RepeatSpec {
            kind: RepeatKind::MonthlyOnDay(Some(day)),
            interval,
        },
    ))
}

/// `twice a week on tue and thu`, `3 times a week on mon, wed and fri`: a weekly repeat on
/// the days named, which must be as many as the count. Without days it is refused: which
/// days would be a guess.
fn times_a_week(input: &str) -> PResult<'_, RepeatSpec> {
    let (rest, n) = match kw(Kw::Twice)(input) {
        Ok((rest, ())) => (rest, 2),
        Err(_) => {
            let (rest, (n, _, _)) = (count, sp1, kw(Kw::Times)).parse(input)?;
            (rest, n)
        }
    };
    let (rest, (_, _, _, u)) = (sp1, alt((kw(Kw::A), kw(Kw::Each))), sp1, unit).parse(rest)?;
    if u != Unit::Week {
        return backtrack(input);
    }
    let typed_so_far = &input[..input.len() - rest.len()];
    match on_weekdays(rest) {
        Ok((after, days)) if days.len() == n => {
            Ok((after, RepeatSpec::every(RepeatKind::Weekly(Some(days)))))
        }
        Ok((after, _)) => fail(
            input,
            Problem::BadRepeat {
                typed: input[..input.len() - after.len()].into(),
            },
        ),
        Err(_) => fail(
            input,
            Problem::BadRepeat {
                typed: typed_so_far.into(),
            },
        ),
    }
}

/// Any repeat.
pub(crate) fn repeat(input: &str) -> PResult<'_, RepeatSpec> {
    if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return alt((times_a_week, nth_of_month)).parse(input);
    }
    // One look at the first word decides which reading to try.
    let (_, first) = keyword(input)?;
    match first {
        Kw::Every | Kw::Each => every_phrase(input),
        Kw::Daily
        | Kw::Weekly
        | Kw::Biweekly
        | Kw::Monthly
        | Kw::Yearly
        | Kw::Workdays
        | Kw::Weekends => adverb(input),
        Kw::WeekdayPlural(_) => plural_days(input),
        Kw::WeekdayName(_) => weekday_range
            .map(|days| RepeatSpec::every(RepeatKind::Weekly(Some(days))))
            .parse(input),
        Kw::On => alt((plural_days, nth_of_month)).parse(input),
        Kw::The | Kw::Nth(_) => nth_of_month(input),
        Kw::Twice | Kw::Number(_) => times_a_week(input),
        _ => backtrack(input),
    }
}

/// `4 times`, `four times`, `twice`, `x4`, `for 6 weeks`, `for 10 occurrences`, `until june 30`.
pub(crate) fn repeat_end(input: &str) -> PResult<'_, RepeatEndSpec> {
    alt((times, times_x, for_span, until_date)).parse(input)
}

fn times(input: &str) -> PResult<'_, RepeatEndSpec> {
    if let Ok((rest, ())) = kw(Kw::Twice)(input) {
        return Ok((rest, RepeatEndSpec::Count(2)));
    }
    let (rest, (n, _, _)) = (count, sp1, alt((kw(Kw::Times), kw(Kw::Occurrences)))).parse(input)?;
    Ok((rest, RepeatEndSpec::Count(n)))
}

fn times_x(input: &str) -> PResult<'_, RepeatEndSpec> {
    let rest = input
        .strip_prefix(['x', 'X', '\u{00D7}'])
        .ok_or_else(|| nom::Err::Error(GrammarError::at(input)))?;
    let (rest, n) = digits(rest)?;
    boundary(rest)?;
    Ok((rest, RepeatEndSpec::Count(n)))
}

fn for_span(input: &str) -> PResult<'_, RepeatEndSpec> {
    let (rest, (_, _, n, _)) = (kw(Kw::For), sp1, count, sp1).parse(input)?;
    if let Ok((rest, _)) = alt((kw(Kw::Times), kw(Kw::Occurrences))).parse(rest) {
        return Ok((rest, RepeatEndSpec::Count(n)));
    }
    let (rest, u) = unit(rest)?;
    boundary(rest)?;
    match u {
        Unit::Day | Unit::Week | Unit::Month | Unit::Year => Ok((rest, RepeatEndSpec::For(n, u))),
        Unit::Fortnight => Ok((rest, RepeatEndSpec::For(n.saturating_mul(2), Unit::Week))),
        _ => backtrack(input),
    }
}

fn until_date(input: &str) -> PResult<'_, RepeatEndSpec> {
    let (rest, (_, _, d)) = (kw(Kw::Until), sp1, alt((date, month_end))).parse(input)?;
    Ok((rest, RepeatEndSpec::Until(d)))
}

/// `mon-fri`, `monday to friday`, `tue through thu`: the days from one to the other.
pub(crate) fn weekday_range(input: &str) -> PResult<'_, WeekdaySet> {
    let day = |w: &str| match Kw::lookup(w) {
        Some(Kw::WeekdayName(d) | Kw::WeekdayPlural(d)) => Some(d),
        _ => None,
    };
    // Written as one word: "mon-fri", "mon–wed".
    let token_len = input
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';'))
        .unwrap_or(input.len());
    let token = input[..token_len].trim_end_matches('.');
    if let Some((a, b)) = token.split_once(['-', '\u{2013}', '\u{2014}'])
        && let (Some(a), Some(b)) = (day(a), day(b))
    {
        return Ok((&input[token.len()..], days_between(a, b)));
    }
    let (rest, a) = any_weekday(input)?;
    let dash = (
        super::sp0,
        nom::character::complete::one_of("-\u{2013}\u{2014}"),
        super::sp0,
    )
        .map(|_| ());
    let word_sep = (sp1, alt((kw(Kw::To), kw(Kw::Until))), sp1).map(|_| ());
    let (rest, _) = alt((dash, word_sep)).parse(rest)?;
    let (rest, b) = any_weekday(rest)?;
    Ok((rest, days_between(a, b)))
}

fn days_between(a: Weekday, b: Weekday) -> WeekdaySet {
    let mut set = WeekdaySet::single(a);
    let mut d = a;
    while d != b {
        d = d.succ();
        set = set.with(d);
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(text: &str) -> RepeatSpec {
        let (rest, spec) = repeat(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert!(rest.is_empty(), "{text}: left {rest:?}");
        spec
    }

    fn weekly(days: &[Weekday], interval: u32) -> RepeatSpec {
        let set = days.iter().fold(WeekdaySet::EMPTY, |s, d| s.with(*d));
        RepeatSpec {
            kind: RepeatKind::Weekly(Some(set)),
            interval,
        }
    }

    #[test]
    fn the_contract_table() {
        use Weekday::*;
        assert_eq!(rep("daily"), RepeatSpec::every(RepeatKind::Daily));
        assert_eq!(rep("every day"), RepeatSpec::every(RepeatKind::Daily));
        assert_eq!(rep("every weekday"), weekly(&[Mon, Tue, Wed, Thu, Fri], 1));
        assert_eq!(rep("weekdays"), weekly(&[Mon, Tue, Wed, Thu, Fri], 1));
        assert_eq!(rep("weekly"), RepeatSpec::every(RepeatKind::Weekly(None)));
        assert_eq!(
            rep("every week"),
            RepeatSpec::every(RepeatKind::Weekly(None))
        );
        assert_eq!(rep("every monday"), weekly(&[Mon], 1));
        assert_eq!(rep("every mon and wed"), weekly(&[Mon, Wed], 1));
        assert_eq!(rep("mondays"), weekly(&[Mon], 1));
        assert_eq!(rep("on mondays and thursdays"), weekly(&[Mon, Thu], 1));
        for two_weeks in [
            "every other week",
            "biweekly",
            "fortnightly",
            "every 2 weeks",
        ] {
            assert_eq!(
                rep(two_weeks),
                RepeatSpec {
                    kind: RepeatKind::Weekly(None),
                    interval: 2
                }
            );
        }
        assert_eq!(rep("every other monday"), weekly(&[Mon], 2));
        assert_eq!(
            rep("every 3 days"),
            RepeatSpec {
                kind: RepeatKind::Daily,
                interval: 3
            }
        );
        assert_eq!(
            rep("every other day"),
            RepeatSpec {
                kind: RepeatKind::Daily,
                interval: 2
            }
        );
        assert_eq!(
            rep("monthly"),
            RepeatSpec::every(RepeatKind::MonthlyOnDay(None))
        );
        assert_eq!(
            rep("every month"),
            RepeatSpec::every(RepeatKind::MonthlyOnDay(None))
        );
        assert_eq!(
            rep("every month on the 15th"),
            RepeatSpec::every(RepeatKind::MonthlyOnDay(Some(15)))
        );
        assert_eq!(
            rep("monthly on the 15th"),
            RepeatSpec::every(RepeatKind::MonthlyOnDay(Some(15)))
        );
        let first_monday = RepeatSpec::every(RepeatKind::MonthlyOnWeekday(Nth::First, Mon));
        assert_eq!(rep("every first monday"), first_monday);
        assert_eq!(rep("first monday of every month"), first_monday);
        assert_eq!(
            rep("the second tuesday of each month"),
            RepeatSpec::every(RepeatKind::MonthlyOnWeekday(Nth::Second, Tue))
        );
        assert_eq!(
            rep("every last friday"),
            RepeatSpec::every(RepeatKind::MonthlyOnWeekday(Nth::Last, Fri))
        );
        assert_eq!(
            rep("every 3 months"),
            RepeatSpec {
                kind: RepeatKind::MonthlyOnDay(None),
                interval: 3
            }
        );
    }

    #[test]
    fn refusals() {
        for text in [
            "every 2nd monday",
            "every second tuesday",
            "every fifth moon",
            "every month on the 1st and 15th",
        ] {
            assert!(matches!(repeat(text), Err(nom::Err::Failure(_))), "{text}");
        }
    }

    #[test]
    fn ends() {
        let end = |t: &str| repeat_end(t).unwrap().1;
        assert_eq!(end("4 times"), RepeatEndSpec::Count(4));
        assert_eq!(end("x4"), RepeatEndSpec::Count(4));
        assert_eq!(end("for 10 occurrences"), RepeatEndSpec::Count(10));
        assert_eq!(end("for 6 weeks"), RepeatEndSpec::For(6, Unit::Week));
        assert!(matches!(end("until june 30"), RepeatEndSpec::Until(_)));
        assert!(repeat_end("for 2 hours").is_err());
    }
}
