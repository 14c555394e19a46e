//! Meeting options: `password <word>`, `agenda: <text>`, `agenda "<text>"`, and zone clauses.

use super::{PResult, Problem, backtrack, boundary, fail, kw, quoted, sp0, sp1};
use crate::command::lexicon::Kw;
use crate::command::zones;
use crate::schedule::ReminderLead;
use chrono_tz::Tz;
use nom::Parser;
use nom::combinator::opt;

/// `password Blue42sky`, `passcode: 1234ab`, `pw x9x9x9`.
pub(crate) fn password(input: &str) -> PResult<'_, &str> {
    let (rest, _) = kw(Kw::Password)(input)?;
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let Ok((rest, _)) = sp1(rest) else {
        return fail(input, Problem::NoPassword);
    };
    let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    if len == 0 {
        return fail(input, Problem::NoPassword);
    }
    Ok((&rest[len..], &rest[..len]))
}

/// `agenda: text to the end of the message`, or `agenda "quoted text"`.
pub(crate) fn agenda(input: &str) -> PResult<'_, &str> {
    let (rest, _) = kw(Kw::Agenda)(input)?;
    if let Some(after) = rest.strip_prefix(':') {
        let text = after.trim();
        if text.is_empty() {
            return fail(input, Problem::NoAgenda);
        }
        return Ok(("", text));
    }
    let (rest, _) = sp0(rest)?;
    let (rest, text) = quoted(rest)?;
    if text.is_empty() {
        return fail(input, Problem::NoAgenda);
    }
    Ok((rest, text))
}

/// `tz <zone>`, `timezone <zone>`, `time zone <zone>`: the zone must be one.
pub(crate) fn tz_clause(input: &str) -> PResult<'_, Tz> {
    let (rest, _) = match kw(Kw::Tz)(input) {
        Ok(found) => found,
        Err(_) => (kw(Kw::Time), sp1, kw(Kw::Zone)).map(|_| ()).parse(input)?,
    };
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let (rest, _) = sp1(rest)?;
    named_zone(rest)
}

/// A zone that must be one: anything else is refused with a suggestion.
pub(crate) fn named_zone(input: &str) -> PResult<'_, Tz> {
    match zones::zone(input, false) {
        Ok(found) => Ok(found),
        Err(nom::Err::Error(_)) => {
            let typed = input.split_whitespace().next().unwrap_or(input);
            let typed = typed.trim_end_matches([',', ';', '.']);
            fail(
                input,
                Problem::UnknownZone {
                    typed: typed.into(),
                    suggestion: zones::suggest(typed),
                },
            )
        }
        Err(e) => Err(e),
    }
}

/// `in <zone>`: `in Berlin`, `in new york time` (not a zone: not this clause).
pub(crate) fn in_zone(input: &str) -> PResult<'_, Tz> {
    let (rest, _) = (kw(Kw::In), sp1).parse(input)?;
    zones::zone(rest, false)
}

/// A zone right after a time: `3pm PST`, `15:00 Europe/Paris`.
pub(crate) fn zone_after_time(input: &str) -> PResult<'_, Option<Tz>> {
    opt((sp1, |i| zones::zone(i, true)).map(|(_, z)| z)).parse(input)
}

/// A zone standing alone where no time precedes it: only unmistakable ones, an abbreviation
/// of three letters or more, a full IANA name with a slash, or `UTC±N`.
pub(crate) fn standalone_zone(input: &str) -> PResult<'_, Tz> {
    let word_len = input
        .find(|c: char| c.is_whitespace() || c == ',')
        .unwrap_or(input.len());
    let w = &input[..word_len];
    let unmistakable = w.contains('/')
        || (w.len() >= 2 && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_uppercase()))
        || w.get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case("utc") || p.eq_ignore_ascii_case("gmt"));
    if !unmistakable {
        return zone_then_time(input);
    }
    let (rest, zone) = zones::zone(input, true)?;
    boundary(rest)?;
    Ok((rest, zone))
}

/// A zone name followed by `time`, anywhere: `pacific time`, `India time`, `new york time`.
fn zone_then_time(input: &str) -> PResult<'_, Tz> {
    let window = &input.as_bytes()[..input.len().min(40)];
    let says_time = window.windows(5).any(|w| w.eq_ignore_ascii_case(b" time"));
    if !says_time {
        return super::backtrack(input);
    }
    let (rest, zone) = zones::zone(input, false)?;
    let read = input[..input.len() - rest.len()].trim_end().as_bytes();
    let ends_in_time = read.len() >= 5 && read[read.len() - 5..].eq_ignore_ascii_case(b" time");
    if !ends_in_time {
        return super::backtrack(input);
    }
    Ok((rest, zone))
}

/// The next word of `input` (after white space) and what follows it.
fn next_word(input: &str) -> (&str, &str) {
    let s = input.trim_start();
    let len = s.find(char::is_whitespace).unwrap_or(s.len());
    (&s[..len], &s[len..])
}

fn bare(word: &str) -> String {
    word.trim_end_matches(['.', ',', ';', '!'])
        .to_ascii_lowercase()
}

/// Whether `input` may start a reminder clause. Checked before the keyword table, so "remind"
/// and "no" are still title words anywhere else ("no-show review", "remind Bob").
pub(crate) fn starts_reminder(input: &str) -> bool {
    matches!(bare(next_word(input).0).as_str(), "remind" | "no")
}

/// `remind 15m before`, `remind me 1 hour before`, `no reminder`: the meeting's own reminder.
/// A lead that is there but wrong ("remind 3 days before") is refused, never ignored.
pub(crate) fn reminder(input: &str) -> PResult<'_, ReminderLead> {
    let (first, rest) = next_word(input);
    if bare(first) == "no" {
        let (second, rest) = next_word(rest);
        return match bare(second).as_str() {
            "reminder" | "reminders" => Ok((rest, ReminderLead::Off)),
            _ => backtrack(input),
        };
    }
    let (mut lead, mut rest) = next_word(rest);
    if bare(lead) == "me" {
        (lead, rest) = next_word(rest);
    }
    if !lead.starts_with(|c: char| c.is_ascii_digit()) {
        return backtrack(input);
    }
    let typed = if lead.chars().all(|c| c.is_ascii_digit()) {
        let (unit, after) = next_word(rest);
        rest = after;
        format!("{lead} {}", bare(unit))
    } else {
        bare(lead)
    };
    let (before, after) = next_word(rest);
    match ReminderLead::parse(&typed) {
        Some(found) if bare(before) == "before" => Ok((after, found)),
        _ => fail(input, Problem::BadReminder),
    }
}
