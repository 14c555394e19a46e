//! Every kind of job the queue carries, as a typed payload.
//!
//! A job is stored as a kind name and a JSON payload; the type of each kind lives here, where
//! both its producer (the HTTP edge, the bot) and its consumer (the bot) can see it, so that a
//! renamed field is a compile error instead of an empty string at run time. The serialised
//! shapes are the ones rows already in a database were written with: field names are part of
//! the stored format and change only with a reader for the old one.

use super::Job;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// A webhook delivery to process: the envelope's few fields the bot needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WebhookEvent {
    pub resource: String,
    pub event: String,
    pub data_id: String,
    pub room_id: Option<String>,
    pub person_id: Option<String>,
    pub actor_id: Option<String>,
    /// Set when the job redoes a request after the person connected their account: it is
    /// answered under a reply key of its own.
    #[serde(default)]
    pub resumed: bool,
    /// When the delivery was accepted (Unix ms): the bot compares it with when the message was
    /// written to recognise a replayed capture. Rows written before it existed have none.
    #[serde(default)]
    pub received_at: Option<i64>,
}

impl Job for WebhookEvent {
    const KIND: &'static str = "webhook";

    /// One space's events are processed in order; deliveries without a space share one queue.
    fn queue_key(&self) -> String {
        self.room_id.clone().unwrap_or_else(|| "global".into())
    }
}

impl WebhookEvent {
    /// The same delivery, to be processed again after the person linked their account.
    pub(crate) fn resumed(&self) -> Self {
        Self {
            resumed: true,
            ..self.clone()
        }
    }
}

/// A person linked their Webex account: tell them, then carry on with what they asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccountLinked {
    pub person_id: String,
    /// Where they asked; `None` means tell them in a direct message.
    pub room_id: Option<String>,
    /// The requests made while unlinked, each a serialised [`WebhookEvent`].
    #[serde(default)]
    pub resumes: Vec<String>,
    /// How rows written before `resumes` existed carry their one request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume: Option<String>,
}

impl Job for AccountLinked {
    const KIND: &'static str = "linked";

    fn queue_key(&self) -> String {
        self.room_id
            .clone()
            .unwrap_or_else(|| self.person_id.clone())
    }
}

impl AccountLinked {
    /// Every request to carry on, whichever format the row was written in.
    pub fn requests(&self) -> impl Iterator<Item = &str> {
        self.resumes
            .iter()
            .chain(self.resume.as_ref())
            .map(String::as_str)
    }
}

/// A meeting changed: turn it into a new invitation version and its e-mails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "event",
    rename_all = "lowercase",
    rename_all_fields = "camelCase"
)]
pub(crate) enum MeetingChanged {
    Created {
        /// Unique per change: a second job for the same change records nothing.
        event_id: String,
        /// The request the meeting was created for.
        command: String,
        /// The Webex meeting (series) id.
        meeting: Option<String>,
    },
    Updated {
        event_id: String,
        meeting: Option<String>,
        /// The occurrence moved alone (where the series put it), or `None` for the whole.
        #[serde(default)]
        occurrence: Option<DateTime<FixedOffset>>,
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
        /// A moved series' rule, when it changed with the start.
        #[serde(default)]
        recurrence: Option<String>,
    },
    Cancelled {
        event_id: String,
        meeting: Option<String>,
        /// The occurrence cancelled alone, or `None` for the whole meeting.
        #[serde(default)]
        occurrence: Option<DateTime<FixedOffset>>,
    },
}

impl Job for MeetingChanged {
    const KIND: &'static str = "invitation";

    /// One meeting's versions are made in order.
    fn queue_key(&self) -> String {
        format!("invite:{}", self.meeting().unwrap_or("?"))
    }
}

impl MeetingChanged {
    pub(crate) fn event_id(&self) -> &str {
        match self {
            Self::Created { event_id, .. }
            | Self::Updated { event_id, .. }
            | Self::Cancelled { event_id, .. } => event_id,
        }
    }

    /// The meeting the invitations are kept by (the series of an occurrence).
    pub fn meeting(&self) -> Option<&str> {
        match self {
            Self::Created { meeting, .. }
            | Self::Updated { meeting, .. }
            | Self::Cancelled { meeting, .. } => meeting.as_deref(),
        }
    }
}

/// One invitation e-mail of one stored version, to one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SendMail {
    pub meeting: String,
    pub sequence: u32,
    pub email: String,
    pub name: Option<String>,
    /// The organizer's own zone, for their copy's text; `None` for everyone else.
    pub zone: Option<String>,
}

impl Job for SendMail {
    const KIND: &'static str = "send_mail";

    /// One person's mails go out in order (a cancellation never overtakes its invitation).
    fn queue_key(&self) -> String {
        format!("mail:{}", self.email.to_ascii_lowercase())
    }
}

/// A created meeting's password, to send to its host alone once the confirmation is out.
///
/// It is a job of its own, on the queue of the space the request came from, so it runs only
/// after the job that is answering that request: the person reads "Scheduled" first and then
/// the password, and a crash anywhere in between still ends with one of each (the message is
/// recorded under `password:<command>` and never sent twice). It carries no secret: the
/// password is read from Webex when the job runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HostPassword {
    /// The request the meeting was created for.
    pub command: String,
    /// Where the request was made: the queue this job waits in.
    pub room_id: String,
}

impl Job for HostPassword {
    const KIND: &'static str = "host_password";

    /// The requesting space's own queue (the same key as its webhook jobs).
    fn queue_key(&self) -> String {
        self.room_id.clone()
    }
}

/// One occurrence's reminder, enqueued to run when it is due (issue 15). The key of its
/// `timer_keys` row and of its posted message is [`Reminder::key`]: one per occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Reminder {
    /// The request the meeting was created for (where to post, whose lead time).
    pub command: String,
    /// The Webex meeting: the series id for a series (the occurrence is found by its start).
    pub meeting: String,
    /// Whether `meeting` is a series (checked occurrence by occurrence) or a single meeting.
    pub series: bool,
    pub start: DateTime<FixedOffset>,
}

impl Job for Reminder {
    const KIND: &'static str = "reminder";

    /// Its own queue: a reminder waiting for its minute holds back nothing else.
    fn queue_key(&self) -> String {
        self.key()
    }
}

impl Reminder {
    pub(crate) fn key(&self) -> String {
        format!(
            "reminder:{}:{}",
            self.command,
            self.start.timestamp_millis()
        )
    }
}

/// Plans the reminders of a series' next window, a day before the window begins (a series is
/// planned a bounded time ahead, never all at once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ReminderPlan {
    pub command: String,
    pub meeting: String,
    /// The series' first start and rule as Webex has them (a moved series plans its new rule).
    pub first: DateTime<FixedOffset>,
    pub timezone: String,
    pub rrule: Option<String>,
    /// The window to plan starts here.
    pub from: DateTime<FixedOffset>,
    /// The lead typed with the request (minutes, 0 = none), over the person's setting.
    #[serde(default)]
    pub lead_minutes: Option<i64>,
}

impl Job for ReminderPlan {
    const KIND: &'static str = "reminder_plan";

    fn queue_key(&self) -> String {
        format!(
            "reminder_plan:{}:{}",
            self.command,
            self.from.timestamp_millis()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read<J: Job>(kind: &str, stored: serde_json::Value) -> J {
        assert_eq!(kind, J::KIND);
        serde_json::from_value(stored).expect("a row in today's format reads")
    }

    /// Rows written by the code before typed jobs (built with `json!`) read the same.
    #[test]
    fn rows_in_the_format_already_stored_are_read() {
        let webhook: WebhookEvent = read(
            "webhook",
            json!({"resource": "messages", "event": "created", "dataId": "M1",
                   "roomId": "R1", "personId": "P1", "actorId": "P1",
                   "resumed": false, "receivedAt": 1_700_000_000_000_i64}),
        );
        assert_eq!(webhook.data_id, "M1");
        assert_eq!(webhook.queue_key(), "R1");
        assert_eq!(webhook.received_at, Some(1_700_000_000_000));

        let linked: AccountLinked = read(
            "linked",
            json!({"personId": "P1", "roomId": null, "resumes": ["{\"a\":1}"]}),
        );
        assert_eq!(linked.queue_key(), "P1");
        assert_eq!(linked.requests().collect::<Vec<_>>(), ["{\"a\":1}"]);
        let oldest: AccountLinked = read(
            "linked",
            json!({"personId": "P1", "roomId": "R1", "resume": "{\"b\":2}"}),
        );
        assert_eq!(oldest.requests().collect::<Vec<_>>(), ["{\"b\":2}"]);

        let created: MeetingChanged = read(
            "invitation",
            json!({"event": "created", "eventId": "created:wxs-1",
                   "command": "wxs-1", "meeting": "MTG1"}),
        );
        assert_eq!(
            created,
            MeetingChanged::Created {
                event_id: "created:wxs-1".into(),
                command: "wxs-1".into(),
                meeting: Some("MTG1".into()),
            }
        );
        let moved: MeetingChanged = read(
            "invitation",
            json!({"event": "updated", "eventId": "updated:M9", "meeting": "MTG1",
                   "occurrence": null, "start": "2027-03-01T10:00:00+01:00",
                   "end": "2027-03-01T11:00:00+01:00", "recurrence": null}),
        );
        let MeetingChanged::Updated {
            start, occurrence, ..
        } = &moved
        else {
            panic!("{moved:?}");
        };
        assert_eq!(start.to_rfc3339(), "2027-03-01T10:00:00+01:00");
        assert_eq!(*occurrence, None);
        assert_eq!(moved.queue_key(), "invite:MTG1");
        let cancelled: MeetingChanged = read(
            "invitation",
            json!({"event": "cancelled", "eventId": "cancelled:wxs-2", "meeting": "MTG1",
                   "occurrence": "2027-03-08T10:00:00+01:00"}),
        );
        assert!(matches!(
            cancelled,
            MeetingChanged::Cancelled {
                occurrence: Some(_),
                ..
            }
        ));

        let mail: SendMail = read(
            "send_mail",
            json!({"meeting": "MTG1", "sequence": 2, "email": "Bob@Example.com",
                   "name": null, "zone": "Europe/Berlin"}),
        );
        assert_eq!(mail.sequence, 2);
        assert_eq!(mail.queue_key(), "mail:bob@example.com");
    }

    /// What is written now is what the format above describes (so a reader of either agrees).
    #[test]
    fn payloads_are_written_in_the_stored_format() {
        let change = MeetingChanged::Cancelled {
            event_id: "cancelled:x".into(),
            meeting: Some("MTG1".into()),
            occurrence: None,
        };
        assert_eq!(
            serde_json::to_value(&change).unwrap(),
            json!({"event": "cancelled", "eventId": "cancelled:x", "meeting": "MTG1",
                   "occurrence": null})
        );
        let linked = AccountLinked {
            person_id: "P".into(),
            room_id: None,
            resumes: vec![],
            resume: None,
        };
        assert_eq!(
            serde_json::to_value(&linked).unwrap(),
            json!({"personId": "P", "roomId": null, "resumes": []})
        );
    }
}
