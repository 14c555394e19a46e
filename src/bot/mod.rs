//! The conversation: what the bot does with each Webex event, and what it says back.
//!
//! This is the chat boundary of the error tiers: a [`UserError`] is shown to the person as it
//! is; anything else is logged with its context and the person sees a short apology with a
//! reference they can quote to an admin.

pub mod mention;
pub mod registration;
mod reply;

pub use reply::{Reply, escape_markdown};

use crate::auth::{AuthError, TokenManager};
use crate::clock::SharedClock;
use crate::jobs::{JobError, JobHandler};
use crate::server::oauth::LINKED_JOB;
use crate::server::{BotIdentity, WEBHOOK_JOB, WebhookJob};
use crate::store::{ClaimedJob, Store};
use crate::webex::{Message, NewMessage, RoomType, WebexClient, WebexError};
use std::sync::{Arc, OnceLock};

/// A problem the person can act on; its text is safe to post in a space.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

/// Everything the conversation needs.
#[derive(Clone)]
pub struct Bot {
    pub webex: WebexClient,
    pub store: Store,
    pub identity: Arc<OnceLock<BotIdentity>>,
    pub clock: SharedClock,
    pub tokens: TokenManager,
}

#[async_trait::async_trait]
impl JobHandler for Bot {
    async fn handle(&self, job: &ClaimedJob) -> Result<(), JobError> {
        match job.kind.as_str() {
            WEBHOOK_JOB => self.handle_webhook(job).await,
            LINKED_JOB => self.on_linked(job).await.map_err(classify),
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
            ("memberships", "created") => self.on_membership(&event).await,
            _ => Ok(()),
        };
        result.map_err(classify)
    }
}

/// Whether a failed step is worth retrying. Webex rate limits and outages pass; a message
/// that is gone or a bot token that is refused will not get better by waiting.
fn classify(err: anyhow::Error) -> JobError {
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

impl Bot {
    fn identity(&self) -> anyhow::Result<&BotIdentity> {
        self.identity
            .get()
            .ok_or_else(|| anyhow::anyhow!("bot identity not known yet"))
    }

    async fn on_message(&self, event: &WebhookJob) -> anyhow::Result<()> {
        let bot = self.identity()?.clone();
        let message = self.webex.message(&event.data_id).await?;
        if message.person_id.as_deref() == Some(bot.id.as_str()) {
            return Ok(());
        }
        let addressed = mention::strip_bot_mention(
            message.text.as_deref().unwrap_or(""),
            message.html.as_deref(),
            &bot.id,
            &bot.display_name,
        );
        let reply = self.answer(&addressed, &message).await?;
        self.send_reply(&format!("messages:{}", event.data_id), &message, reply)
            .await
    }

    /// Decides what to say to a command, doing what it asks on the way.
    async fn answer(
        &self,
        addressed: &mention::Addressed,
        message: &Message,
    ) -> anyhow::Result<Reply> {
        let person = message.person_id.clone().unwrap_or_default();
        match reply::interpret(&addressed.text) {
            reply::Intent::Connect => self.connect(&person, message).await,
            reply::Intent::Disconnect => self.disconnect(&person).await,
            reply::Intent::Status => self.status(&person).await,
            reply::Intent::Other => Ok(reply::answer(&addressed.text)),
        }
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
        if let Some(resume) = job.payload["resume"].as_str() {
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

    /// Posts a reply once per delivery: in the thread of the request in a group space, as a
    /// plain message in a direct space.
    async fn send_reply(&self, key: &str, to: &Message, reply: Reply) -> anyhow::Result<()> {
        if self.store.reply_for(key).await?.is_some() {
            return Ok(());
        }
        let in_group = to.room_type == Some(RoomType::Group);
        let outgoing = NewMessage {
            room_id: to.room_id.clone(),
            parent_id: in_group.then(|| to.parent_id.clone().unwrap_or_else(|| to.id.clone())),
            markdown: Some(reply.markdown),
            ..Default::default()
        };
        let posted = self.webex.post_message(&outgoing).await?;
        self.store
            .record_reply(key, &posted.id, self.clock.now().timestamp_millis())
            .await?;
        Ok(())
    }
}
