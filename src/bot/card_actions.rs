//! A card button was pressed: only its owner may use it, and each card works once.
//!
//! Anyone can post an attachment action with any inputs, so the presser is checked against
//! the card's owner and the inputs are read strictly (`cards::read_submission`).

use super::Bot;
use super::conversation::{Asker, Target, arrived_too_late};
use super::error::{BotError, BotResult};
use super::reply::Reply;
use crate::cards::{self, Submission};
use crate::jobs::kinds::WebhookEvent;
use crate::store::{CommandRow, CommandState};

use crate::webex::RoomType;

/// The buttons of a cancel or move question carry these in `data.action` (the preview's and
/// the form's buttons are read by `cards::read_submission`).
pub(crate) const ACTION_CONFIRM_CANCEL: &str = "confirm_cancel";
pub(crate) const ACTION_KEEP: &str = "keep";
pub(crate) const ACTION_CONFIRM_MOVE: &str = "confirm_move";
pub(crate) const ACTION_KEEP_TIME: &str = "keep_time";
const QUESTION_ACTIONS: [&str; 4] = [
    ACTION_CONFIRM_CANCEL,
    ACTION_KEEP,
    ACTION_CONFIRM_MOVE,
    ACTION_KEEP_TIME,
];

impl Bot {
    /// A card button was pressed: only its owner may use it, and each card works once.
    pub(crate) async fn on_card_action(&self, event: &WebhookEvent) -> BotResult<()> {
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
            in_group,
            source_id: action.id.clone(),
        };
        let resume = event.resumed();
        let outcome = self.press(&action.inputs, &asker, in_group, &resume).await;
        let reply = self.chat_boundary(outcome)?;
        let key = if event.resumed {
            format!("{key}:resumed")
        } else {
            key
        };
        self.send_reply(&key, &Target { room, thread }, reply).await
    }

    pub(crate) async fn press(
        &self,
        inputs: &serde_json::Value,
        asker: &Asker,
        in_group: bool,
        resume: &WebhookEvent,
    ) -> BotResult<Reply> {
        let verb = inputs["action"].as_str().unwrap_or_default();
        if QUESTION_ACTIONS.contains(&verb) {
            let prompt = inputs["card_id"].as_str().unwrap_or_default();
            return self.answer_question(verb, prompt, &asker.person).await;
        }
        // Anything a client sends is untrusted: the cards module checks every key and type.
        let submission = cards::read_submission(inputs).map_err(BotError::User)?;
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

    pub(crate) async fn owned_command(
        &self,
        card: &str,
        presser: &str,
    ) -> BotResult<Result<CommandRow, Reply>> {
        let Some(row) = self.store.command(card).await? else {
            return Err(BotError::User(
                "I don't recognise that card. Type your request again.".into(),
            ));
        };
        if row.person_id != presser {
            return Ok(Err(Reply::text(
                "Only the person who asked for this meeting can use this card. \
                 Type your own request to schedule one.",
            )));
        }
        Ok(Ok(row))
    }

    async fn press_schedule(&self, card: &str, presser: &str) -> BotResult<Reply> {
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
            return self.create_meeting(card).await;
        }
        Ok(match row.state {
            CommandState::Created => already_scheduled(&row),
            _ => Reply::silent(),
        })
    }

    async fn press_dismiss(&self, card: &str, presser: &str) -> BotResult<Reply> {
        if self.store.command(card).await?.is_none() {
            // The form's own Cancel.
            return match self.store.prompt_owner(card).await? {
                None => Err(BotError::User("I don't recognise that card.".into())),
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

    /// Closes a question card: the first press gets `said`, later presses nothing.
    async fn close_prompt(&self, prompt: &str, said: &str) -> BotResult<Reply> {
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

    /// A cancel or move question answered: only by the person who asked, once.
    async fn answer_question(&self, verb: &str, prompt: &str, presser: &str) -> BotResult<Reply> {
        match self.store.prompt_owner(prompt).await? {
            None => Err(BotError::User("I don't recognise that card.".into())),
            Some(owner) if owner != presser => {
                Ok(Reply::text("Only the person who asked can answer this."))
            }
            Some(_) if verb == ACTION_KEEP => self.close_prompt(prompt, "OK, I kept it.").await,
            Some(_) if verb == ACTION_KEEP_TIME => self.keep_time(prompt).await,
            Some(owner) if verb == ACTION_CONFIRM_MOVE => self.confirm_move(prompt, &owner).await,
            Some(owner) => self.confirm_cancel(prompt, &owner).await,
        }
    }
}

/// A second Schedule on a preview whose meeting exists: say where it is rather than nothing,
/// so a person who missed the confirmation (or pressed twice) is not left wondering.
fn already_scheduled(row: &CommandRow) -> Reply {
    Reply::text(match (&row.web_link, &row.meeting_number) {
        (Some(link), _) => format!("Already scheduled: {}", super::creation::safe_link(link)),
        (None, Some(number)) => format!(
            "Already scheduled: meeting number {}.",
            super::reply::escape_markdown(number)
        ),
        (None, None) => "Already scheduled.".to_string(),
    })
}
