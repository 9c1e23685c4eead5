//! (ssr) What the staff desk's pages read: queue counts and pages, bans, the settings page,
//! the audit log and the corrections desk.

use std::collections::HashMap;

use crate::copy_check::Problem;
use crate::db::{self, Pool};
use crate::domain::audit::{Entry, Kind};
use crate::domain::comment::{Moderation, Queue, QueueCounts};
use crate::domain::desk::{ArticleCommentSettings, Ban, ChangedIn, DeskGroup, QueueItem};
use crate::domain::staff::StaffMember;
use crate::domain::suggestion::Status;
use crate::error::AppError;
use crate::services::copy_check;
use crate::services::corrections::{self, Fit, fit};

/// Comments shown per queue page.
pub const QUEUE_PAGE: u32 = 50;
/// Articles the settings page lists with their comment settings, newest first.
pub const SETTINGS_ARTICLES: u32 = 50;
/// Audit entries shown at most.
pub const AUDIT_ENTRIES: u32 = 200;

#[tracing::instrument(skip_all)]
pub async fn queue_counts(pool: &Pool) -> Result<QueueCounts, AppError> {
    Ok(db::comments::queue_counts(pool).await?)
}

/// One page of a moderation queue with every queue's count, and whether another follows.
#[tracing::instrument(skip_all, fields(queue = queue.as_str(), page = page))]
pub async fn queue_page(pool: &Pool, queue: Queue, page: u32) -> Result<(QueueCounts, Vec<QueueItem>, bool), AppError> {
    let offset = super::offset(page, QUEUE_PAGE);
    let (counts, items) =
        tokio::try_join!(db::comments::queue_counts(pool), db::comments::queue(pool, queue, QUEUE_PAGE + 1, offset))?;
    let (items, has_next) = super::page_of(items, QUEUE_PAGE);
    Ok((counts, items, has_next))
}

/// Bans on one page of the list, newest first.
pub const BANS_PAGE: u32 = 100;

/// One page of bans, newest first, and whether another follows.
#[tracing::instrument(skip_all, fields(page = page))]
pub async fn bans(pool: &Pool, page: u32) -> Result<(Vec<Ban>, bool), AppError> {
    let bans = db::comments::bans(pool, BANS_PAGE + 1, super::offset(page, BANS_PAGE)).await?;
    Ok(super::page_of(bans, BANS_PAGE))
}

/// What the settings page shows.
#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Moderation,
    pub suspect: Vec<String>,
    pub banned: Vec<String>,
    pub articles: Vec<ArticleCommentSettings>,
}

#[tracing::instrument(skip_all)]
pub async fn settings(pool: &Pool) -> Result<Settings, AppError> {
    let (mode, (suspect, banned), articles) = tokio::try_join!(
        async { Ok::<_, AppError>(db::comments::site_moderation(pool).await?) },
        crate::services::moderation::word_lists(pool),
        async { Ok(db::comments::article_comment_settings(pool, SETTINGS_ARTICLES).await?) },
    )?;
    Ok(Settings { mode, suspect, banned, articles })
}

/// What the audit page shows: the entries, and every account and the kind for the filter.
#[derive(Debug, Clone)]
pub struct Audit {
    pub members: Vec<StaffMember>,
    pub kind: Option<Kind>,
    pub entries: Vec<Entry>,
}

/// The audit log, optionally for one staff member and one kind (by name: an unknown kind is
/// a page that does not exist), with every account for the filter.
#[tracing::instrument(skip_all)]
pub async fn audit(pool: &Pool, member: Option<i64>, kind: Option<&str>) -> Result<Audit, AppError> {
    let kind = match kind {
        None | Some("") => None,
        Some(raw) => Some(Kind::parse(raw).ok_or(AppError::NotFound)?),
    };
    let (members, entries) =
        tokio::try_join!(db::staff::list(pool), db::audit::list(pool, member, kind, AUDIT_ENTRIES))?;
    Ok(Audit { members, kind, entries })
}

/// A suggestion group on the desk, with what the desk can do with it.
#[derive(Debug, Clone)]
pub struct DeskItem {
    pub group: DeskGroup,
    pub fit: Fit,
    /// What the copy check flagged where the reader pointed: it saw the mistake too.
    pub flagged: Vec<Problem>,
    /// How many more times the quote stands, as a whole word, elsewhere in the story: the
    /// fix can be made there too.
    pub elsewhere: usize,
    /// For an open group whose quote is gone: the revision that changed it.
    pub changed: Option<ChangedIn>,
}

/// Suggestion groups with the given status (`None`: all), each with what can be done with
/// it against the article as it is now and, for open ones, what the copy check found there.
#[tracing::instrument(skip_all, fields(status = status.map(|s| s.as_str())))]
pub async fn corrections(pool: &Pool, status: Option<Status>) -> Result<Vec<DeskItem>, AppError> {
    let groups = db::corrections::desk(pool, status).await?;
    // Each article is read and checked once, however many suggestions it has.
    let mut articles = HashMap::new();
    let mut checks: HashMap<String, Vec<Problem>> = HashMap::new();
    let mut checker: Option<copy_check::Checker> = None;
    let mut items = Vec::new();
    for group in groups {
        if !articles.contains_key(&group.slug) {
            let article = db::articles::published_by_slug(pool, &group.slug).await?;
            articles.insert(group.slug.clone(), article);
        }
        let article = articles[&group.slug].as_ref();
        let fit = article.map_or(Fit::TextChanged, |a| fit(&group, a));
        let (mut flagged, mut elsewhere) = (Vec::new(), 0);
        if let (Some(article), Status::Open) = (article, group.status) {
            if !checks.contains_key(&group.slug) {
                let text = copy_check::Text {
                    title: article.title.clone(),
                    dek: article.dek.clone(),
                    body_md: article.body_md.clone(),
                    lang: article.lang.clone(),
                };
                // Read once, for the first article that needs it.
                if checker.is_none() {
                    checker = Some(copy_check::Checker::load(pool).await?);
                }
                let checker = checker.as_ref().expect("loaded above");
                let problems = checker.check(pool, text, Some(article.id)).await.map(|c| c.problems);
                checks.insert(group.slug.clone(), problems.unwrap_or_default());
            }
            flagged = flagged_in_quote(&checks[&group.slug], &group, &fit);
            let total = corrections::whole_word_places(article, &group.quote).len();
            elsewhere = total.saturating_sub(usize::from(matches!(fit, Fit::Applicable(..))));
        }
        let changed = if group.status == Status::Open && fit == Fit::TextChanged {
            corrections::changed_in(pool, &group).await?
        } else {
            None
        };
        items.push(DeskItem { group, fit, flagged, elsewhere, changed });
    }
    Ok(items)
}

/// The check's findings inside the reader's quote: by place when the quote maps to the
/// source, otherwise by the flagged text standing in the quote.
fn flagged_in_quote(problems: &[Problem], group: &DeskGroup, fit: &Fit) -> Vec<Problem> {
    problems
        .iter()
        .filter(|p| match fit {
            Fit::Applicable(field, range) => {
                p.field == *field && p.range.start < range.end && p.range.end > range.start
            }
            _ => !group.quote.is_empty() && group.quote.contains(p.text.as_str()),
        })
        .cloned()
        .collect()
}
