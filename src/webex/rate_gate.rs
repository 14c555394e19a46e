//! Outbound pacing per Webex token.
//!
//! Webex rate-limits per token and answers excess with 429, and a 429 on one task says nothing
//! good about its siblings' next requests. So each token gets one [`RateGate`] that every caller
//! of that token passes before sending:
//!
//! * a GCRA limiter that keeps us under `WEBEX_REQUESTS_PER_MINUTE` in *every* 60-second window,
//!   so that in normal operation we never provoke a 429 at all;
//! * a shared "blocked until" instant set by any 429, so one caller's Retry-After pauses all of
//!   them instead of each discovering the limit with its own rejected request.
//!
//! Gates are keyed by a SHA-256 of the token: the registry must tell tokens apart, but holding
//! the tokens themselves in a second place would only widen where a secret can leak from.
//!
//! With a [`SharedBudget`] (the bot's database), both halves live there instead, so every
//! replica of the deployment draws on one budget per token and honours any replica's 429; the
//! in-process limiter remains the fallback when the database cannot be reached.

use super::budget::{Admission, Pacing, SharedBudget, token_key, wall_clock_ms};
use governor::clock::{Clock, MonotonicClock};
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::time::Instant;

const WINDOW: Duration = Duration::from_secs(60);

/// Share of the per-minute budget that may go out back to back; the rest is spaced evenly.
const BURST_DIVISOR: u32 = 25;

/// The burst and spacing that keep a greedy client within `requests_per_minute` in any
/// closed 60 s window.
///
/// `Quota::per_minute(n)` is the trap here: it allows a burst of `n` *and* refills one cell every
/// `60/n` s, so right after a quiet spell a 60 s window can see up to `2n` requests. A GCRA
/// limiter with burst `b` and period `T` admits at most `b + ⌊60/T⌋` in a closed 60 s window, so we
/// keep a small burst (`n/25`, at least 1) for concurrency and stretch `T` to `60 s / (n − b)`,
/// rounded *up* so the floor can never tip over `n`. For 100/min that is a burst of 4 and 625 ms,
/// i.e. 96 % of the budget sustained.
pub(crate) fn quota_for(requests_per_minute: NonZeroU32) -> Quota {
    let per_minute = requests_per_minute.get();
    let burst = (per_minute / BURST_DIVISOR).max(1);
    let spaced = per_minute - burst;
    let period = if spaced == 0 {
        // One request a minute: the next may only come strictly after the window has passed.
        WINDOW + Duration::from_nanos(1)
    } else {
        let window_nanos = WINDOW.as_nanos() as u64;
        Duration::from_nanos(window_nanos.div_ceil(u64::from(spaced)))
    };
    Quota::with_period(period)
        .expect("period is positive")
        .allow_burst(NonZeroU32::new(burst).expect("burst is at least 1"))
}

/// The GCRA half of a gate, generic over the clock so tests can drive minutes in microseconds.
pub(crate) struct Throttle<C: Clock = MonotonicClock> {
    limiter: RateLimiter<NotKeyed, InMemoryState, C, NoOpMiddleware<C::Instant>>,
}

impl<C: Clock> Throttle<C> {
    pub(crate) fn with_clock(requests_per_minute: NonZeroU32, clock: C) -> Self {
        Self {
            limiter: RateLimiter::direct_with_clock(quota_for(requests_per_minute), clock),
        }
    }

    /// Takes a slot if one is free now; otherwise says how long until the next one.
    pub(crate) fn try_admit(&self) -> Result<(), Duration> {
        self.limiter
            .check()
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }
}

/// Everything every caller of one token must respect before sending.
pub(crate) struct RateGate {
    throttle: Throttle,
    blocked_until: Mutex<Option<Instant>>,
    shared: Option<Shared>,
}

/// The token's budget for the whole deployment.
struct Shared {
    budget: Arc<dyn SharedBudget>,
    key: String,
    pacing: Pacing,
}

/// Why a request may not go yet.
enum Hold {
    /// The budget is spent for now.
    Throttled(Duration),
    /// A 429 paused the token (seen by another replica).
    Paused(Duration),
}

impl RateGate {
    pub fn new(requests_per_minute: NonZeroU32) -> Self {
        Self {
            throttle: Throttle::with_clock(requests_per_minute, MonotonicClock),
            blocked_until: Mutex::new(None),
            shared: None,
        }
    }

    /// A gate whose budget is `budget`'s, for `token`, shared with every replica.
    fn shared(
        requests_per_minute: NonZeroU32,
        budget: Arc<dyn SharedBudget>,
        token: &SecretString,
    ) -> Self {
        Self {
            shared: Some(Shared {
                budget,
                key: token_key(token),
                pacing: Pacing::for_rate(requests_per_minute),
            }),
            ..Self::new(requests_per_minute)
        }
    }

    /// Waits until this caller may send. If a 429 block lasts beyond `deadline`, waiting is
    /// pointless: gives back how much of the block is left so the caller can report it.
    pub(crate) async fn wait_turn(&self, deadline: Instant) -> Result<(), Duration> {
        loop {
            let now = Instant::now();
            if let Some(until) = self.blocked_after(now) {
                if until > deadline {
                    return Err(until - now);
                }
                tokio::time::sleep_until(until).await;
                continue;
            }
            // In-process: no await between the block check and taking a slot, so a 429 that
            // lands while we sleep on the throttle is seen on the next pass before we send.
            // Shared: the database checks the pause and takes the slot in one statement.
            let wait = match self.admit().await {
                Ok(()) => return Ok(()),
                Err(Hold::Throttled(wait)) => wait,
                Err(Hold::Paused(left)) if now + left > deadline => return Err(left),
                Err(Hold::Paused(left)) => left,
            };
            tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
        }
    }

    /// Takes a slot from the shared budget, or from the in-process one without it (or while
    /// the database is unreachable: Webex must stay usable, at this replica's own pace).
    async fn admit(&self) -> Result<(), Hold> {
        if let Some(shared) = &self.shared {
            let taken = shared
                .budget
                .take(&shared.key, shared.pacing, wall_clock_ms())
                .await;
            match taken {
                Ok(Admission::Go) => return Ok(()),
                Ok(Admission::Wait(wait)) => return Err(Hold::Throttled(wait)),
                Ok(Admission::Paused(left)) => return Err(Hold::Paused(left)),
                Err(e) => tracing::warn!(error = %e, "pacing in-process meanwhile"),
            }
        }
        self.throttle.try_admit().map_err(Hold::Throttled)
    }

    /// [`Self::block_for`], and the same pause for every replica through the shared budget.
    pub(crate) async fn pause(&self, wait: Duration) {
        self.block_for(wait);
        if let Some(shared) = &self.shared {
            let wait_ms = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
            let until = wall_clock_ms().saturating_add(wait_ms);
            if let Err(e) = shared.budget.pause(&shared.key, until).await {
                tracing::warn!(error = %e, "the 429 pause holds on this replica only");
            }
        }
    }

    /// Pauses every caller of this token for `wait` from now. Overlapping 429s never shorten
    /// a pause that is already in force.
    pub(crate) fn block_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut blocked = self.blocked_until.lock().expect("gate lock");
        if blocked.is_none_or(|current| current < until) {
            *blocked = Some(until);
        }
    }

    fn blocked_after(&self, now: Instant) -> Option<Instant> {
        let blocked = *self.blocked_until.lock().expect("gate lock");
        blocked.filter(|until| *until > now)
    }
}

/// A token's identity without the token.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct TokenKey([u8; 32]);

impl TokenKey {
    fn of(token: &SecretString) -> Self {
        Self(Sha256::digest(token.expose_secret().as_bytes()).into())
    }
}

/// One gate per token, created on first use and shared by every clone of the client.
pub(crate) struct Gates {
    requests_per_minute: NonZeroU32,
    by_token: Mutex<HashMap<TokenKey, Arc<RateGate>>>,
    shared: OnceLock<Arc<dyn SharedBudget>>,
}

impl Gates {
    pub fn new(requests_per_minute: NonZeroU32) -> Self {
        Self {
            requests_per_minute,
            by_token: Mutex::new(HashMap::new()),
            shared: OnceLock::new(),
        }
    }

    /// Draws every token's budget from `budget` from now on (set once, before the first call).
    pub(crate) fn share(&self, budget: Arc<dyn SharedBudget>) {
        if self.shared.set(budget).is_err() {
            tracing::warn!("the Webex budget was already shared; keeping the first");
        }
    }

    pub(crate) fn for_token(&self, token: &SecretString) -> Arc<RateGate> {
        let mut gates = self.by_token.lock().expect("gates lock");
        gates
            .entry(TokenKey::of(token))
            .or_insert_with(|| {
                Arc::new(match self.shared.get() {
                    Some(budget) => {
                        RateGate::shared(self.requests_per_minute, budget.clone(), token)
                    }
                    None => RateGate::new(self.requests_per_minute),
                })
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    /// Drives a client that sends the instant it is allowed, for `horizon` of fake time, and
    /// returns the admission instants.
    fn greedy_admissions(requests_per_minute: u32, horizon: Duration) -> Vec<Duration> {
        let clock = FakeRelativeClock::default();
        let throttle =
            Throttle::with_clock(NonZeroU32::new(requests_per_minute).unwrap(), clock.clone());
        let mut elapsed = Duration::ZERO;
        let mut admitted = Vec::new();
        while elapsed <= horizon {
            match throttle.try_admit() {
                Ok(()) => admitted.push(elapsed),
                Err(wait) => {
                    let step = wait.max(Duration::from_nanos(1));
                    clock.advance(step);
                    elapsed += step;
                }
            }
        }
        admitted
    }

    /// The most admissions inside any closed window `[t, t + 60 s]`; checking windows that start
    /// at an admission is enough, since sliding a window's start up to its first admission only
    /// ever adds admissions at its end.
    fn busiest_minute(admitted: &[Duration]) -> usize {
        let mut busiest = 0;
        let mut end = 0;
        for (start, first) in admitted.iter().enumerate() {
            while end < admitted.len() && admitted[end] <= *first + WINDOW {
                end += 1;
            }
            busiest = busiest.max(end - start);
        }
        busiest
    }

    #[test]
    fn the_default_budget_is_a_burst_of_four_every_625_ms() {
        let quota = quota_for(NonZeroU32::new(100).unwrap());
        assert_eq!(quota.burst_size().get(), 4);
        assert_eq!(quota.replenish_interval(), Duration::from_millis(625));
    }

    #[test]
    fn a_greedy_client_never_exceeds_the_quota_in_any_minute_and_gets_most_of_it() {
        let horizon = Duration::from_secs(10 * 60);
        for per_minute in [1, 2, 7, 20, 60, 99, 100, 101, 250, 1000] {
            let admitted = greedy_admissions(per_minute, horizon);

            assert!(
                busiest_minute(&admitted) <= per_minute as usize,
                "{per_minute}/min admitted {} in one minute",
                busiest_minute(&admitted)
            );
            let sustained = admitted.len() as f64 / 10.0;
            let floor = if per_minute >= 20 { 0.95 } else { 0.5 };
            assert!(
                sustained >= floor * f64::from(per_minute),
                "{per_minute}/min sustained only {sustained}/min"
            );
        }
    }

    #[test]
    fn a_burst_after_a_quiet_spell_still_fits_the_window() {
        // The per_minute(n) pitfall shows up exactly here: full bucket, then steady refills.
        let clock = FakeRelativeClock::default();
        let throttle = Throttle::with_clock(NonZeroU32::new(100).unwrap(), clock.clone());
        clock.advance(Duration::from_secs(3600));
        let mut admitted = 0;
        let mut elapsed = Duration::ZERO;
        while elapsed <= WINDOW {
            match throttle.try_admit() {
                Ok(()) => admitted += 1,
                Err(wait) => {
                    let step = wait.max(Duration::from_nanos(1));
                    clock.advance(step);
                    elapsed += step;
                }
            }
        }
        assert!(admitted <= 100, "admitted {admitted} in the first minute");
        assert!(
            admitted >= 96,
            "admitted only {admitted} in the first minute"
        );
    }

    #[test]
    fn the_naive_per_minute_quota_would_have_failed_this_check() {
        // Guards the checker itself: it must catch the 2n burst of Quota::per_minute(n).
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::direct_with_clock(
            Quota::per_minute(NonZeroU32::new(100).unwrap()),
            clock.clone(),
        );
        let mut admitted = Vec::new();
        let mut elapsed = Duration::ZERO;
        while elapsed <= Duration::from_secs(120) {
            match limiter.check() {
                Ok(()) => admitted.push(elapsed),
                Err(not_until) => {
                    let wait = not_until.wait_time_from(clock.now());
                    clock.advance(wait);
                    elapsed += wait;
                }
            }
        }
        assert!(busiest_minute(&admitted) > 100);
    }

    #[tokio::test]
    async fn a_block_pauses_callers_until_it_ends() {
        let gate = RateGate::new(NonZeroU32::new(6000).unwrap());
        let started = Instant::now();
        gate.block_for(Duration::from_millis(300));
        gate.wait_turn(started + Duration::from_secs(60))
            .await
            .unwrap();
        assert!(started.elapsed() >= Duration::from_millis(300));
    }

    #[tokio::test]
    async fn a_shorter_block_does_not_cut_a_longer_one_short() {
        let gate = RateGate::new(NonZeroU32::new(6000).unwrap());
        let started = Instant::now();
        gate.block_for(Duration::from_millis(400));
        gate.block_for(Duration::from_millis(50));
        gate.wait_turn(started + Duration::from_secs(60))
            .await
            .unwrap();
        assert!(started.elapsed() >= Duration::from_millis(400));
    }

    #[tokio::test]
    async fn a_block_beyond_the_deadline_is_reported_instead_of_waited() {
        let gate = RateGate::new(NonZeroU32::new(6000).unwrap());
        let started = Instant::now();
        gate.block_for(Duration::from_secs(30));
        let left = gate
            .wait_turn(started + Duration::from_secs(10))
            .await
            .unwrap_err();
        assert!(left > Duration::from_secs(29) && left <= Duration::from_secs(30));
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn each_token_gets_its_own_gate_and_repeats_share_one() {
        let gates = Gates::new(NonZeroU32::new(100).unwrap());
        let a = gates.for_token(&SecretString::from("token-a"));
        let a_again = gates.for_token(&SecretString::from("token-a"));
        let b = gates.for_token(&SecretString::from("token-b"));
        assert!(Arc::ptr_eq(&a, &a_again));
        assert!(!Arc::ptr_eq(&a, &b));
    }
}
