//! (ssr) The photo library, the files made of each image, and which stories show which.

use super::{Pool, Tx, now, placeholders, query, query_as, query_scalar};
use crate::domain::media::{MediaText, Picture, Variant};
use crate::media_store::IN_DATABASE;

/// A file to store, with the hash its address carries.
pub struct NewFile<'a> {
    pub kind: &'a str,
    pub format: &'a str,
    pub width: i64,
    pub height: i64,
    pub hash: &'a str,
    pub bytes: &'a [u8],
}

#[derive(sqlx::FromRow)]
struct MediaRow {
    id: i64,
    file_name: String,
    width: i64,
    height: i64,
    alt: String,
    caption: String,
    credit: String,
}

#[derive(sqlx::FromRow)]
struct VariantRow {
    media_id: i64,
    #[sqlx(flatten)]
    variant: Variant,
}

/// Stores an image and all its files in one transaction; its id.
pub async fn insert(
    pool: &Pool,
    staff_id: Option<i64>,
    file_name: &str,
    (width, height): (i64, i64),
    text: &MediaText,
    files: &[NewFile<'_>],
    stored: &str,
) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin_write().await?;
    let id: i64 = query_scalar(
        "INSERT INTO media (file_name, width, height, alt, caption, credit, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(file_name)
    .bind(width)
    .bind(height)
    .bind(&text.alt)
    .bind(&text.caption)
    .bind(&text.credit)
    .bind(staff_id)
    .bind(now())
    .fetch_one(&mut tx)
    .await?;
    for file in files {
        query(
            "INSERT INTO media_variants (media_id, kind, format, width, height, hash, bytes, stored)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(file.kind)
        .bind(file.format)
        .bind(file.width)
        .bind(file.height)
        .bind(file.hash)
        // In a bucket, the row keeps no copy.
        .bind(if stored == IN_DATABASE { file.bytes.to_vec() } else { Vec::new() })
        .bind(stored)
        .execute(&mut tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// A page of the library, newest first, optionally only images whose words or file name
/// contain `search` (one row more than `limit`): (picture, file name).
pub async fn list(
    pool: &Pool,
    search: Option<&str>,
    limit: u32,
    offset: u64,
) -> Result<Vec<(Picture, String)>, sqlx::Error> {
    let pattern = search.map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_', '\\'], "")));
    let rows: Vec<MediaRow> = query_as(
        "SELECT id, file_name, width, height, alt, caption, credit FROM media
         WHERE $1 IS NULL OR lower(alt) LIKE $1 OR lower(caption) LIKE $1 OR lower(credit) LIKE $1 OR lower(file_name) LIKE $1
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(pattern)
    .bind(i64::from(limit))
    .bind(offset as i64)
    .fetch_all(pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut variants = variants_of(pool, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let name = row.file_name.clone();
            (picture(row, &mut variants), name)
        })
        .collect())
}

/// The library's images with these ids (those that exist), with their files.
pub async fn pictures(pool: &Pool, ids: &[i64]) -> Result<Vec<Picture>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, file_name, width, height, alt, caption, credit FROM media WHERE id IN ({}) ORDER BY id",
        placeholders(ids.len())
    );
    let mut statement = query_as::<MediaRow>(sqlx::AssertSqlSafe(sql));
    for id in ids {
        statement = statement.bind(*id);
    }
    let rows = statement.fetch_all(pool).await?;
    let found: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut variants = variants_of(pool, &found).await?;
    Ok(rows.into_iter().map(|row| picture(row, &mut variants)).collect())
}

/// One image with its file name.
pub async fn by_id(pool: &Pool, id: i64) -> Result<Option<(Picture, String)>, sqlx::Error> {
    let row: Option<MediaRow> =
        query_as("SELECT id, file_name, width, height, alt, caption, credit FROM media WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let mut variants = variants_of(pool, &[id]).await?;
    let name = row.file_name.clone();
    Ok(Some((picture(row, &mut variants), name)))
}

fn picture(row: MediaRow, variants: &mut Vec<VariantRow>) -> Picture {
    let (mine, rest): (Vec<VariantRow>, Vec<VariantRow>) =
        std::mem::take(variants).into_iter().partition(|v| v.media_id == row.id);
    *variants = rest;
    Picture {
        id: row.id,
        width: row.width,
        height: row.height,
        alt: row.alt,
        caption: row.caption,
        credit: row.credit,
        variants: mine.into_iter().map(|v| v.variant).collect(),
    }
}

async fn variants_of(pool: &Pool, ids: &[i64]) -> Result<Vec<VariantRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT media_id, kind, format, width, height, hash FROM media_variants WHERE media_id IN ({})
         ORDER BY media_id, kind, format, width",
        placeholders(ids.len())
    );
    let mut statement = query_as::<VariantRow>(sqlx::AssertSqlSafe(sql));
    for id in ids {
        statement = statement.bind(*id);
    }
    statement.fetch_all(pool).await
}

/// `$1, $2, …, $n`: one placeholder per value of a list (a page's worth at most).
/// New words for an image; whether it exists.
pub async fn update_text(pool: &Pool, id: i64, text: &MediaText) -> Result<bool, sqlx::Error> {
    let changed = query("UPDATE media SET alt = $1, caption = $2, credit = $3 WHERE id = $4")
        .bind(&text.alt)
        .bind(&text.caption)
        .bind(&text.credit)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(changed > 0)
}

/// The stories that show an image: (slug, headline), newest first.
pub async fn used_by(pool: &Pool, id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    query_as(
        "SELECT a.slug, a.title FROM article_media x JOIN articles a ON a.id = x.article_id
         WHERE x.media_id = $1 ORDER BY a.published_at DESC, a.id DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// The stories showing each of `ids`, in one query: (media id, slug, headline), newest
/// story first.
pub async fn used_by_each(pool: &Pool, ids: &[i64]) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT x.media_id, a.slug, a.title FROM article_media x JOIN articles a ON a.id = x.article_id
         WHERE x.media_id IN ({}) ORDER BY x.media_id, a.published_at DESC, a.id DESC",
        placeholders(ids.len())
    );
    let mut statement = query_as(sqlx::AssertSqlSafe(sql));
    for id in ids {
        statement = statement.bind(*id);
    }
    statement.fetch_all(pool).await
}

/// What deleting an image did.
#[derive(Debug, PartialEq, Eq)]
pub enum Deleted {
    /// Deleted; the files that were in the bucket: (hash, format), to remove there too.
    Gone(Vec<(String, String)>),
    Missing,
    /// Stories show it: (slug, headline).
    InUse(Vec<(String, String)>),
}

/// Deletes an image and its files unless a story shows it (checked in the same transaction
/// as the delete, so a save in between cannot be left pointing at nothing).
pub async fn delete(pool: &Pool, id: i64) -> Result<Deleted, sqlx::Error> {
    let mut tx = pool.begin_write().await?;
    let users: Vec<(String, String)> = query_as(
        "SELECT a.slug, a.title FROM article_media x JOIN articles a ON a.id = x.article_id
         WHERE x.media_id = $1 ORDER BY a.id",
    )
    .bind(id)
    .fetch_all(&mut tx)
    .await?;
    if !users.is_empty() {
        return Ok(Deleted::InUse(users));
    }
    let in_bucket: Vec<(String, String)> =
        query_as("SELECT hash, format FROM media_variants WHERE media_id = $1 AND stored = 'bucket'")
            .bind(id)
            .fetch_all(&mut tx)
            .await?;
    let gone = query("DELETE FROM media WHERE id = $1").bind(id).execute(&mut tx).await?;
    tx.commit().await?;
    Ok(if gone > 0 { Deleted::Gone(in_bucket) } else { Deleted::Missing })
}

/// A stored file by the hash in its address.
#[derive(sqlx::FromRow)]
pub struct StoredFile {
    pub media_id: i64,
    pub format: String,
    /// `database` (the bytes are here) or `bucket`.
    pub stored: String,
    pub bytes: Vec<u8>,
}

pub async fn file(pool: &Pool, hash: &str) -> Result<Option<StoredFile>, sqlx::Error> {
    query_as("SELECT media_id, format, stored, bytes FROM media_variants WHERE hash = $1")
        .bind(hash)
        .fetch_optional(pool)
        .await
}

/// Which of `ids` are in the library.
pub async fn existing(pool: &Pool, ids: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT id FROM media WHERE id IN ({})", placeholders(ids.len()));
    let mut statement = query_scalar(sqlx::AssertSqlSafe(sql));
    for id in ids {
        statement = statement.bind(*id);
    }
    statement.fetch_all(pool).await
}

/// Records the images a story shows: those its body names and its lead image.
pub async fn write_article_media(tx: &mut Tx, article_id: i64, body_ids: &[i64]) -> Result<(), sqlx::Error> {
    query("DELETE FROM article_media WHERE article_id = $1").bind(article_id).execute(&mut *tx).await?;
    for id in body_ids {
        query("INSERT INTO article_media (article_id, media_id) SELECT $1, id FROM media WHERE id = $2 ON CONFLICT DO NOTHING")
            .bind(article_id)
            .bind(*id)
            .execute(&mut *tx)
            .await?;
    }
    query(
        "INSERT INTO article_media (article_id, media_id) SELECT id, lead_media_id FROM articles
         WHERE id = $1 AND lead_media_id IS NOT NULL ON CONFLICT DO NOTHING",
    )
    .bind(article_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A story's lead image and its words for this use (`None`: the library's).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Lead {
    pub media_id: i64,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// Sets or clears a story's lead image and records what it shows; false when there is no
/// such story.
pub async fn set_lead(
    pool: &Pool,
    article_id: i64,
    lead: Option<&Lead>,
    body_ids: &[i64],
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin_write().await?;
    let changed = query(
        "UPDATE articles SET lead_media_id = $1, lead_alt = $2, lead_caption = $3, lead_credit = $4 WHERE id = $5",
    )
    .bind(lead.map(|l| l.media_id))
    .bind(lead.and_then(|l| l.alt.clone()))
    .bind(lead.and_then(|l| l.caption.clone()))
    .bind(lead.and_then(|l| l.credit.clone()))
    .bind(article_id)
    .execute(&mut tx)
    .await?;
    if changed == 0 {
        return Ok(false);
    }
    write_article_media(&mut tx, article_id, body_ids).await?;
    tx.commit().await?;
    Ok(true)
}

/// A story's lead image choice, if any.
pub async fn lead_of(pool: &Pool, article_id: i64) -> Result<Option<Lead>, sqlx::Error> {
    query_as(
        "SELECT lead_media_id AS media_id, lead_alt AS alt, lead_caption AS caption, lead_credit AS credit
         FROM articles WHERE id = $1 AND lead_media_id IS NOT NULL",
    )
    .bind(article_id)
    .fetch_optional(pool)
    .await
}

/// The lead images of a list's stories by slug: (slug, media id).
pub async fn leads_of_slugs(pool: &Pool, slugs: &[&str]) -> Result<Vec<(String, i64)>, sqlx::Error> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT slug, lead_media_id FROM articles WHERE lead_media_id IS NOT NULL AND slug IN ({})",
        placeholders(slugs.len())
    );
    let mut statement = query_as::<(String, i64)>(sqlx::AssertSqlSafe(sql));
    for slug in slugs {
        statement = statement.bind(*slug);
    }
    statement.fetch_all(pool).await
}

/// The library image an imported file became before (by the SHA-256 of its bytes), if it
/// is still in the library.
pub async fn imported(pool: &Pool, digest: &str) -> Result<Option<i64>, sqlx::Error> {
    query_scalar("SELECT id FROM media WHERE source_sha256 = $1").bind(digest).fetch_optional(pool).await
}

/// The library photo one of whose files has this hash, with its alt text and file name:
/// the same photo uploaded again makes the same files.
pub async fn with_file(pool: &Pool, hash: &str) -> Result<Option<(i64, String, String)>, sqlx::Error> {
    query_as(
        "SELECT m.id, m.alt, m.file_name FROM media_variants v JOIN media m ON m.id = v.media_id WHERE v.hash = $1",
    )
    .bind(hash)
    .fetch_optional(pool)
    .await
}

/// Remembers which library image an imported file became.
pub async fn remember_import(pool: &Pool, digest: &str, id: i64) -> Result<(), sqlx::Error> {
    query("UPDATE media SET source_sha256 = $1 WHERE id = $2").bind(digest).bind(id).execute(pool).await?;
    Ok(())
}
