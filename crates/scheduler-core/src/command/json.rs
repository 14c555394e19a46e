//! The `parse` tool's JSON: one object per command, exactly as docs/command-language.md shows.

use super::{Command, ListRange, MeetingRef, NewEnd, NewTime, Refusal, SettingChange};
use crate::schedule::{MeetingRequest, Who};
use chrono::{DateTime, SecondsFormat};
use chrono_tz::Tz;
use serde::Serialize;

/// RFC 3339 with the zone's offset at that instant (`+00:00`, never `Z`).
pub fn rfc3339(at: &DateTime<Tz>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

#[derive(Serialize)]
struct Meeting<'a> {
    title: &'a str,
    start: String,
    end: String,
    timezone: &'a str,
    recurrence: Option<String>,
    invitees: Vec<InviteeOut<'a>>,
    password: Option<&'a str>,
    agenda: Option<&'a str>,
    /// `15m` or `off`, when the message said.
    #[serde(skip_serializing_if = "Option::is_none")]
    reminder: Option<String>,
}

#[derive(Serialize)]
struct InviteeOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    person_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    everyone: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    cohost: bool,
}

#[derive(Serialize)]
struct Ref<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    list_index: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meeting_number: Option<&'a str>,
}

#[derive(Serialize)]
struct Settings {
    #[serde(skip_serializing_if = "Option::is_none")]
    confirm: Option<bool>,
    /// `10m` or `off`.
    #[serde(skip_serializing_if = "Option::is_none")]
    reminders: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Out<'a> {
    Schedule {
        command: &'static str,
        meeting: Meeting<'a>,
    },
    List {
        command: &'static str,
        range: &'static str,
    },
    Cancel {
        command: &'static str,
        meeting: Ref<'a>,
    },
    Reschedule {
        command: &'static str,
        meeting: Ref<'a>,
        start: String,
        end: Option<String>,
        timezone: &'a str,
    },
    /// A time without a day: `date` is null (the meeting keeps its day).
    RescheduleTime {
        command: &'static str,
        meeting: Ref<'a>,
        date: Option<String>,
        time: String,
        end_time: Option<String>,
        length_minutes: Option<i64>,
        timezone: &'a str,
    },
    /// A day without a time: `time` is null (the meeting keeps its time and length).
    RescheduleDay {
        command: &'static str,
        meeting: Ref<'a>,
        date: String,
        time: Option<String>,
        timezone: &'a str,
    },
    Tz {
        command: &'static str,
        zone: Option<&'a str>,
    },
    Settings {
        command: &'static str,
        change: Option<Settings>,
    },
    Help {
        command: &'static str,
        topic: Option<&'a str>,
    },
    Question {
        command: &'static str,
        range: Option<&'static str>,
    },
    Unsupported {
        command: &'static str,
        request: &'static str,
    },
    Bare {
        command: &'static str,
    },
    Error {
        error: ErrorOut<'a>,
    },
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    message: &'a str,
    offset: Option<usize>,
}

fn meeting(req: &MeetingRequest) -> Meeting<'_> {
    Meeting {
        title: &req.title,
        start: rfc3339(&req.start),
        end: rfc3339(&req.end),
        timezone: req.timezone.name(),
        recurrence: req.recurrence.as_ref().map(|r| r.to_rrule()),
        invitees: req
            .invitees
            .iter()
            .map(|i| {
                let mut out = InviteeOut {
                    email: None,
                    person_id: None,
                    everyone: None,
                    name: None,
                    cohost: i.cohost,
                };
                match &i.who {
                    Who::Email(e) => out.email = Some(e),
                    Who::Mention { person_id } => out.person_id = Some(person_id),
                    Who::Everyone => out.everyone = Some(true),
                    Who::Name(name) => out.name = Some(name),
                }
                out
            })
            .collect(),
        password: req.password.as_deref(),
        agenda: req.agenda.as_deref(),
        reminder: req.reminder.map(|r| r.as_typed()),
    }
}

fn reference(r: &MeetingRef) -> Ref<'_> {
    match r {
        MeetingRef::ListIndex(n) => Ref {
            list_index: Some(*n),
            meeting_number: None,
        },
        MeetingRef::MeetingNumber(m) => Ref {
            list_index: None,
            meeting_number: Some(m),
        },
    }
}

/// The list range's words: "today", "tomorrow", "this week", "next week", "next 7 days".
pub fn range_name(range: ListRange) -> &'static str {
    match range {
        ListRange::Today => "today",
        ListRange::Tomorrow => "tomorrow",
        ListRange::ThisWeek => "this week",
        ListRange::NextWeek => "next week",
        ListRange::Next7Days => "next 7 days",
    }
}

fn out<'a>(result: &'a Result<Command, Refusal>) -> Out<'a> {
    let command = match result {
        Ok(c) => c,
        Err(refusal) => {
            return Out::Error {
                error: ErrorOut {
                    message: &refusal.message,
                    offset: refusal.offset,
                },
            };
        }
    };
    let name = command.name();
    match command {
        Command::Schedule(req) => Out::Schedule {
            command: name,
            meeting: meeting(req),
        },
        Command::List(range) => Out::List {
            command: name,
            range: range_name(*range),
        },
        Command::Cancel(r) => Out::Cancel {
            command: name,
            meeting: reference(r),
        },
        Command::Reschedule { reference: r, to } => reschedule(name, reference(r), to),
        Command::Tz(zone) => Out::Tz {
            command: name,
            zone: zone.as_ref().map(|z| z.name()),
        },
        Command::Settings(change) => Out::Settings {
            command: name,
            change: change.map(|change| match change {
                SettingChange::Confirm(on) => Settings {
                    confirm: Some(on),
                    reminders: None,
                },
                SettingChange::Reminders(lead) => Settings {
                    confirm: None,
                    reminders: Some(lead.as_typed()),
                },
            }),
        },
        Command::Help(topic) => Out::Help {
            command: name,
            topic: topic.as_deref(),
        },
        Command::Question(range) => Out::Question {
            command: name,
            range: range.map(range_name),
        },
        Command::Unsupported(request) => Out::Unsupported {
            command: name,
            request: request.name(),
        },
        Command::Form
        | Command::Connect
        | Command::Disconnect
        | Command::NotACommand
        | Command::Thanks => Out::Bare { command: name },
    }
}

fn reschedule<'a>(command: &'static str, meeting: Ref<'a>, to: &'a NewTime) -> Out<'a> {
    let clock = |t: &chrono::NaiveTime| t.format("%H:%M").to_string();
    match to {
        NewTime::At { start, end } => Out::Reschedule {
            command,
            meeting,
            start: rfc3339(start),
            end: end.as_ref().map(rfc3339),
            timezone: start.timezone().name(),
        },
        NewTime::Time { start, end, zone } => Out::RescheduleTime {
            command,
            meeting,
            date: None,
            time: clock(start),
            end_time: match end {
                Some(NewEnd::At(t)) => Some(clock(t)),
                _ => None,
            },
            length_minutes: match end {
                Some(NewEnd::After(d)) => Some(d.num_minutes()),
                _ => None,
            },
            timezone: zone.name(),
        },
        NewTime::Day { date, zone } => Out::RescheduleDay {
            command,
            meeting,
            date: date.format("%Y-%m-%d").to_string(),
            time: None,
            timezone: zone.name(),
        },
    }
}

/// One JSON object on one line.
pub fn to_json(result: &Result<Command, Refusal>) -> String {
    serde_json::to_string(&out(result)).expect("plain data serialises")
}

/// The JSON view of a result, for callers that serialise it straight into a writer (the
/// `parse --batch` tool) instead of through a string.
pub fn json_view(result: &Result<Command, Refusal>) -> impl Serialize + '_ {
    out(result)
}
