//! Before one occurrence of a series is moved: is the new day between its neighbours?
//!
//! Webex refuses to move an occurrence onto or past the day of another occurrence of its
//! series (`scheduler_core::schedule::OccurrenceWindow` holds the rule). The bot asks Webex
//! for the series' occurrences around the move and refuses first, naming the days that are
//! possible, rather than passing on Webex's refusal.

use crate::bot::Bot;
use crate::bot::error::{BotError, BotResult};
use crate::webex::{Meeting, MeetingQuery, MeetingType};
use chrono::{DateTime, Duration, FixedOffset};
use chrono_tz::Tz;
use scheduler_core::schedule::OccurrenceWindow;

/// How far beyond the move the neighbours are looked for: a month and a day, so that the
/// refusal can name both ends of the window for any series that meets at least monthly.
/// Only the occurrences between the old and new day decide; those are always fetched.
const NEIGHBOUR_MARGIN_DAYS: i64 = 32;

impl Bot {
    /// Refuses (as the person's error) a move of `occurrence` to `new_start` that Webex would
    /// refuse; `zone` is the series' own, in which Webex counts days.
    pub(super) async fn check_occurrence_window(
        &self,
        occurrence: &Meeting,
        series_id: &str,
        new_start: DateTime<FixedOffset>,
        zone: Tz,
        person: &str,
    ) -> BotResult<()> {
        let earliest = occurrence.start.min(new_start);
        let latest = occurrence.end.max(new_start);
        let query = MeetingQuery {
            from: Some(earliest - Duration::days(NEIGHBOUR_MARGIN_DAYS)),
            to: Some(latest + Duration::days(NEIGHBOUR_MARGIN_DAYS)),
            meeting_type: Some(MeetingType::ScheduledMeeting),
            meeting_series_id: Some(series_id.to_string()),
            max: Some(100),
            ..MeetingQuery::default()
        };
        let siblings = self
            .as_person(person, |auth| {
                let query = query.clone();
                async move { self.webex.meetings(&auth, &query).await }
            })
            .await?;
        let day = |at: DateTime<FixedOffset>| at.with_timezone(&zone).date_naive();
        let others = siblings
            .iter()
            .filter(|m| m.id != occurrence.id)
            .map(|m| day(m.start));
        OccurrenceWindow::around(day(occurrence.start), others)
            .check(day(new_start))
            .map_err(|outside| BotError::User(outside.to_string()))
    }
}
