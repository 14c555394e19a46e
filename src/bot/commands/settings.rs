//! `settings`, `settings confirm on|off`, `tz` and `tz <zone>`: the person's choices.

use crate::auth::AuthError;
use crate::bot::Bot;
use crate::bot::error::{BotError, BotResult};
use crate::bot::reply::{self, Reply};
use chrono_tz::Tz;
use scheduler_core::command::SettingChange;
use scheduler_core::schedule::ReminderLead;

impl Bot {
    /// Shows the account state, checked live with the person's own token (so a revoked grant
    /// is noticed here, not at the next meeting).
    pub(crate) async fn status(&self, person: &str) -> BotResult<Reply> {
        let account = match self
            .as_person(person, |auth| async move { self.webex.me(&auth).await })
            .await
        {
            Ok(me) => Some(me.emails.first().cloned().unwrap_or_default()),
            Err(
                BotError::NeedsReconnect { .. }
                | BotError::Account(
                    AuthError::NotConnected | AuthError::Revoked | AuthError::NotConfigured,
                ),
            ) => None,
            Err(e) => return Err(e),
        };
        let prefs = self.store.person_prefs(person).await?;
        Ok(Reply::text(reply::status(account.as_deref(), &prefs)))
    }

    pub(crate) async fn change_setting(
        &self,
        person: &str,
        change: SettingChange,
    ) -> BotResult<Reply> {
        match change {
            SettingChange::Confirm(on) => {
                self.store.set_confirm(person, on, self.now_ms()).await?;
                Ok(Reply::text(if on {
                    "OK: I'll show you a preview to confirm before I schedule or move anything."
                } else {
                    "OK: I'll schedule and move meetings straight away, without a preview. `settings confirm on` brings it back."
                }))
            }
            SettingChange::Reminders(lead) => {
                self.store
                    .set_reminder_minutes(person, lead.as_stored(), self.now_ms())
                    .await?;
                Ok(Reply::text(match lead {
                    ReminderLead::Off => "OK: no reminders before your meetings. `settings reminders 10m` brings them back.".to_string(),
                    ReminderLead::Minutes(_) => format!(
                        "OK: I'll remind you {lead} before each meeting you schedule with me, where you scheduled it."
                    ),
                }))
            }
        }
    }

    pub(crate) async fn set_zone(&self, person: &str, zone: Tz) -> BotResult<Reply> {
        self.store
            .set_timezone(person, zone.name(), self.now_ms())
            .await?;
        Ok(Reply::text(format!(
            "Done: times you type now mean **{}** unless you name another zone.",
            zone.name()
        )))
    }
}

/// `tz`: the zone in force, with an example of changing it to another one.
pub(super) fn show_zone(zone: Tz) -> Reply {
    let example = match zone.name() {
        "America/New_York" => "Europe/Berlin",
        _ => "America/New_York",
    };
    Reply::text(format!(
        "Your time zone is **{}**. Change it with `tz <zone>`, e.g. `tz {example}`.",
        zone.name()
    ))
}
