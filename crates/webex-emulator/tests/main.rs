//! The emulator's own tests, in one test binary: it is driven over real HTTP as the bot would
//! drive Webex. The tests that hold it to Cisco's OpenAPI documents with the bot's own client
//! live with the service (`tests/emulator_contract.rs`).

mod faults;
mod meeting_updates;
mod meetings;
mod messaging;
mod oauth;
mod whose_meetings;

/// The one way these tests wait for what the emulator does in the background (webhook
/// deliveries, retries, disabling). The service's tests have the same helper in
/// `tests/common/eventually.rs`, which this crate's tests cannot see.
mod support {
    use std::fmt::Debug;
    use std::time::{Duration, Instant};

    /// How long a test waits before failing; only spent in full when something is wrong.
    pub const WAIT: Duration = Duration::from_secs(5);

    /// Looks at `check` until it answers `Ok(value)` and returns that value; panics once
    /// `timeout` has passed, naming `what` and the last `Err(seen)` that `check` answered.
    /// `check` is looked at once more after the deadline, so a zero `timeout` means "right now".
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
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    }

    /// Waits until every webhook notification sent so far is over (delivered or given up), so
    /// a test may then assert that something was delivered exactly once, or not at all.
    pub async fn notifications_settled(emulator: &webex_emulator::Emulator) {
        eventually("every notification to be delivered", WAIT, async || {
            let progress = emulator.notification_progress();
            match progress.in_flight() {
                0 => Ok(()),
                _ => Err(progress),
            }
        })
        .await
    }
}
