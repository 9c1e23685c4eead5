//! (ssr) `POST /articles/{slug}/correction`: the plain correction form.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Redirect;

use super::{FormError, show_again};
use crate::domain::suggestion::SuggestionForm;
use crate::http::Visitor;
use crate::http::guards::SameOrigin;
use crate::pages::correction::Rejected;
use crate::state::AppState;

/// Stores the suggestion and redirects to the thanks, or shows the form again with what the
/// reader typed and what is wrong.
pub async fn submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    uri: Uri,
    _: SameOrigin,
    visitor: Visitor,
    axum::Form(form): axum::Form<SuggestionForm>,
) -> Result<Redirect, FormError> {
    match crate::services::corrections::submit(&state.pool, &state.limiter, &slug, &form, visitor.client()).await {
        Ok(()) => Ok(Redirect::to(&format!("{}?sent=1", uri.path()))),
        Err(error) => Err(show_again(&state, uri.path(), &visitor, error.status(), Rejected { form, error }).await),
    }
}
