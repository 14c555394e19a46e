//! The body of `PATCH /meetings/{meetingId}`: the fields a change names, and nothing else.
//!
//! Cisco's meeting document marks `PUT` for deprecation in favour of `PATCH`, whose body
//! (`PatchMeetingObject`, media type `application/json-patch+json`) is merged into the
//! meeting: what is left out stays as it is at Webex. So a move sends its times (and the rule
//! or zone only when they change), and can neither resend a password nor overwrite a title
//! or agenda the person edited in Webex meanwhile. The type has no `password` and no
//! `integrationTags` at all: a move never needs them, and Webex refuses `integrationTags` on
//! one occurrence of a series.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// The media type the meeting document gives for `PATCH /meetings/{meetingId}`. The body is
/// still a plain JSON object merged into the meeting (the document's own example), not an
/// RFC 6902 list of operations.
pub(crate) const MEETING_PATCH_CONTENT_TYPE: &str = "application/json-patch+json";

/// What a change of a meeting (or of one occurrence) sends. Absent fields are not sent, and
/// absent means "keep": `null` would clear the agenda or the rule, so it is never sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTime<FixedOffset>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTime<FixedOffset>>,
    /// Only when the meeting moves to another zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Only for a whole series whose rule changes with its start; never for an occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<String>,
    /// Always sent: Webex e-mails everyone when it is left out.
    pub send_email: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_move_sends_its_times_and_nothing_it_does_not_change() {
        let start = DateTime::parse_from_rfc3339("2027-03-02T10:00:00+01:00").unwrap();
        let patch = MeetingPatch {
            start: Some(start),
            end: Some(start + chrono::Duration::minutes(30)),
            send_email: false,
            ..MeetingPatch::default()
        };
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({
                "start": "2027-03-02T10:00:00+01:00",
                "end": "2027-03-02T10:30:00+01:00",
                "sendEmail": false
            })
        );
    }
}
