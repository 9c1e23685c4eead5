//! (ssr) What the machine-readable views list: the Atom feeds and the sitemap, split into
//! files of 10,000 addresses (the protocol allows 50,000).

use time::OffsetDateTime;

use crate::db::{self, Pool, articles::FeedEntry};
use crate::domain::article::{Notice, TopicRef};
use crate::error::AppError;

/// Entries in each Atom feed.
pub const FEED_ENTRIES: u32 = 30;
/// Addresses in one sitemap file. The protocol allows 50,000; 10,000 (about 1.1 MB) keeps
/// a file under the page cache's largest page, so crawlers' repeats are answered from memory.
pub const SITEMAP_FILE: u32 = 10_000;

#[tracing::instrument(skip_all)]
pub async fn latest_articles(pool: &Pool) -> Result<Vec<FeedEntry>, AppError> {
    Ok(db::articles::feed(pool, FEED_ENTRIES).await?)
}

#[tracing::instrument(skip_all)]
pub async fn latest_notices(pool: &Pool) -> Result<Vec<Notice>, AppError> {
    Ok(db::corrections::latest_notices(pool, FEED_ENTRIES).await?)
}

/// How many sitemap files the published articles fill (at least one).
#[tracing::instrument(skip_all)]
pub async fn article_sitemaps(pool: &Pool) -> Result<u64, AppError> {
    let articles = u64::try_from(db::articles::published_count(pool).await?).unwrap_or(0);
    Ok(articles.div_ceil(u64::from(SITEMAP_FILE)).max(1))
}

/// The articles of sitemap file `n` (from 1); a file past the last does not exist.
#[tracing::instrument(skip_all, fields(n = n))]
pub async fn article_sitemap(pool: &Pool, n: u64) -> Result<Vec<(String, OffsetDateTime)>, AppError> {
    if n == 0 || n > article_sitemaps(pool).await? {
        return Err(AppError::NotFound);
    }
    let offset = (n - 1) * u64::from(SITEMAP_FILE);
    Ok(db::articles::sitemap_entries(pool, SITEMAP_FILE, offset).await?)
}

/// The topics for the sitemap's file of pages (the front page is the one more address).
#[tracing::instrument(skip_all)]
pub async fn sitemap_topics(pool: &Pool) -> Result<Vec<TopicRef>, AppError> {
    Ok(db::articles::all_topics(pool, SITEMAP_FILE - 1).await?)
}
