//! Which meeting a `cancel` or `reschedule` names: a number from the last list in this space,
//! or a Webex meeting number; and whether it is a whole series or one occurrence of one.
//!
//! A list number keeps naming the meeting it named when it was listed, even after the bot
//! moves or cancels that meeting, until the person lists again. Webex names a one-off
//! meeting's listed instance after its start (`<meeting>_<start>`), so moving it changes that
//! name: once the bot knows a number names a one-off meeting it stores the meeting's own id,
//! which never changes. An occurrence of a series keeps its id when moved; should Webex ever
//! answer with another, the move renames it (`rename_listed`). A cancellation marks the
//! number. A number that names nothing any more (changed outside this chat) is *stale*: the
//! bot says so, changes nothing, and lists again.

use super::Bot;
use super::conversation::Asker;
use super::error::{BotError, BotResult};
use super::reply::{Reply, escape_markdown};
use crate::store::Listed;
use crate::webex::{Meeting, MeetingQuery, MeetingType};
use chrono::Duration;
use scheduler_core::command::MeetingRef;

/// What a `<ref>` leads to.
pub(crate) enum Found {
    Target(Box<Target>),
    /// The number no longer names a meeting: this says so (and lists again).
    Answer(Reply),
}

impl Bot {
    /// What a `<ref>` names, once its series is known. Webex lists every meeting as an
    /// occurrence, but a one-off meeting's only occurrence *is* the meeting: it is changed and
    /// cancelled as a whole, and its calendar entry has no occurrences to single out.
    pub(crate) async fn find_target(
        &self,
        reference: &MeetingRef,
        asker: &Asker,
    ) -> BotResult<Found> {
        let (meeting, listed) = match reference {
            MeetingRef::ListIndex(n) => match self.listed(*n, asker).await? {
                Ok(found) => found,
                Err(answer) => return Ok(Found::Answer(answer)),
            },
            MeetingRef::MeetingNumber(number) => (self.by_number(number, asker).await?, None),
        };
        let target = self.target_of(meeting, &asker.person).await?;
        if let (Some(listed_id), Target::Series(m)) = (listed, &target)
            && listed_id != m.id
        {
            self.store
                .rename_listed(&asker.person, &listed_id, &m.id)
                .await?;
        }
        Ok(Found::Target(Box::new(target)))
    }

    /// The meeting number `n` of the last list here names, and the id it was stored under;
    /// or what to say instead.
    async fn listed(
        &self,
        n: u32,
        asker: &Asker,
    ) -> BotResult<Result<(Meeting, Option<String>), Reply>> {
        let Some(listed) = self
            .store
            .listed_meeting(&asker.room, &asker.person, n)
            .await?
        else {
            return Err(BotError::User(format!(
                "I don't have a meeting numbered {n} here. Type `list` first."
            )));
        };
        let title = listed
            .meeting
            .title
            .as_deref()
            .map(|t| format!(" (**{}**)", escape_markdown(t)))
            .unwrap_or_default();
        if listed.cancelled {
            return Ok(Err(Reply::text(format!(
                "You already cancelled number {n}{title}. Type `list` to see your meetings now."
            ))));
        }
        let id = listed.meeting.meeting_id.clone();
        match self.fetch_meeting(&id, &asker.person).await {
            Ok(meeting) => Ok(Ok((meeting, Some(id)))),
            Err(e) if e.is_not_found() => Ok(Err(self.stale(n, &title, &listed, asker).await?)),
            Err(e) => Err(e),
        }
    }

    /// A number whose meeting changed outside this chat: nothing is done, and the list is
    /// shown again (which renumbers it).
    async fn stale(&self, n: u32, title: &str, listed: &Listed, asker: &Asker) -> BotResult<Reply> {
        let range = listed
            .range
            .as_deref()
            .and_then(super::commands::range_named)
            .unwrap_or(scheduler_core::command::ListRange::Next7Days);
        // List numbers are only read in a direct space (see `commands::list`), so the fresh
        // list is answered there too.
        let said = format!(
            "Number {n} of your last list{title} has changed since I listed it (moved or \
             cancelled outside this chat), so I did nothing. Your list again, with new \
             numbers:\n\n"
        );
        let room = super::budget::MESSAGE_LIMIT.saturating_sub(said.len());
        let fresh = self.list_within(range, asker, false, room).await?;
        Ok(Reply::text(format!("{said}{}", fresh.markdown)))
    }

    async fn by_number(&self, number: &str, asker: &Asker) -> BotResult<Meeting> {
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
        let not_found = || {
            BotError::User(format!(
                "I couldn't find meeting number {} among your meetings.",
                escape_markdown(number)
            ))
        };
        let id = found
            .into_iter()
            .find(|m| m.meeting_number.as_deref() == Some(number))
            .map(|m| m.id)
            .ok_or_else(not_found)?;
        // The list may leave fields out; the meeting itself has them all.
        match self.fetch_meeting(&id, &asker.person).await {
            Err(e) if e.is_not_found() => Err(not_found()),
            result => result,
        }
    }

    /// One meeting (or occurrence) by id, as the person.
    pub(crate) async fn fetch_meeting(&self, id: &str, person: &str) -> BotResult<Meeting> {
        self.as_person(
            person,
            |auth| async move { self.webex.meeting(&auth, id).await },
        )
        .await
    }

    async fn target_of(&self, meeting: Meeting, person: &str) -> BotResult<Target> {
        let Some(series_id) = meeting
            .meeting_series_id
            .clone()
            .filter(|s| s != &meeting.id)
        else {
            return Ok(Target::Series(meeting));
        };
        let series = self.fetch_meeting(&series_id, person).await?;
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

    pub(crate) fn is_occurrence(&self) -> bool {
        matches!(self, Target::Occurrence { .. })
    }
}
