//! Times written short or loose (issue 13): four-digit 24-hour times (`0730`, `1430`),
//! `a`/`p` attached (`7p`, `8:45a.`), and `-ish` after a time.

use super::when::{Clock, Style};
use super::{PResult, backtrack, boundary};

/// `0730`, `1430`: four digits, a 24-hour time. Without a leading zero it is weak (a time
/// only when nothing better says when), and only on a five-minute mark, so that a room or
/// a year ("1234", "2027") is not taken for one.
pub(super) fn military(input: &str) -> PResult<'_, (Clock, bool)> {
    let b = input.as_bytes();
    let hour = u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0');
    let minute = u32::from(b[2] - b'0') * 10 + u32::from(b[3] - b'0');
    let leading_zero = b[0] == b'0';
    if hour > 19 || minute > 59 || (!leading_zero && minute % 5 != 0) {
        return backtrack(input);
    }
    let rest = &input[4..];
    if !rest.starts_with(['-', '\u{2013}', '\u{2014}']) {
        boundary(rest)?;
    }
    let clock = Clock {
        hour,
        minute,
        style: Style::H24,
    };
    Ok((rest, (clock, !leading_zero)))
}

/// `a`, `p`, `a.`, `p.` attached to a time ("7p", "8:45a."), as a whole word.
pub(super) fn short_meridiem(input: &str) -> PResult<'_, Style> {
    let style = match input.as_bytes().first().map(u8::to_ascii_lowercase) {
        Some(b'a') => Style::Am,
        Some(b'p') => Style::Pm,
        _ => return backtrack(input),
    };
    let rest = &input[1..];
    let rest = rest
        .strip_prefix('.')
        .filter(|r| boundary(r).is_ok())
        .unwrap_or(rest);
    if !rest.starts_with(['-', '\u{2013}', '\u{2014}']) {
        boundary(rest)?;
    }
    Ok((rest, style))
}

/// Skips "-ish" or "ish" after a time ("3pm-ish"): an approximate time is the time.
pub(super) fn approximately(rest: &str) -> &str {
    let after = rest.strip_prefix('-').unwrap_or(rest);
    match after.get(..3) {
        Some(ish) if ish.eq_ignore_ascii_case("ish") && boundary(&after[3..]).is_ok() => {
            &after[3..]
        }
        _ => rest,
    }
}
