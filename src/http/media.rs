//! (ssr) `/media/{hash}.{ext}`: the files made of library photos. An address names one
//! file's bytes forever (the hash is of them), so browsers and CDNs keep it for a year; the
//! type is the one the bytes were encoded as, and `nosniff` (set for every response) keeps
//! browsers to it. A deleted photo's files are not found. Sent from memory (`cache::Files`).

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::services::media;
use crate::state::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub async fn file(State(state): State<AppState>, Path(name): Path<String>) -> Result<Response, AppError> {
    let file = media::file(&state.pool, &state.media, &state.kept, &name).await?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(file.format.mime())),
        (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
    ];
    Ok((headers, file.bytes.clone()).into_response())
}
