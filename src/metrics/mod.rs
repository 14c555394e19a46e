//! Prometheus metrics: what the bot did, counted where it happened, served on `METRICS_ADDR`.
//!
//! Built on `prometheus-client`, the Prometheus project's own Rust client: each application
//! owns a [`Registry`] instead of a process-wide recorder, so tests running many bots in one
//! process each read their own numbers, and nothing is hidden in a global. Every label value
//! is a `&'static str` chosen from a fixed list in [`labels`]: a person, an e-mail address, a
//! space or a token cannot become a label, so series stay few and carry nothing private.
//!
//! Names follow the Prometheus conventions: the `webex_scheduler_` prefix, base units
//! (`_seconds`), `_total` on counters (added by the encoder) and `_info` for build info.

pub mod labels;
mod server;

pub use server::serve;

use labels::{StatusClass, TokenClass};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One label, named `kind`, `outcome`, `result`, `state`, ...: see [`labels`] for the values.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindOutcome {
    kind: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Result_ {
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Kind {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct State {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WebexCall {
    endpoint: &'static str,
    status: &'static str,
    token: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Token {
    token: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Action {
    action: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Build {
    version: &'static str,
}

/// Cheap to clone; clones count into the same registry.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Mutex<Registry>,
    commands: Family<KindOutcome, Counter>,
    webhook_deliveries: Family<Result_, Counter>,
    jobs: Family<KindOutcome, Counter>,
    job_latency: Family<Kind, Histogram>,
    queue_depth: Family<State, Gauge>,
    webex_requests: Family<WebexCall, Counter>,
    /// The same requests by token class only; not exported (the sums of `webex_requests`).
    requests_by_token: Family<Token, Counter>,
    budget_wait: Family<Token, Counter<f64, AtomicU64>>,
    token_refreshes: Family<Outcome, Counter>,
    reconnect_requests: Counter,
    mails: Family<Outcome, Counter>,
    webhook_syncs: Family<Outcome, Counter>,
    webhooks_repaired: Family<Action, Counter>,
    /// When the last reconciliation ended (ms since the epoch) and whether it worked.
    last_webhook_sync: Mutex<Option<(i64, bool)>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry holding every metric the bot exports.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("webex_scheduler");
        let commands = Family::<KindOutcome, Counter>::default();
        registry.register(
            "commands",
            "Commands people typed, by kind and by how the bot answered",
            commands.clone(),
        );
        let webhook_deliveries = Family::<Result_, Counter>::default();
        registry.register(
            "webhook_deliveries",
            "Webhook deliveries received, by what became of them",
            webhook_deliveries.clone(),
        );
        let jobs = Family::<KindOutcome, Counter>::default();
        registry.register(
            "jobs",
            "Job attempts finished, by job kind and outcome",
            jobs.clone(),
        );
        let job_latency = Family::<Kind, Histogram>::new_with_constructor(latency_histogram as _);
        registry.register_with_unit(
            "job_latency",
            "Time from a job being due to it being done",
            Unit::Seconds,
            job_latency.clone(),
        );
        let queue_depth = Family::<State, Gauge>::default();
        registry.register(
            "queue_jobs",
            "Jobs in the queue by state, read from the database at each scrape",
            queue_depth.clone(),
        );
        let webex_requests = Family::<WebexCall, Counter>::default();
        registry.register(
            "webex_requests",
            "Requests sent to the Webex API, by endpoint group, HTTP status and token class",
            webex_requests.clone(),
        );
        let budget_wait = Family::<Token, Counter<f64, AtomicU64>>::default();
        registry.register_with_unit(
            "webex_budget_wait",
            "Time spent waiting for a token's request budget before calling Webex",
            Unit::Seconds,
            budget_wait.clone(),
        );
        let token_refreshes = Family::<Outcome, Counter>::default();
        registry.register(
            "token_refreshes",
            "Refreshes of people's Webex access tokens, by outcome",
            token_refreshes.clone(),
        );
        let reconnect_requests = Counter::default();
        registry.register(
            "reconnect_requests",
            "People told that their Webex grant is gone and asked to connect again",
            reconnect_requests.clone(),
        );
        let mails = Family::<Outcome, Counter>::default();
        registry.register(
            "mails",
            "Invitation e-mails: sent, retried after a failure, or given up (dead)",
            mails.clone(),
        );
        let webhook_syncs = Family::<Outcome, Counter>::default();
        registry.register(
            "webhook_syncs",
            "Reconciliations of the bot's webhooks with Webex (at startup and every 15 minutes)",
            webhook_syncs.clone(),
        );
        let webhooks_repaired = Family::<Action, Counter>::default();
        registry.register(
            "webhooks_repaired",
            "Webhooks the reconciliation had to create, re-activate (Webex disabled them) or delete",
            webhooks_repaired.clone(),
        );
        let build = Info::new(Build {
            version: env!("CARGO_PKG_VERSION"),
        });
        // Encoded as `webex_scheduler_build_info{version="…"} 1`.
        registry.register("build", "The running build", build);
        Self {
            inner: Arc::new(Inner {
                registry: Mutex::new(registry),
                commands,
                webhook_deliveries,
                jobs,
                job_latency,
                queue_depth,
                webex_requests,
                requests_by_token: Family::default(),
                budget_wait,
                token_refreshes,
                reconnect_requests,
                mails,
                webhook_syncs,
                webhooks_repaired,
                last_webhook_sync: Mutex::new(None),
            }),
        }
    }

    /// A command was answered (`outcome` from [`labels::command_outcome`]).
    pub(crate) fn command(&self, kind: &'static str, outcome: &'static str) {
        let labels = KindOutcome { kind, outcome };
        self.inner.commands.get_or_create(&labels).inc();
    }

    pub(crate) fn webhook_delivery(&self, result: labels::Delivery) {
        let labels = Result_ {
            result: result.as_str(),
        };
        self.inner.webhook_deliveries.get_or_create(&labels).inc();
    }

    /// A job attempt ended; `waited` is the time from its being due to it being done.
    pub(crate) fn job_finished(&self, kind: &str, outcome: labels::JobOutcome, waited: Duration) {
        let kind = labels::job_kind(kind);
        let labels = KindOutcome {
            kind,
            outcome: outcome.as_str(),
        };
        self.inner.jobs.get_or_create(&labels).inc();
        if outcome == labels::JobOutcome::Done {
            let family = &self.inner.job_latency;
            family
                .get_or_create(&Kind { kind })
                .observe(waited.as_secs_f64());
        }
        if let Some(mail) = labels::mail_outcome(kind, outcome) {
            let labels = Outcome { outcome: mail };
            self.inner.mails.get_or_create(&labels).inc();
        }
    }

    /// One attempt at one Webex call got an answer (`status`) or none (`None`).
    pub(crate) fn webex_request(&self, token: TokenClass, path: &str, status: Option<u16>) {
        let labels = WebexCall {
            endpoint: labels::endpoint_group(path),
            status: StatusClass::of(status).as_str(),
            token: token.as_str(),
        };
        self.inner.webex_requests.get_or_create(&labels).inc();
        let by_token = Token {
            token: token.as_str(),
        };
        self.inner.requests_by_token.get_or_create(&by_token).inc();
    }

    /// Webex requests made and seconds waited for the budget so far, by token class (for
    /// `admin status`).
    pub(crate) fn budget_use(&self) -> [(&'static str, u64, f64); 2] {
        [TokenClass::Bot, TokenClass::User].map(|class| {
            let token = Token {
                token: class.as_str(),
            };
            let requests = self.inner.requests_by_token.get_or_create(&token).get();
            let waited = self.inner.budget_wait.get_or_create(&token).get();
            (class.as_str(), requests, waited)
        })
    }

    pub(crate) fn budget_waited(&self, token: TokenClass, waited: Duration) {
        let labels = Token {
            token: token.as_str(),
        };
        let counter = self.inner.budget_wait.get_or_create(&labels);
        counter.inc_by(waited.as_secs_f64());
    }

    pub(crate) fn token_refresh(&self, succeeded: bool) {
        let outcome = if succeeded { "refreshed" } else { "failed" };
        let labels = Outcome { outcome };
        self.inner.token_refreshes.get_or_create(&labels).inc();
    }

    pub(crate) fn reconnect_requested(&self) {
        self.inner.reconnect_requests.inc();
    }

    /// A webhook reconciliation ended: `None` when it failed, else what it changed.
    pub(crate) fn webhook_sync(&self, report: Option<&crate::bot::registration::SyncReport>) {
        let outcome = if report.is_some() { "ok" } else { "failed" };
        let now = chrono::Utc::now().timestamp_millis();
        *self.lock_last_sync() = Some((now, report.is_some()));
        self.inner
            .webhook_syncs
            .get_or_create(&Outcome { outcome })
            .inc();
        let Some(report) = report else { return };
        for (action, n) in [
            ("created", report.created),
            ("reactivated", report.reactivated),
            ("deleted", report.deleted),
        ] {
            let counter = self
                .inner
                .webhooks_repaired
                .get_or_create(&Action { action });
            counter.inc_by(u64::try_from(n).unwrap_or(u64::MAX));
        }
    }

    /// When the last webhook reconciliation ended and whether it worked (for `admin status`).
    pub(crate) fn last_webhook_sync(&self) -> Option<(i64, bool)> {
        *self.lock_last_sync()
    }

    fn lock_last_sync(&self) -> std::sync::MutexGuard<'_, Option<(i64, bool)>> {
        let last = &self.inner.last_webhook_sync;
        last.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The exposition text, after setting the queue depth read at this scrape.
    pub(crate) fn encode(&self, queue: Option<crate::store::JobCounts>) -> String {
        if let Some(counts) = queue {
            for (state, n) in [
                ("pending", counts.pending),
                ("running", counts.running),
                ("parked", counts.parked),
                ("dead", counts.dead),
            ] {
                self.inner
                    .queue_depth
                    .get_or_create(&State { state })
                    .set(n);
            }
        }
        let mut text = String::new();
        let registry = self
            .inner
            .registry
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &registry);
        text
    }
}

/// Job latency buckets: 10 ms to about 3 minutes (a retry after backoff is still "due" once).
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.01, 2.0, 15))
}
