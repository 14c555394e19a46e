//! A submitted form, read strictly into a [`MeetingRequest`] and checked with the same domain
//! rules as a typed command ([`scheduler_core::schedule`]), every problem reported next to its field.

use super::form::{FieldErrors, FormValues};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use scheduler_core::command::{self, Command, Context};
use scheduler_core::schedule::weekday_from_rrule;
use scheduler_core::schedule::{
    self, Invitee, MeetingRequest, Nth, Pattern, Recurrence, RecurrenceEnd, ScheduleError,
    WeekdaySet, Who,
};

/// An end earlier on the clock than the start is the next morning only within this many
/// minutes (the rule typed ranges follow: `22:00 to 01:00` is overnight, `10:00 to 09:00` is
/// a mistake).
const OVERNIGHT_MINUTES: u32 = 12 * 60;

/// The meeting the form describes, or every problem found, each next to its field.
pub fn read_form(values: &FormValues, now: DateTime<Utc>) -> Result<MeetingRequest, FieldErrors> {
    let mut errors = FieldErrors::default();
    let title = read_title(&values.title, &mut errors);
    let zone = read_zone(values, now, &mut errors);
    let date = strict_date(&values.date).or_else(|| {
        errors.push("date", "Pick a date (year-month-day).");
        None
    });
    let start_time = strict_time(&values.start).or_else(|| {
        errors.push("start", "Pick a start time (hours:minutes).");
        None
    });
    let length = read_length(values, &mut errors);
    let repeat = read_repeat(values, &mut errors);
    let ends = read_ends(values, &mut errors);
    let password = read_password(&values.password, &mut errors);
    let agenda = read_agenda(&values.agenda, &mut errors);
    let invitees = read_invitees(values, &mut errors);

    // The when and how-often fields are needed to check the meeting's times; a missing title,
    // bad password or bad address is already recorded and does not hide the other problems.
    let (Some(zone), Some(date), Some(start_time), Some(length), Some(repeat), Some(ends)) =
        (zone, date, start_time, length, repeat, ends)
    else {
        return Err(errors);
    };
    let start = match schedule::localize(zone, date, start_time) {
        Ok(start) => start,
        Err(e) => {
            errors.push("start", e.to_string());
            return Err(errors);
        }
    };
    let end = match end_instant(start, &length) {
        Ok(end) => end,
        Err(e) => {
            errors.push(length.field(), e.to_string());
            return Err(errors);
        }
    };
    let recurrence = repeat.map(|r| r.recurrence(date, zone, ends));
    let req = MeetingRequest {
        title: title.unwrap_or_default(),
        start,
        end,
        timezone: zone,
        recurrence,
        invitees,
        password,
        agenda,
        reminder: None,
    };
    check_meeting(&req, values, now, &mut errors);
    if errors.is_empty() {
        Ok(req)
    } else {
        Err(errors)
    }
}

/// The domain's checks on the assembled meeting, each error placed next to the field that
/// would fix it.
fn check_meeting(
    req: &MeetingRequest,
    values: &FormValues,
    now: DateTime<Utc>,
    errors: &mut FieldErrors,
) {
    if let Err(e) = schedule::check_start(&req.start, now) {
        errors.push("start", e.to_string());
    }
    if let Err(e) = schedule::check_times(&req.start, &req.end) {
        let field = if values.end.trim().is_empty() {
            "duration"
        } else {
            "end"
        };
        errors.push(field, e.to_string());
    }
    if let Some(recurrence) = &req.recurrence
        && let Err(e) = schedule::check_recurrence(recurrence, &req.start, now)
    {
        errors.push(recurrence_field(&e, values), e.to_string());
    }
    if let Err(e) = schedule::check_invitees(&req.invitees) {
        errors.push("invitees", e.to_string());
    }
}

fn recurrence_field(error: &ScheduleError, values: &FormValues) -> &'static str {
    match error {
        ScheduleError::TooManyOccurrences { .. } if values.ends == "after" => "count",
        ScheduleError::TooManyOccurrences { .. }
        | ScheduleError::SeriesEndTooFar { .. }
        | ScheduleError::UntilBeforeStart { .. } => "until",
        ScheduleError::NoOccurrences => "count",
        ScheduleError::FirstOccurrenceMismatch { .. } => "days",
        _ => "repeat",
    }
}

fn read_title(typed: &str, errors: &mut FieldErrors) -> Option<String> {
    let title = typed.trim();
    if title.is_empty() {
        errors.push("title", "Give the meeting a title.");
        return None;
    }
    if title.chars().any(char::is_control) {
        errors.push("title", "A title is one line, without control characters.");
        return None;
    }
    match schedule::check_title(title) {
        Ok(()) => Some(title.to_string()),
        Err(e) => {
            errors.push("title", e.to_string());
            None
        }
    }
}

/// A typed zone (anything the `tz` command accepts, through the command parser itself) wins
/// over the one picked from the list (which must be an exact IANA name).
fn read_zone(values: &FormValues, now: DateTime<Utc>, errors: &mut FieldErrors) -> Option<Tz> {
    let typed = values.zone_typed.trim();
    if !typed.is_empty() {
        let parsed = if typed.chars().any(char::is_control) {
            None
        } else {
            match command::parse(&format!("tz {typed}"), &Context::new(now, Tz::UTC)) {
                Ok(Command::Tz(Some(zone))) => Some(zone),
                _ => None,
            }
        };
        if parsed.is_none() {
            errors.push(
                "zone_typed",
                format!(
                    "I don't know the time zone \"{}\". Try a city (Berlin), an IANA name \
                     (Europe/Berlin) or an abbreviation (CET).",
                    typed.chars().take(64).collect::<String>()
                ),
            );
        }
        return parsed;
    }
    match values.zone.parse::<Tz>() {
        Ok(zone) => Some(zone),
        Err(_) => {
            errors.push("zone", "Pick a time zone from the list, or type one.");
            None
        }
    }
}

/// `YYYY-MM-DD` exactly, as `Input.Date` submits it.
fn strict_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::from_ymd_opt(
        text[0..4].parse().ok()?,
        text[5..7].parse().ok()?,
        text[8..10].parse().ok()?,
    )
}

/// `HH:MM` exactly, on the 24-hour clock, as `Input.Time` submits it.
fn strict_time(text: &str) -> Option<NaiveTime> {
    let b = text.as_bytes();
    let shape = b.len() == 5
        && b[2] == b':'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveTime::from_hms_opt(text[0..2].parse().ok()?, text[3..5].parse().ok()?, 0)
}

/// How the meeting's end is given: an end time (which wins) or a duration.
enum Length {
    EndAt(NaiveTime),
    Minutes(i64),
}

impl Length {
    fn field(&self) -> &'static str {
        match self {
            Length::EndAt(_) => "end",
            Length::Minutes(_) => "duration",
        }
    }
}

fn read_length(values: &FormValues, errors: &mut FieldErrors) -> Option<Length> {
    let end = values.end.trim();
    if !end.is_empty() {
        return strict_time(end).map(Length::EndAt).or_else(|| {
            errors.push(
                "end",
                "Pick an end time (hours:minutes), or leave it empty and pick a duration.",
            );
            None
        });
    }
    let duration = values.duration.trim();
    let minutes = (1..=4).contains(&duration.len()) && duration.bytes().all(|b| b.is_ascii_digit());
    match duration.parse::<i64>() {
        Ok(m) if minutes => Some(Length::Minutes(m)),
        _ => {
            errors.push("duration", "Pick a duration, or give an end time.");
            None
        }
    }
}

/// The end instant: an end time earlier on the clock than the start is the next day when that
/// makes a meeting of at most twelve hours.
fn end_instant(start: DateTime<Tz>, length: &Length) -> Result<DateTime<Tz>, ScheduleError> {
    match *length {
        Length::Minutes(m) => Ok(start + Duration::minutes(m)),
        Length::EndAt(time) => {
            let start_wall = start.naive_local();
            let minutes = |t: NaiveTime| t.hour() * 60 + t.minute();
            let (s, e) = (minutes(start_wall.time()), minutes(time));
            let mut date = start_wall.date();
            if e <= s {
                if 24 * 60 - (s - e) > OVERNIGHT_MINUTES {
                    return Err(ScheduleError::EndNotAfterStart);
                }
                date = date.succ_opt().unwrap_or(date);
            }
            schedule::localize(start.timezone(), date, time)
        }
    }
}

/// A repeat chosen on the form, before its first date is known.
#[derive(Clone, Copy)]
enum Repeat {
    Daily,
    Weekly {
        days: Option<WeekdaySet>,
        interval: u32,
    },
    MonthlyOnDate,
    MonthlyOnWeekday,
}

impl Repeat {
    fn recurrence(self, first: NaiveDate, zone: Tz, end: Ends) -> Recurrence {
        let (pattern, interval) = match self {
            Repeat::Daily => (Pattern::Daily, 1),
            Repeat::Weekly { days, interval } => (
                Pattern::Weekly(days.unwrap_or_else(|| WeekdaySet::single(first.weekday()))),
                interval,
            ),
            Repeat::MonthlyOnDate => (Pattern::MonthlyOnDay(first.day()), 1),
            Repeat::MonthlyOnWeekday => (
                Pattern::MonthlyOnWeekday {
                    nth: Nth::of_date(first).unwrap_or(Nth::Last),
                    weekday: first.weekday(),
                },
                1,
            ),
        };
        let end = match end {
            Ends::Never => RecurrenceEnd::Never,
            Ends::After(n) => RecurrenceEnd::Count(n),
            Ends::On(date) => RecurrenceEnd::Until {
                date,
                instant: schedule::until_end_of_day(date, zone),
            },
        };
        Recurrence {
            pattern,
            interval,
            end,
        }
    }
}

/// `Some(None)`: the meeting does not repeat; `None`: the fields could not be read.
fn read_repeat(values: &FormValues, errors: &mut FieldErrors) -> Option<Option<Repeat>> {
    let weekly = |interval, errors: &mut FieldErrors| {
        read_days(&values.days, errors).map(|days| Some(Repeat::Weekly { days, interval }))
    };
    match values.repeat.trim() {
        "" | "none" => Some(None),
        "daily" => Some(Some(Repeat::Daily)),
        "weekdays" => Some(Some(Repeat::Weekly {
            days: Some(WeekdaySet::WORKWEEK),
            interval: 1,
        })),
        "weekly" => weekly(1, errors),
        "biweekly" => weekly(2, errors),
        "monthly_date" => Some(Some(Repeat::MonthlyOnDate)),
        "monthly_nth" => Some(Some(Repeat::MonthlyOnWeekday)),
        _ => {
            errors.push("repeat", "Pick how the meeting repeats from the list.");
            None
        }
    }
}

/// The chosen weekdays (`MO,WE`); `Some(None)` when none were chosen.
fn read_days(typed: &str, errors: &mut FieldErrors) -> Option<Option<WeekdaySet>> {
    let mut days = WeekdaySet::EMPTY;
    for code in typed.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        match weekday_from_rrule(code) {
            Some(day) => days = days.with(day),
            None => {
                errors.push("days", "Pick the days from the list.");
                return None;
            }
        }
    }
    Some((!days.is_empty()).then_some(days))
}

#[derive(Clone, Copy)]
enum Ends {
    Never,
    After(u32),
    On(NaiveDate),
}

/// How the series ends. The count and date are read only when that end is chosen, so a
/// leftover value in the other box does not get in the way.
fn read_ends(values: &FormValues, errors: &mut FieldErrors) -> Option<Ends> {
    match values.ends.trim() {
        "" | "never" => Some(Ends::Never),
        "after" => {
            let count = values.count.trim();
            let digits =
                (1..=4).contains(&count.len()) && count.bytes().all(|b| b.is_ascii_digit());
            match count.parse::<u32>() {
                Ok(n) if digits && n > 0 => Some(Ends::After(n)),
                _ => {
                    errors.push(
                        "count",
                        "Give the number of meetings in the series (1 or more).",
                    );
                    None
                }
            }
        }
        "on" => strict_date(values.until.trim()).map(Ends::On).or_else(|| {
            errors.push("until", "Pick the date of the last meeting.");
            None
        }),
        _ => {
            errors.push("ends", "Pick how the series ends from the list.");
            None
        }
    }
}

/// `Some(None)` when no password is given.
fn read_password(typed: &str, errors: &mut FieldErrors) -> Option<String> {
    if typed.is_empty() {
        return None;
    }
    match schedule::check_password(typed) {
        Ok(()) => Some(typed.to_string()),
        Err(e) => {
            errors.push("password", e.to_string());
            None
        }
    }
}

fn read_agenda(typed: &str, errors: &mut FieldErrors) -> Option<String> {
    let agenda = typed.trim();
    if agenda.is_empty() {
        return None;
    }
    let stray_control = agenda
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    if stray_control {
        errors.push(
            "agenda",
            "The agenda contains control characters; please remove them.",
        );
        return None;
    }
    match schedule::check_agenda(agenda) {
        Ok(()) => Some(agenda.to_string()),
        Err(e) => {
            errors.push("agenda", e.to_string());
            None
        }
    }
}

/// Invitees then co-hosts (who are invitees too), unique by address.
fn read_invitees(values: &FormValues, errors: &mut FieldErrors) -> Vec<Invitee> {
    let mut invitees = Vec::new();
    for (field, cohost) in [("invitees", false), ("cohosts", true)] {
        let typed = values.get(field).unwrap_or_default();
        if typed.chars().count() > super::MAX_ADDRESS_CHARS {
            errors.push(
                field,
                format!(
                    "At most {} characters of addresses fit here; for a larger meeting type \
                     a command with `everyone` or split the list.",
                    super::MAX_ADDRESS_CHARS
                ),
            );
            continue;
        }
        let (good, bad) = addresses(typed);
        if !bad.is_empty() {
            errors.push(field, not_addresses(&bad));
        }
        for email in good {
            schedule::add_invitee(&mut invitees, Who::Email(email), cohost);
        }
    }
    invitees
}

/// Names at most three of the entries that are not addresses, in the right number.
fn not_addresses(bad: &[String]) -> String {
    let shown: Vec<String> = bad.iter().take(3).map(|b| format!("\"{b}\"")).collect();
    match bad.len() {
        1 => format!("{} is not an e-mail address.", shown[0]),
        2 | 3 => format!("These are not e-mail addresses: {}.", shown.join(", ")),
        _ => format!(
            "These are not e-mail addresses: {} and more.",
            shown.join(", ")
        ),
    }
}

/// Splits a list typed as `a@x.com, b@y.org; c@z.net` into addresses and what is not one.
fn addresses(typed: &str) -> (Vec<String>, Vec<String>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for item in typed
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        if is_email(item) {
            good.push(item.to_string());
        } else {
            bad.push(item.chars().take(64).collect());
        }
    }
    (good, bad)
}

/// The address shape the command grammar accepts: a dot-atom local part, and a domain of
/// letters, digits and hyphens with an alphabetic top-level label of two or more letters.
pub(crate) fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&b));
    let labels_ok = !domain.is_empty()
        && domain.len() <= 253
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    let tld_ok = domain
        .rsplit_once('.')
        .is_some_and(|(_, tld)| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    local_ok && labels_ok && tld_ok
}
