//! What the bot says, as markdown ready for `POST /messages`, always within Webex's message
//! size (`super::budget`).

use super::budget::{MESSAGE_LIMIT, fit};

/// A reply to post.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// Shown by every client, and the fallback text of a card.
    pub markdown: String,
    pub card: Option<serde_json::Value>,
}

impl Reply {
    /// A message; one longer than Webex takes is cut to fit ([`fit`]): the builders of
    /// replies that grow keep within the limit themselves, this only guarantees it.
    pub fn text(markdown: impl Into<String>) -> Self {
        Self {
            markdown: fit(markdown.into(), MESSAGE_LIMIT),
            card: None,
        }
    }

    /// A card, and the text shown where cards are not (within the limit, as for [`Self::text`]).
    pub fn card(fallback: impl Into<String>, card: serde_json::Value) -> Self {
        Self {
            markdown: fit(fallback.into(), MESSAGE_LIMIT),
            card: Some(card),
        }
    }

    /// Nothing to say (e.g. a card pressed a second time).
    pub(crate) fn silent() -> Self {
        Self::text(String::new())
    }

    pub(crate) fn is_silent(&self) -> bool {
        self.markdown.is_empty() && self.card.is_none()
    }
}

/// The direct message that carries a person's link.
pub(crate) fn connect_link(url: &url::Url) -> String {
    format!(
        "To schedule meetings as you, I need your permission in Webex: [connect your Webex account]({url}).\n\n\
         The link is for you only, works once and expires in 10 minutes. I ask only to read and \
         create your meetings and to read your Webex profile."
    )
}

/// `status` / `settings`: whether the person is connected (never the token) and their choices.
pub fn status(account: Option<&str>, prefs: &crate::store::PersonPrefs) -> String {
    let account = match account {
        Some(email) => format!("connected as {}", escape_markdown(email)),
        None if prefs.needs_reconnect => {
            "not connected (your authorisation was revoked: type `connect`)".into()
        }
        None => "not connected (type `connect`)".into(),
    };
    format!(
        "**Your settings**\n\n- Webex account: {account}\n- Time zone: {}\n- Preview before scheduling or moving: {}",
        prefs
            .timezone
            .as_deref()
            .map(escape_markdown)
            .unwrap_or_else(|| "from your Webex profile".into()),
        if prefs.confirm { "on" } else { "off" }
    )
}

/// Sent once when a person's grant stops working.
pub(crate) fn revoked_notice() -> String {
    "Your Webex authorisation for me was revoked or has expired, so I can't schedule meetings \
     as you right now. Type `connect` to link your account again; I'll pick up where we left off."
        .into()
}

/// The reply to a message that is not a command.
pub fn hint() -> String {
    "Hi! Type `help` to see what I can do.".into()
}

/// The message posted when someone adds the bot to a space.
pub(crate) fn greeting(bot_name: &str) -> String {
    format!(
        "Hi, I'm {}. Mention me with a command to schedule a Webex meeting, e.g. \
         `@{} schedule sync tomorrow 3pm`. Type `help` for everything I can do.",
        escape_markdown(bot_name),
        escape_markdown(bot_name.split_whitespace().next().unwrap_or(bot_name))
    )
}

/// Makes typed text inert in a Webex markdown message: it cannot mention people (`<@all>`),
/// open links, or change formatting.
pub(crate) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Shows `text` verbatim as inline code, for something the reader must copy exactly (a
/// password, a command). Markdown escapes do not work inside a code span — `escape_markdown`
/// there would show its backslashes — so nothing is escaped: only the fence grows past the
/// longest run of backticks in `text`, and a space pads a text that starts or ends with one.
pub(crate) fn code_span(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_span_shows_its_text_exactly() {
        assert_eq!(code_span("Blue_42*x!"), "`Blue_42*x!`");
        assert_eq!(code_span("a`b1"), "``a`b1``");
        assert_eq!(code_span("`x1``"), "``` `x1`` ```");
        assert_eq!(code_span("two\nlines"), "`two lines`");
    }

    #[test]
    fn escaping_neutralises_mentions_links_and_formatting() {
        let out = escape_markdown("<@all> [x](javascript:alert(1)) **b**\nline");
        assert!(!out.contains("<@"));
        assert!(!out.contains("]("));
        assert!(!out.contains("**"));
        assert!(!out.contains('\n'));
    }
}
