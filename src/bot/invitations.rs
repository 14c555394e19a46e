//! Meeting changes → calendar invitations → one e-mail per person, through a durable outbox.
//!
//! Each change (created, moved, cancelled) becomes a new invitation version in one database
//! transaction together with one `send_mail` job per recipient, exactly once per change. A
//! version is stored whole (including its DTSTAMP), so a message re-sent after a crash is the
//! same message: same Message-ID, same UID and SEQUENCE.
//!
//! A change to one occurrence of a series is mailed as that occurrence alone (RECURRENCE-ID =
//! where the series put it), and the meeting's stored state remembers it: a cancelled
//! occurrence as an EXDATE, a moved one by its original and new slot, so that cancelling or
//! moving it again names the occurrence calendars already know.

use super::plan::Plan;
use super::{Bot, InvitationEvent};
use crate::mail::{MailError, Mailer, compose_invitation};
use crate::store::{ClaimedJob, CommandRow, InvitationRow, NewJob};
use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use scheduler_core::invite::{Attendee, Invitation, Method, Person};
use serde::{Deserialize, Serialize};

/// The job that sends one invitation e-mail.
pub const SEND_MAIL_JOB: &str = "send_mail";

/// Where invitations go and from whom.
#[derive(Clone, Debug)]
pub struct MailConfig {
    pub mailer: Mailer,
    pub from: Person,
    /// The right-hand side of Message-IDs.
    pub domain: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct PersonData {
    name: Option<String>,
    email: String,
    cohost: bool,
}

/// One invitation version, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Snapshot {
    uid: String,
    sequence: u32,
    cancel: bool,
    dtstamp: DateTime<Utc>,
    organizer: PersonData,
    attendees: Vec<PersonData>,
    title: String,
    agenda: Option<String>,
    join_url: Option<String>,
    meeting_number: Option<String>,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    timezone: String,
    rrule: Option<String>,
    recurrence_id: Option<DateTime<FixedOffset>>,
    exdates: Vec<DateTime<FixedOffset>>,
    /// Occurrences moved one by one (state only; versions mailed before this field existed
    /// read as none moved).
    #[serde(default)]
    moved: Vec<MovedOccurrence>,
    /// The organizer's own zone, for their copy's text.
    organizer_zone: String,
}

/// An occurrence moved away from where its series put it, as calendars were told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct MovedOccurrence {
    /// Where the series put it: its RECURRENCE-ID.
    original: DateTime<FixedOffset>,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
}

/// What happened to a meeting or to one of its occurrences.
#[derive(Debug, Clone)]
enum Change {
    Moved {
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
        /// A moved series' rule, when it changed with the start.
        rrule: Option<String>,
    },
    Cancelled,
}

impl Snapshot {
    fn zone(&self) -> Tz {
        self.timezone.parse().unwrap_or(Tz::UTC)
    }

    fn invitation(&self) -> Invitation {
        let zone = self.zone();
        let local = |t: &DateTime<FixedOffset>| t.with_timezone(&zone);
        let person = |p: &PersonData| Person::new(p.name.as_deref(), &p.email);
        Invitation {
            uid: self.uid.clone(),
            sequence: self.sequence,
            method: if self.cancel {
                Method::Cancel
            } else {
                Method::Request
            },
            dtstamp: self.dtstamp,
            organizer: person(&self.organizer),
            attendees: self
                .attendees
                .iter()
                .map(|a| Attendee {
                    person: person(a),
                    cohost: a.cohost,
                })
                .collect(),
            title: self.title.clone(),
            agenda: self.agenda.clone(),
            join_url: self.join_url.clone(),
            meeting_number: self.meeting_number.clone(),
            dial_in: None,
            start: local(&self.start),
            end: local(&self.end),
            rrule: if self.recurrence_id.is_some() {
                None
            } else {
                self.rrule.clone()
            },
            recurrence_id: self.recurrence_id.as_ref().map(local),
            exdates: self.exdates.iter().map(local).collect(),
        }
    }

    /// The version to mail for `change` (to the occurrence now starting at `occurrence`, or to
    /// the whole meeting), and the meeting's state after it.
    fn after(
        &self,
        sequence: u32,
        dtstamp: DateTime<Utc>,
        occurrence: Option<DateTime<FixedOffset>>,
        change: Change,
    ) -> (Snapshot, Snapshot) {
        let mut next = self.clone();
        next.sequence = sequence;
        next.dtstamp = dtstamp;
        next.recurrence_id = None;
        next.cancel = false;
        let Some(now_at) = occurrence else {
            match change {
                Change::Moved { start, end, rrule } => {
                    // Webex drops moved occurrences when their series moves.
                    next.start = start;
                    next.end = end;
                    next.rrule = rrule.or(next.rrule);
                    next.moved.clear();
                }
                Change::Cancelled => next.cancel = true,
            }
            return (next.clone(), next);
        };
        let (original, slot) = self.occurrence_at(now_at);
        let mut state = next.clone();
        state.moved.retain(|m| m.original != original);
        let mut mailed = next;
        mailed.recurrence_id = Some(original);
        match change {
            Change::Moved { start, end, .. } => {
                (mailed.start, mailed.end) = (start, end);
                state.moved.push(MovedOccurrence {
                    original,
                    start,
                    end,
                });
            }
            Change::Cancelled => {
                mailed.cancel = true;
                (mailed.start, mailed.end) = slot;
                state.exdates.push(original);
            }
        }
        (mailed, state)
    }

    /// The occurrence that now starts at `start`: where the series put it, and its slot now.
    fn occurrence_at(
        &self,
        start: DateTime<FixedOffset>,
    ) -> (
        DateTime<FixedOffset>,
        (DateTime<FixedOffset>, DateTime<FixedOffset>),
    ) {
        match self.moved.iter().find(|m| m.start == start) {
            Some(m) => (m.original, (m.start, m.end)),
            None => (start, (start, start + (self.end - self.start))),
        }
    }

    /// The organizer and every attendee, each once.
    fn recipients(&self) -> Vec<PersonData> {
        let mut all = vec![self.organizer.clone()];
        for a in &self.attendees {
            if !all.iter().any(|p| p.email.eq_ignore_ascii_case(&a.email)) {
                all.push(a.clone());
            }
        }
        all
    }
}

/// The calendar UID of a meeting: stable for its life, unique per meeting.
fn uid_for(meeting_key: &str, domain: &str) -> String {
    format!("{}@{domain}", meeting_key.replace(['@', ' '], "-"))
}

impl Bot {
    /// Turns a meeting change into a new invitation version and its e-mails.
    pub(super) async fn on_invitation(&self, job: &ClaimedJob) -> anyhow::Result<()> {
        let Some(mail) = &self.mail else {
            return Ok(()); // No SMTP configured: invitations are off (see README).
        };
        let event: InvitationEvent = serde_json::from_value(job.payload["event"].clone())?;
        let event_id = job.payload["eventId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (mailed, state) = match event {
            InvitationEvent::Created => {
                let command = job.payload["command"].as_str().unwrap_or_default();
                let Some(row) = self.store.command(command).await? else {
                    return Ok(());
                };
                let first = self.first_version(&row, mail)?;
                (first.clone(), first)
            }
            InvitationEvent::Updated | InvitationEvent::Cancelled => {
                let key = job.payload["meeting"].as_str().unwrap_or_default();
                let Some(current) = self.store.invitation(key).await? else {
                    return Ok(()); // Not a meeting the bot invited people to.
                };
                let meeting: Snapshot = serde_json::from_str(&current.snapshot)?;
                let occurrence = job
                    .payload
                    .get("occurrence")
                    .filter(|v| !v.is_null())
                    .map(parse_time)
                    .transpose()?;
                let change = match event {
                    InvitationEvent::Updated => Change::Moved {
                        start: parse_time(&job.payload["start"])?,
                        end: parse_time(&job.payload["end"])?,
                        rrule: job.payload["recurrence"].as_str().map(str::to_string),
                    },
                    _ => Change::Cancelled,
                };
                meeting.after(current.sequence + 1, self.clock.now(), occurrence, change)
            }
        };
        let meeting_key = job.payload["meeting"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| mailed.uid.split('@').next().unwrap_or_default().to_string());
        self.record_version(&event_id, &meeting_key, &mailed, &state)
            .await
    }

    fn first_version(&self, row: &CommandRow, mail: &MailConfig) -> anyhow::Result<Snapshot> {
        let plan: Plan = serde_json::from_str(&row.plan)?;
        let meeting_key = row
            .meeting_id
            .clone()
            .unwrap_or_else(|| row.command_id.clone());
        Ok(Snapshot {
            uid: uid_for(&meeting_key, &mail.domain),
            sequence: 0,
            cancel: false,
            dtstamp: self.clock.now(),
            organizer: PersonData {
                name: None,
                email: plan.host_email.clone(),
                cohost: false,
            },
            attendees: plan
                .invitees
                .iter()
                .map(|i| PersonData {
                    name: i.name.clone(),
                    email: i.email.clone(),
                    cohost: i.cohost,
                })
                .collect(),
            title: plan.title.clone(),
            agenda: plan.agenda.clone(),
            join_url: row.web_link.clone(),
            meeting_number: row.meeting_number.clone(),
            start: plan.start,
            end: plan.end,
            timezone: plan.timezone.clone(),
            rrule: plan.rrule.clone(),
            recurrence_id: None,
            exdates: Vec::new(),
            moved: Vec::new(),
            organizer_zone: plan.person_zone.clone(),
        })
    }

    async fn record_version(
        &self,
        event_id: &str,
        meeting_key: &str,
        version: &Snapshot,
        state: &Snapshot,
    ) -> anyhow::Result<()> {
        let recipients = version.recipients();
        let mails: Vec<NewJob> = recipients
            .iter()
            .map(|p| {
                NewJob::new(
                    SEND_MAIL_JOB,
                    &format!("mail:{}", p.email.to_ascii_lowercase()),
                    serde_json::json!({
                        "meeting": meeting_key,
                        "sequence": version.sequence,
                        "email": p.email,
                        "name": p.name,
                        "zone": (p.email == version.organizer.email).then(|| version.organizer_zone.clone()),
                    }),
                )
            })
            .collect();
        let row = InvitationRow {
            meeting_key: meeting_key.to_string(),
            uid: version.uid.clone(),
            sequence: version.sequence,
            snapshot: serde_json::to_string(state)?,
        };
        self.store
            .record_invitation(
                event_id,
                &row,
                &serde_json::to_string(version)?,
                &mails,
                self.now_ms(),
            )
            .await?;
        Ok(())
    }

    /// Sends one e-mail of one stored version; a resend is the identical message.
    pub(super) async fn on_send_mail(&self, job: &ClaimedJob) -> anyhow::Result<()> {
        let Some(mail) = &self.mail else {
            return Ok(());
        };
        let key = job.payload["meeting"].as_str().unwrap_or_default();
        let sequence = u32::try_from(job.payload["sequence"].as_u64().unwrap_or(0)).unwrap_or(0);
        let Some(stored) = self.store.invitation_version(key, sequence).await? else {
            return Ok(());
        };
        let version: Snapshot = serde_json::from_str(&stored)?;
        let recipient = Person::new(
            job.payload["name"].as_str(),
            job.payload["email"].as_str().unwrap_or_default(),
        );
        let zone = job.payload["zone"]
            .as_str()
            .and_then(|z| z.parse::<Tz>().ok());
        let envelope = compose_invitation(
            &version.invitation(),
            &recipient,
            zone,
            &mail.from,
            &mail.domain,
        )
        .map_err(permanent_mail)?;
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
            Err(e) if e.is_transient() => Err(anyhow::anyhow!("SMTP: {e}")),
            Err(e) => Err(permanent_mail(e)),
        }
    }
}

/// A mail problem that another attempt will not cure (bad address, 5xx refusal).
#[derive(Debug, thiserror::Error)]
#[error("invitation e-mail refused: {0}")]
pub struct PermanentMailError(String);

fn permanent_mail(e: MailError) -> anyhow::Error {
    PermanentMailError(e.to_string()).into()
}

fn parse_time(v: &serde_json::Value) -> anyhow::Result<DateTime<FixedOffset>> {
    Ok(DateTime::parse_from_rfc3339(
        v.as_str().unwrap_or_default(),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(2027, 3, day, hour, 0, 0)
            .unwrap()
    }

    /// A daily standup from 2 March 2027, 09:00–09:30 Berlin time.
    fn standup() -> Snapshot {
        let person = |email: &str| PersonData {
            name: None,
            email: email.into(),
            cohost: false,
        };
        Snapshot {
            uid: "m1@bot.example".into(),
            sequence: 0,
            cancel: false,
            dtstamp: Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0).unwrap(),
            organizer: person("ana@example.com"),
            attendees: vec![person("bob@example.com")],
            title: "Standup".into(),
            agenda: None,
            join_url: None,
            meeting_number: None,
            start: at(2, 9),
            end: at(2, 9) + chrono::Duration::minutes(30),
            timezone: "Europe/Berlin".into(),
            rrule: Some("FREQ=DAILY;COUNT=10".into()),
            recurrence_id: None,
            exdates: vec![],
            moved: vec![],
            organizer_zone: "Europe/Berlin".into(),
        }
    }

    fn stamp() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_moved_occurrence_is_mailed_alone_and_remembered_by_where_the_series_put_it() {
        let series = standup();
        let moved = Change::Moved {
            start: at(3, 15),
            end: at(3, 16),
            rrule: None,
        };
        let (mailed, state) = series.after(1, stamp(), Some(at(3, 9)), moved);
        let invitation = mailed.invitation();
        assert_eq!(invitation.method, Method::Request);
        assert_eq!(
            invitation.recurrence_id,
            Some(at(3, 9).with_timezone(&chrono_tz::Europe::Berlin))
        );
        assert_eq!(invitation.rrule, None, "an instance carries no rule");
        assert_eq!((mailed.start, mailed.end), (at(3, 15), at(3, 16)));
        assert_eq!((state.start, state.end), (series.start, series.end));
        assert_eq!(state.recurrence_id, None);
        assert_eq!(state.sequence, 1);

        // Moved again, and then cancelled: both name the occurrence by its first place.
        let again = Change::Moved {
            start: at(3, 17),
            end: at(3, 18),
            rrule: None,
        };
        let (mailed, state) = state.after(2, stamp(), Some(at(3, 15)), again);
        assert_eq!(mailed.recurrence_id, Some(at(3, 9)));
        assert_eq!(state.moved.len(), 1);
        let (mailed, state) = state.after(3, stamp(), Some(at(3, 17)), Change::Cancelled);
        assert!(mailed.cancel);
        assert_eq!(mailed.recurrence_id, Some(at(3, 9)));
        assert_eq!((mailed.start, mailed.end), (at(3, 17), at(3, 18)));
        assert_eq!(state.exdates, [at(3, 9)]);
        assert!(state.moved.is_empty());
        assert!(!state.cancel, "the series itself goes on");
    }

    #[test]
    fn moving_the_series_drops_moved_occurrences_and_cancelling_it_cancels_all() {
        let one_moved = standup()
            .after(
                1,
                stamp(),
                Some(at(3, 9)),
                Change::Moved {
                    start: at(3, 15),
                    end: at(3, 16),
                    rrule: None,
                },
            )
            .1;
        let later = Change::Moved {
            start: at(2, 10),
            end: at(2, 11),
            rrule: None,
        };
        let (mailed, state) = one_moved.after(2, stamp(), None, later);
        assert_eq!(mailed, state);
        assert!(state.moved.is_empty());
        assert_eq!((state.start, state.end), (at(2, 10), at(2, 11)));
        assert_eq!(
            mailed.invitation().rrule.as_deref(),
            Some("FREQ=DAILY;COUNT=10")
        );

        let weekly = Change::Moved {
            start: at(3, 10),
            end: at(3, 11),
            rrule: Some("FREQ=WEEKLY;BYDAY=WE".into()),
        };
        let (mailed, state) = state.after(3, stamp(), None, weekly);
        assert_eq!(state.rrule.as_deref(), Some("FREQ=WEEKLY;BYDAY=WE"));
        assert_eq!(
            mailed.invitation().rrule.as_deref(),
            Some("FREQ=WEEKLY;BYDAY=WE")
        );

        let (mailed, _) = state.after(4, stamp(), None, Change::Cancelled);
        assert_eq!(mailed.invitation().method, Method::Cancel);
        assert_eq!(mailed.recurrence_id, None);
    }

    #[test]
    fn an_occurrence_never_moved_is_cancelled_in_its_own_slot() {
        let (mailed, state) = standup().after(1, stamp(), Some(at(4, 9)), Change::Cancelled);
        assert_eq!(mailed.recurrence_id, Some(at(4, 9)));
        assert_eq!(
            (mailed.start, mailed.end),
            (at(4, 9), at(4, 9) + chrono::Duration::minutes(30))
        );
        assert_eq!(state.exdates, [at(4, 9)]);
    }

    #[test]
    fn a_state_stored_before_moves_were_remembered_still_reads() {
        let mut old = serde_json::to_value(standup()).unwrap();
        old.as_object_mut().unwrap().remove("moved");
        let read: Snapshot = serde_json::from_value(old).unwrap();
        assert_eq!(read, standup());
    }
}
