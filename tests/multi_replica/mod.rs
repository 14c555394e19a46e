//! Three `serve` processes on one PostgreSQL database and one emulator, behind a round-robin
//! proxy that plays the load balancer (issue 11 part 6). A replica is killed with SIGKILL in the
//! middle of a job and the others finish it after the lease; the same delivery sent to two
//! replicas has one effect; every command gives one meeting, one confirmation and one
//! invitation per person; the emulator's request log shows no token over its budget and the
//! pruning ran once per period. Runs in the PostgreSQL pass (`TEST_DATABASE=postgres`).

mod balancer;

use crate::common::{self, WAIT, eventually};

use balancer::Balancer;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use webex_emulator::{Emulator, EmulatorConfig, Fault, FaultKind, PersonInfo};
use webex_scheduler::store::Store;
use webex_scheduler::webex::budget::Pacing;

const START: Duration = Duration::from_secs(30);
const REQUESTS_PER_MINUTE: u32 = 600;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A replica process, killed when the test ends.
struct Replica {
    port: u16,
    child: Child,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_replica(vars: &HashMap<String, String>, dir: &std::path::Path, name: &str) -> Replica {
    let port = free_port();
    let log = std::fs::File::create(dir.join(format!("{name}.log"))).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_webex-scheduler"))
        .arg("serve")
        .env_clear()
        .envs(vars)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("replica starts");
    Replica { port, child }
}

async fn wait_ready(replica: &Replica, emulator: &Emulator) {
    let http = reqwest::Client::new();
    eventually("a replica to be ready", START, async || {
        let ready = http
            .get(format!("http://127.0.0.1:{}/readyz", replica.port))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        match (ready, emulator.webhooks().len()) {
            (true, 3) => Ok(()),
            other => Err(other),
        }
    })
    .await
}

fn bot_texts(emulator: &Emulator, room: &str) -> Vec<String> {
    let bot = emulator.bot().id;
    emulator
        .messages_in(room)
        .into_iter()
        .filter(|m| m.person_id == bot)
        .map(|m| m.markdown.unwrap_or_default())
        .collect()
}

async fn wait_for_count(emulator: &Emulator, room: &str, needle: &str, n: usize) {
    let what = format!("{n} bot messages containing {needle:?}");
    eventually(&what, START, async || {
        let said = bot_texts(emulator, room);
        match said.iter().filter(|m| m.contains(needle)).count() {
            count if count >= n => Ok(()),
            _ => Err(said),
        }
    })
    .await
}

/// Waits until no job is pending or running and nothing is on its way to the bot.
async fn settle(emulator: &Emulator, store: &Store) {
    eventually("the replicas to settle", START, async || {
        let before = emulator.notification_progress();
        let jobs = store.job_counts().await.unwrap();
        let after = emulator.notification_progress();
        if before == after && after.in_flight() == 0 && jobs.pending == 0 && jobs.running == 0 {
            Ok(())
        } else {
            Err((after, jobs))
        }
    })
    .await
}

/// Links `person`'s account through the load balancer, and turns previews off.
async fn connect(emulator: &Emulator, person: &PersonInfo) {
    let room = emulator.direct_room(&person.id);
    emulator
        .post_as(&person.id, &room, "connect")
        .await
        .unwrap();
    let link = eventually("the link", START, async || {
        let said = bot_texts(emulator, &room);
        let link = said.iter().find_map(|m| {
            let start = m.find("](")? + 2;
            Some(m[start..start + m[start..].find(')')?].to_string())
        });
        link.ok_or(said)
    })
    .await;
    let page = reqwest::get(format!("{link}&person_id={}", person.id))
        .await
        .unwrap();
    assert!(page.status().is_success(), "{}", page.text().await.unwrap());
    wait_for_count(emulator, &room, "You're connected", 1).await;
    emulator
        .post_as(&person.id, &room, "settings confirm off")
        .await
        .unwrap();
    wait_for_count(emulator, &room, "without a preview", 1).await;
}

/// The most requests of one token inside any closed window of `window`.
fn busiest(instants: &[Instant], window: Duration) -> usize {
    let mut end = 0;
    let mut most = 0;
    for (start, first) in instants.iter().enumerate() {
        while end < instants.len() && instants[end] <= *first + window {
            end += 1;
        }
        most = most.max(end - start);
    }
    most
}

/// Recipient and UID of each invitation e-mail written to `dir`.
fn invitations(dir: &std::path::Path) -> Vec<(String, String)> {
    use mail_parser::MimeHeaders;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for path in entries.flatten().map(|e| e.path()) {
        let raw = std::fs::read(&path).unwrap();
        let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let to = message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address());
        let calendar = message.parts.iter().find(|p| {
            p.content_type()
                .is_some_and(|c| c.ctype() == "text" && c.subtype() == Some("calendar"))
        });
        let uid = calendar
            .and_then(|p| p.text_contents())
            .and_then(|ics| ics.lines().find_map(|l| l.strip_prefix("UID:")))
            .map(|uid| uid.trim().to_string());
        found.push((to.unwrap_or("").to_string(), uid.unwrap_or_default()));
    }
    found
}

/// Waits until the bot has posted at least `n` messages in `room`.
async fn wait_for_len(emulator: &Emulator, room: &str, n: usize) {
    let what = format!("{n} bot messages in a room");
    eventually(&what, START, async || match bot_texts(emulator, room) {
        said if said.len() >= n => Ok(()),
        said => Err(said),
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_replicas_share_the_work_the_budget_and_a_killed_ones_job() {
    if !common::on_postgres() {
        eprintln!("SKIPPED here: three replicas need PostgreSQL (TEST_DATABASE=postgres)");
        return;
    }
    let started = Instant::now();
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let ana = emulator.add_person("Ana Lopez", "ana@example.com", Some("Europe/Berlin"));
    let room = emulator.direct_room(&ana.id);
    let dir = tempfile::tempdir().unwrap();
    let mail_dir = dir.path().join("mail");
    let balancer = Balancer::default();
    let public_port = balancer.start().await;
    let mut vars = common::test_vars(&emulator, public_port, dir.path());
    vars.insert("MAIL_DIR".into(), mail_dir.display().to_string());
    vars.insert(
        "MAIL_FROM".into(),
        "Scheduler <scheduler@example.com>".into(),
    );
    vars.insert(
        "WEBEX_REQUESTS_PER_MINUTE".into(),
        REQUESTS_PER_MINUTE.to_string(),
    );
    vars.insert("PRUNE_INTERVAL_SECONDS".into(), "1".into());
    let store = Store::connect(&common::database_url(dir.path()))
        .await
        .unwrap();

    // Replica A alone takes a job, and dies inside it.
    let mut a = start_replica(&vars, dir.path(), "a");
    balancer.route_to(&[a.port]);
    wait_ready(&a, &emulator).await;
    connect(&emulator, &ana).await;
    emulator.inject(Fault::new(
        Some(axum::http::Method::GET),
        "/v1/messages/",
        FaultKind::Latency(Duration::from_secs(60)),
        1,
    ));
    let before_help = bot_texts(&emulator, &room).len();
    emulator.post_as(&ana.id, &room, "help").await.unwrap();
    eventually("replica A inside the job", WAIT, async || {
        let pending = emulator.pending_faults();
        let running = store.job_counts().await.unwrap().running;
        if pending.is_empty() && running == 1 {
            Ok(())
        } else {
            Err((pending, running))
        }
    })
    .await;
    let b = start_replica(&vars, dir.path(), "b");
    let c = start_replica(&vars, dir.path(), "c");
    wait_ready(&b, &emulator).await;
    wait_ready(&c, &emulator).await;
    balancer.route_to(&[b.port, c.port]);
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    emulator.clear_faults();
    wait_for_len(&emulator, &room, before_help + 1).await;
    settle(&emulator, &store).await;
    assert_eq!(
        bot_texts(&emulator, &room).len(),
        before_help + 1,
        "one answer to the help"
    );

    // Three commands through the balancer: one meeting, confirmation and invitation each.
    for hour in 9..12 {
        let text = format!("schedule Review {hour} tomorrow {hour}am with bob@example.com");
        emulator.post_as(&ana.id, &room, &text).await.unwrap();
    }
    wait_for_count(&emulator, &room, "Scheduled:", 3).await;
    settle(&emulator, &store).await;
    assert_eq!(emulator.meetings().len(), 3, "one meeting per command");
    let said = bot_texts(&emulator, &room);
    assert_eq!(
        said.iter().filter(|m| m.contains("Scheduled:")).count(),
        3,
        "{said:?}"
    );

    // The same delivery sent to both live replicas: one more answer, not two.
    let answers = bot_texts(&emulator, &room).len() + 1;
    emulator.post_as(&ana.id, &room, "help").await.unwrap();
    wait_for_len(&emulator, &room, answers).await;
    settle(&emulator, &store).await;
    let delivery = emulator
        .deliveries()
        .into_iter()
        .rfind(|d| d.body.contains(&ana.id) && d.body.contains("\"messages\""))
        .unwrap();
    for port in [b.port, c.port] {
        let replay = reqwest::Client::new()
            .post(format!("http://127.0.0.1:{port}/webhooks/webex"))
            .header("content-type", "application/json")
            .header("X-Spark-Signature", delivery.signature.clone().unwrap())
            .body(delivery.body.clone())
            .send()
            .await
            .unwrap();
        assert!(replay.status().is_success(), "{}", replay.status());
    }
    settle(&emulator, &store).await;
    assert_eq!(
        bot_texts(&emulator, &room).len(),
        answers,
        "the replay changed nothing"
    );

    // A burst from eight people: more than the budget's burst at once.
    let people: Vec<PersonInfo> = (0..8)
        .map(|i| emulator.add_person(&format!("P{i}"), &format!("p{i}@example.com"), None))
        .collect();
    for person in &people {
        let their_room = emulator.direct_room(&person.id);
        for _ in 0..5 {
            emulator
                .post_as(&person.id, &their_room, "help")
                .await
                .unwrap();
        }
    }
    for person in &people {
        wait_for_len(&emulator, &emulator.direct_room(&person.id), 5).await;
    }
    settle(&emulator, &store).await;

    // Work was spread over the live replicas.
    let deliveries = balancer.deliveries.lock().unwrap().clone();
    for replica in [&b, &c] {
        assert!(
            deliveries.get(&replica.port).is_some_and(|n| *n > 5),
            "{deliveries:?}"
        );
    }

    // Invitations: one per person per meeting.
    let mails = invitations(&mail_dir);
    let mut per_person_and_meeting: HashMap<&(String, String), usize> = HashMap::new();
    for mail in &mails {
        *per_person_and_meeting.entry(mail).or_default() += 1;
    }
    let meetings = mails
        .iter()
        .map(|(_, uid)| uid)
        .collect::<std::collections::HashSet<_>>();
    assert_eq!(meetings.len(), 3, "{mails:?}");
    assert!(
        per_person_and_meeting.values().all(|n| *n == 1),
        "{mails:?}"
    );

    // No token over its budget: at most the budget in any 60 s, and no faster than the shared
    // pacing allows in any shorter window either (without sharing, two replicas would double it).
    let pacing = Pacing::for_rate(REQUESTS_PER_MINUTE.try_into().unwrap());
    let burst = (pacing.tolerance_ms / pacing.period_ms + 1) as usize;
    let mut by_token: HashMap<String, Vec<Instant>> = HashMap::new();
    for request in emulator.requests() {
        by_token
            .entry(request.subject)
            .or_default()
            .push(request.at);
    }
    let bot_requests = by_token.get(&emulator.bot().id).map_or(0, Vec::len);
    for (token, mut instants) in by_token {
        instants.sort();
        let minute = busiest(&instants, Duration::from_secs(60));
        assert!(
            minute <= REQUESTS_PER_MINUTE as usize,
            "{token}: {minute} in 60 s"
        );
        let five = busiest(&instants, Duration::from_secs(5));
        // Requests arrive a little later than they were admitted, by a varying delay: two more.
        let allowed = burst + (5_000 / pacing.period_ms) as usize + 2;
        assert!(five <= allowed, "{token}: {five} in 5 s, allowed {allowed}");
        println!("token of {token}: peak {minute} requests in 60 s, {five} in 5 s");
    }
    assert!(
        bot_requests > burst * 2,
        "the bot's load outran its burst: {bot_requests}"
    );

    // Pruning ran at most once per period over the whole deployment.
    let elapsed = started.elapsed().as_secs() as usize;
    let pruning_runs: usize = ["a", "b", "c"]
        .iter()
        .map(|name| std::fs::read_to_string(dir.path().join(format!("{name}.log"))).unwrap())
        .map(|log| {
            log.lines()
                .filter(|l| l.contains("pruning rows past retention"))
                .count()
        })
        .sum();
    assert!(
        pruning_runs >= 1 && pruning_runs <= elapsed + 1,
        "{pruning_runs} in {elapsed} s"
    );
    println!("pruning ran {pruning_runs} times in {elapsed} s over three replicas");
    drop((b, c));
    common::database::release(dir.path());
}
