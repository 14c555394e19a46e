//! `eventually`: the one way the service's tests (and the pipeline benchmark) wait for something
//! that happens in the background — a reply, a webhook, a job, a file, a peer's message.
//!
//! It lives in its own file so that `benches/pipeline.rs` can include it with `#[path]` without
//! the whole `spawn_app()` harness.

use std::fmt::Debug;
use std::time::{Duration, Instant};

/// How long a test waits for the bot, the emulator or a peer before failing. Generous, because a
/// busy two-core CI machine can be slow; it is only ever spent in full when something is wrong.
pub const WAIT: Duration = Duration::from_secs(20);

/// How often the condition is looked at again.
const POLL_EVERY: Duration = Duration::from_millis(20);

/// Looks at `check` until it answers `Ok(value)`, and returns that value; panics once `timeout`
/// has passed.
///
/// While the condition does not hold, `check` answers `Err(seen)`, where `seen` is whatever it
/// observed (a count, the messages so far, the job counts, …). The last `seen` is printed with
/// `what` when time runs out, so a failure reads like
/// `timed out after 20s waiting for 2 bot messages in the room; last saw: 1`.
///
/// `check` is always looked at once more after the deadline has passed, so a condition that
/// became true at the last moment still counts, and a zero `timeout` means "right now".
///
/// ```ignore
/// let messages = eventually("2 bot messages in the room", WAIT, async || {
///     let messages = app.bot_messages(&room);
///     if messages.len() >= 2 { Ok(messages) } else { Err(messages.len()) }
/// })
/// .await;
/// ```
pub async fn eventually<T, S: Debug>(
    what: &str,
    timeout: Duration,
    mut check: impl AsyncFnMut() -> Result<T, S>,
) -> T {
    let started = Instant::now();
    loop {
        let out_of_time = started.elapsed() >= timeout;
        match check().await {
            Ok(value) => return value,
            Err(seen) if out_of_time => {
                panic!("timed out after {timeout:?} waiting for {what}; last saw: {seen:?}")
            }
            Err(_) => tokio::time::sleep(POLL_EVERY).await,
        }
    }
}

// Paths are spelled out: the benchmark includes this file too, and there the tests compile away.
#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn returns_the_value_once_the_condition_holds() {
        let mut looks = 0;
        let value = super::eventually("the third look", super::WAIT, async || {
            looks += 1;
            if looks == 3 {
                Ok(looks * 10)
            } else {
                Err(looks)
            }
        })
        .await;
        assert_eq!((value, looks), (30, 3));
    }

    #[tokio::test]
    #[should_panic(expected = "waiting for a reply; last saw: [\"hello\"]")]
    async fn a_timeout_names_what_was_awaited_and_the_last_thing_seen() {
        super::eventually("a reply", std::time::Duration::ZERO, async || {
            Err::<(), _>(vec!["hello"])
        })
        .await;
    }
}
