//! The card that shows a meeting before it is created: the preview. The confirmation is a
//! chat message (`bot::creation`). Everything a person typed is escaped; the password is never
//! shown.

use super::InviteeView;
use super::markdown::escape;
use super::template::{self, Bindings};
use chrono::DateTime;
use chrono_tz::Tz;
use scheduler_core::schedule::{self, MeetingRequest};
use serde_json::{Value, json};

/// At most this many invitees are listed by name; the rest are counted, which keeps a card
/// for a large meeting far below any size limit.
const LISTED_INVITEES: usize = 20;

/// Occurrences of a series shown on the preview.
const NEXT_OCCURRENCES: usize = 3;

/// The card that asks "Schedule this meeting?", with Schedule, Edit and Cancel buttons
/// carrying `card_id`. `not_invited` are plain sentences about people named who will not be
/// invited ("bob is not invited: …"), shown under the facts.
pub fn preview(
    req: &MeetingRequest,
    invitees: &[InviteeView],
    not_invited: &[String],
    person_zone: Tz,
    card_id: &str,
) -> Value {
    let mut facts = when_facts(req, person_zone);
    facts.push(fact(
        "Duration",
        &duration_words((req.end - req.start).num_minutes()),
    ));
    if let Some(recurrence) = &req.recurrence {
        facts.push(fact("Repeats", &escape(&recurrence.describe())));
        let next: Vec<String> = schedule::next_occurrences(req, NEXT_OCCURRENCES)
            .iter()
            .map(short_when)
            .collect();
        facts.push(fact("Next", &next.join("; ")));
    }
    facts.extend(people_facts(invitees));
    let password = if req.password.is_some() {
        "Set"
    } else {
        "None (Webex makes one)"
    };
    facts.push(fact("Password", password));
    let mut b = Bindings::new();
    b.insert("title".into(), json!(escape(&req.title)));
    b.insert("facts".into(), Value::Array(facts));
    let notes: Vec<String> = not_invited.iter().map(|n| escape(n)).collect();
    b.insert("not_invited".into(), json!(notes.join("\n\n")));
    b.insert("card_id".into(), json!(card_id));
    super::render(template::PREVIEW, &b)
}

fn fact(title: &str, value: &str) -> Value {
    json!({"title": title, "value": value})
}

/// "When" in the meeting's zone and, when the person lives in another zone, "Your time".
fn when_facts(req: &MeetingRequest, person_zone: Tz) -> Vec<Value> {
    let mut facts = vec![fact("When", &span(&req.start, &req.end))];
    if person_zone != req.timezone {
        let start = req.start.with_timezone(&person_zone);
        let end = req.end.with_timezone(&person_zone);
        facts.push(fact("Your time", &span(&start, &end)));
    }
    facts
}

/// "Tuesday 2 March 2027, 15:00–16:00 (Europe/Berlin)"; an end on another day names its day.
fn span(start: &DateTime<Tz>, end: &DateTime<Tz>) -> String {
    let day = start.format("%A %-d %B %Y, %H:%M");
    let end_text = if end.date_naive() == start.date_naive() {
        end.format("%H:%M").to_string()
    } else {
        end.format("%A %-d %B, %H:%M").to_string()
    };
    format!("{day}–{end_text} ({})", start.timezone().name())
}

/// "Tue 9 Mar 2027 15:00".
fn short_when(at: &DateTime<Tz>) -> String {
    at.format("%a %-d %b %Y %H:%M").to_string()
}

/// "45 minutes", "1 hour", "1 hour 30 minutes".
pub(crate) fn duration_words(minutes: i64) -> String {
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    match (minutes / 60, minutes % 60) {
        (0, m) => plural(m, "minute"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
    }
}

/// "Invitees" and "Co-hosts", each at most [`LISTED_INVITEES`] names long. The Invitees line
/// is always there, so that a meeting with nobody invited says so.
fn people_facts(invitees: &[InviteeView]) -> Vec<Value> {
    let mut facts = Vec::new();
    for (title, cohost) in [("Invitees", false), ("Co-hosts", true)] {
        let people: Vec<&InviteeView> = invitees.iter().filter(|i| i.cohost == cohost).collect();
        if people.is_empty() {
            if !cohost {
                let only_cohosts = invitees.iter().any(|i| i.cohost);
                let none = if only_cohosts {
                    "only the co-hosts"
                } else {
                    "nobody else"
                };
                facts.push(fact(title, none));
            }
            continue;
        }
        let mut names: Vec<String> = people
            .iter()
            .take(LISTED_INVITEES)
            .map(|i| escape(&person(i)))
            .collect();
        if people.len() > LISTED_INVITEES {
            names.push(format!("and {} more", people.len() - LISTED_INVITEES));
        }
        facts.push(fact(title, &names.join(", ")));
    }
    facts
}

fn person(invitee: &InviteeView) -> String {
    match invitee.name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => format!("{name} ({})", invitee.email),
        _ => invitee.email.clone(),
    }
}
