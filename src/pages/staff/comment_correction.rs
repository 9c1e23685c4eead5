//! (ssr) `/staff/comments/{id}/correction`: a moderator turns a comment that points out an
//! error into a correction suggestion, copying the words in question from the article.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::form::{ProblemKindField, TextField};
use crate::domain::staff::Role;
use crate::domain::suggestion::{Kind, MAX_NOTE_CHARS, SuggestionForm};
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::{PageTitle, load_page, param};
use crate::services::from_comments::{self, Source};

/// What the moderator sent that could not be stored, to show again with the problems.
#[derive(Debug, Clone)]
pub struct SuggestionRefused {
    pub form: SuggestionForm,
    pub error: AppError,
}

#[component]
pub fn CommentCorrectionPage() -> impl IntoView {
    let id = param("id");
    let refused = use_context::<SuggestionRefused>();
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Moderator).await?;
            let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
            let source = from_comments::source(&state.pool, id).await?;
            Ok::<_, AppError>((staff, source))
        },
        move |(staff, source): (_, Source)| {
            let Source { comment, paragraphs, .. } = source;
            let (form, error) = match refused.clone() {
                Some(SuggestionRefused { form, error }) => (form, Some(error)),
                None => (SuggestionForm { kind: Kind::Factual.as_str().into(), ..Default::default() }, None),
            };
            let field_error = |name: &str| error.as_ref().and_then(|e| e.field(name)).map(str::to_owned);
            let (quote_error, kind_error, suggested_error, note_error) =
                (field_error("quote"), field_error("kind"), field_error("suggested"), field_error("note"));
            let error = error.map(|e| e.to_string());
            let action = format!("/staff/comments/{}/correction", comment.id);
            let text = paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view();
            view! {
                <PageTitle text="Correction from a comment · Staff desk" />
                <StaffFrame staff current="/staff/comments">
                    <h1 class="page-title">"Correction from a comment"</h1>
                    <p>"On " <a href=format!("/articles/{}", comment.article_slug)>{comment.article_title.clone()}</a></p>
                    <blockquote class="comment-source">
                        <p class="queue-meta">{format!("{} wrote:", comment.author_name)}</p>
                        <p class="queue-body">{comment.body.clone()}</p>
                    </blockquote>
                    {error.map(|e| view! { <p class="notice notice-error" role="alert">{e}</p> })}
                    <form class="stacked" method="post" action=action>
                        <TextField name="quote" label="Words in the article that are wrong" multiline=true rows=2 required=true
                            value=form.quote.clone() error=quote_error
                            hint="Copy them exactly from the article's text below; a few words around them if they stand more than once." />
                        <ProblemKindField selected=form.kind.clone() error=kind_error />
                        <TextField name="suggested" label="What it should say" multiline=true rows=2 required=true
                            value=form.suggested.clone() error=suggested_error />
                        <TextField name="note" label="Note for the desk (optional)" multiline=true rows=2 max_chars=MAX_NOTE_CHARS
                            value=form.note.clone() error=note_error />
                        <button type="submit">"Send to the corrections desk"</button>
                    </form>
                    <section class="article-source" aria-labelledby="article-text">
                        <h2 id="article-text">"The article as it reads now"</h2>
                        {text}
                    </section>
                </StaffFrame>
            }
        },
    )
}
