//! Reading schedule clauses in any order: at each word, the clause that starts there, or a
//! title word. The result is what was typed, with where; `resolve` gives it meaning.

use super::Mention;
use super::grammar::options::{
    agenda, in_zone, password, reminder, standalone_zone, starts_reminder, tz_clause,
    zone_after_time,
};
use super::grammar::people::{People, bare_people, people_clause};
use super::grammar::repeat::{
    RepeatEndSpec, RepeatKind, RepeatSpec, repeat, repeat_end, weekday_range,
};
use super::grammar::spoken::{DayPartClause, clock_phrase, day_part};
use super::grammar::when::{
    Clock, DateClause, Timed, at_time, date, date_from_digits, duration, for_duration, in_duration,
    peek_keyword, range, time_or_range, until_time,
};
use super::grammar::{GrammarError, PResult, Problem, backtrack, kw, quoted};
use super::lexicon::{DayPart, Kw};
use crate::schedule::Invitee;
use chrono_tz::Tz;
use nom::Parser;
use nom::branch::alt;

mod clauses;
mod spoken;

use spoken::{approximate, offset, one_on_one, time_follows};

/// Where a clause was typed: byte offsets into the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub at: usize,
    pub end: usize,
}

/// When the meeting starts, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    At(Clock),
    Now,
    /// In that many minutes from now.
    In(u32),
}

/// When it ends, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    At(Clock),
    /// That many minutes after the start.
    After(u32),
}

/// A lone number that reads as a time only if nothing better says when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weak {
    Time(Clock),
    Range(Clock, Clock),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct TitleWord<'a> {
    pub text: &'a str,
    pub span: Span,
    pub weak: Option<Weak>,
}

/// Everything a schedule (or reschedule) message said.
#[derive(Debug, Default)]
pub(crate) struct Clauses<'a> {
    pub title_words: Vec<TitleWord<'a>>,
    pub quoted_title: Option<(&'a str, Span)>,
    pub date: Option<(DateClause, Span)>,
    pub start: Option<(Start, Span)>,
    pub end: Option<(End, Span)>,
    pub zone: Option<(Tz, Span)>,
    pub repeat: Option<(RepeatSpec, Span)>,
    pub repeat_end: Option<(RepeatEndSpec, Span)>,
    pub invitees: Vec<Invitee>,
    pub people: Option<Span>,
    /// Every people clause, and whether it named co-hosts: bare names may continue a list.
    pub people_lists: Vec<(Span, bool)>,
    pub password: Option<(&'a str, Span)>,
    pub agenda: Option<(&'a str, Span)>,
    /// `remind 15m before` / `no reminder`.
    pub reminder: Option<(crate::schedule::ReminderLead, Span)>,
    /// The start is a lone number taken as a time ("standup 9").
    pub weak_start: bool,
    /// A part of the day that decides the half of the day of a bare hour.
    pub day_part: Option<(DayPartClause, Span)>,
    /// Parts of the day left in the title ("morning standup"): they must agree with the time.
    pub title_day_parts: Vec<(DayPart, Span)>,
}

impl Clauses<'_> {
    /// Whether anything says when: the sign that a message without a command word is a
    /// meeting to schedule.
    pub(crate) fn says_when(&self) -> bool {
        self.date.is_some()
            || (self.start.is_some() && !self.weak_start)
            || self.end.is_some()
            || self.repeat.is_some()
            || self.repeat_end.is_some()
    }
}

/// One clause, as the grammar read it.
#[derive(Debug)]
enum Clause<'a> {
    Date(DateClause),
    Start(Start, Option<Tz>),
    Range(Clock, Clock, Option<Tz>),
    Weak(Weak),
    End(End),
    Zone(Tz),
    Repeat(RepeatSpec),
    RepeatEnd(RepeatEndSpec),
    People(People),
    Password(&'a str),
    Agenda(&'a str),
    Reminder(crate::schedule::ReminderLead),
    Title(&'a str),
    DayPart(DayPartClause),
    /// A word that means nothing here ("ish" after a time).
    Filler,
}

/// A refusal found while scanning: the problem and the byte offset.
pub(crate) type ScanError = (Problem, Option<usize>);

/// Reads `text[from..]` as clauses.
pub(crate) fn scan<'a>(
    text: &'a str,
    from: usize,
    mentions: &[Mention],
) -> Result<Clauses<'a>, ScanError> {
    // Trailing white space ends the message once, not at every word.
    let text = &text[..text.trim_end().len().max(from.min(text.len()))];
    super::grammar::note_cues(text);
    let mut clauses = Clauses::default();
    let mut pos = from.min(text.len());
    loop {
        pos += skip_separators(&text[pos..]);
        let rest = &text[pos..];
        if rest
            .trim_start_matches(['.', '!', '?', '-', '\u{2013}', '\u{2014}'])
            .is_empty()
        {
            break;
        }
        if let Some(len) = one_on_one(rest) {
            // "one on one", "1-on-1": a kind of meeting, not a time.
            clauses.title_words.push(TitleWord {
                text: &rest[..len],
                span: Span {
                    at: pos,
                    end: pos + len,
                },
                weak: None,
            });
            pos += len;
            continue;
        }
        match clause(rest, mentions) {
            Ok((after, found)) => {
                let end = text.len() - after.len();
                debug_assert!(end > pos, "a clause reads something");
                let span = Span {
                    at: pos,
                    end: end.max(pos + 1),
                };
                clauses.add(text, found, span)?;
                pos = end.max(pos + 1);
                while !text.is_char_boundary(pos) {
                    pos += 1;
                }
            }
            Err(nom::Err::Failure(e)) => {
                let offset = text.len() - e.input.len();
                let problem = e.problem.map_or(Problem::NeedWhen, |p| *p);
                return Err((problem, Some(offset.min(text.len()))));
            }
            Err(_) => {
                let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
                clauses.title_words.push(TitleWord {
                    text: &rest[..len],
                    span: Span {
                        at: pos,
                        end: pos + len,
                    },
                    weak: None,
                });
                pos += len;
            }
        }
    }
    clauses.title_day_parts_back(text);
    clauses.promote_weak_time(text)?;
    super::names::collect(text, &mut clauses);
    Ok(clauses)
}

/// White space, commas and semicolons between clauses.
fn skip_separators(s: &str) -> usize {
    s.find(|c: char| !(c.is_whitespace() || c == ',' || c == ';'))
        .unwrap_or(s.len())
}

fn set_once<T>(
    slot: &mut Option<(T, Span)>,
    value: T,
    span: Span,
    text: &str,
    what: &'static str,
) -> Result<(), ScanError> {
    if let Some((_, first)) = slot {
        return Err((
            Problem::Twice {
                what,
                first: text[first.at..first.end].into(),
                second: text[span.at..span.end].into(),
            },
            Some(span.at),
        ));
    }
    *slot = Some((value, span));
    Ok(())
}

/// The clause that starts at `input`, dispatched on its first character or keyword.
fn clause<'a>(input: &'a str, mentions: &[Mention]) -> PResult<'a, Clause<'a>> {
    let Some(first) = input.chars().next() else {
        return backtrack(input);
    };
    let may_mention = first == '@'
        || mentions.iter().any(|m| {
            m.text
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.eq_ignore_ascii_case(&first))
        });
    if may_mention && let Ok((rest, p)) = bare_people(input, mentions) {
        return Ok((rest, Clause::People(p)));
    }
    match first {
        '"' | '\u{201C}' | '\u{201D}' => quoted.map(Clause::Title).parse(input),
        '<' => bare_people(input, mentions).map(|(r, p)| (r, Clause::People(p))),
        '0'..='9' => numeric(input, mentions),
        'a'..='z' | 'A'..='Z' if starts_reminder(input) => {
            reminder.map(Clause::Reminder).parse(input)
        }
        'a'..='z' | 'A'..='Z' => match peek_keyword(input) {
            Some(k) => by_keyword(input, k, mentions),
            // "noon-1pm": a named time joined to a range's dash.
            None if input[..input.find(char::is_whitespace).unwrap_or(input.len())]
                .contains(['-', '\u{2013}', '\u{2014}']) =>
            {
                alt((timed, |i| {
                    weekday_range(i).map(|(r, days)| (r, Clause::Repeat(every_day_of(days))))
                }))
                .parse(input)
                .or_else(|_| other_word(input, mentions))
            }
            None => other_word(input, mentions),
        },
        _ => other_word(input, mentions),
    }
}

/// A clause starting with a digit.
fn numeric<'a>(input: &'a str, mentions: &[Mention]) -> PResult<'a, Clause<'a>> {
    // "10 past 9".
    if let Ok((rest, c)) = clock_phrase(input) {
        return Ok((rest, Clause::Start(Start::At(c), None)));
    }
    // The common case first: a time or a range. A lone number waits, since it may be a
    // count ("4 times"), a day ("12 march") or a length ("2 hours").
    match timed(input) {
        Ok((_, Clause::Weak(Weak::Time(_)))) | Err(nom::Err::Error(_)) => {}
        other => return other,
    }
    alt((
        offset,
        repeat.map(Clause::Repeat),
        date_from_digits.map(Clause::Date),
        repeat_end.map(Clause::RepeatEnd),
        |i| duration(i, false).map(|(r, m)| (r, Clause::End(End::After(m)))),
        timed,
        |i| bare_people(i, mentions).map(|(r, p)| (r, Clause::People(p))),
    ))
    .parse(input)
}

/// A time or a range, with an optional zone after it; lone numbers are weak.
fn timed(input: &str) -> PResult<'_, Clause<'_>> {
    let (rest, found) = time_or_range(input)?;
    let (rest, zone) = zone_after_time(rest)?;
    Ok((
        rest,
        match found {
            Timed::At(c, true) if zone.is_none() => Clause::Weak(Weak::Time(c)),
            Timed::At(c, _) => Clause::Start(Start::At(c), zone),
            Timed::Range(a, b, true) if zone.is_none() => Clause::Weak(Weak::Range(a, b)),
            Timed::Range(a, b, _) => Clause::Range(a, b, zone),
        },
    ))
}

/// A range, with an optional zone after it.
fn timed_range(input: &str) -> PResult<'_, Clause<'_>> {
    let (rest, (a, b, weak)) = range(input)?;
    let (rest, zone) = zone_after_time(rest)?;
    if weak && zone.is_none() {
        return Ok((rest, Clause::Weak(Weak::Range(a, b))));
    }
    Ok((rest, Clause::Range(a, b, zone)))
}

/// A weekly repeat on `days`.
fn every_day_of(days: crate::schedule::WeekdaySet) -> RepeatSpec {
    RepeatSpec {
        kind: RepeatKind::Weekly(Some(days)),
        interval: 1,
    }
}

/// A clause starting with the keyword `k`.
fn by_keyword<'a>(input: &'a str, k: Kw, mentions: &[Mention]) -> PResult<'a, Clause<'a>> {
    match k {
        Kw::Today | Kw::Tomorrow | Kw::Yesterday | Kw::Next | Kw::Month(_) | Kw::Day => {
            date.map(Clause::Date).parse(input)
        }
        Kw::WeekdayName(_) => {
            alt((repeat.map(Clause::Repeat), date.map(Clause::Date))).parse(input)
        }
        Kw::On | Kw::The => alt((repeat.map(Clause::Repeat), date.map(Clause::Date))).parse(input),
        Kw::In => alt((
            date.map(Clause::Date),
            in_duration.map(|m| Clause::Start(Start::In(m), None)),
            day_part.map(Clause::DayPart),
            in_zone.map(Clause::Zone),
        ))
        .parse(input),
        Kw::This => alt((date.map(Clause::Date), day_part.map(Clause::DayPart))).parse(input),
        Kw::DayPart(_) | Kw::Tonight | Kw::Early | Kw::Late => {
            day_part.map(Clause::DayPart).parse(input)
        }
        Kw::Quarter => timed(input),
        Kw::Approx => approximate(input),
        Kw::Every
        | Kw::Each
        | Kw::Daily
        | Kw::Weekly
        | Kw::Biweekly
        | Kw::Monthly
        | Kw::Yearly
        | Kw::Workdays
        | Kw::Weekends
        | Kw::WeekdayPlural(_) => repeat.map(Clause::Repeat).parse(input),
        Kw::Nth(_) => alt((repeat.map(Clause::Repeat), date.map(Clause::Date))).parse(input),
        Kw::At => {
            if let Ok((after_at, _)) = (kw(Kw::At), super::grammar::sp1).parse(input) {
                // "at 3", "at 2:00 - 2:30 pm": a time after `at` is never weak.
                match time_or_range(after_at) {
                    Ok((rest, found)) => {
                        let (rest, zone) = zone_after_time(rest)?;
                        return Ok((
                            rest,
                            match found {
                                Timed::At(c, _) => Clause::Start(Start::At(c), zone),
                                Timed::Range(a, b, _) => Clause::Range(a, b, zone),
                            },
                        ));
                    }
                    Err(nom::Err::Failure(e)) => return Err(nom::Err::Failure(e)),
                    Err(_) => {}
                }
                // "at around 4".
                if let Ok(found) = approximate(after_at) {
                    return Ok(found);
                }
            }
            if let Ok((rest, part)) = day_part(input) {
                return Ok((rest, Clause::DayPart(part)));
            }
            let (rest, c) = at_time(input)?;
            let (rest, zone) = zone_after_time(rest)?;
            Ok((rest, Clause::Start(Start::At(c), zone)))
        }
        Kw::From => alt((timed_range, date.map(Clause::Date))).parse(input),
        Kw::Starting => date.map(Clause::Date).parse(input),
        Kw::Between => timed_range(input),
        Kw::Noon | Kw::Midnight => timed(input),
        Kw::Until => alt((
            until_time.map(|c| Clause::End(End::At(c))),
            repeat_end.map(Clause::RepeatEnd),
        ))
        .parse(input),
        Kw::For => alt((
            for_duration.map(|m| Clause::End(End::After(m))),
            repeat_end.map(Clause::RepeatEnd),
        ))
        .parse(input),
        Kw::Now => kw(Kw::Now)
            .map(|()| Clause::Start(Start::Now, None))
            .parse(input),
        Kw::Tz | Kw::Time => tz_clause.map(Clause::Zone).parse(input),
        Kw::With | Kw::Invite | Kw::Cohost => {
            people_clause(input, mentions).map(|(r, p)| (r, Clause::People(p)))
        }
        Kw::Password => password.map(Clause::Password).parse(input),
        Kw::Agenda => agenda.map(Clause::Agenda).parse(input),
        Kw::Twice => alt((
            repeat.map(Clause::Repeat),
            repeat_end.map(Clause::RepeatEnd),
        ))
        .parse(input),
        Kw::Number(_) => alt((
            offset,
            repeat.map(Clause::Repeat),
            repeat_end.map(Clause::RepeatEnd),
            timed,
        ))
        .parse(input),
        Kw::Half => alt((offset, timed, |i| {
            duration(i, false).map(|(r, m)| (r, Clause::End(End::After(m))))
        }))
        .parse(input),
        Kw::A => alt((offset, |i| {
            duration(i, false).map(|(r, m)| (r, Clause::End(End::After(m))))
        }))
        .parse(input),
        _ => other_word(input, mentions),
    }
}

/// A word that is no keyword: `x4`, an unmistakable zone, an address, or the title.
fn other_word<'a>(input: &'a str, mentions: &[Mention]) -> PResult<'a, Clause<'a>> {
    // One pass over the word says which readings are possible at all.
    let bytes = input.as_bytes();
    let (mut len, mut at_sign, mut slash, mut upper) = (0, false, false, 0);
    while len < bytes.len() && !bytes[len].is_ascii_whitespace() {
        match bytes[len] {
            b'@' => at_sign = true,
            b'/' => slash = true,
            b'A'..=b'Z' => upper += 1,
            _ => {}
        }
        len += 1;
    }
    if at_sign || bytes.first() == Some(&b'<') {
        return bare_people(input, mentions).map(|(r, p)| (r, Clause::People(p)));
    }
    if input.starts_with(['x', 'X', '\u{00D7}'])
        && let Ok((rest, end)) = repeat_end(input)
    {
        return Ok((rest, Clause::RepeatEnd(end)));
    }
    let may_be_zone = slash
        || upper >= 2
        || (super::grammar::has_cue(super::grammar::Cue::Time) && time_follows(&input[len..]))
        || bytes
            .first()
            .is_some_and(|b| matches!(b, b'u' | b'U' | b'g' | b'G'));
    if !may_be_zone {
        return Err(nom::Err::Error(GrammarError::at(input)));
    }
    match standalone_zone(input) {
        Ok((rest, zone)) => Ok((rest, Clause::Zone(zone))),
        Err(nom::Err::Failure(e)) => Err(nom::Err::Failure(e)),
        Err(_) => Err(nom::Err::Error(GrammarError::at(input))),
    }
}
