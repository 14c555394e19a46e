//! The cost of the shared Webex budget (`webex::budget`): one database statement per Webex
//! request. Measures `take` on SQLite and on PostgreSQL, one caller and 8 callers over 3
//! replicas (stores with pools of their own) all on one token, the worst case for row
//! contention. The pacing is lifted (period 0), so every call is admitted and only the
//! statement is timed.
//!
//! Run: `cargo bench --bench budget` (env `BUDGET_TAKES`, default 5000 per case; PostgreSQL at
//! `TEST_POSTGRES_URL`, default the local server, in a scratch database; skipped if absent).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use webex_scheduler::store::Store;
use webex_scheduler::store::scratch::ScratchDatabase;
use webex_scheduler::webex::budget::{Admission, Pacing, SharedBudget};

const UNPACED: Pacing = Pacing {
    period_ms: 0,
    tolerance_ms: 0,
};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// `takes` admissions by `callers` tasks spread over `replicas`; prints takes/s, p50 and p99.
async fn run(label: &str, replicas: &[Store], callers: usize, takes: usize) {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..callers {
        let (store, next) = (replicas[c % replicas.len()].clone(), next.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < takes {
                let t = Instant::now();
                let admitted = store
                    .take("bench-token", UNPACED, 1_000)
                    .await
                    .expect("take");
                latencies.push(t.elapsed());
                assert_eq!(admitted, Admission::Go);
            }
            latencies
        });
    }
    let mut all = Vec::new();
    while let Some(latencies) = tasks.join_next().await {
        all.extend(latencies.expect("caller"));
    }
    let elapsed = started.elapsed();
    all.sort();
    println!(
        "{label:<44} {:>8.0} takes/s   p50 {:>6.2} ms   p99 {:>6.2} ms",
        all.len() as f64 / elapsed.as_secs_f64(),
        percentile(&all, 0.50).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3,
    );
}

async fn engine(name: &str, url: &str, takes: usize) {
    let mut replicas = Vec::new();
    for _ in 0..3 {
        replicas.push(Store::connect(url).await.expect("store"));
    }
    run(&format!("{name}: 1 caller"), &replicas[..1], 1, takes).await;
    run(
        &format!("{name}: 8 callers, 3 replicas, one token"),
        &replicas,
        8,
        takes,
    )
    .await;
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: then do a smoke run.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let takes = if smoke {
        50
    } else {
        std::env::var("BUDGET_TAKES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5_000)
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async move {
        let dir = tempfile::tempdir().expect("temp dir");
        let sqlite = format!("sqlite://{}/budget.db", dir.path().display());
        engine("SQLite (synchronous=FULL)", &sqlite, takes).await;
        match ScratchDatabase::create(&ScratchDatabase::admin_url()).await {
            Ok(scratch) => engine("PostgreSQL", scratch.url(), takes).await,
            Err(e) => println!("PostgreSQL: skipped ({e})"),
        }
    });
}
