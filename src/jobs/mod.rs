//! The durable queue's policy: workers, leases, retries with jittered backoff, dead letters.
//!
//! The queue gives at-least-once execution: a job is only marked done after its handler
//! returns, so a crash at any point leaves it pending (or running with a lease that the reaper
//! expires). Handlers make their external effects idempotent; this module knows nothing of what
//! a job does.

pub mod kinds;
mod periodic;

use crate::metrics::Metrics;
use crate::metrics::labels::JobOutcome;
use crate::ops::reference;
use crate::store::{ClaimedJob, NewJob, Store, StoreError};
use rand::Rng;
use scheduler_core::clock::SharedClock;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// How a job attempt ended, when it did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another try later (network, 5xx, database busy).
    #[error("transient: {0:#}")]
    Retry(anyhow::Error),
    /// Will never succeed; dead-letter it now.
    #[error("permanent: {0:#}")]
    Permanent(anyhow::Error),
    /// Cannot run until a person acts (reconnects their account); set aside, not retried.
    #[error("parked until {key} acts: {reason}")]
    Park { key: String, reason: String },
}

/// A kind of job: the name it is stored under and the type of its payload. Producers enqueue a
/// value of the type and the handler reads the same type back, so the two cannot drift apart.
pub(crate) trait Job: Serialize + DeserializeOwned {
    /// The kind name stored with each row; never renamed (rows in the queue carry it).
    const KIND: &'static str;

    /// Jobs with the same key run one at a time, in the order they were enqueued.
    fn queue_key(&self) -> String;

    /// The row that enqueues this job now.
    /// The payload carries the reference of the work that enqueues it (see `ops::reference`).
    fn to_new_job(&self) -> Result<NewJob, serde_json::Error> {
        let mut payload = serde_json::to_value(self)?;
        crate::ops::reference::stamp(&mut payload);
        Ok(NewJob::new(Self::KIND, &self.queue_key(), payload))
    }

    /// Reads a claimed job's payload as this kind. A payload that does not read will never
    /// read, so it is a permanent failure (dead-lettered with the reason), not a retry.
    fn from_claimed(job: &ClaimedJob) -> Result<Self, JobError> {
        serde_json::from_value(job.payload.clone()).map_err(|e| {
            JobError::Permanent(anyhow::anyhow!(
                "a {} job's payload does not read: {e}",
                Self::KIND
            ))
        })
    }
}

/// What runs a claimed job.
#[async_trait::async_trait]
pub trait JobHandler: Send + Sync + 'static {
    async fn handle(&self, job: &ClaimedJob) -> Result<(), JobError>;
}

/// Retry timing: capped exponential backoff with full jitter, so retries of many jobs that
/// failed together spread out instead of hammering the server in lock-step.
#[derive(Debug, Clone)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(2),
            cap: Duration::from_secs(300),
        }
    }
}

impl Backoff {
    /// The longest wait allowed after the `attempt`-th failure (1-based).
    pub(crate) fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(20));
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// A wait drawn uniformly from `[ceiling/10, ceiling]`: full jitter, with a small floor so a
    /// retry never lands on the same millisecond as the failure.
    pub fn delay(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let ceiling = self.ceiling(attempt);
        let floor = ceiling / 10;
        floor + ceiling.saturating_sub(floor).mul_f64(rng.r#gen::<f64>())
    }
}

#[derive(Debug, Clone)]
pub struct QueueConfig {
    pub workers: usize,
    pub max_attempts: u32,
    /// Job kinds that wait out long outages (an SMTP server down for hours) instead of being
    /// dead-lettered after `max_attempts`, with the attempts they get.
    pub patient: Vec<(String, u32)>,
    pub lease: Duration,
    pub poll_interval: Duration,
    pub backoff: Backoff,
}

impl QueueConfig {
    /// How many attempts a job of `kind` gets before it is dead-lettered.
    pub(crate) fn attempts_for(&self, kind: &str) -> u32 {
        self.patient
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, n)| *n)
            .unwrap_or(self.max_attempts)
    }
}

impl Default for QueueConfig {
    fn default() -> Self {
        Self {
            workers: 4,
            max_attempts: 8,
            patient: Vec::new(),
            lease: Duration::from_secs(60),
            poll_interval: Duration::from_millis(500),
            backoff: Backoff::default(),
        }
    }
}

/// Enqueues jobs and wakes idle workers.
#[derive(Clone)]
pub struct Queue {
    store: Store,
    clock: SharedClock,
    wake: Arc<Notify>,
    metrics: Metrics,
}

impl Queue {
    pub fn new(store: Store, clock: SharedClock) -> Self {
        Self {
            store,
            clock,
            wake: Arc::new(Notify::new()),
            metrics: Metrics::default(),
        }
    }

    /// Counts job outcomes and latency into `metrics` (by default, into a registry nobody reads).
    pub fn with_metrics(mut self, metrics: Metrics) -> Self {
        self.metrics = metrics;
        self
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) async fn enqueue(&self, job: &NewJob) -> Result<i64, StoreError> {
        let id = self.store.enqueue(job, self.now_ms()).await?;
        self.notify();
        Ok(id)
    }

    /// Tells an idle worker that there is new work (the webhook receiver calls it after a commit).
    ///
    /// One worker, not all: a worker that claims a job passes the wake-up on (see `work`), so a
    /// burst of jobs draws in as many workers as it has jobs, and only the last of them finds
    /// nothing. Waking every idle worker of every replica for each job made most claims empty
    /// scans of the pending rows, which on PostgreSQL with three replicas cost more CPU than
    /// the work itself (benches/pipeline.rs reports CPU per command).
    pub(crate) fn notify(&self) {
        self.wake.notify_one();
    }

    /// Runs `config.workers` workers and a lease reaper until `stop` is cancelled.
    pub async fn run(
        &self,
        handler: Arc<dyn JobHandler>,
        config: QueueConfig,
        stop: CancellationToken,
    ) {
        let mut tasks = tokio::task::JoinSet::new();
        for worker in 0..config.workers.max(1) {
            let queue = self.clone();
            let handler = handler.clone();
            let config = config.clone();
            let stop = stop.clone();
            tasks.spawn(async move { queue.work(worker, handler, config, stop).await });
        }
        let store = self.store.clone();
        let wake = self.wake.clone();
        let relay_stop = stop.clone();
        tasks.spawn(async move {
            store
                .relay_job_wakeups(move || wake.notify_one(), relay_stop)
                .await
        });
        let queue = self.clone();
        let reaper_stop = stop.clone();
        let interval = config.lease / 2;
        tasks.spawn(async move { queue.reap(interval, reaper_stop).await });
        while tasks.join_next().await.is_some() {}
    }

    async fn reap(&self, every: Duration, stop: CancellationToken) {
        loop {
            match self.store.reap_expired_leases(self.now_ms()).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::warn!(jobs = n, "returned jobs with expired leases to the queue");
                    self.notify();
                }
                Err(e) => tracing::error!(error = %e, "lease reaper failed"),
            }
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(every) => {}
            }
        }
    }

    async fn work(
        &self,
        worker: usize,
        handler: Arc<dyn JobHandler>,
        config: QueueConfig,
        stop: CancellationToken,
    ) {
        while !stop.is_cancelled() {
            // Register interest before looking, so a notify between the claim and the wait is not
            // lost (a `notify_one` with no waiter enabled leaves a permit this future takes).
            let woken = self.wake.notified();
            let claimed = self.claim(&config).await;
            match claimed {
                Some(job) => {
                    // There may be more: pass the wake-up on to one more idle worker.
                    self.notify();
                    self.run_one(worker, &*handler, &config, job).await
                }
                None => {
                    tokio::select! {
                        _ = stop.cancelled() => return,
                        _ = woken => {}
                        _ = tokio::time::sleep(config.poll_interval) => {}
                    }
                }
            }
        }
    }

    async fn claim(&self, config: &QueueConfig) -> Option<ClaimedJob> {
        let now = self.now_ms();
        match self.store.claim_job(now, now + millis(config.lease)).await {
            Ok(job) => job,
            Err(e) => {
                tracing::error!(error = %e, "claiming a job failed");
                None
            }
        }
    }

    #[tracing::instrument(name = "job", skip_all, fields(job.id = job.id, job.kind = %job.kind, attempt = job.attempts, worker = worker, reference))]
    async fn run_one(
        &self,
        worker: usize,
        handler: &dyn JobHandler,
        config: &QueueConfig,
        job: ClaimedJob,
    ) {
        let reference = reference::of_payload(&job.payload)
            .map(str::to_string)
            .unwrap_or_else(reference::fresh);
        tracing::Span::current().record("reference", reference.as_str());
        let outcome = reference::scope(reference, async {
            let heartbeat = self.keep_lease(job.id, config.lease);
            tokio::pin!(heartbeat);
            tokio::select! {
                outcome = handler.handle(&job) => outcome,
                _ = &mut heartbeat => unreachable_heartbeat(),
            }
        })
        .await;
        let now = self.now_ms();
        self.count(&job, &outcome, config, now);
        let recorded = match outcome {
            Ok(()) => {
                // One line per job done, so the support logs show each step of a piece of work.
                tracing::info!("job done");
                self.store.complete_job(job.id, now).await
            }
            Err(JobError::Permanent(e)) => {
                tracing::error!(error = %format!("{e:#}"), "job failed permanently; dead-lettered");
                self.store.bury_job(job.id, &format!("{e:#}"), now).await
            }
            Err(JobError::Park { key, reason }) => {
                tracing::info!(reason = %reason, "job parked until its person acts");
                self.store.park_job(job.id, &key, &reason, now).await
            }
            Err(JobError::Retry(e)) if job.attempts >= config.attempts_for(&job.kind) => {
                tracing::error!(error = %format!("{e:#}"), "job out of attempts; dead-lettered");
                self.store.bury_job(job.id, &format!("{e:#}"), now).await
            }
            Err(JobError::Retry(e)) => {
                let delay = config.backoff.delay(job.attempts, &mut rand::thread_rng());
                tracing::warn!(error = %format!("{e:#}"), retry_in_ms = millis(delay), "job failed; will retry");
                self.store
                    .retry_job(job.id, now + millis(delay), &format!("{e:#}"), now)
                    .await
            }
        };
        if let Err(e) = recorded {
            // The lease will expire and the reaper will hand the job out again: at-least-once.
            tracing::error!(error = %e, "recording a job outcome failed");
        }
        self.notify();
    }

    /// Counts an attempt's outcome the way `run_one` records it.
    fn count(
        &self,
        job: &ClaimedJob,
        outcome: &Result<(), JobError>,
        config: &QueueConfig,
        now: i64,
    ) {
        let counted = match outcome {
            Ok(()) => JobOutcome::Done,
            Err(JobError::Permanent(_)) => JobOutcome::Dead,
            Err(JobError::Park { .. }) => JobOutcome::Parked,
            Err(JobError::Retry(_)) if job.attempts >= config.attempts_for(&job.kind) => {
                JobOutcome::Dead
            }
            Err(JobError::Retry(_)) => JobOutcome::Retry,
        };
        let waited = Duration::from_millis(u64::try_from(now - job.due_at_ms).unwrap_or(0));
        self.metrics.job_finished(&job.kind, counted, waited);
    }

    /// Extends the lease every third of its length; never finishes on its own.
    async fn keep_lease(&self, id: i64, lease: Duration) {
        loop {
            tokio::time::sleep(lease / 3).await;
            let until = self.now_ms() + millis(lease);
            if let Err(e) = self.store.extend_lease(id, until).await {
                tracing::warn!(error = %e, "extending a job lease failed");
            }
        }
    }
}

fn unreachable_heartbeat() -> Result<(), JobError> {
    Err(JobError::Retry(anyhow::anyhow!("lease heartbeat ended")))
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests;
