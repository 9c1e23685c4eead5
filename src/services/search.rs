//! (ssr) Reader search: `/search?q=`, over published articles.

use crate::content::markdown::plain_text;
use crate::db::{self, Pool};
use crate::domain::search::{SearchHit, SearchQuery, SearchResults};
use crate::domain::tokens::Client;
use crate::error::AppError;
use crate::services::rate_limits::{RateLimiter, SEARCH_LIMIT};

/// Results per page.
pub const PAGE_SIZE: u32 = 10;
/// Pages a query can be read to: ranking deeper than this helps no reader, and costs the
/// database the whole ranking each time.
pub const MAX_PAGE: u32 = 50;

/// One page of results for what the reader typed; no words, no search (and no charge).
#[tracing::instrument(skip_all, fields(page = page, terms))]
pub async fn search(
    pool: &Pool,
    limiter: &RateLimiter,
    client: &Client,
    raw: &str,
    page: u32,
) -> Result<Option<SearchResults>, AppError> {
    let Some(query) = SearchQuery::parse(raw) else { return Ok(None) };
    tracing::Span::current().record("terms", query.terms().len());
    if page > MAX_PAGE {
        return Err(AppError::NotFound);
    }
    // Charged before the index is read: a query is the costliest read a reader can ask for.
    if !limiter.allow(SEARCH_LIMIT, &client.limited) {
        return Err(AppError::RateLimited);
    }
    let mut found = db::search::published(pool, &query, PAGE_SIZE + 1, super::offset(page, PAGE_SIZE)).await?;
    let has_next = found.len() > PAGE_SIZE as usize && page < MAX_PAGE;
    found.truncate(PAGE_SIZE as usize);
    if found.is_empty() && page > 1 {
        return Err(AppError::NotFound);
    }
    let snippets: Vec<_> = found.iter().map(|f| query.snippet(&plain_text(&f.body_md))).collect();
    let mut cards: Vec<_> = found.into_iter().map(|f| f.summary).collect();
    super::articles::decorate(pool, &mut cards).await?;
    let hits = cards.into_iter().zip(snippets).map(|(article, snippet)| SearchHit { snippet, article }).collect();
    Ok(Some(SearchResults { query: query.text().to_owned(), hits, page, has_next }))
}
