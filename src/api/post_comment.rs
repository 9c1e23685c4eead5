//! The comment box's post.

use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;

use crate::domain::comment::{CommentForm, Posted};
use crate::error::AppError;

/// The comment box's endpoint; the plain form (`http::forms::comments`) uses the same
/// service. Answers with the comment as its author now sees it.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "comments/post")]
pub async fn post_comment(slug: String, form: CommentForm) -> Result<Posted, AppError> {
    use crate::domain::tokens::ReaderToken;
    use crate::http::server_fn::{answer, caller, set_reader_cookie};
    use crate::services::comments;

    let caller = caller()?;
    let (state, visitor) = (&caller.state, &caller.visitor);
    let token = visitor.reader.clone().unwrap_or_else(ReaderToken::generate);
    let author =
        comments::Author { client: visitor.client(), token: &token, staff_session: visitor.staff_session.as_ref() };
    let result =
        comments::post(&state.pool, &state.comments, &state.limiter, &state.mail_links, &slug, &form, author).await;
    if result.is_ok() && visitor.reader.is_none() {
        set_reader_cookie(&token, state.config.is_https());
    }
    answer(result)
}
