//! `reschedule <ref> to <when>`: moves a meeting (or one occurrence of a series) keeping
//! everything else, and mails the update.

use crate::bot::Bot;
use crate::bot::conversation::Asker;
use crate::bot::creation::refusal_message;
use crate::bot::error::{BotError, BotResult};
use crate::bot::lookup::Target;
use crate::bot::reply::{Reply, code_span, escape_markdown};
use crate::jobs::kinds::MeetingChanged;
use crate::webex::NewMeeting;
use chrono::DateTime;
use chrono_tz::Tz;
use scheduler_core::command::MeetingRef;

impl Bot {
    /// `reschedule <ref> to <when>`: moves start and end (keeping the duration when only a
    /// start is given), keeping everything else.
    pub(crate) async fn reschedule(
        &self,
        reference: &MeetingRef,
        start: DateTime<Tz>,
        end: Option<DateTime<Tz>>,
        asker: &Asker,
    ) -> BotResult<Reply> {
        let target = self.find_target(reference, asker).await?;
        let meeting = target.meeting();
        let end = end.unwrap_or(start + (meeting.end - meeting.start));
        scheduler_core::schedule::check_start(&start, self.clock.now())
            .map_err(|e| BotError::User(e.to_string()))?;
        scheduler_core::schedule::check_times(&start, &end)
            .map_err(|e| BotError::User(e.to_string()))?;
        let body = NewMeeting {
            title: meeting
                .title
                .clone()
                .unwrap_or_else(|| "Webex meeting".into()),
            agenda: meeting.agenda.clone(),
            start: start.fixed_offset(),
            end: end.fixed_offset(),
            timezone: Some(start.timezone().name().to_string()),
            // An occurrence is moved alone: a rule there would be refused. A series' rule
            // follows its start ("every Monday" moved to a Wednesday meets on Wednesdays).
            recurrence: match &target {
                Target::Series(m) => m.recurrence.as_deref().map(|rule| {
                    let old = m.start.with_timezone(&start.timezone()).date_naive();
                    scheduler_core::schedule::follow_new_start(rule, old, start.date_naive())
                }),
                Target::Occurrence { .. } => None,
            },
            password: meeting.password.clone(),
            send_email: self.config.webex_sends_email,
            integration_tags: meeting.integration_tags.clone(),
            ..Default::default()
        };
        let updated = self
            .as_person(&asker.person, |auth| {
                let (id, body) = (meeting.id.clone(), body.clone());
                async move { self.webex.update_meeting(&auth, &id, &body).await }
            })
            .await;
        let updated = match updated {
            Ok(m) => m,
            Err(BotError::Webex(webex)) if !webex.is_transient() => {
                return Ok(Reply::text(refusal_message(&webex)));
            }
            Err(e) => return Err(e),
        };
        let occurrence = match &target {
            Target::Series(_) => None,
            Target::Occurrence { occurrence, .. } => Some(occurrence.start),
        };
        self.enqueue_invitation(MeetingChanged::Updated {
            event_id: format!("updated:{}", asker.source_id),
            meeting: Some(target.series_id().to_string()),
            occurrence,
            start: start.fixed_offset(),
            end: end.fixed_offset(),
            recurrence: body.recurrence.clone(),
        })
        .await?;
        let zone = self.zone_in_force(&asker.person).await?;
        let title = escape_markdown(updated.title.as_deref().unwrap_or("the meeting"));
        let when = crate::bot::plan::when(&updated.start, &updated.end, start.timezone(), zone);
        Ok(Reply::text(match target {
            Target::Series(_) => format!("Moved **{title}** to {when}."),
            Target::Occurrence { occurrence, .. } => format!(
                "Moved this occurrence of **{title}** to {when}. The rest of the series is \
                 unchanged{}.",
                occurrence
                    .meeting_number
                    .as_deref()
                    .map(|n| format!(
                        "; to move all of it, type {}",
                        code_span(&format!("reschedule {n} to …"))
                    ))
                    .unwrap_or_default()
            ),
        }))
    }
}
