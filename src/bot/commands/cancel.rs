//! `cancel <ref>`: asks first, on a card only the asker can answer; then deletes the meeting (or
//! the one occurrence) with the person's token and mails the cancellation. Only a meeting the
//! person hosts is cancelled, and a `DELETE` answered 404 counts as done only once a `GET`
//! confirms the meeting is gone (`bot::whose`).

use crate::bot::Bot;
use crate::bot::conversation::{Asker, command_id};
use crate::bot::error::{BotError, BotResult};
use crate::bot::lookup::Found;
use crate::bot::reply::{Reply, code_span, escape_markdown};
use crate::bot::whose::{AfterNotFound, hosted_by, is_refused_as_not_host, not_the_host};
use crate::jobs::kinds::MeetingChanged;
use chrono::{DateTime, FixedOffset};
use scheduler_core::command::MeetingRef;
use serde::{Deserialize, Serialize};

/// What a cancel question remembers until it is answered (stored with the prompt).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CancelPrompt {
    /// What Webex is asked to delete: the meeting, or the occurrence.
    meeting_id: String,
    /// The series invitations are kept by.
    series: String,
    start: DateTime<FixedOffset>,
    title: Option<String>,
    occurrence: bool,
}

impl Bot {
    /// `cancel <ref>`: asks first, on a card only the asker can answer.
    pub(crate) async fn ask_cancel(
        &self,
        reference: &MeetingRef,
        asker: &Asker,
    ) -> BotResult<Reply> {
        let target = match self.find_target(reference, asker).await? {
            Found::Target(target) => *target,
            Found::Answer(reply) => return Ok(reply),
        };
        if !hosted_by(target.meeting(), &asker.person) {
            return Ok(not_the_host(target.meeting(), "cancel"));
        }
        let prompt_id = command_id(&format!("cancel:{}", asker.source_id));
        let zone = self.zone_in_force(&asker.person).await?;
        let is_occurrence = target.is_occurrence();
        let meeting = target.meeting();
        let prompt = CancelPrompt {
            meeting_id: meeting.id.clone(),
            series: target.series_id().to_string(),
            start: meeting.start,
            title: meeting.title.clone(),
            occurrence: is_occurrence,
        };
        self.store
            .insert_prompt(
                &prompt_id,
                &asker.person,
                &asker.room,
                &serde_json::to_string(&prompt)?,
                self.now_ms(),
            )
            .await?;
        let title = escape_markdown(meeting.title.as_deref().unwrap_or("Webex meeting"));
        let when = crate::bot::plan::when(&meeting.start, &meeting.end, zone, zone);
        let what = if is_occurrence {
            "this occurrence of"
        } else if meeting.recurrence.is_some() {
            "the whole series"
        } else {
            ""
        };
        let mut question = format!("Cancel {what} **{title}** — {when}?").replace("  ", " ");
        if let Some(number) = meeting.meeting_number.as_deref().filter(|_| is_occurrence) {
            question.push_str(&format!(
                " To cancel the whole series instead, type {}.",
                code_span(&format!("cancel {number}"))
            ));
        }
        Ok(Reply::card(
            question.clone(),
            crate::bot::prompts::confirm_cancel_card(&question, &prompt_id),
        ))
    }

    /// The answer to a cancel prompt.
    pub(crate) async fn confirm_cancel(&self, prompt_id: &str, person: &str) -> BotResult<Reply> {
        let Some((owner, payload)) = self.store.answer_prompt(prompt_id, self.now_ms()).await?
        else {
            return Ok(Reply::silent());
        };
        debug_assert_eq!(owner, person);
        let prompt: CancelPrompt = serde_json::from_str(&payload)
            .map_err(|_| BotError::User("I don't recognise that card.".into()))?;
        let meeting_id = prompt.meeting_id.clone();
        let result = self
            .as_person(&owner, |auth| {
                let id = meeting_id.clone();
                async move {
                    self.webex
                        .delete_meeting(&auth, &id, self.config.webex_sends_email)
                        .await
                }
            })
            .await;
        let title = escape_markdown(prompt.title.as_deref().unwrap_or("the meeting"));
        // Gone before this DELETE (cancelled in Webex, or by an earlier attempt of this one).
        let already_gone = match result {
            Ok(()) => false,
            Err(e) if e.is_not_found() => match self.confirm_gone(&meeting_id, &owner).await? {
                AfterNotFound::Gone => true,
                AfterNotFound::StillThere => {
                    return Ok(Reply::text(format!(
                        "I couldn't cancel **{title}**: Webex answered that it doesn't exist, \
                         yet it is still there. Nothing changed; try again in a minute, or \
                         cancel it in Webex."
                    )));
                }
            },
            Err(e) if is_refused_as_not_host(&e) => {
                return Ok(Reply::text(format!(
                    "Webex didn't let me cancel **{title}**: only its host can. Nothing changed."
                )));
            }
            Err(e) => return Err(e),
        };
        // A number from a list that named it now says it was cancelled.
        let series = (!prompt.occurrence).then_some(prompt.series.as_str());
        self.store
            .mark_listed_cancelled(&owner, &prompt.meeting_id, series)
            .await?;
        self.enqueue_invitation(MeetingChanged::Cancelled {
            event_id: format!("cancelled:{prompt_id}"),
            meeting: Some(prompt.series.clone()),
            occurrence: prompt.occurrence.then_some(prompt.start),
        })
        .await?;
        Ok(Reply::text(if already_gone {
            let what = if prompt.occurrence {
                "This occurrence of "
            } else {
                ""
            };
            format!("{what}**{title}** is no longer in Webex, so it's cancelled.")
        } else if prompt.occurrence {
            format!("Cancelled this occurrence of **{title}**; the rest of the series goes on.")
        } else {
            format!("Cancelled **{title}**.")
        }))
    }
}
