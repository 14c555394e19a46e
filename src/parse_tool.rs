//! `webex-scheduler parse`: the parser alone, for people, corpora and benchmarks.
//!
//! Starts nothing but the grammar: no runtime, no settings, no network. The grammar itself
//! (`scheduler_core::command`) does no I/O; reading stdin and writing stdout happen here.

use crate::cli::ParseArgs;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use scheduler_core::command::json::{json_view, range_name, rfc3339};
use scheduler_core::command::{
    Command, Context, MeetingRef, NewEnd, NewTime, Refusal, SettingChange, parse, zone_named,
};
use scheduler_core::schedule::{Who, next_occurrences};
use serde::Deserialize;
use std::borrow::Cow;
use std::io::{BufRead, Write};
use std::process::ExitCode;

pub fn run(args: &ParseArgs) -> ExitCode {
    if args.batch {
        return match batch(std::io::stdin().lock(), std::io::stdout().lock()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("parse --batch: {e}");
                ExitCode::from(1)
            }
        };
    }
    let now = match args.now.as_deref().map(parse_now).transpose() {
        Ok(now) => now.unwrap_or_else(Utc::now),
        Err(message) => return usage_error(&message),
    };
    let zone = match args.tz.as_deref().map(parse_zone).transpose() {
        Ok(zone) => zone.unwrap_or(Tz::UTC),
        Err(message) => return usage_error(&message),
    };
    if args.text.is_empty() {
        return usage_error(
            "give the command text, e.g. parse --tz Europe/Berlin \"sync tomorrow 3pm\"",
        );
    }
    let text = args.text.join(" ");
    let ctx = Context::new(now, zone);
    let result = parse(&text, &ctx);
    let mut stdout = std::io::stdout().lock();
    let written = if args.json {
        write_json(&mut stdout, &result).and_then(|()| writeln!(stdout))
    } else {
        writeln!(stdout, "{}", readable(&text, &result))
    };
    if let Err(e) = written.and_then(|()| stdout.flush()) {
        eprintln!("parse: {e}");
        return ExitCode::from(1);
    }
    if result.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("parse: {message}");
    ExitCode::from(2)
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("--now {text:?} is not RFC 3339 ({e})"))
}

fn parse_zone(text: &str) -> Result<Tz, String> {
    zone_named(text).ok_or_else(|| format!("--tz {text:?} is not a time zone"))
}

#[derive(Deserialize)]
struct BatchLine<'a> {
    #[serde(borrow)]
    now: Option<Cow<'a, str>>,
    #[serde(borrow)]
    tz: Option<Cow<'a, str>>,
    #[serde(borrow)]
    text: Cow<'a, str>,
}

/// JSON lines in, JSON lines out, in order; a bad line gets an error line.
pub fn batch(input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    let started = Utc::now();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, &mut output);
    for (number, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let result = batch_line(&line, started).unwrap_or_else(|message| {
            Err(Refusal {
                message: format!("line {}: {message}", number + 1),
                offset: None,
            })
        });
        write_json(&mut out, &result)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

fn batch_line(line: &str, started: DateTime<Utc>) -> Result<Result<Command, Refusal>, String> {
    let input: BatchLine<'_> =
        serde_json::from_str(line).map_err(|e| format!("not a JSON object with \"text\" ({e})"))?;
    let now = match &input.now {
        Some(now) => parse_now(now)?,
        None => started,
    };
    let zone = match &input.tz {
        Some(tz) => parse_zone(tz)?,
        None => Tz::UTC,
    };
    Ok(parse(&input.text, &Context::new(now, zone)))
}

/// The interpretation for people.
pub fn readable(text: &str, result: &Result<Command, Refusal>) -> String {
    let command = match result {
        Ok(c) => c,
        Err(refusal) => {
            let mut out = format!("refused: {}", refusal.message);
            if let Some(offset) = refusal.offset {
                let offset = offset.min(text.len());
                let column = text[..offset].chars().count();
                let width = text[offset..]
                    .split_whitespace()
                    .next()
                    .map_or(1, |w| w.chars().count().max(1));
                out.push_str(&format!(
                    "\n  {text}\n  {}{}",
                    " ".repeat(column),
                    "^".repeat(width)
                ));
            }
            return out;
        }
    };
    let mut out = format!("{}\n", command.name());
    let mut line = |key: &str, value: String| {
        out.push_str(&format!("  {key:<10}{value}\n"));
    };
    match command {
        Command::Schedule(req) => {
            line("title", req.title.clone());
            line(
                "when",
                format!(
                    "{} – {} ({})",
                    req.start.format("%a %-d %b %Y %H:%M %Z"),
                    req.end.format("%H:%M %Z"),
                    req.timezone.name()
                ),
            );
            line("start", rfc3339(&req.start));
            line("end", rfc3339(&req.end));
            line(
                "lasts",
                format!("{} minutes", (req.end - req.start).num_minutes()),
            );
            if let Some(rec) = &req.recurrence {
                line("repeats", rec.describe());
                line("rrule", rec.to_rrule());
                let next: Vec<String> = next_occurrences(req, 4)
                    .iter()
                    .map(|d| d.format("%a %-d %b %H:%M").to_string())
                    .collect();
                line("first", next.join(", "));
            }
            let invitees: Vec<String> = req
                .invitees
                .iter()
                .map(|i| {
                    let who = match &i.who {
                        Who::Email(e) => e.clone(),
                        Who::Mention { person_id } => format!("@{person_id}"),
                        Who::Everyone => "everyone in the space".into(),
                        Who::Name(name) => {
                            format!("{name} (a name: the member of the space so called, if one is)")
                        }
                    };
                    if i.cohost {
                        format!("{who} (co-host)")
                    } else {
                        who
                    }
                })
                .collect();
            line(
                "invitees",
                if invitees.is_empty() {
                    "none".into()
                } else {
                    invitees.join(", ")
                },
            );
            line(
                "password",
                req.password
                    .clone()
                    .unwrap_or_else(|| "(Webex makes one)".into()),
            );
            line(
                "agenda",
                req.agenda.clone().unwrap_or_else(|| "none".into()),
            );
            if let Some(lead) = req.reminder {
                line("reminder", lead.as_typed());
            }
        }
        Command::List(range) => line("range", range_name(*range).into()),
        Command::Cancel(r) => line("meeting", reference(r)),
        Command::Reschedule { reference: r, to } => {
            line("meeting", reference(r));
            reschedule_lines(to, &mut line);
        }
        Command::Tz(zone) => line(
            "zone",
            zone.map_or_else(|| "(show)".into(), |z| z.name().to_string()),
        ),
        Command::Settings(change) => line(
            "change",
            match change {
                None => "(show)".into(),
                Some(SettingChange::Confirm(on)) => {
                    format!("confirm {}", if *on { "on" } else { "off" })
                }
                Some(SettingChange::Reminders(lead)) => format!("reminders {lead}"),
            },
        ),
        Command::Help(topic) => line("topic", topic.clone().unwrap_or_else(|| "(all)".into())),
        Command::NotACommand => line("reply", "a hint: type help".into()),
        Command::Question(range) => line(
            "points to",
            range.map_or_else(
                || "list (not that far)".into(),
                |r| format!("list {}", range_name(r)),
            ),
        ),
        Command::Unsupported(request) => line("cannot", request.what().into()),
        Command::Thanks => line("reply", "you're welcome".into()),
        Command::Form | Command::Connect | Command::Disconnect => {}
    }
    out.trim_end().to_string()
}

/// What a reschedule changes, and what it leaves as the meeting has it.
fn reschedule_lines(to: &NewTime, line: &mut impl FnMut(&str, String)) {
    match to {
        NewTime::At { start, end } => {
            line("start", rfc3339(start));
            line(
                "end",
                end.as_ref()
                    .map_or_else(|| "(keeps its length)".into(), rfc3339),
            );
        }
        NewTime::Time { start, end, zone } => {
            line("day", "(keeps its day)".into());
            line(
                "time",
                format!("{} ({})", start.format("%H:%M"), zone.name()),
            );
            line(
                "end",
                match end {
                    None => "(keeps its length)".into(),
                    Some(NewEnd::At(t)) => t.format("%H:%M").to_string(),
                    Some(NewEnd::After(d)) => format!("{} minutes later", d.num_minutes()),
                },
            );
        }
        NewTime::Day { date, zone } => {
            line(
                "day",
                format!("{} ({})", date.format("%a %-d %b %Y"), zone.name()),
            );
            line("time", "(keeps its time and length)".into());
        }
    }
}

fn reference(r: &MeetingRef) -> String {
    match r {
        MeetingRef::ListIndex(n) => format!("number {n} from the last list"),
        MeetingRef::MeetingNumber(m) => format!("Webex meeting number {m}"),
    }
}

/// Writes the JSON object to `w` without an intermediate string.
fn write_json(w: &mut impl Write, result: &Result<Command, Refusal>) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, &json_view(result)).map_err(std::io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_answers_every_line_in_order() {
        let input = concat!(
            "{\"now\":\"2027-03-01T09:00:00Z\",\"tz\":\"Europe/Berlin\",\"text\":\"sync tomorrow 3pm\"}\n",
            "not json\n",
            "{\"now\":\"2027-03-01T09:00:00Z\",\"text\":\"sync tomorow 3pm\"}\n",
        );
        let mut out = Vec::new();
        batch(input.as_bytes(), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines[0].starts_with("{\"command\":\"schedule\""),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].starts_with("{\"error\":{\"message\":\"line 2:"),
            "{}",
            lines[1]
        );
        assert!(lines[2].contains("Did you mean"), "{}", lines[2]);
    }
}
