//! Sending one e-mail of one stored invitation version: a resend is the identical message.

use super::snapshot::Snapshot;
use crate::bot::Bot;
use crate::bot::error::{BotError, BotResult};
use crate::jobs::kinds::SendMail;
use crate::mail::{MailError, compose_invitation};
use chrono_tz::Tz;
use scheduler_core::invite::Person;

impl Bot {
    /// Sends one e-mail of one stored version; a resend is the identical message.
    pub(crate) async fn on_send_mail(&self, job: SendMail) -> BotResult<()> {
        let Some(mail) = &self.mail else {
            return Ok(());
        };
        let Some(stored) = self
            .store
            .invitation_version(&job.meeting, job.sequence)
            .await?
        else {
            return Ok(());
        };
        let version: Snapshot = serde_json::from_str(&stored)?;
        let recipient = Person::new(job.name.as_deref(), &job.email);
        let zone = job.zone.as_deref().and_then(|z| z.parse::<Tz>().ok());
        let envelope = compose_invitation(
            &version.invitation(),
            &recipient,
            zone,
            &mail.from,
            &mail.domain,
        )
        .map_err(refused)?;
        if self.store.mail_was_sent(&envelope.message_id).await? {
            return Ok(());
        }
        match mail.mailer.send(&envelope).await {
            Ok(()) => {
                self.store
                    .record_mail_sent(&envelope.message_id, self.now_ms())
                    .await?;
                tracing::info!(message_id = %envelope.message_id, "invitation sent");
                Ok(())
            }
            Err(e) if e.is_transient() => Err(BotError::MailUnavailable(e.to_string())),
            Err(e) => Err(refused(e)),
        }
    }
}

/// A mail problem that another attempt will not cure (bad address, 5xx refusal).
fn refused(e: MailError) -> BotError {
    BotError::MailRefused(e.to_string())
}
