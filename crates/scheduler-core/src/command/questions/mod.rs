//! Messages that are no command but deserve a straight answer: a question about the calendar
//! ("what's on tomorrow", "am I free friday"), a request for something the bot does not do
//! ("remind me 10 minutes before", "book a room"), and thanks.
//!
//! They are recognised before anything else, so that their words never become a meeting
//! ("am I free tomorrow 3pm" is no meeting called "Am I free") nor a refusal that answers a
//! question nobody asked ("When should it be?"). The recognition is by whole phrases at the
//! start of the message, after polite openings ("can you", "please"), and is narrow on
//! purpose: a message that is not clearly one of these goes on to the grammar as before.

mod phrases;

use super::grammar::when::DateSpec;
use super::lexicon::WordIndex;
use super::scan::{self, ScanError};
use super::{Command, Context, ListRange, Request, resolve};
use chrono::{Datelike, Duration, NaiveDate};
use phrases::{
    CALENDAR, FIND_A_TIME, OPENERS, POLITE, QUESTIONS, REMINDERS, ROOM_WORDS, THANKS, WITH_THANKS,
};
use std::sync::LazyLock;

/// A message the bot answers without a command, if `body` (starting at `start` in `text`)
/// is one.
pub(crate) fn recognise(
    text: &str,
    start: usize,
    ctx: &Context<'_>,
) -> Result<Option<Command>, ScanError> {
    let body = &text[start..];
    let first = body.split_whitespace().next().unwrap_or_default();
    if !is_opener(first) {
        return Ok(None);
    }
    let words: Vec<String> = body.split_whitespace().flat_map(words_of).collect();
    if is_thanks(&words) {
        return Ok(Some(Command::Thanks));
    }
    let asked = without_politeness(&words);
    if let Some(request) = request(asked) {
        return Ok(Some(Command::Unsupported(request)));
    }
    if is_question(asked) {
        return range(text, start, ctx).map(|r| Some(Command::Question(r)));
    }
    Ok(None)
}

/// Whether a message starting with `word` may be one of these. Every message passes here, so
/// the word is looked up without allocating, in a table built once.
fn is_opener(word: &str) -> bool {
    static INDEX: LazyLock<WordIndex<()>> =
        LazyLock::new(|| WordIndex::new(OPENERS.iter().map(|w| (*w, ()))));
    let mut letters = [0u8; 16];
    let mut len = 0;
    for b in word.bytes().filter(u8::is_ascii_alphanumeric) {
        if len == letters.len() {
            return false;
        }
        letters[len] = b;
        len += 1;
    }
    std::str::from_utf8(&letters[..len]).is_ok_and(|w| INDEX.get(w).is_some())
}

/// A word lower-cased, without punctuation or apostrophes ("What's?" → "whats").
fn plain(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words a typed word stands for: contractions spelt out ("what's" → "what is",
/// "I'd" → "i would"); nothing for a word of punctuation or emoji.
fn words_of(typed: &str) -> Vec<String> {
    let lower = typed.to_lowercase().replace('\u{2019}', "'");
    let trimmed = lower.trim_matches(|c: char| !c.is_alphanumeric());
    let spelt: &[&str] = match trimmed {
        "what's" | "whats" => &["what", "is"],
        "when's" | "whens" => &["when", "is"],
        "who's" | "whos" => &["who", "is"],
        "how's" => &["how", "is"],
        "i'm" | "im" => &["i", "am"],
        "i'd" | "id" => &["i", "would"],
        "that's" => &["thats"],
        "there's" => &["there", "is"],
        _ => &[],
    };
    if !spelt.is_empty() {
        return spelt.iter().map(|w| (*w).to_string()).collect();
    }
    let word = plain(trimmed);
    if word.is_empty() { vec![] } else { vec![word] }
}

fn starts_with(words: &[String], phrase: &[&str]) -> bool {
    words.len() >= phrase.len() && words.iter().zip(phrase).all(|(w, p)| w == p)
}

fn without_politeness(mut words: &[String]) -> &[String] {
    while let Some(polite) = POLITE.iter().find(|p| starts_with(words, p)) {
        words = &words[polite.len()..];
    }
    words
}

/// Only thanks, and the words that go with it; at most two others ("thanks Scheduler").
fn is_thanks(words: &[String]) -> bool {
    let thanked = words.iter().any(|w| THANKS.contains(&w.as_str()));
    let others = words
        .iter()
        .filter(|w| !THANKS.contains(&w.as_str()) && !WITH_THANKS.contains(&w.as_str()))
        .collect::<Vec<_>>();
    thanked
        && others.len() <= 2
        && others
            .iter()
            .all(|w| w.chars().all(char::is_alphabetic) && super::lexicon::Kw::lookup(w).is_none())
}

/// What the bot was asked to do and does not.
fn request(words: &[String]) -> Option<Request> {
    let first = words.first()?.as_str();
    let phrase = |p: &[&str]| starts_with(words, p);
    if matches!(first, "remind" | "reminder" | "reminders") || REMINDERS.iter().any(|p| phrase(p)) {
        return Some(Request::Reminder);
    }
    if is_room(words) {
        return Some(Request::Room);
    }
    let free_after = |at: usize| {
        words
            .iter()
            .skip(at)
            .take(3)
            .any(|w| matches!(w.as_str(), "free" | "available" | "busy"))
    };
    let others_free = (phrase(&["when", "is"]) || phrase(&["when", "are"]))
        && words.get(2).is_some_and(|w| w != "my")
        && free_after(2);
    let someone_free = first == "is" && words.get(1).is_some_and(|w| w != "there") && free_after(1);
    if FIND_A_TIME.iter().any(|p| phrase(p)) || others_free || someone_free {
        return Some(Request::FindTime);
    }
    if matches!(first, "accept" | "decline" | "reject" | "rsvp") {
        return Some(Request::Respond);
    }
    let about_a_meeting = words
        .iter()
        .skip(1)
        .take(3)
        .any(|w| matches!(w.as_str(), "meeting" | "call"));
    if matches!(first, "join" | "start" | "record") && about_a_meeting {
        return Some(Request::Join);
    }
    None
}

/// "book a room", "reserve the big conference room", "find a meeting room".
fn is_room(words: &[String]) -> bool {
    if !matches!(
        words.first().map(String::as_str),
        Some("book" | "reserve" | "find" | "get")
    ) {
        return false;
    }
    words[1..]
        .iter()
        .take(4)
        .take_while(|w| !matches!(w.as_str(), "room" | "rooms"))
        .all(|w| ROOM_WORDS.contains(&w.as_str()))
        && words[1..]
            .iter()
            .take(5)
            .any(|w| matches!(w.as_str(), "room" | "rooms"))
}

fn is_question(words: &[String]) -> bool {
    QUESTIONS.iter().any(|(phrase, enough)| {
        starts_with(words, phrase)
            && (*enough
                || words[phrase.len()..]
                    .iter()
                    .any(|w| CALENDAR.contains(&w.as_str())))
    })
}

/// The `list` that shows what a question asks about: the day or week it names, else the next
/// seven days; `None` when that is further than `list` goes, or in the past.
fn range(text: &str, start: usize, ctx: &Context<'_>) -> Result<Option<ListRange>, ScanError> {
    let clauses = scan::scan(text, start, &[])?;
    let zone = clauses.zone.map_or(ctx.zone, |(z, _)| z);
    let today = ctx.now.with_timezone(&zone).date_naive();
    let words: Vec<String> = text[start..]
        .split_whitespace()
        .flat_map(words_of)
        .collect();
    let said = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    if let Some((clause, span)) = clauses.date {
        if clause.spec == DateSpec::NextWeek(None) {
            return Ok(Some(ListRange::NextWeek));
        }
        let day = resolve::date(text, clause, span, today, ctx.zone)?;
        return Ok(day_range(day, today));
    }
    let range = if said(&["next", "week"]) || said(&["next", "weekend"]) {
        ListRange::NextWeek
    } else if said(&["week"]) || said(&["weekend"]) {
        ListRange::ThisWeek
    } else if clauses.start.is_some()
        || ["morning", "afternoon", "evening", "tonight", "today"]
            .iter()
            .any(|w| said(&[w]))
    {
        ListRange::Today
    } else {
        ListRange::Next7Days
    };
    Ok(Some(range))
}

/// The list range that holds `day`, if any.
fn day_range(day: NaiveDate, today: NaiveDate) -> Option<ListRange> {
    let monday = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
    if day < today {
        None
    } else if day == today {
        Some(ListRange::Today)
    } else if day == today + Duration::days(1) {
        Some(ListRange::Tomorrow)
    } else if monday(day) == monday(today) {
        Some(ListRange::ThisWeek)
    } else if monday(day) == monday(today) + Duration::days(7) {
        Some(ListRange::NextWeek)
    } else {
        None
    }
}
