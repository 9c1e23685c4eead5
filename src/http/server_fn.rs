//! (ssr) What a server function needs from its request and response: the app state and
//! the `Visitor`, the status of an error, and the reader's new cookie.

use leptos::prelude::*;

use crate::domain::tokens::ReaderToken;
use crate::error::AppError;
use crate::http::{Visitor, cookies};
use crate::state::AppState;

/// Who is calling a server function.
pub struct Caller {
    pub state: AppState,
    pub visitor: Visitor,
}

pub fn caller() -> Result<Caller, AppError> {
    Ok(Caller { state: expect_context::<AppState>(), visitor: Visitor::of_render()? })
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
