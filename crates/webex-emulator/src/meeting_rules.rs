//! Webex's scheduling rules, as pure functions of "now" and the request.
//!
//! From the OpenAPI description of `CreateMeetingObject` and the Meetings guide: `start` is
//! truncated to the minute (the current minute becomes the next one) and may not be in the past,
//! a meeting lasts 10 minutes to 23 h 59 min and starts less than 10 years ahead, `timezone` is
//! an IANA name defaulting to UTC, recurrence is an RRULE without the `RRULE:` prefix (monthly and
//! yearly rules keep only their first day; counts and horizons are capped), `title` has at most
//! 128 characters, `integrationTags` at most 3 of at most 64, and a user may create 100 meetings
//! per 24 hours, failed attempts included.

use super::recurrence_rules::validate_recurrence;
use super::state::{ApiError, ApiResult};
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rand::Rng;
use serde_json::{Map, Value};
use std::collections::{HashMap, VecDeque};

const MIN_DURATION_MINUTES: i64 = 10;
const MAX_DURATION_MINUTES: i64 = 23 * 60 + 59;
const MAX_TITLE_CHARS: usize = 128;
const MAX_AGENDA_CHARS: usize = 1300;
const MAX_TAGS: usize = 3;
const MAX_TAG_CHARS: usize = 64;
/// Webex password rules are site settings; the emulator's site asks for 4 to 32 characters,
/// no whitespace, and at least one letter and one digit (a common site policy).
const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 4..=32;

/// Creation attempts per user, for the 24-hour quota.
#[derive(Debug, Clone, Default)]
pub(crate) struct QuotaLedger {
    attempts: HashMap<String, VecDeque<DateTime<Utc>>>,
}

impl QuotaLedger {
    /// Counts an attempt, or says how many seconds until the oldest one leaves the window.
    pub(crate) fn admit(
        &mut self,
        person: &str,
        now: DateTime<Utc>,
        quota: u32,
    ) -> Result<(), u64> {
        let attempts = self.attempts.entry(person.to_string()).or_default();
        while attempts
            .front()
            .is_some_and(|t| now - *t >= Duration::hours(24))
        {
            attempts.pop_front();
        }
        if attempts.len() >= quota as usize {
            let oldest = attempts.front().copied().unwrap_or(now);
            return Err((oldest + Duration::hours(24) - now).num_seconds().max(1) as u64);
        }
        attempts.push_back(now);
        Ok(())
    }
}

/// The instant a client meant by a Webex time string: RFC 3339 with an offset, or a local wall
/// time (`T` or space separated) read in the meeting's zone.
pub(crate) fn parse_time(raw: &str, tz: Tz) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Some(at.with_timezone(&Utc));
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
    .and_then(|naive| tz.from_local_datetime(&naive).earliest())
    .map(|at| at.with_timezone(&Utc))
}

pub(crate) fn truncate_to_minute(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(at)
}

pub(crate) fn parse_timezone(raw: Option<&str>) -> ApiResult<Tz> {
    match raw {
        None => Ok(Tz::UTC),
        Some(name) => name.parse::<Tz>().map_err(|_| {
            ApiError::bad_request(format!(
                "Invalid timezone '{name}'. Use an IANA time zone name."
            ))
        }),
    }
}

/// The validated time slot of a meeting.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub timezone: Tz,
    pub recurrence: Option<String>,
}

pub(crate) fn validate_slot(
    now: DateTime<Utc>,
    start: Option<&str>,
    end: Option<&str>,
    timezone: Option<&str>,
    recurrence: Option<&str>,
) -> ApiResult<Slot> {
    let timezone = parse_timezone(timezone)?;
    let (Some(start_raw), Some(end_raw)) = (start, end) else {
        return Err(ApiError::bad_request(
            "Parameters 'start' and 'end' are required.",
        ));
    };
    let start = parse_time(start_raw, timezone).ok_or_else(|| {
        ApiError::bad_request(format!("Invalid start '{start_raw}'; use ISO 8601."))
    })?;
    let end = parse_time(end_raw, timezone)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid end '{end_raw}'; use ISO 8601.")))?;
    let this_minute = truncate_to_minute(now);
    let mut start = truncate_to_minute(start);
    let end = truncate_to_minute(end);
    if start < this_minute || end < this_minute {
        return Err(ApiError::bad_request(
            "Parameter 'start' or 'end' is before current time.",
        ));
    }
    if start == this_minute {
        start += Duration::minutes(1);
    }
    if end <= start {
        return Err(ApiError::bad_request(
            "Parameter 'end' must be after 'start'.",
        ));
    }
    let minutes = (end - start).num_minutes();
    if !(MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES).contains(&minutes) {
        return Err(ApiError::bad_request(
            "The duration of a meeting must be at least 10 minutes and at most 23 hours 59 minutes.",
        ));
    }
    if start >= now + Duration::days(365 * 10) {
        return Err(ApiError::bad_request(
            "Cannot schedule a meeting 10 years or more in the future.",
        ));
    }
    let recurrence = recurrence
        .map(|rule| validate_recurrence(rule, start, timezone, now))
        .transpose()?;
    Ok(Slot {
        start,
        end,
        timezone,
        recurrence,
    })
}

pub(crate) fn validate_password(password: &str) -> ApiResult<()> {
    let ok = PASSWORD_CHARS.contains(&password.chars().count())
        && !password.chars().any(char::is_whitespace)
        && password.chars().any(|c| c.is_ascii_alphabetic())
        && password.chars().any(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid_items(
            "Meeting password validation failed. The password must have 4 to 32 characters, \
             no spaces, at least one letter (A to Z) and one digit.",
        ))
    }
}

pub(crate) fn generate_password() -> String {
    let mut rng = rand::thread_rng();
    let letters: String = (0..5)
        .map(|i| {
            let base = if i % 2 == 0 { b'A' } else { b'a' };
            (base + rng.gen_range(0..26)) as char
        })
        .collect();
    format!("{letters}@{:02}", rng.gen_range(10..100))
}

pub(crate) fn validate_title(title: Option<&str>) -> ApiResult<String> {
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::bad_request("Parameter 'title' is required."))?;
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(ApiError::bad_request(format!(
            "Parameter 'title' exceeds {MAX_TITLE_CHARS} characters."
        )));
    }
    Ok(title.to_string())
}

pub(crate) fn validate_agenda(agenda: Option<&str>) -> ApiResult<()> {
    if agenda.is_some_and(|a| a.chars().count() > MAX_AGENDA_CHARS) {
        return Err(ApiError::bad_request(format!(
            "Parameter 'agenda' exceeds {MAX_AGENDA_CHARS} characters."
        )));
    }
    Ok(())
}

pub(crate) fn validate_tags(tags: &[String]) -> ApiResult<()> {
    if tags.len() > MAX_TAGS {
        return Err(ApiError::bad_request(format!(
            "At most {MAX_TAGS} integrationTags are allowed."
        )));
    }
    if tags
        .iter()
        .any(|t| t.chars().count() > MAX_TAG_CHARS || t.is_empty())
    {
        return Err(ApiError::bad_request(format!(
            "Each integrationTag must have 1 to {MAX_TAG_CHARS} characters."
        )));
    }
    Ok(())
}

pub(crate) fn validate_options(options: &Map<String, Value>) -> ApiResult<()> {
    if let Some(minutes) = options.get("joinBeforeHostMinutes")
        && ![0, 5, 10, 15].contains(&minutes.as_i64().unwrap_or(-1))
    {
        return Err(ApiError::bad_request(
            "joinBeforeHostMinutes must be 0, 5, 10 or 15.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, 8, 30, 20)
            .single()
            .expect("valid")
    }

    fn slot(start: &str, end: &str) -> ApiResult<Slot> {
        validate_slot(now(), Some(start), Some(end), Some("Europe/Berlin"), None)
    }

    #[test]
    fn start_is_truncated_and_the_current_minute_moves_to_the_next() {
        let s = slot("2027-03-01T09:30:45+01:00", "2027-03-01T10:00:00+01:00").expect("valid");
        assert_eq!(
            s.start,
            Utc.with_ymd_and_hms(2027, 3, 1, 8, 31, 0)
                .single()
                .expect("valid")
        );
        let s = slot("2027-03-01T11:00:59", "2027-03-01T11:30:00")
            .expect("local wall time in the zone");
        assert_eq!(
            s.start,
            Utc.with_ymd_and_hms(2027, 3, 1, 10, 0, 0)
                .single()
                .expect("valid")
        );
    }

    #[test]
    fn past_starts_and_bad_durations_are_refused() {
        assert!(
            slot("2027-03-01T09:29:00+01:00", "2027-03-01T10:00:00+01:00").is_err(),
            "a minute ago"
        );
        assert!(
            slot("2027-03-02T09:00:00+01:00", "2027-03-02T09:09:00+01:00").is_err(),
            "9 minutes"
        );
        assert!(
            slot("2027-03-02T09:00:00+01:00", "2027-03-02T09:10:00+01:00").is_ok(),
            "10 minutes"
        );
        assert!(
            slot("2027-03-02T09:00:00+01:00", "2027-03-03T08:59:00+01:00").is_ok(),
            "23h59"
        );
        assert!(
            slot("2027-03-02T09:00:00+01:00", "2027-03-03T09:00:00+01:00").is_err(),
            "24h"
        );
        assert!(
            slot("2027-03-02T09:00:00+01:00", "2027-03-02T08:00:00+01:00").is_err(),
            "end before start"
        );
        assert!(
            slot("2037-03-02T09:00:00+01:00", "2037-03-02T10:00:00+01:00").is_err(),
            "10 years ahead"
        );
        assert!(slot("tomorrow", "2027-03-02T10:00:00+01:00").is_err());
        assert!(validate_slot(now(), None, Some("2027-03-02T10:00:00Z"), None, None).is_err());
        assert!(
            validate_slot(
                now(),
                Some("2027-03-02T09:00:00Z"),
                Some("2027-03-02T10:00:00Z"),
                Some("CET+1"),
                None
            )
            .is_err()
        );
    }

    #[test]
    fn timezone_defaults_to_utc_for_wall_times() {
        let s = validate_slot(
            now(),
            Some("2027-03-02 09:00:00"),
            Some("2027-03-02 10:00:00"),
            None,
            None,
        )
        .expect("valid");
        assert_eq!(s.timezone, Tz::UTC);
        assert_eq!(
            s.start,
            Utc.with_ymd_and_hms(2027, 3, 2, 9, 0, 0)
                .single()
                .expect("valid")
        );
    }

    #[test]
    fn passwords_follow_the_site_policy() {
        assert!(validate_password("abc1").is_ok());
        assert!(validate_password("ab1").is_err());
        // A letter outside A to Z is not one for this site (the core accepts it: Webex decides).
        let refused = validate_password("ßßß12").unwrap_err();
        assert_eq!(
            refused.message,
            "The input parameters contain invalid items."
        );
        assert!(
            refused
                .description
                .starts_with("Meeting password validation failed.")
        );
        assert!(validate_password("abcdef").is_err());
        assert!(validate_password("abc 123").is_err());
        assert!(validate_password(&"a1".repeat(17)).is_err());
        for _ in 0..20 {
            let generated = generate_password();
            assert!(validate_password(&generated).is_ok(), "{generated}");
        }
    }

    #[test]
    fn tags_are_limited_in_count_and_length() {
        assert!(validate_tags(&["a".into(), "b".into(), "c".into()]).is_ok());
        assert!(validate_tags(&["a".into(), "b".into(), "c".into(), "d".into()]).is_err());
        assert!(validate_tags(&["x".repeat(64)]).is_ok());
        assert!(validate_tags(&["x".repeat(65)]).is_err());
    }

    #[test]
    fn the_quota_counts_attempts_in_a_sliding_day() {
        let mut ledger = QuotaLedger::default();
        let t0 = now();
        assert!(ledger.admit("A", t0, 2).is_ok());
        assert!(ledger.admit("A", t0 + Duration::hours(1), 2).is_ok());
        assert_eq!(
            ledger.admit("A", t0 + Duration::hours(2), 2),
            Err(22 * 3600)
        );
        assert!(ledger.admit("B", t0, 2).is_ok(), "quotas are per user");
        assert!(ledger.admit("A", t0 + Duration::hours(24), 2).is_ok());
    }
}
