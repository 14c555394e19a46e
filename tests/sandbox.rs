//! The README's first command works: the sandbox starts the emulator and the bot, and a person
//! typing in its chat gets help, links their account, schedules a meeting and sees the
//! invitation e-mails.

use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn a_newcomer_can_chat_connect_schedule_and_see_the_invitations() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_webex-scheduler"))
        .args(["sandbox", "--script", "--data-dir"])
        .arg(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sandbox starts");
    let script = "help\nconnect\n/follow\nschedule sync tomorrow 3pm with bob@example.com\n/press Schedule\n/group\n@Scheduler list\n";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for expected in [
        "schedule design review",               // help text
        "(browser: 200 You're connected)",      // the OAuth link followed
        "You're connected: I can now schedule", // told in chat
        "│ [Schedule] [Edit] [Cancel]",         // the preview card, rendered
        "Scheduled: Sync",                      // the confirmation
        "✉ invitation (REQUEST) to bob@example.com",
        "[group] Scheduler:", // answered in the group space too
        "1. Sync",
    ] {
        assert!(out.contains(expected), "{expected:?} missing from:\n{out}");
    }
}
