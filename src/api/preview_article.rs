//! The editor's live preview.

use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;

use crate::error::AppError;

/// The editor's live preview: the article body as the published page would render it
/// (raw HTML shown as text, unsafe links dropped). Editors only.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "staff/preview")]
pub async fn preview_article(body: String) -> Result<String, AppError> {
    use crate::domain::staff::Role;
    use crate::http::server_fn::{answer, caller};
    use crate::services::{editing, staff};

    let caller = caller()?;
    answer(
        async {
            staff::require(&caller.state.pool, caller.visitor.staff_session.as_ref(), Role::Editor).await?;
            editing::preview(&body)
        }
        .await,
    )
}
