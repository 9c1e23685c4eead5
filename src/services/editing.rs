//! (ssr) The staff desk's article work: the list, creating a draft, saving a revision,
//! publishing and unpublishing, the history, and the editor's preview.

use super::copy_check;
use crate::content::article_form::{ArticleEdit, MAX_BODY_CHARS};
use crate::db::{Pool, audit, editing};
use crate::domain::desk::{DeskArticle, Editable, Filter, Revision, RevisionChanges, Saved};
use crate::domain::diff::{Change, word_diff};
use crate::domain::draft::Draft;
use crate::domain::search::SearchQuery;
use crate::domain::slug::Slug;
use crate::domain::staff::StaffMember;
use crate::error::AppError;

/// Articles per page of the desk's list.
pub const PAGE_SIZE: u32 = 50;

/// One page of the desk's article list, and whether another follows.
#[tracing::instrument(skip_all)]
pub async fn list(pool: &Pool, filter: Filter, search: &str, page: u32) -> Result<(Vec<DeskArticle>, bool), AppError> {
    // The queries read the look-ahead row themselves. Words are looked up in the search
    // index (headline, standfirst, body, topics; case and accents folded).
    let offset = super::offset(page, PAGE_SIZE);
    let articles = match SearchQuery::parse(search) {
        Some(search) => crate::db::search::desk(pool, filter, &search, PAGE_SIZE, offset).await?,
        None => editing::list(pool, filter, PAGE_SIZE, offset).await?,
    };
    Ok(super::page_of(articles, PAGE_SIZE))
}

/// An article of any status, as the editor opens it.
#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn editable(pool: &Pool, slug: &str) -> Result<Editable, AppError> {
    editing::editable(pool, slug).await?.ok_or(AppError::NotFound)
}

/// Revisions on one page of an article's history.
pub const HISTORY_PAGE: u32 = 20;

/// One page of an article's history.
#[derive(Debug, Clone)]
pub struct History {
    pub article: Editable,
    /// Newest first, each with what changed from the one before.
    pub revisions: Vec<RevisionChanges>,
    pub page: u32,
    pub has_next: bool,
}

/// A page of an article's revisions, newest first, each compared with the one before it.
/// The word diffs of long texts are CPU work: they run on the blocking pool.
#[tracing::instrument(skip_all, fields(slug = %slug, page = page))]
pub async fn history(pool: &Pool, slug: &str, page: u32) -> Result<History, AppError> {
    let article = editable(pool, slug).await?;
    let offset = super::offset(page, HISTORY_PAGE);
    // One more than the page: the oldest on the page is compared with it.
    let mut revisions = editing::revisions(pool, article.id, HISTORY_PAGE + 1, offset).await?;
    if revisions.is_empty() && page > 1 {
        return Err(AppError::NotFound);
    }
    let has_next = revisions.len() > HISTORY_PAGE as usize;
    let revisions = tokio::task::spawn_blocking(move || {
        // Each compared with the next older one, the look-ahead row included.
        let fields: Vec<_> =
            (0..revisions.len()).map(|i| revisions.get(i + 1).map(|old| changes(old, &revisions[i]))).collect();
        revisions.truncate(HISTORY_PAGE as usize);
        revisions.into_iter().zip(fields).map(|(revision, fields)| RevisionChanges { revision, fields }).collect()
    })
    .await
    .map_err(|_| AppError::Internal)?;
    Ok(History { article, revisions, page, has_next })
}

/// The fields that differ between two revisions, each as a word diff.
pub(crate) fn changes(old: &Revision, new: &Revision) -> Vec<(&'static str, Vec<Change>)> {
    let fields = [
        ("Headline", old.title.as_str(), new.title.as_str()),
        ("Dek", old.dek.as_deref().unwrap_or_default(), new.dek.as_deref().unwrap_or_default()),
        ("Byline", old.byline.as_str(), new.byline.as_str()),
        // Revisions from before topics were kept say nothing about them.
        (
            "Topics",
            old.topics.as_deref().unwrap_or_else(|| new.topics.as_deref().unwrap_or_default()),
            new.topics.as_deref().unwrap_or_default(),
        ),
        ("Text", old.body_md.as_str(), new.body_md.as_str()),
    ];
    fields.into_iter().filter(|(_, a, b)| a != b).map(|(label, a, b)| (label, word_diff(a, b))).collect()
}

/// Creates a draft at `slug`; `Ok(false)` when another article already uses that address.
#[tracing::instrument(skip(pool, staff, edit), fields(staff = staff.id))]
pub async fn create(pool: &Pool, staff: &StaffMember, slug: &Slug, edit: &ArticleEdit) -> Result<bool, AppError> {
    super::media::check_body(pool, &edit.body_md).await?;
    if editing::create(pool, slug, edit, &staff.name).await?.is_none() {
        return Ok(false);
    }
    audit::record(pool, Some(staff), audit::Kind::Article, "created", slug.as_str(), &edit.title).await?;
    Ok(true)
}

/// Saves an edit made from revision `base` as a new revision of `article`. A save from an
/// older revision than the current one is not written (`Saved::Stale`).
#[tracing::instrument(skip(pool, staff, article, edit), fields(staff = staff.id, article = article.id))]
pub async fn save(
    pool: &Pool,
    staff: &StaffMember,
    article: &Editable,
    base: i64,
    edit: &ArticleEdit,
) -> Result<Saved, AppError> {
    super::media::check_body(pool, &edit.body_md).await?;
    let saved = editing::save(pool, article.id, base, edit, &staff.name).await?.ok_or(AppError::NotFound)?;
    if let Saved::Revision(revision) = saved {
        let detail = format!("revision {revision}: {}", edit.changed_fields(&article.content).join(", "));
        audit::record(pool, Some(staff), audit::Kind::Article, "saved", &article.slug, &detail).await?;
    }
    Ok(saved)
}

/// Publishes or unpublishes; `"published"`, `"unpublished"`, or `"already"` when it was so.
/// Unpublished articles answer readers "not found"; their comments and history stay.
#[tracing::instrument(skip(pool, staff), fields(staff = staff.id))]
pub async fn set_published(
    pool: &Pool,
    staff: &StaffMember,
    slug: &str,
    publish: bool,
) -> Result<&'static str, AppError> {
    let article = editable(pool, slug).await?;
    if !editing::set_published(pool, article.id, publish).await? {
        return Ok("already");
    }
    let action = if publish { "published" } else { "unpublished" };
    audit::record(pool, Some(staff), audit::Kind::Article, action, slug, &article.content.title).await?;
    Ok(action)
}

/// The editor's fields as typed, checked by the copy check (with the ignored problems of
/// `article_id`, the stored article they are an edit of, left out).
pub async fn check_draft(
    pool: &Pool,
    draft: Draft,
    article_id: Option<i64>,
) -> Result<(copy_check::Text, copy_check::Checked), AppError> {
    let Draft { title, dek, body, lang, .. } = draft;
    let too_long = body.chars().count() > MAX_BODY_CHARS
        || title.chars().count() > crate::content::front_matter::MAX_TITLE * 2
        || dek.chars().count() > crate::content::front_matter::MAX_DEK * 2;
    if too_long {
        return Err(AppError::invalid("body", "The text is too long to preview."));
    }
    let single_line = |t: &str| t.replace(['\r', '\n'], " ").trim().to_owned();
    let dek = single_line(&dek);
    let text = copy_check::Text {
        title: single_line(&title),
        dek: (!dek.is_empty()).then_some(dek),
        body_md: crate::domain::text::normalise_newlines(body.trim()),
        lang: (!lang.trim().is_empty()).then(|| lang.trim().to_owned()),
    };
    let checked = copy_check::check(pool, text.clone(), article_id).await?;
    Ok((text, checked))
}
