use leptos::prelude::*;

use crate::domain::comment::QueueCounts;
use crate::error::AppError;

/// How many comments each moderation queue holds; the queue page polls it. Moderators only.
#[server(prefix = "/api", endpoint = "staff/queue-counts")]
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
