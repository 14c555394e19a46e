//! An invitation version as stored, and how a change to a meeting or to one of its occurrences
//! turns the meeting's state into the version to mail and the state after it (pure).

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use scheduler_core::invite::{Attendee, Invitation, Method, Person};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct PersonData {
    pub(super) name: Option<String>,
    pub(super) email: String,
    pub(super) cohost: bool,
}

/// One invitation version, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Snapshot {
    pub(super) uid: String,
    pub(super) sequence: u32,
    pub(super) cancel: bool,
    pub(super) dtstamp: DateTime<Utc>,
    pub(super) organizer: PersonData,
    pub(super) attendees: Vec<PersonData>,
    pub(super) title: String,
    pub(super) agenda: Option<String>,
    pub(super) join_url: Option<String>,
    pub(super) meeting_number: Option<String>,
    pub(super) start: DateTime<FixedOffset>,
    pub(super) end: DateTime<FixedOffset>,
    pub(super) timezone: String,
    pub(super) rrule: Option<String>,
    pub(super) recurrence_id: Option<DateTime<FixedOffset>>,
    pub(super) exdates: Vec<DateTime<FixedOffset>>,
    /// Occurrences moved one by one (state only; versions mailed before this field existed
    /// read as none moved).
    #[serde(default)]
    pub(super) moved: Vec<MovedOccurrence>,
    /// The organizer's own zone, for their copy's text.
    pub(super) organizer_zone: String,
    /// In a version that moved the meeting (or the occurrence it is about): where it was
    /// before, for the e-mail's text. Versions stored before this field read as none.
    #[serde(default)]
    pub(super) moved_from: Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
}

/// An occurrence moved away from where its series put it, as calendars were told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct MovedOccurrence {
    /// Where the series put it: its RECURRENCE-ID.
    pub(super) original: DateTime<FixedOffset>,
    pub(super) start: DateTime<FixedOffset>,
    pub(super) end: DateTime<FixedOffset>,
}

/// What happened to a meeting or to one of its occurrences.
#[derive(Debug, Clone)]
pub(super) enum Change {
    Moved {
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
        /// A moved series' rule, when it changed with the start.
        rrule: Option<String>,
    },
    Cancelled,
}

impl Snapshot {
    pub(crate) fn zone(&self) -> Tz {
        self.timezone.parse().unwrap_or(Tz::UTC)
    }

    pub(crate) fn invitation(&self) -> Invitation {
        let zone = self.zone();
        let local = |t: &DateTime<FixedOffset>| t.with_timezone(&zone);
        let person = |p: &PersonData| Person::new(p.name.as_deref(), &p.email);
        Invitation {
            uid: self.uid.clone(),
            sequence: self.sequence,
            method: if self.cancel {
                Method::Cancel
            } else {
                Method::Request
            },
            dtstamp: self.dtstamp,
            organizer: person(&self.organizer),
            attendees: self
                .attendees
                .iter()
                .map(|a| Attendee {
                    person: person(a),
                    cohost: a.cohost,
                })
                .collect(),
            title: self.title.clone(),
            agenda: self.agenda.clone(),
            join_url: self.join_url.clone(),
            meeting_number: self.meeting_number.clone(),
            dial_in: None,
            start: local(&self.start),
            end: local(&self.end),
            rrule: if self.recurrence_id.is_some() {
                None
            } else {
                self.rrule.clone()
            },
            recurrence_id: self.recurrence_id.as_ref().map(local),
            exdates: self.exdates.iter().map(local).collect(),
            moved_from: self.moved_from.map(|(s, e)| (local(&s), local(&e))),
        }
    }

    /// The version to mail for `change` (to the occurrence now starting at `occurrence`, or to
    /// the whole meeting), and the meeting's state after it.
    pub(crate) fn after(
        &self,
        sequence: u32,
        dtstamp: DateTime<Utc>,
        occurrence: Option<DateTime<FixedOffset>>,
        change: Change,
    ) -> (Snapshot, Snapshot) {
        let mut next = self.clone();
        next.sequence = sequence;
        next.dtstamp = dtstamp;
        next.recurrence_id = None;
        next.cancel = false;
        next.moved_from = None;
        let Some(now_at) = occurrence else {
            match change {
                Change::Moved { start, end, rrule } => {
                    // Webex drops moved occurrences when their series moves.
                    next.moved_from =
                        Some((self.start, self.end)).filter(|&was| was != (start, end));
                    next.start = start;
                    next.end = end;
                    next.rrule = rrule.or(next.rrule);
                    next.moved.clear();
                }
                Change::Cancelled => next.cancel = true,
            }
            return (next.clone(), next);
        };
        let (original, slot) = self.occurrence_at(now_at);
        let mut state = next.clone();
        state.moved.retain(|m| m.original != original);
        let mut mailed = next;
        mailed.recurrence_id = Some(original);
        match change {
            Change::Moved { start, end, .. } => {
                mailed.moved_from = Some(slot).filter(|&was| was != (start, end));
                (mailed.start, mailed.end) = (start, end);
                state.moved.push(MovedOccurrence {
                    original,
                    start,
                    end,
                });
            }
            Change::Cancelled => {
                mailed.cancel = true;
                (mailed.start, mailed.end) = slot;
                state.exdates.push(original);
            }
        }
        (mailed, state)
    }

    /// The occurrence that now starts at `start`: where the series put it, and its slot now.
    fn occurrence_at(
        &self,
        start: DateTime<FixedOffset>,
    ) -> (
        DateTime<FixedOffset>,
        (DateTime<FixedOffset>, DateTime<FixedOffset>),
    ) {
        match self.moved.iter().find(|m| m.start == start) {
            Some(m) => (m.original, (m.start, m.end)),
            None => (start, (start, start + (self.end - self.start))),
        }
    }

    /// The organizer and every attendee, each once.
    pub(crate) fn recipients(&self) -> Vec<PersonData> {
        let mut all = vec![self.organizer.clone()];
        for a in &self.attendees {
            if !all.iter().any(|p| p.email.eq_ignore_ascii_case(&a.email)) {
                all.push(a.clone());
            }
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn at(day: u32, hour: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(2027, 3, day, hour, 0, 0)
            .unwrap()
    }

    /// A daily standup from 2 March 2027, 09:00–09:30 Berlin time.
    fn standup() -> Snapshot {
        let person = |email: &str| PersonData {
            name: None,
            email: email.into(),
            cohost: false,
        };
        Snapshot {
            uid: "m1@bot.example".into(),
            sequence: 0,
            cancel: false,
            dtstamp: Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0).unwrap(),
            organizer: person("ana@example.com"),
            attendees: vec![person("bob@example.com")],
            title: "Standup".into(),
            agenda: None,
            join_url: None,
            meeting_number: None,
            start: at(2, 9),
            end: at(2, 9) + chrono::Duration::minutes(30),
            timezone: "Europe/Berlin".into(),
            rrule: Some("FREQ=DAILY;COUNT=10".into()),
            recurrence_id: None,
            exdates: vec![],
            moved: vec![],
            organizer_zone: "Europe/Berlin".into(),
            moved_from: None,
        }
    }

    fn stamp() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_moved_occurrence_is_mailed_alone_and_remembered_by_where_the_series_put_it() {
        let series = standup();
        let moved = Change::Moved {
            start: at(3, 15),
            end: at(3, 16),
            rrule: None,
        };
        let (mailed, state) = series.after(1, stamp(), Some(at(3, 9)), moved);
        let invitation = mailed.invitation();
        assert_eq!(invitation.method, Method::Request);
        assert_eq!(
            invitation.recurrence_id,
            Some(at(3, 9).with_timezone(&chrono_tz::Europe::Berlin))
        );
        assert_eq!(invitation.rrule, None, "an instance carries no rule");
        assert_eq!((mailed.start, mailed.end), (at(3, 15), at(3, 16)));
        assert_eq!((state.start, state.end), (series.start, series.end));
        assert_eq!(state.recurrence_id, None);
        assert_eq!(state.sequence, 1);

        // Moved again, and then cancelled: both name the occurrence by its first place.
        let again = Change::Moved {
            start: at(3, 17),
            end: at(3, 18),
            rrule: None,
        };
        let (mailed, state) = state.after(2, stamp(), Some(at(3, 15)), again);
        assert_eq!(mailed.recurrence_id, Some(at(3, 9)));
        assert_eq!(state.moved.len(), 1);
        let (mailed, state) = state.after(3, stamp(), Some(at(3, 17)), Change::Cancelled);
        assert!(mailed.cancel);
        assert_eq!(mailed.recurrence_id, Some(at(3, 9)));
        assert_eq!((mailed.start, mailed.end), (at(3, 17), at(3, 18)));
        assert_eq!(state.exdates, [at(3, 9)]);
        assert!(state.moved.is_empty());
        assert!(!state.cancel, "the series itself goes on");
    }

    #[test]
    fn moving_the_series_drops_moved_occurrences_and_cancelling_it_cancels_all() {
        let one_moved = standup()
            .after(
                1,
                stamp(),
                Some(at(3, 9)),
                Change::Moved {
                    start: at(3, 15),
                    end: at(3, 16),
                    rrule: None,
                },
            )
            .1;
        let later = Change::Moved {
            start: at(2, 10),
            end: at(2, 11),
            rrule: None,
        };
        let (mailed, state) = one_moved.after(2, stamp(), None, later);
        assert_eq!(mailed, state);
        assert!(state.moved.is_empty());
        assert_eq!((state.start, state.end), (at(2, 10), at(2, 11)));
        assert_eq!(
            mailed.invitation().rrule.as_deref(),
            Some("FREQ=DAILY;COUNT=10")
        );

        let weekly = Change::Moved {
            start: at(3, 10),
            end: at(3, 11),
            rrule: Some("FREQ=WEEKLY;BYDAY=WE".into()),
        };
        let (mailed, state) = state.after(3, stamp(), None, weekly);
        assert_eq!(state.rrule.as_deref(), Some("FREQ=WEEKLY;BYDAY=WE"));
        assert_eq!(
            mailed.invitation().rrule.as_deref(),
            Some("FREQ=WEEKLY;BYDAY=WE")
        );

        let (mailed, _) = state.after(4, stamp(), None, Change::Cancelled);
        assert_eq!(mailed.invitation().method, Method::Cancel);
        assert_eq!(mailed.recurrence_id, None);
    }

    #[test]
    fn a_move_is_mailed_with_where_it_was_and_the_next_version_forgets_it() {
        let half_hour = chrono::Duration::minutes(30);
        let one_off = Snapshot {
            rrule: None,
            ..standup()
        };
        let later = Change::Moved {
            start: at(5, 10),
            end: at(5, 11),
            rrule: None,
        };
        let (mailed, state) = one_off.after(1, stamp(), None, later);
        assert_eq!(mailed.moved_from, Some((at(2, 9), at(2, 9) + half_hour)));
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(
            mailed.invitation().moved_from,
            Some((
                at(2, 9).with_timezone(&berlin),
                (at(2, 9) + half_hour).with_timezone(&berlin)
            ))
        );
        let (cancelled, _) = state.after(2, stamp(), None, Change::Cancelled);
        assert_eq!(cancelled.moved_from, None);
        let same = Change::Moved {
            start: at(5, 10),
            end: at(5, 11),
            rrule: None,
        };
        let (again, _) = state.after(2, stamp(), None, same);
        assert_eq!(
            again.moved_from, None,
            "sent again where it is: no \"Moved from\""
        );

        // An occurrence moved twice was, the second time, where the first move put it.
        let first = Change::Moved {
            start: at(3, 15),
            end: at(3, 16),
            rrule: None,
        };
        let (mailed, state) = standup().after(1, stamp(), Some(at(3, 9)), first);
        assert_eq!(mailed.moved_from, Some((at(3, 9), at(3, 9) + half_hour)));
        assert_eq!(state.moved_from, None);
        let second = Change::Moved {
            start: at(3, 17),
            end: at(3, 18),
            rrule: None,
        };
        let (mailed, _) = state.after(2, stamp(), Some(at(3, 15)), second);
        assert_eq!(mailed.moved_from, Some((at(3, 15), at(3, 16))));
    }

    #[test]
    fn an_occurrence_never_moved_is_cancelled_in_its_own_slot() {
        let (mailed, state) = standup().after(1, stamp(), Some(at(4, 9)), Change::Cancelled);
        assert_eq!(mailed.recurrence_id, Some(at(4, 9)));
        assert_eq!(
            (mailed.start, mailed.end),
            (at(4, 9), at(4, 9) + chrono::Duration::minutes(30))
        );
        assert_eq!(state.exdates, [at(4, 9)]);
    }

    #[test]
    fn a_state_stored_before_moves_were_remembered_still_reads() {
        let mut old = serde_json::to_value(standup()).unwrap();
        old.as_object_mut().unwrap().remove("moved");
        let read: Snapshot = serde_json::from_value(old).unwrap();
        assert_eq!(read, standup());
    }
}
