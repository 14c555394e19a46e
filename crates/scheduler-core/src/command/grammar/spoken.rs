//! Times as people say them rather than write them: parts of the day ("tomorrow morning",
//! "tonight", "at 8 in the evening"), clock phrases ("half past 7", "quarter to 4", British
//! "half 8"), and numbers in words ("at seven", "seven thirty", "twenty to six").
//!
//! A part of the day decides the half of the day of a bare hour (`monday morning 6-8` is
//! 06:00–08:00, beating the rule that a bare 1–6 is afternoon) and must agree with a time
//! that says its own half; `resolve` applies both.

use super::when::{Clock, Style, meridiem};
use super::{PResult, backtrack, boundary, digits, keyword, kw, sp0, sp1};
use crate::command::lexicon::{DayPart, Kw};
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::tag_no_case;
use nom::combinator::opt;

impl DayPart {
    /// The half of the day a bare hour has in this part of the day: `8` in the evening is
    /// 20:00; at night `12` is midnight and `1`–`4` are early morning.
    pub(crate) fn style_for(self, hour: u32) -> Style {
        match self {
            DayPart::Morning => Style::Am,
            DayPart::Afternoon | DayPart::Evening => Style::Pm,
            DayPart::Night if hour == 12 || hour <= 4 => Style::Am,
            DayPart::Night => Style::Pm,
        }
    }

    /// Whether a wall time (minutes after midnight) lies in this part of the day. The parts
    /// overlap where people's usage does (five o'clock is afternoon and evening).
    pub(crate) fn contains(self, minutes: u32) -> bool {
        let hour = minutes / 60;
        match self {
            DayPart::Morning => (4..12).contains(&hour),
            DayPart::Afternoon => (12..19).contains(&hour),
            DayPart::Evening => (16..24).contains(&hour),
            DayPart::Night => !(5..18).contains(&hour),
        }
    }

    /// The word, for messages.
    pub(crate) fn word(self) -> &'static str {
        match self {
            DayPart::Morning => "morning",
            DayPart::Afternoon => "afternoon",
            DayPart::Evening => "evening",
            DayPart::Night => "night",
        }
    }
}

/// A part of the day as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DayPartClause {
    pub part: DayPart,
    /// "tonight", "this morning": the part of today.
    pub today: bool,
    /// A plain word ("morning"), which may belong to a title ("morning standup") and then
    /// only has to agree with the time; phrases ("in the morning", "tonight") never do.
    pub plain: bool,
}

fn part_word(input: &str) -> PResult<'_, DayPart> {
    match keyword(input) {
        Ok((rest, Kw::DayPart(part))) => Ok((rest, part)),
        _ => backtrack(input),
    }
}

/// `tonight`, `this evening`, `in the morning`, `at night`, `[early|late] afternoon`.
pub(crate) fn day_part(input: &str) -> PResult<'_, DayPartClause> {
    let (after, first) = keyword(input)?;
    let clause = |part, today, plain| DayPartClause { part, today, plain };
    match first {
        Kw::Tonight => Ok((after, clause(DayPart::Night, true, false))),
        Kw::This => {
            let (rest, (_, part)) = (sp1, part_word).parse(after)?;
            Ok((rest, clause(part, true, false)))
        }
        Kw::In => {
            let (rest, (_, _, _, part)) = (sp1, kw(Kw::The), sp1, part_word).parse(after)?;
            Ok((rest, clause(part, false, false)))
        }
        Kw::At => {
            let (rest, (_, part)) = (sp1, part_word).parse(after)?;
            if part != DayPart::Night {
                return backtrack(input);
            }
            Ok((rest, clause(part, false, false)))
        }
        Kw::Early | Kw::Late => {
            let (rest, (_, part)) = (sp1, part_word).parse(after)?;
            Ok((rest, clause(part, false, false)))
        }
        Kw::DayPart(part) => Ok((after, clause(part, false, true))),
        _ => backtrack(input),
    }
}

fn letters(input: &str) -> (&str, &str) {
    let n = input.bytes().take_while(u8::is_ascii_alphabetic).count();
    (&input[..n], &input[n..])
}

fn number_word(word: &str) -> Option<u32> {
    match Kw::lookup(word) {
        Some(Kw::Number(n)) => Some(n),
        _ => None,
    }
}

/// A number from 1 to 59 in words: "seven", "fifteen", "twenty two", "forty-five".
pub(crate) fn number_words(input: &str) -> PResult<'_, u32> {
    let (word, rest) = letters(input);
    let Some(n) = number_word(word) else {
        return backtrack(input);
    };
    if n >= 20
        && let Some(after) = rest.strip_prefix(['-', ' '])
    {
        let (unit, r) = letters(after);
        if let Some(u) = number_word(unit).filter(|u| (1..=9).contains(u))
            && boundary(r).is_ok()
        {
            return Ok((r, n + u));
        }
    }
    boundary(rest)?;
    Ok((rest, n))
}

/// An hour from 1 to 12, in digits or words, with what may follow it unchecked ("7pm").
fn hour12(input: &str) -> PResult<'_, u32> {
    let (rest, n) = if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        let (rest, n) = digits(input)?;
        if input.len() - rest.len() > 2 {
            return backtrack(input);
        }
        (rest, n)
    } else {
        number_words(input)?
    };
    if !(1..=12).contains(&n) {
        return backtrack(input);
    }
    Ok((rest, n))
}

/// What may follow an hour: `pm`, ` a.m.`, ` o'clock`; `Bare` when nothing does.
fn half_of_day(input: &str) -> PResult<'_, Style> {
    if let Ok((rest, (_, style))) = (sp0, meridiem).parse(input) {
        return Ok((rest, style));
    }
    if let Ok((rest, _)) = (
        sp1,
        alt((tag_no_case("o'clock"), tag_no_case("o\u{2019}clock"))),
    )
        .parse(input)
    {
        boundary(rest)?;
        return Ok((rest, Style::Bare));
    }
    boundary(input)?;
    Ok((input, Style::Bare))
}

/// Minutes before "past"/"to": "10", "twenty", "twenty five", "quarter", "half".
fn minutes_before(input: &str) -> PResult<'_, (u32, bool)> {
    if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        let (rest, n) = digits(input)?;
        boundary(rest)?;
        if !(1..=59).contains(&n) {
            return backtrack(input);
        }
        return Ok((rest, (n, false)));
    }
    if let Ok((rest, _)) = kw(Kw::Quarter)(input) {
        return Ok((rest, (15, true)));
    }
    if let Ok((rest, _)) = kw(Kw::Half)(input) {
        return Ok((rest, (30, true)));
    }
    if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        let (rest, n) = digits(input)?;
        boundary(rest)?;
        if !(1..=59).contains(&n) {
            return backtrack(input);
        }
        return Ok((rest, (n, false)));
    }
    let (rest, n) = number_words(input)?;
    Ok((rest, (n, true)))
}

/// `half past 7`, `quarter past 10`, `10 past 9`, `twenty after 3`, `quarter to 4`,
/// `twenty to six`, and British `half 8` (8:30). "N to M" in digits stays a range
/// ("10 to 11"); only words and "quarter" count down to the hour.
pub(crate) fn clock_phrase(input: &str) -> PResult<'_, Clock> {
    // Most times start with a digit and are no phrase: "3pm", "15:00", "9:30".
    if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        let digits_len = input.bytes().take_while(u8::is_ascii_digit).count();
        let next = input
            .as_bytes()
            .get(digits_len + 1)
            .map(u8::to_ascii_lowercase);
        if !input[digits_len..].starts_with(' ') || !matches!(next, Some(b'p' | b'a' | b'm')) {
            return backtrack(input);
        }
    } else if let Ok((rest, (_, _, hour))) = (kw(Kw::Half), sp1, hour12).parse(input) {
        let (rest, style) = half_of_day(rest)?;
        return Ok((
            rest,
            Clock {
                hour,
                minute: 30,
                style,
            },
        ));
    }
    let (rest, ((minutes, spoken), _)) = (minutes_before, sp1).parse(input)?;
    let (rest, _) = opt((
        alt((
            tag_no_case("minutes"),
            tag_no_case("minute"),
            tag_no_case("mins"),
        )),
        sp1,
    ))
    .parse(rest)?;
    let (rest, before) = match keyword(rest) {
        Ok((r, Kw::Past | Kw::After)) => (r, false),
        Ok((r, Kw::To)) if spoken && minutes != 30 => (r, true),
        _ => return backtrack(input),
    };
    let (rest, _) = sp1(rest)?;
    let (rest, hour) = hour12(rest)?;
    let (rest, style) = half_of_day(rest)?;
    if !before {
        return Ok((
            rest,
            Clock {
                hour,
                minute: minutes,
                style,
            },
        ));
    }
    // "six to seven" is a range; "ten to six", "twenty to six", "quarter to 4" count down.
    let counts_down =
        matches!(minutes, 15 | 20 | 25) || (matches!(minutes, 5 | 10) && minutes >= hour);
    if !counts_down {
        return backtrack(input);
    }
    let previous = if hour == 1 { 12 } else { hour - 1 };
    // "quarter to 7" is 6:45 in the morning, as 7 is; a bare 6 would be evening.
    let style = match style {
        Style::Bare if hour == 7 => Style::Am,
        Style::Pm if hour == 12 => Style::Am,
        Style::Am if hour == 12 => Style::Pm,
        s => s,
    };
    Ok((
        rest,
        Clock {
            hour: previous,
            minute: 60 - minutes,
            style,
        },
    ))
}

/// An hour in words, with optional minutes in words and half of the day: `seven`,
/// `seven thirty`, `eight forty five`, `nine oh five`, `seven pm`, `eight o'clock`. `true`
/// for a lone hour word, which reads as a time only when nothing better does.
pub(crate) fn word_time(input: &str) -> PResult<'_, (Clock, bool)> {
    if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return backtrack(input);
    }
    let (rest, hour) = hour12(input)?;
    let oh = (
        sp1,
        alt((tag_no_case("oh"), tag_no_case("o"))),
        sp1,
        number_words,
    )
        .map(|(_, _, _, m)| m)
        .parse(rest);
    let minutes = match oh {
        Ok((r, m)) if (1..=9).contains(&m) => Some((r, m)),
        _ => match (sp1, number_words).parse(rest) {
            Ok((r, (_, m))) if (10..=59).contains(&m) => Some((r, m)),
            _ => None,
        },
    };
    let (rest, minute) = minutes.map_or((rest, None), |(r, m)| (r, Some(m)));
    let (after, style) = half_of_day(rest)?;
    let lone = minute.is_none() && after.len() == rest.len();
    Ok((
        after,
        (
            Clock {
                hour,
                minute: minute.unwrap_or(0),
                style,
            },
            lone,
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str) -> u32 {
        clock_phrase(text).unwrap().1.minutes()
    }

    #[test]
    fn clock_phrases_name_the_minute() {
        assert_eq!(phrase("half past 7"), 7 * 60 + 30);
        assert_eq!(phrase("quarter to 4"), 15 * 60 + 45);
        assert_eq!(phrase("quarter past 10"), 10 * 60 + 15);
        assert_eq!(phrase("10 past 9"), 9 * 60 + 10);
        assert_eq!(phrase("twenty to six"), 17 * 60 + 40);
        assert_eq!(phrase("quarter to 7"), 6 * 60 + 45);
        assert_eq!(phrase("quarter to 7pm"), 18 * 60 + 45);
        assert_eq!(phrase("half 8"), 8 * 60 + 30);
        assert_eq!(phrase("twenty five past 3 pm"), 15 * 60 + 25);
        assert!(clock_phrase("10 to 11").is_err(), "digits: a range");
        assert!(clock_phrase("six to seven").is_err(), "a range");
        assert_eq!(phrase("ten to six"), 17 * 60 + 50);
        assert!(clock_phrase("half an hour").is_err());
    }

    #[test]
    fn numbers_and_times_in_words() {
        assert_eq!(
            number_words("forty-five minutes").unwrap(),
            (" minutes", 45)
        );
        assert_eq!(number_words("twenty two").unwrap(), ("", 22));
        let t = |s: &str| {
            let (_, (c, lone)) = word_time(s).unwrap();
            (c.minutes(), lone)
        };
        assert_eq!(t("seven thirty"), (7 * 60 + 30, false));
        assert_eq!(t("eight forty"), (8 * 60 + 40, false));
        assert_eq!(t("seven pm"), (19 * 60, false));
        assert_eq!(t("nine oh five"), (9 * 60 + 5, false));
        assert_eq!(t("seven"), (7 * 60, true));
    }

    #[test]
    fn parts_of_the_day_decide_the_half() {
        assert_eq!(DayPart::Morning.style_for(6), Style::Am);
        assert_eq!(DayPart::Evening.style_for(8), Style::Pm);
        assert_eq!(DayPart::Night.style_for(12), Style::Am);
        assert!(DayPart::Evening.contains(20 * 60));
        assert!(!DayPart::Morning.contains(15 * 60));
        let (_, c) = day_part("tonight").unwrap();
        assert!(c.today && !c.plain);
        let (_, c) = day_part("in the morning").unwrap();
        assert_eq!(c.part, DayPart::Morning);
    }
}
