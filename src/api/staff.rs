use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;

use crate::domain::comment::QueueCounts;
use crate::error::AppError;

/// How many comments each moderation queue holds; the queue page polls it. Moderators only.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "staff/queue-counts")]
pub async fn comment_queue_counts() -> Result<QueueCounts, AppError> {
    let caller = crate::api::caller().await?;
    let result = async {
        crate::auth::require(&caller.state, &caller.headers, crate::domain::staff::Role::Moderator).await?;
        Ok(crate::db::comments::queue_counts(&caller.state.pool).await?)
    }
    .await;
    if let Err(error) = &result {
        crate::api::set_status(error);
    }
    result
}

/// The editor's live preview: the article body as the published page would render it
/// (raw HTML shown as text, unsafe links dropped). Editors only.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "staff/preview")]
pub async fn preview_article(body: String) -> Result<String, AppError> {
    let caller = crate::api::caller().await?;
    let result = async {
        crate::auth::require(&caller.state, &caller.headers, crate::domain::staff::Role::Editor).await?;
        if body.chars().count() > crate::content::article_form::MAX_BODY_CHARS {
            return Err(AppError::invalid("body", "The text is too long to preview."));
        }
        Ok(crate::content::markdown::render_html(&crate::domain::text::normalise_newlines(&body)))
    }
    .await;
    if let Err(error) = &result {
        crate::api::set_status(error);
    }
    result
}
