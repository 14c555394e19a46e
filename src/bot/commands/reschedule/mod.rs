//! `reschedule <ref> to <when>`: moves a meeting (or one occurrence of a series), keeping
//! everything else, and mails the update.
//!
//! What the message leaves out stays as the meeting has it (`slot`). With previews on (the
//! person's `settings confirm`, on by default) the move is shown first, from when to when, on
//! a card only the asker can answer, once: Confirm moves it, Keep changes nothing. With
//! previews off it is moved at once. Either way the reply says from when to when.

mod slot;
mod window;

use crate::bot::Bot;
use crate::bot::conversation::{Asker, command_id};
use crate::bot::error::{BotError, BotResult};
use crate::bot::lookup::{Found, Target};
use crate::bot::plan::{span, when};
use crate::bot::refusal::refusal_message;
use crate::bot::reply::{Reply, code_span, escape_markdown};
use crate::bot::whose::{hosted_by, not_the_host};
use crate::jobs::kinds::MeetingChanged;
use crate::webex::MeetingPatch;
use chrono_tz::Tz;
use scheduler_core::command::{MeetingRef, NewTime};
use scheduler_core::schedule::{ScheduleError, check_start, check_times, follow_new_start};
use serde::{Deserialize, Serialize};
use slot::{Slot, new_slot};

/// A move, worked out: what the preview shows and what Confirm carries out (stored with the
/// prompt until it is answered).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Move {
    /// What Webex is asked to change: the meeting, or the occurrence.
    meeting_id: String,
    /// The series invitations are kept by.
    series: String,
    /// One occurrence of a series moves, not the whole meeting.
    occurrence: bool,
    /// A whole recurring series moves (its first meeting, and its rule with it).
    #[serde(default)]
    whole_series: bool,
    title: Option<String>,
    meeting_number: Option<String>,
    from: Slot,
    to: Slot,
    /// The zone the new time was read in; the meeting is scheduled in it.
    timezone: String,
    /// The asker's zone, for showing times to them.
    person_zone: String,
}

impl Move {
    fn zone(&self) -> Tz {
        self.timezone.parse().unwrap_or(Tz::UTC)
    }

    fn title(&self) -> String {
        escape_markdown(self.title.as_deref().unwrap_or("Webex meeting"))
    }

    /// "from Mon 29 Mar 2027, 15:00–15:30 to Fri 2 Apr 2027, 10:00–10:30 (Europe/Berlin)".
    fn span_words(&self) -> String {
        let person = self.person_zone.parse().unwrap_or(self.zone());
        format!(
            "from {} to {}",
            span(&self.from.0, &self.from.1, self.zone()),
            when(&self.to.0, &self.to.1, self.zone(), person)
        )
    }

    /// "**Sync**", "this occurrence of **Standup**" or "**Standup** (the whole series)".
    fn what(&self) -> String {
        if self.occurrence {
            format!("this occurrence of **{}**", self.title())
        } else if self.whole_series {
            format!("**{}** (the whole series)", self.title())
        } else {
            format!("**{}**", self.title())
        }
    }
}

impl Bot {
    /// `reschedule <ref> to <when>`: works out the new slot, then previews or moves.
    pub(crate) async fn reschedule(
        &self,
        reference: &MeetingRef,
        to: &NewTime,
        asker: &Asker,
    ) -> BotResult<Reply> {
        let target = match self.find_target(reference, asker).await? {
            Found::Target(target) => *target,
            Found::Answer(reply) => return Ok(reply),
        };
        if !hosted_by(target.meeting(), &asker.person) {
            return Ok(not_the_host(target.meeting(), "reschedule"));
        }
        let meeting = target.meeting();
        let user = |e: ScheduleError| BotError::User(e.to_string());
        let (start, end) = new_slot(to, (meeting.start, meeting.end)).map_err(user)?;
        if let Err(e) = check_start(&start, self.clock.now()) {
            return Err(BotError::User(past_start(e, &target, to, reference)));
        }
        check_times(&start, &end).map_err(user)?;
        if let Target::Occurrence {
            occurrence,
            series_id,
        } = &target
        {
            let zone = occurrence
                .timezone
                .as_deref()
                .and_then(|z| z.parse().ok())
                .unwrap_or(start.timezone());
            self.check_occurrence_window(
                occurrence,
                series_id,
                start.fixed_offset(),
                zone,
                &asker.person,
            )
            .await?;
        }
        let person_zone = self.zone_in_force(&asker.person).await?;
        let plan = Move {
            meeting_id: meeting.id.clone(),
            series: target.series_id().to_string(),
            occurrence: target.is_occurrence(),
            whole_series: matches!(&target, Target::Series(m) if m.recurrence.is_some()),
            title: meeting.title.clone(),
            meeting_number: meeting.meeting_number.clone(),
            from: (meeting.start, meeting.end),
            to: (start.fixed_offset(), end.fixed_offset()),
            timezone: start.timezone().name().to_string(),
            person_zone: person_zone.name().to_string(),
        };
        if self.store.person_prefs(&asker.person).await?.confirm {
            if plan.from == plan.to {
                let now = span(&plan.to.0, &plan.to.1, plan.zone());
                return Ok(Reply::text(format!(
                    "{} is already on {now}, so there is nothing to move.",
                    capitalised(&plan.what())
                )));
            }
            return self.preview_move(&plan, asker).await;
        }
        // Without a preview the move is made even when the meeting seems to be there already:
        // a retried job finds it moved by its own first attempt, and must still mail the
        // update that attempt may not have recorded (Webex's PATCH and the update's event id
        // make a second time harmless).
        let event = format!("updated:{}", asker.source_id);
        self.move_meeting(&target, &plan, &asker.person, &event)
            .await
    }

    /// The question card: old → new, Confirm or Keep.
    async fn preview_move(&self, plan: &Move, asker: &Asker) -> BotResult<Reply> {
        let prompt_id = command_id(&format!("move:{}", asker.source_id));
        self.store
            .insert_prompt(
                &prompt_id,
                &asker.person,
                &asker.room,
                &serde_json::to_string(plan)?,
                self.now_ms(),
            )
            .await?;
        let question = format!("Move {} {}?", plan.what(), plan.span_words());
        let note = plan
            .occurrence
            .then_some("Only this occurrence moves; the rest of the series stays as it is.");
        let card = crate::bot::prompts::confirm_move_card(
            &format!("Move {}?", plan.what()),
            &when(&plan.from.0, &plan.from.1, plan.zone(), plan.zone()),
            &when(&plan.to.0, &plan.to.1, plan.zone(), plan.zone()),
            note,
            &prompt_id,
        );
        Ok(Reply::card(question, card))
    }

    /// Confirm on a move's card: moves it, as it is now at Webex.
    pub(crate) async fn confirm_move(&self, prompt_id: &str, person: &str) -> BotResult<Reply> {
        let Some((owner, payload)) = self.store.answer_prompt(prompt_id, self.now_ms()).await?
        else {
            return Ok(Reply::silent());
        };
        let plan: Move = serde_json::from_str(&payload)
            .map_err(|_| BotError::User("I don't recognise that card.".into()))?;
        debug_assert_eq!(owner, person);
        let meeting = match self.fetch_meeting(&plan.meeting_id, &owner).await {
            Ok(m) => m,
            Err(e) if e.is_not_found() => {
                return Ok(Reply::text(format!(
                    "{} was moved or cancelled since I asked, so I didn't move it. Type \
                     `list` to see your meetings.",
                    capitalised(&plan.what())
                )));
            }
            Err(e) => return Err(e),
        };
        let target = if plan.occurrence {
            Target::Occurrence {
                occurrence: meeting,
                series_id: plan.series.clone(),
            }
        } else {
            Target::Series(meeting)
        };
        let plan = Move {
            from: (target.meeting().start, target.meeting().end),
            ..plan
        };
        let event = format!("updated:{prompt_id}");
        self.move_meeting(&target, &plan, &owner, &event).await
    }

    /// Keep on a move's card: nothing changes.
    pub(crate) async fn keep_time(&self, prompt_id: &str) -> BotResult<Reply> {
        let Some((_, payload)) = self.store.answer_prompt(prompt_id, self.now_ms()).await? else {
            return Ok(Reply::silent());
        };
        Ok(Reply::text(match serde_json::from_str::<Move>(&payload) {
            Ok(plan) => format!(
                "OK, {} stays on {}.",
                plan.what(),
                span(&plan.from.0, &plan.from.1, plan.zone())
            ),
            Err(_) => "OK, I kept it.".into(),
        }))
    }

    /// Asks Webex to move it, then mails the update and says from when to when.
    async fn move_meeting(
        &self,
        target: &Target,
        plan: &Move,
        person: &str,
        event_id: &str,
    ) -> BotResult<Reply> {
        let meeting = target.meeting();
        let rule = new_rule(target, plan);
        let patch = move_patch(target, plan, &rule, self.config.webex_sends_email);
        let updated = self
            .as_person(person, |auth| {
                let (id, patch) = (meeting.id.clone(), patch.clone());
                async move { self.webex.patch_meeting(&auth, &id, &patch).await }
            })
            .await;
        let updated = match updated {
            Ok(m) => m,
            Err(BotError::Webex(webex)) if !webex.is_transient() => {
                return Ok(Reply::text(refusal_message(&webex)));
            }
            Err(e) => return Err(e),
        };
        if target.is_occurrence() && updated.id != meeting.id {
            self.store
                .rename_listed(person, &meeting.id, &updated.id)
                .await?;
        }
        self.enqueue_invitation(MeetingChanged::Updated {
            event_id: event_id.to_string(),
            meeting: Some(target.series_id().to_string()),
            occurrence: target.is_occurrence().then_some(meeting.start),
            start: plan.to.0,
            end: plan.to.1,
            recurrence: rule.clone(),
        })
        .await?;
        self.replan_after_move(
            target.series_id(),
            target.is_occurrence(),
            plan.to.0,
            rule.as_deref(),
        )
        .await?;
        if plan.from == plan.to {
            let person = plan.person_zone.parse().unwrap_or(plan.zone());
            return Ok(Reply::text(format!(
                "{} is on {}.",
                capitalised(&plan.what()),
                when(&plan.to.0, &plan.to.1, plan.zone(), person)
            )));
        }
        let moved = format!("Moved {} {}.", plan.what(), plan.span_words());
        Ok(Reply::text(match (plan.occurrence, &plan.meeting_number) {
            (true, Some(n)) => format!(
                "{moved} The rest of the series is unchanged; to move all of it, type {}.",
                code_span(&format!("reschedule {n} to …"))
            ),
            (true, None) => format!("{moved} The rest of the series is unchanged."),
            (false, _) => moved,
        }))
    }
}

/// The series' rule after the move: it follows a whole series' new start ("every Monday"
/// moved to a Wednesday meets on Wednesdays); an occurrence moves alone and has none.
fn new_rule(target: &Target, plan: &Move) -> Option<String> {
    let Target::Series(m) = target else {
        return None;
    };
    let zone = plan.zone();
    m.recurrence.as_deref().map(|rule| {
        let old = m.start.with_timezone(&zone).date_naive();
        follow_new_start(rule, old, plan.to.0.with_timezone(&zone).date_naive())
    })
}

/// What Webex is asked to change, and only that: the times, the zone if the new time was
/// read in another one, the rule if it follows the start. Title, agenda, password and
/// integration tags stay as they are at Webex (a PATCH keeps what it does not name).
fn move_patch(
    target: &Target,
    plan: &Move,
    rule: &Option<String>,
    send_email: bool,
) -> MeetingPatch {
    let meeting = target.meeting();
    MeetingPatch {
        start: Some(plan.to.0),
        end: Some(plan.to.1),
        timezone: (meeting.timezone.as_deref() != Some(plan.timezone.as_str()))
            .then(|| plan.timezone.clone()),
        recurrence: rule
            .clone()
            .filter(|r| meeting.recurrence.as_ref() != Some(r)),
        send_email,
    }
}

/// Why the new start is refused. A whole series keeps the day of its first meeting, which may
/// have passed: a time alone cannot move it, and the person is told what to write instead.
fn past_start(e: ScheduleError, target: &Target, to: &NewTime, reference: &MeetingRef) -> String {
    match (target, to) {
        (Target::Series(m), NewTime::Time { start, .. }) if m.recurrence.is_some() => {
            let number = match reference {
                MeetingRef::MeetingNumber(n) => n.clone(),
                MeetingRef::ListIndex(n) => n.to_string(),
            };
            format!(
                "**{}** is a series whose first meeting, on {}, has passed, so a time alone \
                 would move it into the past. Say the day it should start from, like {}.",
                escape_markdown(m.title.as_deref().unwrap_or("Webex meeting")),
                m.start.with_timezone(&to.zone()).format("%a %-d %b %Y"),
                code_span(&format!(
                    "reschedule {number} to monday {}",
                    start.format("%H:%M")
                ))
            )
        }
        _ => e.to_string(),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, TimeZone};
    use chrono_tz::Europe::Berlin;

    fn series(recurrence: Option<&str>) -> Target {
        let meeting = serde_json::from_value(serde_json::json!({
            "id": "S1",
            "title": "Standup",
            "start": "2027-03-01T09:00:00+01:00",
            "end": "2027-03-01T09:15:00+01:00",
            "recurrence": recurrence,
        }))
        .unwrap();
        Target::Series(meeting)
    }

    #[test]
    fn a_series_that_began_in_the_past_is_not_moved_by_a_time_alone_and_says_what_would() {
        let to = NewTime::Time {
            start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: None,
            zone: Berlin,
        };
        let past = ScheduleError::StartInPast {
            start: Berlin.with_ymd_and_hms(2027, 3, 1, 10, 0, 0).unwrap(),
        };
        let number = MeetingRef::MeetingNumber("25512345678".into());
        assert_eq!(
            past_start(past.clone(), &series(Some("FREQ=DAILY")), &to, &number),
            "**Standup** is a series whose first meeting, on Mon 1 Mar 2027, has passed, so a \
             time alone would move it into the past. Say the day it should start from, like \
             `reschedule 25512345678 to monday 10:00`."
        );
        // A one-off meeting's own day has passed: the plain reason.
        assert_eq!(
            past_start(past.clone(), &series(None), &to, &number),
            past.to_string()
        );
    }
}
