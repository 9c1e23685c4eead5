//! (ssr) What readers' pages show: the front page, topic pages, an article with its comment
//! section, and the corrections list.

use crate::cache::{Kept, PageKey};
use crate::content::markdown::render_blocks;
use crate::db::{self, Pool};
use crate::domain::article::{ArticleList, ArticlePage, ArticleSummary, TopicPage};
use crate::domain::comment::Order;
use crate::domain::slug::Slug;
use crate::domain::tokens::ReaderToken;
use crate::error::AppError;
use crate::services::comments::thread;

/// Articles per page on the front page and topic pages.
pub const PAGE_SIZE: u32 = 12;
/// Entries in the "Other Topics of Interest" box.
const RELATED_LIMIT: u32 = 3;

/// Reads the `?page=` number: absent means the first page; anything else that is not a
/// positive number is a page that does not exist.
pub fn parse_page(raw: Option<&str>) -> Result<u32, AppError> {
    match raw {
        None | Some("") => Ok(1),
        Some(raw) => raw.parse::<u32>().ok().filter(|&p| (1..=100_000).contains(&p)).ok_or(AppError::NotFound),
    }
}

#[tracing::instrument(skip_all, fields(page = page))]
pub async fn front_page(pool: &Pool, page: u32) -> Result<ArticleList, AppError> {
    let mut articles = db::articles::latest(pool, PAGE_SIZE + 1, offset(page)).await?;
    let list = list(page, &mut articles)?;
    decorated(pool, list).await
}

#[tracing::instrument(skip_all, fields(slug = %slug, page = page))]
pub async fn topic_page(pool: &Pool, slug: &str, page: u32) -> Result<TopicPage, AppError> {
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    let topic = db::articles::topic(pool, slug.as_str()).await?.ok_or(AppError::NotFound)?;
    let mut articles = db::articles::by_topic(pool, slug.as_str(), PAGE_SIZE + 1, offset(page)).await?;
    let list = decorated(pool, list(page, &mut articles)?).await?;
    Ok(TopicPage { topic, list })
}

/// Which part of the comments the article page shows, and to whom.
#[derive(Debug, Clone, Default)]
pub struct CommentsQuery {
    pub reader: Option<ReaderToken>,
    pub order: Order,
    pub page: u32,
}

/// The article page's data. Anyone's view (no reader's own pending comments in it) is kept
/// between renders until the article or its topics change (`cache::fragments`).
#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn article_page(
    pool: &Pool,
    kept: &Kept,
    slug: &str,
    comments: &CommentsQuery,
) -> Result<ArticlePage, AppError> {
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    let epoch = kept.freshness.epoch().await;
    let shared = comments.reader.is_none();
    let name = format!("{} {} {}", slug.as_str(), comments.order.as_str(), comments.page);
    if shared && let Some(kept) = kept.articles.get(&kept.freshness, &name) {
        return Ok((*kept).clone());
    }
    let article = load_article(pool, &slug, comments).await?;
    if shared && let Some(epoch) = epoch {
        let keys = std::iter::once(PageKey::Article(&article.slug))
            .chain(article.topics.iter().map(|t| PageKey::Topic(&t.slug)))
            .map(|k| k.to_string())
            .collect();
        kept.articles.insert(name, std::sync::Arc::new(article.clone()), keys, epoch);
    }
    Ok(article)
}

async fn load_article(pool: &Pool, slug: &Slug, comments: &CommentsQuery) -> Result<ArticlePage, AppError> {
    let article = db::articles::published_by_slug(pool, slug.as_str()).await?.ok_or(AppError::NotFound)?;
    let (topics, authors, related, comments, notices, media, lead) = tokio::try_join!(
        async { Ok(db::articles::topics_of(pool, article.id).await?) },
        async { Ok(db::authors::of_article(pool, article.id).await?) },
        async { Ok(db::articles::related(pool, article.id, RELATED_LIMIT).await?) },
        thread(pool, article.id, comments.reader.as_ref(), comments.order, comments.page.max(1)),
        async { Ok(db::corrections::notices_for(pool, article.id).await?) },
        super::media::pictures_in(pool, &article.body_md),
        super::media::lead_picture(pool, article.id),
    )?;
    Ok(ArticlePage {
        body: render_blocks(&article.body_md, &media),
        lead,
        slug: article.slug,
        title: article.title,
        dek: article.dek,
        byline: article.byline,
        published_at: article.published_at,
        updated_at: article.updated_at,
        lang: article.lang,
        topics,
        authors,
        related,
        comments,
        notices,
    })
}

/// Headline and slug of a published article, for pages about it (the correction form)
/// that do not show its body.
#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn article_summary(pool: &Pool, slug: &str) -> Result<ArticleSummary, AppError> {
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    db::articles::summary_by_slug(pool, slug.as_str()).await?.ok_or(AppError::NotFound)
}

/// The latest correction and clarification notices, for `/corrections`.
#[tracing::instrument(skip_all)]
pub async fn latest_notices(pool: &Pool, limit: u32) -> Result<Vec<crate::domain::article::Notice>, AppError> {
    Ok(db::corrections::latest_notices(pool, limit).await?)
}

/// The corrections page: the latest notices, and whether it shows how long each fix took.
pub async fn corrections_page(
    pool: &Pool,
    limit: u32,
) -> Result<(Vec<crate::domain::article::Notice>, bool), AppError> {
    Ok(tokio::try_join!(
        db::corrections::latest_notices(pool, limit),
        db::settings::flag(pool, db::settings::CORRECTIONS_TIME_TO_FIX)
    )?)
}

/// Whether `/corrections` shows the time from the first reader report to each fix.
pub async fn corrections_time_to_fix(pool: &Pool) -> Result<bool, AppError> {
    Ok(db::settings::flag(pool, db::settings::CORRECTIONS_TIME_TO_FIX).await?)
}

/// Admins: whether `/corrections` shows the time from the first reader report to each fix.
pub async fn set_corrections_time_to_fix(
    pool: &Pool,
    actor: &crate::domain::staff::StaffMember,
    show: bool,
) -> Result<(), AppError> {
    db::settings::set_flag(pool, db::settings::CORRECTIONS_TIME_TO_FIX, show).await?;
    let what = if show { "showed the time to fix on /corrections" } else { "hid the time to fix on /corrections" };
    db::audit::record(pool, Some(actor), db::audit::Kind::Settings, what, "", "").await?;
    Ok(())
}

fn offset(page: u32) -> u64 {
    u64::from(page.saturating_sub(1)) * u64::from(PAGE_SIZE)
}

/// Sets the cards' linked bylines and thumbnails.
pub(super) async fn decorated(pool: &Pool, mut list: ArticleList) -> Result<ArticleList, AppError> {
    decorate(pool, &mut list.articles).await?;
    Ok(list)
}

/// Reads what cards show beside their row, for a whole list at once: linked authors and
/// the lead image's thumbnail (three queries a list, none a card).
pub(super) async fn decorate(pool: &Pool, cards: &mut [ArticleSummary]) -> Result<(), AppError> {
    db::authors::of_cards(pool, cards).await?;
    let slugs: Vec<&str> = cards.iter().map(|c| c.slug.as_str()).collect();
    let leads = db::media::leads_of_slugs(pool, &slugs).await?;
    if leads.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<i64> = leads.iter().map(|(_, id)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    let pictures = db::media::pictures(pool, &ids).await?;
    for card in cards.iter_mut() {
        let id = leads.iter().find(|(slug, _)| *slug == card.slug).map(|(_, id)| *id);
        card.image = id.and_then(|id| pictures.iter().find(|p| p.id == id).cloned());
    }
    Ok(())
}

/// Trims the look-ahead row; a page past the end (other than the first) does not exist.
fn list(page: u32, articles: &mut Vec<ArticleSummary>) -> Result<ArticleList, AppError> {
    let has_next = articles.len() > PAGE_SIZE as usize;
    articles.truncate(PAGE_SIZE as usize);
    if articles.is_empty() && page > 1 {
        return Err(AppError::NotFound);
    }
    Ok(ArticleList { articles: std::mem::take(articles), page, has_next })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_must_be_positive_integers() {
        assert_eq!(parse_page(None), Ok(1));
        assert_eq!(parse_page(Some("3")), Ok(3));
        assert_eq!(parse_page(Some("0")), Err(AppError::NotFound));
        assert_eq!(parse_page(Some("-1")), Err(AppError::NotFound));
        assert_eq!(parse_page(Some("two")), Err(AppError::NotFound));
        assert_eq!(parse_page(Some("99999999999")), Err(AppError::NotFound));
    }
}
