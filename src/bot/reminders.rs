//! Reminders before meetings scheduled through the bot (issue 15, part 1).
//!
//! Each occurrence gets one `reminder` job, due its lead time before it starts, planned when
//! the meeting is created or moved; a series is planned [`PLAN_AHEAD_DAYS`] at a time by a
//! `reminder_plan` job, so an open daily series is a week of jobs, never thousands. A job's
//! key (`timer_keys`) makes planning idempotent, and the posted message is recorded under the
//! same key, so a retried or re-run job never posts twice. Before posting, the occurrence is
//! looked up in Webex with the host's token (one request, on the host's budget, not the bot's):
//! a meeting deleted or moved in Webex is not announced at its old time. A move through the bot
//! plans the new time; the old job finds nothing at its time and posts nothing.

use super::Bot;
use super::creation::safe_link;
use super::error::BotResult;
use super::plan::Plan;
use super::reply::escape_markdown;
use crate::jobs::Job;
use crate::jobs::kinds::{Reminder, ReminderPlan};
use crate::webex::{Meeting, MeetingQuery, MeetingType, NewMessage};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use chrono_tz::Tz;
use scheduler_core::schedule::{
    PLAN_AHEAD_DAYS, ReminderLead, ReminderTiming, reminder_timing, rrule_starts_between,
    series_horizon, time_until,
};

/// A meeting (or series) whose reminders are to be planned from `from` on.
pub(crate) struct ToPlan<'a> {
    pub command: &'a str,
    pub meeting: &'a str,
    pub first: DateTime<FixedOffset>,
    pub zone: Tz,
    pub rrule: Option<&'a str>,
    /// `meeting` is a series: its occurrences are checked in Webex by their start.
    pub series: bool,
    /// The lead typed with the request, over the person's setting.
    pub lead: Option<ReminderLead>,
}

impl Bot {
    /// The person's lead time: their setting, else the product default.
    pub(crate) async fn reminder_lead(&self, person: &str) -> BotResult<ReminderLead> {
        Ok(self
            .store
            .reminder_minutes(person)
            .await?
            .map_or(ReminderLead::DEFAULT, ReminderLead::from_stored))
    }

    /// Enqueues the reminders of the occurrences starting in `[from, from + PLAN_AHEAD_DAYS)`
    /// and, if more occurrences follow, the job that plans the next window.
    pub(crate) async fn plan_reminders(
        &self,
        what: &ToPlan<'_>,
        person: &str,
        from: DateTime<Utc>,
    ) -> BotResult<()> {
        let lead = match what.lead {
            Some(lead) => lead,
            None => self.reminder_lead(person).await?,
        };
        if lead == ReminderLead::Off {
            return Ok(());
        }
        let now = self.clock.now();
        let until = from + Duration::days(PLAN_AHEAD_DAYS);
        let first = what.first.with_timezone(&what.zone);
        let starts = |a, b| match what.rrule {
            Some(rule) => rrule_starts_between(rule, first, a, b).unwrap_or_default(),
            None => {
                let start = first.with_timezone(&Utc);
                (start >= a && start < b)
                    .then_some(start)
                    .into_iter()
                    .collect()
            }
        };
        for start in starts(from, until) {
            let due = match reminder_timing(now, start, lead) {
                ReminderTiming::At(due) => due,
                ReminderTiming::Now => now,
                ReminderTiming::Skip => continue,
            };
            let job = Reminder {
                command: what.command.to_string(),
                meeting: what.meeting.to_string(),
                series: what.series,
                start: start.fixed_offset(),
            };
            let mut new_job = job.to_new_job()?;
            new_job.run_at_ms = Some(due.timestamp_millis());
            self.store
                .enqueue_timer_once(&job.key(), &new_job, self.now_ms())
                .await?;
        }
        // More to plan: a single meeting beyond the window, or a series that goes on.
        if starts(until, series_horizon(until)).is_empty() {
            return Ok(());
        }
        let next = ReminderPlan {
            command: what.command.to_string(),
            meeting: what.meeting.to_string(),
            first: what.first,
            timezone: what.zone.name().to_string(),
            rrule: what.rrule.map(str::to_string),
            from: until.fixed_offset(),
            lead_minutes: what.lead.map(ReminderLead::as_stored),
        };
        let mut new_job = next.to_new_job()?;
        // A day before the window: the longest lead time is a day.
        new_job.run_at_ms = Some((until - Duration::days(1)).timestamp_millis());
        self.store
            .enqueue_timer_once(&next.queue_key(), &new_job, self.now_ms())
            .await?;
        Ok(())
    }

    /// A meeting the bot scheduled was moved through the bot: its new time gets a reminder
    /// (the old time's job finds nothing there in Webex and posts nothing).
    pub(crate) async fn replan_after_move(
        &self,
        series_id: &str,
        occurrence: bool,
        new_start: DateTime<FixedOffset>,
        new_rule: Option<&str>,
    ) -> BotResult<()> {
        let Some(command) = self.store.command_for_meeting(series_id).await? else {
            return Ok(()); // Not scheduled through the bot: no reminders.
        };
        let Some(row) = self.store.command(&command).await? else {
            return Ok(());
        };
        let plan: Plan = serde_json::from_str(&row.plan)?;
        let rrule = if occurrence {
            None
        } else {
            new_rule.or(plan.rrule.as_deref())
        };
        let what = ToPlan {
            command: &command,
            meeting: series_id,
            first: new_start,
            zone: plan.zone(),
            rrule,
            series: occurrence || rrule.is_some(),
            lead: plan.reminder_minutes.map(ReminderLead::from_stored),
        };
        self.plan_reminders(&what, &row.person_id, self.clock.now())
            .await
    }

    pub(crate) async fn on_reminder_plan(&self, job: ReminderPlan) -> BotResult<()> {
        let Some(row) = self.store.command(&job.command).await? else {
            return Ok(()); // Pruned with its request.
        };
        let what = ToPlan {
            command: &job.command,
            meeting: &job.meeting,
            first: job.first,
            zone: job.timezone.parse().unwrap_or(Tz::UTC),
            rrule: job.rrule.as_deref(),
            series: job.rrule.is_some(),
            lead: job.lead_minutes.map(ReminderLead::from_stored),
        };
        self.plan_reminders(&what, &row.person_id, job.from.with_timezone(&Utc))
            .await
    }

    /// Posts one occurrence's reminder, at most once, if Webex still has it at that time.
    pub(crate) async fn on_reminder(&self, job: Reminder) -> BotResult<()> {
        let key = job.key();
        if self.store.reply_for(&key).await?.is_some() {
            return Ok(());
        }
        let Some(row) = self.store.command(&job.command).await? else {
            return Ok(());
        };
        let now = self.clock.now();
        let start = job.start.with_timezone(&Utc);
        let plan: Plan = serde_json::from_str(&row.plan)?;
        let lead = match plan.reminder_minutes {
            Some(minutes) => ReminderLead::from_stored(minutes),
            None => self.reminder_lead(&row.person_id).await?,
        };
        // Never announce a meeting that has started; never one whose person turned them off.
        if now >= start || lead == ReminderLead::Off {
            return Ok(());
        }
        let Some(meeting) = self.occurrence_in_webex(&row.person_id, &job).await? else {
            tracing::info!(command = %job.command, "reminder skipped: not in Webex at that time");
            return Ok(());
        };
        // In a group space the meeting's own zone; in the direct space the person's.
        let zone = if row.thread_id.is_some() {
            plan.zone()
        } else {
            plan.person_zone.parse().unwrap_or(plan.zone())
        };
        let title = meeting.title.as_deref().unwrap_or(&plan.title);
        let message = NewMessage {
            room_id: Some(row.room_id.clone()),
            parent_id: row.thread_id.clone(),
            markdown: Some(reminder_text(
                title,
                start,
                zone,
                now,
                meeting.web_link.as_deref(),
            )),
            ..Default::default()
        };
        let posted = self.webex.post_message(&message).await?;
        self.store
            .record_reply(&key, &posted.id, self.now_ms())
            .await?;
        Ok(())
    }

    /// The meeting or occurrence as Webex has it now, if it still starts at the job's time.
    async fn occurrence_in_webex(
        &self,
        person: &str,
        job: &Reminder,
    ) -> BotResult<Option<Meeting>> {
        let found = if job.series {
            let query = MeetingQuery {
                meeting_series_id: Some(job.meeting.clone()),
                meeting_type: Some(MeetingType::ScheduledMeeting),
                from: Some(job.start),
                to: Some(job.start + Duration::minutes(1)),
                ..Default::default()
            };
            self.as_person(person, |auth| {
                let query = query.clone();
                async move { self.webex.meetings(&auth, &query).await }
            })
            .await
            .map(|all| all.into_iter().find(|m| m.start == job.start))
        } else {
            self.as_person(person, |auth| {
                let id = job.meeting.clone();
                async move { self.webex.meeting(&auth, &id).await }
            })
            .await
            .map(|m| (m.start == job.start).then_some(m))
        };
        match found {
            Err(e) if e.is_not_found() => Ok(None),
            other => other,
        }
    }
}

/// The reminder: title, start in `zone`, how long until it starts, and the join link. Never the
/// password: a reminder may be posted in a group space.
pub(crate) fn reminder_text(
    title: &str,
    start: DateTime<Utc>,
    zone: Tz,
    now: DateTime<Utc>,
    link: Option<&str>,
) -> String {
    let local = start.with_timezone(&zone);
    let mut text = format!(
        "Reminder: **{}** starts {}, at {} ({}).",
        escape_markdown(title),
        time_until(now, start),
        local.format("%H:%M on %a %-d %b"),
        zone.name()
    );
    if let Some(link) = link {
        text.push_str(&format!("\n- Join: {}", safe_link(link)));
    }
    text
}
