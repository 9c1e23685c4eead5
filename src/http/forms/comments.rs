//! (ssr) `POST /articles/{slug}/comments` and `.../comments/{id}/report`.

use axum::extract::{Path, State};
use axum::response::Redirect;

use super::{FormError, MaybeCookie, show_again, with_cookie};
use crate::domain::comment::{CommentForm, ReportForm};
use crate::domain::tokens::ReaderToken;
use crate::http::guards::SameOrigin;
use crate::http::{Visitor, cookies};
use crate::pages::comments::{CommentRejected, ReportRejected};
use crate::services::comments;
use crate::state::AppState;

/// Stores the comment and goes back to the article, or shows the article again with the
/// form, what the reader typed and what is wrong. A reader's first comment sets their cookie.
pub async fn post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    _: SameOrigin,
    visitor: Visitor,
    axum::Form(form): axum::Form<CommentForm>,
) -> Result<(MaybeCookie, Redirect), FormError> {
    let token = visitor.reader.clone().unwrap_or_else(ReaderToken::generate);
    let author =
        comments::Author { client: visitor.client(), token: &token, staff_session: visitor.staff_session.as_ref() };
    let result = comments::post(&state.pool, &state.comments, &state.limiter, &slug, &form, author).await;
    match result {
        Ok(comment) => {
            let outcome = if comment.pending { "pending" } else { "published" };
            let anchor = if comment.id > 0 { format!("comment-{}", comment.id) } else { "comments".into() };
            let cookie = visitor.reader.is_none().then(|| cookies::set_reader(&token, state.config.is_https()));
            Ok((with_cookie(cookie), Redirect::to(&format!("/articles/{slug}?posted={outcome}#{anchor}"))))
        }
        Err(error) => {
            let status = error.status();
            Err(show_again(&state, &article_path(&slug), &visitor, status, CommentRejected { form, error }).await)
        }
    }
}

/// Records the report and goes back to the comment, or shows the article again.
pub async fn report(
    State(state): State<AppState>,
    Path((slug, comment)): Path<(String, i64)>,
    _: SameOrigin,
    visitor: Visitor,
    axum::Form(form): axum::Form<ReportForm>,
) -> Result<Redirect, FormError> {
    match comments::report(&state.pool, &state.limiter, &slug, comment, &form, visitor.client()).await {
        Ok(new) => {
            let again = if new { "" } else { "&again=1" };
            Ok(Redirect::to(&format!("/articles/{slug}?reported={comment}{again}#comment-{comment}")))
        }
        Err(error) => {
            let status = error.status();
            let rejected = ReportRejected { comment, form, error };
            Err(show_again(&state, &article_path(&slug), &visitor, status, rejected).await)
        }
    }
}

/// The article's path, for a slug that may be anything a client sent: it is only used to
/// render the page again, which answers 404 for what is not an article.
fn article_path(slug: &str) -> String {
    let safe = slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if safe { format!("/articles/{slug}") } else { "/articles/-".into() }
}
