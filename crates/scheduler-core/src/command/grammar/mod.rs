//! The nom grammar: small parsers over the typed text, named after what they read.
//!
//! Every parser takes the rest of the message and returns the rest after what it read. A parser
//! that does not apply returns a recoverable error (the scanner then tries the next reading, or
//! takes the word into the title); a parser that has seen enough to know the person meant it
//! but cannot make sense of the rest ("every fifth blue moon", "25:00") fails with a
//! [`Problem`], which becomes the refusal.

pub(crate) mod clock_forms;
pub(crate) mod days;
pub(crate) mod offsets;
pub(crate) mod options;
pub(crate) mod people;
pub(crate) mod repeat;
pub(crate) mod spoken;
pub(crate) mod when;

use super::lexicon::{Kw, Unit};
pub(crate) use super::refusal::Problem;
use nom::error::{ErrorKind, ParseError};
use nom::{IResult, Parser};
use std::cell::Cell;

/// The grammar's error: where it stopped, and for a committed failure, why.
#[derive(Debug)]
pub(crate) struct GrammarError<'a> {
    pub input: &'a str,
    pub problem: Option<Box<Problem>>,
}

impl<'a> GrammarError<'a> {
    pub(crate) fn at(input: &'a str) -> Self {
        Self {
            input,
            problem: None,
        }
    }
}

impl<'a> ParseError<&'a str> for GrammarError<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        Self::at(input)
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

pub(crate) type PResult<'a, T> = IResult<&'a str, T, GrammarError<'a>>;

/// A committed failure: the person meant this clause, and it is wrong.
pub(crate) fn fail<'a, T>(input: &'a str, problem: Problem) -> PResult<'a, T> {
    Err(nom::Err::Failure(GrammarError {
        input,
        problem: Some(Box::new(problem)),
    }))
}

/// "Not this reading."
pub(crate) fn backtrack<T>(input: &str) -> PResult<'_, T> {
    Err(nom::Err::Error(GrammarError::at(input)))
}

/// Zero or more spaces (any Unicode white space).
pub(crate) fn sp0(input: &str) -> PResult<'_, &str> {
    nom::bytes::complete::take_while(char::is_whitespace)(input)
}

/// One or more spaces.
pub(crate) fn sp1(input: &str) -> PResult<'_, &str> {
    nom::bytes::complete::take_while1(char::is_whitespace)(input)
}

/// Succeeds, reading nothing, where a word may end: at the end, before a space or closing
/// punctuation, or before a `.`/`:` that is itself followed by a space or the end.
pub(crate) fn boundary(input: &str) -> PResult<'_, ()> {
    let mut chars = input.chars();
    match chars.next() {
        None => Ok((input, ())),
        Some(c) if c.is_whitespace() => Ok((input, ())),
        Some(',' | ';' | '!' | '?' | ')' | '"' | '\u{201D}' | '>' | '/') => Ok((input, ())),
        Some('.' | ':') => match chars.next() {
            None => Ok((input, ())),
            Some(c) if c.is_whitespace() => Ok((input, ())),
            _ => backtrack(input),
        },
        _ => backtrack(input),
    }
}

/// A word: ASCII letters, with single hyphens inside ("co-host").
pub(crate) fn word(input: &str) -> PResult<'_, &str> {
    let bytes = input.as_bytes();
    let mut end = 0;
    while end < bytes.len() {
        let inner_hyphen = bytes[end] == b'-'
            && end > 0
            && bytes.get(end + 1).is_some_and(u8::is_ascii_alphabetic);
        if !(bytes[end].is_ascii_alphabetic() || inner_hyphen) {
            break;
        }
        end += 1;
    }
    if end == 0 {
        return backtrack(input);
    }
    Ok((&input[end..], &input[..end]))
}

/// The last word looked up while reading the current message: the grammar's alternatives often
/// ask about the same word several times ("friday" is a date, maybe with "this", maybe a repeat),
/// so the answer is kept, keyed by the word's place in the message.
#[derive(Clone, Copy)]
struct KeywordMemo {
    message: u64,
    at: usize,
    len: usize,
    /// The keyword and the length it read, if the word is one.
    found: Option<(Kw, usize)>,
}

thread_local! {
    static MESSAGE: Cell<u64> = const { Cell::new(0) };
    static LAST_KEYWORD: Cell<KeywordMemo> =
        const { Cell::new(KeywordMemo { message: 0, at: 0, len: 0, found: None }) };
}

thread_local! {
    /// Cue words the message being scanned contains (bits of [`Cue`]): parsers of rare forms
    /// ("new york time", "30 minutes from now") give up at once when their cue is absent.
    static CUES: Cell<u8> = const { Cell::new(u8::MAX) };
}

/// A word whose presence some rare forms need.
#[derive(Clone, Copy)]
pub(crate) enum Cue {
    Time = 1,
    From = 2,
}

/// Notes which cue words `text` contains (one pass, ASCII case-insensitive).
pub(crate) fn note_cues(text: &str) {
    let bytes = text.as_bytes();
    let mut cues = 0u8;
    for (i, b) in bytes.iter().enumerate() {
        match b | 0x20 {
            b't' if bytes
                .get(i..i + 4)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"time")) =>
            {
                cues |= Cue::Time as u8;
            }
            b'f' if bytes
                .get(i..i + 4)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"from")) =>
            {
                cues |= Cue::From as u8;
            }
            _ => {}
        }
    }
    CUES.set(cues);
}

/// Whether the message being scanned may contain `cue` (always, outside a scan).
pub(crate) fn has_cue(cue: Cue) -> bool {
    CUES.get() & cue as u8 != 0
}

/// Marks the start of a message: what was remembered about earlier ones no longer applies.
/// While the returned guard lives, look-ups are remembered.
pub(crate) fn new_message() -> MessageGuard {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    MESSAGE.set(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    MessageGuard
}

/// Ends remembering when the message has been read.
pub(crate) struct MessageGuard;

impl Drop for MessageGuard {
    fn drop(&mut self) {
        MESSAGE.set(0);
    }
}

/// A keyword, followed by a word boundary.
pub(crate) fn keyword(input: &str) -> PResult<'_, Kw> {
    let message = MESSAGE.get();
    let (at, len) = (input.as_ptr() as usize, input.len());
    if message != 0 {
        let memo = LAST_KEYWORD.get();
        if memo.message == message && memo.at == at && memo.len == len {
            return match memo.found {
                Some((kw, read)) => Ok((&input[read..], kw)),
                None => backtrack(input),
            };
        }
    }
    let found = match word(input) {
        Ok((rest, w)) => Kw::lookup(w)
            .filter(|_| boundary(rest).is_ok())
            .map(|kw| (kw, w.len())),
        Err(_) => None,
    };
    if message != 0 {
        LAST_KEYWORD.set(KeywordMemo {
            message,
            at,
            len,
            found,
        });
    }
    match found {
        Some((kw, read)) => Ok((&input[read..], kw)),
        None => backtrack(input),
    }
}

/// Exactly the keyword `expected`.
pub(crate) fn kw<'a>(expected: Kw) -> impl Fn(&'a str) -> PResult<'a, ()> {
    move |input| match keyword(input) {
        Ok((rest, k)) if k == expected => Ok((rest, ())),
        _ => backtrack(input),
    }
}

/// A keyword that `pick` maps to a value.
pub(crate) fn kw_map<'a, T>(pick: impl Fn(Kw) -> Option<T>) -> impl Fn(&'a str) -> PResult<'a, T> {
    move |input| match keyword(input) {
        Ok((rest, k)) => match pick(k) {
            Some(v) => Ok((rest, v)),
            None => backtrack(input),
        },
        Err(_) => backtrack(input),
    }
}

/// A unit word ("minutes", "h", "weeks").
pub(crate) fn unit(input: &str) -> PResult<'_, Unit> {
    let (rest, w) = word(input)?;
    match Unit::lookup(w) {
        Some(u) => Ok((rest, u)),
        None => backtrack(input),
    }
}

/// Up to nine decimal digits as a number (no boundary check: "3pm", "15h" go on).
pub(crate) fn digits(input: &str) -> PResult<'_, u32> {
    let len = input.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > 9 {
        return backtrack(input);
    }
    let value = input[..len].parse().unwrap_or(u32::MAX);
    Ok((&input[len..], value))
}

/// A count: digits or a number word ("3", "three"), as a whole word.
pub(crate) fn count(input: &str) -> PResult<'_, u32> {
    if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        let (rest, n) = digits(input)?;
        boundary(rest)?;
        return Ok((rest, n));
    }
    kw_map(|k| match k {
        Kw::Number(n) => Some(n),
        _ => None,
    })(input)
}

/// "1st", "2nd", "23rd", "4th" (1 to 31), as a whole word.
pub(crate) fn ordinal_day(input: &str) -> PResult<'_, u32> {
    let len = input.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&len) {
        return backtrack(input);
    }
    let n: u32 = input[..len].parse().unwrap_or(0);
    let rest = &input[len..];
    let suffix = rest
        .as_bytes()
        .get(..2)
        .map(|s| [s[0].to_ascii_lowercase(), s[1].to_ascii_lowercase()]);
    if !matches!(
        suffix,
        Some([b's', b't'] | [b'n', b'd'] | [b'r', b'd'] | [b't', b'h'])
    ) {
        return backtrack(input);
    }
    let rest = &rest[2..];
    boundary(rest)?;
    if !(1..=31).contains(&n) {
        return backtrack(input);
    }
    Ok((rest, n))
}

/// A list separator: ",", ", and", "and", "&", "/".
pub(crate) fn list_sep(input: &str) -> PResult<'_, ()> {
    let (rest, _) = sp0(input)?;
    if let Some(after) = rest.strip_prefix([',', '&', '/']) {
        let (after, _) = sp0(after)?;
        if let Ok((after_and, ())) = (kw(Kw::And), sp1).parse(after).map(|(r, _)| (r, ())) {
            return Ok((after_and, ()));
        }
        return Ok((after, ()));
    }
    if rest.len() == input.len() {
        return backtrack(input);
    }
    let (after, ()) = kw(Kw::And)(rest)?;
    let (after, _) = sp1(after)?;
    Ok((after, ()))
}

/// Text in double quotes (straight or curly), trimmed.
pub(crate) fn quoted(input: &str) -> PResult<'_, &str> {
    let Some(first) = input.chars().next() else {
        return backtrack(input);
    };
    let closers: &[char] = match first {
        '"' => &['"', '\u{201D}'],
        '\u{201C}' => &['\u{201D}', '\u{201C}'],
        '\u{201D}' => &['\u{201D}'],
        _ => return backtrack(input),
    };
    let body = &input[first.len_utf8()..];
    match body.find(closers) {
        Some(end) => {
            let close = body[end..].chars().next().map_or(1, char::len_utf8);
            Ok((&body[end + close..], body[..end].trim()))
        }
        None => fail(input, Problem::UnclosedQuote),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        assert!(boundary("").is_ok());
        assert!(boundary(" x").is_ok());
        assert!(boundary(", x").is_ok());
        assert!(boundary(".").is_ok());
        assert!(boundary(". x").is_ok());
        assert!(boundary(".x").is_err());
        assert!(boundary("x").is_err());
    }

    #[test]
    fn words_and_keywords() {
        assert_eq!(word("co-host bob").unwrap(), (" bob", "co-host"));
        assert_eq!(keyword("Tomorrow, 3pm").unwrap(), (", 3pm", Kw::Tomorrow));
        assert!(keyword("monster").is_err());
        assert!(keyword("mon3").is_err());
        assert_eq!(count("three times").unwrap(), (" times", 3));
        assert_eq!(ordinal_day("15th of").unwrap(), (" of", 15));
        assert!(ordinal_day("15pm").is_err());
    }

    #[test]
    fn separators_and_quotes() {
        assert!(list_sep(", and x").is_ok());
        assert!(list_sep(" and x").is_ok());
        assert!(list_sep(" & x").is_ok());
        assert!(list_sep(" x").is_err());
        assert_eq!(
            quoted("\u{201C}Design review\u{201D} x").unwrap(),
            (" x", "Design review")
        );
        assert!(matches!(quoted("\"open"), Err(nom::Err::Failure(_))));
    }
}
