//! (ssr) The checks in front of staff actions and pages, as extractors: a same-origin
//! request, a live session, a role that allows the action. The answers that refuse (403
//! cross-site, 401 nobody signed in, 403 the wrong role, a redirect to sign-in for pages)
//! are made here and nowhere else.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::domain::staff::{Role, StaffMember};
use crate::domain::text::percent_encode;
use crate::error::AppError;
use crate::http::Visitor;
use crate::services;
use crate::state::AppState;

/// A role an action needs, as a type (`RequireStaff<Editor>`).
pub trait Needs: Send + Sync {
    const ROLE: Role;
}

/// Moderators, editors and admins.
pub struct Moderator;
/// Editors and admins.
pub struct Editor;
/// Admins only.
pub struct Admin;

impl Needs for Moderator {
    const ROLE: Role = Role::Moderator;
}
impl Needs for Editor {
    const ROLE: Role = Role::Editor;
}
impl Needs for Admin {
    const ROLE: Role = Role::Admin;
}

/// The staff member a layer in front already found behind the request's session.
#[derive(Debug, Clone)]
pub struct SignedIn(pub StaffMember);

/// A same-origin request from a signed-in staff member whose role allows `R`.
pub struct RequireStaff<R: Needs>(pub StaffMember, pub PhantomData<R>);

impl<R: Needs> FromRequestParts<AppState> for RequireStaff<R> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        SameOrigin::from_request_parts(parts, state).await?;
        let known = parts.extensions.get::<SignedIn>().map(|SignedIn(staff)| staff.clone());
        let staff = match known {
            Some(staff) if staff.role.allows(R::ROLE) => staff,
            _ => {
                let visitor = Visitor::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
                services::staff::require(&state.pool, visitor.staff_session.as_ref(), R::ROLE)
                    .await
                    .map_err(IntoResponse::into_response)?
            }
        };
        // Until a required second step is set up, only the member's own account page works.
        if !parts.uri.path().starts_with(ACCOUNT_PAGE)
            && services::staff::must_set_up_second_factor(&state.pool, &staff)
                .await
                .map_err(IntoResponse::into_response)?
        {
            return Err(AppError::Forbidden.into_response());
        }
        Ok(Self(staff, PhantomData))
    }
}

/// Where a member sets up the second sign-in step (and the one page open to them until
/// they do, when the site requires it).
const ACCOUNT_PAGE: &str = "/staff/account";

/// A request from this site's own pages (or from no browser at all).
pub struct SameOrigin;

impl FromRequestParts<AppState> for SameOrigin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let ambient = parts.extensions.get::<Visitor>().is_some_and(|v| v.staff_session.is_some());
        if same_origin(&parts.headers, &state.config.public_url, ambient) {
            Ok(Self)
        } else {
            Err(AppError::CrossSite.into_response())
        }
    }
}

/// Whether a request that changes something comes from this site's own pages. Browsers say
/// so in `Sec-Fetch-Site` and `Origin`. A request with neither comes from no current browser:
/// without a staff session (`ambient`) it has nothing to abuse and passes; with one it must
/// name the site in `Referer`, so an old browser cannot be made to act as a staff member.
pub fn same_origin(headers: &HeaderMap, public_url: &str, ambient: bool) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let is_site = |origin: &str| {
        origin == public_url.trim_end_matches('/')
            || origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
    };
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return is_site(origin);
    }
    if !ambient {
        return true;
    }
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let origin_of = |url: &str| {
        let (scheme, rest) = url.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next()?;
        Some(format!("{scheme}://{authority}"))
    };
    origin_of(referer).is_some_and(|origin| is_site(&origin))
}

/// For a staff page while it renders: the signed-in member if their role allows `role`.
/// Nobody signed in is redirected to sign-in (coming back here afterwards); a wrong role
/// gets 403. Staff pages are never stored by caches.
pub async fn staff_page(role: Role) -> Result<(AppState, StaffMember), AppError> {
    use leptos::prelude::{expect_context, use_context};
    let state = expect_context::<AppState>();
    never_stored();
    let response = use_context::<leptos_axum::ResponseOptions>();
    let visitor = Visitor::of_render()?;
    match services::staff::require(&state.pool, visitor.staff_session.as_ref(), role).await {
        Err(AppError::Unauthorized) => {
            let parts = use_context::<Parts>();
            let here = parts.as_ref().and_then(|p| p.uri.path_and_query()).map_or("/staff", |pq| pq.as_str());
            leptos_axum::redirect(&format!("/staff/login?next={}", percent_encode(here)));
            // `redirect` sets 302 only for clients that ask for HTML; a page answers so always.
            if let Some(response) = &response {
                response.set_status(StatusCode::FOUND);
            }
            Err(AppError::Unauthorized)
        }
        Ok(staff) => {
            let here = use_context::<Parts>().map(|p| p.uri.path().to_owned()).unwrap_or_default();
            if !here.starts_with(ACCOUNT_PAGE)
                && services::staff::must_set_up_second_factor(&state.pool, &staff).await?
            {
                leptos_axum::redirect(&format!("{ACCOUNT_PAGE}?setup=required#two-step"));
                if let Some(response) = &response {
                    response.set_status(StatusCode::FOUND);
                }
                return Err(AppError::Unauthorized);
            }
            Ok((state, staff))
        }
        Err(error) => Err(error),
    }
}

/// For a staff page while it renders: the session it was asked with.
pub fn staff_session_of_render() -> Option<crate::domain::tokens::SessionId> {
    Visitor::of_render().ok().and_then(|visitor| visitor.staff_session)
}

/// For a page that holds private data (the staff desk, the sign-in form): no cache keeps it.
pub fn never_stored() {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        let site = "https://news.example";
        for ambient in [false, true] {
            assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")]), site, ambient));
            assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")]), site, ambient));
            assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")]), site, ambient));
            assert!(same_origin(&headers(&[("origin", "https://news.example")]), site, ambient));
            let local = [("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")];
            assert!(same_origin(&headers(&local), site, ambient));
            let evil = [("origin", "https://evil.example"), ("host", "news.example")];
            assert!(!same_origin(&headers(&evil), site, ambient));
            assert!(!same_origin(&headers(&[("origin", "null")]), site, ambient));
        }
        assert!(same_origin(&headers(&[]), site, false), "no browser and no session: nothing to abuse");
        assert!(!same_origin(&headers(&[]), site, true), "a staff session needs the site named");
        assert!(same_origin(&headers(&[("referer", "https://news.example/staff/comments")]), site, true));
        assert!(!same_origin(&headers(&[("referer", "https://news.example.evil.test/x")]), site, true));
        assert!(!same_origin(&headers(&[("referer", "https://evil.example/?https://news.example")]), site, true));
    }

    #[test]
    fn the_sign_in_return_path_is_percent_encoded() {
        assert_eq!(percent_encode("/staff/comments?queue=all&x=1"), "/staff/comments%3Fqueue%3Dall%26x%3D1");
    }
}
