//! The gate in front of every typed command: people outside `ALLOWED_EMAIL_DOMAINS`, and group
//! spaces outside `ALLOWED_SPACES` (when set), are refused, and `admin …` is answered here for the addresses in `ADMIN_EMAILS`, in a direct
//! space only (a group space would show the answers to everyone in it).
//!
//! Refusals say why in one line and are logged; everything an admin command does is logged
//! with who did it (their Webex person id) and which command (from a fixed list, never the
//! text typed).

use crate::bot::Bot;
use crate::bot::Reply;
use crate::bot::error::BotResult;
use crate::webex::{Message, RoomType};
use chrono::{DateTime, Utc};

/// Dead letters shown by `admin dead`.
const DEAD_SHOWN: i64 = 10;
/// A dead letter's error is cut to this many characters in chat.
const ERROR_SHOWN: usize = 120;

const USAGE: &str = "Admin commands: `admin status`, `admin dead`, `admin retry <job number>`, `admin disconnect <email>`.";

impl Bot {
    /// `Some(reply)` when the gate answers the message itself; `None` lets the command through.
    pub(crate) async fn gate(&self, text: &str, message: &Message) -> BotResult<Option<Reply>> {
        let access = &self.config.access;
        let email = message.person_email.as_deref();
        let person = message.person_id.as_deref().unwrap_or("");
        if !access.may_use(email) {
            tracing::warn!(person, "refused a command from outside the allowed domains");
            let domains = access.allowed_domains.join(", ");
            return Ok(Some(Reply::text(format!(
                "Sorry, I only work for people at {domains}."
            ))));
        }
        let room = message.room_id.as_deref().unwrap_or("");
        let in_group = message.room_type != Some(RoomType::Direct);
        if in_group && !access.may_answer_in(room) {
            tracing::warn!(person, room, "refused a command in a space not allowed");
            return Ok(Some(Reply::text(
                "I'm not enabled in this space: ask your Webex Scheduler admin.",
            )));
        }
        let mut words = text.split_whitespace();
        if !words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("admin"))
        {
            return Ok(None);
        }
        let words: Vec<&str> = words.collect();
        let command = command_name(words.first().copied());
        if !access.is_admin(email) {
            tracing::warn!(person, command, "refused an admin command: not an admin");
            return Ok(Some(Reply::text(
                "Only the bot's admins can use `admin` commands.",
            )));
        }
        if message.room_type != Some(RoomType::Direct) {
            tracing::warn!(
                person,
                command,
                "refused an admin command outside a direct space"
            );
            return Ok(Some(Reply::text(
                "Admin commands work only in a direct space with me.",
            )));
        }
        tracing::info!(admin = person, command, "admin command");
        let reply = match (command, words.get(1)) {
            ("status", None) => self.admin_status().await?,
            ("dead", None) => self.admin_dead().await?,
            ("retry", Some(number)) => self.admin_retry(number, person).await?,
            ("disconnect", Some(address)) if words.len() == 2 => {
                self.admin_disconnect(address, person).await?
            }
            _ => USAGE.to_string(),
        };
        Ok(Some(Reply::text(reply)))
    }

    async fn admin_status(&self) -> BotResult<String> {
        let jobs = self.store.job_counts().await?;
        let linked = self.store.linked_people().await?;
        let sync = match self.metrics.last_webhook_sync() {
            Some((at, true)) => format!("{} (ok)", utc(at)),
            Some((at, false)) => format!("{} (failed)", utc(at)),
            None => "not yet".into(),
        };
        let budget: Vec<String> = self
            .metrics
            .budget_use()
            .iter()
            .map(|(class, requests, waited)| {
                format!("{class} tokens {requests} requests, {waited:.1} s waiting for budget")
            })
            .collect();
        Ok(format!(
            "**webex-scheduler {}**\n\n- Jobs: {} pending, {} running, {} parked, {} dead\n- Linked people: {linked}\n- Last webhook sync: {sync}\n- Webex since start: {}",
            env!("CARGO_PKG_VERSION"),
            jobs.pending,
            jobs.running,
            jobs.parked,
            jobs.dead,
            budget.join("; "),
        ))
    }

    async fn admin_dead(&self) -> BotResult<String> {
        let dead = self.store.dead_jobs(DEAD_SHOWN).await?;
        if dead.is_empty() {
            return Ok("No dead letters.".into());
        }
        let lines: Vec<String> = dead
            .iter()
            .map(|job| {
                let error: String = job
                    .last_error
                    .as_deref()
                    .unwrap_or("no error recorded")
                    .chars()
                    .take(ERROR_SHOWN)
                    .collect();
                format!(
                    "- job {}: {}, {} attempts, gave up {}: {}",
                    job.id,
                    crate::bot::escape_markdown(&job.kind),
                    job.attempts,
                    utc(job.died_at_ms),
                    crate::bot::escape_markdown(&error)
                )
            })
            .collect();
        Ok(format!(
            "**Dead letters** (newest first; `admin retry <job>` runs one again)\n\n{}",
            lines.join("\n")
        ))
    }

    async fn admin_retry(&self, number: &str, admin: &str) -> BotResult<String> {
        let Ok(id) = number.trim_start_matches('#').parse::<i64>() else {
            return Ok(format!(
                "\"{}\" is not a job number. {USAGE}",
                crate::bot::escape_markdown(number)
            ));
        };
        if self.store.revive_dead_job(id, self.now_ms()).await? {
            tracing::info!(admin, job.id = id, "dead job given another attempt");
            Ok(format!("Job {id} will run again now."))
        } else {
            Ok(format!("There is no dead job {id} (see `admin dead`)."))
        }
    }
}

impl Bot {
    /// Deletes the stored grant of the person Webex knows by `address`.
    async fn admin_disconnect(&self, address: &str, admin: &str) -> BotResult<String> {
        let shown = crate::bot::escape_markdown(address);
        let found = self.webex.people_by_email(address).await?;
        let Some(person) = found.first() else {
            return Ok(format!("Webex knows nobody at {shown}."));
        };
        let had_grant = self.tokens.linker().disconnect(&person.id).await?;
        tracing::info!(admin, person = %person.id, had_grant, "admin disconnected a person");
        Ok(if had_grant {
            format!("Disconnected {shown}: their stored Webex tokens are deleted.")
        } else {
            format!("{shown} was not connected; nothing to delete.")
        })
    }
}

/// The admin subcommand for logs: one of a fixed list.
fn command_name(word: Option<&str>) -> &'static str {
    match word.map(str::to_ascii_lowercase).as_deref() {
        Some("status") => "status",
        Some("dead") => "dead",
        Some("retry") => "retry",
        Some("disconnect") => "disconnect",
        None => "none",
        Some(_) => "unknown",
    }
}

fn utc(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "at an unknown time".into())
}
