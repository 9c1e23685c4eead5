//! The moderation queue's live counts.

use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;

use crate::domain::comment::QueueCounts;
use crate::error::AppError;

/// How many comments each moderation queue holds; the queue page polls it. Moderators only.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "staff/queue-counts")]
pub async fn comment_queue_counts() -> Result<QueueCounts, AppError> {
    use crate::domain::staff::Role;
    use crate::http::server_fn::{answer, caller};
    use crate::services::{desk, staff};

    let caller = caller()?;
    let pool = &caller.state.pool;
    answer(
        async {
            staff::require(pool, caller.visitor.staff_session.as_ref(), Role::Moderator).await?;
            desk::queue_counts(pool).await
        }
        .await,
    )
}
