//! (ssr) Admins' posts on `/staff/team`: adding a member, changing a role, removing one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Redirect;

use super::{FormError, show_again};
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::Visitor;
use crate::http::guards::{Admin, RequireStaff};
use crate::pages::staff::team::{MemberForm, TeamRejected};
use crate::services::staff;
use crate::state::AppState;

#[derive(Debug, serde::Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    email: String,
}

/// `POST /staff/team`: a new member with the password the admin set (they change it on
/// `/staff/account`).
pub async fn add(
    State(state): State<AppState>,
    RequireStaff(admin, ..): RequireStaff<Admin>,
    visitor: Visitor,
    axum::Form(form): axum::Form<MemberForm>,
) -> Result<Redirect, FormError> {
    let result = match Role::parse(&form.role) {
        Some(role) => {
            staff::add_account(&state.pool, Some(&admin), &form.email, &form.name, role, &form.password).await.map(drop)
        }
        None => Err(AppError::invalid("role", "Choose a role.")),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/staff/team?added=1")),
        Err(error @ AppError::Invalid(_)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            Err(show_again(
                &state,
                "/staff/team",
                &visitor,
                status,
                TeamRejected { form: form.without_password(), error },
            )
            .await)
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /staff/team/role`
pub async fn role(
    State(state): State<AppState>,
    RequireStaff(admin, ..): RequireStaff<Admin>,
    axum::Form(form): axum::Form<RoleForm>,
) -> Result<Redirect, FormError> {
    let role = Role::parse(&form.role).ok_or_else(|| AppError::invalid("role", "Choose a role."))?;
    Ok(outcome(staff::change_role(&state.pool, Some(&admin), &form.email, role).await, "saved")?)
}

/// `POST /staff/team/remove`
pub async fn remove(
    State(state): State<AppState>,
    RequireStaff(admin, ..): RequireStaff<Admin>,
    axum::Form(form): axum::Form<RemoveForm>,
) -> Result<Redirect, FormError> {
    Ok(outcome(staff::remove_account(&state.pool, Some(&admin), &form.email).await, "removed")?)
}

/// Back to the team page, saying what happened. A refusal for the last admin is named by a
/// fixed code, never by text from the request.
fn outcome(result: Result<(), AppError>, done: &str) -> Result<Redirect, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/staff/team?{done}=1"))),
        Err(AppError::Invalid(problems)) if problems.iter().any(|p| p.field == "last_admin") => {
            Ok(Redirect::to("/staff/team?refused=last-admin"))
        }
        Err(error) => Err(error),
    }
}
