//! A meeting as the bot will create it: the parsed request with every invitee resolved to an
//! address, stored with the request so that Schedule, a retry after a crash, or a restart all
//! create exactly what the preview showed.

use chrono::{DateTime, FixedOffset, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::reply::escape_markdown;
use crate::auth::Sealed;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PlannedInvitee {
    pub email: String,
    pub name: Option<String>,
    pub cohost: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SealedValue {
    pub key_id: String,
    pub data: String,
}

impl From<Sealed> for SealedValue {
    fn from(s: Sealed) -> Self {
        Self {
            key_id: s.key_id,
            data: s.data,
        }
    }
}

impl From<&SealedValue> for Sealed {
    fn from(s: &SealedValue) -> Self {
        Sealed {
            key_id: s.key_id.clone(),
            data: s.data.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub title: String,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub timezone: String,
    pub rrule: Option<String>,
    pub recurrence_words: Option<String>,
    /// The first starts of the series (at most three), for showing.
    pub next_starts: Vec<DateTime<FixedOffset>>,
    pub invitees: Vec<PlannedInvitee>,
    /// The meeting password, sealed like a token: the database never holds it in clear.
    pub password: Option<SealedValue>,
    pub agenda: Option<String>,
    pub host_email: String,
    /// The asker's own zone, for showing times to them.
    pub person_zone: String,
    /// The request as the form would show it, for Edit.
    #[serde(default)]
    pub form: Option<crate::cards::FormValues>,
    /// A plain sentence for each name after `with` that is nobody in the space (or several
    /// people): shown on the preview and in the confirmation (`bot::names`).
    #[serde(default)]
    pub not_invited: Vec<String>,
    /// `remind 15m before` (minutes) or `no reminder` (0) typed with the request; `None`
    /// means the person's setting.
    #[serde(default)]
    pub reminder_minutes: Option<i64>,
}

impl Plan {
    pub fn zone(&self) -> Tz {
        self.timezone.parse().unwrap_or(Tz::UTC)
    }

    fn person_tz(&self) -> Tz {
        self.person_zone.parse().unwrap_or(self.zone())
    }

    /// "Tue 2 Mar 2027, 15:00–16:00 (Europe/Berlin)", plus the asker's own time when it differs.
    pub fn when(&self) -> String {
        when(&self.start, &self.end, self.zone(), self.person_tz())
    }

    pub(crate) fn duration_words(&self) -> String {
        duration_words(self.end - self.start)
    }
}

/// Times in the meeting's zone, and in the person's zone when that is different.
pub fn when(
    start: &DateTime<FixedOffset>,
    end: &DateTime<FixedOffset>,
    zone: Tz,
    person_zone: Tz,
) -> String {
    let local = |tz: Tz| format!("{} ({})", span(start, end, tz), tz.name());
    let meeting = local(zone);
    let same_offsets = zone
        .from_utc_datetime(&start.naive_utc())
        .offset()
        .to_string()
        == person_zone
            .from_utc_datetime(&start.naive_utc())
            .offset()
            .to_string();
    if zone == person_zone || same_offsets {
        meeting
    } else {
        format!("{meeting}; for you {}", local(person_zone))
    }
}

/// "Tue 2 Mar 2027, 15:00–16:00" in `tz`; the end gets its own day when it differs.
pub(crate) fn span(start: &DateTime<FixedOffset>, end: &DateTime<FixedOffset>, tz: Tz) -> String {
    let s = tz.from_utc_datetime(&start.naive_utc());
    let e = tz.from_utc_datetime(&end.naive_utc());
    let end_text = if s.date_naive() == e.date_naive() {
        e.format("%H:%M").to_string()
    } else {
        e.format("%a %-d %b %H:%M").to_string()
    };
    format!("{}–{}", s.format("%a %-d %b %Y, %H:%M"), end_text)
}

pub(crate) fn duration_words(d: chrono::Duration) -> String {
    let minutes = d.num_minutes();
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The people line: names (or addresses), co-hosts marked, escaped for markdown; the first
/// few that fit in `limit` bytes, then how many others (`budget::people`).
pub(crate) fn people_words(invitees: &[PlannedInvitee], limit: usize) -> String {
    if invitees.is_empty() {
        return "nobody else".into();
    }
    let people: Vec<String> = invitees
        .iter()
        .map(|i| {
            let who = match &i.name {
                Some(name) => format!("{} <{}>", escape_markdown(name), escape_markdown(&i.email)),
                None => escape_markdown(&i.email),
            };
            if i.cohost {
                format!("{who} (co-host)")
            } else {
                who
            }
        })
        .collect();
    super::budget::people(&people, limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_shows_the_askers_time_only_when_it_differs() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let ny: Tz = "America/New_York".parse().unwrap();
        let start = berlin
            .with_ymd_and_hms(2027, 3, 2, 15, 0, 0)
            .unwrap()
            .fixed_offset();
        let end = berlin
            .with_ymd_and_hms(2027, 3, 2, 16, 0, 0)
            .unwrap()
            .fixed_offset();
        assert_eq!(
            when(&start, &end, berlin, berlin),
            "Tue 2 Mar 2027, 15:00–16:00 (Europe/Berlin)"
        );
        assert_eq!(
            when(&start, &end, berlin, ny),
            "Tue 2 Mar 2027, 15:00–16:00 (Europe/Berlin); for you Tue 2 Mar 2027, 09:00–10:00 (America/New_York)"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_words(chrono::Duration::minutes(30)), "30 min");
        assert_eq!(duration_words(chrono::Duration::minutes(60)), "1 h");
        assert_eq!(duration_words(chrono::Duration::minutes(90)), "1 h 30 min");
    }

    #[test]
    fn people_are_escaped_and_cohosts_marked() {
        let people = vec![
            PlannedInvitee {
                email: "a@x.com".into(),
                name: Some("<@all>".into()),
                cohost: true,
            },
            PlannedInvitee {
                email: "b@x.com".into(),
                name: None,
                cohost: false,
            },
        ];
        let text = people_words(&people, super::super::budget::MESSAGE_LIMIT);
        assert!(!text.contains("<@"), "{text}");
        assert!(text.contains("(co-host)") && text.contains("b@x.com"));
    }
}
