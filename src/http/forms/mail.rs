//! (ssr) The signed links in mail: unsubscribing (the page's button, and the one-click POST
//! of RFC 8058 that mail programs send with no page at all) and confirming reply
//! notifications.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::text::percent_encode;
use crate::error::AppError;
use crate::http::guards::SameOrigin;
use crate::services::mail;
use crate::state::AppState;

/// What a signed link carries.
#[derive(Debug, Deserialize)]
pub struct SignedLink {
    #[serde(default)]
    to: String,
    #[serde(default)]
    list: String,
    #[serde(default)]
    sig: String,
}

impl SignedLink {
    fn done(&self, path: &str) -> Redirect {
        Redirect::to(&format!(
            "{path}?to={}&list={}&sig={}&done=1",
            percent_encode(&self.to),
            percent_encode(&self.list),
            percent_encode(&self.sig)
        ))
    }
}

/// Whether the post came from the site's own page (its form says so); a mail program's
/// one-click post gets a plain 200 instead of a page to go to.
fn from_page(body: &[u8]) -> bool {
    body.split(|&b| b == b'&').any(|pair| pair == b"from=page")
}

/// `POST /mail/unsubscribe?to&list&sig`
pub async fn unsubscribe(
    State(state): State<AppState>,
    _: SameOrigin,
    Query(link): Query<SignedLink>,
    body: Bytes,
) -> Result<Response, AppError> {
    mail::unsubscribe(&state.pool, &state.mail_links, &link.to, &link.list, &link.sig).await?;
    if from_page(&body) {
        Ok(link.done("/mail/unsubscribe").into_response())
    } else {
        Ok((StatusCode::OK, "Unsubscribed.\n").into_response())
    }
}

/// `POST /mail/confirm?to&list&sig`: turns reply notifications on for the address.
pub async fn confirm(
    State(state): State<AppState>,
    _: SameOrigin,
    Query(link): Query<SignedLink>,
) -> Result<Redirect, AppError> {
    mail::confirm_replies(&state.pool, &state.mail_links, &link.to, &link.sig).await?;
    Ok(link.done("/mail/confirm"))
}
