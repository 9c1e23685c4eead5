//! (ssr) `GET /healthz` (the process answers) and `GET /readyz` (it can do its work), for
//! load balancers and orchestrators. Never cached; nothing personal in either.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::services::health;
use crate::state::AppState;

const NO_STORE: (header::HeaderName, HeaderValue) = (header::CACHE_CONTROL, HeaderValue::from_static("no-store"));

pub async fn healthz() -> Response {
    ([NO_STORE], "ok\n").into_response()
}

/// 200 when ready; 503 with the reason when not.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match health::ready(&state.pool, &state.comments).await {
        Ok(()) => ([NO_STORE], "ready\n").into_response(),
        Err(reason) => (StatusCode::SERVICE_UNAVAILABLE, [NO_STORE], format!("not ready: {reason}\n")).into_response(),
    }
}
