//! Clauses of issue 13's families that the scanner reads around the grammar's parsers: one-on-ones
//! kept as titles, approximate times, offsets from now, and the lookahead for `<zone> time`.

use super::{Clause, Start};
use crate::command::grammar::offsets::{Offset, from_now};
use crate::command::grammar::options::zone_after_time;
use crate::command::grammar::when::{DateClause, Timed, at_range, at_time, time_or_range};
use crate::command::grammar::{PResult, kw};
use crate::command::lexicon::Kw;

/// The length of "one on one", "one-on-one", "1 on 1", "1-on-1", "1on1" at the start.
pub(super) fn one_on_one(rest: &str) -> Option<usize> {
    let first = rest.as_bytes().first()?;
    if !matches!(first, b'1' | b'o' | b'O') {
        return None;
    }
    for phrase in ["one on one", "one-on-one", "1 on 1", "1-on-1", "1on1"] {
        let matches = rest
            .get(..phrase.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(phrase));
        if matches && crate::command::grammar::boundary(&rest[phrase.len()..]).is_ok() {
            return Some(phrase.len());
        }
    }
    None
}

/// Whether `time` is one of the next three words ("new york time", "sao paulo time"): only
/// then may a word that is no unmistakable zone start one.
pub(super) fn time_follows(after_word: &str) -> bool {
    let mut rest = after_word.as_bytes();
    for _ in 0..3 {
        let Some(next) = rest.strip_prefix(b" ") else {
            return false;
        };
        let len = next.iter().position(|b| *b == b' ').unwrap_or(next.len());
        let word = next[..len].strip_suffix(b",").unwrap_or(&next[..len]);
        if word.eq_ignore_ascii_case(b"time") {
            return true;
        }
        rest = &next[len..];
    }
    false
}

/// `30 minutes from now` (a start), `two weeks from now`, `3 days from tuesday` (a date).
pub(super) fn offset(input: &str) -> PResult<'_, Clause<'_>> {
    let (rest, found) = from_now(input)?;
    Ok((
        rest,
        match found {
            Offset::Minutes(m) => Clause::Start(Start::In(m), None),
            Offset::Date(spec) => Clause::Date(DateClause {
                spec,
                weekday: None,
                from: false,
            }),
        },
    ))
}

/// `around 3`, `about 10am`, `roughly at 9`: the time, which the word makes no less a time
/// (`around 3` is 15:00 even beside another number); `ish` alone is ignored.
pub(super) fn approximate(input: &str) -> PResult<'_, Clause<'_>> {
    let (after, _) = kw(Kw::Approx)(input)?;
    if input[..input.len() - after.len()].eq_ignore_ascii_case("ish") {
        return Ok((after, Clause::Filler));
    }
    let (rest, _) = crate::command::grammar::sp1(after)?;
    if let Ok((rest, (a, b))) = at_range(rest) {
        return Ok((rest, Clause::Range(a, b, None)));
    }
    if let Ok((rest, c)) = at_time(rest) {
        let (rest, zone) = zone_after_time(rest)?;
        return Ok((rest, Clause::Start(Start::At(c), zone)));
    }
    let (rest, found) = time_or_range(rest)?;
    let (rest, zone) = zone_after_time(rest)?;
    Ok((
        rest,
        match found {
            Timed::At(c, _) => Clause::Start(Start::At(c), zone),
            Timed::Range(a, b, _) => Clause::Range(a, b, zone),
        },
    ))
}
