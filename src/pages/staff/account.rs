//! (ssr) `/staff/account`: every member's own password and signed-in sessions.

use leptos::prelude::*;

use super::StaffFrame;
use crate::domain::dates::long_date_time;
use crate::domain::staff::{MIN_PASSWORD_CHARS, Role};
use crate::error::AppError;
use crate::http::guards::{staff_page, staff_session_of_render};
use crate::pages::{PageTitle, load_page, query};
use crate::services::account;

/// A password change that was refused, for the page shown again.
#[derive(Debug, Clone)]
pub struct PasswordRejected {
    pub error: AppError,
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let changed = query("password").as_deref() == Some("changed");
    let ended_others = query("ended").and_then(|n| n.parse::<u64>().ok()).filter(|_| changed);
    let ended_one = !changed && query("ended").is_some();
    let rejected = use_context::<PasswordRejected>();
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Moderator).await?;
            let session = staff_session_of_render().ok_or(AppError::Unauthorized)?;
            let sessions = account::sessions(&state.pool, &staff, &session).await?;
            Ok::<_, AppError>((staff, sessions))
        },
        move |(staff, sessions)| {
            let error = rejected.clone().map(|r| r.error);
            let message = |field: &str| error.as_ref().and_then(|e| e.field(field)).map(str::to_owned);
            let (current_error, new_error) = (message("current_password"), message("new_password"));
            let rows = sessions
                .into_iter()
                .map(|(session, this)| {
                    let started = long_date_time(session.created_at);
                    let action = if this {
                        view! { <span>"This browser"</span> }.into_any()
                    } else {
                        view! {
                            <form method="post" action="/staff/account/sessions/end">
                                <input type="hidden" name="session" value=session.id_hash.clone() />
                                <button type="submit" class="button-quiet" aria-label=format!("Sign out the session started {started}")>
                                    "Sign out"
                                </button>
                            </form>
                        }
                        .into_any()
                    };
                    view! {
                        <tr>
                            <td>{started.clone()}</td>
                            <td>{long_date_time(session.expires_at)}</td>
                            <td>{action}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <PageTitle text="Your account · Staff desk" />
                <StaffFrame staff current="/staff/account">
                    <h1 class="page-title">"Your account"</h1>
                    {changed.then(|| {
                        let others = match ended_others {
                            Some(0) | None => String::new(),
                            Some(1) => " Your other session was signed out.".to_owned(),
                            Some(n) => format!(" Your {n} other sessions were signed out."),
                        };
                        view! { <p class="notice notice-success" role="status">{format!("Password changed.{others}")}</p> }
                    })}
                    {ended_one.then(|| view! { <p class="notice notice-success" role="status">"That session is signed out."</p> })}
                    <h2 id="password-title">"Change your password"</h2>
                    <form method="post" action="/staff/account/password" class="stacked" aria-labelledby="password-title">
                        <div class="field" class:field-invalid=current_error.is_some()>
                            <label for="current-password">"Current password"</label>
                            <input id="current-password" name="current_password" type="password" required
                                autocomplete="current-password" aria-describedby="current-password-error"
                                aria-invalid=current_error.as_ref().map(|_| "true") />
                            <p class="field-error" id="current-password-error">{current_error.clone()}</p>
                        </div>
                        <div class="field" class:field-invalid=new_error.is_some()>
                            <label for="new-password">"New password"</label>
                            <p class="field-hint" id="new-password-hint">
                                {format!("At least {MIN_PASSWORD_CHARS} characters. Your other sessions will be signed out.")}
                            </p>
                            <input id="new-password" name="new_password" type="password" required minlength=MIN_PASSWORD_CHARS
                                autocomplete="new-password" aria-describedby="new-password-hint new-password-error"
                                aria-invalid=new_error.as_ref().map(|_| "true") />
                            <p class="field-error" id="new-password-error">{new_error.clone()}</p>
                        </div>
                        <button type="submit">"Change password"</button>
                    </form>
                    <h2>"Where you are signed in"</h2>
                    <table class="audit">
                        <thead>
                            <tr>
                                <th scope="col">"Signed in"</th>
                                <th scope="col">"Expires"</th>
                                <th scope="col"><span class="visually-hidden">"Action"</span></th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </StaffFrame>
            }
        },
    )
}
