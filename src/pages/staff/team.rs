//! (ssr) `/staff/team`: who is on the desk, their roles and last sign-in; adding, changing
//! and removing members (admins).

use leptos::prelude::*;
use serde::Deserialize;

use super::StaffFrame;
use crate::domain::dates::long_date_time;
use crate::domain::staff::{MAX_NAME_CHARS, MIN_PASSWORD_CHARS, Role, TeamMember};
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::{PageTitle, load_page, query};
use crate::services::staff;

/// The add-member form as sent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub password: String,
}

impl MemberForm {
    /// The form to show again: a password is never written back into a page.
    pub fn without_password(self) -> Self {
        Self { password: String::new(), ..self }
    }
}

/// An add-member post that was refused, for the page shown again.
#[derive(Debug, Clone)]
pub struct TeamRejected {
    pub form: MemberForm,
    pub error: AppError,
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let notice = [("added", "Member added."), ("saved", "Role changed."), ("removed", "Member removed.")]
        .into_iter()
        .find(|(key, _)| query(key).is_some())
        .map(|(_, text)| text);
    let last_admin = query("refused").as_deref() == Some("last-admin");
    let rejected = use_context::<TeamRejected>();
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Admin).await?;
            let team = staff::team(&state.pool).await?;
            Ok::<_, AppError>((staff, team))
        },
        move |(staff, team)| {
            let rows = team.into_iter().map(member_row).collect_view();
            let (form, error) = rejected.clone().map_or((MemberForm::default(), None), |r| (r.form, Some(r.error)));
            view! {
                <PageTitle text="Team · Staff desk" />
                <StaffFrame staff current="/staff/team">
                    <h1 class="page-title">"Team"</h1>
                    {notice.map(|text| view! { <p class="notice notice-success" role="status">{text}</p> })}
                    {last_admin.then(|| view! {
                        <p class="notice notice-error" role="alert">
                            "The site needs at least one admin: make someone else an admin first."
                        </p>
                    })}
                    <table class="audit team">
                        <thead>
                            <tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Email"</th>
                                <th scope="col">"Role"</th>
                                <th scope="col">"Last sign-in"</th>
                                <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <h2 id="add-member">"Add a member"</h2>
                    <AddMember form error />
                </StaffFrame>
            }
        },
    )
}

fn member_row(member: TeamMember) -> impl IntoView {
    let TeamMember { staff, last_sign_in_at } = member;
    let select_id = format!("role-{}", staff.id);
    let role_options = Role::ALL
        .into_iter()
        .map(|role| view! { <option value=role.as_str() selected=role == staff.role>{role_label(role)}</option> })
        .collect_view();
    view! {
        <tr>
            <td>{staff.name.clone()}</td>
            <td>{staff.email.clone()}</td>
            <td>
                <form method="post" action="/staff/team/role" class="settings-row">
                    <input type="hidden" name="email" value=staff.email.clone() />
                    <label for=select_id.clone() class="visually-hidden">{format!("Role of {}", staff.name)}</label>
                    <select id=select_id name="role">{role_options}</select>
                    <button type="submit" class="button-quiet">"Save"</button>
                </form>
            </td>
            <td>{last_sign_in_at.map_or_else(|| "Never".to_owned(), long_date_time)}</td>
            <td>
                <form method="post" action="/staff/team/remove">
                    <input type="hidden" name="email" value=staff.email.clone() />
                    <button type="submit" class="button-quiet" aria-label=format!("Remove {}", staff.name)>"Remove"</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn AddMember(form: MemberForm, error: Option<AppError>) -> impl IntoView {
    let message = |field: &str| error.as_ref().and_then(|e| e.field(field)).map(str::to_owned);
    let account = message("account").or_else(|| message("email"));
    let (role_error, password_error) = (message("role"), message("password"));
    let chosen = Role::parse(&form.role).unwrap_or(Role::Moderator);
    let role_options = Role::ALL
        .into_iter()
        .map(|role| view! { <option value=role.as_str() selected=role == chosen>{role_label(role)}</option> })
        .collect_view();
    view! {
        <form method="post" action="/staff/team" class="stacked" aria-labelledby="add-member">
            <p class="notice notice-error" role="alert" hidden=account.is_none()>{account.clone()}</p>
            <div class="field">
                <label for="member-name">"Name"</label>
                <input id="member-name" name="name" type="text" required maxlength=MAX_NAME_CHARS autocomplete="off"
                    value=form.name.clone() />
            </div>
            <div class="field">
                <label for="member-email">"Email"</label>
                <input id="member-email" name="email" type="email" required autocomplete="off" value=form.email.clone() />
            </div>
            <div class="field">
                <label for="member-role">"Role"</label>
                <select id="member-role" name="role" aria-describedby="member-role-error">{role_options}</select>
                <p class="field-error" id="member-role-error">{role_error}</p>
            </div>
            <div class="field">
                <label for="member-password">"First password"</label>
                <p class="field-hint" id="member-password-hint">
                    {format!("At least {MIN_PASSWORD_CHARS} characters. Give it to them in person; they choose their own on their account page.")}
                </p>
                <input id="member-password" name="password" type="password" required minlength=MIN_PASSWORD_CHARS
                    autocomplete="new-password" aria-describedby="member-password-hint member-password-error" />
                <p class="field-error" id="member-password-error">{password_error}</p>
            </div>
            <button type="submit">"Add member"</button>
        </form>
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Moderator => "Moderator",
        Role::Editor => "Editor",
        Role::Admin => "Admin",
    }
}
