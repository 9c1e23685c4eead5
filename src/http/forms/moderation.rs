//! (ssr) `POST /staff/comments/moderate` and `POST /staff/comments/bans/{id}/lift`.

use axum::extract::{Path, State};
use axum::response::Redirect;

use super::FormError;
use crate::domain::moderation::Request;
use crate::error::AppError;
use crate::http::guards::{Moderator, RequireStaff};
use crate::services::moderation;
use crate::state::AppState;

/// Carries out a moderation request and goes back to its queue with what was done.
pub async fn moderate(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Moderator>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Redirect, FormError> {
    let request = Request::parse(&fields).ok_or_else(|| AppError::invalid("one", "Unknown moderation request."))?;
    let code = if request.ids.is_empty() {
        "none-0".to_owned()
    } else {
        moderation::moderate(&state.pool, &staff, &request).await?
    };
    Ok(Redirect::to(&format!("/staff/comments?queue={}&done={code}", request.queue)))
}

/// Lifts a ban.
pub async fn lift_ban(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Moderator>,
    Path(id): Path<i64>,
) -> Result<Redirect, FormError> {
    moderation::lift_ban(&state.pool, &staff, id).await?;
    Ok(Redirect::to("/staff/comments/bans?done=lifted"))
}
