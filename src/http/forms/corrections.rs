//! (ssr) The desk's decisions on a suggestion group: dismiss, apply (fix the text and
//! publish the notice), accept (the notice only) or close as already fixed; suggestions made
//! from comments, and the reply under them.

use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;

use super::{FormError, show_again};
use axum::http::Uri;

use crate::domain::suggestion::{NoticeKind, SuggestionForm};
use crate::error::AppError;
use crate::http::Visitor;
use crate::http::guards::{Editor, Moderator, RequireStaff};
use crate::pages::staff::comment_correction::SuggestionRefused;
use crate::pages::staff::corrections::DecisionRefused;
use crate::services::corrections::{self, Decision};
use crate::services::from_comments;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    replacement: String,
    #[serde(default)]
    notice_kind: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
    /// The article's revision when the desk showed the suggestion.
    #[serde(default)]
    revision: Option<i64>,
    /// The "also elsewhere in the story" box.
    #[serde(default)]
    everywhere: Option<String>,
}

impl DecisionForm {
    fn decision(&self, edit: bool) -> Decision<'_> {
        Decision {
            edit,
            replacement: &self.replacement,
            notice_kind: NoticeKind::parse(&self.notice_kind),
            note: &self.note,
            seen_revision: self.revision,
            everywhere: self.everywhere.is_some(),
        }
    }
}

fn back(code: &str) -> Redirect {
    Redirect::to(&format!("/staff/corrections?done={code}"))
}

/// `POST /staff/corrections/{id}/dismiss`
pub async fn dismiss(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Result<Redirect, FormError> {
    Ok(back(corrections::dismiss(&state.pool, &state.config.public_url, &staff, id, &form.reason).await?))
}

/// `POST /staff/corrections/{id}/apply`: replaces the quote in the article and publishes
/// the notice. When the article was saved since the desk showed it, nothing is written and
/// the desk is shown again, saying so (409).
pub async fn apply(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(id): Path<i64>,
    visitor: Visitor,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Result<Redirect, FormError> {
    match corrections::decide(&state.pool, &state.config.public_url, &staff, id, &form.decision(true)).await {
        Ok(done) => Ok(back(done)),
        Err(error @ AppError::Stale) => {
            let path = "/staff/corrections";
            Err(show_again(&state, path, &visitor, error.status(), DecisionRefused(error)).await)
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /staff/corrections/{id}/fixed`: closes the group as already fixed by the later
/// revision that changed its quote, telling its reporters.
pub async fn close_fixed(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(id): Path<i64>,
) -> Result<Redirect, FormError> {
    Ok(back(corrections::close_fixed(&state.pool, &state.config.public_url, &staff, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    comment: i64,
}

/// `POST /staff/corrections/{id}/answer`: posts "Corrected: <notice>" under the comment the
/// suggestion came from.
pub async fn answer(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<AnswerForm>,
) -> Result<Redirect, FormError> {
    let done = from_comments::answer(&state.pool, &staff, id, form.comment).await?;
    // Back to the group, which is on the Accepted tab.
    Ok(Redirect::to(&format!("/staff/corrections?status=accepted&done={done}#group-{id}")))
}

/// `POST /staff/comments/{id}/correction`: stores a suggestion made from a comment and goes
/// to it on the desk, or shows the form again with what is wrong.
pub async fn from_comment(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Moderator>,
    Path(id): Path<i64>,
    uri: Uri,
    visitor: Visitor,
    axum::Form(form): axum::Form<SuggestionForm>,
) -> Result<Redirect, FormError> {
    match from_comments::suggest(&state.pool, &staff, id, &form).await {
        Ok(group) => Ok(Redirect::to(&format!("/staff/corrections?done=from-comment#group-{group}"))),
        Err(error @ AppError::Invalid(_)) => {
            let status = error.status();
            Err(show_again(&state, uri.path(), &visitor, status, SuggestionRefused { form, error }).await)
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /staff/corrections/{id}/accept`: publishes the notice without changing the text.
pub async fn accept(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Result<Redirect, FormError> {
    Ok(back(corrections::decide(&state.pool, &state.config.public_url, &staff, id, &form.decision(false)).await?))
}
