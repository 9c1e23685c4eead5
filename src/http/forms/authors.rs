//! (ssr) Author profile posts: a member making their own, and saving a profile.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Redirect;

use super::{FormError, show_again};
use crate::domain::author::ProfileForm;
use crate::error::AppError;
use crate::http::Visitor;
use crate::http::guards::{Moderator, RequireStaff};
use crate::pages::staff::authors::ProfileAttempt;
use crate::services::authors;
use crate::state::AppState;

/// `POST /staff/account/author`: the member's own author page, made from their name.
pub async fn create_mine(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Moderator>,
) -> Result<Redirect, FormError> {
    let profile = authors::create_mine(&state.pool, &staff).await?;
    Ok(Redirect::to(&format!("/staff/authors/{}?done=created", profile.slug)))
}

/// `POST /staff/authors/{slug}`: a profile saved by its member or an editor; refused fields
/// shown again as typed.
pub async fn save(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Moderator>,
    Path(slug): Path<String>,
    visitor: Visitor,
    axum::Form(form): axum::Form<ProfileForm>,
) -> Result<Redirect, FormError> {
    match authors::save(&state.pool, &staff, &slug, &form).await {
        Ok(profile) => Ok(Redirect::to(&format!("/staff/authors/{}?done=saved", profile.slug))),
        Err(AppError::Invalid(errors)) => {
            let here = format!("/staff/authors/{slug}");
            let attempt = ProfileAttempt { form, errors };
            Err(show_again(&state, &here, &visitor, StatusCode::UNPROCESSABLE_ENTITY, attempt).await)
        }
        Err(error) => Err(error.into()),
    }
}
