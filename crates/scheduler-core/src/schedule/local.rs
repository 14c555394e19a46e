//! Wall-clock times to instants, in a zone with daylight-saving changes.

use super::ScheduleError;
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant at which `date` `time` is shown on clocks in `zone`.
///
/// A time that occurs twice (the hour repeated when clocks go back) is the first of the two.
/// A time that does not exist (skipped when clocks go forward) is refused, naming the gap.
pub fn localize(zone: Tz, date: NaiveDate, time: NaiveTime) -> Result<DateTime<Tz>, ScheduleError> {
    let wall = date.and_time(time);
    match zone.from_local_datetime(&wall) {
        LocalResult::Single(at) => Ok(at),
        LocalResult::Ambiguous(first, _) => Ok(first),
        LocalResult::None => {
            let (gap_start, gap_end) = gap_around(zone, wall);
            Err(ScheduleError::NonexistentTime {
                wall,
                zone,
                gap_start,
                gap_end,
            })
        }
    }
}

/// The wall-clock bounds of the spring-forward gap that swallows `wall`: the first skipped
/// minute and the first minute that exists again.
fn gap_around(zone: Tz, wall: NaiveDateTime) -> (NaiveTime, NaiveTime) {
    if let Some(gap) = chrono_tz::GapInfo::new(&wall, &zone)
        && let (Some((begin, _)), Some(end)) = (gap.begin, gap.end)
    {
        return (begin.time(), end.naive_local().time());
    }
    // Only at the very ends of the zone's known history; walk minute by minute.
    let exists = |w: NaiveDateTime| !matches!(zone.from_local_datetime(&w), LocalResult::None);
    let mut start = wall;
    for _ in 0..(24 * 60) {
        let before = start - Duration::minutes(1);
        if exists(before) {
            break;
        }
        start = before;
    }
    let mut end = wall;
    for _ in 0..(24 * 60) {
        end += Duration::minutes(1);
        if exists(end) {
            break;
        }
    }
    (start.time(), end.time())
}

/// `instant` with its seconds (and fractions) dropped.
pub fn floor_to_minute(instant: DateTime<Utc>) -> DateTime<Utc> {
    let seconds = instant.timestamp();
    DateTime::from_timestamp(seconds - seconds.rem_euclid(60), 0).unwrap_or(instant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;

    #[test]
    fn the_spring_gap_is_named_and_the_autumn_overlap_takes_the_first() {
        let date = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap();
        let err = localize(Berlin, date, NaiveTime::from_hms_opt(2, 30, 0).unwrap()).unwrap_err();
        match err {
            ScheduleError::NonexistentTime {
                gap_start, gap_end, ..
            } => {
                assert_eq!(gap_start, NaiveTime::from_hms_opt(2, 0, 0).unwrap());
                assert_eq!(gap_end, NaiveTime::from_hms_opt(3, 0, 0).unwrap());
            }
            other => panic!("{other:?}"),
        }
        let date = NaiveDate::from_ymd_opt(2027, 10, 31).unwrap();
        let at = localize(Berlin, date, NaiveTime::from_hms_opt(2, 30, 0).unwrap()).unwrap();
        assert_eq!(at.to_rfc3339(), "2027-10-31T02:30:00+02:00");
    }
}
