//! (ssr) The moderation queues: reports, counts, pages, and moderators' decisions.

use crate::db::{Pool, now, query, query_as, query_scalar};
use crate::domain::comment::{Queue, QueueCounts, ReportReason, Status};
use crate::domain::desk::QueueItem;

/// Records a reader's report; a second report by the same reader on the same comment
/// changes nothing. Returns whether this one was new.
pub async fn add_report(
    pool: &Pool,
    comment_id: i64,
    reason: ReportReason,
    note: Option<&str>,
    client_hash: &str,
) -> Result<bool, sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        let inserted = query(
            "INSERT INTO comment_reports (comment_id, reason, note, client_hash, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (comment_id, client_hash) DO NOTHING",
        )
        .bind(comment_id)
        .bind(reason.as_str())
        .bind(note)
        .bind(client_hash)
        .bind(now())
        .execute(&mut tx)
        .await?
            > 0;
        if inserted {
            query("UPDATE comments SET report_count = report_count + 1 WHERE id = $1")
                .bind(comment_id)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(inserted)
    })
    .await
}

/// Marks a comment featured or not (the staff desk's action; the demo uses it too).
pub async fn set_featured(pool: &Pool, comment_id: i64, featured: bool) -> Result<(), sqlx::Error> {
    query("UPDATE comments SET featured = $1 WHERE id = $2").bind(featured).bind(comment_id).execute(pool).await?;
    Ok(())
}

pub async fn queue_counts(pool: &Pool) -> Result<QueueCounts, sqlx::Error> {
    let (pending, approved, rejected, reported, suggestions, arrivals): (i64, i64, i64, i64, i64, i64) =
        query_as(QUEUE_COUNTS).fetch_one(pool).await?;
    let all = pending + approved + rejected;
    Ok(QueueCounts { pending, reported, approved, rejected, all, suggestions, arrivals })
}

/// The queue sizes from the counts the triggers keep (migration `comment_counts`), the
/// Reported queue from its partial index, the open correction suggestions from the desk's
/// index, and an "arrivals" figure that grows with every new comment, report and
/// suggestion: the newest ids of each.
const QUEUE_COUNTS: &str = "SELECT
        (SELECT n FROM comment_counts WHERE status = 'pending'),
        (SELECT n FROM comment_counts WHERE status = 'published'),
        (SELECT n FROM comment_counts WHERE status = 'rejected'),
        (SELECT COUNT(*) FROM comments WHERE report_count > reviewed_reports AND status <> 'rejected'),
        (SELECT COUNT(*) FROM correction_groups WHERE status = 'open'),
        COALESCE((SELECT MAX(id) FROM comments), 0) + COALESCE((SELECT MAX(id) FROM comment_reports), 0)
            + COALESCE((SELECT MAX(id) FROM correction_reports), 0)";

// Two statements per queue (its comments, then their reports); the condition is spliced in
// at compile time. Pending comments are read oldest first (fair to those waiting longest),
// the others newest first.
macro_rules! queue_sql {
    ($condition:literal, $order:literal) => {
        (
            concat!(
                "SELECT c.id, a.slug AS article_slug, a.title AS article_title, p.author_name AS parent_author,
                        p.body AS parent_body, c.author_name, c.email, c.body, c.status, c.held_for, c.held_detail,
                        c.featured, c.report_count, c.rejection_reason, c.staff_id IS NOT NULL AS is_staff, c.created_at
                 FROM comments c JOIN articles a ON a.id = c.article_id LEFT JOIN comments p ON p.id = c.parent_id
                 WHERE ",
                $condition,
                " ORDER BY c.created_at ",
                $order,
                ", c.id ",
                $order,
                " LIMIT $1 OFFSET $2"
            ),
            concat!(
                "SELECT r.comment_id, r.reason, r.note FROM comment_reports r
                 WHERE r.comment_id IN (SELECT c.id FROM comments c WHERE ",
                $condition,
                " ORDER BY c.created_at ",
                $order,
                ", c.id ",
                $order,
                " LIMIT $1 OFFSET $2) ORDER BY r.id"
            ),
        )
    };
}

/// Up to `limit` comments of a queue after the first `offset`, with every report's reason
/// and note.
pub async fn queue(pool: &Pool, queue: Queue, limit: u32, offset: u64) -> Result<Vec<QueueItem>, sqlx::Error> {
    let (items_sql, reports_sql) = match queue {
        Queue::Pending => queue_sql!("c.status = 'pending'", "ASC"),
        Queue::Reported => queue_sql!("c.report_count > c.reviewed_reports AND c.status <> 'rejected'", "DESC"),
        Queue::Approved => queue_sql!("c.status = 'published'", "DESC"),
        Queue::Rejected => queue_sql!("c.status = 'rejected'", "DESC"),
        Queue::All => queue_sql!("1 = 1", "DESC"),
    };
    let (limit, offset) = (i64::from(limit), offset as i64);
    let mut items: Vec<QueueItem> = query_as(items_sql).bind(limit).bind(offset).fetch_all(pool).await?;
    let reports: Vec<(i64, String, Option<String>)> =
        query_as(reports_sql).bind(limit).bind(offset).fetch_all(pool).await?;
    for item in &mut items {
        item.reports =
            reports.iter().filter(|(c, _, _)| *c == item.id).map(|(_, r, n)| (r.clone(), n.clone())).collect();
    }
    Ok(items)
}

/// One comment as moderators see it, with its reports.
pub async fn queue_item(pool: &Pool, id: i64) -> Result<Option<QueueItem>, sqlx::Error> {
    let (item_sql, reports_sql) = queue_sql!("c.id = $3", "ASC");
    let item: Option<QueueItem> = query_as(item_sql).bind(1_i64).bind(0_i64).bind(id).fetch_optional(pool).await?;
    let Some(mut item) = item else { return Ok(None) };
    let reports: Vec<(i64, String, Option<String>)> =
        query_as(reports_sql).bind(1_i64).bind(0_i64).bind(id).fetch_all(pool).await?;
    item.reports = reports.into_iter().map(|(_, r, n)| (r, n)).collect();
    Ok(Some(item))
}

/// Publishes or rejects comments; their reports count as seen. Returns how many changed.
pub async fn moderate(pool: &Pool, ids: &[i64], publish: bool, reason: Option<&str>) -> Result<u64, sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        let mut changed = 0;
        for id in ids {
            let before: Option<String> =
                query_scalar("SELECT status FROM comments WHERE id = $1").bind(id).fetch_optional(&mut tx).await?;
            changed += query(
                "UPDATE comments SET status = $1, rejection_reason = $2, moderated_at = $3, reviewed_reports = report_count
                 WHERE id = $4",
            )
            .bind(if publish { Status::Published } else { Status::Rejected }.as_str())
            .bind(if publish { None } else { reason })
            .bind(now())
            .bind(id)
            .execute(&mut tx)
            .await?;
            // A reply published now for the first time is news for the comment it answers.
            if publish && before.is_some_and(|s| s != Status::Published.as_str()) {
                crate::db::outbox::reply_published(&mut tx, *id).await?;
            }
        }
        tx.commit().await?;
        Ok(changed)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn queue_counts_read_no_comment_table_scan() {
        let plan = crate::db::query_plan(QUEUE_COUNTS, 0).await;
        assert!(plan.contains("SCAN comments USING INDEX comments_unreviewed_idx"), "{plan}");
        assert!(!plan.lines().any(|step| step.starts_with("SCAN comments") && !step.contains("INDEX")), "{plan}");
    }
}
