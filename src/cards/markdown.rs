//! Text that people typed, made inert before it goes into a TextBlock or a FactSet.
//!
//! Adaptive Card TextBlocks render a markdown subset (emphasis, lists, links), so a title like
//! `[docs](javascript:alert(1))` would become a link and `**x**` bold. Every character that can
//! open markdown or HTML syntax is backslash-escaped (CommonMark lets any ASCII punctuation be
//! escaped, and renders the escaped character literally), line breaks become spaces, and other
//! control characters are dropped, so the text shows exactly as typed and does nothing.

/// Characters that start or end markdown, HTML or autolink syntax anywhere in a line.
const ALWAYS: &[char] = &[
    '\\', '*', '_', '[', ']', '<', '>', '`', '~', '#', '|', '!', '&', '{', '}',
];

/// `text` as a markdown-inert single line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut at_line_start = true;
    for c in text.chars() {
        if c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}' {
            out.push(' ');
            continue;
        }
        if c.is_control() {
            continue;
        }
        // List markers and headings only mean something at the start of the text.
        let starts_block = at_line_start && matches!(c, '-' | '+' | '=');
        if ALWAYS.contains(&c) || starts_block {
            out.push('\\');
        }
        out.push(c);
        if !c.is_whitespace() {
            at_line_start = false;
        }
    }
    escape_ordered_list_marker(out)
}

/// "1. Intro" at the start would become a numbered list; escaping its period keeps it text.
fn escape_ordered_list_marker(text: String) -> String {
    let trimmed = text.trim_start();
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let after = &trimmed[digits..];
    if digits > 0 && (after.starts_with('.') || after.starts_with(')')) {
        let lead = text.len() - trimmed.len();
        let mut out = String::with_capacity(text.len() + 1);
        out.push_str(&text[..lead + digits]);
        out.push('\\');
        out.push_str(after);
        return out;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_emphasis_and_mentions_are_escaped() {
        assert_eq!(
            escape("[x](javascript:alert(1))"),
            r"\[x\](javascript:alert(1))"
        );
        assert_eq!(escape("**bold** _it_"), r"\*\*bold\*\* \_it\_");
        assert_eq!(escape("<@all> hi"), r"\<@all\> hi");
        assert_eq!(escape("<b>x</b>"), r"\<b\>x\</b\>");
    }

    #[test]
    fn block_syntax_at_the_start_is_escaped_and_ordinary_text_is_not() {
        assert_eq!(escape("- item"), r"\- item");
        assert_eq!(escape("1. Intro"), r"1\. Intro");
        assert_eq!(escape("# Heading"), r"\# Heading");
        assert_eq!(
            escape("Design review - Q3 (draft)"),
            "Design review - Q3 (draft)"
        );
    }

    #[test]
    fn line_breaks_become_spaces_and_controls_vanish() {
        assert_eq!(escape("a\nb\r\nc\u{0}d"), "a b  cd");
    }

    /// Reads escaped text back as a CommonMark renderer shows it, failing on a bare opener.
    fn shown(escaped: &str) -> Result<String, char> {
        let mut out = String::new();
        let mut chars = escaped.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.extend(chars.next()),
                c if ALWAYS.contains(&c) => return Err(c),
                c => out.push(c),
            }
        }
        Ok(out)
    }

    proptest::proptest! {
        #[test]
        fn escaped_text_has_no_bare_opener_and_shows_as_typed(text in "[ -~\u{e9}\u{4e2d}]{0,80}") {
            proptest::prop_assert_eq!(shown(&escape(&text)), Ok(text));
        }
    }
}
