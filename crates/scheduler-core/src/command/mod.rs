//! The command language: what people type to the bot, turned into a [`Command`] or a
//! [`Refusal`] that says what was wrong and where (docs/command-language.md).
//!
//! Pure: no I/O, no clock (the present comes in the [`Context`]), no Webex. The layers:
//!
//! * [`lexicon`] — every keyword, the command table, the words a typo may be corrected to;
//! * `grammar` — small nom parsers, one per thing a person writes (a date, a range, a repeat…);
//! * `scan` — clauses in any order, leftover words into the title;
//! * `resolve` — dates counted from today in the meeting's zone, wall times made instants,
//!   repeats made RRULEs, Webex's limits checked by [`crate::schedule::validate`];
//! * [`help()`] — generated from the command table, so help and grammar cannot drift.

mod date_order;
mod day_parts;
mod grammar;
mod help;
pub mod json;
mod lexicon;
mod names;
mod notes;
mod questions;
mod refusal;
mod render;
mod requests;
mod reschedule;
mod resolve;
mod scan;
mod spelling;
mod time_words;
mod zones;

#[cfg(test)]
mod tests;

pub use date_order::DateOrder;
pub use help::{TOPICS, Topic, help, help_examples};
pub use notes::reading_notes;
pub use refusal::Refusal;
pub use reschedule::{NewEnd, NewTime};
pub use zones::zone_named;

use crate::schedule::MeetingRequest;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use grammar::Problem;
use lexicon::Verb;
use scan::{Clauses, ScanError};

/// A person @mentioned in the message (other than the bot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub person_id: String,
    /// How the mention appears in the message text (the display name).
    pub text: String,
}

/// What the parser needs to know besides the text.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub now: DateTime<Utc>,
    /// The zone in force when the message names none: the person's saved zone, else their
    /// Webex profile's, else the server's default.
    pub zone: Tz,
    pub mentions: &'a [Mention],
    /// The length of a meeting whose end is not given.
    pub default_duration: Duration,
}

impl Context<'static> {
    /// A context with no mentions and 30-minute meetings.
    pub fn new(now: DateTime<Utc>, zone: Tz) -> Self {
        Context {
            now,
            zone,
            mentions: &[],
            default_duration: Duration::minutes(30),
        }
    }
}

/// A typed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Schedule(MeetingRequest),
    /// Post an empty "Create a meeting" card.
    Form,
    List(ListRange),
    Cancel(MeetingRef),
    /// Move a meeting: only what was written changes (see [`NewTime`]).
    Reschedule {
        reference: MeetingRef,
        to: NewTime,
    },
    /// Show (`None`) or set the person's default zone.
    Tz(Option<Tz>),
    Connect,
    Disconnect,
    Settings(Option<SettingChange>),
    /// Help, on a canonical command or topic name (see [`TOPICS`]).
    Help(Option<String>),
    /// No command word, and nothing that says when: the bot replies with a hint.
    NotACommand,
    /// A question about the calendar ("what's on tomorrow", "am I free friday"), which the bot
    /// cannot answer yet: it points to the `list` of that range (`None`: a day further ahead
    /// than `list` goes, or past).
    Question(Option<ListRange>),
    /// A request for something the bot does not do ("remind me", "book a room").
    Unsupported(Request),
    /// "thanks", "thank you", "ty", "cheers".
    Thanks,
}

/// What people ask for that the bot does not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// "remind me 10 minutes before", "set a reminder".
    Reminder,
    /// "find a time with ana", "when is everyone free".
    FindTime,
    /// "book a room".
    Room,
    /// "accept", "decline" an invitation.
    Respond,
    /// "join my next meeting", "start the call", "record the meeting".
    Join,
}

impl Request {
    /// Its name in the `parse` tool's JSON.
    pub fn name(self) -> &'static str {
        match self {
            Request::Reminder => "reminder",
            Request::FindTime => "find a time",
            Request::Room => "room",
            Request::Respond => "respond",
            Request::Join => "join",
        }
    }

    /// What the bot cannot do, completing "I can't …".
    pub fn what(self) -> &'static str {
        match self {
            Request::Reminder => "set reminders",
            Request::FindTime => "look for a time when people are free",
            Request::Room => "book rooms",
            Request::Respond => "accept or decline invitations",
            Request::Join => "join, start or record meetings",
        }
    }
}

impl Command {
    /// Whether the command acts on the person's own Webex account (their meetings, with their
    /// token), so that it can only run once they have linked it. The bot applies that gate
    /// from this one declaration.
    pub fn needs_linked_account(&self) -> bool {
        match self {
            Command::Schedule(_) | Command::List(_) | Command::Cancel(_) => true,
            Command::Reschedule { .. } => true,
            Command::Form
            | Command::Tz(_)
            | Command::Connect
            | Command::Disconnect
            | Command::Settings(_)
            | Command::Help(_)
            | Command::NotACommand
            | Command::Question(_)
            | Command::Unsupported(_)
            | Command::Thanks => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListRange {
    Today,
    Tomorrow,
    ThisWeek,
    NextWeek,
    Next7Days,
}

/// Which of the person's meetings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingRef {
    /// The number shown by the last `list` in that space (1-based).
    ListIndex(u32),
    /// A Webex meeting number, digits only.
    MeetingNumber(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingChange {
    /// Preview each meeting on a card before creating it.
    Confirm(bool),
    /// How long before each meeting the bot reminds the person, or not at all.
    Reminders(crate::schedule::ReminderLead),
}

impl Command {
    /// The command's name in the command table ("schedule", "list"…), or "none".
    pub fn name(&self) -> &'static str {
        match self {
            Command::Schedule(_) => "schedule",
            Command::Form => "form",
            Command::List(_) => "list",
            Command::Cancel(_) => "cancel",
            Command::Reschedule { .. } => "reschedule",
            Command::Tz(_) => "tz",
            Command::Connect => "connect",
            Command::Disconnect => "disconnect",
            Command::Settings(_) => "settings",
            Command::Help(_) => "help",
            Command::NotACommand => "none",
            Command::Question(_) => "question",
            Command::Unsupported(_) => "unsupported",
            Command::Thanks => "thanks",
        }
    }

    /// The command written back as text that parses to the same command (with the same
    /// `now`): absolute dates, 24-hour times, explicit zone, quoted title.
    pub fn to_text(&self) -> String {
        render::to_text(self)
    }
}

/// Parses one message (the bot's mention already removed).
pub fn parse(text: &str, ctx: &Context<'_>) -> Result<Command, Refusal> {
    let _reading = grammar::new_message();
    parse_inner(text, ctx).map_err(|(problem, offset)| problem.refusal(text, offset))
}

/// Closing punctuation and white space that end a message without meaning anything.
pub(super) fn is_idle(s: &str) -> bool {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '!' | '?' | ',' | ';'))
        .is_empty()
}

fn parse_inner(text: &str, ctx: &Context<'_>) -> Result<Command, ScanError> {
    let start = text.len() - text.trim_start().len();
    let body = &text[start..];
    if is_idle(body) && !body.starts_with('?') {
        return Ok(Command::NotACommand);
    }
    if let Some(command) = questions::recognise(text, start, ctx)? {
        return Ok(command);
    }
    if let Some((at, asked_to_schedule)) = requests::strip(text, start) {
        if asked_to_schedule {
            return schedule(text, at, ctx);
        }
        return parse_from(text, at, ctx);
    }
    parse_from(text, start, ctx)
}

/// Reads the message from `start`, where its command word (if any) is.
fn parse_from(text: &str, start: usize, ctx: &Context<'_>) -> Result<Command, ScanError> {
    let body = &text[start..];
    let Some((verb, after)) = command_word(body) else {
        return without_command_word(text, start, ctx);
    };
    let pos = text.len() - after.len();
    let args = &text[pos..];
    let idle = is_idle(args);
    match verb {
        Verb::Schedule if idle => Ok(Command::Form),
        Verb::Schedule => schedule(text, pos, ctx),
        Verb::Form | Verb::Connect | Verb::Disconnect if idle => Ok(match verb {
            Verb::Form => Command::Form,
            Verb::Connect => Command::Connect,
            _ => Command::Disconnect,
        }),
        Verb::Form => {
            // "new hire onboarding tomorrow 10am": the word starts a title, not a command.
            match without_command_word(text, start, ctx)? {
                Command::NotACommand => Err(extra_words(text, pos, verb)),
                command => Ok(command),
            }
        }
        Verb::Connect | Verb::Disconnect => Err(extra_words(text, pos, verb)),
        Verb::List => match list(text, pos) {
            Ok(range) => Ok(Command::List(range)),
            // "agenda review tomorrow 3pm": an everyday alias starting a title.
            Err(e) if !body[..3.min(body.len())].eq_ignore_ascii_case("lis") => {
                match without_command_word(text, start, ctx) {
                    Ok(Command::Schedule(req)) => Ok(Command::Schedule(req)),
                    _ => Err(e),
                }
            }
            Err(e) => Err(e),
        },
        Verb::Cancel => {
            let (reference, rest) = meeting_ref(text, pos, verb)?;
            if !is_idle(&text[rest..]) {
                return Err(extra_words(text, rest, verb));
            }
            Ok(Command::Cancel(reference))
        }
        Verb::Reschedule => reschedule::reschedule(text, pos, ctx),
        Verb::Tz if idle => Ok(Command::Tz(None)),
        Verb::Tz => {
            let (after_zone, zone) = match grammar::options::named_zone(args.trim_start()) {
                Ok(found) => found,
                Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
                    let at = text.len() - e.input.len();
                    return Err((e.problem.map_or(Problem::NeedWhen, |p| *p), Some(at)));
                }
                Err(nom::Err::Incomplete(_)) => return Err((Problem::NeedWhen, None)),
            };
            if !is_idle(after_zone) {
                return Err(extra_words(text, text.len() - after_zone.len(), verb));
            }
            Ok(Command::Tz(Some(zone)))
        }
        Verb::Settings if idle => Ok(Command::Settings(None)),
        Verb::Settings => settings(text, pos).map(|c| Command::Settings(Some(c))),
        Verb::Help if idle => Ok(Command::Help(None)),
        Verb::Help => Ok(Command::Help(
            help::topic_named(args.trim()).map(str::to_string),
        )),
    }
}

/// The command word at the start of `body` (and what follows it).
fn command_word(body: &str) -> Option<(Verb, &str)> {
    let len = body.find(char::is_whitespace).unwrap_or(body.len());
    let token = &body[..len];
    let rest = &body[len..];
    if token == "?" {
        return Some((Verb::Help, rest));
    }
    // "schedule:" and "book," read like the bare word; "agenda:" starts an agenda clause.
    let word = token.trim_end_matches([':', ',']);
    if word.len() != token.len() && word.eq_ignore_ascii_case("agenda") {
        return None;
    }
    if word.eq_ignore_ascii_case("new") {
        let next = rest.trim_start();
        let next_len = next.find(char::is_whitespace).unwrap_or(next.len());
        if next[..next_len]
            .trim_end_matches([':', ','])
            .eq_ignore_ascii_case("meeting")
        {
            return Some((Verb::Schedule, &next[next_len..]));
        }
        return Some((Verb::Form, rest));
    }
    let spec = lexicon::command_named(word)?;
    Some((spec.verb, rest))
}

/// A message with no command word: a meeting if something in it says when, else not a command.
fn without_command_word(text: &str, start: usize, ctx: &Context<'_>) -> Result<Command, ScanError> {
    let body = &text[start..];
    let first_len = body.find(char::is_whitespace).unwrap_or(body.len());
    let first = &body[..first_len];
    let clauses = scan::scan(text, start, ctx.mentions);
    // A misspelled command word: refused when the message is no meeting, and always for
    // "schedule" (whose misspelling would otherwise start the title).
    let says_when = clauses.as_ref().is_ok_and(Clauses::says_when);
    let typo = if says_when {
        spelling::misspelled_schedule(first)
    } else {
        spelling::misspelled_command(first)
    };
    if let Some(suggestion) = typo {
        return Err((
            Problem::Misspelled {
                word: first.into(),
                suggestion,
            },
            Some(start),
        ));
    }
    let clauses = clauses?;
    if !clauses.says_when() {
        return Ok(Command::NotACommand);
    }
    clauses.check_spelling()?;
    resolve::meeting(text, clauses, ctx).map(Command::Schedule)
}

fn schedule(text: &str, pos: usize, ctx: &Context<'_>) -> Result<Command, ScanError> {
    let clauses = scan::scan(text, pos, ctx.mentions)?;
    clauses.check_spelling()?;
    resolve::meeting(text, clauses, ctx).map(Command::Schedule)
}

fn extra_words(text: &str, pos: usize, verb: Verb) -> ScanError {
    let rest = &text[pos..];
    let at = pos + (rest.len() - rest.trim_start().len());
    (
        Problem::ExtraWords {
            verb: verb.name(),
            typed: text[at..].trim().into(),
        },
        Some(at),
    )
}

/// `list [my] [meetings] [today | tomorrow | this week | next week | next 7 days]`.
fn list(text: &str, pos: usize) -> Result<ListRange, ScanError> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut offset = pos;
    for w in text[pos..].split_whitespace() {
        let at = offset + text[offset..].find(w).unwrap_or(0);
        offset = at + w.len();
        let w = w.trim_end_matches(['.', '!', '?', ',']);
        if !w.is_empty() {
            words.push((at, w));
        }
    }
    let lower: Vec<String> = words.iter().map(|(_, w)| w.to_ascii_lowercase()).collect();
    let mut i = 0;
    while i < lower.len() && matches!(lower[i].as_str(), "my" | "meetings" | "for") {
        i += 1;
    }
    let rest: Vec<&str> = lower[i..].iter().map(String::as_str).collect();
    let range = match rest.as_slice() {
        [] => ListRange::Next7Days,
        ["today"] => ListRange::Today,
        ["tomorrow" | "tmrw"] => ListRange::Tomorrow,
        ["this", "week"] | ["week"] => ListRange::ThisWeek,
        ["next", "week"] => ListRange::NextWeek,
        ["next", "7" | "seven", "days"] | ["upcoming"] => ListRange::Next7Days,
        _ => {
            let (at, _) = words[i];
            return Err((
                Problem::UnknownListRange {
                    typed: text[at..].trim().into(),
                },
                Some(at),
            ));
        }
    };
    Ok(range)
}

/// A meeting reference after `cancel`/`reschedule`: `2`, `#2`, `2551 234 5678`, `255-123-4567`.
pub(super) fn meeting_ref(
    text: &str,
    pos: usize,
    verb: Verb,
) -> Result<(MeetingRef, usize), ScanError> {
    let rest = &text[pos..];
    let lead = rest.len() - rest.trim_start().len();
    let mut at = pos + lead;
    // Optional words: "meeting", "number", "no."; and '#'.
    loop {
        let r = &text[at..];
        let len = r.find(char::is_whitespace).unwrap_or(r.len());
        let w = &r[..len];
        if ["meeting", "number", "no.", "nr."]
            .iter()
            .any(|x| w.eq_ignore_ascii_case(x))
        {
            at += len;
            at += text[at..].len() - text[at..].trim_start().len();
        } else {
            break;
        }
    }
    let r = &text[at..];
    let r = r.strip_prefix('#').unwrap_or(r);
    let hash = text[at..].len() - r.len();
    let bytes = r.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_digit) {
        if is_idle(r) {
            return Err((Problem::MissingReference { verb: verb.name() }, None));
        }
        let typed = r.split_whitespace().next().unwrap_or(r);
        return Err((
            Problem::BadReference {
                typed: typed.into(),
            },
            Some(at),
        ));
    }
    // Digit groups joined by single spaces or dashes.
    let mut digits = String::new();
    let mut end = 0;
    let mut i = 0;
    let mut groups = 0;
    while i < bytes.len() {
        let g = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if g == 0 {
            break;
        }
        digits.push_str(&r[i..i + g]);
        groups += 1;
        i += g;
        end = i;
        let joins = matches!(bytes.get(i), Some(b' ' | b'-'))
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if joins && (digits.len() >= 3 || groups > 1) {
            i += 1;
        } else {
            break;
        }
    }
    let after = &r[end..];
    let typed = &r[..end];
    if boundary_ok(after) {
        let reference = match digits.len() {
            1..=3 => match digits.parse::<u32>() {
                Ok(n) if n >= 1 && groups == 1 => Some(MeetingRef::ListIndex(n)),
                _ => None,
            },
            9..=13 => Some(MeetingRef::MeetingNumber(digits)),
            _ => None,
        };
        if let Some(reference) = reference {
            return Ok((reference, at + hash + end));
        }
    }
    let typed = if boundary_ok(after) {
        typed
    } else {
        r.split_whitespace().next().unwrap_or(r)
    };
    Err((
        Problem::BadReference {
            typed: typed.into(),
        },
        Some(at),
    ))
}

fn boundary_ok(s: &str) -> bool {
    grammar::boundary(s).is_ok()
}

/// `settings confirm on|off`, `settings reminders 10m|off`.
fn settings(text: &str, pos: usize) -> Result<SettingChange, ScanError> {
    let rest = &text[pos..];
    let at = pos + (rest.len() - rest.trim_start().len());
    let words: Vec<String> = rest
        .split_whitespace()
        .map(|w| w.trim_end_matches(['.', '!']).to_ascii_lowercase())
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["confirm", "on" | "yes" | "true"] => Ok(SettingChange::Confirm(true)),
        ["confirm", "off" | "no" | "false"] => Ok(SettingChange::Confirm(false)),
        ["reminders" | "reminder", lead @ ..] if !lead.is_empty() => {
            crate::schedule::ReminderLead::parse(&lead.join(" "))
                .map(SettingChange::Reminders)
                .ok_or((
                    Problem::UnknownSetting {
                        typed: text[at..].trim().into(),
                    },
                    Some(at),
                ))
        }
        _ => Err((
            Problem::UnknownSetting {
                typed: text[at..].trim().into(),
            },
            Some(at),
        )),
    }
}
