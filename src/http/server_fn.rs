//! (ssr) What a server function needs from its request and response: the app state and
//! the `Visitor`, the status of an error, and the reader's new cookie.

use leptos::prelude::*;

use crate::domain::tokens::ReaderToken;
use crate::error::AppError;
use crate::http::guards::same_origin;
use crate::http::{Visitor, cookies};
use crate::state::AppState;

/// Who is calling a server function.
pub struct Caller {
    pub state: AppState,
    pub visitor: Visitor,
}

/// The caller of a server function, when the call comes from this site's own pages (the
/// same rule as for form posts: `guards::same_origin`).
pub fn caller() -> Result<Caller, AppError> {
    let state = expect_context::<AppState>();
    let visitor = Visitor::of_render()?;
    let headers = use_context::<axum::http::request::Parts>().map(|parts| parts.headers).unwrap_or_default();
    if !same_origin(&headers, &state.config.public_url, visitor.staff_session.is_some()) {
        return answer(Err(AppError::CrossSite));
    }
    Ok(Caller { state, visitor })
}

/// Gives the call's response the status that matches its outcome.
pub fn answer<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result
        && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
    {
        response.set_status(error.status());
    }
    result
}

/// Sets the reader's cookie on the call's response.
pub fn set_reader_cookie(token: &ReaderToken, secure: bool) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(axum::http::header::SET_COOKIE, cookies::set_reader(token, secure));
    }
}
