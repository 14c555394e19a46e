//! What the chat shows besides what you type: the bot's messages as they arrive, the invitation
//! e-mails written in this run, and the wait for the bot to finish answering a line.

use super::{Memory, render};
use crate::store::Store;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tokio_util::sync::CancellationToken;
use webex_emulator::{Emulator, MessageInfo};

/// Prints every message the bot posts, in any sample space, as it arrives, and remembers the
/// last link and card for /follow, /press and /set.
pub(super) async fn print_bot_messages(
    emulator: Emulator,
    rooms: Vec<(String, String)>,
    memory: Arc<Mutex<Memory>>,
    stop: CancellationToken,
) {
    let bot_id = emulator.bot().id;
    let mut seen = HashSet::new();
    loop {
        for (label, room) in &rooms {
            for message in emulator.messages_in(room) {
                if message.person_id == bot_id && seen.insert(message.id.clone()) {
                    println!("\n[{label}] Scheduler:\n{}", render::message(&message));
                    remember(&memory, label, &message);
                }
            }
        }
        let _ = std::io::stdout().flush();
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_millis(150)) => {}
        }
    }
}

fn remember(memory: &Mutex<Memory>, label: &str, message: &MessageInfo) {
    let Ok(mut m) = memory.lock() else { return };
    if let Some(link) = render::first_link(message.markdown.as_deref().unwrap_or("")) {
        println!("  (type /follow to open this link as Ana)");
        m.last_link = Some(link);
    }
    if let Some(card) = message.attachments.first() {
        let content = card.get("content").cloned().unwrap_or_else(|| card.clone());
        m.last_card = Some((label.to_string(), message.id.clone(), content));
        m.inputs.clear();
        println!("  (/set <field> <value> to fill it, /press <button> to press a button)");
    }
}

/// The `.eml` files in the mail folder, each with when it was last written.
///
/// The folder outlives a run (it is the record of what was sent), so the chat takes this
/// snapshot before the bot starts and shows only files that are new or rewritten since: a
/// restart does not announce old mail as if it were sent again.
pub(super) fn mail_on_disk(dir: &Path) -> HashMap<PathBuf, SystemTime> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .map(|p| {
                    let written = modified(&p);
                    (p, written)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Shows each invitation e-mail the bot writes in this run: to whom, what, and the calendar
/// method. `known` is what was on disk before (see [`mail_on_disk`]); a message re-sent with
/// the same Message-ID replaces its file and is shown again.
pub(super) async fn print_new_mail(
    dir: PathBuf,
    mut known: HashMap<PathBuf, SystemTime>,
    stop: CancellationToken,
) {
    loop {
        let mut fresh: Vec<PathBuf> = mail_on_disk(&dir)
            .into_iter()
            .filter(|(path, written)| known.insert(path.clone(), *written) != Some(*written))
            .map(|(path, _)| path)
            .collect();
        fresh.sort();
        for path in fresh {
            if let Ok(raw) = std::fs::read_to_string(&path) {
                println!("\n{}", render::mail_summary(&raw, &path));
            }
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_millis(300)) => {}
        }
    }
}

/// Waits until the bot has done what the last line caused: every job finished (the webhook,
/// the invitations, the e-mails) and nothing new delivered for a moment, or `patience` ran out.
/// The next line then starts after its answers are shown, however slow the machine.
pub(super) async fn settle(emulator: &Emulator, store: &Store, patience: Duration) {
    const QUIET: Duration = Duration::from_millis(700);
    let deadline = Instant::now() + patience;
    let mut last = None;
    let mut quiet_since = Instant::now();
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let counts = store.job_counts().await.unwrap_or_default();
        let activity = (emulator.deliveries().len(), counts.done, counts.dead);
        if last != Some(activity) {
            last = Some(activity);
            quiet_since = Instant::now();
        }
        let idle = counts.pending == 0 && counts.running == 0;
        if idle && quiet_since.elapsed() >= QUIET {
            return;
        }
    }
}
