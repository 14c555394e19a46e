//! Requests written as sentences (issue 13, family 9): "can you set up a call with ana
//! tomorrow at 3", "please book …", "let's meet …", "help me schedule …", "I need a meeting …".
//! The request words are no part of the title, and "help me <something to schedule>" is a
//! request, not the help command.

use super::lexicon::WordIndex;
use std::sync::LazyLock;

/// Openings that ask for something, skipped (in any number, in this order of trying).
const OPENINGS: &[&[&str]] = &[
    &["please"],
    &["pls"],
    &["plz"],
    &["kindly"],
    &["hey"],
    &["hi"],
    &["hello"],
    &["ok"],
    &["okay"],
    &["so"],
    &["just"],
    &["can", "you"],
    &["could", "you"],
    &["would", "you"],
    &["will", "you"],
    &["can", "u"],
    &["could", "u"],
    &["i'd", "like", "to"],
    &["id", "like", "to"],
    &["i", "would", "like", "to"],
    &["i", "want", "to"],
    &["we", "want", "to"],
    &["i", "need", "to"],
    &["we", "need", "to"],
    &["i", "wanna"],
    &["help", "me"],
    &["help", "us"],
    &["let's"],
    &["lets"],
    &["let", "us"],
    &["go", "ahead", "and"],
    &["i", "need"],
    &["we", "need"],
    &["i", "want"],
];

/// What a message's first word may start.
#[derive(Clone, Copy)]
enum First {
    Opening,
    /// A verb that asks for a meeting even first ("arrange a call …", "set up …").
    Verb,
    /// A verb that starts a request first only with a person after it ("schedule me …").
    VerbWithPerson,
}

/// Verbs that ask for a meeting; what follows them is the meeting.
const VERBS: &[&[&str]] = &[
    &["set", "up"],
    &["setup"],
    &["schedule"],
    &["book"],
    &["arrange"],
    &["organize"],
    &["organise"],
    &["create"],
    &["make"],
    &["plan"],
    &["put"],
    &["add"],
    &["meet"],
    &["have"],
    &["host"],
    &["get"],
];

/// "please", "thanks", "thx" at the end of a request: no part of the title.
pub(crate) fn is_closing_politeness(word: &str) -> bool {
    let word = word.trim_end_matches(['.', '!', ',']);
    ["please", "pls", "plz", "thanks", "thx", "ty"]
        .iter()
        .any(|p| p.eq_ignore_ascii_case(word))
}

/// A word lower-cased without closing punctuation, curly apostrophes made straight.
fn plain(word: &str) -> String {
    let word = word.trim_end_matches([',', '!', ':']);
    if word.contains('\u{2019}') {
        word.replace('\u{2019}', "'").to_ascii_lowercase()
    } else {
        word.to_ascii_lowercase()
    }
}

/// The words of `text` from `start`, with where each starts.
fn words(text: &str, start: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut at = start;
    for word in text[start..].split_whitespace() {
        let pos = at + text[at..].find(word).unwrap_or(0);
        at = pos + word.len();
        out.push((pos, plain(word)));
    }
    out
}

fn phrase_at(words: &[(usize, String)], i: usize, phrase: &[&str]) -> bool {
    words.len() >= i + phrase.len() && phrase.iter().enumerate().all(|(k, p)| words[i + k].1 == *p)
}

/// Where the command's own words start after request words, and whether the words asked for
/// a meeting (a verb like "set up", "book", "meet"). `None` when the message starts with no
/// request words, or has nothing after them.
pub(crate) fn strip(text: &str, start: usize) -> Option<(usize, bool)> {
    // Every message passes here: its first two words are looked up without allocating, in
    // tables built once, before anything else is done.
    static FIRSTS: LazyLock<WordIndex<First>> = LazyLock::new(|| {
        let alone = ["setup", "arrange", "organize", "organise", "set"];
        WordIndex::new(
            VERBS
                .iter()
                .map(|v| (v[0], First::VerbWithPerson))
                .filter(|(w, _)| !alone.contains(w))
                .chain(alone.iter().map(|w| (*w, First::Verb)))
                .chain(OPENINGS.iter().map(|o| (o[0], First::Opening))),
        )
    });
    let mut first_two = text[start..]
        .split_whitespace()
        .map(|w| w.trim_end_matches([',', '!', ':']));
    let first = first_two.next()?;
    let opens = match FIRSTS.get(first) {
        Some(First::Opening | First::Verb) => true,
        Some(First::VerbWithPerson) => first_two
            .next()
            .is_some_and(|second| ["me", "us"].iter().any(|p| p.eq_ignore_ascii_case(second))),
        None => first.eq_ignore_ascii_case("let\u{2019}s"),
    };
    if !opens {
        return None;
    }
    let words = words(text, start);
    let mut i = 0;
    while let Some(opening) = OPENINGS.iter().find(|o| phrase_at(&words, i, o)) {
        i += opening.len();
    }
    let opened = i > 0;
    let verb = VERBS.iter().find(|v| phrase_at(&words, i, v));
    if let Some(verb) = verb {
        // A one-word verb first ("book …", "plan review …") is the command word's or the
        // title's, unless a person follows it ("schedule me a 1-1") or it can be nothing else.
        let for_someone = words
            .get(i + verb.len())
            .is_some_and(|(_, w)| w == "me" || w == "us");
        let only_a_verb = ["arrange", "organize", "organise"].contains(&verb[0]);
        if !opened && verb.len() == 1 && !for_someone && !only_a_verb {
            return None;
        }
        i += verb.len();
        while i < words.len() && ["me", "us", "up"].contains(&words[i].1.as_str()) {
            i += 1;
        }
    } else if !opened {
        return None;
    }
    let (at, _) = words.get(i)?;
    Some((*at, verb.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rest(text: &str) -> Option<(&str, bool)> {
        strip(text, 0).map(|(at, asked)| (&text[at..], asked))
    }

    #[test]
    fn request_words_are_skipped() {
        assert_eq!(
            rest("can you set up a call with ana tomorrow at 3"),
            Some(("a call with ana tomorrow at 3", true))
        );
        assert_eq!(rest("please book sync 3pm"), Some(("sync 3pm", true)));
        assert_eq!(
            rest("let's meet tomorrow 3pm"),
            Some(("tomorrow 3pm", true))
        );
        assert_eq!(
            rest("help me schedule a sync at 3pm"),
            Some(("a sync at 3pm", true))
        );
        assert_eq!(
            rest("I need a meeting tomorrow 3pm"),
            Some(("a meeting tomorrow 3pm", false))
        );
        assert_eq!(rest("please cancel 2"), Some(("cancel 2", false)));
        assert_eq!(rest("help me"), None);
        assert_eq!(rest("book sync 3pm"), None);
        assert_eq!(
            rest("schedule me a 1-1 with ana 3pm"),
            Some(("a 1-1 with ana 3pm", true))
        );
        assert_eq!(rest("design review 3pm"), None);
    }
}
