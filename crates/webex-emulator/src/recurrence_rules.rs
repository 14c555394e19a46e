//! Recurrence rules as Webex's documents show them: which RRULE parts a meeting may carry,
//! the occurrence caps and horizon, and the rule Webex stores (monthly and yearly rules keep
//! their first day only).

use super::state::{ApiError, ApiResult};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// The RRULE parts Cisco's meeting documents show: every example and description uses only
/// these (`FREQ=DAILY;INTERVAL=1;COUNT=10`, `…;UNTIL=21241001T000000Z`,
/// `FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1;…`, and "days or dates" of monthly and yearly
/// rules). `BYSETPOS`, `BYMONTH`, `WKST` and the rest appear nowhere, so they are refused.
const DOCUMENTED_PARTS: [&str; 6] = ["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY"];

/// Checks an RRULE the way Webex documents it and returns the rule Webex would store
/// (monthly and yearly rules keep only their first BYDAY/BYMONTHDAY value).
pub(crate) fn validate_recurrence(
    rule: &str,
    start: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> ApiResult<String> {
    let invalid =
        |why: &str| ApiError::bad_request(format!("Invalid recurrence rule '{rule}': {why}."));
    if rule.to_ascii_uppercase().starts_with("RRULE:") {
        return Err(invalid("omit the 'RRULE:' prefix"));
    }
    let mut parts: Vec<(String, String)> = Vec::new();
    for part in rule.split(';').filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| invalid("expected KEY=VALUE parts"))?;
        let key = key.to_ascii_uppercase();
        if !DOCUMENTED_PARTS.contains(&key.as_str()) {
            return Err(invalid(&format!("unsupported part {key}")));
        }
        if parts.iter().any(|(k, _)| *k == key) {
            return Err(invalid(&format!("{key} appears twice")));
        }
        parts.push((key, value.to_string()));
    }
    let get = |key: &str| {
        parts
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let freq = get("FREQ")
        .ok_or_else(|| invalid("FREQ is required"))?
        .to_ascii_uppercase();
    let max_count = match freq.as_str() {
        "DAILY" => 1826,
        "WEEKLY" => 261,
        "MONTHLY" => 60,
        "YEARLY" => 5,
        _ => return Err(invalid("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")),
    };
    check_days(&freq, get("BYDAY"), get("BYMONTHDAY")).map_err(|why| invalid(&why))?;
    if let Some(interval) = get("INTERVAL") {
        interval
            .parse::<u32>()
            .ok()
            .filter(|i| *i >= 1)
            .ok_or_else(|| invalid("INTERVAL must be a positive integer"))?;
    }
    if get("COUNT").is_some() && get("UNTIL").is_some() {
        return Err(invalid("COUNT and UNTIL are mutually exclusive"));
    }
    if let Some(count) = get("COUNT") {
        let count: u32 = count
            .parse()
            .ok()
            .filter(|c| *c >= 1)
            .ok_or_else(|| invalid("COUNT must be a positive integer"))?;
        if count > max_count {
            return Err(invalid(&format!(
                "at most {max_count} occurrences for {freq}"
            )));
        }
    }
    if let Some(until) = get("UNTIL") {
        let until =
            parse_until(until).ok_or_else(|| invalid("UNTIL must look like 20270101T000000Z"))?;
        if until < start {
            return Err(invalid("UNTIL is before start"));
        }
        if until > now + Duration::days(5 * 365 + 1) {
            return Err(invalid("UNTIL is more than 5 years away"));
        }
    }
    let normalised = parts
        .iter()
        .map(|(key, value)| {
            let keep_first =
                (freq == "MONTHLY" || freq == "YEARLY") && (key == "BYDAY" || key == "BYMONTHDAY");
            let value = if keep_first {
                value.split(',').next().unwrap_or(value)
            } else {
                value
            };
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join(";");
    let parsed: rrule::RRule<rrule::Unvalidated> =
        normalised.parse().map_err(|e| invalid(&format!("{e}")))?;
    let rtz: rrule::Tz = tz.into();
    parsed
        .validate(start.with_timezone(&rtz))
        .map_err(|e| invalid(&format!("{e}")))?;
    Ok(normalised)
}

/// Which day parts each frequency may carry, as far as Cisco's documents show them: a weekly
/// rule its weekdays (`BYDAY=MO,WE`), a monthly rule one day of the month (`BYMONTHDAY=10`)
/// or one weekday with its position (`BYDAY=2TU`, `BYDAY=-1FR`); daily and yearly rules none
/// (a yearly rule without `BYMONTH`, which the documents never show, could not say which
/// month). Lists on monthly rules are left to the "first value only" rule.
fn check_days(freq: &str, by_day: Option<&str>, by_month_day: Option<&str>) -> Result<(), String> {
    let weekday = |code: &str| ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].contains(&code);
    match (freq, by_day, by_month_day) {
        ("DAILY" | "YEARLY", None, None) => Ok(()),
        ("DAILY" | "YEARLY", _, _) => Err(format!("a {freq} rule takes no BYDAY or BYMONTHDAY")),
        ("WEEKLY", _, Some(_)) => Err("a WEEKLY rule takes no BYMONTHDAY".into()),
        ("WEEKLY", Some(days), None) if !days.split(',').all(weekday) => {
            Err("a WEEKLY BYDAY lists weekdays (MO to SU) without positions".into())
        }
        ("WEEKLY", _, None) => Ok(()),
        ("MONTHLY", Some(_), Some(_)) => Err("use BYDAY or BYMONTHDAY, not both".into()),
        ("MONTHLY", Some(days), None) => {
            let first = days.split(',').next().unwrap_or_default();
            let (position, day) = first.split_at(first.len().saturating_sub(2));
            match (position, weekday(day)) {
                ("1" | "2" | "3" | "4" | "-1", true) => Ok(()),
                _ => {
                    Err("a MONTHLY BYDAY is one weekday with its position, like 2TU or -1FR".into())
                }
            }
        }
        ("MONTHLY", None, Some(days)) => {
            let first = days.split(',').next().unwrap_or_default();
            match first.parse::<i32>() {
                Ok(1..=31 | -1) => Ok(()),
                _ => Err("BYMONTHDAY must be a day from 1 to 31, or -1".into()),
            }
        }
        _ => Ok(()),
    }
}

pub(crate) fn parse_until(raw: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = NaiveDateTime::parse_from_str(raw, "%Y%m%dT%H%M%SZ") {
        return Some(at.and_utc());
    }
    chrono::NaiveDate::parse_from_str(raw, "%Y%m%d")
        .ok()?
        .and_hms_opt(23, 59, 59)
        .map(|at| at.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, 8, 30, 20)
            .single()
            .expect("valid")
    }

    #[test]
    fn recurrence_rules_are_checked_and_normalised() {
        let start = Utc
            .with_ymd_and_hms(2027, 3, 2, 9, 0, 0)
            .single()
            .expect("valid");
        let check = |rule: &str| validate_recurrence(rule, start, Tz::Europe__Berlin, now());
        assert_eq!(
            check("FREQ=DAILY;INTERVAL=1;COUNT=10").expect("valid"),
            "FREQ=DAILY;INTERVAL=1;COUNT=10"
        );
        assert_eq!(
            check("FREQ=WEEKLY;BYDAY=MO,WE").expect("valid"),
            "FREQ=WEEKLY;BYDAY=MO,WE"
        );
        assert_eq!(
            check("FREQ=MONTHLY;INTERVAL=1;COUNT=10;BYMONTHDAY=10,11,12").expect("valid"),
            "FREQ=MONTHLY;INTERVAL=1;COUNT=10;BYMONTHDAY=10"
        );
        assert_eq!(
            check("FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=6").expect("the documented form"),
            "FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=6"
        );
        assert_eq!(
            check("FREQ=MONTHLY;BYDAY=-1FR,1MO").expect("only the first day is taken"),
            "FREQ=MONTHLY;BYDAY=-1FR"
        );
        assert_eq!(
            check("FREQ=YEARLY;COUNT=5").expect("valid"),
            "FREQ=YEARLY;COUNT=5"
        );
        for bad in [
            "RRULE:FREQ=DAILY",
            "FREQ=HOURLY",
            "INTERVAL=2",
            "FREQ=DAILY;COUNT=1827",
            "FREQ=YEARLY;COUNT=6",
            "FREQ=DAILY;COUNT=3;UNTIL=20270401T000000Z",
            "FREQ=DAILY;UNTIL=20330401T000000Z",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=DAILY;FREQ=WEEKLY",
            "FREQ=DAILY;COLOR=blue",
            // Parts no Cisco document shows.
            "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
            "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=9",
            "FREQ=WEEKLY;BYDAY=MO;WKST=SU",
            "FREQ=DAILY;BYHOUR=9",
            // Day parts where the documents give them no meaning.
            "FREQ=DAILY;BYDAY=MO",
            "FREQ=YEARLY;BYMONTHDAY=9",
            "FREQ=WEEKLY;BYDAY=2MO",
            "FREQ=WEEKLY;BYMONTHDAY=3",
            "FREQ=MONTHLY;BYDAY=TU",
            "FREQ=MONTHLY;BYDAY=5TU",
            "FREQ=MONTHLY;BYDAY=2TU;BYMONTHDAY=3",
            "FREQ=MONTHLY;BYMONTHDAY=32",
        ] {
            assert!(check(bad).is_err(), "{bad} should be refused");
        }
    }
}
