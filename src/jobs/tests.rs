//! The queue's own tests: backoff bounds, attempt budgets, and dead-lettering with a flaky handler.

use super::*;
use crate::store::NewJob;
use rand::SeedableRng;

#[test]
fn backoff_grows_to_its_cap_and_stays_within_bounds() {
    let b = Backoff {
        base: Duration::from_secs(1),
        cap: Duration::from_secs(30),
    };
    assert_eq!(b.ceiling(1), Duration::from_secs(1));
    assert_eq!(b.ceiling(3), Duration::from_secs(4));
    assert_eq!(b.ceiling(10), Duration::from_secs(30));
    assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(30));
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for attempt in 1..12 {
        for _ in 0..200 {
            let d = b.delay(attempt, &mut rng);
            assert!(
                d >= b.ceiling(attempt) / 10 && d <= b.ceiling(attempt),
                "{d:?}"
            );
        }
    }
}

#[test]
fn patient_kinds_get_their_own_attempt_budget() {
    let config = QueueConfig {
        max_attempts: 8,
        patient: vec![("send_mail".into(), 60)],
        ..QueueConfig::default()
    };
    assert_eq!(config.attempts_for("send_mail"), 60);
    assert_eq!(config.attempts_for("webhook"), 8);
}

/// Fails the first `failures` attempts of every job, then succeeds.
struct Flaky {
    failures: u32,
}

#[async_trait::async_trait]
impl JobHandler for Flaky {
    async fn handle(&self, job: &ClaimedJob) -> Result<(), JobError> {
        if job.attempts <= self.failures {
            Err(JobError::Retry(anyhow::anyhow!("outage")))
        } else {
            Ok(())
        }
    }
}

#[tokio::test]
async fn a_patient_job_outlives_the_ordinary_budget_and_an_ordinary_one_is_dead_lettered() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}/q.db", dir.path().display()))
        .await
        .unwrap();
    let queue = Queue::new(store.clone(), Arc::new(scheduler_core::clock::SystemClock));
    queue
        .enqueue(&NewJob::new("send_mail", "A", serde_json::json!({})))
        .await
        .unwrap();
    queue
        .enqueue(&NewJob::new("webhook", "B", serde_json::json!({})))
        .await
        .unwrap();
    let config = QueueConfig {
        workers: 2,
        max_attempts: 2,
        patient: vec![("send_mail".into(), 10)],
        poll_interval: Duration::from_millis(10),
        backoff: Backoff {
            base: Duration::from_millis(5),
            cap: Duration::from_millis(20),
        },
        ..QueueConfig::default()
    };
    let stop = CancellationToken::new();
    let running = tokio::spawn({
        let (queue, stop) = (queue.clone(), stop.clone());
        async move {
            queue
                .run(Arc::new(Flaky { failures: 4 }), config, stop)
                .await
        }
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let counts = store.job_counts().await.unwrap();
        if counts.done + counts.dead == 2 {
            assert_eq!((counts.done, counts.dead), (1, 1), "{counts:?}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{counts:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.cancel();
    running.await.unwrap();
}

#[test]
fn jitter_spreads_retries_of_jobs_that_failed_together() {
    let b = Backoff::default();
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let delays: Vec<Duration> = (0..100).map(|_| b.delay(4, &mut rng)).collect();
    let min = delays.iter().min().unwrap();
    let max = delays.iter().max().unwrap();
    // Spread of first-retry times over more than half of the window.
    assert!((*max - *min) > b.ceiling(4) / 2, "{min:?}..{max:?}");
}
