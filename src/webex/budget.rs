//! One Webex budget per token for the whole deployment.
//!
//! Webex counts requests per token, not per process: two replicas each pacing themselves to
//! `WEBEX_REQUESTS_PER_MINUTE` would together send twice that. So the pacing state (the GCRA
//! "theoretical arrival time" of each token, and the end of any 429 pause) can live somewhere
//! every replica reads: a [`SharedBudget`], which the store implements in the database. It also
//! survives a restart, so a crash loop cannot start each run with a fresh burst.
//!
//! Times are wall-clock milliseconds since the epoch (replicas share no monotonic clock); NTP
//! keeps replicas within a few milliseconds of each other, which moves admissions by as much.

use super::rate_gate::quota_for;
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::num::NonZeroU32;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The GCRA parameters of one token's budget, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pacing {
    /// Time between two requests once the burst is spent (the emission interval).
    pub period_ms: i64,
    /// How far ahead of now a token's schedule may run: `(burst - 1) × period`.
    pub tolerance_ms: i64,
}

impl Pacing {
    /// The same burst and spacing as the in-process gate (see `rate_gate::quota_for`), with the
    /// period rounded *up* to whole milliseconds, so no 60 s window can hold more than
    /// `requests_per_minute`.
    pub fn for_rate(requests_per_minute: NonZeroU32) -> Self {
        let quota = quota_for(requests_per_minute);
        let nanos = quota.replenish_interval().as_nanos();
        let period_ms = i64::try_from(nanos.div_ceil(1_000_000)).unwrap_or(i64::MAX);
        let burst = i64::from(quota.burst_size().get());
        Self {
            period_ms,
            tolerance_ms: period_ms.saturating_mul(burst - 1),
        }
    }
}

/// What the budget answered to "may this token send now?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// One request was taken from the budget: send it.
    Go,
    /// The budget is spent for now: ask again after this long.
    Wait(Duration),
    /// A 429 paused the token (on any replica): nothing may be sent for this long.
    Paused(Duration),
}

/// A failure of the shared budget's storage; callers fall back to pacing in-process.
#[derive(Debug, thiserror::Error)]
#[error("shared Webex budget: {0}")]
pub struct BudgetError(pub String);

/// Budget state shared by every replica, keyed by a token's [`token_key`].
#[async_trait]
pub trait SharedBudget: Send + Sync {
    /// Takes one request from the token's budget at `now_ms`, if it has one.
    async fn take(
        &self,
        token_key: &str,
        pacing: Pacing,
        now_ms: i64,
    ) -> Result<Admission, BudgetError>;

    /// Pauses the token until `until_ms` on every replica (a 429's Retry-After); never shortens
    /// a pause already in force.
    async fn pause(&self, token_key: &str, until_ms: i64) -> Result<(), BudgetError>;
}

/// A token's name in the shared budget: a SHA-256, so the database never holds the token.
pub fn token_key(token: &SecretString) -> String {
    hex::encode(Sha256::digest(token.expose_secret().as_bytes()))
}

/// Now, in wall-clock milliseconds since the epoch.
pub(crate) fn wall_clock_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_pacing_matches_the_in_process_one_rounded_up() {
        let pacing = Pacing::for_rate(NonZeroU32::new(100).unwrap());
        // 100/min: a burst of 4 and 625 ms between requests (see rate_gate::quota_for).
        assert_eq!(
            pacing,
            Pacing {
                period_ms: 625,
                tolerance_ms: 1_875
            }
        );
        let pacing = Pacing::for_rate(NonZeroU32::new(7).unwrap());
        // 7/min: a burst of 1 and 60 s / 6 = 10 s.
        assert_eq!(
            pacing,
            Pacing {
                period_ms: 10_000,
                tolerance_ms: 0
            }
        );
    }
}
