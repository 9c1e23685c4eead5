//! (ssr) Articles as the staff desk writes them: drafts, revisions, publication.

use time::OffsetDateTime;

use super::articles::write_topics;
use super::{Pool, Tx, now, query, query_as, query_scalar};
use crate::content::article_form::ArticleEdit;
use crate::content::front_matter::Topic;
use crate::content::markdown::media_ids;
use crate::domain::article::TopicRef;
use crate::domain::desk::{DeskArticle, Editable, Filter, Revision, Saved};
use crate::domain::slug::Slug;

/// A page of articles of any status, most recently changed first (a search of them is
/// `search::desk`); one row more than `limit` tells that another page follows.
pub async fn list(pool: &Pool, filter: Filter, limit: u32, offset: u64) -> Result<Vec<DeskArticle>, sqlx::Error> {
    query_as(
        "SELECT slug, title, byline, status, ever_published, published_at, updated_at, revision, scheduled_at FROM articles
         WHERE ($1 IS NULL OR status = $1)
         ORDER BY COALESCE(updated_at, published_at) DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(filter.status())
    .bind(i64::from(limit) + 1)
    .bind(offset as i64)
    .fetch_all(pool)
    .await
}

#[derive(sqlx::FromRow)]
struct EditableRow {
    id: i64,
    slug: String,
    title: String,
    dek: Option<String>,
    byline: String,
    body_md: String,
    status: String,
    ever_published: bool,
    published_at: OffsetDateTime,
    updated_at: Option<OffsetDateTime>,
    revision: i64,
    lang: Option<String>,
    scheduled_at: Option<OffsetDateTime>,
}

pub async fn editable(pool: &Pool, slug: &str) -> Result<Option<Editable>, sqlx::Error> {
    let row: Option<EditableRow> = query_as(
        "SELECT id, slug, title, dek, byline, body_md, status, ever_published, published_at, updated_at, revision, lang,
                scheduled_at
         FROM articles WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let topics = to_topics(super::articles::topics_of(pool, row.id).await?);
    let authors = to_named(super::authors::of_article(pool, row.id).await?);
    Ok(Some(Editable {
        id: row.id,
        slug: row.slug,
        status: row.status,
        ever_published: row.ever_published,
        published_at: row.published_at,
        updated_at: row.updated_at,
        revision: row.revision,
        scheduled_at: row.scheduled_at,
        content: ArticleEdit {
            title: row.title,
            dek: row.dek,
            byline: row.byline,
            topics,
            authors,
            body_md: row.body_md,
            lang: row.lang,
            summary: String::new(),
        },
    }))
}

fn to_topics(rows: Vec<TopicRef>) -> Vec<Topic> {
    rows.into_iter().filter_map(|t| Some(Topic { slug: Slug::parse(&t.slug).ok()?, name: t.name })).collect()
}

fn to_named(rows: Vec<crate::domain::author::AuthorRef>) -> Vec<Topic> {
    rows.into_iter().filter_map(|a| Some(Topic { slug: Slug::parse(&a.slug).ok()?, name: a.name })).collect()
}

fn topic_names(topics: &[Topic]) -> String {
    topics.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ")
}

/// Creates a draft as revision 1; `None` when the address is taken.
pub async fn create(pool: &Pool, slug: &Slug, edit: &ArticleEdit, saved_by: &str) -> Result<Option<i64>, sqlx::Error> {
    let at = now();
    pool.retrying(|| async {
        // The write lock at once: on SQLite a plain BEGIN may fail as busy if another
        // writer commits first, instead of waiting its turn.
        let mut tx = pool.begin_write().await?;
        // The draft's publication date is a placeholder until it is first published.
        let id: Option<i64> = query_scalar(
            "INSERT INTO articles (slug, title, dek, byline, body_md, status, published_at, revision, ever_published, lang)
             VALUES ($1, $2, $3, $4, $5, 'draft', $6, 1, FALSE, $7) ON CONFLICT (slug) DO NOTHING RETURNING id",
        )
        .bind(slug.as_str())
        .bind(&edit.title)
        .bind(&edit.dek)
        .bind(&edit.byline)
        .bind(&edit.body_md)
        .bind(at)
        .bind(&edit.lang)
        .fetch_optional(&mut tx)
        .await?;
        let Some(id) = id else { return Ok(None) };
        insert_revision(&mut tx, id, 1, edit, at, saved_by, &summary_with("Created", &edit.summary)).await?;
        write_topics(&mut tx, id, &edit.topics).await?;
        super::authors::write_authors(&mut tx, id, &edit.authors).await?;
        super::media::write_article_media(&mut tx, id, &media_ids(&edit.body_md)).await?;
        tx.commit().await?;
        Ok(Some(id))
    })
    .await
}

/// Saves an edit of article `id` made from revision `base` as a new revision. An article
/// that has been published is dated "Updated"; a draft's edits are not.
pub async fn save(
    pool: &Pool,
    id: i64,
    base: i64,
    edit: &ArticleEdit,
    saved_by: &str,
) -> Result<Option<Saved>, sqlx::Error> {
    let at = now();
    pool.retrying(|| async {
        let mut tx = pool.begin_write().await?;
        // Taking the write lock first (a no-op update) keeps the check and the save together.
        let current: Option<i64> =
            query_scalar("UPDATE articles SET revision = revision WHERE id = $1 RETURNING revision")
                .bind(id)
                .fetch_optional(&mut tx)
                .await?;
        let Some(current) = current else { return Ok(None) };
        if current != base {
            return Ok(Some(Saved::Stale { current }));
        }
        let (title, dek, byline, body_md, lang) = query_as::<(String, Option<String>, String, String, Option<String>)>(
            "SELECT title, dek, byline, body_md, lang FROM articles WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&mut tx)
        .await?;
        let topics = to_topics(super::articles::topics_of(&mut tx, id).await?);
        let authors = to_named(super::authors::of_article(&mut tx, id).await?);
        let old = ArticleEdit { title, dek, byline, topics, authors, body_md, lang, summary: String::new() };
        let changed = edit.changed_fields(&old);
        if changed.is_empty() {
            return Ok(Some(Saved::Unchanged));
        }
        let revision = current + 1;
        query(
            "UPDATE articles SET title = $1, dek = $2, byline = $3, body_md = $4, revision = $5,
             updated_at = CASE WHEN ever_published THEN $6 ELSE updated_at END, lang = $8 WHERE id = $7",
        )
        .bind(&edit.title)
        .bind(&edit.dek)
        .bind(&edit.byline)
        .bind(&edit.body_md)
        .bind(revision)
        .bind(at)
        .bind(id)
        .bind(&edit.lang)
        .execute(&mut tx)
        .await?;
        let summary = summary_with(&format!("Changed {}", changed.join(", ")), &edit.summary);
        insert_revision(&mut tx, id, revision, edit, at, saved_by, &summary).await?;
        if changed.contains(&"topics") {
            write_topics(&mut tx, id, &edit.topics).await?;
        }
        if changed.contains(&"authors") {
            super::authors::write_authors(&mut tx, id, &edit.authors).await?;
        }
        if changed.contains(&"text") {
            super::media::write_article_media(&mut tx, id, &media_ids(&edit.body_md)).await?;
        }
        tx.commit().await?;
        Ok(Some(Saved::Revision(revision)))
    })
    .await
}

fn summary_with(what: &str, note: &str) -> String {
    if note.is_empty() { what.to_owned() } else { format!("{what}: {note}") }
}

async fn insert_revision(
    tx: &mut Tx,
    id: i64,
    revision: i64,
    edit: &ArticleEdit,
    at: OffsetDateTime,
    saved_by: &str,
    summary: &str,
) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO article_revisions (article_id, revision, title, dek, byline, body_md, topics, created_at, saved_by, summary)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(revision)
    .bind(&edit.title)
    .bind(&edit.dek)
    .bind(&edit.byline)
    .bind(&edit.body_md)
    .bind(topic_names(&edit.topics))
    .bind(at)
    .bind(saved_by)
    .bind(summary)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Publishes a draft (dated now the first time, keeping its first date after that) or takes
/// a published article down. False when it already was in that state.
pub async fn set_published(pool: &Pool, id: i64, publish: bool) -> Result<bool, sqlx::Error> {
    let done = if publish {
        query(
            "UPDATE articles SET status = 'published', ever_published = TRUE, scheduled_at = NULL,
             published_at = CASE WHEN NOT ever_published THEN $1 ELSE published_at END
             WHERE id = $2 AND status = 'draft'",
        )
        .bind(now())
        .bind(id)
        .execute(pool)
        .await?
    } else {
        query("UPDATE articles SET status = 'draft' WHERE id = $1 AND status = 'published'")
            .bind(id)
            .execute(pool)
            .await?
    };
    Ok(done > 0)
}

/// An article's revisions, newest first.
pub async fn revisions(pool: &Pool, id: i64, limit: u32, offset: u64) -> Result<Vec<Revision>, sqlx::Error> {
    query_as(
        "SELECT revision, title, dek, byline, body_md, topics, created_at, saved_by, summary
         FROM article_revisions WHERE article_id = $1 ORDER BY revision DESC LIMIT $2 OFFSET $3",
    )
    .bind(id)
    .bind(i64::from(limit))
    .bind(offset as i64)
    .fetch_all(pool)
    .await
}

/// An article's revisions from `from` on, oldest first, at most `limit`.
pub async fn revisions_from(pool: &Pool, id: i64, from: i64, limit: u32) -> Result<Vec<Revision>, sqlx::Error> {
    query_as(
        "SELECT revision, title, dek, byline, body_md, topics, created_at, saved_by, summary
         FROM article_revisions WHERE article_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3",
    )
    .bind(id)
    .bind(from)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
}

/// Sets (or with `None` clears) the time a draft is to be published at; `false` when the
/// article is not a draft.
pub async fn schedule(pool: &Pool, id: i64, at: Option<OffsetDateTime>) -> Result<bool, sqlx::Error> {
    let changed = query("UPDATE articles SET scheduled_at = $1 WHERE id = $2 AND status = 'draft'")
        .bind(at.map(super::stored_time))
        .bind(id)
        .execute(pool)
        .await?;
    Ok(changed > 0)
}

/// Publishes every draft whose time has come, dated at its scheduled time (or its first
/// publication, for a story published before), with an audit entry each, in one
/// transaction. One statement claims the rows: with several app servers running this at
/// once, each story is published by exactly one (PostgreSQL re-checks the condition on a
/// row another transaction changed; SQLite has one writer at a time).
pub async fn publish_due(pool: &Pool, now: OffsetDateTime) -> Result<Vec<(String, String)>, sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin_write().await?;
        let published: Vec<(String, String)> = query_as(
            "UPDATE articles SET status = 'published', ever_published = TRUE,
             published_at = CASE WHEN ever_published THEN published_at ELSE scheduled_at END, scheduled_at = NULL
             WHERE status = 'draft' AND scheduled_at IS NOT NULL AND scheduled_at <= $1
             RETURNING slug, title",
        )
        .bind(super::stored_time(now))
        .fetch_all(&mut tx)
        .await?;
        for (slug, title) in &published {
            super::audit::record_in(&mut tx, SCHEDULER, crate::domain::audit::Kind::Article, "published", slug, title)
                .await?;
        }
        tx.commit().await?;
        Ok(published)
    })
    .await
}

/// Who the audit log says published a scheduled story.
pub const SCHEDULER: &str = "Scheduled publication";

/// The earliest time a draft is scheduled for, if any.
pub async fn next_due(pool: &Pool) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    let next: Option<(OffsetDateTime,)> = query_as(
        "SELECT scheduled_at FROM articles WHERE status = 'draft' AND scheduled_at IS NOT NULL
         ORDER BY scheduled_at LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    Ok(next.map(|(at,)| at))
}
