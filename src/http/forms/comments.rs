//! (ssr) `POST /articles/{slug}/comments` and `.../comments/{id}/report`.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::{FormError, MaybeCookie, show_again, with_cookie};
use crate::domain::comment::{CommentForm, ReportForm};
use crate::domain::tokens::ReaderToken;
use crate::error::AppError;
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
    let result =
        comments::post(&state.pool, &state.comments, &state.limiter, &state.mail_links, &slug, &form, author).await;
    match result {
        Ok(comment) => {
            let outcome = if comment.pending { "pending" } else { "published" };
            let anchor = if comment.id > 0 { format!("comment-{}", comment.id) } else { "comments".into() };
            let cookie = visitor.reader.is_none().then(|| cookies::set_reader(&token, state.config.is_https()));
            Ok((with_cookie(cookie), Redirect::to(&format!("/articles/{slug}?posted={outcome}#{anchor}"))))
        }
        // The article page would wait on the database again: the form comes back on a
        // page that needs none.
        Err(AppError::Busy) => Err(FormError::ShownAgain(unsaved(&state, &slug, form))),
        Err(error) => {
            let status = error.status();
            Err(show_again(&state, &article_path(&slug), &visitor, status, CommentRejected { form, error }).await)
        }
    }
}

/// 503 with the comment's form filled in as sent, and `Retry-After`.
fn unsaved(state: &AppState, slug: &str, form: CommentForm) -> Response {
    let site = crate::built_site::built_site(&state.leptos_options);
    let css = site.inline_css.as_ref();
    let slug = if article_path(slug) == "/articles/-" { "-" } else { slug };
    let html = crate::pages::unsaved::unsaved_comment(css.map(|(text, _)| text.as_str()), slug, form);
    let policy = format!(
        "default-src 'none'; style-src {}; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        css.map_or("'none'", |(_, hash)| hash.as_str())
    );
    let mut response = AppError::Busy.into_response();
    *response.body_mut() = axum::body::Body::from(html);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(policy) = HeaderValue::try_from(policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
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
