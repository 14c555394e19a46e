//! The table of typed commands and what they mean, grouped by clause kind (one file each).
//!
//! A case is a text, a fixed `now` and zone in force, and what must come out, written as
//! `key=value` pairs separated by `; `. The keys are the fields of the `parse --json` output
//! (`title`, `start`, `end`, `timezone`, `recurrence`, `invitees`, `range`, `zone`, …), plus
//! `error` (a part of the refusal's message) and `word` (the word the refusal points at).
//!
//! Every case that schedules a meeting is also checked for the invariants: the series expanded
//! by the `rrule` crate starts on the meeting's start, the RRULE has no BYHOUR/BYMINUTE/BYSECOND,
//! and writing the command back as text parses to the same command.

mod commands;
mod contract;
mod dates;
mod dst;
mod errors;
mod help;
mod people;
mod questions;
mod ranges;
mod repeats;
mod sentences;
mod spoken;
mod spoken_grid;
mod times;
mod zones;

use super::{Command, Context, Mention, json, parse};
use crate::schedule::next_occurrences;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;
use std::collections::BTreeMap;

/// A Wednesday morning in Berlin, four days before the clocks go forward.
pub(super) const NOW: &str = "2027-03-24T09:00:00Z";
pub(super) const BERLIN: Tz = chrono_tz::Europe::Berlin;

pub(super) fn now(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("bad now {text}: {e}"))
        .with_timezone(&Utc)
}

/// The mentions the table's messages may contain.
pub(super) fn mentions() -> Vec<Mention> {
    vec![
        Mention {
            person_id: "P-ANA".into(),
            text: "Ana Lopez".into(),
        },
        Mention {
            person_id: "P-BOB".into(),
            text: "Bob".into(),
        },
    ]
}

/// Flattens the JSON output to leaf keys; invitees become `a@x.com, b@x.com*` (`*`: co-host),
/// a bare name `name:bob`.
fn flatten(value: &Value, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("invitees", Value::Array(items)) => {
                        let list: Vec<String> = items
                            .iter()
                            .map(|i| {
                                let name = i.get("name").and_then(Value::as_str);
                                let who = i
                                    .get("email")
                                    .or_else(|| i.get("person_id"))
                                    .and_then(Value::as_str)
                                    .map(str::to_string)
                                    .or_else(|| name.map(|n| format!("name:{n}")))
                                    .unwrap_or_else(|| "everyone".to_string());
                                let co = i.get("cohost").and_then(Value::as_bool).unwrap_or(false);
                                if co { format!("{who}*") } else { who }
                            })
                            .collect();
                        out.insert("invitees".into(), list.join(", "));
                    }
                    (_, Value::Object(_)) => {
                        out.insert(key.clone(), v.to_string());
                        flatten(v, out);
                    }
                    (_, Value::String(s)) => {
                        out.insert(key.clone(), s.clone());
                    }
                    (_, Value::Null) => {
                        out.insert(key.clone(), "null".into());
                    }
                    (_, other) => {
                        out.insert(key.clone(), other.to_string());
                    }
                }
            }
        }
        other => {
            out.insert("value".into(), other.to_string());
        }
    }
}

/// Checks one case; returns a description of every mismatch.
pub(super) fn check_at(now_text: &str, zone: Tz, text: &str, expect: &str) -> Result<(), String> {
    let mentions = mentions();
    let ctx = Context {
        mentions: &mentions,
        ..Context::new(now(now_text), zone)
    };
    let result = parse(text, &ctx);
    let out: Value = serde_json::from_str(&json::to_json(&result)).expect("valid JSON");
    let mut fields = BTreeMap::new();
    flatten(&out, &mut fields);
    if let Some(message) = fields.get("message").cloned() {
        fields.insert("error".into(), message);
    }
    if let Err(refusal) = &result {
        let word = refusal
            .message
            .split("(at word ")
            .nth(1)
            .and_then(|r| r.split(')').next())
            .unwrap_or("none");
        fields.insert("word".into(), word.into());
    }
    let mut problems = Vec::new();
    for pair in expect.split("; ").filter(|p| !p.trim().is_empty()) {
        let (key, want) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, want) = (key.trim(), want.trim());
        let got = fields.get(key).map(String::as_str).unwrap_or("<absent>");
        let ok = match key {
            "error" => got.contains(want),
            _ => got == want,
        };
        if !ok {
            problems.push(format!("{key}: want {want:?}, got {got:?}"));
        }
    }
    if let Ok(command) = &result
        && let Err(e) = invariants(command, &ctx)
    {
        problems.push(e);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{text:?} (now {now_text}, {zone}):\n    {}\n    output: {}",
            problems.join("\n    "),
            json::to_json(&result)
        ))
    }
}

/// What holds for every parsed command.
fn invariants(command: &Command, ctx: &Context<'_>) -> Result<(), String> {
    if let Command::Schedule(req) = command
        && let Some(rec) = &req.recurrence
    {
        let rule = rec.to_rrule();
        for forbidden in ["BYHOUR", "BYMINUTE", "BYSECOND", "RRULE:"] {
            if rule.contains(forbidden) {
                return Err(format!("{rule} contains {forbidden}"));
            }
        }
        let first = next_occurrences(req, 3);
        if first.first() != Some(&req.start) {
            return Err(format!(
                "rrule {rule} from {} starts at {:?}",
                req.start,
                first.first()
            ));
        }
        let mine: Vec<_> = rec.dates_from(req.start.date_naive()).take(3).collect();
        let theirs: Vec<_> = first.iter().map(|d| d.date_naive()).collect();
        if rec.end == crate::schedule::RecurrenceEnd::Never && mine != theirs {
            return Err(format!(
                "own expansion {mine:?} differs from rrule's {theirs:?}"
            ));
        }
    }
    let text = command.to_text();
    let again =
        parse(&text, ctx).map_err(|r| format!("round trip {text:?} refused: {}", r.message))?;
    if &again != command {
        return Err(format!("round trip {text:?} gave {again:?}"));
    }
    Ok(())
}

/// Runs a table of `(text, expectation)` at `NOW` in Berlin.
pub(super) fn table(cases: &[(&str, &str)]) {
    table_at(NOW, BERLIN, cases);
}

/// Runs a table at a given now and zone; reports every failing case at once.
pub(super) fn table_at(now_text: &str, zone: Tz, cases: &[(&str, &str)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(text, expect)| check_at(now_text, zone, text, expect).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
