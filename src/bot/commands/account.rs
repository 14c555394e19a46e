//! `connect` and `disconnect`: linking the person's Webex account, and forgetting it.

use crate::bot::Bot;
use crate::bot::error::BotResult;
use crate::bot::reply::Reply;
use crate::webex::{Message, RoomType};

impl Bot {
    pub(crate) async fn connect(&self, person: &str, message: &Message) -> BotResult<Reply> {
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

    pub(crate) async fn disconnect(&self, person: &str) -> BotResult<Reply> {
        let had_tokens = self.tokens.linker().disconnect(person).await?;
        Ok(Reply::text(if had_tokens {
            "Disconnected: I deleted your stored Webex tokens. Type `connect` to link again."
        } else {
            "Your Webex account wasn't connected, so there was nothing to delete."
        }))
    }
}
