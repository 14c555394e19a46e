//! The README's first command works: the sandbox starts the emulator and the bot, and a person
//! typing in its chat gets help, links their account, schedules a meeting and sees the
//! invitation e-mails.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `webex-scheduler sandbox --script` on `data_dir` with `script` as what is typed, and
/// returns what it printed (the transcript: each typed line echoed after its prompt, then the
/// answers). The run must succeed.
pub(crate) fn run_script(data_dir: &Path, script: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_webex-scheduler"))
        .args(["sandbox", "--script", "--data-dir"])
        .arg(data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sandbox starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

#[test]
fn a_newcomer_can_chat_connect_schedule_and_see_the_invitations() {
    let dir = tempfile::tempdir().unwrap();
    let script = "help\nconnect\n/follow\nschedule sync tomorrow 3pm with bob@example.com\n/press Schedule\n/group\n@Scheduler list\n";
    let out = run_script(dir.path(), script);
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

#[test]
fn a_restart_shows_only_the_mail_sent_in_that_run() {
    let dir = tempfile::tempdir().unwrap();
    let first = run_script(
        dir.path(),
        "connect\n/follow\nsettings confirm off\nschedule sync tomorrow 3pm with bob@example.com\n",
    );
    assert!(
        first.matches("✉ invitation").count() >= 2,
        "the first run sends invitations:\n{first}"
    );
    let second = run_script(dir.path(), "help\n");
    assert!(second.contains("schedule design review"), "{second}");
    assert!(
        !second.contains('✉'),
        "nothing was sent in the second run, so no mail is shown:\n{second}"
    );
}

#[test]
fn the_sandbox_person_runs_the_bot_and_may_use_admin_commands_in_the_direct_space_only() {
    let dir = tempfile::tempdir().unwrap();
    let script = "admin status\nadmin dead\n/group\n@Scheduler admin status\n";
    let out = run_script(dir.path(), script);
    for expected in [
        "Linked people: 0", // admin status
        "No dead letters.",
        "Admin commands work only in a direct space with me.",
    ] {
        assert!(out.contains(expected), "{expected:?} missing from:\n{out}");
    }
    assert!(!out.contains("Only the bot's admins"), "{out}");
}
