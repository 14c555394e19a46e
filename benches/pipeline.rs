//! The whole pipeline against the emulator (no added latency, rate limit lifted): typed
//! commands per second from webhook to created meeting and confirmation, and the bot process's
//! resident memory with 10,000 accepted commands waiting in its queue.
//!
//! Run: `cargo bench --bench pipeline` (env `PIPELINE_COMMANDS`, default 400; `PIPELINE_QUEUED`,
//! default 10000; `PIPELINE_DATABASE=postgres` for a scratch PostgreSQL database at
//! `TEST_POSTGRES_URL`; `PIPELINE_REPLICAS`, default 1, bots on that database behind a
//! round-robin balancer). `cargo test --benches` runs a small smoke version.
//!
//! It also reports where the CPU went per command (bots, PostgreSQL, and this process, which
//! runs the emulator, the balancer and the load), because on a small machine that, not the
//! number of replicas, bounds the throughput.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use webex_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
use webex_scheduler::server::signature;
use webex_scheduler::settings::Settings;
use webex_scheduler::store::scratch::ScratchDatabase;

#[path = "../tests/multi_replica/balancer.rs"]
#[allow(dead_code)]
mod balancer;

#[path = "../tests/common/eventually.rs"]
#[allow(dead_code)]
mod eventually;
use eventually::eventually;

const SECRET: &str = "pipeline-bench-webhook-secret";

fn env_usize(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

/// The configuration every bot of the run shares (secrets included: replicas must agree),
/// reached at `public_port` (the bot itself, or the balancer in front of the replicas).
fn shared_vars(
    emulator: &Emulator,
    public_port: u16,
    database: &str,
) -> std::collections::HashMap<String, String> {
    Settings::against_emulator(emulator, public_port, std::path::Path::new("unused"))
        .webhook_secret(SECRET)
        // Lifted: the bot's own pacing is not what this measures.
        .requests_per_minute(1_000_000)
        .var("DATABASE_URL", database)
        .into_vars()
}

/// A bot with `vars`, listening on `port`.
fn start_bot(vars: &std::collections::HashMap<String, String>, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_webex-scheduler"))
        .arg("serve")
        .env_clear()
        .envs(vars)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("bot starts")
}

fn bot_messages(emulator: &Emulator, room: &str) -> Vec<String> {
    let bot = emulator.bot().id;
    emulator
        .messages_in(room)
        .into_iter()
        .filter(|m| m.person_id == bot)
        .map(|m| m.markdown.unwrap_or_default())
        .collect()
}

fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time (user + system) a process has used, in milliseconds, from `/proc/<pid>/stat`;
/// with `children`, also what its exited children used (a PostgreSQL server's ended backends).
fn cpu_ms(pid: u32, children: bool) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    let fields: Vec<u64> = stat
        .rsplit_once(')')
        .map(|(_, rest)| {
            rest.split_whitespace()
                .map(|f| f.parse().unwrap_or(0))
                .collect()
        })
        .unwrap_or_default();
    let field = |n: usize| fields.get(n - 3).copied().unwrap_or(0);
    let ticks = field(14) + field(15) + if children { field(16) + field(17) } else { 0 };
    let per_second = 100; // USER_HZ on Linux
    ticks * 1000 / per_second
}

/// The PostgreSQL server's CPU time so far: every `postgres` process, plus what the server's
/// already-ended backends used (counted in the postmaster's children's time).
fn postgres_cpu_ms() -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .map(|pid| cpu_ms(pid, true))
        .sum()
}

/// Where the CPU went during a run: the bots, PostgreSQL, and this process (the emulator, the
/// balancer and the load generator).
struct CpuUse {
    bots: u64,
    postgres: u64,
    bench: u64,
}

impl CpuUse {
    fn now(bots: &[Child]) -> Self {
        CpuUse {
            bots: bots.iter().map(|b| cpu_ms(b.id(), false)).sum(),
            postgres: postgres_cpu_ms(),
            bench: cpu_ms(std::process::id(), false),
        }
    }

    fn report_since(&self, start: &CpuUse, commands: usize, elapsed: Duration) {
        let per = |after: u64, before: u64| after.saturating_sub(before) as f64 / commands as f64;
        let (bots, postgres, bench) = (
            per(self.bots, start.bots),
            per(self.postgres, start.postgres),
            per(self.bench, start.bench),
        );
        let total_ms = (bots + postgres + bench) * commands as f64;
        println!(
            "CPU per command: bots {bots:.1} ms, PostgreSQL {postgres:.1} ms, emulator+balancer+load {bench:.1} ms; \
             {:.2} of the machine's {} cores busy on average",
            total_ms / 1000.0 / elapsed.as_secs_f64(),
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
    }
}

async fn connect(emulator: &Emulator, person: &str, room: &str) {
    emulator.post_as(person, room, "connect").await.unwrap();
    let link = eventually("the connect link", Duration::from_secs(30), async || {
        let said = bot_messages(emulator, room);
        let link = said.iter().find_map(|m| {
            let start = m.find("](")? + 2;
            Some(m[start..start + m[start..].find(')')?].to_string())
        });
        link.ok_or(said)
    })
    .await;
    let page = reqwest::get(format!("{link}&person_id={person}"))
        .await
        .unwrap();
    assert!(page.status().is_success());
    wait_for_text(emulator, room, "You're connected").await;
    emulator
        .post_as(person, room, "settings confirm off")
        .await
        .unwrap();
    wait_for_text(emulator, room, "without a preview").await;
}

/// For each command, the time from the person's message to the bot's confirmation in its
/// thread, both as the emulator stamped them.
fn confirmation_latencies(
    emulator: &Emulator,
    person: &str,
    rooms: &[String],
) -> Vec<chrono::Duration> {
    let mut latencies = Vec::new();
    for room in rooms {
        let messages = emulator.messages_in(room);
        for command in messages.iter().filter(|m| m.person_id == person) {
            let confirmation = messages.iter().find(|m| {
                m.parent_id.as_deref() == Some(command.id.as_str())
                    && m.markdown.as_deref().unwrap_or("").contains("Scheduled:")
            });
            if let Some(confirmation) = confirmation {
                latencies.push(confirmation.created - command.created);
            }
        }
    }
    latencies
}

async fn wait_for_text(emulator: &Emulator, room: &str, needle: &str) {
    let what = format!("a bot message containing {needle:?}");
    eventually(&what, Duration::from_secs(30), async || {
        let said = bot_messages(emulator, room);
        if said.iter().any(|m| m.contains(needle)) {
            Ok(())
        } else {
            Err(said)
        }
    })
    .await
}

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let commands = if smoke {
        8
    } else {
        env_usize("PIPELINE_COMMANDS", 400)
    };
    let queued = if smoke {
        100
    } else {
        env_usize("PIPELINE_QUEUED", 10_000)
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async move {
        let emulator = Emulator::start(EmulatorConfig {
            meetings_per_day_quota: u32::MAX,
            ..EmulatorConfig::default()
        })
        .await
        .expect("emulator");
        let person = emulator.add_person("Ana Lopez", "ana@example.com", Some("Europe/Berlin"));
        let direct = emulator.direct_room(&person.id);
        let rooms: Vec<String> = (0..8)
            .map(|i| emulator.create_group_room(&format!("Team {i}"), &[person.id.as_str()]))
            .collect();
        let dir = tempfile::tempdir().expect("dir");
        let scratch = match std::env::var("PIPELINE_DATABASE").as_deref() {
            Ok("postgres") => Some(
                ScratchDatabase::create(&ScratchDatabase::admin_url())
                    .await
                    .expect("PostgreSQL"),
            ),
            _ => None,
        };
        let database = match &scratch {
            Some(scratch) => scratch.url().to_string(),
            None => format!("sqlite://{}/bot.db", dir.path().display()),
        };
        let replicas = env_usize("PIPELINE_REPLICAS", 1).max(1);
        let balancer = balancer::Balancer::default();
        let (port, ports) = if replicas == 1 {
            let port = free_port();
            (port, vec![port])
        } else {
            let ports: Vec<u16> = (0..replicas).map(|_| free_port()).collect();
            balancer.route_to(&ports);
            (balancer.start().await, ports)
        };
        let vars = shared_vars(&emulator, port, &database);
        let mut bots: Vec<Child> = ports.iter().map(|own| start_bot(&vars, *own)).collect();
        println!(
            "{} on {}",
            if replicas == 1 { "one bot".to_string() } else { format!("{replicas} replicas") },
            if scratch.is_some() { "PostgreSQL" } else { "SQLite" }
        );
        eventually("webhooks", Duration::from_secs(60), async || {
            match emulator.webhooks().len() {
                3.. => Ok(()),
                n => Err(n),
            }
        })
        .await;
        for own in &ports {
            let readyz = format!("http://127.0.0.1:{own}/readyz");
            eventually("every bot ready", Duration::from_secs(60), async || {
                match reqwest::get(&readyz).await {
                    Ok(r) if r.status().is_success() => Ok(()),
                    other => Err(other.map(|r| r.status()).map_err(|e| e.to_string())),
                }
            })
            .await;
        }
        connect(&emulator, &person.id, &direct).await;

        // Throughput: commands spread over 8 spaces (one space is processed in order).
        let cpu_at_start = CpuUse::now(&bots);
        let started = Instant::now();
        for i in 0..commands {
            let room = &rooms[i % rooms.len()];
            emulator
                .post_as(&person.id, room, &format!("@Scheduler schedule load test {i} tomorrow {}:00", 8 + i % 10))
                .await
                .expect("post");
        }
        eventually("every meeting and confirmation", Duration::from_secs(600), async || {
            let meetings = emulator.meetings().len();
            let confirmations = rooms.iter().map(|r| bot_messages(&emulator, r).len()).sum::<usize>();
            if meetings >= commands && confirmations >= commands {
                Ok(())
            } else {
                Err(format!("{meetings} meetings, {confirmations} confirmations"))
            }
        })
        .await;
        let elapsed = started.elapsed();
        println!(
            "pipeline: {commands} commands (typed → meeting → confirmation) in {:.2} s = {:.1} commands/s",
            elapsed.as_secs_f64(),
            commands as f64 / elapsed.as_secs_f64()
        );
        CpuUse::now(&bots).report_since(&cpu_at_start, commands, elapsed);
        let mut latencies = confirmation_latencies(&emulator, &person.id, &rooms);
        latencies.sort();
        let at = |p: f64| latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1];
        println!(
            "delivery to confirmation: p50 {} ms, p99 {} ms ({} commands)",
            at(0.50).num_milliseconds(),
            at(0.99).num_milliseconds(),
            latencies.len()
        );
        assert_eq!(emulator.meetings().len(), commands, "each command created exactly one meeting");

        // Memory: hold the workers inside their first jobs, then accept `queued` deliveries.
        emulator.inject(Fault::new(None, "/v1/messages/", FaultKind::Latency(Duration::from_secs(3600)), u32::MAX));
        let bot = &mut bots[0];
        let (rss_before, _) = rss_kib(bot.id());
        let http = reqwest::Client::new();
        let url = format!("http://127.0.0.1:{port}/webhooks/webex");
        for i in 0..queued {
            let body = format!(
                r#"{{"id":"WH","resource":"messages","event":"created","actorId":"{p}","data":{{"id":"QUEUED-{i}","roomId":"ROOM-{}","personId":"{p}"}}}}"#,
                i % 64,
                p = person.id
            );
            let response = http
                .post(&url)
                .header("X-Spark-Signature", signature::sign(SECRET, body.as_bytes()))
                .body(body)
                .send()
                .await
                .expect("deliver");
            assert!(response.status().is_success());
        }
        let store = webex_scheduler::store::Store::connect(&database)
            .await
            .expect("store");
        let counts = store.job_counts().await.expect("counts");
        let (rss, peak) = rss_kib(bot.id());
        println!(
            "memory: {} jobs waiting; bot RSS {:.1} MiB (peak {:.1} MiB; {:.1} MiB before queueing)",
            counts.pending + counts.running,
            rss as f64 / 1024.0,
            peak as f64 / 1024.0,
            rss_before as f64 / 1024.0
        );
        assert!(counts.pending + counts.running >= queued as i64, "{counts:?}");
        for bot in &mut bots {
            bot.kill().ok();
            bot.wait().ok();
        }
    });
}
