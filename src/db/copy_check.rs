//! (ssr) What the copy check reads besides the text: the house dictionary, the problems
//! ignored per article, the published stories' names, and the site's language.

use time::OffsetDateTime;

use super::{Pool, now, query, query_as, query_scalar};

/// A house dictionary entry.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HouseWord {
    pub word: String,
    pub added_by: Option<String>,
    pub added_at: OffsetDateTime,
}

pub async fn house_words(pool: &Pool) -> Result<Vec<HouseWord>, sqlx::Error> {
    query_as("SELECT word, added_by, added_at FROM house_words ORDER BY word").fetch_all(pool).await
}

/// Adds a word; `false` when it was there already.
pub async fn add_house_word(pool: &Pool, word: &str, added_by: &str) -> Result<bool, sqlx::Error> {
    let done =
        query("INSERT INTO house_words (word, added_by, added_at) VALUES ($1, $2, $3) ON CONFLICT (word) DO NOTHING")
            .bind(word)
            .bind(added_by)
            .bind(now())
            .execute(pool)
            .await?;
    Ok(done == 1)
}

pub async fn remove_house_word(pool: &Pool, word: &str) -> Result<bool, sqlx::Error> {
    let done = query("DELETE FROM house_words WHERE word = $1").bind(word).execute(pool).await?;
    Ok(done == 1)
}

/// The `(kind, text)` of every problem ignored in an article.
pub async fn ignored(pool: &Pool, article_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    query_as("SELECT kind, text FROM copy_check_ignores WHERE article_id = $1").bind(article_id).fetch_all(pool).await
}

pub async fn ignore(pool: &Pool, article_id: i64, kind: &str, text: &str) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO copy_check_ignores (article_id, kind, text) VALUES ($1, $2, $3)
         ON CONFLICT (article_id, kind, text) DO NOTHING",
    )
    .bind(article_id)
    .bind(kind)
    .bind(text)
    .execute(pool)
    .await?;
    Ok(())
}

/// Shows an article's ignored problems again; how many there were.
pub async fn clear_ignored(pool: &Pool, article_id: i64) -> Result<u64, sqlx::Error> {
    query("DELETE FROM copy_check_ignores WHERE article_id = $1").bind(article_id).execute(pool).await
}

/// A published story's checked fields.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublishedText {
    pub id: i64,
    pub title: String,
    pub dek: Option<String>,
    pub body_md: String,
}

/// The latest `limit` published stories' text, newest first.
pub async fn published_texts(pool: &Pool, limit: u32) -> Result<Vec<PublishedText>, sqlx::Error> {
    query_as(
        "SELECT id, title, dek, body_md FROM articles WHERE status = 'published'
         ORDER BY published_at DESC, id DESC LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
}

/// A number that moves whenever a published story changes (the `lists` page key): the
/// names read from them are read again then.
pub async fn published_version(pool: &Pool) -> Result<i64, sqlx::Error> {
    Ok(query_scalar("SELECT version FROM page_keys WHERE key = 'lists'").fetch_optional(pool).await?.unwrap_or(0))
}

/// The site's language tag, when staff have set one.
pub async fn site_language(pool: &Pool) -> Result<Option<String>, sqlx::Error> {
    query_scalar("SELECT value FROM site_settings WHERE key = 'language'").fetch_optional(pool).await
}

pub async fn set_site_language(pool: &Pool, lang: &str) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO site_settings (key, value) VALUES ('language', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(lang)
    .execute(pool)
    .await?;
    Ok(())
}
