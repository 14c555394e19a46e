//! SQL for scheduling requests and confirmation prompts.

use super::pool::on_pool;
use super::{Context, Store, StoreError};
use sqlx::Row;

/// Where a scheduling request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandState {
    /// Shown on a preview card, waiting for Schedule.
    Previewed,
    /// Schedule was pressed (or no preview wanted): the meeting is to be created.
    Confirmed,
    Created,
    /// Webex refused it; the person was told why.
    Failed,
    /// The person pressed Cancel on the preview.
    Dismissed,
}

impl CommandState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Previewed => "previewed",
            Self::Confirmed => "confirmed",
            Self::Created => "created",
            Self::Failed => "failed",
            Self::Dismissed => "dismissed",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "previewed" => Self::Previewed,
            "confirmed" => Self::Confirmed,
            "created" => Self::Created,
            "failed" => Self::Failed,
            _ => Self::Dismissed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRow {
    pub command_id: String,
    pub person_id: String,
    pub room_id: String,
    pub thread_id: Option<String>,
    /// JSON of the resolved meeting (see `bot::plan`).
    pub plan: String,
    pub state: CommandState,
    /// A create call was sent at least once: look before creating again.
    pub attempted: bool,
    pub meeting_id: Option<String>,
    pub meeting_number: Option<String>,
    pub web_link: Option<String>,
}

impl Store {
    /// Records a request once; a redelivery of the same message finds the existing row.
    /// Returns true when this call inserted it.
    pub(crate) async fn insert_command(
        &self,
        row: &CommandRow,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        on_pool!(self.pool(), |pool| {
            let done = sqlx::query(
            "INSERT INTO commands (command_id, person_id, room_id, thread_id, plan, state, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (command_id) DO NOTHING",
        )
        .bind(&row.command_id)
        .bind(&row.person_id)
        .bind(&row.room_id)
        .bind(&row.thread_id)
        .bind(&row.plan)
        .bind(row.state.as_str())
        .bind(now_ms)
        .bind(now_ms)
        .execute(pool)
        .await
        .during("insert command")?;
            Ok(done.rows_affected() == 1)
        })
    }

    pub async fn command(&self, command_id: &str) -> Result<Option<CommandRow>, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query(
            "SELECT command_id, person_id, room_id, thread_id, plan, state, attempted, meeting_id,
                    meeting_number, web_link FROM commands WHERE command_id = $1",
        )
        .bind(command_id)
        .fetch_optional(pool)
        .await
        .during("read command")?;
            Ok(row.map(|r| CommandRow {
                command_id: r.get("command_id"),
                person_id: r.get("person_id"),
                room_id: r.get("room_id"),
                thread_id: r.get("thread_id"),
                plan: r.get("plan"),
                state: CommandState::parse(r.get::<String, _>("state").as_str()),
                attempted: r.get::<i64, _>("attempted") != 0,
                meeting_id: r.get("meeting_id"),
                meeting_number: r.get("meeting_number"),
                web_link: r.get("web_link"),
            }))
        })
    }

    /// Moves a request from one state to another, only if it is still in `from`: two presses
    /// of the same button race here and exactly one wins.
    pub(crate) async fn transition_command(
        &self,
        command_id: &str,
        from: CommandState,
        to: CommandState,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        on_pool!(self.pool(), |pool| {
            let done = sqlx::query(
            "UPDATE commands SET state = $1, updated_at = $2 WHERE command_id = $3 AND state = $4",
        )
        .bind(to.as_str())
        .bind(now_ms)
        .bind(command_id)
        .bind(from.as_str())
        .execute(pool)
        .await
        .during("transition command")?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Written before each create call, so that after a crash or timeout the next attempt
    /// searches Webex for the meeting first.
    pub(crate) async fn mark_create_attempted(
        &self,
        command_id: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query("UPDATE commands SET attempted = 1, updated_at = $1 WHERE command_id = $2")
                .bind(now_ms)
                .bind(command_id)
                .execute(pool)
                .await
                .during("mark attempted")?;
            Ok(())
        })
    }

    pub(crate) async fn record_created_meeting(
        &self,
        command_id: &str,
        meeting_id: &str,
        meeting_number: Option<&str>,
        web_link: Option<&str>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
            "UPDATE commands SET state = 'created', meeting_id = $1, meeting_number = $2, web_link = $3, updated_at = $4
             WHERE command_id = $5",
        )
        .bind(meeting_id)
        .bind(meeting_number)
        .bind(web_link)
        .bind(now_ms)
        .bind(command_id)
        .execute(pool)
        .await
        .during("record meeting")?;
            Ok(())
        })
    }

    pub(crate) async fn fail_command(
        &self,
        command_id: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
                "UPDATE commands SET state = 'failed', updated_at = $1 WHERE command_id = $2",
            )
            .bind(now_ms)
            .bind(command_id)
            .execute(pool)
            .await
            .during("fail command")?;
            Ok(())
        })
    }

    pub(crate) async fn insert_prompt(
        &self,
        prompt_id: &str,
        person_id: &str,
        room_id: &str,
        payload: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
            "INSERT INTO prompts (prompt_id, person_id, room_id, payload, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (prompt_id) DO NOTHING",
        )
        .bind(prompt_id)
        .bind(person_id)
        .bind(room_id)
        .bind(payload)
        .bind(now_ms)
        .execute(pool)
        .await
        .during("insert prompt")?;
            Ok(())
        })
    }

    /// Answers a prompt once: returns its owner and payload the first time, `None` after.
    pub(crate) async fn answer_prompt(
        &self,
        prompt_id: &str,
        now_ms: i64,
    ) -> Result<Option<(String, String)>, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query(
                "UPDATE prompts SET answered_at = $1 WHERE prompt_id = $2 AND answered_at IS NULL
             RETURNING person_id, payload",
            )
            .bind(now_ms)
            .bind(prompt_id)
            .fetch_optional(pool)
            .await
            .during("answer prompt")?;
            Ok(row.map(|r| (r.get("person_id"), r.get("payload"))))
        })
    }

    pub(crate) async fn prompt_owner(&self, prompt_id: &str) -> Result<Option<String>, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query("SELECT person_id FROM prompts WHERE prompt_id = $1")
                .bind(prompt_id)
                .fetch_optional(pool)
                .await
                .during("read prompt")?;
            Ok(row.map(|r| r.get("person_id")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/m.db", dir.path().display()))
            .await
            .unwrap();
        (store, dir)
    }

    fn row(id: &str) -> CommandRow {
        CommandRow {
            command_id: id.into(),
            person_id: "P".into(),
            room_id: "R".into(),
            thread_id: None,
            plan: "{}".into(),
            state: CommandState::Previewed,
            attempted: false,
            meeting_id: None,
            meeting_number: None,
            web_link: None,
        }
    }

    #[tokio::test]
    async fn a_request_is_recorded_once_and_confirmed_once() {
        let (s, _d) = store().await;
        assert!(s.insert_command(&row("c1"), 0).await.unwrap());
        assert!(!s.insert_command(&row("c1"), 1).await.unwrap());
        let first = s.transition_command("c1", CommandState::Previewed, CommandState::Confirmed, 2);
        let second =
            s.transition_command("c1", CommandState::Previewed, CommandState::Confirmed, 2);
        let (a, b) = tokio::join!(first, second);
        assert_eq!([a.unwrap(), b.unwrap()].iter().filter(|x| **x).count(), 1);
        s.mark_create_attempted("c1", 3).await.unwrap();
        s.record_created_meeting("c1", "M1", Some("123"), Some("https://x"), 4)
            .await
            .unwrap();
        let got = s.command("c1").await.unwrap().unwrap();
        assert_eq!(got.state, CommandState::Created);
        assert!(got.attempted);
        assert_eq!(got.meeting_id.as_deref(), Some("M1"));
    }

    #[tokio::test]
    async fn prompts_answer_once() {
        let (s, _d) = store().await;
        s.insert_prompt("q", "P", "R", "x", 0).await.unwrap();
        assert_eq!(
            s.answer_prompt("q", 1).await.unwrap(),
            Some(("P".into(), "x".into()))
        );
        assert_eq!(s.answer_prompt("q", 2).await.unwrap(), None);
    }
}
