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

#[component]
pub fn LoginPage() -> impl IntoView {
    let rejected = use_context::<LoginRejected>();
    let next = safe_next(rejected.as_ref().map(|r| r.next.as_str()).or(query("next").as_deref()));
    let signed_out = query("signed_out").is_some();
    let email = rejected.as_ref().map(|r| r.email.clone()).unwrap_or_default();
    let error = rejected.map(|r| r.error.field("password").map_or_else(|| r.error.to_string(), str::to_owned));
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
}
