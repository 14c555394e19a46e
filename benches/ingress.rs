//! Webhook ingress on loopback: signed deliveries per second and latency percentiles of the
//! real receiver (signature check + durable SQLite commit of inbox row and job), beside a bare
//! axum handler on the same machine in the same run, so the numbers can be compared.
//!
//! Run: `cargo bench --bench ingress` (env `INGRESS_REQUESTS`, default 20000; `INGRESS_CONCURRENCY`, default 32;
//! `INGRESS_DATABASE=postgres` commits to a scratch PostgreSQL database at `TEST_POSTGRES_URL`
//! instead of SQLite).

use axum::Router;
use axum::routing::post;
use scheduler_core::clock::SystemClock;
use secrecy::SecretString;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use webex_scheduler::jobs::Queue;
use webex_scheduler::server::{self, AppState, signature};
use webex_scheduler::store::Store;
use webex_scheduler::store::scratch::ScratchDatabase;

const SECRET: &str = "benchmark-webhook-secret-0123";

fn env_usize(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Outcome {
    per_second: f64,
    p50: Duration,
    p99: Duration,
    non_2xx: usize,
}

async fn drive(url: String, requests: usize, concurrency: usize, signed: bool) -> Outcome {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .expect("client");
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (client, url, next) = (client.clone(), url.clone(), next.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= requests {
                    return (latencies, failures);
                }
                let body = format!(
                    r#"{{"id":"WH","resource":"messages","event":"created","actorId":"P{i}","data":{{"id":"MSG-{i}","roomId":"ROOM-{}","personId":"P{i}"}}}}"#,
                    i % 50
                );
                let mut request = client.post(&url).body(body.clone());
                if signed {
                    request = request.header("X-Spark-Signature", signature::sign(SECRET, body.as_bytes()));
                }
                let t = Instant::now();
                let ok = request.send().await.is_ok_and(|r| r.status().is_success());
                latencies.push(t.elapsed());
                failures += usize::from(!ok);
            }
        });
    }
    let mut all = Vec::with_capacity(requests);
    let mut non_2xx = 0;
    while let Some(joined) = tasks.join_next().await {
        let (latencies, failures) = joined.expect("load task");
        all.extend(latencies);
        non_2xx += failures;
    }
    let elapsed = started.elapsed();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    Outcome {
        per_second: requests as f64 / elapsed.as_secs_f64(),
        p50: pct(0.50),
        p99: pct(0.99),
        non_2xx,
    }
}

async fn serve(router: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

fn print(name: &str, o: &Outcome) {
    println!(
        "{name:<28} {:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   non-2xx {}",
        o.per_second,
        o.p50.as_secs_f64() * 1e3,
        o.p99.as_secs_f64() * 1e3,
        o.non_2xx
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: then do a smoke run.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let requests = if smoke {
        200
    } else {
        env_usize("INGRESS_REQUESTS", 20_000)
    };
    let concurrency = env_usize("INGRESS_CONCURRENCY", 32);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async move {
        let dir = tempfile::tempdir().expect("temp dir");
        let postgres = std::env::var("INGRESS_DATABASE").is_ok_and(|d| d == "postgres");
        let scratch = match postgres {
            true => Some(
                ScratchDatabase::create(&ScratchDatabase::admin_url())
                    .await
                    .expect("PostgreSQL"),
            ),
            false => None,
        };
        let url = match &scratch {
            Some(scratch) => scratch.url().to_string(),
            None => format!("sqlite://{}/bench.db", dir.path().display()),
        };
        let store = Store::connect(&url).await.expect("store");
        println!(
            "database: {}",
            if postgres { "PostgreSQL" } else { "SQLite" }
        );
        let webex = webex_scheduler::webex::WebexClient::new(webex_scheduler::webex::WebexConfig {
            api_base: "http://127.0.0.1:9/v1".parse().expect("url"),
            bot_token: SecretString::from("unused"),
            requests_per_minute: 100,
            timeout: Duration::from_secs(1),
            max_rate_limit_wait: Duration::from_secs(1),
        })
        .expect("client");
        let linker = webex_scheduler::auth::Linker::new(
            None,
            store.clone(),
            Arc::new(webex_scheduler::auth::TokenCipher::new(&[])),
            webex,
            Arc::new(SystemClock),
        )
        .expect("linker");
        let state = AppState {
            linker,
            store: store.clone(),
            queue: Queue::new(store.clone(), Arc::new(SystemClock)),
            webhook_secrets: Arc::new(vec![SecretString::from(SECRET)]),
            bot: Arc::new(OnceLock::new()),
            metrics: webex_scheduler::metrics::Metrics::new(),
        };
        let real = serve(server::router(state)).await + "/webhooks/webex";
        let bare = serve(Router::new().route("/", post(|| async { "" }))).await + "/";

        println!("{requests} deliveries, {concurrency} concurrent connections, loopback");
        let bare_outcome = drive(bare, requests, concurrency, false).await;
        print("bare axum handler", &bare_outcome);
        let real_outcome = drive(real, requests, concurrency, true).await;
        print("webhook ingress (signed)", &real_outcome);
        let stored = store.inbox_len().await.expect("count");
        println!("inbox rows stored: {stored}");
        assert_eq!(
            real_outcome.non_2xx, 0,
            "every signed delivery must be accepted"
        );
        assert_eq!(stored as usize, requests, "every delivery stored once");
    });
}
