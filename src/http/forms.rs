//! (ssr) The no-JavaScript form posts. Each handler reads its form and the `Visitor`, calls
//! one service, and answers `Result<Redirect, FormError>`: a redirect to where the outcome
//! shows, or the page shown again with what was sent and what is wrong.

/// Every member: their own password and sessions.
pub mod account;
/// Staff: creating, saving, publishing articles.
pub mod articles;
/// Author profiles.
pub mod authors;
/// Readers: posting and reporting comments.
pub mod comments;
/// The copy check: ignored problems, the house dictionary, the site's language.
pub mod copy_check;
/// Readers: the plain correction form.
pub mod correction;
/// Staff: decisions on readers' suggestions.
pub mod corrections;
/// Staff: signing in and out.
pub mod login;
/// Readers: the signed links in mail (unsubscribe, confirm).
pub mod mail;
/// Editors: the photo library and lead images.
pub mod media;
/// Staff: moderation actions and lifting bans.
pub mod moderation;
/// Admins: moderation settings and word lists.
pub mod settings;
/// Admins: the team's members and roles.
pub mod team;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Response};
use leptos::prelude::*;

use crate::error::AppError;
use crate::http::Visitor;
use crate::state::AppState;

/// A form post that was not carried out.
pub enum FormError {
    /// Refused outright: the error's status and message.
    Refused(AppError),
    /// The page shown again, with the form as it was sent and what is wrong.
    ShownAgain(Response),
}

impl From<AppError> for FormError {
    fn from(error: AppError) -> Self {
        Self::Refused(error)
    }
}

impl IntoResponse for FormError {
    fn into_response(self) -> Response {
        match self {
            Self::Refused(error) => error.into_response(),
            Self::ShownAgain(response) => response,
        }
    }
}

/// A `Set-Cookie` to send with a redirect, or none.
pub type MaybeCookie = AppendHeaders<Option<(HeaderName, HeaderValue)>>;

pub fn with_cookie(cookie: Option<HeaderValue>) -> MaybeCookie {
    AppendHeaders(cookie.map(|value| (header::SET_COOKIE, value)))
}

/// Renders the page at `path` again, as `visitor` sees it, with `context` (what was sent
/// and what is wrong) for the page to show, answered with `status`.
pub async fn show_again<C: Clone + Send + Sync + 'static>(
    state: &AppState,
    path: &str,
    visitor: &Visitor,
    status: StatusCode,
    context: C,
) -> FormError {
    let render = leptos_axum::render_app_async_with_context(
        {
            let state = state.clone();
            move || {
                provide_context(state.clone());
                provide_context(context.clone());
            }
        },
        {
            let options = state.leptos_options.clone();
            move || crate::app::shell(options.clone())
        },
    );
    let mut request = Request::get(path).body(Body::empty()).unwrap_or_default();
    // The reader's own pending comments stay visible on the page shown again.
    request.extensions_mut().insert(visitor.clone());
    let mut response = render(request).await.into_response();
    *response.status_mut() = status;
    FormError::ShownAgain(response)
}
