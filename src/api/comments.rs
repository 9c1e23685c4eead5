use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;

use crate::domain::comment::{CommentForm, Posted, ReportForm};
use crate::error::AppError;

/// The comment box's endpoint. The plain form posts to `/articles/{slug}/comments` and ends
/// up in the same `ssr::post`. Answers with the comment as its author now sees it.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "comments/post")]
pub async fn post_comment(slug: String, form: CommentForm) -> Result<Posted, AppError> {
    let caller = crate::api::caller().await?;
    let reader = ssr::reader_or_new(&caller.headers);
    let staff = crate::auth::current(&caller.state, &caller.headers).await?;
    let result = ssr::post(&caller.state, &slug, &form, &caller.client, &reader.token, staff.as_ref()).await;
    match &result {
        Ok(_) if reader.is_new => {
            let cookie = reader.token.cookie(caller.state.config.is_https());
            if let (Some(response), Ok(value)) =
                (use_context::<leptos_axum::ResponseOptions>(), axum::http::HeaderValue::from_str(&cookie))
            {
                response.append_header(axum::http::header::SET_COOKIE, value);
            }
        }
        Ok(_) => {}
        Err(error) => crate::api::set_status(error),
    }
    result
}

/// Records a reader's report on a comment. `Ok(false)`: this reader had already reported it.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "comments/report")]
pub async fn report_comment(slug: String, comment: i64, form: ReportForm) -> Result<bool, AppError> {
    let caller = crate::api::caller().await?;
    let result = ssr::report(&caller.state, &slug, comment, &form, &caller.client).await;
    if let Err(error) = &result {
        crate::api::set_status(error);
    }
    result
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::clients::{COMMENT_LIMIT, ClientHash, REPORT_LIMIT, ReaderToken};
    use crate::db::{self, comments::WordListName};
    use crate::domain::comment::{Order, Thread, hold_for};
    use crate::domain::slug::Slug;
    use crate::domain::staff::StaffMember;
    use crate::domain::words::WordList;
    use crate::state::AppState;

    pub const PARENT_MISSING: &str = "The comment you replied to is not part of this article.";
    pub const TOO_DEEP: &str = "Replies nest three levels deep. Reply to the comment above this one instead.";

    /// The reader's cookie token, or a new one to set if this request stores something.
    pub struct Reader {
        pub token: ReaderToken,
        pub is_new: bool,
    }

    pub fn reader_or_new(headers: &axum::http::HeaderMap) -> Reader {
        match ReaderToken::from_headers(headers) {
            Some(token) => Reader { token, is_new: false },
            None => Reader { token: ReaderToken::generate(), is_new: true },
        }
    }

    /// Validates and stores one comment. A filled honeypot gets an answer that looks like
    /// success and stores nothing. A signed-in staff member's comment is published at once
    /// under their name, with a "Staff" badge.
    pub async fn post(
        state: &AppState,
        slug: &str,
        form: &CommentForm,
        client: &ClientHash,
        reader: &ReaderToken,
        staff: Option<&StaffMember>,
    ) -> Result<Posted, AppError> {
        let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
        let article = db::comments::article_settings(&state.pool, slug.as_str()).await?.ok_or(AppError::NotFound)?;
        if article.closed {
            return Err(AppError::CommentsClosed);
        }
        let mut comment = form.parse().map_err(AppError::Invalid)?;
        if form.is_bot() {
            tracing::info!("comment honeypot filled; dropped");
            return Ok(posted(0, &comment.name, &comment.body, true, false, db::now()));
        }
        if let Some(staff) = staff {
            comment.name = staff.name.clone();
        } else if db::comments::is_banned(&state.pool, comment.email.as_deref(), client.as_str()).await? {
            return Err(AppError::Banned);
        }
        let (suspect, banned) = tokio::try_join!(
            db::comments::words(&state.pool, WordListName::Suspect),
            db::comments::words(&state.pool, WordListName::Banned),
        )?;
        let banned = WordList::new(banned);
        let mut problems = Vec::new();
        for (field, text) in [("name", &comment.name), ("body", &comment.body)] {
            if let Some(word) = banned.find(text) {
                problems.push(crate::domain::text::FieldError {
                    field: field.into(),
                    message: format!("Please remove \u{201c}{word}\u{201d}: it is not allowed in comments here."),
                });
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let token_hash = reader.hash();
        let parent = match comment.parent {
            None => None,
            Some(id) => {
                let parent = db::comments::parent(&state.pool, id)
                    .await?
                    .filter(|p| p.article_id == article.article_id && p.visible_to(&token_hash))
                    .ok_or_else(|| AppError::invalid("parent", PARENT_MISSING))?;
                if parent.depth >= crate::domain::comment::MAX_DEPTH {
                    return Err(AppError::invalid("parent", TOO_DEEP));
                }
                Some(parent)
            }
        };
        if !state.limiter.allow(COMMENT_LIMIT, client) {
            return Err(AppError::RateLimited);
        }
        let suspect = WordList::new(suspect);
        let suspect_word = suspect.find(&comment.name).or_else(|| suspect.find(&comment.body));
        let hold = if staff.is_some() { None } else { hold_for(article.mode, suspect_word, &comment.body) };
        let new = db::comments::NewComment {
            article_id: article.article_id,
            parent,
            author_name: comment.name.clone(),
            email: comment.email.clone(),
            body: comment.body.clone(),
            hold: hold.clone(),
            client_hash: client.as_str().to_owned(),
            author_token: token_hash,
            staff_id: staff.map(|s| s.id),
        };
        let (id, at) = state.comments.insert(new).await?;
        tracing::info!(id, held = hold.as_ref().map(|h| h.code()), "comment stored");
        Ok(posted(id, &comment.name, &comment.body, hold.is_some(), staff.is_some(), at))
    }

    fn posted(id: i64, name: &str, body: &str, pending: bool, staff: bool, at: time::OffsetDateTime) -> Posted {
        use crate::components::dates::{long_date_time, machine_time};
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

    /// Validates and records one report; `Ok(false)` when this reader already reported it.
    pub async fn report(
        state: &AppState,
        slug: &str,
        comment_id: i64,
        form: &ReportForm,
        client: &ClientHash,
    ) -> Result<bool, AppError> {
        let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
        let article = db::comments::article_settings(&state.pool, slug.as_str()).await?.ok_or(AppError::NotFound)?;
        let report = form.parse().map_err(AppError::Invalid)?;
        if !db::comments::is_published_on(&state.pool, comment_id, article.article_id).await? {
            return Err(AppError::NotFound);
        }
        if !state.limiter.allow(REPORT_LIMIT, client) {
            return Err(AppError::RateLimited);
        }
        let new =
            db::comments::add_report(&state.pool, comment_id, report.reason, report.note.as_deref(), client.as_str())
                .await?;
        tracing::info!(comment_id, new, reason = report.reason.as_str(), "comment report");
        Ok(new)
    }

    /// The comment section of an article for one reader: count, featured comments, a page of
    /// threads, and whether the article takes comments.
    pub async fn thread(
        pool: &db::Pool,
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
}
