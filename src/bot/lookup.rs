//! Which meeting a `cancel` or `reschedule` names: a number from the last list in this space,
//! or a Webex meeting number; and whether it is a whole series or one occurrence of one.

use super::Bot;
use super::conversation::Asker;
use super::error::{BotError, BotResult};
use super::reply::escape_markdown;
use crate::webex::{Meeting, MeetingQuery, MeetingType};
use chrono::Duration;
use scheduler_core::command::MeetingRef;

impl Bot {
    /// Finds the meeting a `<ref>` names: a number from the last list here, or a meeting number.
    async fn find_meeting(&self, reference: &MeetingRef, asker: &Asker) -> BotResult<Meeting> {
        let id = match reference {
            MeetingRef::ListIndex(n) => self
                .store
                .listed_meeting(&asker.room, &asker.person, *n)
                .await?
                .ok_or_else(|| {
                    BotError::User(format!(
                        "I don't have a meeting numbered {n} here. Type `list` first."
                    ))
                })?,
            MeetingRef::MeetingNumber(number) => {
                let now = self.clock.now().fixed_offset();
                let query = MeetingQuery {
                    from: Some(now - Duration::days(1)),
                    to: Some(now + Duration::days(365)),
                    meeting_type: Some(MeetingType::MeetingSeries),
                    max: Some(100),
                    ..Default::default()
                };
                let found = self
                    .as_person(&asker.person, |auth| {
                        let query = query.clone();
                        async move { self.webex.meetings(&auth, &query).await }
                    })
                    .await?;
                found
                    .into_iter()
                    .find(|m| m.meeting_number.as_deref() == Some(number.as_str()))
                    .map(|m| m.id)
                    .ok_or_else(|| {
                        BotError::User(format!(
                            "I couldn't find meeting number {} among your meetings.",
                            escape_markdown(number)
                        ))
                    })?
            }
        };
        let result = self
            .as_person(&asker.person, |auth| {
                let id = id.clone();
                async move { self.webex.meeting(&auth, &id).await }
            })
            .await;
        match result {
            Ok(m) => Ok(m),
            Err(e) if e.is_not_found() => Err(BotError::User(
                "That meeting no longer exists. Type `list` to see your meetings.".into(),
            )),
            Err(e) => Err(e),
        }
    }

    /// What a `<ref>` names, once its series is known. Webex lists every meeting as an
    /// occurrence, but a one-off meeting's only occurrence *is* the meeting: it is changed and
    /// cancelled as a whole, and its calendar entry has no occurrences to single out.
    pub(crate) async fn find_target(
        &self,
        reference: &MeetingRef,
        asker: &Asker,
    ) -> BotResult<Target> {
        let meeting = self.find_meeting(reference, asker).await?;
        let Some(series_id) = meeting
            .meeting_series_id
            .clone()
            .filter(|s| s != &meeting.id)
        else {
            return Ok(Target::Series(meeting));
        };
        let series = self
            .as_person(&asker.person, |auth| {
                let id = series_id.clone();
                async move { self.webex.meeting(&auth, &id).await }
            })
            .await?;
        Ok(match series.recurrence {
            Some(_) => Target::Occurrence {
                occurrence: meeting,
                series_id,
            },
            None => Target::Series(series),
        })
    }
}

/// A meeting a person named in `cancel` or `reschedule`.
pub(crate) enum Target {
    /// A whole series, or a one-off meeting.
    Series(Meeting),
    /// One occurrence of a recurring series.
    Occurrence {
        occurrence: Meeting,
        series_id: String,
    },
}

impl Target {
    /// What Webex is asked to change or delete.
    pub(crate) fn meeting(&self) -> &Meeting {
        match self {
            Target::Series(m) => m,
            Target::Occurrence { occurrence, .. } => occurrence,
        }
    }

    /// The series, which is what invitations are kept by.
    pub(crate) fn series_id(&self) -> &str {
        match self {
            Target::Series(m) => &m.id,
            Target::Occurrence { series_id, .. } => series_id,
        }
    }
}
