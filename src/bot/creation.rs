//! A confirmed request becomes a Webex meeting, effectively once.
//!
//! The request is stored under a command id derived from the Webex message before anything
//! happens, the id travels to Webex as the meeting's integration tag, and after an ambiguous
//! failure (timeout, reset, 5xx) the next attempt looks the meeting up by that tag before it
//! would create one. Definite refusals become messages the person can act on, never Webex's
//! raw text.

use super::Bot;
use super::budget::{Compose, MESSAGE_LIMIT};
use super::error::{BotError, BotResult};
use super::plan::{Plan, people_words};
use super::refusal::refusal_message;
use super::reply::{Reply, code_span, escape_markdown};
use crate::jobs::Job;
use crate::jobs::kinds::{HostPassword, MeetingChanged};
use crate::store::{CommandRow, CommandState};
use crate::webex::{
    Meeting, MeetingQuery, MeetingType, NewInvitee, NewMeeting, NewMessage, WebexError,
};
use chrono::Duration;
use secrecy::{ExposeSecret, SecretString};

/// A rate-limit wait longer than this means a quota, not a burst: say so rather than wait.
const QUOTA_WAIT: std::time::Duration = std::time::Duration::from_secs(600);

impl Bot {
    /// Creates the meeting for a confirmed request, at most once, and answers in its thread.
    pub(crate) async fn create_meeting(&self, command_id: &str) -> BotResult<Reply> {
        let row = self
            .store
            .command(command_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("command {command_id} vanished"))?;
        let plan: Plan = serde_json::from_str(&row.plan)?;
        if let (CommandState::Created, Some(id)) = (row.state, row.meeting_id.clone()) {
            // Created before a crash or retry: finish what followed the creation (each step
            // is guarded), then confirm.
            let meeting = self
                .as_person(&row.person_id, |auth| {
                    let id = id.clone();
                    async move { self.webex.meeting(&auth, &id).await }
                })
                .await?;
            self.after_created(&row, &meeting).await?;
            return Ok(Reply::text(confirmation_text(&row)?));
        }
        let body = self.new_meeting(&plan, command_id)?;
        let person = row.person_id.clone();
        let created = if row.attempted {
            self.find_tagged(&person, command_id, &plan).await?
        } else {
            None
        };
        let meeting = match created {
            Some(m) => m,
            None => {
                self.store
                    .mark_create_attempted(command_id, self.now_ms())
                    .await?;
                let result = self
                    .as_person(&person, |auth| {
                        let body = body.clone();
                        async move { self.webex.create_meeting(&auth, &body).await }
                    })
                    .await;
                match result {
                    Ok(m) => m,
                    Err(e) => return self.creation_failed(command_id, e).await,
                }
            }
        };
        self.store
            .record_created_meeting(
                command_id,
                &meeting.id,
                meeting.meeting_number.as_deref(),
                meeting.web_link.as_deref(),
                self.now_ms(),
            )
            .await?;
        self.after_created(&row, &meeting).await?;
        let row = self.store.command(command_id).await?.unwrap_or(row);
        Ok(Reply::text(confirmation_text(&row)?))
    }

    /// After an ambiguous failure: did the earlier attempt create it after all?
    async fn find_tagged(
        &self,
        person: &str,
        tag: &str,
        plan: &Plan,
    ) -> BotResult<Option<Meeting>> {
        let query = MeetingQuery {
            integration_tag: Some(tag.to_string()),
            from: Some(plan.start - Duration::days(1)),
            to: Some(plan.end + Duration::days(1)),
            meeting_type: Some(MeetingType::MeetingSeries),
            ..Default::default()
        };
        let found = self
            .as_person(person, |auth| {
                let query = query.clone();
                async move { self.webex.meetings(&auth, &query).await }
            })
            .await?;
        Ok(found
            .into_iter()
            .find(|m| m.integration_tags.iter().any(|t| t == tag)))
    }

    /// The meeting password of a stored request, opened from its seal.
    pub(crate) fn plan_password(
        &self,
        plan: &Plan,
        command_id: &str,
    ) -> BotResult<Option<SecretString>> {
        Ok(plan
            .password
            .as_ref()
            .map(|sealed| {
                self.tokens
                    .linker()
                    .cipher()
                    .open(&sealed.into(), &format!("{command_id}:password"))
            })
            .transpose()?)
    }

    fn new_meeting(&self, plan: &Plan, command_id: &str) -> BotResult<NewMeeting> {
        let password = self
            .plan_password(plan, command_id)?
            .map(|p| p.expose_secret().to_string());
        Ok(NewMeeting {
            title: plan.title.clone(),
            agenda: plan.agenda.clone(),
            start: plan.start,
            end: plan.end,
            timezone: Some(plan.timezone.clone()),
            recurrence: plan.rrule.clone(),
            password,
            invitees: plan
                .invitees
                .iter()
                .map(|i| NewInvitee {
                    email: i.email.clone(),
                    display_name: i.name.clone(),
                    co_host: i.cohost,
                })
                .collect(),
            send_email: self.config.webex_sends_email,
            integration_tags: vec![command_id.to_string()],
            ..Default::default()
        })
    }

    /// Ambiguous failures are retried by the job (which will look before creating again);
    /// definite refusals are explained and the request closed.
    async fn creation_failed(&self, command_id: &str, err: BotError) -> BotResult<Reply> {
        let Some(webex) = err.as_webex() else {
            return Err(err);
        };
        // A 429 whose wait is hours long is Webex's daily meeting quota, not congestion.
        let is_quota =
            matches!(webex, WebexError::RateLimited { retry_after } if *retry_after > QUOTA_WAIT);
        if !is_quota && (webex.is_ambiguous() || webex.is_transient()) {
            return Err(err);
        }
        self.store.fail_command(command_id, self.now_ms()).await?;
        Ok(Reply::text(refusal_message(webex)))
    }

    /// What follows a creation, each step safe to repeat: the password is queued for the host
    /// (sent after the confirmation, see [`HostPassword`]) and the invitation e-mails.
    async fn after_created(&self, row: &CommandRow, meeting: &Meeting) -> BotResult<()> {
        if meeting.password.is_some()
            && self
                .store
                .reply_for(&password_key(&row.command_id))
                .await?
                .is_none()
        {
            let job = HostPassword {
                command: row.command_id.clone(),
                room_id: row.room_id.clone(),
            };
            self.store
                .enqueue(&job.to_new_job()?, self.now_ms())
                .await?;
        }
        let plan: Plan = serde_json::from_str(&row.plan)?;
        let what = super::reminders::ToPlan {
            command: &row.command_id,
            meeting: &meeting.id,
            first: meeting.start,
            zone: plan.zone(),
            rrule: meeting.recurrence.as_deref().or(plan.rrule.as_deref()),
            series: meeting.recurrence.is_some() || plan.rrule.is_some(),
            lead: plan
                .reminder_minutes
                .map(scheduler_core::schedule::ReminderLead::from_stored),
        };
        self.plan_reminders(&what, &row.person_id, self.clock.now())
            .await?;
        self.enqueue_invitation(MeetingChanged::Created {
            event_id: format!("created:{}", row.command_id),
            command: row.command_id.clone(),
            meeting: Some(meeting.id.clone()),
        })
        .await
    }

    /// The password goes to the host alone, in a direct message, once. It is read from Webex
    /// (which may have chosen it) when the message is sent, so no job row holds it.
    pub(crate) async fn on_host_password(&self, job: HostPassword) -> BotResult<()> {
        let key = password_key(&job.command);
        if self.store.reply_for(&key).await?.is_some() {
            return Ok(());
        }
        let Some(row) = self.store.command(&job.command).await? else {
            return Ok(()); // Pruned with its request: nothing left to say.
        };
        let (Some(id), Ok(plan)) = (
            row.meeting_id.clone(),
            serde_json::from_str::<Plan>(&row.plan),
        ) else {
            return Ok(());
        };
        let meeting = self
            .as_person(&row.person_id, |auth| {
                let id = id.clone();
                async move { self.webex.meeting(&auth, &id).await }
            })
            .await;
        let meeting = match meeting {
            Err(e) if e.is_not_found() => return Ok(()), // Cancelled meanwhile.
            other => other?,
        };
        let Some(password) = meeting.password.as_deref() else {
            return Ok(());
        };
        let dm = NewMessage {
            to_person_id: Some(row.person_id.clone()),
            markdown: Some(format!(
                "The password for **{}** is {}. Only you got this message.",
                escape_markdown(&plan.title),
                code_span(password)
            )),
            ..Default::default()
        };
        let posted = self.webex.post_message(&dm).await?;
        self.store
            .record_reply(&key, &posted.id, self.now_ms())
            .await?;
        Ok(())
    }

    /// Queues the invitation e-mails for a meeting change.
    pub(crate) async fn enqueue_invitation(&self, change: MeetingChanged) -> BotResult<()> {
        self.store
            .enqueue(&change.to_new_job()?, self.now_ms())
            .await?;
        Ok(())
    }
}

/// What was scheduled, within Webex's message size: a meeting with many invitees names the
/// first few and counts the others, and notes about names that were not invited are counted
/// past what fits.
pub(crate) fn confirmation_text(row: &CommandRow) -> BotResult<String> {
    let plan: Plan = serde_json::from_str(&row.plan)?;
    let mut fixed = vec![
        format!("**Scheduled: {}**", escape_markdown(&plan.title)),
        format!("- When: {} ({})", plan.when(), plan.duration_words()),
    ];
    if let Some(words) = &plan.recurrence_words {
        fixed.push(format!("- Repeats: {}", escape_markdown(words)));
    }
    if let Some(link) = &row.web_link {
        fixed.push(format!("- Join: {}", safe_link(link)));
    }
    if let Some(minutes) = plan.reminder_minutes {
        fixed.push(
            match scheduler_core::schedule::ReminderLead::from_stored(minutes) {
                scheduler_core::schedule::ReminderLead::Off => "- Reminder: none".to_string(),
                lead => format!("- Reminder: {lead} before"),
            },
        );
    }
    if let Some(number) = &row.meeting_number {
        fixed.push(format!("- Meeting number: {}", escape_markdown(number)));
    }
    let password = plan
        .password
        .is_some()
        .then_some("- Password: sent to you in a direct message");
    let notes: Vec<String> = plan
        .not_invited
        .iter()
        .map(|note| format!("- {}", escape_markdown(note)))
        .collect();
    let more_notes = |n: usize| format!("- …and {n} more names I could not invite");
    // Kept back for what follows the invitees: the password line and a count of the notes.
    let after_people = password.map_or(0, |p| p.len() + 1)
        + if notes.is_empty() {
            0
        } else {
            more_notes(notes.len()).len() + 1
        };
    let mut text = Compose::new(MESSAGE_LIMIT);
    for line in fixed {
        text.line(line, 0);
    }
    let label = "- Invitees: ";
    let room = text.room(after_people + 1 + label.len());
    text.line(
        format!("{label}{}", people_words(&plan.invitees, room)),
        after_people,
    );
    text.items(&notes, password.map_or(0, |p| p.len() + 1), more_notes);
    if let Some(line) = password {
        text.line(line, 0);
    }
    Ok(text.finish())
}

/// The reply key the password message is recorded under.
fn password_key(command_id: &str) -> String {
    format!("password:{command_id}")
}

pub(crate) fn safe_link(link: &str) -> String {
    if link.starts_with("https://") && !link.contains(['<', '>', ' ', ')']) {
        link.to_string()
    } else {
        escape_markdown(link)
    }
}
