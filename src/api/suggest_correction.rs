//! The correction widget's suggestion.

use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;

use crate::domain::suggestion::SuggestionForm;
use crate::error::AppError;

/// The correction widget's endpoint; the plain form (`http::forms::correction`) uses the
/// same service.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "corrections/suggest")]
pub async fn suggest_correction(slug: String, form: SuggestionForm) -> Result<(), AppError> {
    use crate::http::server_fn::{answer, caller};

    let caller = caller()?;
    let state = &caller.state;
    answer(
        crate::services::corrections::submit(&state.pool, &state.limiter, &slug, &form, caller.visitor.client()).await,
    )
}
