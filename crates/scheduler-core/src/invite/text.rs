//! Normalising user text before it goes into an iCalendar object or a mail header.
//!
//! RFC 5545 TEXT may not hold control characters other than HTAB, and only LF can be escaped
//! (as `\n`); a bare CR left in a value breaks vobject and sabre/vobject. Python parsers also
//! split lines on U+2028/U+2029. So every user-supplied string is normalised *before* it reaches
//! the icalendar crate, and the result is what a calendar shows back (the property tests compare
//! against these functions).

/// Multi-line text (DESCRIPTION, agenda): line breaks of every flavour become `\n`, other
/// control characters are dropped, tabs stay.
pub fn normalize_text(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One-line text (SUMMARY, subjects, display names): like [`normalize_text`], then every run
/// of whitespace (line breaks included) becomes one space and the ends are trimmed, because a
/// title never legitimately spans lines and a line break is exactly what header and ICS
/// injection need.
pub fn normalize_line(input: &str) -> String {
    normalize_text(input)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A parameter value such as `CN=`: one line, without the characters parsers disagree on.
/// RFC 5545 cannot carry `"` in a parameter (an unquoted one makes python-icalendar drop the
/// line and vobject reject the file), so it becomes `'`. python-icalendar and ical.js also
/// decode RFC 6868 carets (`^'`, `^n`) and backslash escapes in parameters while vobject reads
/// both literally, so `\` becomes `/` and `^` is dropped: every client then shows the same name.
/// Returns `None` when nothing printable is left, so the parameter is omitted.
pub fn sanitize_param_value(input: &str) -> Option<String> {
    let line = normalize_line(input)
        .replace('"', "'")
        .replace('\\', "/")
        .replace('^', "");
    let trimmed = line.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// A value written without TEXT escaping (a URI, an address, a UID): no whitespace and no
/// control characters can survive, so nothing can end the content line early.
pub fn sanitize_token(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect()
}

/// Re-folds serialised iCalendar text so that no line, continuation lines included, is longer
/// than 75 octets and no UTF-8 sequence is split. The icalendar crate folds at 75 octets
/// *after* the leading space, giving 76-octet continuation lines. Unfolding first is safe
/// because escaped values can no longer contain CR or LF.
pub(crate) fn refold(calendar: &str) -> String {
    const LIMIT: usize = 75;
    let unfolded = calendar.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 32);
    for line in unfolded.split_terminator("\r\n") {
        let mut rest = line;
        let mut room = LIMIT;
        while rest.len() > room {
            let mut cut = room;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            room = LIMIT - 1;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_break_flavour_becomes_lf() {
        assert_eq!(normalize_text("a\r\nb\rc\nd\u{2028}e"), "a\nb\nc\nd\ne");
    }

    #[test]
    fn control_characters_are_dropped_but_tabs_kept() {
        assert_eq!(normalize_text("a\u{0}b\u{7f}c\u{85}d\te"), "abcd\te");
    }

    #[test]
    fn a_line_never_contains_a_break() {
        assert_eq!(
            normalize_line("  Stand-up\r\nBEGIN:VEVENT\t "),
            "Stand-up BEGIN:VEVENT"
        );
    }

    #[test]
    fn parameter_values_lose_quotes_and_may_vanish() {
        assert_eq!(
            sanitize_param_value("Bob \"B\" Smith\r\n").as_deref(),
            Some("Bob 'B' Smith")
        );
        assert_eq!(
            sanitize_param_value("a\\b^'c^nd").as_deref(),
            Some("a/b'cnd")
        );
        assert_eq!(sanitize_param_value(" \r\n\u{0} "), None);
    }

    #[test]
    fn refolding_keeps_every_line_within_75_octets_and_whole_characters() {
        let long = format!("DESCRIPTION:{}", "ä😀x".repeat(40));
        let folded = refold(&format!("BEGIN:VEVENT\r\n{long}\r\nEND:VEVENT\r\n"));
        for line in folded.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(
            folded
                .lines()
                .skip(2)
                .all(|l| l.starts_with(' ') || l == "END:VEVENT")
        );
        assert_eq!(
            folded.replace("\r\n ", ""),
            format!("BEGIN:VEVENT\r\n{long}\r\nEND:VEVENT\r\n")
        );
    }

    #[test]
    fn tokens_lose_whitespace_and_controls() {
        assert_eq!(
            sanitize_token("https://x.test/j?a=1\r\nATTENDEE:x"),
            "https://x.test/j?a=1ATTENDEE:x"
        );
    }
}
