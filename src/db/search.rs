//! (ssr) Full-text search over articles: SQLite's FTS5 table `article_search` or
//! PostgreSQL's `article_search.doc` tsvector (both kept by triggers, migration 16), behind
//! one function per use.

use super::{Kind, Pool, query_as, query_scalar};
use crate::domain::article::ArticleSummary;
use crate::domain::desk::{DeskArticle, Filter};
use crate::domain::search::SearchQuery;

/// A published article that matched, with the text its snippet is cut from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Found {
    #[sqlx(flatten)]
    pub summary: ArticleSummary,
    pub body_md: String,
}

/// Matches ranked at most: the most recent this many (by id, the order stories were
/// written in). A word in most of the archive would otherwise be ranked in every story that
/// has it (360 ms for a word in 100,000 stories, against 1 ms for a name); readers page
/// through 50 pages of 10 at most.
pub const RANKED: u32 = 1_000;

/// Published articles matching every word, best first (a match in the headline counts
/// most, then standfirst and topics, then the body; ties newest first) among the latest
/// [`RANKED`] matches, `limit` from `offset`.
pub async fn published(pool: &Pool, search: &SearchQuery, limit: u32, offset: u64) -> Result<Vec<Found>, sqlx::Error> {
    let expression = expression(pool, search, false);
    // The oldest match still ranked: found along the index's id order, cheaply.
    let oldest = match pool.kind() {
        Kind::Sqlite => {
            "SELECT rowid FROM article_search WHERE article_search MATCH $1 ORDER BY rowid DESC LIMIT 1 OFFSET $2"
        }
        Kind::Postgres => {
            "SELECT article_id FROM article_search WHERE doc @@ to_tsquery('english', unaccent($1))
             ORDER BY article_id DESC LIMIT 1 OFFSET $2"
        }
    };
    let oldest: Option<i64> =
        query_scalar(oldest).bind(expression.as_str()).bind(i64::from(RANKED) - 1).fetch_optional(pool).await?;
    let statement = match pool.kind() {
        Kind::Sqlite => {
            "SELECT a.slug, a.title, a.dek, a.byline, a.published_at, a.comment_count, a.body_md
             FROM article_search s JOIN articles a ON a.id = s.rowid
             WHERE article_search MATCH $1 AND s.rowid >= $4 AND a.status = 'published'
             ORDER BY bm25(article_search, 10.0, 4.0, 1.0, 4.0), a.published_at DESC, a.id DESC
             LIMIT $2 OFFSET $3"
        }
        Kind::Postgres => {
            "SELECT a.slug, a.title, a.dek, a.byline, a.published_at, a.comment_count, a.body_md
             FROM article_search s JOIN articles a ON a.id = s.article_id,
                  to_tsquery('english', unaccent($1)) q
             WHERE s.doc @@ q AND s.article_id >= $4 AND a.status = 'published'
             ORDER BY ts_rank(s.doc, q) DESC, a.published_at DESC, a.id DESC
             LIMIT $2 OFFSET $3"
        }
    };
    query_as(statement)
        .bind(expression)
        .bind(i64::from(limit))
        .bind(offset as i64)
        .bind(oldest.unwrap_or(0))
        .fetch_all(pool)
        .await
}

/// The staff desk's list narrowed to articles of any status matching the words (the last
/// as a prefix: staff type the start of a headline), most recently changed first; one row
/// more than `limit` tells that another page follows.
pub async fn desk(
    pool: &Pool,
    filter: Filter,
    search: &SearchQuery,
    limit: u32,
    offset: u64,
) -> Result<Vec<DeskArticle>, sqlx::Error> {
    let statement = match pool.kind() {
        Kind::Sqlite => {
            "SELECT slug, title, byline, status, ever_published, published_at, updated_at, revision, scheduled_at FROM articles
             WHERE ($1 IS NULL OR status = $1) AND id IN (SELECT rowid FROM article_search WHERE article_search MATCH $2)
             ORDER BY COALESCE(updated_at, published_at) DESC, id DESC LIMIT $3 OFFSET $4"
        }
        Kind::Postgres => {
            "SELECT slug, title, byline, status, ever_published, published_at, updated_at, revision, scheduled_at FROM articles
             WHERE ($1::TEXT IS NULL OR status = $1)
               AND id IN (SELECT article_id FROM article_search WHERE doc @@ to_tsquery('english', unaccent($2)))
             ORDER BY COALESCE(updated_at, published_at) DESC, id DESC LIMIT $3 OFFSET $4"
        }
    };
    query_as(statement)
        .bind(filter.status())
        .bind(expression(pool, search, true))
        .bind(i64::from(limit) + 1)
        .bind(offset as i64)
        .fetch_all(pool)
        .await
}

fn expression(pool: &Pool, search: &SearchQuery, prefix: bool) -> String {
    match pool.kind() {
        Kind::Sqlite => search.fts5(prefix),
        Kind::Postgres => search.tsquery(prefix),
    }
}
