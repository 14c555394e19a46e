//! The size of a message. Webex refuses a message whose `text` or `markdown` is over 7,439
//! bytes (*Create a Message*), and a refused reply is a reply nobody gets. This module owns
//! that number: replies that grow with what they show (a list of meetings, the people on a
//! meeting, notes about names) are composed with [`Compose`], which keeps as many lines as fit
//! and says how many it left out; [`people`] names the first few people and counts the rest;
//! and [`fit`], applied to every reply ([`super::Reply::text`]), guarantees the limit for
//! what cannot grow by design but could by mistake.

/// The most bytes Webex takes in a message's `text` or `markdown`.
pub(crate) const MESSAGE_LIMIT: usize = 7439;

/// At most this many people are named in a reply; the rest are counted ("and 80 others").
pub(crate) const NAMED_PEOPLE: usize = 20;

/// What ends a text [`fit`] had to cut.
const CUT_MARK: &str = " …";

/// `text` as it is when it fits in `limit` bytes; otherwise cut at a character boundary and
/// marked, within `limit`.
pub(crate) fn fit(text: String, limit: usize) -> String {
    if text.len() <= limit {
        return text;
    }
    let room = limit.saturating_sub(CUT_MARK.len());
    let mut cut = room;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    tracing::warn!(
        bytes = text.len(),
        limit,
        "a reply was cut to fit in a Webex message"
    );
    let mut out = text[..cut].trim_end().to_string();
    if out.len() + CUT_MARK.len() <= limit {
        out.push_str(CUT_MARK);
    }
    out
}

/// Lines of a message, added while they fit in a byte budget.
#[derive(Debug)]
pub(crate) struct Compose {
    limit: usize,
    lines: Vec<String>,
    used: usize,
}

impl Compose {
    /// A message of at most `limit` bytes.
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            limit,
            lines: Vec::new(),
            used: 0,
        }
    }

    /// Bytes `line` adds: itself and the newline before it.
    fn cost(&self, line: &str) -> usize {
        line.len() + usize::from(!self.lines.is_empty())
    }

    /// Bytes left for more lines, keeping `reserve` for what must come after them.
    pub(crate) fn room(&self, reserve: usize) -> usize {
        self.limit.saturating_sub(self.used + reserve)
    }

    /// Adds `line` if it fits (keeping `reserve` bytes); says whether it did.
    pub(crate) fn line(&mut self, line: impl Into<String>, reserve: usize) -> bool {
        let line = line.into();
        let cost = self.cost(&line);
        if self.used + cost + reserve > self.limit {
            return false;
        }
        self.used += cost;
        self.lines.push(line);
        true
    }

    /// Adds `items` in order while they fit, keeping `reserve` bytes for what follows; if some
    /// do not fit, the line `more(n)` says how many were left out (itself within the budget).
    /// Returns how many were added.
    pub(crate) fn items(
        &mut self,
        items: &[String],
        reserve: usize,
        more: impl Fn(usize) -> String,
    ) -> usize {
        // A "more" line is one line after the items: its newline is always counted.
        let more_cost = |left: usize| more(left).len() + 1;
        for (i, item) in items.iter().enumerate() {
            let left_after = items.len() - i - 1;
            let tail = if left_after == 0 {
                0
            } else {
                more_cost(left_after)
            };
            if self.used + self.cost(item) + tail + reserve > self.limit {
                self.line(more(items.len() - i), reserve);
                return i;
            }
            self.line(item.clone(), reserve);
        }
        items.len()
    }

    pub(crate) fn finish(self) -> String {
        self.lines.join("\n")
    }
}

/// People (already escaped for markdown), joined by commas: the first [`NAMED_PEOPLE`] that
/// fit in `limit` bytes, then "and N others".
pub(crate) fn people(names: &[String], limit: usize) -> String {
    let others = |n: usize| match n {
        1 => " and 1 other".to_string(),
        n => format!(" and {n} others"),
    };
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        let left_after = names.len() - i - 1;
        let sep = if i == 0 { "" } else { ", " };
        let tail = if left_after == 0 {
            0
        } else {
            others(left_after).len()
        };
        if i == NAMED_PEOPLE || out.len() + sep.len() + name.len() + tail > limit {
            out.push_str(&others(names.len() - i));
            return fit(out.trim_start().to_string(), limit);
        }
        out.push_str(sep);
        out.push_str(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_that_fits_is_kept_and_one_that_does_not_is_cut_on_a_character() {
        assert_eq!(fit("short".into(), 10), "short");
        let cut = fit("ééééé".into(), 7);
        assert!(cut.len() <= 7, "{cut}");
        assert_eq!(cut, "é …");
    }

    #[test]
    fn items_that_do_not_fit_are_counted_within_the_budget() {
        let items: Vec<String> = (1..=50).map(|n| format!("{n}. meeting")).collect();
        let mut text = Compose::new(100);
        assert!(text.line("**Your meetings**", 10));
        let shown = text.items(&items, 10, |n| format!("…and {n} more"));
        assert!(text.line("footer", 0));
        let text = text.finish();
        assert!(text.len() <= 100, "{} bytes: {text}", text.len());
        assert!(shown > 0 && shown < 50);
        assert!(
            text.contains(&format!("…and {} more\nfooter", 50 - shown)),
            "{text}"
        );

        let mut all = Compose::new(1000);
        assert_eq!(all.items(&items[..3], 0, |n| format!("{n} more")), 3);
        assert_eq!(all.finish(), "1. meeting\n2. meeting\n3. meeting");
    }

    #[test]
    fn people_are_named_up_to_twenty_then_counted() {
        let names: Vec<String> = (1..=100).map(|n| format!("Person {n}")).collect();
        let text = people(&names, MESSAGE_LIMIT);
        assert!(text.starts_with("Person 1, Person 2"), "{text}");
        assert!(text.ends_with("Person 20 and 80 others"), "{text}");
        assert_eq!(people(&names[..2], 100), "Person 1, Person 2");
        let tight = people(&names, 40);
        assert!(tight.len() <= 40, "{tight}");
        assert!(tight.ends_with("others"), "{tight}");
    }
}
