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
    /// How often each letter occurs.
    counts: [u8; 26],
}

fn counts(word: &[u8]) -> [u8; 26] {
    let mut c = [0u8; 26];
    for b in word.iter().filter(|b| b.is_ascii_lowercase()) {
        c[usize::from(b - b'a')] = c[usize::from(b - b'a')].saturating_add(1);
    }
    c
}

fn letters(word: &[u8]) -> u32 {
    word.iter()
        .filter(|b| b.is_ascii_lowercase())
        .fold(0, |m, b| m | 1 << (b - b'a'))
}

/// The targets a word of one length may be a misspelling of, with their letter masks and
/// how many letters' presence may differ, side by side for a tight first filter.
#[derive(Default)]
struct Bucket {
    masks: Vec<u32>,
    limits: Vec<u8>,
    /// Each target's bit in [`Targets::pairs`].
    bits: Vec<u64>,
    targets: Vec<Target>,
}

/// Targets by the length of the words they may be a misspelling of (up to 24 letters), and
/// a precomputed index of their letter pairs.
struct Targets {
    by_length: Vec<Bucket>,
    /// For each pair of letters, the targets (bits) in which it occurs. A word within the
    /// allowed edits of a target shares at least one letter pair with it: targets have five
    /// letters or more, one edit breaks at most three of a five-letter word's four pairs and
    /// two edits at most six of an eight-letter word's seven. Most title words share a pair
    /// with no target at all, and are let go after one look per pair.
    pairs: Box<[[u64; 26]; 26]>,
}

type ByLength = Targets;

static KEYWORD_TARGETS: LazyLock<ByLength> = LazyLock::new(|| targets(SUGGESTABLE));
static COMMAND_TARGETS: LazyLock<ByLength> = LazyLock::new(|| targets(SUGGESTABLE_COMMANDS));
static SCHEDULE_TARGETS: LazyLock<ByLength> =
    LazyLock::new(|| targets(&["schedule", "reschedule"]));

fn targets(words: &[&'static str]) -> ByLength {
    assert!(words.len() <= 64, "one bit per target");
    let mut by_length: Vec<Bucket> = (0..=24).map(|_| Bucket::default()).collect();
    let mut pairs = Box::new([[0u64; 26]; 26]);
    for (index, w) in words.iter().enumerate() {
        assert!(
            w.len() >= 5,
            "the pair index needs five letters or more: {w}"
        );
        let bit = 1u64 << index;
        for pair in w.as_bytes().windows(2) {
            pairs[usize::from(pair[0] - b'a')][usize::from(pair[1] - b'a')] |= bit;
        }
        let max = allowed_edits(w.len());
        let lengths = w.len().saturating_sub(max)..=(w.len() + max).min(24);
        for bucket in &mut by_length[lengths] {
            bucket.masks.push(letters(w.as_bytes()));
            bucket.limits.push((2 * max) as u8);
            bucket.bits.push(bit);
            bucket.targets.push(Target {
                word: w,
                counts: counts(w.as_bytes()),
            });
        }
    }
    Targets { by_length, pairs }
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

/// "schedule" or "reschedule", if a first word is a misspelling of one.
pub(crate) fn misspelled_schedule(word: &str) -> Option<&'static str> {
    nearest(word, &SCHEDULE_TARGETS)
}

fn nearest(word: &str, targets: &ByLength) -> Option<&'static str> {
    let mut bytes = word.as_bytes();
    while let [rest @ .., b'.' | b',' | b';' | b':' | b'!' | b'?'] = bytes {
        bytes = rest;
    }
    if bytes.len() <= 3 || bytes.len() > 24 || !bytes.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let bucket = &targets.by_length[bytes.len()];
    if bucket.masks.is_empty() {
        return None;
    }
    let mut buf = [0u8; 24];
    let lower = &mut buf[..bytes.len()];
    for (d, b) in lower.iter_mut().zip(bytes) {
        *d = b.to_ascii_lowercase();
    }
    let lower: &[u8] = lower;
    let candidates = lower.windows(2).fold(0u64, |found, pair| {
        found | targets.pairs[usize::from(pair[0] - b'a')][usize::from(pair[1] - b'a')]
    });
    if candidates == 0 {
        return None;
    }
    let mask = letters(lower);
    let mut word_counts: Option<[u8; 26]> = None;
    let mut best: Option<(usize, &'static str)> = None;
    for (i, target_mask) in bucket.masks.iter().enumerate() {
        if bucket.bits[i] & candidates == 0 {
            continue;
        }
        // Each edit changes at most two letters' presence.
        if !at_most_bits(mask ^ target_mask, bucket.limits[i]) {
            continue;
        }
        let target = &bucket.targets[i];
        let max = allowed_edits(target.word.len());
        if target.word.as_bytes() == lower {
            return None; // a keyword itself, used where no clause takes it
        }
        // Each edit changes the letter counts by at most two in total.
        let difference: usize = word_counts
            .get_or_insert_with(|| counts(lower))
            .iter()
            .zip(&target.counts)
            .map(|(a, b)| usize::from(a.abs_diff(*b)))
            .sum();
        if difference > 2 * max {
            continue;
        }
        if let Some(d) = osa_within(lower, target.word.as_bytes(), max)
            && best.is_none_or(|(bd, _)| d < bd)
        {
            best = Some((d, target.word));
        }
    }
    let (_, suggestion) = best?;
    if NOT_TYPOS.iter().any(|w| w.as_bytes() == lower) {
        return None;
    }
    Some(suggestion)
}

/// Whether `x` has at most `n` (2 or 4) bits set (cheaper than a population count without POPCNT).
fn at_most_bits(x: u32, n: u8) -> bool {
    let two_cleared = {
        let once = x & x.wrapping_sub(1);
        once & once.wrapping_sub(1)
    };
    if n <= 2 {
        return two_cleared == 0;
    }
    let once = two_cleared & two_cleared.wrapping_sub(1);
    once & once.wrapping_sub(1) == 0
}

/// The edit distance between two lowercase strings if it is at most `max`.
pub(crate) fn distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    osa_within(a.as_bytes(), b.as_bytes(), max)
}

/// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one
/// substring), or `None` once it must exceed `max`. Words of up to 32 letters.
fn osa_within(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    const N: usize = 33;
    if a.len() >= N || b.len() >= N {
        return None;
    }
    let (n, m) = (a.len(), b.len());
    // Three rows, rotated: two rows back (for swaps), the previous row, the current row.
    let mut rows = [[0u8; N]; 3];
    for (j, cell) in rows[1].iter_mut().enumerate().take(m + 1) {
        *cell = j as u8;
    }
    let (mut back2, mut back1, mut cur) = (0, 1, 2);
    for i in 1..=n {
        rows[cur][0] = i as u8;
        let mut row_min = rows[cur][0];
        for j in 1..=m {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[back1][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[back1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[back2][j - 2] + 1);
            }
            rows[cur][j] = v;
            row_min = row_min.min(v);
        }
        if usize::from(row_min) > max {
            return None;
        }
        (back2, back1, cur) = (back1, cur, back2);
    }
    let d = usize::from(rows[back1][m]);
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
    fn the_pair_index_never_hides_a_typo() {
        // Every word within the allowed edits of a target, by brute force over one and two
        // substitutions, deletions and swaps of a few targets, is still found.
        for target in ["today", "friday", "tomorrow", "wednesday", "schedule"] {
            let max = allowed_edits(target.len());
            let b = target.as_bytes();
            let mut variants = Vec::new();
            for i in 0..b.len() {
                let mut deleted = b.to_vec();
                deleted.remove(i);
                variants.push(deleted);
                for c in [b'x', b'q'] {
                    let mut changed = b.to_vec();
                    changed[i] = c;
                    variants.push(changed.clone());
                    if max == 2 {
                        for j in 0..b.len() {
                            let mut twice = changed.clone();
                            twice[j] = b'z';
                            variants.push(twice);
                        }
                    }
                }
                if i + 1 < b.len() {
                    let mut swapped = b.to_vec();
                    swapped.swap(i, i + 1);
                    variants.push(swapped);
                }
            }
            for v in variants {
                let word = String::from_utf8(v).expect("ASCII");
                let Some(d) = distance_within(&word, target, max) else {
                    continue;
                };
                if d == 0 || word.len() <= 3 || NOT_TYPOS.contains(&word.as_str()) {
                    continue;
                }
                let found = misspelled_keyword(&word).or(misspelled_schedule(&word));
                assert!(found.is_some(), "{word} ({d} from {target}) not found");
            }
        }
    }

    #[test]
    fn distances() {
        assert_eq!(osa_within(b"abcd", b"abdc", 2), Some(1));
        assert_eq!(osa_within(b"kitten", b"sitting", 3), Some(3));
        assert_eq!(osa_within(b"kitten", b"sitting", 2), None);
    }
}
