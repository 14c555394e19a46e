//! Wiring: builds the application from settings and runs a command-line subcommand.

use crate::auth::{Linker, OAuthConfig, TokenCipher, TokenManager};
use crate::bot::{self, Bot, BotConfig, MailConfig};
use crate::cli::{Command, WebhooksAction};
use crate::jobs::kinds::SendMail;
use crate::jobs::{Job, Queue, QueueConfig};
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::server::{self, AppState};
use crate::settings::Settings;
use crate::store::Store;
use crate::webex::{WebexClient, WebexConfig};
use scheduler_core::clock::{SharedClock, SystemClock};
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

mod background;
use background::{
    keep_webhooks_in_sync, learn_identity, prune_logs_periodically, prune_periodically,
};

/// A built, bound, not yet running bot.
pub struct Application {
    listener: TcpListener,
    /// `METRICS_ADDR`'s listener, when metrics are on.
    metrics_listener: Option<TcpListener>,
    state: AppState,
    bot: Bot,
    settings: Arc<Settings>,
    queue_config: QueueConfig,
}

impl Application {
    pub async fn build(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.listen_addr).await?;
        Self::build_on(settings, clock, listener).await
    }

    /// Builds on a listener bound by the caller: the sandbox and tests bind port 0 first so they
    /// know the address to put in `PUBLIC_URL`.
    pub async fn build_on(
        settings: Settings,
        clock: SharedClock,
        listener: TcpListener,
    ) -> anyhow::Result<Self> {
        let store = Store::connect(&settings.database_url).await?;
        let metrics = Metrics::new();
        let webex = webex_client(&settings, &metrics)?;
        // One budget per token for every replica, kept across restarts (webex::budget).
        webex.share_budget(Arc::new(store.clone()));
        let queue = Queue::new(store.clone(), clock.clone()).with_metrics(metrics.clone());
        let metrics_listener = match settings.metrics_addr {
            Some(addr) => Some(TcpListener::bind(addr).await?),
            None => None,
        };
        let identity = Arc::new(OnceLock::new());
        let cipher = Arc::new(TokenCipher::new(&settings.encryption_keys));
        let linker = Linker::new(
            oauth_config(&settings),
            store.clone(),
            cipher,
            webex.clone(),
            clock.clone(),
        )?;
        let state = AppState {
            store: store.clone(),
            queue,
            webhook_secrets: Arc::new(settings.webex.webhook_secrets.to_vec()),
            bot: identity.clone(),
            linker: linker.clone(),
            metrics: metrics.clone(),
        };
        let bot = Bot {
            webex,
            store,
            identity,
            clock,
            tokens: TokenManager::new(linker).with_metrics(metrics.clone()),
            config: BotConfig {
                default_timezone: settings.default_timezone,
                max_invitees: settings.limits.max_invitees,
                webex_sends_email: settings.mail.webex_sends_email,
                access: settings.access.clone(),
            },
            mail: mail_config(&settings)?,
            metrics: metrics.clone(),
        };
        let queue_config = QueueConfig {
            workers: settings.limits.workers,
            max_attempts: settings.limits.job_max_attempts,
            // With backoff capped at 5 minutes, 60 attempts wait out about 4 hours of SMTP outage.
            patient: vec![(SendMail::KIND.to_string(), 60)],
            lease: settings.limits.job_lease,
            ..QueueConfig::default()
        };
        Ok(Self {
            listener,
            metrics_listener,
            state,
            bot,
            settings: Arc::new(settings),
            queue_config,
        })
    }

    /// The port actually bound (tests bind port 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The metrics port actually bound, when `METRICS_ADDR` is set (tests bind port 0).
    pub fn metrics_port(&self) -> Option<u16> {
        let listener = self.metrics_listener.as_ref()?;
        listener.local_addr().ok().map(|a| a.port())
    }

    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// Runs the server, the workers and the webhook reconciler until `stop` is cancelled.
    pub async fn run_until_stopped(self, stop: CancellationToken) -> anyhow::Result<()> {
        let Self {
            listener,
            metrics_listener,
            state,
            bot,
            settings,
            queue_config,
        } = self;
        let queue = state.queue.clone();
        if let Some(listener) = metrics_listener {
            let (metrics, store) = (state.metrics.clone(), state.store.clone());
            let stop = stop.clone();
            tokio::spawn(async move {
                if let Err(e) = crate::metrics::serve(listener, metrics, store, stop).await {
                    tracing::error!(error = %e, "the metrics listener failed");
                }
            });
        }
        let server = server::serve::serve(listener, server::router(state), stop.clone());
        tokio::spawn(learn_identity(bot.clone(), stop.clone()));
        if settings.sync_webhooks {
            tokio::spawn(keep_webhooks_in_sync(
                bot.webex.clone(),
                settings.clone(),
                queue.clone(),
                bot.metrics.clone(),
                stop.clone(),
            ));
        }
        if let Some(dir) = settings.log_dir.clone() {
            let retention = settings.log_retention;
            tokio::spawn(prune_logs_periodically(dir, retention, stop.clone()));
        }
        tokio::spawn(prune_periodically(
            queue.clone(),
            settings.limits.retention,
            settings.limits.prune_every,
            stop.clone(),
        ));
        let workers = queue.run(Arc::new(bot), queue_config, stop.clone());
        let (served, ()) = tokio::join!(server, workers);
        served?;
        Ok(())
    }
}

/// The invitation mailer: SMTP when `SMTP_URL` is set, a folder when `MAIL_DIR` is (the sandbox),
/// otherwise none (invitations off; Webex's own e-mails can be chosen with `INVITATIONS_BY`).
fn mail_config(settings: &Settings) -> anyhow::Result<Option<MailConfig>> {
    let mailer = match (&settings.mail.smtp_url, &settings.mail.dir) {
        (Some(url), _) => Mailer::from_url(url)?,
        (None, Some(dir)) => Mailer::folder(dir.clone()),
        (None, None) => return Ok(None),
    };
    let from = parse_mailbox(&settings.mail.from);
    let domain = from
        .email
        .rsplit('@')
        .next()
        .unwrap_or("localhost")
        .to_string();
    Ok(Some(MailConfig {
        mailer,
        from,
        domain,
    }))
}

/// `Name <address>` or a bare address.
fn parse_mailbox(text: &str) -> scheduler_core::invite::Person {
    match (text.find('<'), text.rfind('>')) {
        (Some(open), Some(close)) if open < close => {
            let name = text[..open].trim().trim_matches('"');
            scheduler_core::invite::Person::new(
                (!name.is_empty()).then_some(name),
                text[open + 1..close].trim(),
            )
        }
        _ => scheduler_core::invite::Person::new(None, text.trim()),
    }
}

/// The integration, when both its id and secret are configured.
fn oauth_config(settings: &Settings) -> Option<OAuthConfig> {
    Some(OAuthConfig {
        client_id: settings.oauth.client_id.clone()?,
        client_secret: settings.oauth.client_secret.clone()?,
        authorize_url: settings.oauth.authorize_url.clone(),
        token_url: settings.oauth.token_url.clone(),
        redirect_url: settings.oauth_redirect_url(),
    })
}

fn webex_client(settings: &Settings, metrics: &Metrics) -> anyhow::Result<WebexClient> {
    let config = WebexConfig {
        api_base: settings.webex.api_url.clone(),
        bot_token: settings.webex.bot_token.clone(),
        requests_per_minute: settings.webex.requests_per_minute,
        timeout: settings.webex.timeout,
        max_rate_limit_wait: Duration::from_secs(300),
    };
    Ok(WebexClient::measured(config, metrics.clone())?)
}

/// Runs every subcommand except `parse`, which needs no runtime.
pub fn run_command(command: Command) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        match command {
            Command::CheckConfig => check_config(),
            Command::Serve => report(serve().await),
            Command::Webhooks {
                action: WebhooksAction::Sync,
            } => report(sync_webhooks().await),
            Command::Sandbox(args) => report(crate::sandbox::run(args).await),
            Command::Parse(args) => crate::parse_tool::run(&args),
            Command::MigrateData(args) => report(migrate_data(&args).await),
            Command::Healthcheck(args) => crate::ops::healthcheck::run(args.addr, args.ready).await,
        }
    })
}

fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn check_config() -> ExitCode {
    match Settings::from_env() {
        Ok(s) => {
            println!("configuration is valid");
            println!("  webhook URL:        {}", s.webhook_url());
            println!("  OAuth redirect URI: {}", s.oauth_redirect_url());
            println!("  Webex API:          {}", s.webex.api_url);
            println!(
                "  database:           {}",
                crate::store::redacted(&s.database_url)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

async fn serve() -> anyhow::Result<()> {
    // Settings first: LOG_DIR decides where logs go (their problems are printed as errors).
    let settings = Settings::from_env()?;
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json");
    crate::telemetry::install(json, settings.log_dir.as_deref())
        .map_err(|e| anyhow::anyhow!("LOG_DIR cannot be used: {e}"))?;
    let app = Application::build(settings, Arc::new(SystemClock)).await?;
    tracing::info!(port = app.port(), "listening");
    let stop = CancellationToken::new();
    tokio::spawn(stop_on_signal(stop.clone()));
    app.run_until_stopped(stop).await
}

async fn sync_webhooks() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let webex = webex_client(&settings, &Metrics::default())?;
    let secret = settings
        .webex
        .webhook_secrets
        .first()
        .ok_or_else(|| anyhow::anyhow!("WEBEX_WEBHOOK_SECRET is empty"))?;
    let report = bot::registration::sync(&webex, &settings.webhook_url(), secret).await?;
    println!(
        "webhooks: {} created, {} re-activated, {} deleted, {} already fine",
        report.created, report.reactivated, report.deleted, report.kept
    );
    Ok(())
}

/// Copies the state of one database into another (see `store::transfer`); the URLs may hold
/// passwords, so they are never printed.
async fn migrate_data(args: &crate::cli::MigrateDataArgs) -> anyhow::Result<()> {
    let from = Store::connect(&args.from).await?;
    let to = Store::connect(&args.to).await?;
    let copied = from.copy_into(&to).await?;
    for (table, rows, added) in copied.0 {
        println!("{table:<20} {rows:>8} rows, {added:>8} new");
    }
    Ok(())
}

/// Stops gracefully on Ctrl-C or SIGTERM: the server finishes in-flight requests and workers
/// finish their current job (an unfinished one is retried after restart).
pub(crate) async fn stop_on_signal(stop: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = ctrl_c.await;
                    stop.cancel();
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    stop.cancel();
}
