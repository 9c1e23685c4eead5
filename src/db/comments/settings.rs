//! (ssr) How new comments are handled: the site's moderation mode and each article's override and
//! open or closed state.

use crate::db::{Pool, query, query_as, query_scalar};
use crate::domain::comment::Moderation;
use crate::domain::desk::ArticleCommentSettings;

/// What decides how a new comment on an article is handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleComments {
    pub article_id: i64,
    pub mode: Moderation,
    /// The article's own mode, if it does not follow the site's.
    pub override_mode: Option<Moderation>,
    pub closed: bool,
    pub title: String,
}

/// A published article's comment settings, with the site's mode where it has no override.
pub async fn article_settings(pool: &Pool, slug: &str) -> Result<Option<ArticleComments>, sqlx::Error> {
    let row: Option<(i64, String, Option<String>, bool, String)> = query_as(
        "SELECT a.id,
                COALESCE(a.comment_moderation, (SELECT value FROM site_settings WHERE key = 'moderation_mode'), 'pre'),
                a.comment_moderation, a.comments_closed, a.title
         FROM articles a WHERE a.slug = $1 AND a.status = 'published'",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(article_id, mode, override_mode, closed, title)| ArticleComments {
        article_id,
        mode: Moderation::parse(&mode).unwrap_or(Moderation::Pre),
        override_mode: override_mode.as_deref().and_then(Moderation::parse),
        closed,
        title,
    }))
}

pub async fn site_moderation(pool: &Pool) -> Result<Moderation, sqlx::Error> {
    let mode: Option<String> =
        query_scalar("SELECT value FROM site_settings WHERE key = 'moderation_mode'").fetch_optional(pool).await?;
    Ok(mode.as_deref().and_then(Moderation::parse).unwrap_or(Moderation::Pre))
}

pub async fn set_site_moderation(pool: &Pool, mode: Moderation) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO site_settings (key, value) VALUES ('moderation_mode', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(mode.as_str())
    .execute(pool)
    .await?;
    Ok(())
}

/// Sets an article's moderation override (`None`: follow the site) and whether its comments
/// are closed. Returns false when no article has that slug.
pub async fn set_article_comments(
    pool: &Pool,
    slug: &str,
    mode: Option<Moderation>,
    closed: bool,
) -> Result<bool, sqlx::Error> {
    let done = query("UPDATE articles SET comment_moderation = $1, comments_closed = $2 WHERE slug = $3")
        .bind(mode.map(Moderation::as_str))
        .bind(closed)
        .bind(slug)
        .execute(pool)
        .await?;
    Ok(done > 0)
}

/// The newest articles with their comment settings.
pub async fn article_comment_settings(pool: &Pool, limit: u32) -> Result<Vec<ArticleCommentSettings>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>, bool)> = query_as(
        "SELECT slug, title, comment_moderation, comments_closed FROM articles
         ORDER BY published_at DESC, id DESC LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, title, mode, closed)| ArticleCommentSettings {
            slug,
            title,
            mode: mode.as_deref().and_then(Moderation::parse),
            closed,
        })
        .collect())
}
