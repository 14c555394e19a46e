//! The corpus (issue 13): sentences people might type to set up meetings, each labelled with
//! what it means, in `tests/command_corpus.txt`. Every sentence must be read right or refused
//! with a message that quotes what it could not use; at least 90 % must be read right.
//!
//! Run with `-- --nocapture` for the measurement. A label is `key=value` pairs:
//! `at` (start, wall time in the meeting's zone), `to` (end: a time, or a date and time),
//! `title`, `zone`, `rule` (the RRULE), `cmd` (another command), `refuse` (the meaning is a
//! question back: the refusal must quote this).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use scheduler_core::command::{Command, Context, Refusal, parse};

const CORPUS: &str = include_str!("command_corpus.txt");

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Right,
    /// Refused, quoting what it could not use: a question back, not a wrong meeting.
    RefusedNamed,
    Misread(String),
}

fn label(expect: &str) -> Vec<(&str, &str)> {
    expect
        .split("; ")
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// Whether a refusal quotes a part of the sentence (what it could not use).
fn quotes_the_sentence(refusal: &Refusal, text: &str) -> bool {
    refusal
        .message
        .split('"')
        .skip(1)
        .step_by(2)
        .any(|q| !q.trim().is_empty() && text.to_lowercase().contains(&q.to_lowercase()))
}

fn judge(text: &str, expect: &str, ctx: &Context<'_>) -> Outcome {
    let wanted = label(expect);
    let result = parse(text, ctx);
    let get = |k: &str| wanted.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    if let Some(word) = get("refuse") {
        return match &result {
            Err(r) if r.message.to_lowercase().contains(&word.to_lowercase()) => Outcome::Right,
            Err(r) if quotes_the_sentence(r, text) => Outcome::RefusedNamed,
            other => Outcome::Misread(format!("{other:?}")),
        };
    }
    match &result {
        Err(r) if quotes_the_sentence(r, text) => return Outcome::RefusedNamed,
        Err(r) => return Outcome::Misread(format!("refused without quoting: {}", r.message)),
        Ok(_) => {}
    }
    let command = result.expect("checked above");
    if let Some(name) = get("cmd") {
        return if command.name() == name {
            Outcome::Right
        } else {
            Outcome::Misread(format!("{command:?}"))
        };
    }
    let Command::Schedule(req) = &command else {
        return Outcome::Misread(format!("{command:?}"));
    };
    let start = req.start.with_timezone(&req.timezone);
    let end = req.end.with_timezone(&req.timezone);
    let mut wrong = Vec::new();
    for (key, want) in &wanted {
        let got = match *key {
            "at" => start.format("%Y-%m-%d %H:%M").to_string(),
            "to" if want.len() > 5 => end.format("%Y-%m-%d %H:%M").to_string(),
            "to" => end.format("%H:%M").to_string(),
            "title" => req.title.clone(),
            "zone" => req.timezone.name().to_string(),
            "rule" => req
                .recurrence
                .as_ref()
                .map_or("none".into(), |r| r.to_rrule()),
            other => panic!("unknown label key {other} in {text:?}"),
        };
        if got != *want {
            wrong.push(format!("{key}: want {want:?}, got {got:?}"));
        }
    }
    if wrong.is_empty() {
        Outcome::Right
    } else {
        Outcome::Misread(wrong.join(", "))
    }
}

#[test]
fn command_corpus() {
    let mut now: DateTime<Utc> = "2027-03-24T09:00:00Z".parse().expect("a now");
    let mut zone: Tz = chrono_tz::Europe::Berlin;
    let (mut right, mut named, mut misread) = (0, 0, Vec::new());
    let mut refused_lines = Vec::new();
    for line in CORPUS.lines() {
        if let Some(header) = line.strip_prefix("# now ") {
            let (at, tz) = header.split_once(' ').expect("# now <instant> <zone>");
            now = at.parse().expect("an RFC 3339 now");
            zone = tz.parse().expect("an IANA zone");
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (text, expect) = line.split_once(" | ").expect("sentence | label");
        let ctx = Context::new(now, zone);
        match judge(text, expect, &ctx) {
            Outcome::Right => right += 1,
            Outcome::RefusedNamed => {
                named += 1;
                refused_lines.push(text.to_string());
            }
            Outcome::Misread(why) => misread.push(format!("{text:?} ({zone}): {why}")),
        }
    }
    let total = right + named + misread.len();
    let percent = |n: usize| 100.0 * n as f64 / total as f64;
    println!(
        "corpus: {total} sentences; {right} right ({:.1} %), {named} refused naming the word \
         ({:.1} %), {} misread ({:.1} %)",
        percent(right),
        percent(named),
        misread.len(),
        percent(misread.len())
    );
    for text in &refused_lines {
        println!("  refused, named: {text}");
    }
    for m in &misread {
        println!("  MISREAD {m}");
    }
    assert!(total >= 300, "the corpus has {total} sentences");
    assert!(
        misread.is_empty(),
        "{} misread:\n{}",
        misread.len(),
        misread.join("\n")
    );
    assert!(percent(right) >= 90.0, "{:.1} % right", percent(right));
}
