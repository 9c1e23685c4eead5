//! (ssr) The article editor's posts: a new draft, a saved revision, publishing,
//! unpublishing and scheduling.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Redirect;

use super::{FormError, show_again};
use crate::content::article_form::ArticleForm;
use crate::domain::desk::Saved;
use crate::domain::text::FieldError;
use crate::error::AppError;
use crate::http::Visitor;
use crate::http::guards::{Editor, RequireStaff};
use crate::pages::staff::editor::EditorAttempt;
use crate::services::{editing, scheduling};
use crate::state::AppState;

fn edit_page(slug: &str, done: &str) -> Redirect {
    Redirect::to(&format!("/staff/articles/{slug}/edit?done={done}"))
}

/// `POST /staff/articles`: a new draft.
pub async fn create(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    visitor: Visitor,
    axum::Form(form): axum::Form<ArticleForm>,
) -> Result<Redirect, FormError> {
    const HERE: &str = "/staff/articles/new";
    let (edit, slug) = match (form.validate(), form.new_slug()) {
        (Ok(edit), Ok(slug)) => (edit, slug),
        (checked, slug) => {
            let mut errors = checked.err().unwrap_or_default();
            errors.extend(slug.err());
            let attempt = EditorAttempt { form, errors, stale: None, publish_at: None };
            return Err(show_again(&state, HERE, &visitor, StatusCode::UNPROCESSABLE_ENTITY, attempt).await);
        }
    };
    match editing::create(&state.pool, &staff, &slug, &edit).await {
        Ok(true) => return Ok(edit_page(slug.as_str(), "created")),
        Ok(false) => {}
        Err(AppError::Invalid(errors)) => {
            let attempt = EditorAttempt { form, errors, stale: None, publish_at: None };
            return Err(show_again(&state, HERE, &visitor, StatusCode::UNPROCESSABLE_ENTITY, attempt).await);
        }
        Err(error) => return Err(error.into()),
    }
    let error = FieldError { field: "slug".into(), message: "Another article already uses this address.".into() };
    let attempt = EditorAttempt { form, errors: vec![error], stale: None, publish_at: None };
    Err(show_again(&state, HERE, &visitor, StatusCode::CONFLICT, attempt).await)
}

/// `POST /staff/articles/{slug}/edit`: a new revision. A save made from an older revision
/// than the current one is not written: the editor's text is shown again with a warning.
pub async fn save(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(slug): Path<String>,
    visitor: Visitor,
    axum::Form(form): axum::Form<ArticleForm>,
) -> Result<Redirect, FormError> {
    let article = editing::editable(&state.pool, &slug).await?;
    let here = format!("/staff/articles/{}/edit", article.slug);
    let edit = match form.validate() {
        Ok(edit) => edit,
        Err(errors) => {
            let attempt = EditorAttempt { form, errors, stale: None, publish_at: None };
            return Err(show_again(&state, &here, &visitor, StatusCode::UNPROCESSABLE_ENTITY, attempt).await);
        }
    };
    let base = form.base_revision.unwrap_or_default();
    let saved = match editing::save(&state.pool, &staff, &article, base, &edit).await {
        Err(AppError::Invalid(errors)) => {
            let attempt = EditorAttempt { form, errors, stale: None, publish_at: None };
            return Err(show_again(&state, &here, &visitor, StatusCode::UNPROCESSABLE_ENTITY, attempt).await);
        }
        other => other?,
    };
    match saved {
        Saved::Stale { current } => {
            // Shown again to start from the newer revision: saving once more is deliberate.
            let form = ArticleForm { base_revision: Some(current), ..form };
            let attempt = EditorAttempt { form, errors: Vec::new(), stale: Some(current), publish_at: None };
            Err(show_again(&state, &here, &visitor, StatusCode::CONFLICT, attempt).await)
        }
        outcome => Ok(match form.suggestion {
            // Back to the suggestion that sent the editor here, to accept it with a note.
            Some(group) => Redirect::to(&format!("/staff/corrections?done=edited#group-{group}")),
            None => edit_page(&article.slug, if outcome == Saved::Unchanged { "unchanged" } else { "saved" }),
        }),
    }
}

/// `POST /staff/articles/{slug}/publish`
pub async fn publish(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(slug): Path<String>,
) -> Result<Redirect, FormError> {
    Ok(edit_page(&slug, editing::set_published(&state.pool, &staff, &slug, true).await?))
}

/// `POST /staff/articles/{slug}/unpublish`: readers get "not found"; comments and history stay.
pub async fn unpublish(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(slug): Path<String>,
) -> Result<Redirect, FormError> {
    Ok(edit_page(&slug, editing::set_published(&state.pool, &staff, &slug, false).await?))
}

/// The schedule form: the time to publish at, as the `datetime-local` field sends it.
#[derive(Debug, serde::Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    pub publish_at: String,
}

/// `POST /staff/articles/{slug}/schedule`: a draft published at the time given (UTC). A
/// time that is not one, has passed or is over a year ahead is shown again with the reason.
pub async fn schedule(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(slug): Path<String>,
    visitor: Visitor,
    axum::Form(form): axum::Form<ScheduleForm>,
) -> Result<Redirect, FormError> {
    match scheduling::schedule(&state.pool, &staff, &slug, &form.publish_at).await {
        Ok(done) => Ok(edit_page(&slug, done)),
        Err(AppError::Invalid(errors)) => {
            let article = editing::editable(&state.pool, &slug).await?;
            let attempt = EditorAttempt {
                form: ArticleForm::from_edit(&article.content, article.revision),
                errors,
                stale: None,
                publish_at: Some(form.publish_at.chars().take(40).collect()),
            };
            let here = format!("/staff/articles/{}/edit", article.slug);
            Err(show_again(&state, &here, &visitor, StatusCode::UNPROCESSABLE_ENTITY, attempt).await)
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /staff/articles/{slug}/unschedule`: the draft stays a draft.
pub async fn unschedule(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(slug): Path<String>,
) -> Result<Redirect, FormError> {
    Ok(edit_page(&slug, scheduling::unschedule(&state.pool, &staff, &slug).await?))
}
