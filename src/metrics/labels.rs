//! Every label value the metrics can carry, as fixed lists.
//!
//! Each function here maps something the bot saw onto a handful of `&'static str` values, with
//! a catch-all, so no runtime text (a person, a room, a URL, an error message) reaches a label.

use crate::jobs::Job;
use crate::jobs::kinds::{AccountLinked, HostPassword, MeetingChanged, SendMail, WebhookEvent};
use scheduler_core::command::Command;

/// What became of one webhook delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Verified, new, stored as a job.
    Accepted,
    /// Verified, already seen: acknowledged and dropped.
    Duplicate,
    /// Verified, about the bot's own doing: acknowledged and dropped.
    OwnEvent,
    /// Missing or wrong `X-Spark-Signature`.
    BadSignature,
    /// Signed, but not a Webex envelope.
    Malformed,
    /// Larger than any Webex envelope (413 before it was read).
    TooLarge,
    /// Could not be stored; not acknowledged, so Webex retries.
    Failed,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Accepted => "accepted",
            Delivery::Duplicate => "duplicate",
            Delivery::OwnEvent => "own_event",
            Delivery::BadSignature => "bad_signature",
            Delivery::Malformed => "malformed",
            Delivery::TooLarge => "too_large",
            Delivery::Failed => "failed",
        }
    }
}

/// How one job attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    Done,
    /// Failed; will be tried again.
    Retry,
    /// Failed for good: dead-lettered.
    Dead,
    /// Set aside until a person acts.
    Parked,
}

impl JobOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            JobOutcome::Done => "done",
            JobOutcome::Retry => "retry",
            JobOutcome::Dead => "dead",
            JobOutcome::Parked => "parked",
        }
    }
}

/// The job kinds the bot runs (see `jobs::kinds`); anything else is `other`.
pub fn job_kind(kind: &str) -> &'static str {
    const KINDS: &[&str] = &[
        WebhookEvent::KIND,
        AccountLinked::KIND,
        MeetingChanged::KIND,
        SendMail::KIND,
        HostPassword::KIND,
    ];
    KINDS
        .iter()
        .find(|k| **k == kind)
        .copied()
        .unwrap_or("other")
}

/// A `send_mail` job's outcome as a mail's: sent, retried or dead.
pub fn mail_outcome(job_kind: &str, outcome: JobOutcome) -> Option<&'static str> {
    if job_kind != SendMail::KIND {
        return None;
    }
    match outcome {
        JobOutcome::Done => Some("sent"),
        JobOutcome::Retry => Some("retried"),
        JobOutcome::Dead => Some("dead"),
        JobOutcome::Parked => None,
    }
}

/// The first segments of a path after the API base (`/people/me`) name the endpoint group.
pub fn endpoint_group(path: &str) -> &'static str {
    const GROUPS: &[(&str, &str)] = &[
        ("people", "people"),
        ("messages", "messages"),
        ("attachment/actions", "attachment_actions"),
        ("rooms", "rooms"),
        ("memberships", "memberships"),
        ("webhooks", "webhooks"),
        ("meetings", "meetings"),
    ];
    let path = path.trim_start_matches('/');
    GROUPS
        .iter()
        .find(|(prefix, _)| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .map(|(_, group)| *group)
        .unwrap_or("other")
}

/// Which token a Webex call was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenClass {
    Bot,
    User,
}

impl TokenClass {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenClass::Bot => "bot",
            TokenClass::User => "user",
        }
    }
}

/// An HTTP status as a label: the codes the bot acts on one by one, the rest by class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusClass(&'static str);

impl StatusClass {
    pub fn of(status: Option<u16>) -> Self {
        /// Codes the bot (or Webex's documentation) treats one by one.
        const EXACT: &[&str] = &[
            "200", "201", "204", "400", "401", "403", "404", "409", "410", "423", "429", "500",
            "502", "503", "504",
        ];
        let Some(code) = status else {
            return Self("network_error");
        };
        let text = code.to_string();
        if let Some(exact) = EXACT.iter().find(|e| **e == text) {
            return Self(exact);
        }
        Self(match code {
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            500..=599 => "5xx",
            _ => "other",
        })
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// A typed command's kind.
pub fn command_kind(command: &Command) -> &'static str {
    match command {
        Command::Help(_) => "help",
        Command::NotACommand => "not_a_command",
        Command::Question(_) => "question",
        Command::Unsupported(_) => "unsupported",
        Command::Thanks => "thanks",
        Command::Connect => "connect",
        Command::Disconnect => "disconnect",
        Command::Settings(_) => "settings",
        Command::Tz(_) => "tz",
        Command::Form => "form",
        Command::Schedule(_) => "schedule",
        Command::List(_) => "list",
        Command::Cancel(_) => "cancel",
        Command::Reschedule { .. } => "reschedule",
    }
}

/// A command that did not parse: the person got the reason and an example.
pub const UNPARSED: &str = "unparsed";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fall_into_a_few_groups_and_ids_never_become_labels() {
        assert_eq!(endpoint_group("/people/me"), "people");
        assert_eq!(endpoint_group("/messages"), "messages");
        assert_eq!(
            endpoint_group("/attachment/actions/Y2lz"),
            "attachment_actions"
        );
        assert_eq!(endpoint_group("/meetings/abc123"), "meetings");
        assert_eq!(endpoint_group("/peoplex"), "other");
        assert_eq!(endpoint_group("/ana@example.com"), "other");
    }

    #[test]
    fn statuses_the_bot_acts_on_stay_exact_and_the_rest_are_classes() {
        assert_eq!(StatusClass::of(Some(429)).as_str(), "429");
        assert_eq!(StatusClass::of(Some(418)).as_str(), "4xx");
        assert_eq!(StatusClass::of(Some(599)).as_str(), "5xx");
        assert_eq!(StatusClass::of(None).as_str(), "network_error");
        assert_eq!(job_kind("send_mail"), "send_mail");
        assert_eq!(job_kind("made-up"), "other");
    }
}
