//! Scheduling, listing, cancelling and moving meetings, as the person who asks.
//!
//! Creation is effectively-once: the request is stored under a command id derived from the
//! Webex message before anything happens, the id travels to Webex as the meeting's integration
//! tag, and after an ambiguous failure (timeout, reset, 5xx) the next attempt looks the meeting
//! up by that tag before it would create one. Definite refusals become messages the person can
//! act on, never Webex's raw text.

use super::plan::{Plan, PlannedInvitee, people_words};
use super::reply::{Reply, code_span, escape_markdown};
use super::{Bot, UserError};
use crate::auth::AuthError;
use crate::cards::{FormValues, InviteeView};
use crate::store::{CommandRow, CommandState};
use crate::webex::{Auth, Meeting, MeetingQuery, MeetingType, NewInvitee, NewMeeting, WebexError};
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use scheduler_core::command::{ListRange, MeetingRef};
use scheduler_core::schedule::{MeetingRequest, Who};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// Who asked, and where to answer.
#[derive(Debug, Clone)]
pub struct Asker {
    pub person: String,
    pub room: String,
    /// The thread to answer in (group spaces), if any.
    pub thread: Option<String>,
    /// The message or card action that asked; the command id derives from it.
    pub source_id: String,
}

/// The id under which a request is stored and tagged at Webex (≤ 64 characters).
pub fn command_id(source_id: &str) -> String {
    let digest = Sha256::digest(source_id.as_bytes());
    format!("wxs-{}", &hex::encode(digest)[..24])
}

/// A link with at least this long left to live is not sent again (links live 10 minutes).
const FRESH_LINK_MS: i64 = 5 * 60 * 1000;

/// A rate-limit wait longer than this means a quota, not a burst: say so rather than wait.
const QUOTA_WAIT: std::time::Duration = std::time::Duration::from_secs(600);

/// Card buttons carry these in `data.action`.
pub const ACTION_SCHEDULE: &str = "schedule";
pub const ACTION_EDIT: &str = "edit";
pub const ACTION_DISMISS: &str = "cancel";
pub const ACTION_CONFIRM_CANCEL: &str = "confirm_cancel";
pub const ACTION_KEEP: &str = "keep";

impl Bot {
    /// The zone in force: the person's saved zone, else their Webex profile's, else the default.
    pub(super) async fn zone_in_force(&self, person: &str) -> anyhow::Result<Tz> {
        let prefs = self.store.person_prefs(person).await?;
        if let Some(tz) = prefs.timezone.and_then(|z| z.parse().ok()) {
            return Ok(tz);
        }
        if self.tokens.linker().is_connected(person).await? {
            let profile = self
                .as_person(person, |auth| async move { self.webex.me(&auth).await })
                .await;
            if let Ok(me) = profile
                && let Some(tz) = me.timezone.and_then(|z| zone_named(&z))
            {
                return Ok(tz);
            }
        }
        Ok(self.config.default_timezone)
    }

    /// Checks the person can schedule as themselves; if not, sends the link and remembers the
    /// request so it resumes after linking. Returns the reply to give instead, if any.
    pub(super) async fn require_link(
        &self,
        asker: &Asker,
        resume: &serde_json::Value,
    ) -> anyhow::Result<Option<Reply>> {
        let linker = self.tokens.linker();
        if linker.is_connected(&asker.person).await? {
            return Ok(None);
        }
        if !linker.is_configured() {
            return Ok(Some(Reply::text(
                "I can't schedule meetings yet: account linking isn't set up on this bot. Please ask its admin.",
            )));
        }
        // The request rides on a link of its own; whichever valid link the person follows
        // carries it on. A link sent minutes ago still works, so a second one is not sent.
        let fresh_link_out = self
            .store
            .has_link_valid_until(&asker.person, self.now_ms() + FRESH_LINK_MS)
            .await?;
        let url = linker
            .start(&asker.person, Some(&asker.room), Some(resume.to_string()))
            .await?;
        if fresh_link_out {
            return Ok(Some(Reply::text(
                "I've sent you a link to connect your Webex account in a direct message. Once \
                 you're connected I'll carry on with this request too.",
            )));
        }
        self.send_link(&asker.person, &url).await?;
        Ok(Some(Reply::text(
            "First I need your permission to schedule meetings as you: I sent you a direct message \
             with a link. Once you're connected I'll carry on with this request.",
        )))
    }

    /// `schedule …`: resolve, store, then preview (or create straight away if the person
    /// turned previews off).
    pub(super) async fn schedule(
        &self,
        req: MeetingRequest,
        asker: &Asker,
    ) -> anyhow::Result<Reply> {
        let id = command_id(&asker.source_id);
        if let Some(existing) = self.store.command(&id).await? {
            // A redelivery or a resumed request: carry on from where it stands.
            return self.continue_command(existing).await;
        }
        let me = self
            .as_person(
                &asker.person,
                |auth| async move { self.webex.me(&auth).await },
            )
            .await?;
        let host_email = me.emails.first().cloned().unwrap_or_default();
        let person_zone = match self.store.person_prefs(&asker.person).await?.timezone {
            Some(z) => z,
            None => me
                .timezone
                .clone()
                .unwrap_or_else(|| self.config.default_timezone.name().to_string()),
        };
        let invitees = self
            .resolve_invitees(&req, &asker.room, &host_email)
            .await?;
        let views: Vec<InviteeView> = invitees
            .iter()
            .map(|i| InviteeView {
                email: i.email.clone(),
                name: i.name.clone(),
                cohost: i.cohost,
            })
            .collect();
        let mut plan = self.plan_from(&req, invitees, &host_email, &person_zone, &id)?;
        let mut form = FormValues::from_request(&req, &views);
        // The password is kept sealed in `plan.password` only; Edit opens it from there.
        form.set("password", String::new());
        plan.form = Some(form);
        let confirm = self.store.person_prefs(&asker.person).await?.confirm;
        let row = CommandRow {
            command_id: id.clone(),
            person_id: asker.person.clone(),
            room_id: asker.room.clone(),
            thread_id: asker.thread.clone(),
            plan: serde_json::to_string(&plan)?,
            state: if confirm {
                CommandState::Previewed
            } else {
                CommandState::Confirmed
            },
            attempted: false,
            meeting_id: None,
            meeting_number: None,
            web_link: None,
        };
        self.store.insert_command(&row, self.now_ms()).await?;
        if confirm {
            let person_tz = person_zone.parse().unwrap_or(req.timezone);
            Ok(Reply::card(
                format!(
                    "Preview: {} — {}",
                    escape_markdown(&plan.title),
                    plan.when()
                ),
                crate::cards::preview(&req, &views, person_tz, &id),
            ))
        } else {
            self.create_meeting(&id).await
        }
    }

    /// A request seen before (a redelivery): finish it if it was confirmed; a preview already
    /// shown is not shown again.
    async fn continue_command(&self, row: CommandRow) -> anyhow::Result<Reply> {
        match row.state {
            CommandState::Confirmed | CommandState::Created => {
                self.create_meeting(&row.command_id).await
            }
            _ => Ok(Reply::silent()),
        }
    }

    fn plan_from(
        &self,
        req: &MeetingRequest,
        invitees: Vec<PlannedInvitee>,
        host_email: &str,
        person_zone: &str,
        command_id: &str,
    ) -> anyhow::Result<Plan> {
        let password = req
            .password
            .as_ref()
            .map(|p| {
                self.tokens.linker().cipher().seal(
                    &SecretString::from(p.clone()),
                    &format!("{command_id}:password"),
                )
            })
            .transpose()?
            .map(Into::into);
        Ok(Plan {
            title: req.title.clone(),
            start: req.start.fixed_offset(),
            end: req.end.fixed_offset(),
            timezone: req.timezone.name().to_string(),
            rrule: req.recurrence.as_ref().map(|r| r.to_rrule()),
            recurrence_words: req.recurrence.as_ref().map(|r| r.describe()),
            next_starts: scheduler_core::schedule::next_occurrences(req, 3)
                .into_iter()
                .map(|d| d.fixed_offset())
                .collect(),
            invitees,
            password,
            agenda: req.agenda.clone(),
            host_email: host_email.to_string(),
            person_zone: person_zone.to_string(),
            form: None,
        })
    }

    /// Mentions become addresses (`GET /people/{id}`), `everyone` the space's human members;
    /// unique by address, never the host, at most the configured cap.
    async fn resolve_invitees(
        &self,
        req: &MeetingRequest,
        room: &str,
        host_email: &str,
    ) -> anyhow::Result<Vec<PlannedInvitee>> {
        let mut resolved: Vec<PlannedInvitee> = Vec::new();
        for invitee in &req.invitees {
            match &invitee.who {
                Who::Email(email) => resolved.push(PlannedInvitee {
                    email: email.clone(),
                    name: None,
                    cohost: invitee.cohost,
                }),
                Who::Mention { person_id } => {
                    let person = self.webex.person(&Auth::Bot, person_id).await?;
                    if let Some(email) = person.emails.first() {
                        resolved.push(PlannedInvitee {
                            email: email.clone(),
                            name: person.display_name.clone(),
                            cohost: invitee.cohost,
                        });
                    }
                }
                Who::Everyone => {
                    for member in self.webex.memberships(room).await? {
                        let Some(email) = member.person_email.clone() else {
                            continue;
                        };
                        if member.is_bot() {
                            continue;
                        }
                        resolved.push(PlannedInvitee {
                            email,
                            name: member.person_display_name.clone(),
                            cohost: invitee.cohost,
                        });
                    }
                }
            }
        }
        let unique = unique_by_address(resolved, host_email);
        if unique.len() > self.config.max_invitees {
            return Err(UserError(format!(
                "That's {} invitees; I can invite at most {} people to one meeting. \
                 Invite fewer, or share the join link instead.",
                unique.len(),
                self.config.max_invitees
            ))
            .into());
        }
        Ok(unique)
    }

    /// Creates the meeting for a confirmed request, at most once, and answers in its thread.
    pub(super) async fn create_meeting(&self, command_id: &str) -> anyhow::Result<Reply> {
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
            self.after_created(&row, &plan, &meeting).await?;
            return Ok(Reply::text(self.confirmation_text(&row)?));
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
        self.after_created(&row, &plan, &meeting).await?;
        let row = self.store.command(command_id).await?.unwrap_or(row);
        Ok(Reply::text(self.confirmation_text(&row)?))
    }

    /// After an ambiguous failure: did the earlier attempt create it after all?
    async fn find_tagged(
        &self,
        person: &str,
        tag: &str,
        plan: &Plan,
    ) -> anyhow::Result<Option<Meeting>> {
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
    pub(super) fn plan_password(
        &self,
        plan: &Plan,
        command_id: &str,
    ) -> anyhow::Result<Option<SecretString>> {
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

    fn new_meeting(&self, plan: &Plan, command_id: &str) -> anyhow::Result<NewMeeting> {
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
    async fn creation_failed(&self, command_id: &str, err: anyhow::Error) -> anyhow::Result<Reply> {
        let Some(webex) =
            err.downcast_ref::<WebexError>()
                .or_else(|| match err.downcast_ref::<AuthError>() {
                    Some(AuthError::Webex(w)) => Some(w),
                    _ => None,
                })
        else {
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

    /// The password goes to the host alone, in a direct message; the invitation e-mails follow.
    async fn after_created(
        &self,
        row: &CommandRow,
        plan: &Plan,
        meeting: &Meeting,
    ) -> anyhow::Result<()> {
        let key = format!("password:{}", row.command_id);
        if let Some(password) = meeting.password.as_deref()
            && self.store.reply_for(&key).await?.is_none()
        {
            let dm = crate::webex::NewMessage {
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
        }
        self.enqueue_invitation(serde_json::json!({
            "event": super::InvitationEvent::Created,
            "eventId": format!("created:{}", row.command_id),
            "command": row.command_id,
            "meeting": meeting.id,
        }))
        .await
    }

    pub(super) fn confirmation_text(&self, row: &CommandRow) -> anyhow::Result<String> {
        let plan: Plan = serde_json::from_str(&row.plan)?;
        let mut lines = vec![
            format!("**Scheduled: {}**", escape_markdown(&plan.title)),
            format!("- When: {} ({})", plan.when(), plan.duration_words()),
        ];
        if let Some(words) = &plan.recurrence_words {
            lines.push(format!("- Repeats: {}", escape_markdown(words)));
        }
        if let Some(link) = &row.web_link {
            lines.push(format!("- Join: {}", safe_link(link)));
        }
        if let Some(number) = &row.meeting_number {
            lines.push(format!("- Meeting number: {}", escape_markdown(number)));
        }
        lines.push(format!("- Invitees: {}", people_words(&plan.invitees)));
        if plan.password.is_some() {
            lines.push("- Password: sent to you in a direct message".into());
        }
        Ok(lines.join("\n"))
    }

    /// `list`: the person's meetings in the range, numbered for `cancel`/`reschedule`.
    pub(super) async fn list(&self, range: ListRange, asker: &Asker) -> anyhow::Result<Reply> {
        let zone = self.zone_in_force(&asker.person).await?;
        let (from, to) = list_window(range, self.clock.now(), zone);
        let query = MeetingQuery {
            from: Some(from.fixed_offset()),
            to: Some(to.fixed_offset()),
            meeting_type: Some(MeetingType::ScheduledMeeting),
            max: Some(100),
            ..Default::default()
        };
        let mut meetings = self
            .as_person(&asker.person, |auth| {
                let query = query.clone();
                async move { self.webex.meetings(&auth, &query).await }
            })
            .await?;
        meetings.sort_by_key(|m| m.start);
        let ids: Vec<String> = meetings.iter().map(|m| m.id.clone()).collect();
        self.store
            .save_listing(&asker.room, &asker.person, &ids)
            .await?;
        if meetings.is_empty() {
            return Ok(Reply::text(format!(
                "You have no meetings {}.",
                range_words(range)
            )));
        }
        let mut lines = vec![format!("**Your meetings {}**", range_words(range))];
        for (i, m) in meetings.iter().enumerate() {
            let when = super::plan::when(&m.start, &m.end, zone, zone);
            lines.push(format!(
                "{}. {} — {}{}",
                i + 1,
                escape_markdown(m.title.as_deref().unwrap_or("Webex meeting")),
                when,
                m.meeting_number
                    .as_deref()
                    .map(|n| format!(" · {}", escape_markdown(n)))
                    .unwrap_or_default()
            ));
        }
        lines.push("Type `cancel <n>` or `reschedule <n> to <when>`.".into());
        Ok(Reply::text(lines.join("\n")))
    }

    /// Finds the meeting a `<ref>` names: a number from the last list here, or a meeting number.
    async fn find_meeting(&self, reference: &MeetingRef, asker: &Asker) -> anyhow::Result<Meeting> {
        let id = match reference {
            MeetingRef::ListIndex(n) => self
                .store
                .listed_meeting(&asker.room, &asker.person, *n)
                .await?
                .ok_or_else(|| {
                    UserError(format!(
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
                        UserError(format!(
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
            Err(e)
                if matches!(
                    e.downcast_ref::<AuthError>(),
                    Some(AuthError::Webex(WebexError::NotFound { .. }))
                ) =>
            {
                Err(UserError(
                    "That meeting no longer exists. Type `list` to see your meetings.".into(),
                )
                .into())
            }
            Err(e) => Err(e),
        }
    }

    /// `cancel <ref>`: asks first, on a card only the asker can answer.
    pub(super) async fn ask_cancel(
        &self,
        reference: &MeetingRef,
        asker: &Asker,
    ) -> anyhow::Result<Reply> {
        let target = self.find_target(reference, asker).await?;
        let prompt_id = command_id(&format!("cancel:{}", asker.source_id));
        let zone = self.zone_in_force(&asker.person).await?;
        let is_occurrence = matches!(target, Target::Occurrence { .. });
        let meeting = target.meeting();
        let payload = serde_json::json!({
            "meetingId": meeting.id,
            "series": target.series_id(),
            "start": meeting.start,
            "title": meeting.title,
            "occurrence": is_occurrence,
        });
        self.store
            .insert_prompt(
                &prompt_id,
                &asker.person,
                &asker.room,
                &payload.to_string(),
                self.now_ms(),
            )
            .await?;
        let title = escape_markdown(meeting.title.as_deref().unwrap_or("Webex meeting"));
        let when = super::plan::when(&meeting.start, &meeting.end, zone, zone);
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
            super::prompts::confirm_cancel_card(&question, &prompt_id),
        ))
    }

    /// The answer to a cancel prompt.
    pub(super) async fn confirm_cancel(
        &self,
        prompt_id: &str,
        person: &str,
    ) -> anyhow::Result<Reply> {
        let Some((owner, payload)) = self.store.answer_prompt(prompt_id, self.now_ms()).await?
        else {
            return Ok(Reply::silent());
        };
        debug_assert_eq!(owner, person);
        let payload: serde_json::Value = serde_json::from_str(&payload)?;
        let meeting_id = payload["meetingId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
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
        match result {
            Ok(()) => {}
            Err(e)
                if matches!(
                    e.downcast_ref::<AuthError>(),
                    Some(AuthError::Webex(WebexError::NotFound { .. }))
                ) => {}
            Err(e) => return Err(e),
        }
        let occurrence = payload["occurrence"].as_bool().unwrap_or(false);
        self.enqueue_invitation(serde_json::json!({
            "event": super::InvitationEvent::Cancelled,
            "eventId": format!("cancelled:{prompt_id}"),
            "meeting": payload["series"],
            "occurrence": if occurrence { payload["start"].clone() } else { serde_json::Value::Null },
        }))
        .await?;
        let title = escape_markdown(payload["title"].as_str().unwrap_or("the meeting"));
        Ok(Reply::text(if occurrence {
            format!("Cancelled this occurrence of **{title}**; the rest of the series goes on.")
        } else {
            format!("Cancelled **{title}**.")
        }))
    }

    /// `reschedule <ref> to <when>`: moves start and end (keeping the duration when only a
    /// start is given), keeping everything else.
    pub(super) async fn reschedule(
        &self,
        reference: &MeetingRef,
        start: DateTime<Tz>,
        end: Option<DateTime<Tz>>,
        asker: &Asker,
    ) -> anyhow::Result<Reply> {
        let target = self.find_target(reference, asker).await?;
        let meeting = target.meeting();
        let end = end.unwrap_or(start + (meeting.end - meeting.start));
        scheduler_core::schedule::check_start(&start, self.clock.now())
            .map_err(|e| UserError(e.to_string()))?;
        scheduler_core::schedule::check_times(&start, &end)
            .map_err(|e| UserError(e.to_string()))?;
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
            Err(e) => {
                let webex = match e.downcast_ref::<AuthError>() {
                    Some(AuthError::Webex(w)) if !w.is_transient() => w,
                    _ => return Err(e),
                };
                return Ok(Reply::text(refusal_message(webex)));
            }
        };
        let occurrence = match &target {
            Target::Series(_) => serde_json::Value::Null,
            Target::Occurrence { occurrence, .. } => serde_json::json!(occurrence.start),
        };
        self.enqueue_invitation(serde_json::json!({
            "event": super::InvitationEvent::Updated,
            "eventId": format!("updated:{}", asker.source_id),
            "meeting": target.series_id(),
            "occurrence": occurrence,
            "start": start.fixed_offset(),
            "end": end.fixed_offset(),
            "recurrence": body.recurrence,
        }))
        .await?;
        let zone = self.zone_in_force(&asker.person).await?;
        let title = escape_markdown(updated.title.as_deref().unwrap_or("the meeting"));
        let when = super::plan::when(&updated.start, &updated.end, start.timezone(), zone);
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

    /// What a `<ref>` names, once its series is known. Webex lists every meeting as an
    /// occurrence, but a one-off meeting's only occurrence *is* the meeting: it is changed and
    /// cancelled as a whole, and its calendar entry has no occurrences to single out.
    async fn find_target(&self, reference: &MeetingRef, asker: &Asker) -> anyhow::Result<Target> {
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
enum Target {
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
    fn meeting(&self) -> &Meeting {
        match self {
            Target::Series(m) => m,
            Target::Occurrence { occurrence, .. } => occurrence,
        }
    }

    /// The series, which is what invitations are kept by.
    fn series_id(&self) -> &str {
        match self {
            Target::Series(m) => &m.id,
            Target::Occurrence { series_id, .. } => series_id,
        }
    }
}

/// Unique by address, without the host, by the schedule module's rule
/// ([`scheduler_core::schedule::unique_invitees`]); each keeps the first name any mention gave.
fn unique_by_address(people: Vec<PlannedInvitee>, host_email: &str) -> Vec<PlannedInvitee> {
    let pairs = people.iter().map(|p| (p.email.clone(), p.cohost));
    scheduler_core::schedule::unique_invitees(pairs, host_email)
        .into_iter()
        .map(|(email, cohost)| PlannedInvitee {
            name: people
                .iter()
                .filter(|p| p.email.eq_ignore_ascii_case(&email))
                .find_map(|p| p.name.clone()),
            email,
            cohost,
        })
        .collect()
}

/// Webex profile zones are lowercase IANA names ("europe/berlin"); find the canonical one.
fn zone_named(name: &str) -> Option<Tz> {
    name.parse().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .find(|tz| tz.name().eq_ignore_ascii_case(name))
            .copied()
    })
}

/// What a definite refusal from Webex means for the person, never Webex's raw text.
pub fn refusal_message(err: &WebexError) -> String {
    let (status, text) = match err {
        WebexError::Api {
            status, message, ..
        } => (*status, message.to_ascii_lowercase()),
        WebexError::RateLimited { .. } => (429, String::new()),
        WebexError::Unauthorized { .. } => (401, String::new()),
        WebexError::NotFound { .. } => (404, String::new()),
        _ => (0, String::new()),
    };
    let message = if status == 429 || text.contains("limit of") {
        "Webex allows at most 100 new meetings a day per person, and you've reached it. Try again tomorrow."
    } else if text.contains("past") || text.contains("before current time") {
        "That start time has already passed. Pick a time that is still ahead."
    } else if text.contains("password") {
        "Webex didn't accept that password. Use at least 8 characters with letters and digits, and no spaces."
    } else if text.contains("co-host") || text.contains("cohost") {
        "A co-host must have a host account on your Webex site. Invite them as a regular invitee instead."
    } else if status == 403 {
        "Your Webex account can't host meetings (it may have no Meetings licence). Ask your Webex admin."
    } else if status == 401 {
        "Webex didn't accept your authorisation. Type `connect` to link your account again."
    } else if status == 404 {
        "Webex couldn't find that meeting any more."
    } else {
        "Webex refused to schedule this meeting. Check the details and try again."
    };
    message.into()
}

fn safe_link(link: &str) -> String {
    if link.starts_with("https://") && !link.contains(['<', '>', ' ', ')']) {
        link.to_string()
    } else {
        escape_markdown(link)
    }
}

fn range_words(range: ListRange) -> &'static str {
    match range {
        ListRange::Today => "today",
        ListRange::Tomorrow => "tomorrow",
        ListRange::ThisWeek => "this week",
        ListRange::NextWeek => "next week",
        ListRange::Next7Days => "in the next 7 days",
    }
}

/// The instants a `list` covers, counted in the person's zone.
pub fn list_window(
    range: ListRange,
    now: DateTime<Utc>,
    zone: Tz,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let local_now = zone.from_utc_datetime(&now.naive_utc());
    let today = local_now.date_naive();
    let midnight = |d: chrono::NaiveDate| {
        zone.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    };
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    match range {
        ListRange::Today => (now, midnight(today + Duration::days(1))),
        ListRange::Tomorrow => (
            midnight(today + Duration::days(1)),
            midnight(today + Duration::days(2)),
        ),
        ListRange::ThisWeek => (now, midnight(monday + Duration::days(7))),
        ListRange::NextWeek => (
            midnight(monday + Duration::days(7)),
            midnight(monday + Duration::days(14)),
        ),
        ListRange::Next7Days => (now, now + Duration::days(7)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_ids_are_stable_short_and_distinct() {
        let a = command_id("MSG-1");
        assert_eq!(a, command_id("MSG-1"));
        assert_ne!(a, command_id("MSG-2"));
        assert!(a.len() <= 64 && a.starts_with("wxs-"));
    }

    #[test]
    fn invitees_are_unique_by_address_and_never_the_host() {
        let p = |e: &str, c: bool| PlannedInvitee {
            email: e.into(),
            name: None,
            cohost: c,
        };
        let got = unique_by_address(
            vec![
                p("Ana@x.com", false),
                p("ana@x.com", true),
                p("host@x.com", false),
                p("bob@x.com", false),
            ],
            "HOST@x.com",
        );
        assert_eq!(got, vec![p("Ana@x.com", true), p("bob@x.com", false)]);
    }

    #[test]
    fn refusals_are_explained_without_raw_text() {
        let api = |status: u16, message: &str| WebexError::Api {
            status,
            message: message.into(),
            tracking_id: None,
        };
        assert!(
            refusal_message(&api(400, "Start time cannot be in the past."))
                .contains("already passed")
        );
        assert!(refusal_message(&api(400, "Invalid password: too short")).contains("password"));
        assert!(refusal_message(&api(403, "User is not a host")).contains("can't host"));
        assert!(refusal_message(&api(400, "coHost must be a site user")).contains("co-host"));
        assert!(
            refusal_message(&api(429, "You have reached the limit of 100 meetings"))
                .contains("100")
        );
        let generic = refusal_message(&api(400, "internal thing XYZ-42"));
        assert!(!generic.contains("XYZ-42"));
    }

    #[test]
    fn list_windows_are_counted_in_the_persons_zone() {
        let zone: Tz = "Australia/Sydney".parse().unwrap();
        // 2027-03-03 13:00 UTC is Thursday 00:00 in Sydney (UTC+11).
        let now = Utc.with_ymd_and_hms(2027, 3, 3, 13, 30, 0).unwrap();
        let (from, to) = list_window(ListRange::Tomorrow, now, zone);
        assert_eq!(from, Utc.with_ymd_and_hms(2027, 3, 4, 13, 0, 0).unwrap());
        assert_eq!(to, Utc.with_ymd_and_hms(2027, 3, 5, 13, 0, 0).unwrap());
        let (from, to) = list_window(ListRange::NextWeek, now, zone);
        assert_eq!(from, Utc.with_ymd_and_hms(2027, 3, 7, 13, 0, 0).unwrap());
        assert_eq!(to, Utc.with_ymd_and_hms(2027, 3, 14, 13, 0, 0).unwrap());
    }
}
