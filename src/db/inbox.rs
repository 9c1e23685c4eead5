//! (ssr) The staff inbox: every kind of waiting work in one list.

use super::{Pool, query_as};
use crate::domain::desk::InboxItem;

/// Pending comments, reported comments not yet reviewed, and open correction suggestions,
/// newest story first and within a story the longest waiting first. `suggestions`: whether
/// the reader may see suggestions (editors).
const INBOX: &str = "SELECT * FROM (
        SELECT 'comment' AS kind, c.id, a.id AS article_id, a.title AS article_title, a.slug AS article_slug,
               a.published_at, c.author_name AS who, c.body AS text, '' AS detail, c.created_at AS since
        FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.status = 'pending'
        UNION ALL
        SELECT 'report', c.id, a.id, a.title, a.slug, a.published_at, c.author_name, c.body,
               (SELECT r.reason FROM comment_reports r WHERE r.comment_id = c.id ORDER BY r.id DESC LIMIT 1),
               (SELECT MIN(r.created_at) FROM comment_reports r WHERE r.comment_id = c.id)
        FROM comments c JOIN articles a ON a.id = c.article_id
        WHERE c.report_count > c.reviewed_reports AND c.status <> 'rejected'
        UNION ALL
        SELECT 'suggestion', g.id, a.id, a.title, a.slug, a.published_at, '', g.quote, g.suggested_text, g.created_at
        FROM correction_groups g JOIN articles a ON a.id = g.article_id WHERE g.status = 'open' AND $1
    ) w ORDER BY published_at DESC, article_id DESC, since, id LIMIT $2";

pub async fn items(pool: &Pool, suggestions: bool, limit: u32) -> Result<Vec<InboxItem>, sqlx::Error> {
    query_as(INBOX).bind(suggestions).bind(i64::from(limit)).fetch_all(pool).await
}
