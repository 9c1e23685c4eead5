//! (ssr) Scheduled publication: an editor sets a future time on a draft; every app server
//! runs [`run`], and whichever reaches a due story first publishes it (one statement claims
//! it: `db::editing::publish_due`). Until then it is a draft, on no page, feed, sitemap or
//! search. A story whose time passed while no server ran is published at the next start.

use std::time::Duration;

use time::OffsetDateTime;

use crate::db::{Pool, audit, editing, now};
use crate::domain::dates::{long_date_time, parse_schedule};
use crate::domain::staff::StaffMember;
use crate::error::AppError;

/// The longest the scheduler sleeps: a story scheduled by another server (or the command
/// line) is seen within this; one due sooner is woken for at its time.
const POLL: Duration = Duration::from_secs(1);

/// Sets the time a draft is published at, typed as in the editor's field (UTC).
#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn schedule(pool: &Pool, staff: &StaffMember, slug: &str, raw_at: &str) -> Result<&'static str, AppError> {
    let article = super::editing::editable(pool, slug).await?;
    let at = parse_schedule(raw_at, now()).map_err(|message| AppError::invalid("publish_at", message))?;
    // Only a draft is scheduled (a published story already is live).
    if !editing::schedule(pool, article.id, Some(at)).await? {
        return Ok("already");
    }
    let detail = format!("{} (for {})", article.content.title, long_date_time(at));
    audit::record(pool, Some(staff), audit::Kind::Article, "scheduled", slug, &detail).await?;
    Ok("scheduled")
}

/// Takes a draft off the schedule; it stays a draft.
#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn unschedule(pool: &Pool, staff: &StaffMember, slug: &str) -> Result<&'static str, AppError> {
    let article = super::editing::editable(pool, slug).await?;
    if article.scheduled_at.is_none() || !editing::schedule(pool, article.id, None).await? {
        return Ok("already");
    }
    audit::record(pool, Some(staff), audit::Kind::Article, "schedule cancelled", slug, &article.content.title).await?;
    Ok("unscheduled")
}

/// Publishes what is due now; how many stories that was.
pub async fn publish_due(pool: &Pool) -> Result<usize, AppError> {
    let published = editing::publish_due(pool, now()).await?;
    for (slug, _) in &published {
        tracing::info!(slug = %slug, "scheduled story published");
    }
    Ok(published.len())
}

/// The scheduler, for as long as the server runs: publishes what is due, else sleeps until
/// the next story's time or [`POLL`], whichever is sooner. A failure is logged and tried
/// again at the next turn.
pub async fn run(pool: Pool) {
    loop {
        // A read first: the write transaction (a lock every writer waits for, on SQLite) is
        // taken only when something is due.
        let wait = match editing::next_due(&pool).await {
            Ok(Some(at)) if at <= now() => match publish_due(&pool).await {
                Ok(_) => Duration::ZERO,
                Err(error) => {
                    tracing::warn!(%error, "scheduled publication: could not publish what is due");
                    POLL
                }
            },
            Ok(Some(at)) => until(at, now()).min(POLL),
            Ok(None) => POLL,
            Err(error) => {
                tracing::warn!(%error, "scheduled publication: could not read what is due");
                POLL
            }
        };
        tokio::time::sleep(wait).await;
    }
}

/// How long from `now` to `at` (nothing when it has passed), to the millisecond.
fn until(at: OffsetDateTime, now: OffsetDateTime) -> Duration {
    Duration::from_millis(u64::try_from((at - now).whole_milliseconds()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_scheduler_wakes_at_the_due_time() {
        let now = datetime!(2026-12-01 10:00 UTC);
        assert_eq!(until(datetime!(2026-12-01 10:00:00.250 UTC), now), Duration::from_millis(250));
        assert_eq!(until(datetime!(2026-12-01 09:00 UTC), now), Duration::ZERO);
    }
}
