//! Meeting changes → calendar invitations → one e-mail per person, through a durable outbox.
//!
//! Each change (created, moved, cancelled) becomes a new invitation version in one database
//! transaction together with one `send_mail` job per recipient, exactly once per change. A
//! version is stored whole (including its DTSTAMP), so a message re-sent after a crash is the
//! same message: same Message-ID, same UID and SEQUENCE.

use super::plan::Plan;
use super::{Bot, InvitationEvent};
use crate::invite::{Attendee, Invitation, Method, Person};
use crate::mail::{MailError, Mailer, compose_invitation};
use crate::store::{ClaimedJob, CommandRow, InvitationRow, NewJob};
use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
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
    /// The organizer's own zone, for their copy's text.
    organizer_zone: String,
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
        let snapshot = match event {
            InvitationEvent::Created => {
                let command = job.payload["command"].as_str().unwrap_or_default();
                let Some(row) = self.store.command(command).await? else {
                    return Ok(());
                };
                self.first_version(&row, mail)?
            }
            InvitationEvent::Updated | InvitationEvent::Cancelled => {
                let key = job.payload["meeting"].as_str().unwrap_or_default();
                let Some(current) = self.store.invitation(key).await? else {
                    return Ok(()); // Not a meeting the bot invited people to.
                };
                let mut next: Snapshot = serde_json::from_str(&current.snapshot)?;
                next.sequence = current.sequence + 1;
                next.dtstamp = self.clock.now();
                next.recurrence_id = None;
                match event {
                    InvitationEvent::Updated => {
                        next.cancel = false;
                        next.start = parse_time(&job.payload["start"])?;
                        next.end = parse_time(&job.payload["end"])?;
                    }
                    _ => {
                        next.cancel = true;
                        if let Some(occurrence) =
                            job.payload.get("occurrence").filter(|v| !v.is_null())
                        {
                            next.recurrence_id = Some(parse_time(occurrence)?);
                        }
                    }
                }
                next
            }
        };
        let meeting_key = job.payload["meeting"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| {
                snapshot
                    .uid
                    .split('@')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            });
        self.record_version(&event_id, &meeting_key, snapshot).await
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
            organizer_zone: plan.person_zone.clone(),
        })
    }

    async fn record_version(
        &self,
        event_id: &str,
        meeting_key: &str,
        version: Snapshot,
    ) -> anyhow::Result<()> {
        // The series' state after this change: a cancelled occurrence is excluded from later updates.
        let mut series = version.clone();
        if let Some(occurrence) = version.recurrence_id {
            series.cancel = false;
            series.recurrence_id = None;
            series.exdates.push(occurrence);
        }
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
            snapshot: serde_json::to_string(&version)?,
        };
        // The mailed version is stored as sent; the series row then carries any new EXDATE.
        let recorded = self
            .store
            .record_invitation(event_id, &row, &mails, self.now_ms())
            .await?;
        if recorded && series != version {
            let series_row = InvitationRow {
                snapshot: serde_json::to_string(&series)?,
                ..row
            };
            self.store
                .record_invitation(
                    &format!("{event_id}:series"),
                    &series_row,
                    &[],
                    self.now_ms(),
                )
                .await?;
        }
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
