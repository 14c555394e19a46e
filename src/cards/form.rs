//! The create/edit form: what the person typed ([`FormValues`]), the problems found in it
//! ([`FieldErrors`]), and the card that shows both ([`form`]).

use super::InviteeView;
use super::markdown::escape;
use super::template::{self, Bindings};
use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Tz;
use scheduler_core::schedule::{
    MeetingRequest, Pattern, Recurrence, RecurrenceEnd, WEEK, WeekdaySet, rrule_day,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Every field of the form, as the person typed it (or as a card prefilled it). Strings, so a
/// form with mistakes can be shown back exactly as it was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormValues {
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, 24-hour clock.
    pub start: String,
    /// `HH:MM`, or empty to use `duration`.
    pub end: String,
    /// Minutes.
    pub duration: String,
    /// An IANA zone name picked from the list.
    pub zone: String,
    /// A zone typed by hand (anything the `tz` command accepts); wins over `zone`.
    pub zone_typed: String,
    /// One of [`REPEAT_VALUES`].
    pub repeat: String,
    /// Comma-separated RRULE day names (`MO,WE`), for weekly series.
    pub days: String,
    /// `never`, `after` (see `count`) or `on` (see `until`).
    pub ends: String,
    pub count: String,
    /// `YYYY-MM-DD`, the last day a meeting may take place.
    pub until: String,
    /// E-mail addresses separated by commas, semicolons, spaces or lines.
    pub invitees: String,
    pub cohosts: String,
    pub password: String,
    pub agenda: String,
}

/// The form's input ids, in the order they appear. Submissions may hold these keys only
/// (besides `action` and `card_id`).
pub const FIELD_IDS: [&str; 16] = [
    "title",
    "date",
    "start",
    "end",
    "duration",
    "zone",
    "zone_typed",
    "repeat",
    "days",
    "ends",
    "count",
    "until",
    "invitees",
    "cohosts",
    "password",
    "agenda",
];

/// The `repeat` choices, in the order shown.
pub(crate) const REPEAT_VALUES: [(&str, &str); 7] = [
    ("none", "Doesn't repeat"),
    ("daily", "Every day"),
    ("weekdays", "Every weekday (Monday to Friday)"),
    ("weekly", "Every week"),
    ("biweekly", "Every 2 weeks"),
    ("monthly_date", "Every month on the same date"),
    (
        "monthly_nth",
        "Every month on the same weekday (like the 2nd Tuesday)",
    ),
];

/// The `ends` choices.
pub(crate) const END_VALUES: [(&str, &str); 3] = [
    ("never", "Never"),
    ("after", "After N meetings"),
    ("on", "On a date"),
];

/// Durations offered, in minutes; any other length can be had with an end time.
const DURATIONS: [u32; 8] = [15, 30, 45, 60, 90, 120, 180, 240];

/// Zones offered after the selected one; any other can be typed.
const COMMON_ZONES: [Tz; 16] = [
    Tz::UTC,
    Tz::Europe__London,
    Tz::Europe__Lisbon,
    Tz::Europe__Berlin,
    Tz::Europe__Paris,
    Tz::Europe__Athens,
    Tz::America__New_York,
    Tz::America__Chicago,
    Tz::America__Denver,
    Tz::America__Los_Angeles,
    Tz::America__Sao_Paulo,
    Tz::Asia__Kolkata,
    Tz::Asia__Singapore,
    Tz::Asia__Shanghai,
    Tz::Asia__Tokyo,
    Tz::Australia__Sydney,
];

/// The minutes a new form proposes.
const DEFAULT_MINUTES: i64 = 30;

impl FormValues {
    /// A new form: in `zone`, starting at the next half hour on the clocks there, for 30
    /// minutes, not repeating.
    pub fn empty(zone: Tz, now: DateTime<Utc>) -> Self {
        let start = next_half_hour(zone, now);
        FormValues {
            date: start.format("%Y-%m-%d").to_string(),
            start: start.format("%H:%M").to_string(),
            duration: DEFAULT_MINUTES.to_string(),
            zone: zone.name().to_string(),
            repeat: "none".into(),
            ends: "never".into(),
            ..FormValues::default()
        }
    }

    /// The form for editing `req`: every field as it would have to be typed to get `req` back.
    pub fn from_request(req: &MeetingRequest, invitees: &[InviteeView]) -> Self {
        let minutes = (req.end - req.start).num_minutes();
        let offered = u32::try_from(minutes).is_ok_and(|m| DURATIONS.contains(&m));
        let (repeat, days) = req
            .recurrence
            .as_ref()
            .map(repeat_fields)
            .unwrap_or(("none", String::new()));
        let (ends, count, until) = match req.recurrence.map(|r| r.end) {
            Some(RecurrenceEnd::Count(n)) => ("after", n.to_string(), String::new()),
            Some(RecurrenceEnd::Until { date, .. }) => {
                ("on", String::new(), date.format("%Y-%m-%d").to_string())
            }
            _ => ("never", String::new(), String::new()),
        };
        let addresses = |cohost: bool| {
            invitees
                .iter()
                .filter(|i| i.cohost == cohost)
                .map(|i| i.email.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        FormValues {
            title: req.title.clone(),
            date: req.start.format("%Y-%m-%d").to_string(),
            start: req.start.format("%H:%M").to_string(),
            end: if offered {
                String::new()
            } else {
                req.end.format("%H:%M").to_string()
            },
            duration: if offered {
                minutes.to_string()
            } else {
                DEFAULT_MINUTES.to_string()
            },
            zone: req.timezone.name().to_string(),
            zone_typed: String::new(),
            repeat: repeat.into(),
            days,
            ends: ends.into(),
            count,
            until,
            invitees: addresses(false),
            cohosts: addresses(true),
            password: req.password.clone().unwrap_or_default(),
            agenda: req.agenda.clone().unwrap_or_default(),
        }
    }

    /// The value of the field with input id `id`.
    pub fn get(&self, id: &str) -> Option<&str> {
        Some(match id {
            "title" => &self.title,
            "date" => &self.date,
            "start" => &self.start,
            "end" => &self.end,
            "duration" => &self.duration,
            "zone" => &self.zone,
            "zone_typed" => &self.zone_typed,
            "repeat" => &self.repeat,
            "days" => &self.days,
            "ends" => &self.ends,
            "count" => &self.count,
            "until" => &self.until,
            "invitees" => &self.invitees,
            "cohosts" => &self.cohosts,
            "password" => &self.password,
            "agenda" => &self.agenda,
            _ => return None,
        })
    }

    /// Sets the field with input id `id`; `false` if there is no such field.
    pub fn set(&mut self, id: &str, value: String) -> bool {
        let slot = match id {
            "title" => &mut self.title,
            "date" => &mut self.date,
            "start" => &mut self.start,
            "end" => &mut self.end,
            "duration" => &mut self.duration,
            "zone" => &mut self.zone,
            "zone_typed" => &mut self.zone_typed,
            "repeat" => &mut self.repeat,
            "days" => &mut self.days,
            "ends" => &mut self.ends,
            "count" => &mut self.count,
            "until" => &mut self.until,
            "invitees" => &mut self.invitees,
            "cohosts" => &mut self.cohosts,
            "password" => &mut self.password,
            "agenda" => &mut self.agenda,
            _ => return false,
        };
        *slot = value;
        true
    }
}

/// The first instant after `now` at which clocks in `zone` show :00 or :30. Walking instants
/// (not wall times) means a daylight-saving gap can never produce a time that does not exist.
fn next_half_hour(zone: Tz, now: DateTime<Utc>) -> DateTime<Tz> {
    let mut at = scheduler_core::schedule::floor_to_minute(now) + Duration::minutes(1);
    for _ in 0..60 {
        let local = at.with_timezone(&zone);
        if local.minute().is_multiple_of(30) {
            return local;
        }
        at += Duration::minutes(1);
    }
    at.with_timezone(&zone)
}

/// The `repeat` and `days` fields that give back `recurrence`.
fn repeat_fields(recurrence: &Recurrence) -> (&'static str, String) {
    match (recurrence.pattern, recurrence.interval) {
        (Pattern::Daily, _) => ("daily", String::new()),
        (Pattern::Weekly(days), 1) if days == WeekdaySet::WORKWEEK => ("weekdays", String::new()),
        (Pattern::Weekly(days), 1) => ("weekly", day_codes(days)),
        (Pattern::Weekly(days), _) => ("biweekly", day_codes(days)),
        (Pattern::MonthlyOnDay(_), _) => ("monthly_date", String::new()),
        (Pattern::MonthlyOnWeekday { .. }, _) => ("monthly_nth", String::new()),
        (Pattern::Yearly { .. }, _) => ("none", String::new()),
    }
}

/// `MO,WE`: the value a multi-select ChoiceSet submits (the day choices carry RRULE names).
fn day_codes(days: WeekdaySet) -> String {
    days.iter().map(rrule_day).collect::<Vec<_>>().join(",")
}

const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Problems found in a submitted form, each with the input id it belongs next to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records a problem; a field keeps its first problem only, the one to fix first.
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field.to_string(), message.into()));
        }
    }

    /// The problem stated next to `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The form card: `values` in the inputs, each problem in `errors` under its field, and a
/// Schedule and a Cancel button that carry `card_id`.
pub fn form(values: &FormValues, errors: &FieldErrors, card_id: &str) -> Value {
    form_for(values, errors, card_id, Submit::Schedule, false)
}

/// What the form's submit button does, so that its label says it: a person with previews on
/// (the default) gets a preview from it (then Schedule on the preview creates the meeting); with
/// previews off it creates the meeting. The press is the same `form` action either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submit {
    Preview,
    Schedule,
}

impl Submit {
    /// The button's label.
    pub fn title(self) -> &'static str {
        match self {
            Submit::Preview => "Preview",
            Submit::Schedule => "Schedule",
        }
    }
}

/// What the password field says when it is empty because the bot keeps the password the
/// person already chose (a group space never shows it back): leaving it empty keeps it.
pub const KEPT_PASSWORD_HINT: &str = "Kept, not shown here. Type a new one to change it.";

/// The form for a request whose password the bot keeps out of sight (see
/// [`KEPT_PASSWORD_HINT`]); `values.password` should be empty.
pub fn form_keeping_password(values: &FormValues, errors: &FieldErrors, card_id: &str) -> Value {
    form_for(values, errors, card_id, Submit::Schedule, true)
}

/// The form with its submit button labelled for what it does (`submit`), keeping the password
/// out of sight when `keep_password` (see [`form_keeping_password`]).
pub fn form_for(
    values: &FormValues,
    errors: &FieldErrors,
    card_id: &str,
    submit: Submit,
    keep_password: bool,
) -> Value {
    let mut bindings = form_bindings(values, errors, card_id);
    bindings.insert("submit_title".into(), json!(submit.title()));
    if keep_password {
        bindings.insert("password_placeholder".into(), json!(KEPT_PASSWORD_HINT));
    }
    super::render(template::FORM, &bindings)
}

fn form_bindings(values: &FormValues, errors: &FieldErrors, card_id: &str) -> Bindings {
    let mut b = Bindings::new();
    for id in FIELD_IDS {
        let value = values.get(id).unwrap_or_default();
        b.insert(format!("values.{id}"), json!(value));
        let error = errors.get(id).map(escape).unwrap_or_default();
        b.insert(format!("errors.{id}"), json!(error));
    }
    // A problem about a field this card has no place for still has to be seen.
    let stray: Vec<String> = errors
        .0
        .iter()
        .filter(|(f, _)| !FIELD_IDS.contains(&f.as_str()))
        .map(|(_, m)| escape(m))
        .collect();
    let summary = match (errors.0.len(), stray.is_empty()) {
        (0, _) => String::new(),
        (_, false) => stray.join(" "),
        (1, true) => "Please fix the problem below.".into(),
        (n, true) => format!("Please fix the {n} problems below."),
    };
    b.insert("summary".into(), json!(summary));
    b.insert("card_id".into(), json!(card_id));
    b.insert("password_placeholder".into(), json!(""));
    b.insert("zone_choices".into(), zone_choices(&values.zone));
    b.insert(
        "duration_choices".into(),
        duration_choices(&values.duration),
    );
    b.insert("repeat_choices".into(), choices(&REPEAT_VALUES));
    b.insert("end_choices".into(), choices(&END_VALUES));
    b.insert(
        "day_choices".into(),
        Value::Array(
            WEEK.iter()
                .zip(DAY_NAMES)
                .map(|(d, name)| json!({"title": name, "value": rrule_day(*d)}))
                .collect(),
        ),
    );
    b
}

fn choices(pairs: &[(&str, &str)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(value, title)| json!({"title": title, "value": value}))
            .collect(),
    )
}

/// The selected zone first (a person's own zone on a new form, the meeting's when editing),
/// then the common ones.
fn zone_choices(selected: &str) -> Value {
    let selected: Option<Tz> = selected.parse().ok();
    let zones = selected
        .into_iter()
        .chain(COMMON_ZONES.into_iter().filter(|z| Some(*z) != selected));
    Value::Array(
        zones
            .map(|z| json!({"title": z.name().replace('_', " "), "value": z.name()}))
            .collect(),
    )
}

/// The offered durations, plus the one in the form when it is another whole number of
/// minutes, so an edited meeting's length is never silently replaced.
fn duration_choices(current: &str) -> Value {
    let mut minutes: Vec<u32> = DURATIONS.to_vec();
    if let Ok(m) = current.parse::<u32>()
        && current.len() <= 4
        && !minutes.contains(&m)
    {
        minutes.push(m);
        minutes.sort_unstable();
    }
    Value::Array(
        minutes
            .into_iter()
            .map(|m| json!({"title": super::summary::duration_words(i64::from(m)), "value": m.to_string()}))
            .collect(),
    )
}
