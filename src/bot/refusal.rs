//! What a definite refusal from Webex means for the person: a sentence they can act on, never
//! Webex's raw text (a password refusal quotes Webex's reason, cleaned and bounded, beside the
//! rule the bot checks before calling Webex).

use super::reply::code_span;
use crate::webex::WebexError;

/// What a definite refusal from Webex means for the person, never Webex's raw text.
pub(crate) fn refusal_message(err: &WebexError) -> String {
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
        return password_refusal(err);
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

/// Longest part of Webex's own words quoted in a reply.
const MAX_REASON_CHARS: usize = 200;

/// A refused password: Webex's reason (its site may ask for more than the common policy the
/// bot checks), quoted without markup and bounded, then the same rule the bot checks before.
fn password_refusal(err: &WebexError) -> String {
    let reason = match err {
        WebexError::Api { message, .. } => sanitised_reason(message),
        _ => String::new(),
    };
    let rule = scheduler_core::schedule::PASSWORD_RULE;
    if reason.is_empty() {
        format!("Webex didn't accept that password. Usually {rule}; your site may ask for more.")
    } else {
        format!(
            "Webex didn't accept that password: {}. Usually {rule}; your site may ask for more.",
            code_span(&reason)
        )
    }
}

/// Webex's words as plain text: tags and control characters dropped, space collapsed, at most
/// [`MAX_REASON_CHARS`] characters.
fn sanitised_reason(raw: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in raw.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c if c.is_control() || c == '`' => text.push(' '),
            c => text.push(c),
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    let joined = joined.trim_end_matches('.');
    if joined.chars().count() > MAX_REASON_CHARS {
        let cut: String = joined.chars().take(MAX_REASON_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        joined.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let webex = "The input parameters contain invalid items. Meeting password validation \
                     failed. <b>Use</b> `A-Z`\n letters.";
        let reply = refusal_message(&api(400, webex));
        assert!(
            reply.contains("Meeting password validation failed. Use A-Z letters"),
            "{reply}"
        );
        assert!(
            !reply.contains("<b>") && !reply.contains("`A-Z`"),
            "{reply}"
        );
        assert!(
            reply.contains(scheduler_core::schedule::PASSWORD_RULE),
            "{reply}"
        );
        let long = format!("password {}", "x".repeat(5000));
        assert!(refusal_message(&api(400, &long)).chars().count() < 400);
        assert!(refusal_message(&api(403, "User is not a host")).contains("can't host"));
        assert!(refusal_message(&api(400, "coHost must be a site user")).contains("co-host"));
        assert!(
            refusal_message(&api(429, "You have reached the limit of 100 meetings"))
                .contains("100")
        );
        let generic = refusal_message(&api(400, "internal thing XYZ-42"));
        assert!(!generic.contains("XYZ-42"));
    }
}
