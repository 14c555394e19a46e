//! Reminder timing across both daylight-saving changes in three zones (northern Europe,
//! North America on different dates, and the southern hemisphere, where the changes are the
//! other way round).

use super::*;
use crate::schedule::{Pattern, Recurrence, RecurrenceEnd, WeekdaySet};
use chrono::{Timelike, Weekday};
use chrono_tz::America::New_York;
use chrono_tz::Australia::Sydney;
use chrono_tz::Europe::Berlin;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn daily(end: RecurrenceEnd) -> Recurrence {
    Recurrence {
        pattern: Pattern::Daily,
        interval: 1,
        end,
    }
}

/// A daily 09:00 series in `zone` starting two days before `change`; its reminders ten minutes
/// before, for the days before and after the change.
fn dues_around(zone: Tz, change: NaiveDate) -> Vec<DateTime<Utc>> {
    let first = zone
        .from_local_datetime(&(change - Duration::days(2)).and_time(hm(9, 0)))
        .unwrap();
    let from = first.with_timezone(&Utc) - Duration::days(1);
    let starts = occurrence_starts(
        first,
        Some(&daily(RecurrenceEnd::Never)),
        from,
        from + Duration::hours(4 * 24 + 12),
    );
    starts
        .into_iter()
        .map(
            |start| match reminder_timing(from, start, ReminderLead::DEFAULT) {
                ReminderTiming::At(due) => due,
                other => panic!("{other:?}"),
            },
        )
        .collect()
}

#[test]
fn a_daily_reminder_stays_at_the_same_wall_time_across_both_changes_in_three_zones() {
    // (zone, day of the change, due on the day before, due on the day of the change)
    let cases = [
        (
            Berlin,
            day(2027, 3, 28),
            "2027-03-27T07:50:00Z",
            "2027-03-28T06:50:00Z",
        ),
        (
            Berlin,
            day(2027, 10, 31),
            "2027-10-30T06:50:00Z",
            "2027-10-31T07:50:00Z",
        ),
        (
            New_York,
            day(2027, 3, 14),
            "2027-03-13T13:50:00Z",
            "2027-03-14T12:50:00Z",
        ),
        (
            New_York,
            day(2027, 11, 7),
            "2027-11-06T12:50:00Z",
            "2027-11-07T13:50:00Z",
        ),
        (
            Sydney,
            day(2027, 4, 4),
            "2027-04-02T21:50:00Z",
            "2027-04-03T22:50:00Z",
        ),
        (
            Sydney,
            day(2027, 10, 3),
            "2027-10-01T22:50:00Z",
            "2027-10-02T21:50:00Z",
        ),
    ];
    for (zone, change, before, on) in cases {
        let dues = dues_around(zone, change);
        assert_eq!(dues.len(), 4, "{zone} {change}: {dues:?}");
        assert_eq!(dues[1], utc(before), "{zone} day before {change}");
        assert_eq!(dues[2], utc(on), "{zone} day of {change}");
        for due in &dues {
            let local = due.with_timezone(&zone);
            assert_eq!((local.hour(), local.minute()), (8, 50), "{zone} {due}");
        }
    }
}

#[test]
fn the_lead_is_elapsed_time_even_when_the_clocks_change_within_it() {
    // 03:10 summer time on the night Berlin springs forward is 01:10Z; twenty real minutes
    // before is 00:50Z, which clocks showed as 01:50 winter time.
    let start = occurrence_start(Berlin, day(2027, 3, 28), hm(3, 10));
    assert_eq!(start, utc("2027-03-28T01:10:00Z"));
    let now = utc("2027-03-27T12:00:00Z");
    let ReminderTiming::At(due) = reminder_timing(now, start, ReminderLead::Minutes(20)) else {
        panic!("due later");
    };
    assert_eq!(due, utc("2027-03-28T00:50:00Z"));
    assert_eq!(
        due.with_timezone(&Berlin).format("%H:%M %Z").to_string(),
        "01:50 CET"
    );
    // In Sydney's autumn the hour 02:00-03:00 comes twice; 02:30 is the first one.
    let start = occurrence_start(Sydney, day(2027, 4, 4), hm(2, 30));
    assert_eq!(start, utc("2027-04-03T15:30:00Z"));
}

#[test]
fn an_occurrence_in_the_spring_gap_is_read_with_the_offset_before_the_gap() {
    assert_eq!(
        occurrence_start(Berlin, day(2027, 3, 28), hm(2, 30)),
        utc("2027-03-28T01:30:00Z")
    );
    assert_eq!(
        occurrence_start(New_York, day(2027, 3, 14), hm(2, 30)),
        utc("2027-03-14T07:30:00Z")
    );
    assert_eq!(
        occurrence_start(Sydney, day(2027, 10, 3), hm(2, 30)),
        utc("2027-10-02T16:30:00Z")
    );
    // The repeated hour in New York's autumn: the first 01:30 (daylight time).
    assert_eq!(
        occurrence_start(New_York, day(2027, 11, 7), hm(1, 30)),
        utc("2027-11-07T05:30:00Z")
    );
}

#[test]
fn only_occurrences_inside_the_planning_window_are_returned() {
    let first = Berlin.with_ymd_and_hms(2027, 1, 4, 9, 0, 0).unwrap();
    let from = utc("2027-02-01T00:00:00Z");
    let until = from + Duration::days(PLAN_AHEAD_DAYS);
    let open = occurrence_starts(first, Some(&daily(RecurrenceEnd::Never)), from, until);
    assert_eq!(open.len(), 7);
    assert_eq!(open[0], utc("2027-02-01T08:00:00Z"));
    let weekly = Recurrence {
        pattern: Pattern::Weekly(WeekdaySet::single(Weekday::Mon).with(Weekday::Thu)),
        interval: 1,
        end: RecurrenceEnd::Never,
    };
    assert_eq!(
        occurrence_starts(first, Some(&weekly), from, until).len(),
        2
    );
    // A series that ended (COUNT or UNTIL) before the window has nothing left to remind of.
    let counted = occurrence_starts(first, Some(&daily(RecurrenceEnd::Count(30))), from, until);
    assert_eq!(
        counted,
        vec![utc("2027-02-01T08:00:00Z"), utc("2027-02-02T08:00:00Z")]
    );
    let until_end = RecurrenceEnd::Until {
        date: day(2027, 2, 3),
        instant: utc("2027-02-03T22:59:59Z"),
    };
    assert_eq!(
        occurrence_starts(first, Some(&daily(until_end)), from, until).len(),
        3
    );
    // A single meeting: itself if inside the window, nothing otherwise.
    assert!(occurrence_starts(first, None, from, until).is_empty());
    assert_eq!(
        occurrence_starts(first, None, utc("2027-01-04T00:00:00Z"), from).len(),
        1
    );
}

#[test]
fn a_reminder_is_posted_on_time_late_or_not_at_all() {
    let start = utc("2027-05-10T09:00:00Z");
    let lead = ReminderLead::Minutes(10);
    assert_eq!(
        reminder_timing(utc("2027-05-10T08:00:00Z"), start, lead),
        ReminderTiming::At(utc("2027-05-10T08:50:00Z"))
    );
    assert_eq!(
        reminder_timing(utc("2027-05-10T08:55:00Z"), start, lead),
        ReminderTiming::Now
    );
    assert_eq!(reminder_timing(start, start, lead), ReminderTiming::Skip);
    assert_eq!(
        reminder_timing(utc("2027-05-10T08:00:00Z"), start, ReminderLead::Off),
        ReminderTiming::Skip
    );
    assert_eq!(
        time_until(utc("2027-05-10T08:49:58Z"), start),
        "in 10 minutes"
    );
    assert_eq!(
        time_until(utc("2027-05-10T07:55:00Z"), start),
        "in 1 hour 5 minutes"
    );
    assert_eq!(time_until(utc("2027-05-10T08:00:00Z"), start), "in 1 hour");
    assert_eq!(time_until(utc("2027-05-10T08:59:50Z"), start), "now");
}

#[test]
fn lead_times_are_read_strictly() {
    assert_eq!(ReminderLead::parse("10m"), Some(ReminderLead::Minutes(10)));
    assert_eq!(
        ReminderLead::parse("15 min"),
        Some(ReminderLead::Minutes(15))
    );
    assert_eq!(ReminderLead::parse("1h"), Some(ReminderLead::Minutes(60)));
    assert_eq!(ReminderLead::parse("OFF"), Some(ReminderLead::Off));
    for bad in ["", "10", "0m", "25h", "ten minutes", "10 parsecs", "-5m"] {
        assert_eq!(ReminderLead::parse(bad), None, "{bad:?}");
    }
    for lead in [ReminderLead::Off, ReminderLead::Minutes(45)] {
        assert_eq!(ReminderLead::from_stored(lead.as_stored()), lead);
    }
    assert_eq!(ReminderLead::Minutes(90).to_string(), "1 hour 30 minutes");
}

#[test]
fn a_stored_rrule_gives_the_same_starts_as_the_request_it_came_from() {
    let first = New_York.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap();
    let weekly = Recurrence {
        pattern: Pattern::Weekly(WeekdaySet::single(Weekday::Mon).with(Weekday::Fri)),
        interval: 1,
        end: RecurrenceEnd::Never,
    };
    let from = utc("2027-03-08T00:00:00Z");
    let until = utc("2027-03-22T00:00:00Z");
    let from_rule = rrule_starts_between(&weekly.to_rrule(), first, from, until).unwrap();
    assert_eq!(
        from_rule,
        occurrence_starts(first, Some(&weekly), from, until)
    );
    // Mon 8 Mar (EST), Fri 12, then Mon 15 and Fri 19 in daylight time.
    assert_eq!(from_rule.len(), 4);
    assert_eq!(from_rule[0], utc("2027-03-08T14:00:00Z"));
    assert_eq!(from_rule[2], utc("2027-03-15T13:00:00Z"));
    assert!(rrule_starts_between("FREQ=SOMETIMES", first, from, until).is_none());
}
