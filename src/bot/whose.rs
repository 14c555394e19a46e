//! Whose meeting it is. Webex's `GET /meetings` lists the meetings a person hosts *and* those
//! they are invited to, but only the host may change or delete one (Webex refuses anyone
//! else). So `list` shows the two apart, and `cancel` and `reschedule` act only on meetings
//! the person hosts, explaining otherwise before Webex is asked.
//!
//! A `DELETE` answered 404 is not taken on trust: "not found" may also mean "not yours to
//! see" or a fault on the way, so the meeting is looked up again, and only when that `GET`
//! also answers 404 is it "already gone".

use super::Bot;
use super::error::{BotError, BotResult};
use super::reply::{Reply, escape_markdown};
use crate::webex::{Meeting, WebexError};

/// Whether `person` hosts the meeting. Webex's `hostUserId` is the host's person id (a
/// `PEOPLE` id, as in messages); a meeting without one is taken as theirs and Webex decides.
pub(crate) fn hosted_by(meeting: &Meeting, person: &str) -> bool {
    meeting
        .host_user_id
        .as_deref()
        .is_none_or(|host| host == person)
}

/// The meetings `person` hosts, and those they are only invited to, each in the given order.
pub(crate) fn split_by_host(meetings: Vec<Meeting>, person: &str) -> (Vec<Meeting>, Vec<Meeting>) {
    meetings.into_iter().partition(|m| hosted_by(m, person))
}

/// Who hosts it, for a sentence: their name, else their address, else "its host".
pub(crate) fn host_words(meeting: &Meeting) -> String {
    meeting
        .host_display_name
        .as_deref()
        .or(meeting.host_email.as_deref())
        .filter(|h| !h.trim().is_empty())
        .map(escape_markdown)
        .unwrap_or_else(|| "its host".into())
}

/// `cancel` or `reschedule` (the verb) on a meeting the person is only invited to.
pub(crate) fn not_the_host(meeting: &Meeting, verb: &str) -> Reply {
    let title = escape_markdown(meeting.title.as_deref().unwrap_or("Webex meeting"));
    let host = host_words(meeting);
    Reply::text(format!(
        "You're invited to **{title}**, but {host} hosts it, and only the host can {verb} a \
         meeting. Ask {host} to {verb} it; I changed nothing."
    ))
}

/// Webex refused a change because the person is not the host (403).
pub(crate) fn is_refused_as_not_host(err: &BotError) -> bool {
    matches!(err, BotError::Webex(WebexError::Api { status: 403, .. }))
}

/// What a confirming look-up found after a `DELETE` answered 404.
pub(crate) enum AfterNotFound {
    /// The `GET` answers 404 too: the meeting is gone.
    Gone,
    /// The meeting is still there: it was not cancelled.
    StillThere,
}

impl Bot {
    /// Asks Webex again about a meeting whose `DELETE` was answered 404.
    pub(crate) async fn confirm_gone(&self, id: &str, person: &str) -> BotResult<AfterNotFound> {
        match self.fetch_meeting(id, person).await {
            Err(e) if e.is_not_found() => Ok(AfterNotFound::Gone),
            Ok(_) => Ok(AfterNotFound::StillThere),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(host: Option<&str>, name: Option<&str>) -> Meeting {
        serde_json::from_value(serde_json::json!({
            "id": "M1",
            "title": "Budget *review*",
            "start": "2027-03-01T09:00:00+01:00",
            "end": "2027-03-01T09:30:00+01:00",
            "hostUserId": host,
            "hostDisplayName": name,
            "hostEmail": "bob@example.com",
        }))
        .unwrap()
    }

    #[test]
    fn a_meeting_is_the_persons_when_they_host_it() {
        assert!(hosted_by(&meeting(Some("P1"), None), "P1"));
        assert!(!hosted_by(&meeting(Some("P2"), None), "P1"));
        assert!(hosted_by(&meeting(None, None), "P1"), "Webex decides");
        let (mine, invited) = split_by_host(
            vec![meeting(Some("P2"), None), meeting(Some("P1"), None)],
            "P1",
        );
        assert_eq!((mine.len(), invited.len()), (1, 1));
        assert_eq!(invited[0].host_user_id.as_deref(), Some("P2"));
    }

    #[test]
    fn the_refusal_names_the_host_and_the_meeting_escaped() {
        let reply = not_the_host(&meeting(Some("P2"), Some("Bob <Smith>")), "cancel");
        assert_eq!(
            reply.markdown,
            "You're invited to **Budget \\*review\\***, but Bob &lt;Smith&gt; hosts it, and \
             only the host can cancel a meeting. Ask Bob &lt;Smith&gt; to cancel it; I \
             changed nothing."
        );
        let by_address = not_the_host(&meeting(Some("P2"), None), "reschedule");
        assert!(by_address.markdown.contains("bob@example.com hosts it"));
    }
}
