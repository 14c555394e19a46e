//! Webex JSON, as sent and received.
//!
//! Field names follow the official OpenAPI documents. Anything Webex may leave out is an
//! `Option` (or an empty `Vec`), unknown fields are ignored, and open-ended enums keep an
//! `Other` arm, so a new field or value on Webex's side never turns a working call into a
//! decode error. Request types skip absent fields: Webex treats "absent" and "null" differently
//! for some fields (PATCH semantics), so we never send `null` by accident.

use chrono::{DateTime, FixedOffset, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

/// The media type Webex requires for Adaptive Card attachments.
pub(crate) const ADAPTIVE_CARD_CONTENT_TYPE: &str = "application/vnd.microsoft.card.adaptive";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonType {
    Person,
    Bot,
    #[serde(rename = "appuser")]
    AppUser,
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: String,
    #[serde(default)]
    pub emails: Vec<String>,
    pub display_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub nick_name: Option<String>,
    pub org_id: Option<String>,
    /// IANA name; absent when the person never set one.
    pub timezone: Option<String>,
    #[serde(rename = "type")]
    pub person_type: Option<PersonType>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoomType {
    Direct,
    Group,
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub content_type: String,
    pub content: serde_json::Value,
}

impl Attachment {
    pub fn adaptive_card(content: serde_json::Value) -> Self {
        Self {
            content_type: ADAPTIVE_CARD_CONTENT_TYPE.to_owned(),
            content,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: String,
    pub room_id: Option<String>,
    pub room_type: Option<RoomType>,
    pub person_id: Option<String>,
    pub person_email: Option<String>,
    pub text: Option<String>,
    pub markdown: Option<String>,
    /// Rendered markup with `<spark-mention>` tags: the reliable way to find who was mentioned.
    pub html: Option<String>,
    #[serde(default)]
    pub mentioned_people: Vec<String>,
    #[serde(default)]
    pub mentioned_groups: Vec<String>,
    pub parent_id: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub files: Vec<String>,
    pub created: Option<DateTime<Utc>>,
}

/// A message to post. Set exactly one of `room_id`, `to_person_id`, `to_person_email`; always
/// give `text` or `markdown` with a card, for clients that cannot render it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewMessage {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_person_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_person_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

impl NewMessage {
    /// Markdown into a space, the bot's most common reply.
    pub fn markdown_to_room(room_id: impl Into<String>, markdown: impl Into<String>) -> Self {
        Self {
            room_id: Some(room_id.into()),
            markdown: Some(markdown.into()),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentAction {
    pub id: String,
    /// `submit` is the only value Webex documents.
    #[serde(rename = "type")]
    pub action_type: Option<String>,
    pub message_id: Option<String>,
    /// Card inputs merged with the clicked `Action.Submit` data; values are strings by convention.
    #[serde(default)]
    pub inputs: serde_json::Value,
    pub person_id: Option<String>,
    pub room_id: Option<String>,
    pub created: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Room {
    pub id: String,
    /// For direct rooms, the other person's name.
    pub title: Option<String>,
    #[serde(rename = "type")]
    pub room_type: Option<RoomType>,
    pub is_locked: Option<bool>,
    pub team_id: Option<String>,
    pub creator_id: Option<String>,
    pub owner_id: Option<String>,
    pub is_announcement_only: Option<bool>,
    pub is_read_only: Option<bool>,
    pub last_activity: Option<DateTime<Utc>>,
    pub created: Option<DateTime<Utc>>,
}

/// Bot accounts live in this e-mail namespace; memberships carry no person type.
const BOT_EMAIL_SUFFIX: &str = "@webex.bot";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub id: Option<String>,
    pub room_id: Option<String>,
    pub person_id: String,
    pub person_email: Option<String>,
    pub person_display_name: Option<String>,
    pub person_org_id: Option<String>,
    #[serde(default)]
    pub is_moderator: bool,
    #[serde(default)]
    pub is_monitor: bool,
    pub room_type: Option<RoomType>,
    pub created: Option<DateTime<Utc>>,
}

impl Membership {
    /// Whether the member is a bot, judged by the `@webex.bot` e-mail namespace, which is the
    /// only marker a membership carries. Useful to leave bots out of meeting invitations.
    pub(crate) fn is_bot(&self) -> bool {
        self.person_email
            .as_deref()
            .is_some_and(|email| email.to_ascii_lowercase().ends_with(BOT_EMAIL_SUFFIX))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookStatus {
    Active,
    /// Webex disabled delivery after repeated failures; only a PUT with `active` revives it.
    Inactive,
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub id: String,
    pub name: Option<String>,
    pub target_url: Option<String>,
    pub resource: Option<String>,
    pub event: Option<String>,
    pub filter: Option<String>,
    /// Signs deliveries; `SecretString` keeps it out of Debug output.
    pub secret: Option<SecretString>,
    pub status: Option<WebhookStatus>,
    pub owned_by: Option<String>,
    pub created: Option<DateTime<Utc>>,
}

/// A webhook delivery, as far as the bot reads it: which event, who caused it, and the ids of
/// what it is about (deliveries carry ids, never content; the rest of the envelope is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEnvelope {
    pub resource: String,
    pub event: String,
    pub actor_id: Option<String>,
    pub data: WebhookEnvelopeData,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEnvelopeData {
    /// The message, attachment action or membership the event is about.
    pub id: String,
    pub room_id: Option<String>,
    pub person_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewWebhook {
    pub name: String,
    pub target_url: String,
    /// e.g. `messages`, `attachmentActions`, `memberships`.
    pub resource: String,
    /// e.g. `created`.
    pub event: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "expose_optional_secret"
    )]
    pub secret: Option<SecretString>,
}

/// PUT /webhooks/{id}: Webex requires `name` and `targetUrl` every time; `status` can only be
/// set to `active` (to revive a webhook Webex disabled), never to `inactive`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateWebhook {
    pub name: String,
    pub target_url: String,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "expose_optional_secret"
    )]
    pub secret: Option<SecretString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<WebhookStatus>,
}

/// `SecretString` deliberately has no `Serialize`; the request body is the one place the
/// webhook secret must go out in clear.
fn expose_optional_secret<S: Serializer>(
    secret: &Option<SecretString>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => serializer.serialize_some(secret.expose_secret()),
        None => serializer.serialize_none(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MeetingType {
    /// The series as created (a one-off meeting is a series of one).
    MeetingSeries,
    /// One occurrence of a series; id `<series>_<yyyymmddThhmmssZ>`.
    ScheduledMeeting,
    /// A meeting instance that actually ran or runs.
    Meeting,
    #[serde(other)]
    Other,
}

impl MeetingType {
    fn as_query_value(&self) -> Option<&'static str> {
        match self {
            Self::MeetingSeries => Some("meetingSeries"),
            Self::ScheduledMeeting => Some("scheduledMeeting"),
            Self::Meeting => Some("meeting"),
            Self::Other => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewInvitee {
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub co_host: bool,
}

/// A meeting to create (POST); changes are [`super::MeetingPatch`]es.
///
/// `start`/`end` go out as RFC 3339 with the offset of the wall time the user meant, together
/// with the IANA `timezone` (Webex defaults to UTC without it). `send_email` defaults to
/// `false` here, the opposite of Webex, because the bot sends its own invitations.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewMeeting {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agenda: Option<String>,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// An RRULE without the `RRULE:` prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<String>,
    /// Webex generates one when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invitees: Vec<NewInvitee>,
    pub send_email: bool,
    /// At most 3, each at most 64 characters; the bot's idempotency key lives here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub integration_tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled_auto_record_meeting: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled_join_before_host: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_before_host_minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallInNumber {
    pub label: Option<String>,
    pub call_in_number: String,
    /// `toll` or `tollFree`.
    pub toll_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Telephony {
    pub access_code: Option<String>,
    #[serde(default)]
    pub call_in_numbers: Vec<CallInNumber>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    pub id: String,
    /// Present on occurrences and instances: the id of the series they belong to.
    pub meeting_series_id: Option<String>,
    pub meeting_number: Option<String>,
    pub title: Option<String>,
    pub agenda: Option<String>,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub timezone: Option<String>,
    pub recurrence: Option<String>,
    pub password: Option<String>,
    pub web_link: Option<String>,
    pub sip_address: Option<String>,
    pub host_email: Option<String>,
    pub host_user_id: Option<String>,
    pub host_display_name: Option<String>,
    pub meeting_type: Option<MeetingType>,
    /// `active`, `scheduled`, `ready`, `lobby`, `inProgress`, `ended`, `missed`, `expired`.
    pub state: Option<String>,
    #[serde(default)]
    pub integration_tags: Vec<String>,
    pub site_url: Option<String>,
    pub telephony: Option<Telephony>,
}

/// Filters for GET /meetings. Webex's own defaults apply to what is left `None`: series in
/// `[now, now + 7 days)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingQuery {
    /// Inclusive.
    pub from: Option<DateTime<FixedOffset>>,
    /// Exclusive.
    pub to: Option<DateTime<FixedOffset>>,
    pub meeting_type: Option<MeetingType>,
    pub integration_tag: Option<String>,
    /// Only the occurrences (or the series) of this series.
    pub meeting_series_id: Option<String>,
    /// Page size (Webex caps it at 100); every page is fetched regardless.
    pub max: Option<u32>,
}

impl MeetingQuery {
    pub(crate) fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(from) = &self.from {
            pairs.push(("from", from.to_rfc3339()));
        }
        if let Some(to) = &self.to {
            pairs.push(("to", to.to_rfc3339()));
        }
        if let Some(kind) = self
            .meeting_type
            .as_ref()
            .and_then(MeetingType::as_query_value)
        {
            pairs.push(("meetingType", kind.to_owned()));
        }
        if let Some(tag) = &self.integration_tag {
            pairs.push(("integrationTag", tag.clone()));
        }
        if let Some(series) = &self.meeting_series_id {
            pairs.push(("meetingSeriesId", series.clone()));
        }
        if let Some(max) = self.max {
            pairs.push(("max", max.to_string()));
        }
        pairs
    }
}

/// The envelope of every list response.
#[derive(Deserialize)]
pub(crate) struct Items<T> {
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_new_message_sends_only_what_is_set() {
        let mut msg = NewMessage::markdown_to_room("R1", "**hi**");
        msg.attachments
            .push(Attachment::adaptive_card(json!({"type": "AdaptiveCard"})));
        assert_eq!(
            serde_json::to_value(&msg).unwrap(),
            json!({
                "roomId": "R1",
                "markdown": "**hi**",
                "attachments": [{
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": {"type": "AdaptiveCard"}
                }]
            })
        );
    }

    #[test]
    fn a_new_meeting_serialises_offsets_tags_and_send_email_false() {
        let meeting = NewMeeting {
            title: "Standup".into(),
            start: DateTime::parse_from_rfc3339("2027-03-29T15:00:00+02:00").unwrap(),
            end: DateTime::parse_from_rfc3339("2027-03-29T15:30:00+02:00").unwrap(),
            timezone: Some("Europe/Berlin".into()),
            invitees: vec![NewInvitee {
                email: "bob@example.com".into(),
                display_name: Some("Bob".into()),
                co_host: false,
            }],
            integration_tags: vec!["cmd-1".into()],
            ..NewMeeting::default()
        };
        assert_eq!(
            serde_json::to_value(&meeting).unwrap(),
            json!({
                "title": "Standup",
                "start": "2027-03-29T15:00:00+02:00",
                "end": "2027-03-29T15:30:00+02:00",
                "timezone": "Europe/Berlin",
                "invitees": [{"email": "bob@example.com", "displayName": "Bob"}],
                "sendEmail": false,
                "integrationTags": ["cmd-1"]
            })
        );
    }

    #[test]
    fn a_meeting_decodes_from_the_spec_example_with_z_and_offset_times() {
        let meeting: Meeting = serde_json::from_value(json!({
            "id": "870f51ff287b41be84648412901e0402_20191101T120000Z",
            "meetingSeriesId": "870f51ff287b41be84648412901e0402",
            "meetingNumber": "123456789", "title": "Example Daily Meeting",
            "meetingType": "scheduledMeeting", "state": "ready", "timezone": "UTC",
            "start": "2019-11-01T12:00:00Z", "end": "2019-11-01T13:00:00+01:00",
            "webLink": "https://example.webex.com/j.php?MTID=m1",
            "integrationTags": ["cmd-1"],
            "telephony": {"accessCode": "1234567890",
              "callInNumbers": [{"label": "US Toll", "callInNumber": "123456789", "tollType": "toll"}],
              "links": []},
            "someFutureField": {"nested": true}
        }))
        .unwrap();
        assert_eq!(meeting.meeting_type, Some(MeetingType::ScheduledMeeting));
        assert_eq!(meeting.start.to_rfc3339(), "2019-11-01T12:00:00+00:00");
        assert_eq!(meeting.end.offset().local_minus_utc(), 3600);
        assert_eq!(
            meeting.telephony.unwrap().call_in_numbers[0].call_in_number,
            "123456789"
        );
    }

    #[test]
    fn unknown_enum_values_decode_as_other() {
        let person: Person =
            serde_json::from_value(json!({"id": "P", "type": "robot-overlord"})).unwrap();
        assert_eq!(person.person_type, Some(PersonType::Other));
        let bot: Person = serde_json::from_value(json!({"id": "B", "type": "bot"})).unwrap();
        assert_eq!(bot.person_type, Some(PersonType::Bot));
    }

    #[test]
    fn bot_members_are_recognised_by_their_email_namespace() {
        let member = |email: &str| Membership {
            id: None,
            room_id: None,
            person_id: "P".into(),
            person_email: Some(email.into()),
            person_display_name: None,
            person_org_id: None,
            is_moderator: false,
            is_monitor: false,
            room_type: None,
            created: None,
        };
        assert!(member("scheduler@webex.bot").is_bot());
        assert!(member("Scheduler@Webex.Bot").is_bot());
        assert!(!member("alice@example.com").is_bot());
        assert!(!member("alice@webex.bot.example.com").is_bot());
    }

    #[test]
    fn webhook_secrets_go_out_in_the_body_but_never_in_debug() {
        let hook = NewWebhook {
            name: "n".into(),
            target_url: "https://bot.example.com/webex".into(),
            resource: "messages".into(),
            event: "created".into(),
            filter: None,
            secret: Some(SecretString::from("whsec-123")),
        };
        assert_eq!(serde_json::to_value(&hook).unwrap()["secret"], "whsec-123");
        assert!(!format!("{hook:?}").contains("whsec-123"));

        let received: Webhook =
            serde_json::from_value(json!({"id": "W", "secret": "whsec-123", "status": "inactive"}))
                .unwrap();
        assert_eq!(received.status, Some(WebhookStatus::Inactive));
        assert!(!format!("{received:?}").contains("whsec-123"));
    }

    #[test]
    fn meeting_queries_use_webex_parameter_names() {
        let query = MeetingQuery {
            from: Some(DateTime::parse_from_rfc3339("2027-03-29T15:00:00+02:00").unwrap()),
            meeting_type: Some(MeetingType::MeetingSeries),
            integration_tag: Some("cmd-1".into()),
            max: Some(50),
            ..MeetingQuery::default()
        };
        assert_eq!(
            query.query_pairs(),
            vec![
                ("from", "2027-03-29T15:00:00+02:00".to_owned()),
                ("meetingType", "meetingSeries".to_owned()),
                ("integrationTag", "cmd-1".to_owned()),
                ("max", "50".to_owned()),
            ]
        );
    }
}
