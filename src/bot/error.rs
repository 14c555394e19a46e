//! The conversation's one error type, and the one place that decides what a failure leads to.
//!
//! Every step of the bot returns [`BotError`]. Failures from the systems it calls are folded
//! into it where they arise (a Webex failure has the same shape whichever token made the
//! call), and [`BotError::next_step`] alone decides what follows: try again later, wait for the
//! person to reconnect, tell the person, or give up. The chat boundary and the job boundary
//! only carry that decision out.

use crate::auth::{AuthError, CryptoError};
use crate::jobs::JobError;
use crate::store::StoreError;
use crate::webex::WebexError;

pub(crate) type BotResult<T> = Result<T, BotError>;

#[derive(Debug, thiserror::Error)]
pub(crate) enum BotError {
    /// A problem the person can act on; its text is safe to post in a space.
    #[error("{0}")]
    User(String),
    /// The person's grant is gone: they were told (once) to connect again, and the work waits,
    /// parked, until they do.
    #[error("waiting for the person to connect their Webex account again")]
    NeedsReconnect { person: String },
    /// Webex failed or refused, with the bot's token or a person's.
    #[error(transparent)]
    Webex(WebexError),
    /// The person's account link: not connected, not configured, or the token endpoint failed.
    /// Never [`AuthError::Webex`] or [`AuthError::Store`]: those become `Webex` and `Store`.
    #[error(transparent)]
    Account(AuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The bot does not know who it is yet (startup has not reached Webex).
    #[error("the bot's identity is not known yet")]
    NotReady,
    /// The mail server is unreachable or answered "try later".
    #[error("SMTP: {0}")]
    MailUnavailable(String),
    /// The mail server refused a message for good (a bad address, a message too large).
    #[error("mail refused: {0}")]
    MailRefused(String),
    /// Anything else: an impossible state or a bug. Logged with its context, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What follows a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NextStep {
    /// Another attempt of the job may cure it (network, Webex or database trouble).
    RetryLater,
    /// Nothing can happen until this person connects their account again.
    ParkUntilReconnect { person: String },
    /// The person can act on it: say this.
    TellPerson(String),
    /// No attempt will cure it: log it, apologise with a reference in chat, dead-letter the job.
    GiveUp,
}

impl BotError {
    /// The one decision about what a failure leads to.
    pub(crate) fn next_step(&self) -> NextStep {
        match self {
            BotError::User(message) => NextStep::TellPerson(message.clone()),
            BotError::NeedsReconnect { person } => NextStep::ParkUntilReconnect {
                person: person.clone(),
            },
            BotError::Webex(e) if e.is_transient() => NextStep::RetryLater,
            BotError::Account(e) if e.is_transient() => NextStep::RetryLater,
            BotError::Store(_) | BotError::NotReady | BotError::MailUnavailable(_) => {
                NextStep::RetryLater
            }
            BotError::Webex(_)
            | BotError::Account(_)
            | BotError::MailRefused(_)
            | BotError::Internal(_) => NextStep::GiveUp,
        }
    }

    /// The failure with its chain of causes, for logs (never for chat).
    pub(crate) fn report(&self) -> String {
        if let BotError::Internal(e) = self {
            return format!("{e:#}");
        }
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            text.push_str(": ");
            text.push_str(&c.to_string());
            cause = c.source();
        }
        text
    }

    /// The Webex failure inside, if that is what this is.
    pub(crate) fn as_webex(&self) -> Option<&WebexError> {
        match self {
            BotError::Webex(e) => Some(e),
            _ => None,
        }
    }

    /// Webex answered 404: the thing asked for is not there (or not visible to this token).
    pub(crate) fn is_not_found(&self) -> bool {
        matches!(self, BotError::Webex(WebexError::NotFound { .. }))
    }
}

impl From<WebexError> for BotError {
    fn from(e: WebexError) -> Self {
        BotError::Webex(e)
    }
}

/// A Webex failure reached through the account layer is still a Webex failure.
impl From<AuthError> for BotError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Webex(w) => BotError::Webex(w),
            AuthError::Store(s) => BotError::Store(s),
            other => BotError::Account(other),
        }
    }
}

impl From<CryptoError> for BotError {
    fn from(e: CryptoError) -> Self {
        BotError::Internal(e.into())
    }
}

impl From<serde_json::Error> for BotError {
    fn from(e: serde_json::Error) -> Self {
        BotError::Internal(anyhow::Error::from(e).context("a stored value does not read"))
    }
}

/// The job boundary: the queue retries, parks or dead-letters as [`BotError::next_step`] says.
impl From<BotError> for JobError {
    fn from(e: BotError) -> Self {
        match e.next_step() {
            NextStep::RetryLater => JobError::Retry(anyhow::anyhow!(e.report())),
            NextStep::ParkUntilReconnect { person } => JobError::Park {
                key: person,
                reason: "the person's Webex authorisation was revoked".into(),
            },
            NextStep::TellPerson(_) | NextStep::GiveUp => {
                JobError::Permanent(anyhow::anyhow!(e.report()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn api(status: u16) -> WebexError {
        WebexError::Api {
            status,
            message: "refused".into(),
            tracking_id: None,
        }
    }

    #[test]
    fn a_webex_failure_is_decided_the_same_whichever_token_made_the_call() {
        for webex in [api(503), api(400), WebexError::Timeout] {
            let with_bot_token = BotError::from(webex.clone());
            let with_persons_token = BotError::from(AuthError::Webex(webex));
            assert_eq!(with_bot_token.next_step(), with_persons_token.next_step());
            assert!(with_persons_token.as_webex().is_some());
        }
    }

    #[test]
    fn each_failure_leads_where_it_should() {
        let cases: Vec<(BotError, NextStep)> = vec![
            (
                BotError::User("Pick a time".into()),
                NextStep::TellPerson("Pick a time".into()),
            ),
            (
                BotError::NeedsReconnect { person: "P".into() },
                NextStep::ParkUntilReconnect { person: "P".into() },
            ),
            (api(502).into(), NextStep::RetryLater),
            (
                WebexError::RateLimited {
                    retry_after: Duration::from_secs(3),
                }
                .into(),
                NextStep::RetryLater,
            ),
            (api(400).into(), NextStep::GiveUp),
            (
                AuthError::TokenEndpoint("timeout".into()).into(),
                NextStep::RetryLater,
            ),
            (AuthError::NotConnected.into(), NextStep::GiveUp),
            (BotError::NotReady, NextStep::RetryLater),
            (
                BotError::MailUnavailable("421".into()),
                NextStep::RetryLater,
            ),
            (BotError::MailRefused("550".into()), NextStep::GiveUp),
            (anyhow::anyhow!("a bug").into(), NextStep::GiveUp),
        ];
        for (error, step) in cases {
            assert_eq!(error.next_step(), step, "{error:?}");
        }
    }

    #[test]
    fn the_queue_gets_the_same_decision() {
        assert!(matches!(
            JobError::from(BotError::from(api(500))),
            JobError::Retry(_)
        ));
        assert!(matches!(
            JobError::from(BotError::NeedsReconnect { person: "P".into() }),
            JobError::Park { key, .. } if key == "P"
        ));
        assert!(matches!(
            JobError::from(BotError::MailRefused("550".into())),
            JobError::Permanent(_)
        ));
    }
}
