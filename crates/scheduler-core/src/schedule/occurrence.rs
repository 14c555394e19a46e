//! Where one occurrence of a series may move.
//!
//! Webex keeps every occurrence of a series in its own place: a moved occurrence must stay
//! after the day of the previous occurrence and before the day of the next one, days counted
//! in the meeting's zone (the Meetings guide's restriction on updating a scheduled meeting,
//! error `meeting.err.two_meeting_schedule_at_same_day`). The bot checks this before asking
//! Webex, so the person hears which days are possible instead of a refusal code.

use chrono::NaiveDate;
use std::fmt;

/// The days an occurrence may move to: strictly after `previous` and strictly before `next`
/// (either may be absent: the first occurrence has no previous one, an open end no next).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OccurrenceWindow {
    pub previous: Option<NaiveDate>,
    pub next: Option<NaiveDate>,
}

impl OccurrenceWindow {
    /// The window of the occurrence now on `current`, given the days of the series' other
    /// occurrences (any order; others on the same day as it are neither before nor after).
    pub fn around(current: NaiveDate, others: impl IntoIterator<Item = NaiveDate>) -> Self {
        let mut window = OccurrenceWindow {
            previous: None,
            next: None,
        };
        for day in others {
            if day < current && window.previous.is_none_or(|p| day > p) {
                window.previous = Some(day);
            }
            if day > current && window.next.is_none_or(|n| day < n) {
                window.next = Some(day);
            }
        }
        window
    }

    /// Whether the occurrence may move to (a time on) `day`.
    pub fn allows(&self, day: NaiveDate) -> bool {
        self.previous.is_none_or(|p| day > p) && self.next.is_none_or(|n| day < n)
    }

    /// The first day it may move to, if it is bounded before.
    pub fn first_day(&self) -> Option<NaiveDate> {
        self.previous.and_then(|p| p.succ_opt())
    }

    /// The last day it may move to, if it is bounded after.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.next.and_then(|n| n.pred_opt())
    }

    /// Moving the occurrence to `day`, or why not.
    pub fn check(&self, day: NaiveDate) -> Result<(), OutsideWindow> {
        if self.allows(day) {
            Ok(())
        } else {
            Err(OutsideWindow { day, window: *self })
        }
    }
}

/// A move of one occurrence past one of its neighbours. Its text names the days that are
/// possible and why, so the person can pick one (or move the whole series instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutsideWindow {
    pub day: NaiveDate,
    pub window: OccurrenceWindow,
}

impl fmt::Display for OutsideWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let date = |d: NaiveDate| d.format("%a %-d %b %Y").to_string();
        let w = self.window;
        write!(
            f,
            "Webex keeps each occurrence of a series between the one before it and the one \
             after it, so this one can't move to {}. ",
            date(self.day)
        )?;
        match (w.first_day(), w.last_day()) {
            (Some(first), Some(last)) if first == last => {
                write!(f, "It can only move to another time on {}", date(first))?
            }
            (Some(first), Some(last)) => write!(
                f,
                "It can move to any day from {} to {}",
                date(first),
                date(last)
            )?,
            (Some(first), None) => write!(f, "It can move to any day from {}", date(first))?,
            (None, Some(last)) => write!(f, "It can move to any day up to {}", date(last))?,
            (None, None) => write!(f, "It can move to any day")?,
        }
        let neighbours = match (w.previous, w.next) {
            (Some(p), Some(n)) => format!(
                " (the previous occurrence is on {}, the next on {})",
                date(p),
                date(n)
            ),
            (Some(p), None) => format!(" (the previous occurrence is on {})", date(p)),
            (None, Some(n)) => format!(" (the next occurrence is on {})", date(n)),
            (None, None) => String::new(),
        };
        write!(f, "{neighbours}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, day).unwrap()
    }

    #[test]
    fn an_occurrence_stays_between_its_neighbours_by_day() {
        // Weekly on Mondays: 1, 8, 15 March; the one on the 8th moves.
        let window = OccurrenceWindow::around(d(8), [d(15), d(1)]);
        assert_eq!(window.previous, Some(d(1)));
        assert_eq!(window.next, Some(d(15)));
        assert!(window.allows(d(8)), "another time the same day");
        assert!(window.allows(d(2)) && window.allows(d(14)));
        assert!(!window.allows(d(1)), "not the previous one's day");
        assert!(!window.allows(d(15)), "not the next one's day");
        assert!(!window.allows(d(16)) && !window.allows(d(28)));
    }

    #[test]
    fn the_far_neighbours_and_a_same_day_twin_do_not_narrow_the_window() {
        let window = OccurrenceWindow::around(d(8), [d(1), d(8), d(15), d(22), d(29)]);
        assert_eq!((window.previous, window.next), (Some(d(1)), Some(d(15))));
        let last = OccurrenceWindow::around(d(29), [d(22)]);
        assert!(last.allows(d(31)) && !last.allows(d(22)));
        assert_eq!(last.last_day(), None);
    }

    #[test]
    fn the_refusal_names_the_days_that_are_possible() {
        let weekly = OccurrenceWindow::around(d(8), [d(1), d(15)]);
        assert_eq!(
            weekly.check(d(16)).unwrap_err().to_string(),
            "Webex keeps each occurrence of a series between the one before it and the one \
             after it, so this one can't move to Tue 16 Mar 2027. It can move to any day from \
             Tue 2 Mar 2027 to Sun 14 Mar 2027 (the previous occurrence is on Mon 1 Mar 2027, \
             the next on Mon 15 Mar 2027)."
        );
        let daily = OccurrenceWindow::around(d(8), [d(7), d(9)]);
        assert!(
            daily
                .check(d(9))
                .unwrap_err()
                .to_string()
                .contains("It can only move to another time on Mon 8 Mar 2027")
        );
        let first = OccurrenceWindow::around(d(1), [d(8)]);
        assert!(
            first
                .check(d(8))
                .unwrap_err()
                .to_string()
                .ends_with("It can move to any day up to Sun 7 Mar 2027 (the next occurrence is on Mon 8 Mar 2027).")
        );
        assert_eq!(weekly.check(d(9)), Ok(()));
    }
}
