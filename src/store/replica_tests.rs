//! The "at most once" paths of the store, raced from several replicas (stores with pools of
//! their own) on one database, on each engine.

use super::test_engines::{each_engine, postgres_or_skip};
use super::{NewJob, OAuthStateRow, StateLookup, Store};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn replicas(url: &str, n: usize) -> Vec<Store> {
    let mut stores = Vec::new();
    for _ in 0..n {
        stores.push(Store::connect(url).await.unwrap());
    }
    stores
}

/// What the racing workers saw: who ran which job, and which spaces were busy.
#[derive(Default)]
struct Ledger {
    runs: Vec<(i64, String)>,
    busy: HashSet<String>,
    overlaps: Vec<String>,
}

/// Claims and finishes jobs until none is left, recording each run in `ledger`.
async fn drain(store: Store, ledger: Arc<Mutex<Ledger>>) {
    let mut idle = 0;
    while idle < 20 {
        let Some(job) = store.claim_job(1, 60_000).await.unwrap() else {
            idle += 1;
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        idle = 0;
        {
            let mut ledger = ledger.lock().unwrap();
            if !ledger.busy.insert(job.queue_key.clone()) {
                ledger.overlaps.push(job.queue_key.clone());
            }
            ledger.runs.push((job.id, job.queue_key.clone()));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
        ledger.lock().unwrap().busy.remove(&job.queue_key);
        store.complete_job(job.id, 2).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_claiming_at_once_run_each_job_once_and_each_space_in_order() {
    each_engine(async |url| {
        let stores = replicas(&url, 3).await;
        let mut enqueued: HashMap<String, Vec<i64>> = HashMap::new();
        for n in 0..40 {
            let space = format!("space-{}", n % 5);
            let id = stores[0]
                .enqueue(&NewJob::new("t", &space, serde_json::json!(n)), 0)
                .await
                .unwrap();
            enqueued.entry(space).or_default().push(id);
        }
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        let workers: Vec<_> = stores
            .iter()
            .flat_map(|s| [s.clone(), s.clone()])
            .map(|s| tokio::spawn(drain(s, ledger.clone())))
            .collect();
        for w in workers {
            w.await.unwrap();
        }
        let ledger = ledger.lock().unwrap();
        assert!(
            ledger.overlaps.is_empty(),
            "two jobs of one space at once: {:?}",
            ledger.overlaps
        );
        let ran: Vec<i64> = ledger.runs.iter().map(|(id, _)| *id).collect();
        assert_eq!(ran.len(), 40, "each job once: {ran:?}");
        assert_eq!(ran.iter().collect::<HashSet<_>>().len(), 40, "no job twice");
        for (space, ids) in &enqueued {
            let order: Vec<i64> = ledger
                .runs
                .iter()
                .filter(|(_, s)| s == space)
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(&order, ids, "{space} ran in order");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_oauth_state_raced_from_replicas_links_once() {
    each_engine(async |url| {
        let stores = replicas(&url, 3).await;
        for round in 0..10 {
            let hash = format!("state-{round}");
            stores[0]
                .insert_oauth_state(&OAuthStateRow {
                    state_hash: hash.clone(),
                    person_id: "P".into(),
                    room_id: None,
                    key_id: "k".into(),
                    verifier: "v".into(),
                    resume: None,
                    expires_at_ms: 10_000,
                })
                .await
                .unwrap();
            let takes = stores
                .iter()
                .cycle()
                .take(6)
                .map(|s| s.take_oauth_state(&hash, 1_000));
            let outcomes = futures::future::join_all(takes).await;
            let valid = outcomes
                .iter()
                .filter(|o| matches!(o, Ok(StateLookup::Valid(_))))
                .count();
            let used = outcomes
                .iter()
                .filter(|o| matches!(o, Ok(StateLookup::AlreadyUsed)))
                .count();
            assert_eq!((valid, used), (1, 5), "{outcomes:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_replica_refreshing_a_token_makes_the_others_wait() {
    let Some(scratch) = postgres_or_skip().await else {
        return;
    };
    let stores = replicas(scratch.url(), 2).await;
    let held = stores[0].lock_refresh("P").await.unwrap();
    let waiting = tokio::spawn({
        let other = stores[1].clone();
        async move { other.lock_refresh("P").await.unwrap().release().await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "the second replica waits");
    let someone_else = stores[1].lock_refresh("Q").await.unwrap();
    someone_else.release().await.unwrap();
    held.release().await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("the lock passes on once released")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_job_enqueued_by_one_replica_wakes_the_others_without_polling() {
    let Some(scratch) = postgres_or_skip().await else {
        return;
    };
    let stores = replicas(scratch.url(), 2).await;
    let wakes = Arc::new(tokio::sync::Semaphore::new(0));
    let stop = tokio_util::sync::CancellationToken::new();
    let relay = tokio::spawn({
        let (store, wakes, stop) = (stores[1].clone(), wakes.clone(), stop.clone());
        async move {
            store
                .relay_job_wakeups(move || wakes.add_permits(1), stop)
                .await
        }
    });
    let within = Duration::from_secs(5);
    // The first wake-up comes when the relay starts listening (work may have arrived before).
    tokio::time::timeout(within, wakes.acquire())
        .await
        .expect("listening")
        .unwrap()
        .forget();
    stores[0]
        .enqueue(&NewJob::new("t", "R", serde_json::json!({})), 0)
        .await
        .unwrap();
    tokio::time::timeout(within, wakes.acquire())
        .await
        .expect("woken by the other replica's enqueue")
        .unwrap()
        .forget();
    stop.cancel();
    relay.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_card_pressed_on_several_replicas_at_once_is_answered_and_confirmed_once() {
    use super::{CommandRow, CommandState};
    each_engine(async |url| {
        let stores = replicas(&url, 3).await;
        for round in 0..10 {
            let id = format!("c{round}");
            stores[0]
                .insert_prompt(&id, "P", "R", "{}", 0)
                .await
                .unwrap();
            let answers = stores
                .iter()
                .cycle()
                .take(6)
                .map(|s| s.answer_prompt(&id, 1));
            let answers = futures::future::join_all(answers).await;
            let answered = answers.iter().filter(|a| matches!(a, Ok(Some(_)))).count();
            assert_eq!(answered, 1, "{answers:?}");

            let row = CommandRow {
                command_id: id.clone(),
                person_id: "P".into(),
                room_id: "R".into(),
                thread_id: None,
                plan: "{}".into(),
                state: CommandState::Previewed,
                attempted: false,
                meeting_id: None,
                meeting_number: None,
                web_link: None,
            };
            let inserts = stores.iter().map(|s| s.insert_command(&row, 0));
            let inserted = futures::future::join_all(inserts).await;
            assert_eq!(inserted.iter().filter(|i| *i.as_ref().unwrap()).count(), 1);
            let confirms = stores.iter().cycle().take(6).map(|s| {
                s.transition_command(&id, CommandState::Previewed, CommandState::Confirmed, 1)
            });
            let confirmed = futures::future::join_all(confirms).await;
            assert_eq!(confirmed.iter().filter(|c| *c.as_ref().unwrap()).count(), 1);
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_starting_at_once_on_an_empty_postgres_migrate_it_once() {
    let Some(scratch) = postgres_or_skip().await else {
        return;
    };
    let starts = (0..4).map(|_| Store::connect(scratch.url()));
    let started = futures::future::join_all(starts).await;
    for store in &started {
        assert!(store.is_ok(), "{:?}", store.as_ref().err());
    }
    let store = started[0].as_ref().unwrap();
    let super::pool::Pool::Postgres(pool) = store.pool() else {
        unreachable!("a PostgreSQL store")
    };
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schema_migrations")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(
        applied,
        super::migrations::latest(),
        "each migration recorded once"
    );
}
