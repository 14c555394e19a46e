//! Words that say something about time but that the grammar did not read in this message.
//!
//! Left in the title, such a word would be a silent misreading: "sync 3pm pacific" booked at
//! 3pm in the person's own zone, "quarterly review tomorrow" booked once. So a title word found
//! here refuses the message, naming the word (docs/command-language.md, "No silent
//! misreading"); quoting the title keeps it. Words the grammar reads (parts of the day, zones
//! after a time, repeats) never reach this table unless the rest of the message left them
//! unread.

use super::lexicon::WordIndex;
use std::sync::LazyLock;

/// What kind of time word a word is, completing "it looks like …".
const TIME_WORDS: &[(&[&str], &str)] = &[
    (
        &[
            "pacific", "eastern", "central", "mountain", "atlantic", "alaska", "hawaii", "pt",
            "et", "ct", "mt", "pst", "pdt", "est", "edt", "cst", "cdt", "mst", "mdt", "gmt", "utc",
            "bst", "ist", "aest", "aedt", "acst", "acdt", "awst", "nzst", "nzdt", "cet", "cest",
            "jst", "hkt", "sgt", "kst", "wet", "west", "eet", "eest", "hst", "akst", "akdt",
        ],
        "a time zone",
    ),
    (
        &[
            "later",
            "earlier",
            "ago",
            "hence",
            "fortnight",
            "fortnights",
            "oclock",
            "o'clock",
            "am",
            "pm",
            "a.m.",
            "p.m.",
            "noonish",
            "past",
        ],
        "a time",
    ),
    (
        &[
            "nightly",
            "hourly",
            "quarterly",
            "bimonthly",
            "semimonthly",
            "semiweekly",
            "biannually",
            "mornings",
            "afternoons",
            "evenings",
            "nights",
            "weeknights",
            "alternate",
        ],
        "a repeat",
    ),
    (
        &[
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
            "thirtieth",
            "twenty-first",
            "twenty-second",
            "twenty-third",
            "twenty-fourth",
            "twenty-fifth",
            "twenty-sixth",
            "twenty-seventh",
            "twenty-eighth",
            "twenty-ninth",
            "thirty-first",
        ],
        "a day of the month",
    ),
];

/// The kind of time word `word` is (ASCII case-insensitive, closing punctuation ignored).
pub(crate) fn kind(word: &str) -> Option<&'static str> {
    static INDEX: LazyLock<WordIndex<&'static str>> = LazyLock::new(|| {
        WordIndex::new(
            TIME_WORDS
                .iter()
                .flat_map(|(words, kind)| words.iter().map(move |w| (*w, *kind))),
        )
    });
    let word = word.trim_end_matches([',', ';', ':', '!', '?']);
    match INDEX.get(word) {
        Some(kind) => Some(kind),
        None if word.ends_with('.') => INDEX.get(word.trim_end_matches('.')),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_words_are_found_in_any_case_and_everyday_words_are_not() {
        assert_eq!(kind("Pacific"), Some("a time zone"));
        assert_eq!(kind("PT,"), Some("a time zone"));
        assert_eq!(kind("quarterly"), Some("a repeat"));
        assert_eq!(kind("p.m."), Some("a time"));
        assert_eq!(kind("review"), None);
        assert_eq!(kind("standup"), None);
    }
}
