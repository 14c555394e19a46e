//! The conversation: what the bot does with each Webex event and each job, and what it says back.
//!
//! # Layout
//! * [`conversation`]: a message arrives; it is parsed, answered, and the reply posted in its
//!   thread (the chat boundary of the error tiers);
//! * `commands/`: one module per command people type, and the short dispatcher over them;
//! * `card_actions`: a card's button was pressed (Schedule, Edit, Cancel, a form, a question);
//! * `account`: acting as the person with their own token, the link that asks for it, and what
//!   happens after they link;
//! * `creation`: a confirmed request becomes a Webex meeting, effectively once;
//! * `lookup`: which meeting a `cancel` or `reschedule` names;
//! * `names`: who a bare name after `with` is among the space's members, or the note that says
//!   the person is not invited;
//! * `invitations/`: meeting changes become calendar invitations, mailed through an outbox;
//! * [`error`]: the one error type, and the one place that decides what a failure leads to;
//! * `plan`, `reply`, `prompts`, [`mention`], [`registration`]: the stored request, reply
//!   texts, question cards, mention stripping, webhook registration.

mod account;
pub(crate) mod budget;
#[cfg(test)]
mod budget_props;
mod card_actions;
mod commands;
pub mod conversation;
mod creation;
pub mod error;
mod invitations;
mod lookup;
pub mod mention;
mod names;
pub(crate) mod plan;
mod prompts;
mod refusal;
pub mod registration;
mod reminders;
mod reply;
mod whose;

pub use invitations::MailConfig;
pub use reply::Reply;
pub(crate) use reply::escape_markdown;

use crate::auth::TokenManager;
use crate::jobs::kinds::{
    AccountLinked, HostPassword, MeetingChanged, Reminder, ReminderPlan, SendMail, WebhookEvent,
};
use crate::jobs::{Job, JobError, JobHandler};
use crate::store::{ClaimedJob, Store};
use crate::webex::{BotIdentity, WebexClient};
use chrono_tz::Tz;
use error::{BotError, BotResult};
use scheduler_core::clock::SharedClock;
use std::sync::{Arc, OnceLock};

/// Choices an admin makes for everyone.
#[derive(Debug, Clone)]
pub struct BotConfig {
    pub default_timezone: Tz,
    pub max_invitees: usize,
    /// Let Webex send its own invitation e-mails instead of ours (never both).
    pub webex_sends_email: bool,
    /// Who may use the bot and who administers it.
    pub access: crate::ops::access::Access,
}

impl Default for BotConfig {
    fn default() -> Self {
        Self {
            default_timezone: Tz::UTC,
            max_invitees: 100,
            webex_sends_email: false,
            access: Default::default(),
        }
    }
}

/// Everything the conversation needs.
#[derive(Clone)]
pub struct Bot {
    pub webex: WebexClient,
    pub store: Store,
    pub identity: Arc<OnceLock<BotIdentity>>,
    pub clock: SharedClock,
    pub tokens: TokenManager,
    pub config: BotConfig,
    /// `None` when no SMTP server is configured: then no invitations are sent.
    pub mail: Option<MailConfig>,
    pub metrics: crate::metrics::Metrics,
}

#[async_trait::async_trait]
impl JobHandler for Bot {
    async fn handle(&self, job: &ClaimedJob) -> Result<(), JobError> {
        let outcome = match job.kind.as_str() {
            WebhookEvent::KIND => self.on_webhook(WebhookEvent::from_claimed(job)?).await,
            AccountLinked::KIND => {
                let linked = AccountLinked::from_claimed(job)?;
                self.on_linked(linked, job.id).await
            }
            MeetingChanged::KIND => self.on_invitation(MeetingChanged::from_claimed(job)?).await,
            SendMail::KIND => self.on_send_mail(SendMail::from_claimed(job)?).await,
            HostPassword::KIND => {
                self.on_host_password(HostPassword::from_claimed(job)?)
                    .await
            }
            Reminder::KIND => self.on_reminder(Reminder::from_claimed(job)?).await,
            ReminderPlan::KIND => {
                self.on_reminder_plan(ReminderPlan::from_claimed(job)?)
                    .await
            }
            other => {
                let unknown = anyhow::anyhow!("unknown job kind {other}");
                return Err(JobError::Permanent(unknown));
            }
        };
        outcome.map_err(JobError::from)
    }
}

impl Bot {
    pub(crate) fn identity(&self) -> BotResult<&BotIdentity> {
        self.identity.get().ok_or(BotError::NotReady)
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }
}
