//! `list [range]`: the person's meetings in a range, numbered for `cancel` and `reschedule`.

use crate::bot::Bot;
use crate::bot::budget::{Compose, MESSAGE_LIMIT};
use crate::bot::conversation::Asker;
use crate::bot::error::{BotError, BotResult};
use crate::bot::reply::{Reply, escape_markdown};
use crate::bot::whose::{host_words, split_by_host};
use crate::store::ListedMeeting;
use crate::webex::{Meeting, MeetingQuery, MeetingType, NewMessage};
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use scheduler_core::command::json::range_name;
use scheduler_core::command::{Command, ListRange, MeetingRef};

impl Bot {
    /// `list`: the person's meetings in the range, numbered for `cancel`/`reschedule`.
    ///
    /// A calendar is private: asked in a space with others (`shared`), the list goes to the
    /// person by direct message and its numbers belong to that direct space; the space they
    /// asked in gets one line saying so.
    pub(crate) async fn list(
        &self,
        range: ListRange,
        asker: &Asker,
        shared: bool,
    ) -> BotResult<Reply> {
        self.list_within(range, asker, shared, MESSAGE_LIMIT).await
    }

    /// [`Self::list`], its listing at most `limit` bytes (less than a message when it is
    /// quoted in another reply).
    pub(crate) async fn list_within(
        &self,
        range: ListRange,
        asker: &Asker,
        shared: bool,
        limit: usize,
    ) -> BotResult<Reply> {
        let zone = self.zone_in_force(&asker.person).await?;
        let (from, to) = list_window(range, self.clock.now(), zone);
        let query = MeetingQuery {
            from: Some(from.fixed_offset()),
            to: Some(to.fixed_offset()),
            meeting_type: Some(MeetingType::ScheduledMeeting),
            max: Some(100),
            ..Default::default()
        };
        let mut meetings = self
            .as_person(&asker.person, |auth| {
                let query = query.clone();
                async move { self.webex.meetings(&auth, &query).await }
            })
            .await?;
        meetings.sort_by_key(|m| m.start);
        // Only meetings the person hosts are numbered: the others cannot be cancelled or moved
        // by them.
        let (mine, invited) = split_by_host(meetings, &asker.person);
        let listed: Vec<ListedMeeting> = mine
            .iter()
            .map(|m| ListedMeeting {
                meeting_id: m.id.clone(),
                series_id: m.meeting_series_id.clone(),
                title: m.title.clone(),
            })
            .collect();
        let listing = listing_text(&mine, &invited, range, zone, limit);
        if !shared {
            self.store
                .save_listing(&asker.room, &asker.person, range_name(range), &listed)
                .await?;
            return Ok(Reply::text(listing));
        }
        let direct = self.send_privately(asker, &listing).await?;
        self.store
            .save_listing(&direct, &asker.person, range_name(range), &listed)
            .await?;
        Ok(Reply::text(format!(
            "I sent you your meetings {} in a direct message, so only you see them; use their \
             numbers there.",
            range_words(range)
        )))
    }

    /// Posts `markdown` to the asker in a direct message, once per request (a retried job finds
    /// the message it already sent), and returns the id of that direct space.
    async fn send_privately(&self, asker: &Asker, markdown: &str) -> BotResult<String> {
        let key = format!("direct:{}", asker.source_id);
        let posted = match self.store.reply_for(&key).await? {
            Some(id) => self.webex.message(&id).await?,
            None => {
                let dm = NewMessage {
                    to_person_id: Some(asker.person.clone()),
                    markdown: Some(markdown.to_string()),
                    ..Default::default()
                };
                let posted = self.webex.post_message(&dm).await?;
                self.store
                    .record_reply(&key, &posted.id, self.now_ms())
                    .await?;
                posted
            }
        };
        posted
            .room_id
            .ok_or_else(|| BotError::Internal(anyhow::anyhow!("a direct message without a space")))
    }
}

/// The meetings the person hosts, numbered, then those they are invited to (read-only); or
/// that there is nothing in the range. At most `limit` bytes: what does not fit is counted
/// ("…and 40 more"), with a narrower `list` to see it.
pub(crate) fn listing_text(
    mine: &[Meeting],
    invited: &[Meeting],
    range: ListRange,
    zone: Tz,
    limit: usize,
) -> String {
    let words = range_words(range);
    if mine.is_empty() && invited.is_empty() {
        return format!("You have no meetings {words}.");
    }
    let more = |n: usize| format!("…and {n} more ({})", narrower(range));
    let invited_heading = "**Invited to** (only their hosts can change these)";
    // Room kept for the invited section to show at least its heading and how many it holds.
    let invited_room = match invited.len() {
        0 => 0,
        n => 2 + invited_heading.len() + 1 + more(n).len(),
    };
    let mut text = Compose::new(limit);
    if mine.is_empty() {
        text.line(format!("You host no meetings {words}."), invited_room);
    } else {
        let footer = "Type `cancel <n>` or `reschedule <n> to <when>`.";
        text.line(format!("**Your meetings {words}**"), invited_room);
        let lines: Vec<String> = mine
            .iter()
            .enumerate()
            .map(|(i, m)| format!("{}. {}", i + 1, meeting_line(m, zone)))
            .collect();
        text.items(&lines, footer.len() + 1 + invited_room, more);
        text.line(footer, invited_room);
    }
    if !invited.is_empty() {
        text.line("", 0);
        text.line(invited_heading, 0);
        let lines: Vec<String> = invited
            .iter()
            .map(|m| format!("- {} · hosted by {}", meeting_line(m, zone), host_words(m)))
            .collect();
        text.items(&lines, 0, more);
    }
    text.finish()
}

/// Where to see what a full list left out.
fn narrower(range: ListRange) -> &'static str {
    match range {
        ListRange::Next7Days | ListRange::ThisWeek => "narrow it: `list tomorrow`",
        ListRange::Today | ListRange::Tomorrow | ListRange::NextWeek => {
            "your Webex calendar shows them all"
        }
    }
}

/// "Sync — Tue 2 Mar 2027, 15:00–16:00 (Europe/Berlin) · 25512345678", escaped.
fn meeting_line(m: &Meeting, zone: Tz) -> String {
    let when = crate::bot::plan::when(&m.start, &m.end, zone, zone);
    format!(
        "{} — {}{}",
        escape_markdown(m.title.as_deref().unwrap_or("Webex meeting")),
        when,
        m.meeting_number
            .as_deref()
            .map(|n| format!(" · {}", escape_markdown(n)))
            .unwrap_or_default()
    )
}

/// `cancel 2` or `reschedule 2 …` in a space with others: list numbers live in the direct
/// space (where `list` sends them), so a number here is not read; the person is told where to
/// use it, or to name the meeting by its Webex meeting number instead. `None` for anything else.
pub(crate) fn list_number_in_shared_space(command: &Command) -> Option<Reply> {
    let (verb, n) = match command {
        Command::Cancel(MeetingRef::ListIndex(n)) => ("cancel", n),
        Command::Reschedule {
            reference: MeetingRef::ListIndex(n),
            ..
        } => ("reschedule", n),
        _ => return None,
    };
    Some(Reply::text(format!(
        "Numbers from `list` are used in our direct space, where I send your list: type \
         `{verb} {n}` there. Here, name the meeting by its meeting number instead \
         (`{verb} <meeting number>`)."
    )))
}

fn range_words(range: ListRange) -> &'static str {
    match range {
        ListRange::Today => "today",
        ListRange::Tomorrow => "tomorrow",
        ListRange::ThisWeek => "this week",
        ListRange::NextWeek => "next week",
        ListRange::Next7Days => "in the next 7 days",
    }
}

/// The range a saved listing covered, by the name [`range_name`] gives it.
pub(crate) fn range_named(name: &str) -> Option<ListRange> {
    [
        ListRange::Today,
        ListRange::Tomorrow,
        ListRange::ThisWeek,
        ListRange::NextWeek,
        ListRange::Next7Days,
    ]
    .into_iter()
    .find(|r| range_name(*r) == name)
}

/// The instants a `list` covers, counted in the person's zone.
pub(crate) fn list_window(
    range: ListRange,
    now: DateTime<Utc>,
    zone: Tz,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let local_now = zone.from_utc_datetime(&now.naive_utc());
    let today = local_now.date_naive();
    let midnight = |d: chrono::NaiveDate| {
        zone.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    };
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    match range {
        ListRange::Today => (now, midnight(today + Duration::days(1))),
        ListRange::Tomorrow => (
            midnight(today + Duration::days(1)),
            midnight(today + Duration::days(2)),
        ),
        ListRange::ThisWeek => (now, midnight(monday + Duration::days(7))),
        ListRange::NextWeek => (
            midnight(monday + Duration::days(7)),
            midnight(monday + Duration::days(14)),
        ),
        ListRange::Next7Days => (now, now + Duration::days(7)),
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_range_reads_back() {
        for range in [ListRange::Today, ListRange::NextWeek, ListRange::Next7Days] {
            assert_eq!(range_named(range_name(range)), Some(range));
        }
        assert_eq!(range_named("someday"), None);
    }

    #[test]
    fn list_windows_are_counted_in_the_persons_zone() {
        let zone: Tz = "Australia/Sydney".parse().unwrap();
        // 2027-03-03 13:00 UTC is Thursday 00:00 in Sydney (UTC+11).
        let now = Utc.with_ymd_and_hms(2027, 3, 3, 13, 30, 0).unwrap();
        let (from, to) = list_window(ListRange::Tomorrow, now, zone);
        assert_eq!(from, Utc.with_ymd_and_hms(2027, 3, 4, 13, 0, 0).unwrap());
        assert_eq!(to, Utc.with_ymd_and_hms(2027, 3, 5, 13, 0, 0).unwrap());
        let (from, to) = list_window(ListRange::NextWeek, now, zone);
        assert_eq!(from, Utc.with_ymd_and_hms(2027, 3, 7, 13, 0, 0).unwrap());
        assert_eq!(to, Utc.with_ymd_and_hms(2027, 3, 14, 13, 0, 0).unwrap());
    }
}
