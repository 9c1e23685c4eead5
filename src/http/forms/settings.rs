//! (ssr) Admins' settings posts: the site's moderation mode, the word lists, one article's
//! comments.

use axum::extract::State;
use axum::response::Redirect;
use serde::Deserialize;

use super::FormError;
use crate::http::guards::{Admin, RequireStaff};
use crate::services::moderation::{self, ArticleChange};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ModeForm {
    #[serde(default)]
    mode: String,
}

#[derive(Debug, Deserialize)]
pub struct WordsForm {
    #[serde(default)]
    suspect: String,
    #[serde(default)]
    banned: String,
}

#[derive(Debug, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    closed: Option<String>,
}

fn saved() -> Redirect {
    Redirect::to("/staff/settings?saved=1")
}

/// `POST /staff/settings/moderation`
pub async fn set_mode(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Admin>,
    axum::Form(form): axum::Form<ModeForm>,
) -> Result<Redirect, FormError> {
    moderation::set_site_mode(&state.pool, Some(&staff), &form.mode).await?;
    Ok(saved())
}

/// `POST /staff/settings/words`: replaces both lists.
pub async fn set_words(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Admin>,
    axum::Form(form): axum::Form<WordsForm>,
) -> Result<Redirect, FormError> {
    moderation::set_word_lists(&state.pool, Some(&staff), &form.suspect, &form.banned).await?;
    Ok(saved())
}

/// `POST /staff/settings/article`: one article's moderation mode and whether it is closed.
pub async fn set_article(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Admin>,
    axum::Form(form): axum::Form<ArticleForm>,
) -> Result<Redirect, FormError> {
    let change = ArticleChange { mode: Some(&form.mode), closed: Some(form.closed.is_some()) };
    moderation::set_article(&state.pool, Some(&staff), &form.slug, change).await?;
    Ok(saved())
}

#[derive(Debug, Deserialize)]
pub struct TwoStepForm {
    #[serde(default)]
    required: Option<String>,
}

/// `POST /staff/settings/two-step`: whether admins and editors must use a second sign-in
/// step.
pub async fn require_two_step(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Admin>,
    axum::Form(form): axum::Form<TwoStepForm>,
) -> Result<Redirect, FormError> {
    crate::services::staff::require_second_factor(&state.pool, &staff, form.required.is_some()).await?;
    Ok(saved())
}

#[derive(Debug, Deserialize)]
pub struct TimeToFixForm {
    #[serde(default)]
    show: Option<String>,
}

/// `POST /staff/settings/corrections`: whether `/corrections` shows the time to each fix.
pub async fn set_corrections(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Admin>,
    axum::Form(form): axum::Form<TimeToFixForm>,
) -> Result<Redirect, FormError> {
    crate::services::articles::set_corrections_time_to_fix(&state.pool, &staff, form.show.is_some()).await?;
    Ok(saved())
}
