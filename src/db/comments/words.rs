//! (ssr) The suspect and banned word lists.

use crate::db::{Pool, Tx, query, query_scalar};
use crate::domain::moderation::WordListName;

pub async fn words(pool: &Pool, list: WordListName) -> Result<Vec<String>, sqlx::Error> {
    query_scalar("SELECT word FROM moderation_words WHERE list = $1 ORDER BY word")
        .bind(list.as_str())
        .fetch_all(pool)
        .await
}

/// Adds entries, already normalised (`domain::words::normalise_entry`); repeats are ignored.
pub async fn add_words(pool: &Pool, list: WordListName, words: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    insert_words(&mut tx, list, words).await?;
    tx.commit().await
}

async fn insert_words(tx: &mut Tx, list: WordListName, words: &[String]) -> Result<(), sqlx::Error> {
    for word in words {
        query("INSERT INTO moderation_words (list, word) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(list.as_str())
            .bind(word)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub async fn remove_words(pool: &Pool, list: WordListName, words: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for word in words {
        query("DELETE FROM moderation_words WHERE list = $1 AND word = $2")
            .bind(list.as_str())
            .bind(word)
            .execute(&mut tx)
            .await?;
    }
    tx.commit().await
}

/// Replaces a word list with `words` (already normalised), in one transaction.
pub async fn replace_words(pool: &Pool, list: WordListName, words: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    query("DELETE FROM moderation_words WHERE list = $1").bind(list.as_str()).execute(&mut tx).await?;
    insert_words(&mut tx, list, words).await?;
    tx.commit().await
}
