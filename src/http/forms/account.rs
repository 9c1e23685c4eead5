//! (ssr) Every member's posts on `/staff/account`: a new password, ending a session.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Redirect;
use serde::Deserialize;

use super::{FormError, show_again};
use crate::error::AppError;
use crate::http::Visitor;
use crate::http::guards::{Moderator, RequireStaff};
use crate::pages::staff::account::{PasswordRejected, RecoveryCodes, TwoStepRejected};
use crate::services::account;
use crate::state::AppState;

#[derive(Debug, serde::Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct EndSessionForm {
    #[serde(default)]
    session: String,
}

/// `POST /staff/account/password`
pub async fn password(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Moderator>,
    visitor: Visitor,
    axum::Form(form): axum::Form<PasswordForm>,
) -> Result<Redirect, FormError> {
    let session = visitor.staff_session.as_ref().ok_or(AppError::Unauthorized)?;
    let changed = account::change_password(
        &state.pool,
        &state.passwords,
        &staff,
        session,
        &form.current_password,
        &form.new_password,
    )
    .await;
    match changed {
        Ok(ended) => Ok(Redirect::to(&format!("/staff/account?password=changed&ended={ended}"))),
        Err(error @ AppError::Invalid(_)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            Err(show_again(&state, "/staff/account", &visitor, status, PasswordRejected { error }).await)
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /staff/account/sessions/end`: signs one of the member's other browsers out.
pub async fn end_session(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Moderator>,
    axum::Form(form): axum::Form<EndSessionForm>,
) -> Result<Redirect, FormError> {
    account::end_session(&state.pool, &staff, &form.session).await?;
    Ok(Redirect::to("/staff/account?ended=1"))
}

#[derive(Debug, serde::Deserialize)]
pub struct TwoStepForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct TwoStepOffForm {
    #[serde(default)]
    off_password: String,
}

/// `POST /staff/account/two-step`: turns the second sign-in step on; the page shows the
/// recovery codes once.
pub async fn enable_two_step(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Moderator>,
    visitor: Visitor,
    axum::Form(form): axum::Form<TwoStepForm>,
) -> Result<Redirect, FormError> {
    match account::enable_second_factor(&state.pool, &staff, &form.secret, &form.code).await {
        Ok(codes) => Err(show_again(&state, "/staff/account", &visitor, StatusCode::OK, RecoveryCodes { codes }).await),
        Err(error @ AppError::Invalid(_)) => {
            let rejected = TwoStepRejected { secret: form.secret, error };
            Err(show_again(&state, "/staff/account", &visitor, StatusCode::UNPROCESSABLE_ENTITY, rejected).await)
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /staff/account/two-step/codes`: new recovery codes, shown once.
pub async fn new_codes(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Moderator>,
    visitor: Visitor,
) -> Result<Redirect, FormError> {
    let codes = account::new_recovery_codes(&state.pool, &staff).await?;
    Err(show_again(&state, "/staff/account", &visitor, StatusCode::OK, RecoveryCodes { codes }).await)
}

/// `POST /staff/account/two-step/off`, with the member's password.
pub async fn disable_two_step(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Moderator>,
    visitor: Visitor,
    axum::Form(form): axum::Form<TwoStepOffForm>,
) -> Result<Redirect, FormError> {
    match account::disable_second_factor(&state.pool, &state.passwords, &staff, &form.off_password).await {
        Ok(()) => Ok(Redirect::to("/staff/account?two_step=off")),
        Err(error @ AppError::Invalid(_)) => {
            let rejected = TwoStepRejected { secret: String::new(), error };
            Err(show_again(&state, "/staff/account", &visitor, StatusCode::UNPROCESSABLE_ENTITY, rejected).await)
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct DigestForm {
    #[serde(default)]
    on: String,
}

/// `POST /staff/account/digest`: the member's own digest on (`on` set) or off.
pub async fn digest(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Moderator>,
    axum::Form(form): axum::Form<DigestForm>,
) -> Result<Redirect, FormError> {
    crate::services::mail::set_digest(&state.pool, &staff, !form.on.is_empty()).await?;
    Ok(Redirect::to("/staff/account?digest=saved#digest-title"))
}
