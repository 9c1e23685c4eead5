//! (ssr) Articles, revisions and topics.

use time::OffsetDateTime;

use super::{On, Pool, Tx, now, query, query_as, query_scalar, stored_time};
use crate::content::front_matter::{ArticleDraft, Topic};
use crate::domain::article::{ArticleSummary, TopicRef};
use crate::domain::desk::StoredArticle;

/// What an import did with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created,
    /// Created or updated as a draft to be published at its (future) `published:` time.
    Scheduled,
    Updated,
    Unchanged,
}

/// Creates the article or, when the slug exists, updates it as a new revision, all in one
/// transaction: a failure leaves nothing of this article written.
pub async fn upsert(pool: &Pool, draft: &ArticleDraft) -> Result<Upserted, sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin_write().await?;
        let (outcome, _) = upsert_in(&mut tx, draft, Publication::ByDate).await?;
        tx.commit().await?;
        Ok(outcome)
    })
    .await
}

/// How an imported article is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    /// Published, or scheduled when its date is still to come.
    ByDate,
    /// A draft (a new article; an existing one keeps its state).
    Draft,
}

/// `upsert` within the caller's transaction; also the article's id.
pub(super) async fn upsert_in(
    tx: &mut Tx,
    draft: &ArticleDraft,
    publication: Publication,
) -> Result<(Upserted, i64), sqlx::Error> {
    let existing: Option<StoredArticle> = query_as(
        "SELECT id, slug, title, dek, byline, body_md, published_at, updated_at, revision, lang
         FROM articles WHERE slug = $1",
    )
    .bind(draft.slug.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let published_at = stored_time(draft.published_at);
    // A publication date still to come schedules the story: a draft until then.
    let scheduled = published_at > now() && publication == Publication::ByDate;
    let as_draft = scheduled || publication == Publication::Draft;

    let (article_id, revision, outcome) = match existing {
        None => {
            let id: i64 = query_scalar(
                "INSERT INTO articles (slug, title, dek, byline, body_md, published_at, updated_at, revision, lang,
                                       status, ever_published, scheduled_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $11) RETURNING id",
            )
            .bind(draft.slug.as_str())
            .bind(&draft.title)
            .bind(&draft.dek)
            .bind(&draft.byline)
            .bind(&draft.body_md)
            .bind(published_at)
            .bind(draft.updated_at.map(stored_time))
            .bind(&draft.lang)
            .bind(if as_draft { "draft" } else { "published" })
            .bind(!as_draft)
            .bind(scheduled.then_some(published_at))
            .fetch_one(&mut *tx)
            .await?;
            (id, Some(1), if scheduled { Upserted::Scheduled } else { Upserted::Created })
        }
        Some(old) => {
            let content_changed = old.title != draft.title
                || old.dek != draft.dek
                || old.byline != draft.byline
                || old.body_md != draft.body_md;
            let lang_changed = old.lang != draft.lang;
            let revision = if content_changed { old.revision + 1 } else { old.revision };
            // A changed text without an explicit `updated:` is dated now, so readers see it.
            let updated_at = match draft.updated_at {
                Some(t) => Some(stored_time(t)),
                None if content_changed => Some(now()),
                None => old.updated_at,
            };
            query(
                "UPDATE articles SET title = $1, dek = $2, byline = $3, body_md = $4, published_at = $5,
                 updated_at = $6, revision = $7, lang = $9 WHERE id = $8",
            )
            .bind(&draft.title)
            .bind(&draft.dek)
            .bind(&draft.byline)
            .bind(&draft.body_md)
            .bind(published_at)
            .bind(updated_at)
            .bind(revision)
            .bind(old.id)
            .bind(&draft.lang)
            .execute(&mut *tx)
            .await?;
            let rescheduled = scheduled
                && query(
                    "UPDATE articles SET scheduled_at = $1
                     WHERE id = $2 AND status = 'draft' AND (scheduled_at IS NULL OR scheduled_at <> $1)",
                )
                .bind(published_at)
                .bind(old.id)
                .execute(&mut *tx)
                .await?
                    > 0;
            let outcome = if rescheduled {
                Upserted::Scheduled
            } else if content_changed || lang_changed || old.published_at != published_at {
                Upserted::Updated
            } else {
                Upserted::Unchanged
            };
            (old.id, content_changed.then_some(revision), outcome)
        }
    };

    // A new or changed text is kept as a revision; an unchanged re-import adds none.
    if let Some(revision) = revision {
        query(
            "INSERT INTO article_revisions (article_id, revision, title, dek, byline, body_md, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(article_id)
        .bind(revision)
        .bind(&draft.title)
        .bind(&draft.dek)
        .bind(&draft.byline)
        .bind(&draft.body_md)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }

    write_topics(&mut *tx, article_id, &draft.topics).await?;
    let authors_changed = super::authors::write_authors(&mut *tx, article_id, &draft.authors).await?;
    super::media::write_article_media(&mut *tx, article_id, &crate::content::markdown::media_ids(&draft.body_md))
        .await?;
    let outcome = if authors_changed && outcome == Upserted::Unchanged { Upserted::Updated } else { outcome };
    Ok((outcome, article_id))
}

/// Replaces an article's topics, creating topics not seen before.
pub(super) async fn write_topics(tx: &mut Tx, article_id: i64, topics: &[Topic]) -> Result<(), sqlx::Error> {
    query("DELETE FROM article_topics WHERE article_id = $1").bind(article_id).execute(&mut *tx).await?;
    for (position, topic) in topics.iter().enumerate() {
        // The first spelling of a topic's name is kept; later articles only link to it.
        let topic_id: i64 = query_scalar(
            "INSERT INTO topics (slug, name) VALUES ($1, $2)
             ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id",
        )
        .bind(topic.slug.as_str())
        .bind(&topic.name)
        .fetch_one(&mut *tx)
        .await?;
        query("INSERT INTO article_topics (article_id, topic_id, position) VALUES ($1, $2, $3)")
            .bind(article_id)
            .bind(topic_id)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub async fn count(pool: &Pool) -> Result<i64, sqlx::Error> {
    query_scalar("SELECT COUNT(*) FROM articles").fetch_one(pool).await
}

/// A page of published articles, newest first; fetches one extra row to tell whether
/// another page follows.
pub async fn latest(pool: &Pool, limit: u32, offset: u64) -> Result<Vec<ArticleSummary>, sqlx::Error> {
    query_as(
        "SELECT slug, title, dek, byline, published_at, comment_count FROM articles
         WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT $1 OFFSET $2",
    )
    .bind(i64::from(limit))
    .bind(offset as i64)
    .fetch_all(pool)
    .await
}

pub async fn by_topic(
    pool: &Pool,
    topic_slug: &str,
    limit: u32,
    offset: u64,
) -> Result<Vec<ArticleSummary>, sqlx::Error> {
    query_as(
        "SELECT a.slug, a.title, a.dek, a.byline, a.published_at, a.comment_count
         FROM articles a
         JOIN article_topics at ON at.article_id = a.id
         JOIN topics t ON t.id = at.topic_id
         WHERE t.slug = $1 AND a.status = 'published'
         ORDER BY a.published_at DESC, a.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(topic_slug)
    .bind(i64::from(limit))
    .bind(offset as i64)
    .fetch_all(pool)
    .await
}

pub async fn published_by_slug(pool: &Pool, slug: &str) -> Result<Option<StoredArticle>, sqlx::Error> {
    query_as(
        "SELECT id, slug, title, dek, byline, body_md, published_at, updated_at, revision, lang
         FROM articles WHERE slug = $1 AND status = 'published'",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await
}

/// What lists show of a published article, without its body.
pub async fn summary_by_slug(pool: &Pool, slug: &str) -> Result<Option<ArticleSummary>, sqlx::Error> {
    query_as(
        "SELECT slug, title, dek, byline, published_at, comment_count FROM articles WHERE slug = $1 AND status = 'published'",
    )
        .bind(slug)
        .fetch_optional(pool)
        .await
}

/// An article's topics in their order; `db` is the pool or an open transaction.
pub async fn topics_of<'e>(db: impl Into<On<'e>>, article_id: i64) -> Result<Vec<TopicRef>, sqlx::Error> {
    query_as(
        "SELECT t.slug, t.name FROM topics t JOIN article_topics at ON at.topic_id = t.id
         WHERE at.article_id = $1 ORDER BY at.position",
    )
    .bind(article_id)
    .fetch_all(db)
    .await
}

/// Up to `limit` other published articles sharing a topic with this one, most recent first.
pub async fn related(pool: &Pool, article_id: i64, limit: u32) -> Result<Vec<ArticleSummary>, sqlx::Error> {
    query_as(
        "SELECT a.slug, a.title, a.dek, a.byline, a.published_at, a.comment_count FROM articles a
         WHERE a.status = 'published' AND a.id <> $1 AND EXISTS (
             SELECT 1 FROM article_topics mine JOIN article_topics theirs ON theirs.topic_id = mine.topic_id
             WHERE mine.article_id = $1 AND theirs.article_id = a.id)
         ORDER BY a.published_at DESC, a.id DESC LIMIT $2",
    )
    .bind(article_id)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
}

pub async fn topic(pool: &Pool, slug: &str) -> Result<Option<TopicRef>, sqlx::Error> {
    query_as("SELECT slug, name FROM topics WHERE slug = $1").bind(slug).fetch_optional(pool).await
}

/// Slugs and last-change times of every published article, for the sitemap.
/// Published articles with when each last changed, in the order they were created, `limit`
/// from `offset`: one sitemap file's worth.
pub async fn sitemap_entries(
    pool: &Pool,
    limit: u32,
    offset: u64,
) -> Result<Vec<(String, OffsetDateTime)>, sqlx::Error> {
    query_as(
        "SELECT slug, COALESCE(updated_at, published_at) AS changed FROM articles
         WHERE status = 'published' ORDER BY id LIMIT $1 OFFSET $2",
    )
    .bind(i64::from(limit))
    .bind(offset as i64)
    .fetch_all(pool)
    .await
}

/// How many articles are published.
pub async fn published_count(pool: &Pool) -> Result<i64, sqlx::Error> {
    query_scalar("SELECT COUNT(*) FROM articles WHERE status = 'published'").fetch_one(pool).await
}

/// Topics that have articles, by name, at most `limit`.
pub async fn all_topics(pool: &Pool, limit: u32) -> Result<Vec<TopicRef>, sqlx::Error> {
    query_as(
        "SELECT slug, name FROM topics t WHERE EXISTS (SELECT 1 FROM article_topics at WHERE at.topic_id = t.id)
         ORDER BY name LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
}

/// An entry of the Atom feed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedEntry {
    pub slug: String,
    pub title: String,
    pub dek: Option<String>,
    pub byline: String,
    pub published_at: OffsetDateTime,
    pub updated_at: Option<OffsetDateTime>,
}

pub async fn feed(pool: &Pool, limit: u32) -> Result<Vec<FeedEntry>, sqlx::Error> {
    query_as(
        "SELECT slug, title, dek, byline, published_at, updated_at FROM articles
         WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
}
