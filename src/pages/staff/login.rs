//! `/staff/login`: the sign-in form (posted to `http::forms::login`).

use leptos::prelude::*;

use super::safe_next;
use crate::components::form::TextField;
use crate::error::AppError;
use crate::pages::{PageTitle, query};

/// A sign-in that failed: the email is shown again (never the password).
#[derive(Debug, Clone)]
pub struct LoginRejected {
    pub email: String,
    pub next: String,
    pub error: AppError,
}

/// A right password for an account with a second step: the code form, carrying the
/// pending sign-in's token (and what was wrong with the last code).
#[derive(Debug, Clone)]
pub struct CodeNeeded {
    pub token: String,
    pub next: String,
    pub error: Option<AppError>,
}

#[component]
pub fn LoginPage() -> impl IntoView {
    if let Some(step) = use_context::<CodeNeeded>() {
        return view! { <CodeStep step /> }.into_any();
    }
    let rejected = use_context::<LoginRejected>();
    let next = safe_next(rejected.as_ref().map(|r| r.next.as_str()).or(query("next").as_deref()));
    let signed_out = query("signed_out").is_some();
    let email = rejected.as_ref().map(|r| r.email.clone()).unwrap_or_default();
    let error = rejected.map(|r| {
        r.error
            .field("password")
            .or_else(|| r.error.field("expired"))
            .map_or_else(|| r.error.to_string(), str::to_owned)
    });
    crate::http::guards::never_stored();
    view! {
        <PageTitle text="Staff sign-in" />
        <leptos_meta::Meta name="robots" content="noindex, nofollow" />
        <div class="wrap narrow">
            <h1 class="page-title">"Staff sign-in"</h1>
            {signed_out.then(|| view! { <p class="notice notice-success" role="status">"You have signed out."</p> })}
            {error.clone().map(|e| view! { <p class="notice notice-error" role="alert">{e}</p> })}
            <form class="stacked" method="post" action="/staff/login">
                <input type="hidden" name="next" value=next />
                <TextField name="email" label="Email" input_type="email" value=email required=true />
                <div class="field">
                    <label for="field-password">"Password"</label>
                    <input id="field-password" name="password" type="password" autocomplete="current-password" required
                        aria-invalid=error.as_ref().map(|_| "true") />
                </div>
                <button type="submit">"Sign in"</button>
            </form>
        </div>
    }
    .into_any()
}

#[component]
fn CodeStep(step: CodeNeeded) -> impl IntoView {
    crate::http::guards::never_stored();
    let error = step.error.map(|e| e.field("code").map_or_else(|| e.to_string(), str::to_owned));
    view! {
        <PageTitle text="Staff sign-in" />
        <leptos_meta::Meta name="robots" content="noindex, nofollow" />
        <div class="wrap narrow">
            <h1 class="page-title">"Staff sign-in"</h1>
            <form class="stacked" method="post" action="/staff/login/code">
                <input type="hidden" name="token" value=step.token />
                <input type="hidden" name="next" value=safe_next(Some(&step.next)) />
                <div class="field" class:field-invalid=error.is_some()>
                    <label for="field-code">"Code from your authenticator app"</label>
                    <p class="field-hint" id="field-code-hint">"Six digits, or one of your recovery codes."</p>
                    <input id="field-code" name="code" type="text" inputmode="text" autocomplete="one-time-code" required
                        autofocus aria-describedby="field-code-hint field-code-error"
                        aria-invalid=error.as_ref().map(|_| "true") />
                    <p class="field-error" id="field-code-error" role="alert">{error.clone()}</p>
                </div>
                <button type="submit">"Continue"</button>
            </form>
        </div>
    }
}
