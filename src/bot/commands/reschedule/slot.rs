//! Where a meeting moves to: what the message wrote, the rest the meeting's own. The grammar
//! says which parts were written ([`NewTime`]); only the bot knows the meeting, so the
//! resolution against it happens here (pure, so that it is tested without Webex).

use chrono::{DateTime, Duration, FixedOffset};
use chrono_tz::Tz;
use scheduler_core::command::{NewEnd, NewTime};
use scheduler_core::schedule::{ScheduleError, localize};

/// A meeting's start and end.
pub(crate) type Slot = (DateTime<FixedOffset>, DateTime<FixedOffset>);

/// The new start and end of a meeting now at `from`, in the zone the message was read in:
///
/// * a day and a time: that start (and end, else the meeting's length);
/// * a time alone: that time on the meeting's own day, as seen in that zone;
/// * a day alone: that day at the meeting's own time of day, keeping its length.
pub(crate) fn new_slot(
    to: &NewTime,
    from: Slot,
) -> Result<(DateTime<Tz>, DateTime<Tz>), ScheduleError> {
    let length = from.1 - from.0;
    match *to {
        NewTime::At { start, end } => Ok((start, end.unwrap_or(start + length))),
        NewTime::Time { start, end, zone } => {
            let day = from.0.with_timezone(&zone).date_naive();
            let new_start = localize(zone, day, start)?;
            let new_end = match end {
                None => new_start + length,
                Some(NewEnd::After(d)) => new_start + d,
                Some(NewEnd::At(t)) => {
                    let end_day = if t > start {
                        day
                    } else {
                        day + Duration::days(1)
                    };
                    localize(zone, end_day, t)?
                }
            };
            Ok((new_start, new_end))
        }
        NewTime::Day { date, zone } => {
            let time = from.0.with_timezone(&zone).time();
            let new_start = localize(zone, date, time)?;
            Ok((new_start, new_start + length))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime, TimeZone};
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::Berlin;

    /// Monday 29 March 2027, 15:00–15:45 in Berlin (the day after the clocks went forward).
    fn monday() -> Slot {
        let start = Berlin.with_ymd_and_hms(2027, 3, 29, 15, 0, 0).unwrap();
        (
            start.fixed_offset(),
            (start + Duration::minutes(45)).fixed_offset(),
        )
    }

    fn berlin(d: u32, h: u32, m: u32) -> DateTime<Tz> {
        Berlin.with_ymd_and_hms(2027, 3, d, h, m, 0).unwrap()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn a_time_alone_keeps_the_meetings_day_and_length() {
        let to = NewTime::Time {
            start: time(10, 0),
            end: None,
            zone: Berlin,
        };
        assert_eq!(
            new_slot(&to, monday()).unwrap(),
            (berlin(29, 10, 0), berlin(29, 10, 45))
        );
    }

    #[test]
    fn a_time_alone_takes_its_end_or_length_and_crosses_midnight_when_written_so() {
        let range = NewTime::Time {
            start: time(16, 0),
            end: Some(NewEnd::At(time(17, 30))),
            zone: Berlin,
        };
        assert_eq!(
            new_slot(&range, monday()).unwrap(),
            (berlin(29, 16, 0), berlin(29, 17, 30))
        );
        let late = NewTime::Time {
            start: time(22, 0),
            end: Some(NewEnd::At(time(1, 0))),
            zone: Berlin,
        };
        assert_eq!(
            new_slot(&late, monday()).unwrap(),
            (berlin(29, 22, 0), berlin(30, 1, 0))
        );
        let long = NewTime::Time {
            start: time(9, 0),
            end: Some(NewEnd::After(Duration::minutes(90))),
            zone: Berlin,
        };
        assert_eq!(new_slot(&long, monday()).unwrap().1, berlin(29, 10, 30));
    }

    #[test]
    fn the_meetings_day_is_the_day_in_the_zone_the_time_was_written_in() {
        // 15:00 Monday in Berlin is 09:00 Monday in New York; 23:30 in Berlin is 17:30 there.
        let to = NewTime::Time {
            start: time(8, 0),
            end: None,
            zone: New_York,
        };
        let (start, _) = new_slot(&to, monday()).unwrap();
        assert_eq!(
            start,
            New_York.with_ymd_and_hms(2027, 3, 29, 8, 0, 0).unwrap()
        );
        let late = Berlin.with_ymd_and_hms(2027, 3, 29, 3, 0, 0).unwrap();
        let from = (
            late.fixed_offset(),
            (late + Duration::hours(1)).fixed_offset(),
        );
        let (start, _) = new_slot(&to, from).unwrap();
        assert_eq!(
            start.date_naive(),
            NaiveDate::from_ymd_opt(2027, 3, 28).unwrap(),
            "03:00 Monday in Berlin is still Sunday in New York"
        );
    }

    #[test]
    fn a_day_alone_keeps_the_wall_time_across_a_clock_change() {
        // From Monday 15:00 CEST back to Wednesday 24 March 15:00 CET.
        let to = NewTime::Day {
            date: NaiveDate::from_ymd_opt(2027, 3, 24).unwrap(),
            zone: Berlin,
        };
        assert_eq!(
            new_slot(&to, monday()).unwrap(),
            (berlin(24, 15, 0), berlin(24, 15, 45))
        );
    }

    #[test]
    fn a_day_and_a_time_are_taken_as_written() {
        let start = berlin(26, 10, 0);
        let keep = NewTime::At { start, end: None };
        assert_eq!(
            new_slot(&keep, monday()).unwrap(),
            (start, start + Duration::minutes(45))
        );
        let end = berlin(26, 12, 0);
        let both = NewTime::At {
            start,
            end: Some(end),
        };
        assert_eq!(new_slot(&both, monday()).unwrap(), (start, end));
    }

    /// The table under "Rescheduling" in docs/command-language.md, row by row: the grammar
    /// reads the text, then the meeting is resolved as the bot does.
    #[test]
    fn the_docs_rescheduling_table_holds() {
        use chrono::Utc;
        use scheduler_core::command::{Command, Context, parse};
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/command-language.md");
        let docs = std::fs::read_to_string(path).unwrap();
        let section = docs.split("### Rescheduling").nth(1).unwrap();
        let section = section.split("\n### ").next().unwrap();
        let now = Utc.with_ymd_and_hms(2027, 3, 24, 9, 0, 0).unwrap();
        let ctx = Context::new(now, Berlin);
        let mut rows = 0;
        for line in section.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let (text, want) = (cells[1].trim_matches('`'), cells[2]);
            let Ok(Command::Reschedule { to, .. }) = parse(text, &ctx) else {
                panic!("{text:?} is no reschedule");
            };
            let (start, end) = new_slot(&to, monday()).unwrap();
            let got = crate::bot::plan::span(
                &start.fixed_offset(),
                &end.fixed_offset(),
                start.timezone(),
            );
            assert_eq!(got, want, "{text}");
            rows += 1;
        }
        assert!(rows >= 10, "only {rows} rows found");
    }

    #[test]
    fn a_time_that_does_not_exist_on_the_meetings_day_is_refused() {
        let sunday = berlin(28, 10, 0);
        let from = (
            sunday.fixed_offset(),
            (sunday + Duration::hours(1)).fixed_offset(),
        );
        let to = NewTime::Time {
            start: time(2, 30),
            end: None,
            zone: Berlin,
        };
        assert!(matches!(
            new_slot(&to, from),
            Err(ScheduleError::NonexistentTime { .. })
        ));
    }
}
