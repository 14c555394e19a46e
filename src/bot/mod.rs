//! The conversation: what the bot does with each Webex event, and what it says back.
//!
//! This is the chat boundary of the error tiers: a [`UserError`] is shown to the person as it
//! is; anything else is logged with its context and the person sees a short apology with a
//! reference they can quote to an admin.

mod invitations;
pub mod meetings;
pub mod mention;
pub mod plan;
mod prompts;
pub mod registration;
mod reply;

pub use invitations::{MailConfig, SEND_MAIL_JOB};
pub use reply::{Reply, escape_markdown};

use crate::auth::{AuthError, TokenManager};
use crate::cards::{self, Submission};
use crate::jobs::{JobError, JobHandler};
use crate::server::oauth::LINKED_JOB;
use crate::server::{BotIdentity, WEBHOOK_JOB, WebhookJob};
use crate::store::{ClaimedJob, CommandState, NewJob, Store};
use crate::webex::{Message, NewMessage, RoomType, WebexClient, WebexError};
use chrono_tz::Tz;
use meetings::Asker;
use scheduler_core::clock::SharedClock;
use scheduler_core::command::{self, Command, Context, SettingChange};
use secrecy::{ExposeSecret, SecretString};
use std::sync::{Arc, OnceLock};

/// The thread a reply to `message` belongs in: its own (Webex threads are one level deep) in
/// a group space; none in a direct space.
fn thread_of(message: &Message) -> Option<String> {
    (message.room_type == Some(RoomType::Group)).then(|| {
        message
            .parent_id
            .clone()
            .unwrap_or_else(|| message.id.clone())
    })
}

/// Where a reply goes.
#[derive(Debug, Clone)]
struct Target {
    room: String,
    /// The message to thread under, in group spaces.
    thread: Option<String>,
}

/// The person's grant is gone: they were told (once) to connect again, and the work waits,
/// parked, until they do.
#[derive(Debug, thiserror::Error)]
#[error("waiting for the person to connect their Webex account again")]
pub struct NeedsReconnect(pub String);

/// A problem the person can act on; its text is safe to post in a space.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

/// The job that turns a meeting change into invitation e-mails.
pub const INVITATION_JOB: &str = "invitation";

/// What happened to a meeting, for its invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InvitationEvent {
    Created,
    Updated,
    Cancelled,
}

/// Choices an admin makes for everyone.
#[derive(Debug, Clone)]
pub struct BotConfig {
    pub default_timezone: Tz,
    pub max_invitees: usize,
    /// Let Webex send its own invitation e-mails instead of ours (never both).
    pub webex_sends_email: bool,
}

impl Default for BotConfig {
    fn default() -> Self {
        Self {
            default_timezone: Tz::UTC,
            max_invitees: 100,
            webex_sends_email: false,
        }
    }
}

/// Everything the conversation needs.
#[derive(Clone)]
pub struct Bot {
    pub webex: WebexClient,
    pub store: Store,
    pub identity: Arc<OnceLock<BotIdentity>>,
    pub clock: SharedClock,
    pub tokens: TokenManager,
    pub config: BotConfig,
    /// `None` when no SMTP server is configured: then no invitations are sent.
    pub mail: Option<MailConfig>,
}

#[async_trait::async_trait]
impl JobHandler for Bot {
    async fn handle(&self, job: &ClaimedJob) -> Result<(), JobError> {
        match job.kind.as_str() {
            WEBHOOK_JOB => self.handle_webhook(job).await,
            LINKED_JOB => self.on_linked(job).await.map_err(classify),
            INVITATION_JOB => self.on_invitation(job).await.map_err(classify),
            SEND_MAIL_JOB => self.on_send_mail(job).await.map_err(classify),
            other => Err(JobError::Permanent(anyhow::anyhow!(
                "unknown job kind {other}"
            ))),
        }
    }
}

impl Bot {
    async fn handle_webhook(&self, job: &ClaimedJob) -> Result<(), JobError> {
        let event: WebhookJob = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::Permanent(anyhow::anyhow!("bad webhook job payload: {e}")))?;
        let result = match (event.resource.as_str(), event.event.as_str()) {
            ("messages", "created") => self.on_message(&event).await,
            ("attachmentActions", "created") => self.on_card_action(&event).await,
            ("memberships", "created") => self.on_membership(&event).await,
            _ => Ok(()),
        };
        result.map_err(classify)
    }
}

/// Whether a failed step is worth retrying. Webex rate limits and outages pass; a message
/// that is gone or a bot token that is refused will not get better by waiting.
fn classify(err: anyhow::Error) -> JobError {
    if let Some(NeedsReconnect(person)) = err.downcast_ref::<NeedsReconnect>() {
        return JobError::Park {
            key: person.clone(),
            reason: "the person's Webex authorisation was revoked".into(),
        };
    }
    if err
        .downcast_ref::<invitations::PermanentMailError>()
        .is_some()
    {
        return JobError::Permanent(err);
    }
    if let Some(w) = err.downcast_ref::<WebexError>() {
        return if w.is_transient() {
            JobError::Retry(err)
        } else {
            JobError::Permanent(err)
        };
    }
    if let Some(a) = err.downcast_ref::<AuthError>() {
        return if a.is_transient() {
            JobError::Retry(err)
        } else {
            JobError::Permanent(err)
        };
    }
    JobError::Retry(err)
}

/// Errors that another attempt of the job may cure (Webex or database trouble); everything
/// else is answered now.
fn is_retryable(err: &anyhow::Error) -> bool {
    if let Some(w) = err.downcast_ref::<WebexError>() {
        return w.is_transient();
    }
    if let Some(a) = err.downcast_ref::<AuthError>() {
        return a.is_transient();
    }
    err.downcast_ref::<crate::store::StoreError>().is_some()
}

impl Bot {
    fn identity(&self) -> anyhow::Result<&BotIdentity> {
        self.identity
            .get()
            .ok_or_else(|| anyhow::anyhow!("bot identity not known yet"))
    }

    fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    async fn on_message(&self, event: &WebhookJob) -> anyhow::Result<()> {
        let bot = self.identity()?.clone();
        let message = self.webex.message(&event.data_id).await?;
        if message.person_id.as_deref() == Some(bot.id.as_str()) {
            return Ok(());
        }
        if arrived_too_late(message.created, event.received_at) {
            tracing::warn!(data_id = %event.data_id, "ignored a delivery that came over a day after its message (a replay?)");
            return Ok(());
        }
        let addressed = mention::strip_bot_mention(
            message.text.as_deref().unwrap_or(""),
            message.html.as_deref(),
            &bot.id,
            &bot.display_name,
        );
        let key = if event.resumed {
            format!("messages:{}:resumed", event.data_id)
        } else {
            format!("messages:{}", event.data_id)
        };
        if self.store.reply_for(&key).await?.is_some() {
            return Ok(());
        }
        let reply = self.chat_boundary(self.answer(&addressed, &message, event).await)?;
        let target = Target {
            room: message.room_id.clone().unwrap_or_default(),
            thread: thread_of(&message),
        };
        self.send_reply(&key, &target, reply).await
    }

    /// The chat boundary of the two error tiers: user errors are shown as they are; internal
    /// errors are logged with context and shown as a short apology with a reference; errors that
    /// a later attempt may cure go back to the queue untouched.
    fn chat_boundary(&self, outcome: anyhow::Result<Reply>) -> anyhow::Result<Reply> {
        match outcome {
            Ok(reply) => Ok(reply),
            Err(e) if e.downcast_ref::<UserError>().is_some() => Ok(Reply::text(e.to_string())),
            Err(e) if is_retryable(&e) || e.downcast_ref::<NeedsReconnect>().is_some() => Err(e),
            Err(e) => {
                let reference = &uuid::Uuid::new_v4().to_string()[..8];
                tracing::error!(error = %format!("{e:#}"), reference, "a request failed");
                Ok(Reply::text(format!(
                    "Sorry, something went wrong on my side (ref {reference}). Please try again in a minute."
                )))
            }
        }
    }

    /// Decides what to say to a message, doing what it asks on the way.
    async fn answer(
        &self,
        addressed: &mention::Addressed,
        message: &Message,
        event: &WebhookJob,
    ) -> anyhow::Result<Reply> {
        let person = message.person_id.clone().unwrap_or_default();
        let zone = self.zone_in_force(&person).await?;
        let mentions: Vec<command::Mention> = addressed
            .mentions
            .iter()
            .map(|m| command::Mention {
                person_id: m.person_id.clone(),
                text: m.text.clone(),
            })
            .collect();
        let context = Context {
            now: self.clock.now(),
            zone,
            mentions: &mentions,
            default_duration: chrono::Duration::minutes(30),
        };
        let parsed = match command::parse(&addressed.text, &context) {
            Ok(c) => c,
            Err(refusal) => {
                return Ok(Reply::text(format!(
                    "{} Type `help` for examples.",
                    escape_markdown(&refusal.message)
                )));
            }
        };
        let asker = Asker {
            person: person.clone(),
            room: message.room_id.clone().unwrap_or_default(),
            thread: thread_of(message),
            source_id: message.id.clone(),
        };
        let resume = serde_json::json!(WebhookJob {
            resumed: true,
            ..event.clone()
        });
        match parsed {
            Command::Help(topic) => Ok(Reply::text(command::help(topic.as_deref()))),
            Command::NotACommand => Ok(Reply::text(reply::hint())),
            Command::Connect => self.connect(&person, message).await,
            Command::Disconnect => self.disconnect(&person).await,
            Command::Settings(None) => self.status(&person).await,
            Command::Settings(Some(SettingChange::Confirm(on))) => {
                self.store.set_confirm(&person, on, self.now_ms()).await?;
                Ok(Reply::text(if on {
                    "OK: I'll show you a preview to confirm before I schedule anything."
                } else {
                    "OK: I'll schedule straight away, without a preview. `settings confirm on` brings it back."
                }))
            }
            Command::Tz(None) => {
                let example = match zone.name() {
                    "America/New_York" => "Europe/Berlin",
                    _ => "America/New_York",
                };
                Ok(Reply::text(format!(
                    "Your time zone is **{}**. Change it with `tz <zone>`, e.g. `tz {example}`.",
                    zone.name()
                )))
            }
            Command::Tz(Some(new_zone)) => {
                self.store
                    .set_timezone(&person, new_zone.name(), self.now_ms())
                    .await?;
                Ok(Reply::text(format!(
                    "Done: times you type now mean **{}** unless you name another zone.",
                    new_zone.name()
                )))
            }
            Command::Form => {
                let values = cards::FormValues::empty(zone, self.clock.now());
                self.post_form(values, cards::FieldErrors(Vec::new()), &asker, None)
                    .await
            }
            Command::Schedule(req) => match self.require_link(&asker, &resume).await? {
                Some(reply) => Ok(reply),
                None => self.schedule(req, &asker).await,
            },
            Command::List(range) => match self.require_link(&asker, &resume).await? {
                Some(reply) => Ok(reply),
                None => self.list(range, &asker).await,
            },
            Command::Cancel(reference) => match self.require_link(&asker, &resume).await? {
                Some(reply) => Ok(reply),
                None => self.ask_cancel(&reference, &asker).await,
            },
            Command::Reschedule {
                reference,
                start,
                end,
            } => match self.require_link(&asker, &resume).await? {
                Some(reply) => Ok(reply),
                None => self.reschedule(&reference, start, end, &asker).await,
            },
        }
    }

    /// A card button was pressed: only its owner may use it, and each card works once.
    async fn on_card_action(&self, event: &WebhookJob) -> anyhow::Result<()> {
        let action = self.webex.attachment_action(&event.data_id).await?;
        if arrived_too_late(action.created, event.received_at) {
            tracing::warn!(data_id = %event.data_id, "ignored a delivery that came over a day after its card action (a replay?)");
            return Ok(());
        }
        let key = format!("attachmentActions:{}", event.data_id);
        if self.store.reply_for(&key).await?.is_some() {
            return Ok(());
        }
        let room = action
            .room_id
            .clone()
            .or(event.room_id.clone())
            .unwrap_or_default();
        let in_group = self.webex.room(&room).await?.room_type == Some(RoomType::Group);
        // Webex threads are one level deep: answer in the card's own thread.
        let thread = match (in_group, action.message_id.clone()) {
            (true, Some(card)) => Some(self.webex.message(&card).await?.parent_id.unwrap_or(card)),
            _ => None,
        };
        let asker = Asker {
            person: action.person_id.clone().unwrap_or_default(),
            room: room.clone(),
            thread: thread.clone(),
            source_id: action.id.clone(),
        };
        let resume = serde_json::json!(WebhookJob {
            resumed: true,
            ..event.clone()
        });
        let outcome = self.press(&action.inputs, &asker, in_group, &resume).await;
        let reply = self.chat_boundary(outcome)?;
        let key = if event.resumed {
            format!("{key}:resumed")
        } else {
            key
        };
        self.send_reply(&key, &Target { room, thread }, reply).await
    }

    async fn press(
        &self,
        inputs: &serde_json::Value,
        asker: &Asker,
        in_group: bool,
        resume: &serde_json::Value,
    ) -> anyhow::Result<Reply> {
        use meetings::{ACTION_CONFIRM_CANCEL, ACTION_KEEP};
        let verb = inputs["action"].as_str().unwrap_or_default();
        if verb == ACTION_CONFIRM_CANCEL || verb == ACTION_KEEP {
            let prompt = inputs["card_id"].as_str().unwrap_or_default();
            return self.answer_cancel_prompt(verb, prompt, &asker.person).await;
        }
        // Anything a client sends is untrusted: the cards module checks every key and type.
        let submission = cards::read_submission(inputs).map_err(UserError)?;
        match submission {
            Submission::Schedule { card_id } => self.press_schedule(&card_id, &asker.person).await,
            Submission::Edit { card_id } => self.press_edit(&card_id, asker, in_group).await,
            Submission::Cancel { card_id } => self.press_dismiss(&card_id, &asker.person).await,
            Submission::Form { card_id, values } => {
                self.form_submitted(&card_id, values, asker, in_group, resume)
                    .await
            }
        }
    }

    async fn owned_command(
        &self,
        card: &str,
        presser: &str,
    ) -> anyhow::Result<Result<crate::store::CommandRow, Reply>> {
        let Some(row) = self.store.command(card).await? else {
            return Err(
                UserError("I don't recognise that card. Type your request again.".into()).into(),
            );
        };
        if row.person_id != presser {
            return Ok(Err(Reply::text(
                "Only the person who asked for this meeting can use this card. \
                 Type your own request to schedule one.",
            )));
        }
        Ok(Ok(row))
    }

    async fn press_schedule(&self, card: &str, presser: &str) -> anyhow::Result<Reply> {
        let row = match self.owned_command(card, presser).await? {
            Ok(row) => row,
            Err(note) => return Ok(note),
        };
        let confirmed = self
            .store
            .transition_command(
                card,
                CommandState::Previewed,
                CommandState::Confirmed,
                self.now_ms(),
            )
            .await?;
        if confirmed || row.state == CommandState::Confirmed {
            self.create_meeting(card).await
        } else {
            Ok(Reply::silent())
        }
    }

    async fn press_dismiss(&self, card: &str, presser: &str) -> anyhow::Result<Reply> {
        if self.store.command(card).await?.is_none() {
            // The form's own Cancel.
            return match self.store.prompt_owner(card).await? {
                None => Err(UserError("I don't recognise that card.".into()).into()),
                Some(owner) if owner != presser => {
                    Ok(Reply::text("Only the person this form is for can use it."))
                }
                Some(_) => self.close_prompt(card, "OK, nothing scheduled.").await,
            };
        }
        if let Err(note) = self.owned_command(card, presser).await? {
            return Ok(note);
        }
        let dismissed = self
            .store
            .transition_command(
                card,
                CommandState::Previewed,
                CommandState::Dismissed,
                self.now_ms(),
            )
            .await?;
        Ok(if dismissed {
            Reply::text("OK, I didn't schedule it.")
        } else {
            Reply::silent()
        })
    }

    /// Edit on a preview: retire the preview and post the form, filled in.
    async fn press_edit(&self, card: &str, asker: &Asker, in_group: bool) -> anyhow::Result<Reply> {
        let row = match self.owned_command(card, &asker.person).await? {
            Ok(row) => row,
            Err(note) => return Ok(note),
        };
        let retired = self
            .store
            .transition_command(
                card,
                CommandState::Previewed,
                CommandState::Dismissed,
                self.now_ms(),
            )
            .await?;
        if !retired {
            return Ok(Reply::silent());
        }
        let plan: plan::Plan = serde_json::from_str(&row.plan)?;
        let mut values = plan.form.clone().unwrap_or_default();
        // Everyone in a group space sees the card: there the password is kept, not shown.
        let password = self.plan_password(&plan, card)?;
        let (shown, kept) = match in_group {
            true => (None, password),
            false => (password, None),
        };
        values.set(
            "password",
            shown
                .map(|p| p.expose_secret().to_string())
                .unwrap_or_default(),
        );
        self.post_form(values, cards::FieldErrors(Vec::new()), asker, kept)
            .await
    }

    /// Registers a form card for its owner and returns it as the reply. `kept` is a password
    /// the person already chose that the card must not show: it is sealed with the card's
    /// registration and used when the submitted password field is empty.
    async fn post_form(
        &self,
        values: cards::FormValues,
        errors: cards::FieldErrors,
        asker: &Asker,
        kept: Option<SecretString>,
    ) -> anyhow::Result<Reply> {
        let card_id = meetings::command_id(&format!("form:{}", asker.source_id));
        let payload = match &kept {
            Some(password) => {
                let sealed = self
                    .tokens
                    .linker()
                    .cipher()
                    .seal(password, &kept_password_aad(&card_id))?;
                serde_json::json!({ "keptPassword": plan::SealedValue::from(sealed) }).to_string()
            }
            None => "form".to_string(),
        };
        self.store
            .insert_prompt(
                &card_id,
                &asker.person,
                &asker.room,
                &payload,
                self.now_ms(),
            )
            .await?;
        let fallback = if errors.is_empty() {
            "Create a meeting: fill in the card."
        } else {
            "Some fields need a fix: see the card."
        };
        let card = match kept {
            Some(_) => cards::form_keeping_password(&values, &errors, &card_id),
            None => cards::form(&values, &errors, &card_id),
        };
        Ok(Reply::card(fallback, card))
    }

    /// The password a form card keeps out of sight (see [`Self::post_form`]), if any.
    fn kept_password(&self, card_id: &str, payload: &str) -> anyhow::Result<Option<SecretString>> {
        let Ok(payload) = serde_json::from_str::<serde_json::Value>(payload) else {
            return Ok(None); // A plain form ("form").
        };
        let Some(sealed) = payload.get("keptPassword") else {
            return Ok(None);
        };
        let sealed: plan::SealedValue = serde_json::from_value(sealed.clone())?;
        Ok(Some(
            self.tokens
                .linker()
                .cipher()
                .open(&(&sealed).into(), &kept_password_aad(card_id))?,
        ))
    }

    /// A filled form: checked on the server with the same rules as typed commands, then it
    /// goes through the same path (preview, Schedule, creation).
    async fn form_submitted(
        &self,
        card: &str,
        values: cards::FormValues,
        asker: &Asker,
        in_group: bool,
        resume: &serde_json::Value,
    ) -> anyhow::Result<Reply> {
        match self.store.prompt_owner(card).await? {
            None => return Err(UserError("I don't recognise that card.".into()).into()),
            Some(owner) if owner != asker.person => {
                return Ok(Reply::text(
                    "Only the person this form is for can submit it.",
                ));
            }
            Some(_) => {}
        }
        let request = match cards::read_form(&values, self.clock.now()) {
            Ok(request) => request,
            Err(errors) => {
                let Some((_, payload)) = self.store.answer_prompt(card, self.now_ms()).await?
                else {
                    return Ok(Reply::silent());
                };
                let mut values = values;
                let typed = std::mem::take(&mut values.password);
                // The form comes back as a new message: in a group space everyone can read it.
                let kept = if typed.is_empty() {
                    self.kept_password(card, &payload)?
                } else if !in_group {
                    values.password = typed;
                    None
                } else if errors.get("password").is_none() {
                    Some(SecretString::from(typed))
                } else {
                    None // A password that won't do is neither shown to the space nor kept.
                };
                return self.post_form(values, errors, asker, kept).await;
            }
        };
        if let Some(reply) = self.require_link(asker, resume).await? {
            return Ok(reply);
        }
        let Some((_, payload)) = self.store.answer_prompt(card, self.now_ms()).await? else {
            return Ok(Reply::silent()); // Submitted twice: the first one counts.
        };
        let mut request = request;
        if request.password.is_none() {
            request.password = self
                .kept_password(card, &payload)?
                .map(|p| p.expose_secret().to_string());
        }
        self.schedule(request, asker).await
    }

    /// Closes a question card: the first press gets `said`, later presses nothing.
    async fn close_prompt(&self, prompt: &str, said: &str) -> anyhow::Result<Reply> {
        let first = self
            .store
            .answer_prompt(prompt, self.now_ms())
            .await?
            .is_some();
        Ok(if first {
            Reply::text(said)
        } else {
            Reply::silent()
        })
    }

    async fn answer_cancel_prompt(
        &self,
        verb: &str,
        prompt: &str,
        presser: &str,
    ) -> anyhow::Result<Reply> {
        match self.store.prompt_owner(prompt).await? {
            None => Err(UserError("I don't recognise that card.".into()).into()),
            Some(owner) if owner != presser => {
                Ok(Reply::text("Only the person who asked can answer this."))
            }
            Some(_) if verb == meetings::ACTION_KEEP => {
                self.close_prompt(prompt, "OK, I kept it.").await
            }
            Some(owner) => self.confirm_cancel(prompt, &owner).await,
        }
    }

    /// Queues the invitation e-mails for a meeting change; `payload` names the event
    /// (`event`, a unique `eventId`, the `meeting`, and what changed).
    async fn enqueue_invitation(&self, payload: serde_json::Value) -> anyhow::Result<()> {
        let key = format!("invite:{}", payload["meeting"].as_str().unwrap_or("?"));
        self.store
            .enqueue(&NewJob::new(INVITATION_JOB, &key, payload), self.now_ms())
            .await?;
        Ok(())
    }

    async fn connect(&self, person: &str, message: &Message) -> anyhow::Result<Reply> {
        let linker = self.tokens.linker();
        if !linker.is_configured() {
            return Ok(Reply::text(
                "Account linking isn't set up on this bot yet. Please ask the admin who runs it.",
            ));
        }
        let url = linker
            .start(person, message.room_id.as_deref(), None)
            .await?;
        self.send_link(person, &url).await?;
        Ok(Reply::text(if message.room_type == Some(RoomType::Group) {
            "I sent you a direct message with a link to connect your Webex account."
        } else {
            "Follow the link above to connect your Webex account."
        }))
    }

    /// The link goes to the person alone, in a direct message, whoever else is in the space.
    async fn send_link(&self, person: &str, url: &url::Url) -> anyhow::Result<()> {
        let dm = NewMessage {
            to_person_id: Some(person.to_string()),
            markdown: Some(reply::connect_link(url)),
            ..Default::default()
        };
        self.webex.post_message(&dm).await?;
        Ok(())
    }

    async fn disconnect(&self, person: &str) -> anyhow::Result<Reply> {
        let had_tokens = self.tokens.linker().disconnect(person).await?;
        Ok(Reply::text(if had_tokens {
            "Disconnected: I deleted your stored Webex tokens. Type `connect` to link again."
        } else {
            "Your Webex account wasn't connected, so there was nothing to delete."
        }))
    }

    /// Shows the account state, checked live with the person's own token (so a revoked grant
    /// is noticed here, not at the next meeting).
    async fn status(&self, person: &str) -> anyhow::Result<Reply> {
        let account = match self
            .as_person(person, |auth| async move { self.webex.me(&auth).await })
            .await
        {
            Ok(me) => Some(me.emails.first().cloned().unwrap_or_default()),
            Err(e) if e.downcast_ref::<NeedsReconnect>().is_some() => None,
            Err(e) => match e.downcast_ref::<AuthError>() {
                Some(AuthError::NotConnected | AuthError::Revoked | AuthError::NotConfigured) => {
                    None
                }
                _ => return Err(e),
            },
        };
        let prefs = self.store.person_prefs(person).await?;
        Ok(Reply::text(reply::status(account.as_deref(), &prefs)))
    }

    /// Runs a Webex call with the person's own token, refreshing once if Webex refuses it.
    /// A revoked grant is recorded and the person told once, in a direct message.
    async fn as_person<T, F, Fut>(&self, person: &str, call: F) -> anyhow::Result<T>
    where
        F: Fn(crate::webex::Auth) -> Fut,
        Fut: std::future::Future<Output = Result<T, WebexError>>,
    {
        let outcome = async {
            let token = self.tokens.access_token(person).await?;
            match call(crate::webex::Auth::User(token.token.clone())).await {
                Err(WebexError::Unauthorized { .. }) => {
                    let fresh = self.tokens.after_unauthorized(person, &token.token).await?;
                    Ok(call(crate::webex::Auth::User(fresh.token)).await?)
                }
                other => Ok(other?),
            }
        }
        .await;
        if let Err(AuthError::Revoked) = &outcome {
            self.tell_revoked_once(person).await?;
            return Err(NeedsReconnect(person.to_string()).into());
        }
        outcome.map_err(anyhow::Error::from)
    }

    async fn tell_revoked_once(&self, person: &str) -> anyhow::Result<()> {
        let now = self.clock.now().timestamp_millis();
        if self.store.mark_needs_reconnect(person, now).await? {
            let dm = NewMessage {
                to_person_id: Some(person.to_string()),
                markdown: Some(reply::revoked_notice()),
                ..Default::default()
            };
            self.webex.post_message(&dm).await?;
        }
        Ok(())
    }

    /// After a successful link: say so where the person asked, then redo what they asked for.
    async fn on_linked(&self, job: &ClaimedJob) -> anyhow::Result<()> {
        let person = job.payload["personId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let key = format!("linked:{}", job.id);
        if self.store.reply_for(&key).await?.is_none() {
            let notice = NewMessage {
                room_id: job.payload["roomId"].as_str().map(str::to_string),
                to_person_id: job.payload["roomId"].is_null().then(|| person.clone()),
                markdown: Some(
                    "You're connected: I can now schedule Webex meetings as you.".into(),
                ),
                ..Default::default()
            };
            let posted = self.webex.post_message(&notice).await?;
            self.store
                .record_reply(&key, &posted.id, self.clock.now().timestamp_millis())
                .await?;
        }
        // `resume` is how jobs queued before `resumes` existed carry their one request.
        let resumes = job.payload["resumes"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(job.payload.get("resume"))
            .filter_map(serde_json::Value::as_str);
        for resume in resumes {
            let payload: serde_json::Value = serde_json::from_str(resume)?;
            let queue_key = payload["roomId"].as_str().unwrap_or(&person).to_string();
            self.store
                .enqueue(
                    &crate::store::NewJob::new(WEBHOOK_JOB, &queue_key, payload),
                    self.clock.now().timestamp_millis(),
                )
                .await?;
        }
        Ok(())
    }

    async fn on_membership(&self, event: &WebhookJob) -> anyhow::Result<()> {
        let bot = self.identity()?;
        let (Some(person), Some(room)) = (&event.person_id, &event.room_id) else {
            return Ok(());
        };
        if person != &bot.id {
            return Ok(());
        }
        let key = format!("memberships:{}", event.data_id);
        if self.store.reply_for(&key).await?.is_some() {
            return Ok(());
        }
        let greeting = NewMessage {
            room_id: Some(room.clone()),
            markdown: Some(reply::greeting(&bot.display_name)),
            ..Default::default()
        };
        let posted = self.webex.post_message(&greeting).await?;
        self.store
            .record_reply(&key, &posted.id, self.clock.now().timestamp_millis())
            .await?;
        Ok(())
    }

    /// Posts a reply once per delivery key, in the given thread (group spaces) or plainly.
    async fn send_reply(&self, key: &str, target: &Target, reply: Reply) -> anyhow::Result<()> {
        if reply.is_silent() || self.store.reply_for(key).await?.is_some() {
            return Ok(());
        }
        let outgoing = NewMessage {
            room_id: Some(target.room.clone()),
            parent_id: target.thread.clone(),
            markdown: Some(reply.markdown),
            attachments: reply
                .card
                .map(crate::webex::Attachment::adaptive_card)
                .into_iter()
                .collect(),
            ..Default::default()
        };
        let posted = self.webex.post_message(&outgoing).await?;
        self.store
            .record_reply(key, &posted.id, self.now_ms())
            .await?;
        Ok(())
    }
}

/// Webex retries a failed delivery for minutes, not days. A delivery that comes more than this
/// long after its message or card action was written is a replayed capture (a Webex signature
/// never expires) of something the inbox may have forgotten (retention), so it is ignored.
const LATEST_DELIVERY: chrono::Duration = chrono::Duration::hours(24);

fn arrived_too_late(
    written: Option<chrono::DateTime<chrono::Utc>>,
    received_at_ms: Option<i64>,
) -> bool {
    match (
        written,
        received_at_ms.and_then(chrono::DateTime::from_timestamp_millis),
    ) {
        (Some(written), Some(received)) => received - written > LATEST_DELIVERY,
        _ => false,
    }
}

/// Binds a kept password's seal to the form card it belongs to.
fn kept_password_aad(card_id: &str) -> String {
    format!("{card_id}:kept-password")
}
