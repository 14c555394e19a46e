//! Bare names after `with` or `invite` ("lunch with bob friday noon").
//!
//! The grammar cannot know who "bob" is: only the members of the space the message was written
//! in can say. So the names are not dropped, and not guessed at: they become
//! [`Who::Name`] invitees, which the bot resolves against the space's members or reports as not
//! invited. They are found after the clauses are read, among the title words:
//!
//! * after a `with`/`invite` that read no address or mention (`lunch with bob`);
//! * continuing a list of addresses or mentions behind a comma or `and`
//!   (`with ana@acme.com and bob`).
//!
//! After `with`, the words stay in the title as typed ("Lunch with bob"): a title is what people
//! see in their calendars, and it should still say who the meeting was meant for when a name is
//! not invited. Names that continue a list of addresses leave the title with that list, as the
//! addresses do; so does an `and` that joins names to a following list of addresses, which
//! would otherwise end the title mid-sentence ("Lunch with bob and").
//!
//! A name is one word, or up to three capitalised words in a row ("Bob Smith"); names are
//! separated by commas, `and` or `&`. A word that starts a description ("with the team", "with
//! my manager"), a keyword, or anything with digits or `@` is not a name.

use super::lexicon::Kw;
use super::scan::{Clauses, Span, TitleWord};
use crate::schedule::{Who, add_invitee};

/// At most this many capitalised words make one name ("Mary Ann Lee").
const NAME_WORDS: usize = 3;

/// Words that begin a description rather than a name.
const NOT_NAMES: &[&str] = &[
    "a", "an", "the", "my", "our", "your", "their", "his", "her", "its", "this", "that", "these",
    "those", "some", "all", "any", "no", "me", "us", "you", "him", "them", "it", "someone",
    "somebody", "anyone", "anybody", "people", "others", "friends", "folks",
];

/// Punctuation that may end a word without being part of it.
const TRAILING: [char; 6] = [',', '.', ';', ':', '!', '?'];

/// Finds the bare names among the title words and adds them to the invitees, last.
pub(crate) fn collect(text: &str, clauses: &mut Clauses<'_>) {
    let words = &clauses.title_words;
    let mut names: Vec<String> = Vec::new();
    let mut out_of_title: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        let found = if opens_names(word.text) {
            read_names(text, words, i + 1, word.span.end, false, clauses)
        } else if let Some(end) = list_continued_by(text, word, clauses) {
            // A list goes on to its end: "with ana@acme.com, design review" goes on in prose.
            let found = Some(read_names(text, words, i, end, true, clauses))
                .filter(|f| !goes_on(text, words, f.next))
                .unwrap_or_default();
            // The names leave the title with the addresses whose list they continue.
            out_of_title.extend(i..found.next);
            found
        } else {
            Found::default()
        };
        i = found.next.max(i + 1);
        names.extend(found.names);
        // "lunch with dave and ana@acme.com": the `and` joined dave to the address, and a title
        // "Lunch with dave and" would end mid-sentence.
        out_of_title.extend(found.dangling);
    }
    if !out_of_title.is_empty() {
        let mut index = 0;
        clauses.title_words.retain(|_| {
            index += 1;
            !out_of_title.contains(&(index - 1))
        });
    }
    for name in names {
        add_invitee(&mut clauses.invitees, Who::Name(name), false);
    }
}

/// `with`, `invite` (a colon may follow) left in the title: the clause read nobody.
fn opens_names(word: &str) -> bool {
    let word = word.strip_suffix(':').unwrap_or(word);
    matches!(Kw::lookup(word), Some(Kw::With | Kw::Invite))
}

/// Where the invitee list (not a co-host list) ends that `word` continues, behind a comma or
/// as `and`: "with ana@acme.com and bob".
fn list_continued_by(text: &str, word: TitleWord<'_>, clauses: &Clauses<'_>) -> Option<usize> {
    clauses
        .people_lists
        .iter()
        .filter(|(_, cohost)| !cohost)
        .map(|(span, _): &(Span, bool)| span.end)
        .find(|end| *end <= word.span.at && separated(&text[*end..word.span.at]))
        .filter(|end| text[*end..word.span.at].contains(',') || is_and(word.text))
}

/// What [`read_names`] read.
#[derive(Default)]
struct Found {
    names: Vec<String>,
    /// The title word after the last one read.
    next: usize,
    /// An `and` after the last name that leads into a list of addresses or mentions.
    dangling: Option<usize>,
}

/// Reads `name (sep name)*` from title word `k` on, each word right after the one before.
/// With `need_sep`, a separator comes first (the names continue a list).
fn read_names(
    text: &str,
    words: &[TitleWord<'_>],
    mut k: usize,
    mut prev_end: usize,
    mut need_sep: bool,
    clauses: &Clauses<'_>,
) -> Found {
    let mut found = Found {
        names: Vec::new(),
        next: k,
        dangling: None,
    };
    let mut comma_before = false;
    while let Some(word) = words.get(k) {
        if !separated(&text[prev_end..word.span.at]) {
            break;
        }
        let mut name_at = k;
        if need_sep {
            if is_and(word.text) {
                name_at = k + 1;
                let next_is_near = words
                    .get(name_at)
                    .is_some_and(|n| separated(&text[word.span.end..n.span.at]));
                if !next_is_near {
                    if starts_a_list(text, word.span.end, clauses) {
                        found.dangling = Some(k);
                    }
                    break;
                }
            } else if !(comma_before || text[prev_end..word.span.at].contains(',')) {
                break;
            }
        }
        let Some((name, last, ends)) = read_name(text, words, name_at) else {
            break;
        };
        found.names.push(name);
        found.next = last + 1;
        prev_end = words[last].span.end;
        comma_before = words[last].text.ends_with(',');
        k = last + 1;
        need_sep = true;
        if ends {
            break;
        }
    }
    found
}

/// One name from word `k`: the name, its last word, and whether punctuation ended the list.
fn read_name(text: &str, words: &[TitleWord<'_>], k: usize) -> Option<(String, usize, bool)> {
    let first = words.get(k).filter(|w| is_name(w))?;
    let mut last = k;
    let capitalised = |w: &TitleWord<'_>| w.text.starts_with(char::is_uppercase);
    if capitalised(first) {
        while last + 1 < words.len() && last + 1 - k < NAME_WORDS {
            let (this, next) = (words[last], words[last + 1]);
            let joined = !this.text.ends_with(TRAILING)
                && text[this.span.end..next.span.at].trim().is_empty()
                && is_name(&next)
                && capitalised(&next);
            if !joined {
                break;
            }
            last += 1;
        }
    }
    let name = words[k..=last]
        .iter()
        .map(|w| w.text.trim_end_matches(TRAILING))
        .collect::<Vec<_>>()
        .join(" ");
    let ends = words[last].text.ends_with(['.', ';', ':', '!', '?']);
    Some((name, last, ends))
}

/// A word that may be (part of) a person's name: letters, with inner apostrophes or hyphens.
fn is_name(word: &TitleWord<'_>) -> bool {
    if word.weak.is_some() {
        return false;
    }
    let bare = word.text.trim_end_matches(TRAILING);
    let letters = bare.starts_with(char::is_alphabetic)
        && bare
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '\u{2019}' | '-'));
    letters && Kw::lookup(bare).is_none() && !NOT_NAMES.iter().any(|n| n.eq_ignore_ascii_case(bare))
}

/// Whether title word `next` follows the one before it in the same run of words (no comma,
/// no clause between): the words before it were not a list.
fn goes_on(text: &str, words: &[TitleWord<'_>], next: usize) -> bool {
    match (
        next.checked_sub(1).and_then(|i| words.get(i)),
        words.get(next),
    ) {
        (Some(last), Some(word)) => {
            !last.text.ends_with(TRAILING) && text[last.span.end..word.span.at].trim().is_empty()
        }
        _ => false,
    }
}

fn is_and(word: &str) -> bool {
    word == "&" || matches!(Kw::lookup(word), Some(Kw::And))
}

/// Only white space and commas between two words: nothing the scanner read as a clause.
fn separated(gap: &str) -> bool {
    gap.chars().all(|c| c.is_whitespace() || c == ',')
}

/// Whether a list of addresses or mentions starts right after byte `at`.
fn starts_a_list(text: &str, at: usize, clauses: &Clauses<'_>) -> bool {
    clauses
        .people_lists
        .iter()
        .any(|(span, _)| span.at >= at && text[at..span.at].trim().is_empty())
}
