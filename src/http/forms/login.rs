//! (ssr) `POST /staff/login`, its second step `POST /staff/login/code`, and
//! `POST /staff/logout`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Redirect;
use serde::Deserialize;

use super::{FormError, MaybeCookie, show_again, with_cookie};
use crate::error::AppError;
use crate::http::guards::SameOrigin;
use crate::http::{Visitor, cookies};
use crate::pages::staff::login::{CodeNeeded, LoginRejected};
use crate::pages::staff::safe_next;
use crate::services::staff;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: String,
}

/// Signs in and goes where the sign-in page was asked to return to, or shows it again.
pub async fn sign_in(
    State(state): State<AppState>,
    _: SameOrigin,
    visitor: Visitor,
    axum::Form(form): axum::Form<LoginForm>,
) -> Result<(MaybeCookie, Redirect), FormError> {
    let outcome = staff::sign_in(
        &state.pool,
        &state.passwords,
        &form.email,
        &form.password,
        visitor.client(),
        visitor.staff_session.as_ref(),
    )
    .await;
    match outcome {
        Ok(staff::SignIn::Done(_, session)) => Ok(signed_in(&state, &session, &form.next)),
        Ok(staff::SignIn::CodeNeeded(pending)) => {
            let step = CodeNeeded { token: pending.secret().to_owned(), next: form.next, error: None };
            Err(show_again(&state, "/staff/login", &visitor, StatusCode::OK, step).await)
        }
        Err(error) => {
            let status = match error {
                AppError::Invalid(_) => StatusCode::UNAUTHORIZED,
                ref other => other.status(),
            };
            let rejected = LoginRejected { email: form.email, next: form.next, error };
            Err(show_again(&state, "/staff/login", &visitor, status, rejected).await)
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub next: String,
}

/// `POST /staff/login/code`: the second step, with a code from the member's app or a
/// recovery code.
pub async fn second_step(
    State(state): State<AppState>,
    _: SameOrigin,
    visitor: Visitor,
    axum::Form(form): axum::Form<CodeForm>,
) -> Result<(MaybeCookie, Redirect), FormError> {
    let result = match staff::PendingSignIn::parse(&form.token) {
        Some(pending) => staff::second_step(&state.pool, &pending, &form.code, visitor.staff_session.as_ref()).await,
        None => Err(staff::expired_sign_in()),
    };
    match result {
        Ok((_, session)) => Ok(signed_in(&state, &session, &form.next)),
        Err(error) if error.field("expired").is_some() => {
            let rejected = LoginRejected { email: String::new(), next: form.next, error };
            Err(show_again(&state, "/staff/login", &visitor, StatusCode::UNAUTHORIZED, rejected).await)
        }
        Err(error) => {
            let status = match error {
                AppError::Invalid(_) => StatusCode::UNAUTHORIZED,
                ref other => other.status(),
            };
            let step = CodeNeeded { token: form.token, next: form.next, error: Some(error) };
            Err(show_again(&state, "/staff/login", &visitor, status, step).await)
        }
    }
}

/// The session's cookie, and on to where the sign-in page was asked to return to.
fn signed_in(state: &AppState, session: &crate::domain::tokens::SessionId, next: &str) -> (MaybeCookie, Redirect) {
    let cookie = cookies::set_staff(session, state.config.is_https());
    (with_cookie(Some(cookie)), Redirect::to(&safe_next(Some(next))))
}

/// Ends the session and clears the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    _: SameOrigin,
    visitor: Visitor,
) -> Result<(MaybeCookie, Redirect), FormError> {
    if let Some(session) = &visitor.staff_session {
        staff::sign_out(&state.pool, session).await?;
    }
    let cookie = cookies::clear_staff(state.config.is_https());
    Ok((with_cookie(Some(cookie)), Redirect::to("/staff/login?signed_out=1")))
}
