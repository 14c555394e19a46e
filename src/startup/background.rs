//! The running bot's background loops: learning its identity, keeping its webhooks, pruning
//! old rows and old log files.

use crate::bot::{self, Bot};
use crate::jobs::Queue;
use crate::metrics::Metrics;
use crate::settings::Settings;
use crate::webex::{Auth, BotIdentity, WebexClient};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How often webhooks are reconciled while running.
const WEBHOOK_SYNC_INTERVAL: Duration = Duration::from_secs(15 * 60);

/// Asks Webex who the bot is, retrying until it answers: until then the bot cannot tell its own
/// messages from others', so workers wait (their jobs retry) and `/readyz` says not ready.
pub(super) async fn learn_identity(bot: Bot, stop: CancellationToken) {
    let mut delay = Duration::from_millis(200);
    while !stop.is_cancelled() {
        match bot.webex.me(&Auth::Bot).await {
            Ok(me) => {
                let identity = BotIdentity {
                    id: me.id,
                    display_name: me.display_name.unwrap_or_else(|| "Scheduler".into()),
                    emails: me.emails,
                };
                tracing::info!(bot_id = %identity.id, "bot identity known");
                let _ = bot.identity.set(identity);
                return;
            }
            Err(e) => tracing::warn!(error = %e, "could not learn the bot's identity; retrying"),
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(delay) => {}
        }
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}

/// Reconciles the webhooks at startup (a deploy may have changed the URL or the secret), then
/// once per [`WEBHOOK_SYNC_INTERVAL`] on one replica of the deployment.
pub(super) async fn keep_webhooks_in_sync(
    webex: WebexClient,
    settings: Arc<Settings>,
    queue: Queue,
    metrics: Metrics,
    stop: CancellationToken,
) {
    let mut starting = true;
    loop {
        let ours = queue
            .take_period("webhook_sync", WEBHOOK_SYNC_INTERVAL)
            .await;
        if let (Some(secret), true) = (settings.webex.webhook_secrets.first(), ours || starting) {
            match bot::registration::sync(&webex, &settings.webhook_url(), secret).await {
                Ok(report) => {
                    tracing::info!(?report, "webhooks reconciled");
                    metrics.webhook_sync(Some(&report));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "webhook reconciliation failed");
                    metrics.webhook_sync(None);
                }
            }
        }
        starting = false;
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(WEBHOOK_SYNC_INTERVAL) => {}
        }
    }
}

/// Deletes rows past retention (see `store::retention`) every `every`; the first run waits
/// too, so a restart loop never spends its time deleting.
pub(super) async fn prune_periodically(
    queue: Queue,
    retention: Duration,
    every: Duration,
    stop: CancellationToken,
) {
    let retention_ms = i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(every) => {}
        }
        if !queue.take_period("prune", every).await {
            continue;
        }
        tracing::info!("pruning rows past retention");
        match queue.store().prune(queue.now_ms(), retention_ms).await {
            Ok(pruned) if pruned.total() > 0 => tracing::info!(?pruned, "old rows pruned"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "pruning old rows failed; will try again"),
        }
    }
}

/// How often log files past `LOG_RETENTION_HOURS` are looked for (files are hourly).
const LOG_PRUNE_INTERVAL: Duration = Duration::from_secs(10 * 60);

/// Deletes support log files past retention at startup and every ten minutes. File times are
/// the file system's, so this reads the system clock, not the bot's.
pub(super) async fn prune_logs_periodically(
    dir: std::path::PathBuf,
    retention: Duration,
    stop: CancellationToken,
) {
    loop {
        match crate::telemetry::prune_logs(&dir, std::time::SystemTime::now(), retention) {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "old log files deleted"),
            Err(e) => tracing::warn!(error = %e, "deleting old log files failed; will try again"),
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(LOG_PRUNE_INTERVAL) => {}
        }
    }
}
