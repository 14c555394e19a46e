//! SQL for list numbering: the numbers of the last `list` a person asked for in a space, kept
//! pointing at the same meetings when the bot itself moves or cancels them.

use super::pool::on_pool;
use super::{Context, Store, StoreError};
use sqlx::Row;

/// One numbered line of a list, as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListedMeeting {
    /// What Webex calls it: an occurrence's id, or (once the bot knows it is a one-off) the
    /// meeting's own id.
    pub meeting_id: String,
    pub series_id: Option<String>,
    pub title: Option<String>,
}

/// What a number from a list names now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listed {
    pub meeting: ListedMeeting,
    /// The range that was listed (`scheduler_core::command::json::range_name`).
    pub range: Option<String>,
    /// The bot cancelled it since it was listed.
    pub cancelled: bool,
}

impl Store {
    /// Replaces the numbering a person sees in a space.
    pub(crate) async fn save_listing(
        &self,
        room_id: &str,
        person_id: &str,
        range: &str,
        meetings: &[ListedMeeting],
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            let mut tx = pool.begin().await.during("begin listing")?;
            sqlx::query("DELETE FROM listings WHERE room_id = $1 AND person_id = $2")
                .bind(room_id)
                .bind(person_id)
                .execute(&mut *tx)
                .await
                .during("clear listing")?;
            for (i, m) in meetings.iter().enumerate() {
                sqlx::query(
                "INSERT INTO listings (room_id, person_id, position, meeting_id, series_id, title, list_range)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(room_id)
            .bind(person_id)
            .bind(i as i64 + 1)
            .bind(&m.meeting_id)
            .bind(&m.series_id)
            .bind(&m.title)
            .bind(range)
            .execute(&mut *tx)
            .await
            .during("insert listing")?;
            }
            tx.commit().await.during("commit listing")?;
            Ok(())
        })
    }

    pub(crate) async fn listed_meeting(
        &self,
        room_id: &str,
        person_id: &str,
        position: u32,
    ) -> Result<Option<Listed>, StoreError> {
        on_pool!(self.pool(), |pool| {
            let row = sqlx::query(
                "SELECT meeting_id, series_id, title, list_range, cancelled FROM listings
             WHERE room_id = $1 AND person_id = $2 AND position = $3",
            )
            .bind(room_id)
            .bind(person_id)
            .bind(i64::from(position))
            .fetch_optional(pool)
            .await
            .during("read listing")?;
            Ok(row.map(|r| Listed {
                meeting: ListedMeeting {
                    meeting_id: r.get("meeting_id"),
                    series_id: r.get("series_id"),
                    title: r.get("title"),
                },
                range: r.get("list_range"),
                cancelled: r.get::<i64, _>("cancelled") != 0,
            }))
        })
    }

    /// The meeting a person's numbers call `old` is now called `new` (in every space they
    /// listed it in).
    pub(crate) async fn rename_listed(
        &self,
        person_id: &str,
        old: &str,
        new: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
                "UPDATE listings SET meeting_id = $1 WHERE person_id = $2 AND meeting_id = $3",
            )
            .bind(new)
            .bind(person_id)
            .bind(old)
            .execute(pool)
            .await
            .during("rename listed meeting")?;
            Ok(())
        })
    }

    /// The bot cancelled `meeting_id` (and, for a whole series, every occurrence listed of
    /// `series_id`): the numbers that named them say so.
    pub(crate) async fn mark_listed_cancelled(
        &self,
        person_id: &str,
        meeting_id: &str,
        series_id: Option<&str>,
    ) -> Result<(), StoreError> {
        on_pool!(self.pool(), |pool| {
            sqlx::query(
                "UPDATE listings SET cancelled = 1
             WHERE person_id = $1 AND (meeting_id = $2 OR series_id = $3)",
            )
            .bind(person_id)
            .bind(meeting_id)
            .bind(series_id)
            .execute(pool)
            .await
            .during("mark listed meeting cancelled")?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/l.db", dir.path().display()))
            .await
            .unwrap();
        (store, dir)
    }

    fn listed(id: &str, series: &str) -> ListedMeeting {
        ListedMeeting {
            meeting_id: id.into(),
            series_id: Some(series.into()),
            title: Some(format!("Meeting {id}")),
        }
    }

    async fn cancelled(s: &Store, n: u32) -> bool {
        s.listed_meeting("R1", "P", n)
            .await
            .unwrap()
            .unwrap()
            .cancelled
    }

    #[tokio::test]
    async fn listings_are_replaced() {
        let (s, _d) = store().await;
        s.save_listing("R", "P", "today", &[listed("a", "A"), listed("b", "B")])
            .await
            .unwrap();
        s.save_listing("R", "P", "next week", &[listed("c", "C")])
            .await
            .unwrap();
        let one = s.listed_meeting("R", "P", 1).await.unwrap().unwrap();
        assert_eq!(one.meeting, listed("c", "C"));
        assert_eq!(one.range.as_deref(), Some("next week"));
        assert!(!one.cancelled);
        assert_eq!(s.listed_meeting("R", "P", 2).await.unwrap(), None);
    }

    #[tokio::test]
    async fn numbers_follow_renames_and_cancellations_in_every_space_of_that_person() {
        let (s, _d) = store().await;
        let rows = [listed("S_1", "S"), listed("T_1", "T"), listed("T_2", "T")];
        s.save_listing("R1", "P", "today", &rows).await.unwrap();
        s.save_listing("R2", "P", "today", &rows).await.unwrap();
        s.save_listing("R1", "Q", "today", &rows).await.unwrap();
        s.rename_listed("P", "S_1", "S").await.unwrap();
        for room in ["R1", "R2"] {
            let got = s.listed_meeting(room, "P", 1).await.unwrap().unwrap();
            assert_eq!(got.meeting.meeting_id, "S");
        }
        let other = s.listed_meeting("R1", "Q", 1).await.unwrap().unwrap();
        assert_eq!(other.meeting.meeting_id, "S_1", "someone else's list");

        // One occurrence, then a whole series.
        s.mark_listed_cancelled("P", "T_1", None).await.unwrap();
        assert!(cancelled(&s, 2).await);
        assert!(!cancelled(&s, 3).await);
        s.mark_listed_cancelled("P", "S", Some("S")).await.unwrap();
        assert!(cancelled(&s, 1).await);
        s.mark_listed_cancelled("P", "T", Some("T")).await.unwrap();
        assert!(cancelled(&s, 3).await);
    }
}
