//! The conversation: what the bot does with each Webex event, and what it says back.
//!
//! This is the chat boundary of the error tiers: a [`UserError`] is shown to the person as it
//! is; anything else is logged with its context and the person sees a short apology with a
//! reference they can quote to an admin.

pub mod mention;
pub mod registration;
mod reply;

pub use reply::{Reply, escape_markdown};

use crate::clock::SharedClock;
use crate::jobs::{JobError, JobHandler};
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
}

#[async_trait::async_trait]
impl JobHandler for Bot {
    async fn handle(&self, job: &ClaimedJob) -> Result<(), JobError> {
        if job.kind != WEBHOOK_JOB {
            return Err(JobError::Permanent(anyhow::anyhow!(
                "unknown job kind {}",
                job.kind
            )));
        }
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
    match err.downcast_ref::<WebexError>() {
        Some(w) if w.is_transient() => JobError::Retry(err),
        Some(_) => JobError::Permanent(err),
        None => JobError::Retry(err),
    }
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
        let reply = self.answer(&addressed);
        self.send_reply(&format!("messages:{}", event.data_id), &message, reply)
            .await
    }

    /// Decides what to say to a command. Pure apart from reading the clock.
    fn answer(&self, addressed: &mention::Addressed) -> Reply {
        reply::answer(&addressed.text)
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
