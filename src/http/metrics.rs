//! (ssr) `GET /metrics` in Prometheus's text format, on a listening address of its own
//! (`COPYDESK_METRICS_ADDR`, off by default) so it is never public by accident.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;

use crate::state::AppState;

/// Serves the metrics until the process ends.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let router = Router::new().route("/metrics", get(render)).with_state(state);
    axum::serve(listener, router).await
}

async fn render(State(state): State<AppState>) -> Response {
    let Some(handle) = crate::telemetry::metrics_handle() else {
        return (StatusCode::NOT_FOUND, "metrics are off").into_response();
    };
    // Read when scraped: the pool keeps these itself.
    let (open, idle) = state.pool.usage();
    metrics::gauge!("db_pool_connections", "state" => "in_use").set((open as usize).saturating_sub(idle) as f64);
    metrics::gauge!("db_pool_connections", "state" => "idle").set(idle as f64);
    metrics::gauge!("comment_writer_running").set(if state.comments.is_running() { 1.0 } else { 0.0 });
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        handle.render(),
    )
        .into_response()
}
