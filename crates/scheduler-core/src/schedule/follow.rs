//! A series' rule after its first meeting moves: the rule keeps describing the start.

use super::recurrence::{last_day_of_month, rrule_day, weekday_from_rrule};
use chrono::{Datelike, NaiveDate, Weekday};

/// A series' rule after its start moves from `old` to `new` (local dates), so the pattern keeps
/// describing the start: "every Monday" moved to a Wednesday meets on Wednesdays. A weekly
/// rule whose days already include the new day is kept (moving "every weekday" from Monday to
/// Tuesday changes the start, not the days); otherwise every day shifts by the same number of
/// days. A monthly rule on a weekday takes the new date's weekday and position, written as
/// Webex's documents allow (`BYDAY=2TU`; a `BYSETPOS` from an older rule is folded into it);
/// one on a day of the month takes the new day. A yearly rule follows its start by itself
/// (`FREQ=YEARLY`), and an older one naming `BYMONTH`/`BYMONTHDAY` gets the new date there.
/// Interval, count and end are kept; a rule this cannot read is returned unchanged.
pub fn follow_new_start(rule: &str, old: NaiveDate, new: NaiveDate) -> String {
    let mut parts: Vec<(String, String)> = rule
        .split(';')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_ascii_uppercase(), v.to_string()))
        .collect();
    let freq = rule_part(&parts, "FREQ").unwrap_or_default();
    let by_day = rule_part(&parts, "BYDAY");
    match (freq.as_str(), by_day) {
        ("WEEKLY", Some(days)) => {
            let Some(days) = days
                .split(',')
                .map(weekday_from_rrule)
                .collect::<Option<Vec<Weekday>>>()
            else {
                return rule.to_string();
            };
            if !days.contains(&new.weekday()) {
                let names = shifted_days(&days, old, new);
                set_rule_part(&mut parts, "BYDAY", names.join(","));
            }
        }
        ("MONTHLY", Some(day)) => {
            let was_last =
                day.starts_with("-1") || rule_part(&parts, "BYSETPOS").as_deref() == Some("-1");
            let position = month_position(new, was_last);
            set_rule_part(
                &mut parts,
                "BYDAY",
                format!("{position}{}", rrule_day(new.weekday())),
            );
            parts.retain(|(k, _)| k != "BYSETPOS");
        }
        ("MONTHLY", None) => set_rule_part(&mut parts, "BYMONTHDAY", new.day().to_string()),
        ("YEARLY", _) => {
            set_rule_part(&mut parts, "BYMONTH", new.month().to_string());
            set_rule_part(&mut parts, "BYMONTHDAY", new.day().to_string());
        }
        _ => {}
    }
    parts
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// Every day of a weekly rule moved by as many days as the start moved, in week order.
fn shifted_days(days: &[Weekday], old: NaiveDate, new: NaiveDate) -> Vec<&'static str> {
    let shift =
        (7 + new.weekday().num_days_from_monday() - old.weekday().num_days_from_monday()) % 7;
    let mut shifted: Vec<Weekday> = days
        .iter()
        .map(|d| Weekday::try_from(((d.num_days_from_monday() + shift) % 7) as u8))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|_| days.to_vec());
    shifted.sort_by_key(Weekday::num_days_from_monday);
    shifted.into_iter().map(rrule_day).collect()
}

/// Which of its weekday `date` is in its month: 1 to 4, or -1 for the last when it was the
/// last before or is the fifth (a fifth one is not in every month).
fn month_position(date: NaiveDate, was_last: bool) -> i8 {
    let nth = ((date.day() - 1) / 7 + 1) as i8;
    let in_last_week =
        last_day_of_month(date.year(), date.month()).is_some_and(|l| l.day() - date.day() < 7);
    if in_last_week && (was_last || nth == 5) {
        -1
    } else {
        nth
    }
}

fn rule_part(parts: &[(String, String)], key: &str) -> Option<String> {
    parts.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

fn set_rule_part(parts: &mut [(String, String)], key: &str, value: String) {
    if let Some(slot) = parts.iter_mut().find(|(k, _)| k == key) {
        slot.1 = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_series_rule_follows_its_new_start() {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2027, m, day).unwrap();
        // Monday 1 March 2027 → Wednesday 3 March.
        let moved = |rule: &str, to: NaiveDate| follow_new_start(rule, d(3, 1), to);
        assert_eq!(
            moved("FREQ=WEEKLY;BYDAY=MO;COUNT=4", d(3, 3)),
            "FREQ=WEEKLY;BYDAY=WE;COUNT=4"
        );
        assert_eq!(
            moved("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", d(3, 7)),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE,SU",
            "every day shifts by six"
        );
        assert_eq!(
            moved("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", d(3, 2)),
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "a day already in the set keeps the days"
        );
        assert_eq!(
            moved("FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20271231T225959Z", d(3, 15)),
            "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20271231T225959Z"
        );
        // The 1st Monday → Tuesday 9 March, the 2nd Tuesday; → Wednesday 31 March, the last.
        assert_eq!(
            moved("FREQ=MONTHLY;BYDAY=1MO", d(3, 9)),
            "FREQ=MONTHLY;BYDAY=2TU"
        );
        assert_eq!(
            moved("FREQ=MONTHLY;BYDAY=1MO;COUNT=3", d(3, 31)),
            "FREQ=MONTHLY;BYDAY=-1WE;COUNT=3"
        );
        // The last Monday stays the last of its weekday when it lands in the last week.
        assert_eq!(
            moved("FREQ=MONTHLY;BYDAY=-1MO", d(3, 25)),
            "FREQ=MONTHLY;BYDAY=-1TH"
        );
        // An older rule written with BYSETPOS comes out in the documented form.
        assert_eq!(
            moved("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1", d(3, 9)),
            "FREQ=MONTHLY;BYDAY=2TU"
        );
        assert_eq!(
            moved("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1", d(3, 26)),
            "FREQ=MONTHLY;BYDAY=-1FR"
        );
        assert_eq!(moved("FREQ=YEARLY;COUNT=3", d(4, 2)), "FREQ=YEARLY;COUNT=3");
        assert_eq!(
            moved("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", d(4, 2)),
            "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=2"
        );
        assert_eq!(moved("FREQ=DAILY;COUNT=5", d(3, 3)), "FREQ=DAILY;COUNT=5");
        assert_eq!(
            moved("FREQ=WEEKLY;BYDAY=XX", d(3, 3)),
            "FREQ=WEEKLY;BYDAY=XX"
        );
    }
}
