use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

use super::safe_next;
use crate::auth::{self, SessionId};
use crate::components::form::TextField;
use crate::error::AppError;
use crate::pages::{PageTitle, query, render_again};
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
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
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

/// `POST /staff/login`
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    if !auth::same_origin(&headers, &state.config.public_url) {
        return (StatusCode::FORBIDDEN, "Cross-site requests are not accepted.").into_response();
    }
    let client = state.client_hash(addr.ip(), &headers);
    let old = SessionId::from_headers(&headers);
    match auth::sign_in(&state, &form.email, &form.password, &client, old.as_ref()).await {
        Ok((staff, session)) => {
            tracing::info!(staff = staff.id, "staff signed in");
            let mut response = Redirect::to(&safe_next(Some(&form.next))).into_response();
            if let Ok(cookie) = HeaderValue::from_str(&session.cookie(state.config.is_https())) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => {
            let status = match error {
                AppError::Invalid(_) => StatusCode::UNAUTHORIZED,
                ref other => StatusCode::from_u16(other.status_code()).unwrap_or(StatusCode::BAD_REQUEST),
            };
            let rejected = LoginRejected { email: form.email, next: form.next, error };
            render_again(&state, "/staff/login", &headers, status, rejected).await
        }
    }
}

/// `POST /staff/logout`
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !auth::same_origin(&headers, &state.config.public_url) {
        return (StatusCode::FORBIDDEN, "Cross-site requests are not accepted.").into_response();
    }
    if let Some(session) = SessionId::from_headers(&headers) {
        if let Ok(Some(staff)) = auth::current(&state, &headers).await {
            let _ = crate::db::audit::record(
                &state.pool,
                Some(&staff),
                crate::db::audit::Kind::SignIn,
                "signed out",
                &staff.email,
                "",
            )
            .await;
        }
        if let Err(error) = crate::db::staff::end_session(&state.pool, &session.hash()).await {
            return AppError::from(error).into_response();
        }
    }
    let mut response = Redirect::to("/staff/login?signed_out=1").into_response();
    if let Ok(cookie) = HeaderValue::from_str(&SessionId::clear_cookie(state.config.is_https())) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
