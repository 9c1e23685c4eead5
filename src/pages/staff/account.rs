//! (ssr) `/staff/account`: every member's own password and signed-in sessions.

use leptos::prelude::*;

use super::StaffFrame;
use crate::domain::dates::long_date_time;
use crate::domain::staff::{MIN_PASSWORD_CHARS, Role};
use crate::error::AppError;
use crate::http::guards::{staff_page, staff_session_of_render};
use crate::pages::{PageTitle, load_page, query};
use crate::services::account;

/// Recovery codes just made, shown this once.
#[derive(Debug, Clone)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// Turning the second step on or off was refused; `secret` is the key being set up.
#[derive(Debug, Clone)]
pub struct TwoStepRejected {
    pub secret: String,
    pub error: AppError,
}

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
    let codes = use_context::<RecoveryCodes>();
    let two_step_rejected = use_context::<TwoStepRejected>();
    let setup_required = query("setup").as_deref() == Some("required");
    let turned_off = query("two_step").as_deref() == Some("off");
    let digest_set = query("digest").is_some();
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Moderator).await?;
            let session = staff_session_of_render().ok_or(AppError::Unauthorized)?;
            let sessions = account::sessions(&state.pool, &staff, &session).await?;
            let two_step = account::second_factor(&state.pool, &staff).await?;
            let profile = crate::services::authors::mine(&state.pool, &staff).await?;
            let digest = crate::services::mail::digest(&state.pool, &staff).await?;
            let every_hours = state.config.digest_every.as_secs() / 3600;
            Ok::<_, AppError>((staff, sessions, two_step, profile, (digest, every_hours)))
        },
        move |(staff, sessions, two_step, profile, (digest, every_hours))| {
            let digest_to = staff.email.clone();
            let author = match profile {
                Some(p) => view! {
                    <p>
                        <a href=format!("/staff/authors/{}", p.slug)>"Edit your author page"</a> " · "
                        <a href=format!("/authors/{}", p.slug)>"View it"</a>
                    </p>
                }
                .into_any(),
                None => view! {
                    <p>"Readers can follow your bylines to a page about you with your stories."</p>
                    <form method="post" action="/staff/account/author">
                        <button type="submit" class="button-quiet">"Make my author page"</button>
                    </form>
                }
                .into_any(),
            };
            let two_step = view! {
                <TwoStep email=staff.email.clone() codes_left=two_step codes=codes.clone()
                    rejected=two_step_rejected.clone() setup_required turned_off />
            };
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
                    <h2>"Your author page"</h2>
                    {author}
                    <h2 id="digest-title">"Digest by email"</h2>
                    {digest_set.then(|| view! { <p class="notice notice-success" role="status">"Your digest setting is saved."</p> })}
                    <form method="post" action="/staff/account/digest" aria-labelledby="digest-title">
                        <p>{if digest {
                            format!("On: what waits in the inbox is mailed to {digest_to} every {every_hours} hours, when anything waits.")
                        } else {
                            "Off. Turn it on to get what waits in the inbox (comments, reports, corrections) by email.".to_owned()
                        }}</p>
                        <input type="hidden" name="on" value=if digest { "" } else { "yes" } />
                        <button type="submit" class="button-quiet">{if digest { "Turn the digest off" } else { "Turn the digest on" }}</button>
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
                    {two_step}
                </StaffFrame>
            }
        },
    )
}

/// The second sign-in step: setting it up (a new key and a code from the app), or, once
/// on, recovery codes and turning it off.
#[component]
fn TwoStep(
    email: String,
    codes_left: Option<i64>,
    codes: Option<RecoveryCodes>,
    rejected: Option<TwoStepRejected>,
    setup_required: bool,
    turned_off: bool,
) -> impl IntoView {
    use crate::domain::totp;
    let message = |field: &str| rejected.as_ref().and_then(|r| r.error.field(field)).map(str::to_owned);
    let (code_error, off_error) = (message("code"), message("off_password"));
    let shown = codes.map(|RecoveryCodes { codes }| {
        let items = codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view();
        view! {
            <div class="notice notice-success" role="status">
                <p>"The second step is on. Keep these recovery codes somewhere safe: each signs you in once if you lose your phone, and they are not shown again."</p>
                <ul class="recovery-codes">{items}</ul>
            </div>
        }
    });
    let body = match codes_left {
        Some(left) => view! {
            <p>{format!("On: signing in asks for a code from your authenticator app. {left} recovery codes left.")}</p>
            <form method="post" action="/staff/account/two-step/codes">
                <button type="submit" class="button-quiet">"Make new recovery codes"</button>
            </form>
            <form method="post" action="/staff/account/two-step/off" class="stacked" aria-label="Turn off the second step">
                <div class="field" class:field-invalid=off_error.is_some()>
                    <label for="off-password">"Your password, to turn the second step off"</label>
                    <input id="off-password" name="off_password" type="password" required autocomplete="current-password"
                        aria-describedby="off-password-error" aria-invalid=off_error.as_ref().map(|_| "true") />
                    <p class="field-error" id="off-password-error">{off_error.clone()}</p>
                </div>
                <button type="submit" class="button-quiet">"Turn off"</button>
            </form>
        }
        .into_any(),
        None => {
            let secret = rejected.as_ref().map(|r| r.secret.clone()).filter(|s| totp::is_secret(s)).unwrap_or_else(totp::new_secret);
            let uri = totp::otpauth_uri("Copydesk", &email, &secret);
            view! {
                <p>"Off: signing in asks for your password only."</p>
                <ol>
                    <li>"In your authenticator app, add an account with this key (or paste the address below):"
                        <p><code class="totp-secret">{secret.clone()}</code></p>
                        <p class="field-hint"><code class="totp-uri">{uri}</code></p>
                    </li>
                    <li>"Type the six-digit code the app shows."</li>
                </ol>
                <form method="post" action="/staff/account/two-step" class="stacked" aria-label="Turn on the second step">
                    <input type="hidden" name="secret" value=secret />
                    <div class="field" class:field-invalid=code_error.is_some()>
                        <label for="totp-code">"Code from the app"</label>
                        <input id="totp-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                            required aria-describedby="totp-code-error" aria-invalid=code_error.as_ref().map(|_| "true") />
                        <p class="field-error" id="totp-code-error">{code_error.clone()}</p>
                    </div>
                    <button type="submit">"Turn on"</button>
                </form>
            }
            .into_any()
        }
    };
    view! {
        <h2 id="two-step">"Second sign-in step"</h2>
        {setup_required.then(|| view! {
            <p class="notice notice-error" role="alert">
                "The site asks admins and editors for a second sign-in step: set it up here before using the desk."
            </p>
        })}
        {turned_off.then(|| view! { <p class="notice notice-success" role="status">"The second step is off."</p> })}
        {shown}
        {body}
    }
}
