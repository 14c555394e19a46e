//! The `/metrics` listener, apart from the public one: Webex and browsers reach `LISTEN_ADDR`,
//! so metrics there would be published to anyone who can reach the webhook URL.

use super::Metrics;
use crate::store::Store;
use axum::Router;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// OpenMetrics text, which Prometheus reads natively.
const CONTENT: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Serves `GET /metrics` on `listener` until `stop` is cancelled.
pub async fn serve(
    listener: TcpListener,
    metrics: Metrics,
    store: Store,
    stop: CancellationToken,
) -> std::io::Result<()> {
    let router = Router::new()
        .route("/metrics", get(scrape))
        .layer(crate::server::hardening::layer())
        .with_state((metrics, store));
    crate::server::serve::serve(listener, router, stop).await
}

/// The queue depth is read from the database at each scrape; if it cannot be read, the rest
/// is still served (the gauges keep their last values) and the failure is logged.
async fn scrape(State((metrics, store)): State<(Metrics, Store)>) -> impl IntoResponse {
    let counts = match store.job_counts().await {
        Ok(counts) => Some(counts),
        Err(e) => {
            tracing::warn!(error = %e, "could not read the queue depth for /metrics");
            None
        }
    };
    ([(CONTENT_TYPE, CONTENT)], metrics.encode(counts))
}
