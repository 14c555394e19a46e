//! `webex-scheduler parse`: the JSON the contract shows, the readable form, exit codes, and
//! `--batch` (JSON lines in and out, in order, on nothing but the parser).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

fn parse_cmd() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_webex-scheduler"));
    cmd.arg("parse");
    // Configuration that would break anything but the parser.
    cmd.env("DATABASE_URL", "nonsense://")
        .env("LISTEN_ADDR", "not an address")
        .env("WEBEX_BOT_TOKEN", "");
    cmd
}

#[test]
fn json_output_is_the_contracts_shape() {
    let out = parse_cmd()
        .args([
            "--now",
            "2027-03-24T09:00:00Z",
            "--tz",
            "Europe/Berlin",
            "--json",
        ])
        .args([
            "design",
            "review",
            "monday",
            "3-4pm",
            "weekly",
            "4",
            "times",
            "with",
            "ana@example.com",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.trim_end(),
        concat!(
            r#"{"command":"schedule","meeting":{"title":"Design review","#,
            r#""start":"2027-03-29T15:00:00+02:00","end":"2027-03-29T16:00:00+02:00","#,
            r#""timezone":"Europe/Berlin","recurrence":"FREQ=WEEKLY;BYDAY=MO;COUNT=4","#,
            r#""invitees":[{"email":"ana@example.com","cohost":false}],"password":null,"agenda":null}}"#
        )
    );
    assert_eq!(stdout.lines().count(), 1);
}

#[test]
fn a_refusal_is_an_error_object_and_exit_status_2() {
    let out = parse_cmd()
        .args([
            "--now",
            "2027-03-24T09:00:00Z",
            "--json",
            "sync tomorow 3pm",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["offset"], 5);
    assert_eq!(
        v["error"]["message"],
        "I couldn't read \"tomorow\" (at word 2). Did you mean \"tomorrow\"?"
    );
}

#[test]
fn other_commands_print_their_name_and_arguments() {
    let cases = [
        ("list tomorrow", r#"{"command":"list","range":"tomorrow"}"#),
        (
            "cancel 2",
            r#"{"command":"cancel","meeting":{"list_index":2}}"#,
        ),
        (
            "tz new york",
            r#"{"command":"tz","zone":"America/New_York"}"#,
        ),
        (
            "settings confirm off",
            r#"{"command":"settings","change":{"confirm":false}}"#,
        ),
        ("help repeats", r#"{"command":"help","topic":"repeats"}"#),
        ("connect", r#"{"command":"connect"}"#),
        ("hi there", r#"{"command":"none"}"#),
        (
            "what's on tomorrow",
            r#"{"command":"question","range":"tomorrow"}"#,
        ),
        (
            "remind me 10 minutes before",
            r#"{"command":"unsupported","request":"reminder"}"#,
        ),
        ("thank you!", r#"{"command":"thanks"}"#),
    ];
    for (text, want) in cases {
        let out = parse_cmd()
            .args(["--now", "2027-03-24T09:00:00Z", "--json", text])
            .output()
            .unwrap();
        assert!(out.status.success(), "{text}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap().trim_end(),
            want,
            "{text}"
        );
    }
}

#[test]
fn readable_output_shows_the_interpretation() {
    let out = parse_cmd()
        .args(["--now", "2027-03-24T09:00:00Z", "--tz", "Europe/Berlin"])
        .args(["standup every weekday 9:30 for 15m with ana@acme.com"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for part in [
        "schedule",
        "Standup",
        "every weekday",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "ana@acme.com",
    ] {
        assert!(text.contains(part), "{part} missing from:\n{text}");
    }
    let out = parse_cmd()
        .args([
            "--now",
            "2027-03-24T09:00:00Z",
            "lunch with bob friday noon",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Lunch with bob"), "{text}");
    assert!(
        text.contains("bob (a name: the member of the space so called, if one is)"),
        "a name is shown as a name:\n{text}"
    );
    let out = parse_cmd()
        .args(["--now", "2027-03-24T09:00:00Z", "sync wendesday 3pm"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Did you mean \"wednesday\"?"), "{text}");
    assert!(
        text.contains("     ^^^^^^^^^"),
        "a caret under the word:\n{text}"
    );
}

#[test]
fn bad_options_are_usage_errors() {
    let out = parse_cmd()
        .args(["--now", "yesterday", "sync 3pm"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RFC 3339"));
    let out = parse_cmd()
        .args(["--tz", "Mars/Olympus", "sync 3pm"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn batch_mode_answers_line_by_line_on_one_thread() {
    let mut child = parse_cmd()
        .arg("--batch")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    writeln!(
        stdin,
        r#"{{"now":"2027-03-24T09:00:00Z","tz":"Europe/Berlin","text":"sync tomorrow 3pm"}}"#
    )
    .unwrap();
    stdin.flush().unwrap();
    let mut first = String::new();
    // The writer is buffered until the input ends; send the rest first.
    writeln!(stdin, "not json").unwrap();
    writeln!(
        stdin,
        r#"{{"now":"2027-03-24T09:00:00Z","text":"sync tomorow 3pm"}}"#
    )
    .unwrap();
    #[cfg(target_os = "linux")]
    {
        // Nothing but the parser: no runtime, so no worker threads.
        let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
        let threads = status
            .lines()
            .find_map(|l| l.strip_prefix("Threads:"))
            .map(|n| n.trim().to_string());
        assert_eq!(threads.as_deref(), Some("1"), "{status}");
    }
    drop(stdin);
    stdout.read_line(&mut first).unwrap();
    let rest: Vec<String> = stdout.lines().map(Result::unwrap).collect();
    assert!(
        child.wait().unwrap().success(),
        "a refusal does not change the exit status"
    );
    assert!(first.starts_with(r#"{"command":"schedule""#), "{first}");
    assert!(
        first.contains(r#""start":"2027-03-25T15:00:00+01:00""#),
        "{first}"
    );
    assert_eq!(rest.len(), 2);
    assert!(
        rest[0].starts_with(r#"{"error":{"message":"line 2:"#),
        "{}",
        rest[0]
    );
    assert!(rest[1].contains("Did you mean"), "{}", rest[1]);
}
