//! Meeting changes → calendar invitations → one e-mail per person, through a durable outbox.
//!
//! Each change (created, moved, cancelled) becomes a new invitation version in one database
//! transaction together with one `send_mail` job per recipient, exactly once per change. A
//! version is stored whole (including its DTSTAMP), so a message re-sent after a crash is the
//! same message: same Message-ID, same UID and SEQUENCE.
//!
//! A change to one occurrence of a series is mailed as that occurrence alone (RECURRENCE-ID =
//! where the series put it), and the meeting's stored state remembers it: a cancelled
//! occurrence as an EXDATE, a moved one by its original and new slot, so that cancelling or
//! moving it again names the occurrence calendars already know.

mod send;
mod snapshot;

use super::Bot;
use super::error::BotResult;
use super::plan::Plan;
use crate::jobs::Job;
use crate::jobs::kinds::{MeetingChanged, SendMail};
use crate::mail::Mailer;
use crate::store::{CommandRow, InvitationRow};
use scheduler_core::invite::Person;
use snapshot::{Change, PersonData, Snapshot};

/// Where invitations go and from whom.
#[derive(Clone, Debug)]
pub struct MailConfig {
    pub mailer: Mailer,
    pub from: Person,
    /// The right-hand side of Message-IDs.
    pub domain: String,
}

/// The calendar UID of a meeting: stable for its life, unique per meeting.
fn uid_for(meeting_key: &str, domain: &str) -> String {
    format!("{}@{domain}", meeting_key.replace(['@', ' '], "-"))
}

impl Bot {
    /// Turns a meeting change into a new invitation version and its e-mails.
    pub(crate) async fn on_invitation(&self, job: MeetingChanged) -> BotResult<()> {
        let Some(mail) = &self.mail else {
            return Ok(()); // No SMTP configured: invitations are off (see README).
        };
        let (mailed, state) = match &job {
            MeetingChanged::Created { command, .. } => {
                let Some(row) = self.store.command(command).await? else {
                    return Ok(());
                };
                let first = self.first_version(&row, mail)?;
                (first.clone(), first)
            }
            MeetingChanged::Updated {
                meeting,
                occurrence,
                start,
                end,
                recurrence,
                ..
            } => {
                let change = Change::Moved {
                    start: *start,
                    end: *end,
                    rrule: recurrence.clone(),
                };
                match self
                    .next_version(meeting.as_deref(), *occurrence, change)
                    .await?
                {
                    Some(versions) => versions,
                    None => return Ok(()),
                }
            }
            MeetingChanged::Cancelled {
                meeting,
                occurrence,
                ..
            } => {
                let change = Change::Cancelled;
                match self
                    .next_version(meeting.as_deref(), *occurrence, change)
                    .await?
                {
                    Some(versions) => versions,
                    None => return Ok(()),
                }
            }
        };
        let meeting_key = job
            .meeting()
            .map(str::to_string)
            .unwrap_or_else(|| mailed.uid.split('@').next().unwrap_or_default().to_string());
        self.record_version(job.event_id(), &meeting_key, &mailed, &state)
            .await
    }

    /// The version to mail for a change to a meeting the bot invited people to, and the
    /// meeting's state after it; `None` for a meeting it never mailed.
    async fn next_version(
        &self,
        meeting: Option<&str>,
        occurrence: Option<chrono::DateTime<chrono::FixedOffset>>,
        change: Change,
    ) -> BotResult<Option<(Snapshot, Snapshot)>> {
        let Some(current) = self.store.invitation(meeting.unwrap_or_default()).await? else {
            return Ok(None);
        };
        let meeting: Snapshot = serde_json::from_str(&current.snapshot)?;
        Ok(Some(meeting.after(
            current.sequence + 1,
            self.clock.now(),
            occurrence,
            change,
        )))
    }

    fn first_version(&self, row: &CommandRow, mail: &MailConfig) -> BotResult<Snapshot> {
        let plan: Plan = serde_json::from_str(&row.plan)?;
        let meeting_key = row
            .meeting_id
            .clone()
            .unwrap_or_else(|| row.command_id.clone());
        Ok(Snapshot {
            uid: uid_for(&meeting_key, &mail.domain),
            sequence: 0,
            cancel: false,
            dtstamp: self.clock.now(),
            organizer: PersonData {
                name: None,
                email: plan.host_email.clone(),
                cohost: false,
            },
            attendees: plan
                .invitees
                .iter()
                .map(|i| PersonData {
                    name: i.name.clone(),
                    email: i.email.clone(),
                    cohost: i.cohost,
                })
                .collect(),
            title: plan.title.clone(),
            agenda: plan.agenda.clone(),
            join_url: row.web_link.clone(),
            meeting_number: row.meeting_number.clone(),
            start: plan.start,
            end: plan.end,
            timezone: plan.timezone.clone(),
            rrule: plan.rrule.clone(),
            recurrence_id: None,
            exdates: Vec::new(),
            moved: Vec::new(),
            organizer_zone: plan.person_zone.clone(),
            moved_from: None,
        })
    }

    async fn record_version(
        &self,
        event_id: &str,
        meeting_key: &str,
        version: &Snapshot,
        state: &Snapshot,
    ) -> BotResult<()> {
        let mails = version
            .recipients()
            .into_iter()
            .map(|p| {
                SendMail {
                    meeting: meeting_key.to_string(),
                    sequence: version.sequence,
                    zone: (p.email == version.organizer.email)
                        .then(|| version.organizer_zone.clone()),
                    email: p.email,
                    name: p.name,
                }
                .to_new_job()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let row = InvitationRow {
            meeting_key: meeting_key.to_string(),
            uid: version.uid.clone(),
            sequence: version.sequence,
            snapshot: serde_json::to_string(state)?,
        };
        self.store
            .record_invitation(
                event_id,
                &row,
                &serde_json::to_string(version)?,
                &mails,
                self.now_ms(),
            )
            .await?;
        Ok(())
    }
}
