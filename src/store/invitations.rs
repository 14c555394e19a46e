//! SQL of the invitation outbox: calendar identities, mailed versions, sent messages.

use super::pool::on_pool;
use super::{Context, NewJob, Store, StoreError};
use sqlx::Row;

/// The current calendar state of a meeting: what the next change starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRow {
    pub meeting_key: String,
    pub uid: String,
    pub sequence: u32,
    pub snapshot: String,
}

impl Store {
    pub async fn invitation(&self, meeting_key: &str) -> Result<Option<InvitationRow>, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query(
            "SELECT meeting_key, uid, sequence, snapshot FROM invitations WHERE meeting_key = $1",
        )
        .bind(meeting_key)
        .fetch_optional(pool)
        .await
        .during("read invitation")?;
            Ok(row.map(|r| InvitationRow {
                meeting_key: r.get("meeting_key"),
                uid: r.get("uid"),
                sequence: u32::try_from(r.get::<i64, _>("sequence")).unwrap_or(0),
                snapshot: r.get("snapshot"),
            }))
        })
    }

    /// Records a new invitation version (`mailed`, kept by sequence so a resend is the same
    /// message), the meeting's state after it (`current`: they differ when one occurrence
    /// changed), and the version's e-mails: all or nothing, once per `event_id`. Returns false
    /// when that event was already recorded.
    pub(crate) async fn record_invitation(
        &self,
        event_id: &str,
        current: &InvitationRow,
        mailed: &str,
        mails: &[NewJob],
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        on_pool!(self.pool(), |pool| {
            let mut tx = pool.begin().await.during("begin invitation")?;
            let fresh = sqlx::query(
            "INSERT INTO invitation_events (event_id, meeting_key, sequence) VALUES ($1, $2, $3)
             ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(event_id)
        .bind(&current.meeting_key)
        .bind(i64::from(current.sequence))
        .execute(&mut *tx)
        .await
        .during("insert invitation event")?
        .rows_affected()
            == 1;
            if !fresh {
                return Ok(false);
            }
            sqlx::query(
            "INSERT INTO invitations (meeting_key, uid, sequence, snapshot, updated_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (meeting_key) DO UPDATE SET sequence = excluded.sequence,
                 snapshot = excluded.snapshot, updated_at = excluded.updated_at",
        )
        .bind(&current.meeting_key)
        .bind(&current.uid)
        .bind(i64::from(current.sequence))
        .bind(&current.snapshot)
        .bind(now_ms)
        .execute(&mut *tx)
        .await
        .during("upsert invitation")?;
            sqlx::query(
            "INSERT INTO invitation_versions (meeting_key, sequence, snapshot) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(&current.meeting_key)
        .bind(i64::from(current.sequence))
        .bind(mailed)
        .execute(&mut *tx)
        .await
        .during("insert invitation version")?;
            for mail in mails {
                super::jobs::insert_job!(&mut *tx, mail, now_ms)?;
            }
            tx.commit().await.during("commit invitation")?;
            Ok(true)
        })
    }

    pub(crate) async fn invitation_version(
        &self,
        meeting_key: &str,
        sequence: u32,
    ) -> Result<Option<String>, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query(
                "SELECT snapshot FROM invitation_versions WHERE meeting_key = $1 AND sequence = $2",
            )
            .bind(meeting_key)
            .bind(i64::from(sequence))
            .fetch_optional(pool)
            .await
            .during("read invitation version")?;
            Ok(row.map(|r| r.get("snapshot")))
        })
    }

    pub async fn mail_was_sent(&self, message_id: &str) -> Result<bool, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query("SELECT 1 AS x FROM sent_mail WHERE message_id = $1")
                .bind(message_id)
                .fetch_optional(pool)
                .await
                .during("read sent mail")?;
            Ok(row.is_some())
        })
    }

    pub async fn record_mail_sent(&self, message_id: &str, now_ms: i64) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
            "INSERT INTO sent_mail (message_id, sent_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(message_id)
        .bind(now_ms)
        .execute(pool)
        .await
        .during("record sent mail")?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_event_raises_the_version_once_and_queues_its_mail_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::connect(&format!("sqlite://{}/i.db", dir.path().display()))
            .await
            .unwrap();
        let row = InvitationRow {
            meeting_key: "M".into(),
            uid: "U".into(),
            sequence: 0,
            snapshot: "v0".into(),
        };
        let mail = NewJob::new("send_mail", "mail:M", serde_json::json!({}));
        assert!(
            s.record_invitation("created:1", &row, "v0", &[mail.clone(), mail.clone()], 0)
                .await
                .unwrap()
        );
        assert!(
            !s.record_invitation("created:1", &row, "v0", std::slice::from_ref(&mail), 1)
                .await
                .unwrap()
        );
        assert_eq!(s.job_counts().await.unwrap().pending, 2);
        let next = InvitationRow {
            sequence: 1,
            snapshot: "state after v1".into(),
            ..row
        };
        assert!(
            s.record_invitation("updated:2", &next, "v1", &[], 2)
                .await
                .unwrap()
        );
        let current = s.invitation("M").await.unwrap().unwrap();
        assert_eq!(
            (current.sequence, current.snapshot.as_str()),
            (1, "state after v1")
        );
        assert_eq!(
            s.invitation_version("M", 0).await.unwrap().as_deref(),
            Some("v0")
        );
        assert_eq!(
            s.invitation_version("M", 1).await.unwrap().as_deref(),
            Some("v1")
        );
        assert!(!s.mail_was_sent("id").await.unwrap());
        s.record_mail_sent("id", 3).await.unwrap();
        assert!(s.mail_was_sent("id").await.unwrap());
    }
}
