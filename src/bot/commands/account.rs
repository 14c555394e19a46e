//! `connect` and `disconnect`: linking the person's Webex account, and forgetting it.

use crate::bot::Bot;
use crate::bot::error::BotResult;
use crate::bot::reply::{self, Reply};
use crate::webex::{Message, RoomType};

impl Bot {
    /// `connect`: the link goes to the person alone. In their direct space the reply *is* the
    /// link (one message, recorded like any reply, so a retried job does not send a second);
    /// in a group space the link goes by direct message and the space gets one line.
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
        if message.room_type == Some(RoomType::Direct) {
            return Ok(Reply::text(reply::connect_link(&url)));
        }
        self.send_link(person, &url).await?;
        Ok(Reply::text(
            "I sent you a direct message with a link to connect your Webex account.",
        ))
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
