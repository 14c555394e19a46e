//! A message arrives: who asked and where, what they wrote, and the answer in its thread.
//!
//! This is the chat boundary of the error tiers: what [`BotError::next_step`] says to tell the
//! person is posted as it is; a failure nothing will cure is logged with its context and the
//! person sees a short apology with a reference they can quote to an admin; anything a later
//! attempt may cure goes back to the queue untouched.

use super::Bot;
use super::error::{BotResult, NextStep};
use super::mention;
use super::reply::{self, Reply};
use crate::jobs::kinds::WebhookEvent;
use crate::webex::{Message, NewMessage, RoomType};
use sha2::{Digest, Sha256};

/// Who asked, and where to answer.
#[derive(Debug, Clone)]
pub(crate) struct Asker {
    pub person: String,
    pub room: String,
    /// The thread to answer in (group spaces), if any.
    pub thread: Option<String>,
    /// Whether the space is a group space (else the person's direct space with the bot).
    pub in_group: bool,
    /// The message or card action that asked; the command id derives from it.
    pub source_id: String,
}

impl Asker {
    /// Whoever wrote `message`, answered where they wrote it.
    pub(crate) fn of_message(message: &Message) -> Self {
        Asker {
            person: message.person_id.clone().unwrap_or_default(),
            room: message.room_id.clone().unwrap_or_default(),
            thread: thread_of(message),
            in_group: message.room_type == Some(RoomType::Group),
            source_id: message.id.clone(),
        }
    }
}

/// The id under which a request is stored and tagged at Webex (≤ 64 characters).
pub(crate) fn command_id(source_id: &str) -> String {
    let digest = Sha256::digest(source_id.as_bytes());
    format!("wxs-{}", &hex::encode(digest)[..24])
}

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
pub(crate) struct Target {
    pub(crate) room: String,
    /// The message to thread under, in group spaces.
    pub(crate) thread: Option<String>,
}

impl Bot {
    /// A webhook delivery: a message, a card action, or the bot added to a space.
    pub(crate) async fn on_webhook(&self, event: WebhookEvent) -> BotResult<()> {
        match (event.resource.as_str(), event.event.as_str()) {
            ("messages", "created") => self.on_message(&event).await,
            ("attachmentActions", "created") => self.on_card_action(&event).await,
            ("memberships", "created") => self.on_membership(&event).await,
            _ => Ok(()),
        }
    }

    async fn on_message(&self, event: &WebhookEvent) -> BotResult<()> {
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

    /// The chat boundary of the two error tiers, carrying out [`BotError::next_step`].
    pub(crate) fn chat_boundary(&self, outcome: BotResult<Reply>) -> BotResult<Reply> {
        match outcome {
            Ok(reply) => Ok(reply),
            Err(e) => match e.next_step() {
                NextStep::TellPerson(message) => Ok(Reply::text(message)),
                NextStep::RetryLater | NextStep::ParkUntilReconnect { .. } => Err(e),
                NextStep::GiveUp => {
                    // The work's reference, which is on every log line of it (ops::reference).
                    let reference = crate::ops::reference::current()
                        .unwrap_or_else(crate::ops::reference::fresh);
                    tracing::error!(error = %e.report(), "a request failed");
                    Ok(Reply::text(format!(
                        "Sorry, something went wrong on my side (reference: {reference}). Please try again in a minute."
                    )))
                }
            },
        }
    }

    async fn on_membership(&self, event: &WebhookEvent) -> BotResult<()> {
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
    pub(crate) async fn send_reply(
        &self,
        key: &str,
        target: &Target,
        reply: Reply,
    ) -> BotResult<()> {
        if reply.is_silent() || self.store.reply_for(key).await?.is_some() {
            return Ok(());
        }
        let outgoing = NewMessage {
            room_id: Some(target.room.clone()),
            parent_id: target.thread.clone(),
            markdown: Some(with_reference(reply.markdown)),
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

/// A reply whose work goes on in the background (a meeting changed: invitations follow) ends
/// with the work's reference, so the person can quote it and support can find every log line
/// of that work (see `ops::reference`).
fn with_reference(markdown: String) -> String {
    match crate::ops::reference::to_show() {
        Some(reference) => format!("{markdown}\n\n_reference: {reference}_"),
        None => markdown,
    }
}

/// Webex retries a failed delivery for minutes, not days. A delivery that comes more than this
/// long after its message or card action was written is a replayed capture (a Webex signature
/// never expires) of something the inbox may have forgotten (retention), so it is ignored.
const LATEST_DELIVERY: chrono::Duration = chrono::Duration::hours(24);

pub(crate) fn arrived_too_late(
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
}
