//! (ssr) Banned authors: banning one (optionally rejecting the rest), the list, lifting.

use crate::db::{Pool, now, query, query_as, query_scalar};
use crate::domain::desk::Ban;

/// Refuses future comments from a comment's author (their email, if given, and their client
/// hash), and optionally rejects everything they wrote. Returns the number rejected, or
/// `None` when there is no such comment.
pub async fn ban_author(
    pool: &Pool,
    comment_id: i64,
    reason: &str,
    staff_id: i64,
    reject_existing: bool,
) -> Result<Option<u64>, sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        let author: Option<(Option<String>, String)> = query_as("SELECT email, client_hash FROM comments WHERE id = $1")
            .bind(comment_id)
            .fetch_optional(&mut tx)
            .await?;
        let Some((email, client_hash)) = author else { return Ok(None) };
        query("INSERT INTO banned_authors (email, client_hash, reason, staff_id, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&email)
            .bind(&client_hash)
            .bind(reason)
            .bind(staff_id)
            .bind(now())
            .execute(&mut tx)
            .await?;
        let mut rejected = 0;
        if reject_existing {
            rejected = query(
                "UPDATE comments SET status = 'rejected', rejection_reason = $1, moderated_at = $2, reviewed_reports = report_count
                 WHERE status <> 'rejected' AND staff_id IS NULL AND (client_hash = $3 OR ($4 IS NOT NULL AND email = $4))",
            )
            .bind(reason)
            .bind(now())
            .bind(&client_hash)
            .bind(&email)
            .execute(&mut tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Some(rejected))
    })
    .await
}

/// Every ban, newest first.
pub async fn bans(pool: &Pool, limit: u32, offset: u64) -> Result<Vec<Ban>, sqlx::Error> {
    query_as(
        "SELECT b.id, b.email, b.client_hash, b.reason, s.name AS staff_name, b.created_at
         FROM banned_authors b LEFT JOIN staff s ON s.id = b.staff_id ORDER BY b.created_at DESC, b.id DESC
         LIMIT $1 OFFSET $2",
    )
    .bind(i64::from(limit))
    .bind(offset as i64)
    .fetch_all(pool)
    .await
}

/// Lifts a ban: that author may comment again (what was rejected stays rejected). Returns
/// the ban's email, or `None` when there was no such ban.
pub async fn lift_ban(pool: &Pool, id: i64) -> Result<Option<Option<String>>, sqlx::Error> {
    query_scalar("DELETE FROM banned_authors WHERE id = $1 RETURNING email").bind(id).fetch_optional(pool).await
}

/// Whether an author is banned, by email or by client hash.
pub async fn is_banned(pool: &Pool, email: Option<&str>, client_hash: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        query_scalar("SELECT id FROM banned_authors WHERE client_hash = $1 OR ($2 IS NOT NULL AND email = $2) LIMIT 1")
            .bind(client_hash)
            .bind(email)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}
