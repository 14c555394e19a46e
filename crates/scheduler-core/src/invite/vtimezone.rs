//! VTIMEZONE components generated from chrono-tz's copy of the tz database.
//!
//! No crate writes VTIMEZONE, and the icalendar crate would stamp DTSTAMP/UID onto one pushed
//! through its model (which makes python-icalendar fail), so the text is produced here and
//! spliced into the calendar by the caller.
//!
//! Outlook keeps only one yearly STANDARD and one yearly DAYLIGHT rule (MS-STANOICAL §2.2.47),
//! so the preferred output is two RRULE-style observances. They are anchored in 1970: ical.js
//! uses offset 0 for any time before the first observance, so an anchor at the meeting's own
//! transition would shift every earlier occurrence. The rule is only emitted after it has been
//! checked against the real transitions of every year the meeting may touch; zones whose rules
//! cannot be written that way (more than two changes a year, rules that change) get one dated
//! observance per transition instead, which every RFC 5545 parser understands.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock};

/// First and last calendar year the component must describe correctly.
#[derive(Debug, Clone, Copy)]
pub struct Coverage {
    pub first_year: i32,
    pub last_year: i32,
}

/// One change of UTC offset.
#[derive(Debug, Clone, PartialEq)]
struct Transition {
    at: DateTime<Utc>,
    from: i32,
    to: i32,
    dst: bool,
    name: String,
}

impl Transition {
    /// The wall-clock time at which the change happens, read in the offset before it, which is
    /// how RFC 5545 wants an observance's DTSTART.
    fn local_start(&self) -> NaiveDateTime {
        self.at.naive_utc() + Duration::seconds(i64::from(self.from))
    }
}

/// "The n-th (or last, n = -1) `weekday` of `month` at `time`", the only shape Outlook reads.
#[derive(Debug, Clone, Copy, PartialEq)]
struct YearlyRule {
    month: u32,
    weekday: Weekday,
    nth: i8,
    time: chrono::NaiveTime,
}

impl YearlyRule {
    fn date_in(&self, year: i32) -> Option<NaiveDate> {
        if self.nth > 0 {
            NaiveDate::from_weekday_of_month_opt(year, self.month, self.weekday, self.nth as u8)
        } else {
            let first_of_next = if self.month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(year, self.month + 1, 1)?
            };
            let mut day = first_of_next.pred_opt()?;
            while day.weekday() != self.weekday {
                day = day.pred_opt()?;
            }
            Some(day)
        }
    }

    fn local_start_in(&self, year: i32) -> Option<NaiveDateTime> {
        Some(self.date_in(year)?.and_time(self.time))
    }

    fn rrule(&self) -> String {
        format!(
            "FREQ=YEARLY;BYMONTH={};BYDAY={}{}",
            self.month,
            self.nth,
            weekday_code(self.weekday)
        )
    }

    /// The rules a transition on this local day could be an instance of.
    fn candidates(local: NaiveDateTime) -> Vec<YearlyRule> {
        let date = local.date();
        let nth = ((date.day() - 1) / 7 + 1) as i8;
        let base = YearlyRule {
            month: date.month(),
            weekday: date.weekday(),
            nth,
            time: local.time(),
        };
        let mut out = Vec::with_capacity(2);
        if nth <= 4 {
            out.push(base);
        }
        if date.day() + 7 > days_in_month(date.year(), date.month()) {
            out.push(YearlyRule { nth: -1, ..base });
        }
        out
    }
}

/// Zone, first year, last year.
type CacheKey = (Tz, i32, i32);

/// The VTIMEZONE component (CRLF line ends) for `tz`, correct for every instant of `coverage`.
///
/// Memoised: the text depends only on the arguments, and every recipient of every invitation
/// needs the same few zones.
pub fn vtimezone(tz: Tz, coverage: Coverage) -> String {
    static CACHE: OnceLock<Mutex<HashMap<CacheKey, String>>> = OnceLock::new();
    let key = (tz, coverage.first_year, coverage.last_year);
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(text) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return text;
    }
    let text = generate(tz, coverage);
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, text.clone());
    }
    text
}

fn generate(tz: Tz, coverage: Coverage) -> String {
    let years: Vec<Vec<Transition>> = (coverage.first_year..=coverage.last_year)
        .map(|year| transitions_in_year(tz, year))
        .collect();
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VTIMEZONE");
    push_line(&mut out, &format!("TZID:{}", tz.name()));
    if years.iter().all(Vec::is_empty) {
        write_fixed_offset(&mut out, tz, coverage);
    } else if let Some(rules) = yearly_rules(&years) {
        for (rule, transition) in rules {
            write_observance(
                &mut out,
                &transition,
                rule.local_start_in(1970)
                    .unwrap_or_else(|| transition.local_start()),
                Some(&rule.rrule()),
            );
        }
    } else {
        write_dated_observances(&mut out, tz, coverage, &years);
    }
    push_line(&mut out, "END:VTIMEZONE");
    out
}

/// Two rules that reproduce every transition of every covered year, or `None`.
fn yearly_rules(years: &[Vec<Transition>]) -> Option<Vec<(YearlyRule, Transition)>> {
    if years.iter().any(|transitions| transitions.len() != 2) {
        return None;
    }
    let first_year = &years[0];
    let first_year_number = first_year[0].local_start().year();
    let mut chosen = Vec::with_capacity(2);
    for (index, transition) in first_year.iter().enumerate() {
        let rule = YearlyRule::candidates(transition.local_start())
            .into_iter()
            .find(|rule| {
                years.iter().enumerate().all(|(offset, transitions)| {
                    let year = first_year_number + offset as i32;
                    let actual = &transitions[index];
                    rule.local_start_in(year) == Some(actual.local_start())
                        && actual.from == transition.from
                        && actual.to == transition.to
                })
            })?;
        chosen.push((rule, transition.clone()));
    }
    Some(chosen)
}

fn write_fixed_offset(out: &mut String, tz: Tz, coverage: Coverage) {
    let probe = Utc
        .with_ymd_and_hms(coverage.first_year, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let (offset, _, name) = offset_at(tz, probe);
    let standing = Transition {
        at: probe,
        from: offset,
        to: offset,
        dst: false,
        name,
    };
    let anchor = NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_else(|| standing.local_start());
    write_observance(out, &standing, anchor, None);
}

/// One observance per transition, starting with the last real transition before the
/// coverage, so the first observance is already in force when the meeting starts. (A
/// synthetic "offset stays the same" observance at the start of coverage made vobject and
/// dateutil misread the hour before the next change.)
fn write_dated_observances(
    out: &mut String,
    tz: Tz,
    coverage: Coverage,
    years: &[Vec<Transition>],
) {
    let earlier = (coverage.first_year - 50..coverage.first_year)
        .rev()
        .find_map(|year| transitions_in_year(tz, year).pop());
    let transitions: Vec<Transition> = earlier
        .into_iter()
        .chain(years.iter().flatten().cloned())
        .enumerate()
        .map(|(index, t)| Transition {
            // Labels follow the offsets (Morocco's tz data calls both of its offsets
            // standard), except that the anchor is STANDARD: vobject misplaces every later
            // change when the first observance is a DAYLIGHT one.
            dst: index > 0 && t.to > t.from,
            ..t
        })
        .collect();
    if transitions
        .first()
        .is_none_or(|t| t.at.year() >= coverage.first_year)
    {
        write_fixed_offset(out, tz, coverage);
    }
    for transition in &transitions {
        write_observance(out, transition, transition.local_start(), None);
    }
}

fn write_observance(
    out: &mut String,
    transition: &Transition,
    dtstart: NaiveDateTime,
    rrule: Option<&str>,
) {
    let kind = if transition.dst {
        "DAYLIGHT"
    } else {
        "STANDARD"
    };
    push_line(out, &format!("BEGIN:{kind}"));
    push_line(out, &format!("DTSTART:{}", dtstart.format("%Y%m%dT%H%M%S")));
    if let Some(rrule) = rrule {
        push_line(out, &format!("RRULE:{rrule}"));
    }
    push_line(
        out,
        &format!("TZOFFSETFROM:{}", format_offset(transition.from)),
    );
    push_line(out, &format!("TZOFFSETTO:{}", format_offset(transition.to)));
    let name: String = transition
        .name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '-')
        .collect();
    if !name.is_empty() {
        push_line(out, &format!("TZNAME:{name}"));
    }
    push_line(out, &format!("END:{kind}"));
}

/// Every offset change whose instant lies in `year` (UTC), found day by day and then narrowed
/// to the second (no zone changes its offset twice within a day).
fn transitions_in_year(tz: Tz, year: i32) -> Vec<Transition> {
    let (Some(start), Some(end)) = (
        Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).single(),
        Utc.with_ymd_and_hms(year + 1, 1, 1, 0, 0, 0).single(),
    ) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut cursor = start;
    let mut current = offset_at(tz, cursor);
    while cursor < end {
        let next = cursor + Duration::days(1);
        let after = offset_at(tz, next);
        if after.0 != current.0 {
            let at = first_instant_with_new_offset(tz, cursor, next, current.0);
            if at < end {
                found.push(Transition {
                    at,
                    from: current.0,
                    to: after.0,
                    dst: after.1,
                    name: after.2.clone(),
                });
            }
        }
        current = after;
        cursor = next;
    }
    mark_daylight_by_size(&mut found);
    found
}

/// With two changes a year, the observance with the larger offset is the summer one, whatever
/// the tz database calls it (Europe/Dublin's "negative DST" would otherwise invert them).
fn mark_daylight_by_size(transitions: &mut [Transition]) {
    if let [a, b] = transitions {
        let a_is_summer = a.to > b.to;
        a.dst = a_is_summer;
        b.dst = !a_is_summer;
    }
}

fn first_instant_with_new_offset(
    tz: Tz,
    mut before: DateTime<Utc>,
    mut after: DateTime<Utc>,
    old_offset: i32,
) -> DateTime<Utc> {
    while after - before > Duration::seconds(1) {
        let middle = before + (after - before) / 2;
        if offset_at(tz, middle).0 == old_offset {
            before = middle;
        } else {
            after = middle;
        }
    }
    after
}

/// Total UTC offset in seconds, whether it counts as daylight time, and its abbreviation.
fn offset_at(tz: Tz, at: DateTime<Utc>) -> (i32, bool, String) {
    let offset = tz.offset_from_utc_datetime(&at.naive_utc());
    let total = (offset.base_utc_offset() + offset.dst_offset()).num_seconds() as i32;
    let dst = !offset.dst_offset().is_zero();
    (
        total,
        dst,
        offset.abbreviation().unwrap_or_default().to_owned(),
    )
}

fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let (hours, minutes, secs) = (abs / 3600, (abs % 3600) / 60, abs % 60);
    let mut out = format!("{sign}{hours:02}{minutes:02}");
    if secs != 0 {
        let _ = write!(out, "{secs:02}");
    }
    out
}

fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).map_or(31, |d| d.day())
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coverage(year: i32) -> Coverage {
        Coverage {
            first_year: year,
            last_year: year + 4,
        }
    }

    #[test]
    fn berlin_gets_two_rrule_observances_anchored_in_1970() {
        let text = vtimezone(chrono_tz::Europe::Berlin, coverage(2026));
        assert!(text.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT"
        ), "{text}");
        assert!(text.contains(
            "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"
        ), "{text}");
    }

    #[test]
    fn new_york_uses_second_and_first_sundays() {
        let text = vtimezone(chrono_tz::America::New_York, coverage(2026));
        assert!(
            text.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
            "{text}"
        );
        assert!(
            text.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"),
            "{text}"
        );
        assert!(
            text.contains("TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400"),
            "{text}"
        );
    }

    #[test]
    fn sydney_summer_starts_in_october() {
        let text = vtimezone(chrono_tz::Australia::Sydney, coverage(2026));
        assert!(text.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:19701004T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100"
        ), "{text}");
        assert!(
            text.contains("RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU"),
            "{text}"
        );
    }

    #[test]
    fn a_zone_without_dst_has_one_standard_observance() {
        let text = vtimezone(chrono_tz::Asia::Kolkata, coverage(2026));
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1);
        assert!(!text.contains("DAYLIGHT"));
        assert!(
            text.contains("TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530"),
            "{text}"
        );
    }

    #[test]
    fn a_zone_with_irregular_changes_gets_dated_observances() {
        // Morocco suspends its offset around Ramadan: more than two changes in a year.
        let text = vtimezone(chrono_tz::Africa::Casablanca, coverage(2026));
        assert!(!text.contains("RRULE"), "{text}");
        assert!(text.matches("BEGIN:").count() > 3, "{text}");
    }

    #[test]
    fn generated_rules_reproduce_chrono_tz_for_every_hour_of_the_coverage() {
        for tz in [
            chrono_tz::Europe::Berlin,
            chrono_tz::America::New_York,
            chrono_tz::Australia::Sydney,
            chrono_tz::Europe::Dublin,
        ] {
            let years: Vec<_> = (2026..=2030).map(|y| transitions_in_year(tz, y)).collect();
            let rules = yearly_rules(&years).expect("two yearly rules");
            for (offset, transitions) in years.iter().enumerate() {
                for ((rule, _), actual) in rules.iter().zip(transitions) {
                    assert_eq!(
                        rule.local_start_in(2026 + offset as i32),
                        Some(actual.local_start()),
                        "{tz}"
                    );
                }
            }
        }
    }
}
