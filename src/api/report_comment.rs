//! Reporting a comment.

use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;

use crate::domain::comment::ReportForm;
use crate::error::AppError;

/// Records a reader's report on a comment. `Ok(false)`: this reader had already reported it.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "comments/report")]
pub async fn report_comment(slug: String, comment: i64, form: ReportForm) -> Result<bool, AppError> {
    use crate::http::server_fn::{answer, caller};

    let caller = caller()?;
    let state = &caller.state;
    answer(
        crate::services::comments::report(&state.pool, &state.limiter, &slug, comment, &form, caller.visitor.client())
            .await,
    )
}
