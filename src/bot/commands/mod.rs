//! One module per command people type, and the dispatcher that picks one.
//!
//! The dispatcher is the only place that knows every command. A command that acts on the
//! person's Webex account declares it in the grammar ([`Command::needs_linked_account`]), and
//! the gate is applied here, once, before that command's handler runs: an unlinked person gets
//! a link and the request is carried on after they connect.

mod account;
mod cancel;
mod form;
mod help;
mod list;
mod reschedule;
mod schedule;
mod settings;

#[cfg(test)]
pub(crate) use list::listing_text;
pub(crate) use list::range_named;
#[cfg(test)]
pub(crate) use schedule::preview_fallback;

use super::Bot;
use super::conversation::Asker;
use super::error::{BotError, BotResult};
use super::mention::Addressed;
use super::reply::Reply;
use crate::jobs::kinds::WebhookEvent;
use crate::metrics::labels;
use crate::webex::{Message, RoomType};
use scheduler_core::command::{self, Command, Context};

/// How a parsed command ended, as a metrics label (an error may be retried by the queue).
fn outcome_label(answered: &BotResult<Reply>) -> &'static str {
    match answered {
        Ok(_) => "answered",
        Err(BotError::NeedsReconnect { .. }) => "needs_reconnect",
        Err(_) => "failed",
    }
}

impl Bot {
    /// Decides what to say to a message, doing what it asks on the way.
    pub(crate) async fn answer(
        &self,
        addressed: &Addressed,
        message: &Message,
        event: &WebhookEvent,
    ) -> BotResult<Reply> {
        if let Some(reply) = self.gate(&addressed.text, message).await? {
            return Ok(reply);
        }
        let asker = Asker::of_message(message);
        // A grant found gone while reading the person's zone (they have been told, once):
        // what acts on their account waits for them to reconnect; the rest is answered now.
        let (zone, grant_gone) = match self.zone_in_force(&asker.person).await {
            Ok(zone) => (zone, None),
            Err(gone @ BotError::NeedsReconnect { .. }) => {
                (self.config.default_timezone, Some(gone))
            }
            Err(e) => return Err(e),
        };
        let mentions: Vec<command::Mention> = addressed
            .mentions
            .iter()
            .map(|m| command::Mention {
                person_id: m.person_id.clone(),
                text: m.text.clone(),
            })
            .collect();
        let context = Context {
            mentions: &mentions,
            ..Context::new(self.clock.now(), zone)
        };
        let parsed = match command::parse(&addressed.text, &context) {
            Ok(parsed) => parsed,
            Err(refusal) => {
                self.metrics.command(labels::UNPARSED, "not_understood");
                return Ok(help::refused(&refusal));
            }
        };
        // What the grammar chose where a person may have meant otherwise (PST in summer,
        // "biweekly"): said under the schedule's reply.
        let notes = command::reading_notes(&addressed.text, &parsed);
        let is_schedule = matches!(parsed, Command::Schedule(_));
        let kind = labels::command_kind(&parsed);
        let answered = self
            .answer_parsed(parsed, &asker, zone, grant_gone, message, event)
            .await
            .map(|reply| match is_schedule {
                true => with_notes(reply, &notes),
                false => reply,
            });
        self.metrics.command(kind, outcome_label(&answered));
        answered
    }

    /// Answers a command that parsed; `grant_gone` is set when the person's grant was found
    /// gone on the way.
    async fn answer_parsed(
        &self,
        parsed: Command,
        asker: &Asker,
        zone: chrono_tz::Tz,
        grant_gone: Option<BotError>,
        message: &Message,
        event: &WebhookEvent,
    ) -> BotResult<Reply> {
        // A space with others: a calendar is answered privately and list numbers are not read
        // there (see `list`). Anything but a known direct space counts as shared.
        let shared = message.room_type != Some(RoomType::Direct);
        if shared && let Some(reply) = list::list_number_in_shared_space(&parsed) {
            return Ok(reply);
        }
        if parsed.needs_linked_account() {
            if let Some(gone) = grant_gone {
                return Err(gone);
            }
            if let Some(reply) = self.require_link(asker, &event.resumed()).await? {
                return Ok(reply);
            }
        }
        match parsed {
            Command::Help(topic) => Ok(help::help(topic.as_deref())),
            Command::NotACommand => Ok(help::hint()),
            Command::Question(range) => Ok(help::question(range)),
            Command::Unsupported(request) => Ok(help::unsupported(request)),
            Command::Thanks => Ok(help::thanks()),
            Command::Connect => self.connect(&asker.person, message).await,
            Command::Disconnect => self.disconnect(&asker.person).await,
            Command::Settings(None) => self.status(&asker.person).await,
            Command::Settings(Some(change)) => self.change_setting(&asker.person, change).await,
            Command::Tz(None) => Ok(settings::show_zone(zone)),
            Command::Tz(Some(new_zone)) => self.set_zone(&asker.person, new_zone).await,
            Command::Form => self.open_form(zone, asker).await,
            Command::Schedule(request) => self.schedule(request, asker).await,
            Command::List(range) => self.list(range, asker, shared).await,
            Command::Cancel(reference) => self.ask_cancel(&reference, asker).await,
            Command::Reschedule { reference, to } => self.reschedule(&reference, &to, asker).await,
        }
    }
}

/// The reply with the grammar's notes on how the message was read ("You wrote PST, but …")
/// after it. Only the text carries them: a preview card's own fields are unchanged.
fn with_notes(mut reply: Reply, notes: &[String]) -> Reply {
    if notes.is_empty() || reply.is_silent() {
        return reply;
    }
    for note in notes {
        reply.markdown.push_str("\n\n");
        reply.markdown.push_str(note);
    }
    reply
}
