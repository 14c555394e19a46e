//! Commands written back as text: the canonical spelling of each clause, which parses to the
//! same command again (the round-trip property the tests check).

use super::{Command, ListRange, MeetingRef, NewEnd, NewTime, Request, SettingChange};
use crate::schedule::{
    Invitee, MeetingRequest, Pattern, Recurrence, RecurrenceEnd, WeekdaySet, Who,
};
use chrono::{DateTime, Weekday};
use chrono_tz::Tz;
use std::fmt::Write as _;

pub(crate) fn to_text(command: &Command) -> String {
    match command {
        Command::Schedule(req) => schedule(req),
        Command::Form => "form".into(),
        Command::List(range) => match range {
            ListRange::Today => "list today".into(),
            ListRange::Tomorrow => "list tomorrow".into(),
            ListRange::ThisWeek => "list this week".into(),
            ListRange::NextWeek => "list next week".into(),
            ListRange::Next7Days => "list".into(),
        },
        Command::Cancel(reference) => format!("cancel {}", meeting_ref(reference)),
        Command::Reschedule { reference, to } => {
            let mut out = format!("reschedule {} to ", meeting_ref(reference));
            new_time(&mut out, to);
            out
        }
        Command::Tz(None) => "tz".into(),
        Command::Tz(Some(zone)) => format!("tz {}", zone.name()),
        Command::Connect => "connect".into(),
        Command::Disconnect => "disconnect".into(),
        Command::Settings(None) => "settings".into(),
        Command::Settings(Some(SettingChange::Confirm(on))) => {
            format!("settings confirm {}", if *on { "on" } else { "off" })
        }
        Command::Settings(Some(SettingChange::Reminders(lead))) => {
            format!("settings reminders {}", lead.as_typed())
        }
        Command::Help(None) => "help".into(),
        Command::Help(Some(topic)) => format!("help {topic}"),
        Command::NotACommand => String::new(),
        Command::Question(range) => match range {
            Some(ListRange::Today) => "what's on today".into(),
            Some(ListRange::Tomorrow) => "what's on tomorrow".into(),
            Some(ListRange::ThisWeek) => "what's on this week".into(),
            Some(ListRange::NextWeek) => "what's on next week".into(),
            Some(ListRange::Next7Days) => "what's on".into(),
            None => "what's on in 2 months".into(),
        },
        Command::Unsupported(request) => match request {
            Request::Reminder => "remind me".into(),
            Request::FindTime => "find a time".into(),
            Request::Room => "book a room".into(),
            Request::Respond => "accept".into(),
            Request::Join => "join the meeting".into(),
        },
        Command::Thanks => "thanks".into(),
    }
}

fn meeting_ref(reference: &MeetingRef) -> String {
    match reference {
        MeetingRef::ListIndex(n) => n.to_string(),
        MeetingRef::MeetingNumber(number) => number.clone(),
    }
}

/// `2027-03-29 15:00 tz Europe/Berlin`.
fn when(out: &mut String, start: &DateTime<Tz>) {
    let _ = write!(
        out,
        "{} tz {}",
        start.format("%Y-%m-%d %H:%M"),
        start.timezone().name()
    );
}

/// Only the parts that were written: `15:00 tz …` keeps the day, `2027-03-29 tz …` the time.
fn new_time(out: &mut String, to: &NewTime) {
    match to {
        NewTime::At { start, end } => {
            when(out, start);
            if let Some(end) = end {
                let _ = write!(out, " for {} minutes", (*end - *start).num_minutes());
            }
        }
        NewTime::Time { start, end, zone } => {
            let _ = write!(out, "{}", start.format("%H:%M"));
            match end {
                Some(NewEnd::At(t)) => {
                    let _ = write!(out, "-{}", t.format("%H:%M"));
                }
                Some(NewEnd::After(d)) => {
                    let _ = write!(out, " for {} minutes", d.num_minutes());
                }
                None => {}
            }
            let _ = write!(out, " tz {}", zone.name());
        }
        NewTime::Day { date, zone } => {
            let _ = write!(out, "{} tz {}", date.format("%Y-%m-%d"), zone.name());
        }
    }
}

/// A title in quotes that it does not contain.
fn quoted(title: &str) -> String {
    if !title.contains('"') {
        format!("\"{title}\"")
    } else {
        format!("\u{201C}{title}\u{201D}")
    }
}

fn schedule(req: &MeetingRequest) -> String {
    let mut out = String::with_capacity(96);
    let _ = write!(out, "schedule {} ", quoted(&req.title));
    when(&mut out, &req.start);
    let _ = write!(out, " for {} minutes", (req.end - req.start).num_minutes());
    if let Some(rec) = &req.recurrence {
        out.push(' ');
        recurrence(&mut out, rec);
    }
    people(&mut out, &req.invitees);
    if let Some(password) = &req.password {
        let _ = write!(out, " password {password}");
    }
    match req.reminder {
        Some(crate::schedule::ReminderLead::Off) => out.push_str(" no reminder"),
        Some(lead) => {
            let _ = write!(out, " remind {} before", lead.as_typed());
        }
        None => {}
    }
    if let Some(agenda) = &req.agenda {
        let _ = write!(out, " agenda: {agenda}");
    }
    out
}

fn day(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

fn every(out: &mut String, interval: u32, unit: &str) {
    if interval == 1 {
        let _ = write!(out, "every {unit}");
    } else {
        let _ = write!(out, "every {interval} {unit}s");
    }
}

fn recurrence(out: &mut String, rec: &Recurrence) {
    match rec.pattern {
        Pattern::Daily => every(out, rec.interval, "day"),
        Pattern::Weekly(days) if days == WeekdaySet::WORKWEEK && rec.interval == 1 => {
            out.push_str("every weekday");
        }
        Pattern::Weekly(days) => {
            every(out, rec.interval, "week");
            out.push_str(" on ");
            let names: Vec<&str> = days.iter().map(day).collect();
            out.push_str(&names.join(" and "));
        }
        Pattern::MonthlyOnDay(d) => {
            every(out, rec.interval, "month");
            let _ = write!(out, " on the {}", crate::schedule::ordinal(d));
        }
        Pattern::MonthlyOnWeekday { nth, weekday } => {
            every(out, rec.interval, "month");
            let _ = write!(out, " on the {} {}", nth.word(), day(weekday));
        }
        Pattern::Yearly { .. } => every(out, rec.interval, "year"),
    }
    match rec.end {
        RecurrenceEnd::Never => {}
        RecurrenceEnd::Count(n) => {
            let _ = write!(out, " {n} times");
        }
        RecurrenceEnd::Until { date, .. } => {
            let _ = write!(out, " until {}", date.format("%Y-%m-%d"));
        }
    }
}

fn who(w: &Who) -> String {
    match w {
        Who::Email(address) => address.clone(),
        Who::Mention { person_id } => format!("<@personId:{person_id}>"),
        Who::Everyone => "everyone".into(),
        Who::Name(name) => name.clone(),
    }
}

/// Runs of invitees with the same role: `with a, b cohost c with d`; bare names (which the
/// grammar always puts last) in a run of their own, `with bob, Carol Lee`.
fn people(out: &mut String, invitees: &[Invitee]) {
    let (names, others): (Vec<&Invitee>, Vec<&Invitee>) =
        invitees.iter().partition(|i| matches!(i.who, Who::Name(_)));
    let mut previous: Option<bool> = None;
    for invitee in others {
        if previous == Some(invitee.cohost) {
            out.push_str(", ");
        } else {
            out.push_str(if invitee.cohost { " cohost " } else { " with " });
        }
        out.push_str(&who(&invitee.who));
        previous = Some(invitee.cohost);
    }
    for (i, invitee) in names.iter().enumerate() {
        out.push_str(if i == 0 { " with " } else { ", " });
        out.push_str(&who(&invitee.who));
    }
}
