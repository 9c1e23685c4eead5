//! (ssr) Reader comments: posting one, reporting one, and the comment section an article
//! page shows.

use crate::db::{self, Pool, comments::CommentWriter};
use crate::domain::comment::{CommentForm, MAX_DEPTH, Order, Posted, ReportForm, Thread, hold_for};
use crate::domain::mail::Message;
use crate::domain::moderation::WordListName;
use crate::domain::slug::Slug;
use crate::domain::text::FieldError;
use crate::domain::tokens::{Client, ReaderToken, SessionId};
use crate::domain::words::WordList;
use crate::error::AppError;
use crate::services::mail::Links;
use crate::services::rate_limits::{COMMENT_LIMIT, REPORT_LIMIT, RateLimiter};

pub const PARENT_MISSING: &str = "The comment you replied to is not part of this article.";
pub const TOO_DEEP: &str = "Replies nest three levels deep. Reply to the comment above this one instead.";

/// Who is writing a comment.
pub struct Author<'a> {
    pub client: &'a Client,
    /// The reader's cookie token (a new one when they had none).
    pub token: &'a ReaderToken,
    /// The staff session the browser carries, if any: a signed-in staff member's comment is
    /// published at once under their name, with a "Staff" badge.
    pub staff_session: Option<&'a SessionId>,
}

/// Validates and stores one comment. The client's limit is charged first, before any query,
/// so refused and failed attempts count too. A filled honeypot gets an answer that looks
/// like success and stores nothing.
#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn post(
    pool: &Pool,
    writer: &CommentWriter,
    limiter: &RateLimiter,
    links: &Links,
    slug: &str,
    form: &CommentForm,
    author: Author<'_>,
) -> Result<Posted, AppError> {
    if !limiter.allow(COMMENT_LIMIT, &author.client.limited) {
        return Err(AppError::RateLimited);
    }
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    let article = db::comments::article_settings(pool, slug.as_str()).await?.ok_or(AppError::NotFound)?;
    if article.closed {
        return Err(AppError::CommentsClosed);
    }
    let mut comment = form.parse().map_err(AppError::Invalid)?;
    let staff = crate::services::staff::current(pool, author.staff_session).await?;
    let staff = staff.as_ref();
    if form.is_bot() {
        tracing::info!("comment honeypot filled; dropped");
        return Ok(posted(0, &comment.name, &comment.body, true, false, db::now()));
    }
    if let Some(staff) = staff {
        comment.name = staff.name.clone();
    } else if db::comments::is_banned(pool, comment.email.as_deref(), author.client.stored.as_str()).await? {
        return Err(AppError::Banned);
    }
    let (suspect, banned) = tokio::try_join!(
        db::comments::words(pool, WordListName::Suspect),
        db::comments::words(pool, WordListName::Banned),
    )?;
    let banned = WordList::new(banned);
    let mut problems = Vec::new();
    for (field, text) in [("name", &comment.name), ("body", &comment.body)] {
        if let Some(word) = banned.find(text) {
            problems.push(FieldError {
                field: field.into(),
                message: format!("Please remove \u{201c}{word}\u{201d}: it is not allowed in comments here."),
            });
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let token_hash = author.token.hash();
    let parent = match comment.parent {
        None => None,
        Some(id) => {
            let parent = db::comments::parent(pool, id)
                .await?
                .filter(|p| p.article_id == article.article_id && p.visible_to(&token_hash))
                .ok_or_else(|| AppError::invalid("parent", PARENT_MISSING))?;
            if parent.depth >= MAX_DEPTH {
                return Err(AppError::invalid("parent", TOO_DEEP));
            }
            Some(parent)
        }
    };
    let suspect = WordList::new(suspect);
    let suspect_word = suspect.find(&comment.name).or_else(|| suspect.find(&comment.body));
    let hold = if staff.is_some() { None } else { hold_for(article.mode, suspect_word, &comment.body) };
    let (name, body) = (comment.name.clone(), comment.body.clone());
    // Queued with the comment only if the address has not confirmed yet (the data layer knows).
    let confirm =
        comment.notify.then(|| comment.email.as_deref().and_then(crate::domain::mail::address)).flatten().map(
            |address| Message::ConfirmReplies {
                headline: article.title.clone(),
                confirm_url: links.confirm_url(&address),
            },
        );
    let insert = db::comments::Insert {
        article_id: article.article_id,
        parent,
        comment,
        hold: hold.clone(),
        client_hash: author.client.stored.as_str().to_owned(),
        author_token: token_hash,
        staff_id: staff.map(|s| s.id),
        confirm,
    };
    let (id, at) = writer.insert(insert).await?;
    tracing::info!(id, held = hold.as_ref().map(|h| h.code()), "comment stored");
    Ok(posted(id, &name, &body, hold.is_some(), staff.is_some(), at))
}

fn posted(id: i64, name: &str, body: &str, pending: bool, staff: bool, at: time::OffsetDateTime) -> Posted {
    use crate::domain::dates::{long_date_time, machine_time};
    Posted {
        id,
        author_name: name.to_owned(),
        body: body.to_owned(),
        pending,
        staff,
        at_machine: machine_time(at),
        at_label: long_date_time(at),
    }
}

/// Validates and records one report; `Ok(false)` when this reader already reported it. The
/// limit is charged first.
#[tracing::instrument(skip(pool, limiter, form, client))]
pub async fn report(
    pool: &Pool,
    limiter: &RateLimiter,
    slug: &str,
    comment_id: i64,
    form: &ReportForm,
    client: &Client,
) -> Result<bool, AppError> {
    if !limiter.allow(REPORT_LIMIT, &client.limited) {
        return Err(AppError::RateLimited);
    }
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    let article = db::comments::article_settings(pool, slug.as_str()).await?.ok_or(AppError::NotFound)?;
    let report = form.parse().map_err(AppError::Invalid)?;
    if !db::comments::is_published_on(pool, comment_id, article.article_id).await? {
        return Err(AppError::NotFound);
    }
    let new = db::comments::add_report(pool, comment_id, report.reason, report.note.as_deref(), client.stored.as_str())
        .await?;
    tracing::info!(comment_id, new, reason = report.reason.as_str(), "comment report");
    Ok(new)
}

/// The comment section of an article for one reader: count, featured comments, a page of
/// threads, and whether the article takes comments.
#[tracing::instrument(skip_all)]
pub async fn thread(
    pool: &Pool,
    article_id: i64,
    reader: Option<&ReaderToken>,
    order: Order,
    page: u32,
) -> Result<Thread, AppError> {
    let token_hash = reader.map(ReaderToken::hash).unwrap_or_default();
    let (count, featured, (comments, has_more), closed) = tokio::try_join!(
        db::comments::published_count(pool, article_id),
        db::comments::featured(pool, article_id),
        db::comments::thread_page(pool, article_id, &token_hash, order, page),
        db::comments::is_closed(pool, article_id),
    )?;
    if comments.is_empty() && page > 1 {
        return Err(AppError::NotFound);
    }
    Ok(Thread { count, featured, comments, order, page, has_more, closed })
}
