//! Meetings as domain values: what a meeting request is, how its wall-clock times become
//! instants in its zone, how a recurrence becomes an RRULE, and Webex's limits.
//!
//! Nothing here knows about HTTP, JSON wire shapes or the chat grammar: the command parser
//! (`command/`) and the card form both build a [`MeetingRequest`] and check it with
//! [`validate`], so a typed command and a filled card are refused for the same reasons, in the
//! same words.

mod follow;
mod limits;
mod local;
mod occurrence;
mod recurrence;
mod reminder;

pub use follow::follow_new_start;
pub use limits::{
    Field, MAX_AGENDA_CHARS, MAX_DURATION_MINUTES, MAX_INTERVAL, MAX_INVITEES, MAX_TITLE_CHARS,
    MIN_DURATION_MINUTES, PASSWORD_CHARS, PASSWORD_RULE, ScheduleError, YEARS_AHEAD, check_agenda,
    check_invitees, check_password, check_recurrence, check_start, check_times, check_title,
    max_occurrences, pattern_words, series_horizon, validate,
};
pub use local::{floor_to_minute, localize};
pub use occurrence::{OccurrenceWindow, OutsideWindow};
pub use recurrence::{
    Frequency, Nth, Pattern, Recurrence, RecurrenceEnd, WEEK, WeekdaySet, rrule_day,
    until_end_of_day, weekday_from_rrule,
};
pub(crate) use recurrence::{last_day_of_month, ordinal};
pub use reminder::{
    DEFAULT_LEAD_MINUTES, MAX_LEAD_MINUTES, PLAN_AHEAD_DAYS, ReminderLead, ReminderTiming,
    occurrence_start, occurrence_starts, reminder_timing, rrule_starts_between, time_until,
};

use chrono::DateTime;
use chrono_tz::Tz;

/// The title a meeting gets when nobody typed one.
pub const DEFAULT_TITLE: &str = "Webex meeting";

/// A meeting to create, fully resolved: concrete instants in the meeting's own zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRequest {
    pub title: String,
    /// The first occurrence, in `timezone`.
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
    /// The zone the meeting is scheduled in (Webex's `timezone`, an IANA name).
    pub timezone: Tz,
    pub recurrence: Option<Recurrence>,
    /// In the order typed; unique by person; co-hosts are invitees too.
    pub invitees: Vec<Invitee>,
    pub password: Option<String>,
    pub agenda: Option<String>,
    /// `remind 15m before` / `no reminder`; `None` means the person's setting.
    pub reminder: Option<ReminderLead>,
}

/// Someone invited to a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub who: Who,
    pub cohost: bool,
}

/// How an invitee was named. Mentions, `everyone` and bare names are turned into e-mail
/// addresses by the bot, which knows the space's members.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Who {
    Email(String),
    Mention {
        person_id: String,
    },
    /// Every member of the space except bots and the host.
    Everyone,
    /// A bare name after `with` or `invite` ("lunch with bob"): only the space's members can
    /// say who that is, so the bot resolves it, or says plainly that the person is not invited.
    Name(String),
}

impl Who {
    /// Whether two references name the same person (e-mail addresses compare case-insensitively).
    pub fn same_as(&self, other: &Who) -> bool {
        match (self, other) {
            (Who::Email(a), Who::Email(b)) => a.eq_ignore_ascii_case(b),
            (Who::Mention { person_id: a }, Who::Mention { person_id: b }) => a == b,
            (Who::Everyone, Who::Everyone) => true,
            (Who::Name(a), Who::Name(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        }
    }
}

/// Adds an invitee, keeping invitees unique: naming someone twice keeps the first place and
/// makes them a co-host if either mention said so.
pub fn add_invitee(invitees: &mut Vec<Invitee>, who: Who, cohost: bool) {
    match invitees.iter_mut().find(|i| i.who.same_as(&who)) {
        Some(existing) => existing.cohost |= cohost,
        None => invitees.push(Invitee { who, cohost }),
    }
}

/// The final invitee list once every reference is an e-mail address: unique by address
/// (case-insensitively, first spelling kept, co-host if any reference said so), without the host.
pub fn unique_invitees(
    resolved: impl IntoIterator<Item = (String, bool)>,
    host_email: &str,
) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for (email, cohost) in resolved {
        if email.eq_ignore_ascii_case(host_email) {
            continue;
        }
        match out.iter_mut().find(|(e, _)| e.eq_ignore_ascii_case(&email)) {
            Some((_, c)) => *c |= cohost,
            None => out.push((email, cohost)),
        }
    }
    out
}

/// The first `n` starts of a meeting: its start alone, or its series expanded by the `rrule`
/// crate from the RRULE that Webex will receive.
pub fn next_occurrences(req: &MeetingRequest, n: usize) -> Vec<DateTime<Tz>> {
    let Some(recurrence) = &req.recurrence else {
        return std::iter::once(req.start).take(n).collect();
    };
    expand_rrule(&recurrence.to_rrule(), req.start, n).unwrap_or_else(|| vec![req.start])
}

/// Expands an RRULE (without the `RRULE:` prefix) from `start` with the `rrule` crate.
pub fn expand_rrule(rule: &str, start: DateTime<Tz>, n: usize) -> Option<Vec<DateTime<Tz>>> {
    let zone = start.timezone();
    let parsed: rrule::RRule<rrule::Unvalidated> = rule.parse().ok()?;
    let set = parsed
        .build(start.with_timezone(&rrule::Tz::Tz(zone)))
        .ok()?;
    let limit = u16::try_from(n).unwrap_or(u16::MAX);
    Some(
        set.all(limit)
            .dates
            .into_iter()
            .map(|d| d.with_timezone(&zone))
            .collect(),
    )
}
