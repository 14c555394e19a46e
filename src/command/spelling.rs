//! Near misses: a leftover word one or two edits (insertions, deletions, substitutions or
//! swaps of neighbours) away from a keyword is a typo, not part of the title.

use super::lexicon::{NOT_TYPOS, SUGGESTABLE, SUGGESTABLE_COMMANDS};
use std::sync::LazyLock;

/// How many edits a word may be from a keyword of `len` letters and still count as a typo:
/// two for long keywords, one for words of five to seven letters.
fn allowed_edits(len: usize) -> usize {
    if len >= 8 { 2 } else { 1 }
}

struct Target {
    word: &'static str,
    /// Bit i set when the letter `a + i` occurs in the word.
    letters: u32,
}

fn letters(word: &[u8]) -> u32 {
    word.iter()
        .filter(|b| b.is_ascii_lowercase())
        .fold(0, |m, b| m | 1 << (b - b'a'))
}

static KEYWORD_TARGETS: LazyLock<Vec<Target>> = LazyLock::new(|| targets(SUGGESTABLE));
static COMMAND_TARGETS: LazyLock<Vec<Target>> = LazyLock::new(|| targets(SUGGESTABLE_COMMANDS));

fn targets(words: &[&'static str]) -> Vec<Target> {
    words
        .iter()
        .map(|w| Target {
            word: w,
            letters: letters(w.as_bytes()),
        })
        .collect()
}

/// The keyword a leftover word is a misspelling of, if it is one. Words of three letters or
/// fewer, words with anything but letters, and known everyday words are never typos.
pub(crate) fn misspelled_keyword(word: &str) -> Option<&'static str> {
    nearest(word, &KEYWORD_TARGETS)
}

/// The command a misspelled first word was meant to be.
pub(crate) fn misspelled_command(word: &str) -> Option<&'static str> {
    nearest(word, &COMMAND_TARGETS)
}

fn nearest(word: &str, targets: &[Target]) -> Option<&'static str> {
    let trimmed = word.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    let bytes = trimmed.as_bytes();
    if bytes.len() <= 3 || bytes.len() > 24 || !bytes.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut buf = [0u8; 24];
    let lower = &mut buf[..bytes.len()];
    for (d, b) in lower.iter_mut().zip(bytes) {
        *d = b.to_ascii_lowercase();
    }
    let lower: &[u8] = lower;
    if NOT_TYPOS.iter().any(|w| w.as_bytes() == lower) {
        return None;
    }
    let mask = letters(lower);
    let mut best: Option<(usize, &'static str)> = None;
    for target in targets {
        let max = allowed_edits(target.word.len());
        if target.word.len().abs_diff(lower.len()) > max {
            continue;
        }
        // Each edit changes at most two letters' presence.
        if (mask ^ target.letters).count_ones() as usize > 2 * max {
            continue;
        }
        if target.word.as_bytes() == lower {
            return None; // a keyword itself, used where no clause takes it
        }
        if let Some(d) = osa_within(lower, target.word.as_bytes(), max) {
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, target.word));
            }
        }
    }
    best.map(|(_, w)| w)
}

/// The edit distance between two lowercase strings if it is at most `max`.
pub(crate) fn distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    osa_within(a.as_bytes(), b.as_bytes(), max)
}

/// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one
/// substring), or `None` once it must exceed `max`.
fn osa_within(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    const N: usize = 65;
    if a.len() >= N || b.len() >= N {
        return None;
    }
    let (n, m) = (a.len(), b.len());
    let mut prev2 = [0usize; N];
    let mut prev = [0usize; N];
    let mut cur = [0usize; N];
    for (j, p) in prev.iter_mut().enumerate().take(m + 1) {
        *p = j;
    }
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        prev2 = prev;
        prev = cur;
    }
    let d = prev[m];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contracts_typos_are_caught() {
        assert_eq!(misspelled_keyword("tomorow"), Some("tomorrow"));
        assert_eq!(misspelled_keyword("wendesday"), Some("wednesday"));
        assert_eq!(misspelled_keyword("wekly"), Some("weekly"));
        assert_eq!(misspelled_keyword("Tommorow"), Some("tomorrow"));
        assert_eq!(misspelled_keyword("fridya"), Some("friday"));
    }

    #[test]
    fn ordinary_words_are_left_alone() {
        for word in [
            "sync", "team", "room", "soon", "match", "early", "very", "months", "mostly", "dairy",
            "Daisy", "review", "design", "standup", "planning", "weeks", "today", "sun", "tue",
            "demo", "Monica", "money", "weekend", "windy",
        ] {
            assert_eq!(misspelled_keyword(word), None, "{word}");
        }
    }

    #[test]
    fn misspelled_commands() {
        assert_eq!(misspelled_command("schedul"), Some("schedule"));
        assert_eq!(misspelled_command("cancle"), Some("cancel"));
        assert_eq!(misspelled_command("meeting"), None);
        assert_eq!(misspelled_command("design"), None);
    }

    #[test]
    fn distances() {
        assert_eq!(osa_within(b"abcd", b"abdc", 2), Some(1));
        assert_eq!(osa_within(b"kitten", b"sitting", 3), Some(3));
        assert_eq!(osa_within(b"kitten", b"sitting", 2), None);
    }
}
