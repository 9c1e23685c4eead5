//! (ssr) A WordPress export written in one transaction: its posts as articles (through the
//! importer's upsert) and their comments with threads, statuses and dates. Each post and
//! comment is remembered by its WordPress site and id (`imported_ids`), so importing the
//! same export again changes nothing, and a later export adds only what is new.

use time::OffsetDateTime;

use super::articles::{Publication, Upserted, upsert_in};
use super::{Pool, Tx, query, query_as, query_scalar};
use crate::content::front_matter::ArticleDraft;
use crate::domain::comment::MAX_DEPTH;

/// A post ready to store.
pub struct Post {
    pub wp_id: String,
    pub draft: ArticleDraft,
    pub publication: Publication,
    pub comments: Vec<Comment>,
}

/// A reader's comment ready to store; `parent` is the WordPress id of the one it answers.
pub struct Comment {
    pub wp_id: String,
    pub parent: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub body: String,
    /// `published`, `pending` or `rejected`.
    pub status: &'static str,
    pub rejection_reason: Option<&'static str>,
    pub created_at: OffsetDateTime,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub comments: usize,
    pub comments_known: usize,
}

/// Writes every post and comment, or (on any failure) nothing. `each` is called after each
/// post (a progress bar).
pub async fn import(pool: &Pool, site: &str, posts: &[Post], each: &(dyn Fn() + Sync)) -> Result<Written, sqlx::Error> {
    let source = format!("wxr:{site}");
    pool.retrying(|| async {
        let mut tx = pool.begin_write().await?;
        let mut written = Written::default();
        for post in posts {
            // An article imported before keeps its address, even if WordPress's changed.
            let known: Option<String> = query_scalar(
                "SELECT a.slug FROM imported_ids i JOIN articles a ON a.id = i.local_id
                 WHERE i.source = $1 AND i.kind = 'post' AND i.external_id = $2",
            )
            .bind(&source)
            .bind(&post.wp_id)
            .fetch_optional(&mut tx)
            .await?;
            let mut draft = post.draft.clone();
            match known.as_deref().and_then(|s| crate::domain::slug::Slug::parse(s).ok()) {
                Some(slug) => draft.slug = slug,
                None => {
                    // An address this site already uses for another story gets the post's id.
                    let taken: Option<i64> = query_scalar("SELECT id FROM articles WHERE slug = $1")
                        .bind(draft.slug.as_str())
                        .fetch_optional(&mut tx)
                        .await?;
                    if taken.is_some()
                        && let Ok(slug) =
                            crate::domain::slug::Slug::parse(&format!("{}-{}", draft.slug.as_str(), post.wp_id))
                    {
                        draft.slug = slug;
                    }
                }
            }
            let (outcome, article_id) = upsert_in(&mut tx, &draft, post.publication).await?;
            match outcome {
                Upserted::Created | Upserted::Scheduled => written.created += 1,
                Upserted::Updated => written.updated += 1,
                Upserted::Unchanged => written.unchanged += 1,
            }
            remember(&mut tx, &source, "post", &post.wp_id, article_id).await?;
            for comment in &post.comments {
                if local_id(&mut tx, &source, "comment", &comment.wp_id).await?.is_some() {
                    written.comments_known += 1;
                    continue;
                }
                let parent = match &comment.parent {
                    Some(wp) => local_id(&mut tx, &source, "comment", wp).await?,
                    None => None,
                };
                let id = insert_comment(&mut tx, article_id, parent, comment).await?;
                remember(&mut tx, &source, "comment", &comment.wp_id, id).await?;
                written.comments += 1;
            }
            each();
        }
        tx.commit().await?;
        Ok(written)
    })
    .await
}

async fn local_id(tx: &mut Tx, source: &str, kind: &str, external: &str) -> Result<Option<i64>, sqlx::Error> {
    query_scalar("SELECT local_id FROM imported_ids WHERE source = $1 AND kind = $2 AND external_id = $3")
        .bind(source)
        .bind(kind)
        .bind(external)
        .fetch_optional(&mut *tx)
        .await
}

async fn remember(tx: &mut Tx, source: &str, kind: &str, external: &str, local: i64) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO imported_ids (source, kind, external_id, local_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (source, kind, external_id) DO UPDATE SET local_id = excluded.local_id",
    )
    .bind(source)
    .bind(kind)
    .bind(external)
    .bind(local)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A comment under `parent` (its local id): threads deeper than this site shows answer the
/// deepest comment's parent instead, in the same thread.
async fn insert_comment(tx: &mut Tx, article_id: i64, parent: Option<i64>, c: &Comment) -> Result<i64, sqlx::Error> {
    let (parent_id, root_id, depth) = match parent {
        None => (None, None, 0),
        Some(id) => {
            let (id, parent_of, root, depth): (i64, Option<i64>, Option<i64>, i64) =
                query_as("SELECT id, parent_id, root_id, depth FROM comments WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            if depth >= MAX_DEPTH { (parent_of, root, depth) } else { (Some(id), Some(root.unwrap_or(id)), depth + 1) }
        }
    };
    query_scalar(
        "INSERT INTO comments (article_id, parent_id, root_id, depth, author_name, email, body, status,
                               held_for, rejection_reason, client_hash, author_token, created_at, moderated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'imported', 'imported', $11, $12) RETURNING id",
    )
    .bind(article_id)
    .bind(parent_id)
    .bind(root_id)
    .bind(depth)
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.body)
    .bind(c.status)
    .bind((c.status == "pending").then_some("premoderation"))
    .bind(c.rejection_reason)
    .bind(super::stored_time(c.created_at))
    .bind((c.status != "pending").then(|| super::stored_time(c.created_at)))
    .fetch_one(&mut *tx)
    .await
}
