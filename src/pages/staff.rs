//! (ssr) The staff desk. Every page checks the session and role on the server before it
//! loads anything; every action handler does the same and refuses cross-site requests.

/// `/staff/articles`: the list, and creating, saving and publishing articles.
pub mod articles;
/// `/staff/comments/bans`: banned authors, and lifting bans.
pub mod bans;
/// `/staff/comments`: moderation queues and actions.
pub mod comments;
/// `/staff/corrections`: readers' suggestions, applied or dismissed.
pub mod corrections;
/// `/staff`: the desk's front page.
pub mod desk;
/// The article editor with its live preview.
pub mod editor;
/// `/staff/login` and signing out.
pub mod login;
/// An article's revision history.
pub mod revisions;
/// `/staff/settings`: moderation mode, word lists, per-article comments (admins).
pub mod settings;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;

use crate::auth;
use crate::domain::staff::{Role, StaffMember};
use crate::error::AppError;
use crate::state::AppState;

/// For a staff page: the signed-in member if their role allows `role`. Nobody signed in is
/// redirected to sign-in (coming back here afterwards); a wrong role gets 403.
pub async fn page_guard(role: Role) -> Result<(AppState, StaffMember), AppError> {
    let state = expect_context::<AppState>();
    let parts = use_context::<axum::http::request::Parts>();
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        // Staff pages hold private data: never cached, never framed.
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let headers = parts.as_ref().map(|p| p.headers.clone()).unwrap_or_default();
    match auth::require(&state, &headers, role).await {
        Err(AppError::Unauthorized) => {
            let here = parts.as_ref().and_then(|p| p.uri.path_and_query()).map_or("/staff", |pq| pq.as_str());
            leptos_axum::redirect(&format!("/staff/login?next={}", percent_encode(here)));
            // `redirect` sets 302 only for clients that ask for HTML; a page answers so always.
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(StatusCode::FOUND);
            }
            Err(AppError::Unauthorized)
        }
        other => other.map(|staff| (state, staff)),
    }
}

/// For a staff action: a same-origin request from a signed-in member whose role allows
/// `role`, or the response that refuses it (403 cross-site, 401 nobody, 403 wrong role).
pub async fn action_guard(state: &AppState, headers: &HeaderMap, role: Role) -> Result<StaffMember, Response> {
    if !auth::same_origin(headers, &state.config.public_url) {
        return Err((StatusCode::FORBIDDEN, "Cross-site requests are not accepted.").into_response());
    }
    auth::require(state, headers, role).await.map_err(IntoResponse::into_response)
}

/// Where to go after signing in: only a path on the desk itself, so a crafted link cannot
/// send staff elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/staff") && !n.contains("//") && !n.contains('\\') && !n.starts_with("/staff/login") =>
        {
            n.to_owned()
        }
        _ => "/staff".to_owned(),
    }
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The desk's frame: navigation by role, who is signed in, and signing out.
#[component]
pub fn StaffFrame(staff: StaffMember, #[prop(into)] current: String, children: Children) -> impl IntoView {
    let link = |href: &'static str, label: &'static str, needs: Role| {
        let current = (current == href).then_some("page");
        staff.role.allows(needs).then(|| view! { <li><a href=href aria-current=current>{label}</a></li> })
    };
    view! {
        <leptos_meta::Meta name="robots" content="noindex, nofollow" />
        <div class="staff wrap">
            <nav class="staff-nav" aria-label="Staff desk">
                <ul>
                    {link("/staff", "Desk", Role::Moderator)}
                    {link("/staff/comments", "Comments", Role::Moderator)}
                    {link("/staff/corrections", "Corrections", Role::Editor)}
                    {link("/staff/articles", "Articles", Role::Editor)}
                    {link("/staff/audit", "Audit", Role::Editor)}
                    {link("/staff/settings", "Settings", Role::Admin)}
                </ul>
                <form method="post" action="/staff/logout" class="staff-signout">
                    <span>{format!("{} ({})", staff.name, staff.role.as_str())}</span>
                    <button type="submit" class="button-quiet">"Sign out"</button>
                </form>
            </nav>
            {children()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_desk_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/staff/comments?queue=reported")), "/staff/comments?queue=reported");
        for bad in ["https://evil.example", "//evil.example", "/staff//evil", "/\\evil", "/articles/x", "/staff/login"]
        {
            assert_eq!(safe_next(Some(bad)), "/staff", "{bad}");
        }
        assert_eq!(safe_next(None), "/staff");
        assert_eq!(percent_encode("/staff/comments?queue=all&x=1"), "/staff/comments%3Fqueue%3Dall%26x%3D1");
    }
}
