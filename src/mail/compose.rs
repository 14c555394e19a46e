//! From an [`Invitation`] to one recipient's [`Envelope`]: subject, readable bodies, ICS.

use super::{Envelope, MailError};
use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use scheduler_core::invite::{
    Invitation, Method, Person, build_ics, normalize_line, normalize_text, sanitize_token,
};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// Subjects longer than this are cut (at a character boundary): some servers reject very long
/// header lines and nobody reads past it.
const MAX_SUBJECT_CHARS: usize = 160;

/// A Message-ID that is the same every time this version of this invitation goes to this
/// recipient, so a re-send after a crash is recognisably the same message, and different for
/// each recipient and each SEQUENCE.
pub fn deterministic_message_id(
    uid: &str,
    sequence: u32,
    recipient_email: &str,
    domain: &str,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(uid.as_bytes());
    hasher.update([0]);
    hasher.update(sequence.to_be_bytes());
    hasher.update([0]);
    hasher.update(recipient_email.trim().to_lowercase().as_bytes());
    let digest = hex::encode(hasher.finalize());
    format!(
        "<invite.{}.{}@{}>",
        &digest[..32],
        sequence,
        message_id_domain(domain)
    )
}

/// The right-hand side of a Message-ID: a dot-atom, or `localhost` when nothing usable is left.
fn message_id_domain(domain: &str) -> String {
    let cleaned: String = domain
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .collect();
    let trimmed = cleaned.trim_matches('.');
    if trimmed.is_empty() {
        "localhost".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Builds the e-mail that carries `inv` to `recipient`, with times shown in `recipient_zone`
/// (or the meeting's own zone when the recipient's is unknown).
pub fn compose_invitation(
    inv: &Invitation,
    recipient: &Person,
    recipient_zone: Option<Tz>,
    from: &Person,
    message_id_domain: &str,
) -> Result<Envelope, MailError> {
    check_address("recipient", &recipient.email)?;
    check_address("sender", &from.email)?;
    let zone = recipient_zone.unwrap_or_else(|| inv.start.timezone());
    let details = Details::new(inv, zone);
    Ok(Envelope {
        message_id: deterministic_message_id(
            &inv.uid,
            inv.sequence,
            &recipient.email,
            message_id_domain,
        ),
        from: clean_person(from),
        to: clean_person(recipient),
        reply_to: check_address("organizer", &inv.organizer.email)
            .ok()
            .map(|()| clean_person(&inv.organizer)),
        subject: subject(inv, &details),
        text: text_body(inv, &details),
        html: html_body(inv, &details),
        ics: build_ics(inv),
        method: inv.method,
    })
}

fn check_address(role: &str, email: &str) -> Result<(), MailError> {
    email
        .trim()
        .parse::<lettre::Address>()
        .map(|_| ())
        .map_err(|_| {
            MailError::Invalid(format!("the {role} address is not a valid e-mail address"))
        })
}

/// Display names only ever hold one clean line; an empty one is dropped.
fn clean_person(person: &Person) -> Person {
    Person {
        name: person
            .name
            .as_deref()
            .map(normalize_line)
            .filter(|n| !n.is_empty()),
        email: person.email.trim().to_owned(),
    }
}

/// What both bodies and the subject say, worked out once.
struct Details {
    title: String,
    when: String,
    /// For a move: where it was before ("Moved from"), or, when that is not known, for one
    /// occurrence: where the series had put it ("Instead of").
    was: Option<(&'static str, String)>,
    repeats: Option<String>,
    headline: &'static str,
}

impl Details {
    fn new(inv: &Invitation, zone: Tz) -> Self {
        let title = match normalize_line(&inv.title) {
            t if t.is_empty() => "(no title)".to_owned(),
            t => t,
        };
        // One occurrence's message (RECURRENCE-ID) carries that occurrence's own slot.
        let when = describe_span(&inv.start, &inv.end, zone);
        let repeats = match (&inv.recurrence_id, &inv.rrule) {
            (None, Some(rule)) => Some(describe_rule(rule, zone)),
            _ => None,
        };
        let was = match (inv.method, &inv.moved_from, &inv.recurrence_id) {
            (Method::Request, Some((start, end)), _) => {
                Some(("Moved from", describe_span(start, end, zone)))
            }
            (Method::Request, None, Some(original)) if *original != inv.start => Some((
                "Instead of",
                original
                    .with_timezone(&zone)
                    .format("%a %-d %b %Y %H:%M")
                    .to_string(),
            )),
            _ => None,
        };
        let moved = inv.moved_from.is_some();
        let headline = match (inv.method, inv.recurrence_id.is_some(), inv.sequence) {
            (Method::Cancel, true, _) => "One occurrence of this meeting has been cancelled.",
            (Method::Cancel, false, _) => "This meeting has been cancelled.",
            (Method::Request, true, _) => "One occurrence of this meeting has been moved.",
            (Method::Request, false, 0) => "You are invited to a Webex meeting.",
            (Method::Request, false, _) if moved => "This meeting has been moved.",
            (Method::Request, false, _) => "This meeting has been updated.",
        };
        Self {
            title,
            when,
            was,
            repeats,
            headline,
        }
    }
}

fn subject(inv: &Invitation, details: &Details) -> String {
    let prefix = match (inv.method, inv.sequence) {
        (Method::Cancel, _) => "Cancelled",
        (Method::Request, 0) => "Invitation",
        (Method::Request, _) => "Updated invitation",
    };
    let full = normalize_line(&format!("{prefix}: {} @ {}", details.title, details.when));
    full.chars().take(MAX_SUBJECT_CHARS).collect()
}

/// "Tue 3 Mar 2026 09:30–10:30 (Europe/Berlin)"; the end gets its own date when it differs.
fn describe_span(start: &DateTime<Tz>, end: &DateTime<Tz>, zone: Tz) -> String {
    let start = start.with_timezone(&zone);
    let end = end.with_timezone(&zone);
    let end_text = if start.date_naive() == end.date_naive() {
        end.format("%H:%M").to_string()
    } else {
        end.format("%a %-d %b %Y %H:%M").to_string()
    };
    format!(
        "{}–{} ({})",
        start.format("%a %-d %b %Y %H:%M"),
        end_text,
        zone.name()
    )
}

/// A readable sentence for the RRULE shapes the bot emits; the raw rule otherwise.
fn describe_rule(rule: &str, zone: Tz) -> String {
    let mut freq = None;
    let mut interval = 1u32;
    let mut days = Vec::new();
    let mut limit = None;
    let mut set_position = None;
    let mut month_day = None;
    for part in rule.split(';') {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        match key.trim().to_ascii_uppercase().as_str() {
            "FREQ" => freq = Some(value.to_ascii_uppercase()),
            "INTERVAL" => interval = value.parse().unwrap_or(1),
            "BYDAY" => {
                for code in value.split(',') {
                    let (position, name) = day_name(code);
                    if !position.is_empty() {
                        set_position = Some(ordinal_word(&position));
                    }
                    days.push(name);
                }
            }
            "BYSETPOS" => set_position = Some(ordinal_word(value)),
            "BYMONTHDAY" => {
                month_day = Some(if value.trim() == "-1" {
                    "the last day".to_owned()
                } else {
                    format!("day {}", value.trim())
                })
            }
            "COUNT" => limit = Some(format!(", {value} times")),
            "UNTIL" => limit = until_text(value, zone).map(|d| format!(", until {d}")),
            _ => {}
        }
    }
    let unit = match freq.as_deref() {
        Some("DAILY") => "day",
        Some("WEEKLY") => "week",
        Some("MONTHLY") => "month",
        Some("YEARLY") => "year",
        _ => return format!("Repeats ({})", normalize_line(rule)),
    };
    let mut out = if interval == 1 {
        format!("Every {unit}")
    } else {
        format!("Every {interval} {unit}s")
    };
    match (set_position, days.is_empty(), month_day) {
        (Some(position), false, _) => {
            let _ = write!(out, " on the {position} {}", days.join(" or "));
        }
        (_, false, _) => {
            let _ = write!(out, " on {}", days.join(", "));
        }
        (_, true, Some(day)) => {
            let _ = write!(out, " on {day}");
        }
        _ => {}
    }
    out.push_str(&limit.unwrap_or_default());
    out
}

fn ordinal_word(value: &str) -> String {
    match value.trim() {
        "1" => "first".to_owned(),
        "2" => "second".to_owned(),
        "3" => "third".to_owned(),
        "4" => "fourth".to_owned(),
        "-1" => "last".to_owned(),
        other => format!("#{other}"),
    }
}

/// The position written before a day (`2` of `2TU`, empty without one) and the day's name.
fn day_name(code: &str) -> (String, String) {
    let code = code.trim().to_ascii_uppercase();
    let (ordinal, day) = code.split_at(code.len().saturating_sub(2));
    let name = match day {
        "MO" => "Monday",
        "TU" => "Tuesday",
        "WE" => "Wednesday",
        "TH" => "Thursday",
        "FR" => "Friday",
        "SA" => "Saturday",
        "SU" => "Sunday",
        other => other,
    };
    (ordinal.to_owned(), name.to_owned())
}

fn until_text(value: &str, zone: Tz) -> Option<String> {
    let utc = chrono::NaiveDateTime::parse_from_str(value.trim_end_matches('Z'), "%Y%m%dT%H%M%S")
        .ok()
        .map(|naive| naive.and_utc().with_timezone(&zone).date_naive())
        .or_else(|| NaiveDate::parse_from_str(value, "%Y%m%d").ok())?;
    Some(utc.format("%-d %b %Y").to_string())
}

/// The lines both bodies show, as (label, value) pairs; values are already normalised.
fn detail_rows(inv: &Invitation, details: &Details) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("Title", details.title.clone()),
        ("When", details.when.clone()),
    ];
    if let Some((label, was)) = &details.was {
        rows.push((label, was.clone()));
    }
    if let Some(repeats) = &details.repeats {
        rows.push(("Repeats", repeats.clone()));
    }
    let organizer = match inv.organizer.name.as_deref().map(normalize_line) {
        Some(name) if !name.is_empty() => {
            format!("{name} <{}>", sanitize_token(&inv.organizer.email))
        }
        _ => sanitize_token(&inv.organizer.email),
    };
    rows.push(("Organizer", organizer));
    if let Some(url) = join_url(inv) {
        rows.push(("Join", url));
    }
    if let Some(number) = inv
        .meeting_number
        .as_deref()
        .map(normalize_line)
        .filter(|n| !n.is_empty())
    {
        rows.push(("Meeting number", number));
    }
    if let Some(dial_in) = inv
        .dial_in
        .as_deref()
        .map(normalize_text)
        .filter(|d| !d.trim().is_empty())
    {
        rows.push(("Dial-in", dial_in));
    }
    rows
}

fn join_url(inv: &Invitation) -> Option<String> {
    inv.join_url
        .as_deref()
        .map(sanitize_token)
        .filter(|u| !u.is_empty())
}

fn agenda(inv: &Invitation) -> Option<String> {
    inv.agenda
        .as_deref()
        .map(normalize_text)
        .filter(|a| !a.trim().is_empty())
}

fn text_body(inv: &Invitation, details: &Details) -> String {
    let mut out = format!("{}\n\n", details.headline);
    for (label, value) in detail_rows(inv, details) {
        let _ = writeln!(out, "{label}: {value}");
    }
    if let Some(agenda) = agenda(inv) {
        let _ = write!(out, "\nAgenda:\n{agenda}\n");
    }
    out
}

fn html_body(inv: &Invitation, details: &Details) -> String {
    let mut out =
        String::from("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n");
    let _ = writeln!(out, "<p>{}</p>", escape_html(details.headline));
    out.push_str("<table>\n");
    for (label, value) in detail_rows(inv, details) {
        let cell = if label == "Join" && is_web_link(&value) {
            format!("<a href=\"{0}\">{0}</a>", escape_html(&value))
        } else {
            escape_html(&value).replace('\n', "<br>")
        };
        let _ = writeln!(
            out,
            "<tr><th align=\"left\">{label}</th><td>{cell}</td></tr>"
        );
    }
    out.push_str("</table>\n");
    if let Some(agenda) = agenda(inv) {
        let _ = writeln!(
            out,
            "<h3>Agenda</h3>\n<p>{}</p>",
            escape_html(&agenda).replace('\n', "<br>")
        );
    }
    out.push_str("</body></html>\n");
    out
}

/// Only http(s) links become clickable; a `javascript:` join URL stays inert text.
fn is_web_link(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_depend_on_version_and_recipient_only() {
        let a = deterministic_message_id("uid-1", 0, "Ann@Example.com", "bot.example.com");
        assert_eq!(
            a,
            deterministic_message_id("uid-1", 0, "ann@example.com ", "bot.example.com")
        );
        assert_ne!(
            a,
            deterministic_message_id("uid-1", 1, "ann@example.com", "bot.example.com")
        );
        assert_ne!(
            a,
            deterministic_message_id("uid-1", 0, "bob@example.com", "bot.example.com")
        );
        assert_ne!(
            a,
            deterministic_message_id("uid-2", 0, "ann@example.com", "bot.example.com")
        );
        assert!(
            a.starts_with("<invite.") && a.ends_with(".0@bot.example.com>"),
            "{a}"
        );
    }

    #[test]
    fn message_id_domain_cannot_break_the_header() {
        let id = deterministic_message_id("u", 0, "a@b.c", "evil.test>\r\nBcc: x@y.z");
        assert!(id.ends_with("@evil.testBccxy.z>"), "{id}");
        assert!(deterministic_message_id("u", 0, "a@b.c", "\r\n").ends_with("@localhost>"));
    }

    #[test]
    fn weekly_rules_read_as_sentences() {
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(
            describe_rule("FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4", berlin),
            "Every week on Tuesday, Thursday, 4 times"
        );
        assert_eq!(
            describe_rule(
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20261228T225959Z",
                berlin
            ),
            "Every 2 weeks on Monday, until 28 Dec 2026"
        );
        assert_eq!(
            describe_rule("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1", berlin),
            "Every month on the first Monday"
        );
        assert_eq!(
            describe_rule("FREQ=MONTHLY;BYDAY=2TU", berlin),
            "Every month on the second Tuesday"
        );
        assert_eq!(
            describe_rule("FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR;COUNT=3", berlin),
            "Every 2 months on the last Friday, 3 times"
        );
        assert_eq!(
            describe_rule("FREQ=MONTHLY;BYMONTHDAY=-1", berlin),
            "Every month on the last day"
        );
        assert_eq!(describe_rule("BOGUS", berlin), "Repeats (BOGUS)");
    }

    #[test]
    fn html_escapes_and_only_links_web_urls() {
        assert_eq!(
            escape_html("<b>\"x\" & 'y'"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
        assert!(is_web_link("HTTPS://x.webex.com/j"));
        assert!(!is_web_link("javascript:alert(1)"));
    }
}
