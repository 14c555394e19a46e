//! Reading a `Retry-After` header into a wait we can trust.
//!
//! Webex sends delay-seconds, RFC 9110 also allows an HTTP-date, and a proxy in between may send
//! anything at all. A 429 without a usable hint still means "slow down", so garbage maps to a
//! fallback instead of an error, and every answer is clamped so one odd header can neither make
//! us hammer the API (zero) nor park a token for a day.

use std::time::{Duration, SystemTime};

/// Used when the header is missing or unreadable: long enough to let a rate window drain,
/// short enough that a user waiting in chat is not abandoned.
pub(crate) const FALLBACK: Duration = Duration::from_secs(5);

/// Webex asks for seconds to minutes; anything beyond an hour is a broken header, not a plan.
pub const MAX: Duration = Duration::from_secs(60 * 60);

/// A retry that comes back "immediately" would just collect another 429, so we never wait less.
pub(crate) const MIN: Duration = Duration::from_secs(1);

/// Parses a `Retry-After` value relative to `now`; never fails.
pub fn parse(value: Option<&str>, now: SystemTime) -> Duration {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return FALLBACK;
    };
    let wait = delay_seconds(value)
        .or_else(|| until_http_date(value, now))
        .unwrap_or(FALLBACK);
    wait.clamp(MIN, MAX)
}

fn delay_seconds(value: &str) -> Option<Duration> {
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // A digit string too long for u64 is still "a very long time", so saturate into the cap.
    Some(
        value
            .parse::<u64>()
            .map(Duration::from_secs)
            .unwrap_or(Duration::MAX),
    )
}

fn until_http_date(value: &str, now: SystemTime) -> Option<Duration> {
    let at = httpdate::parse_http_date(value).ok()?;
    // A date in the past (clock skew) means "now"; the MIN clamp then applies.
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> SystemTime {
        // 2027-03-01T09:00:00Z, a whole second so HTTP-dates round-trip exactly.
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_803_546_000)
    }

    #[test]
    fn delay_seconds_are_taken_literally() {
        assert_eq!(parse(Some("17"), now()), Duration::from_secs(17));
        assert_eq!(parse(Some(" 60 "), now()), Duration::from_secs(60));
    }

    #[test]
    fn an_http_date_becomes_the_time_left_until_it() {
        let header = httpdate::fmt_http_date(now() + Duration::from_secs(42));
        assert_eq!(parse(Some(&header), now()), Duration::from_secs(42));
    }

    #[test]
    fn an_http_date_in_the_past_waits_the_minimum() {
        let header = httpdate::fmt_http_date(now() - Duration::from_secs(600));
        assert_eq!(parse(Some(&header), now()), MIN);
    }

    #[test]
    fn zero_seconds_waits_the_minimum() {
        assert_eq!(parse(Some("0"), now()), MIN);
    }

    #[test]
    fn garbage_and_absence_fall_back() {
        for garbage in ["soon", "-5", "1.5", "12abc", "Tue, 99 Foo 2027", ""] {
            assert_eq!(parse(Some(garbage), now()), FALLBACK, "{garbage:?}");
        }
        assert_eq!(parse(None, now()), FALLBACK);
    }

    #[test]
    fn absurd_waits_are_capped() {
        assert_eq!(parse(Some("86400"), now()), MAX);
        assert_eq!(parse(Some("99999999999999999999999"), now()), MAX);
        let next_year = httpdate::fmt_http_date(now() + Duration::from_secs(365 * 86_400));
        assert_eq!(parse(Some(&next_year), now()), MAX);
    }
}
