//! `/articles/{slug}/correction`: the plain correction form, which works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Meta;

use super::{PageTitle, load_page, param, query, state};
use crate::components::form::{Honeypot, ProblemKindField, TextField};
use crate::domain::suggestion::{Kind, MAX_NOTE_CHARS, SuggestionForm};
use crate::error::AppError;
use crate::services::articles::article_summary;

/// What a reader sent that could not be accepted, to show again with the problems.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub form: SuggestionForm,
    pub error: AppError,
}

#[component]
pub fn CorrectionPage() -> impl IntoView {
    let state = state();
    let slug = param("slug");
    let sent = query("sent").is_some();
    let rejected = use_context::<Rejected>();
    load_page(async move { article_summary(&state.pool, &slug).await }, move |article| {
        let (form, error) = match rejected.clone() {
            Some(Rejected { form, error }) => (form, Some(error)),
            None => (SuggestionForm { kind: Kind::Typo.as_str().into(), ..Default::default() }, None),
        };
        let field_error = |name: &str| error.as_ref().and_then(|e| e.field(name)).map(str::to_owned);
        let article_href = format!("/articles/{}", article.slug);
        let action = format!("{article_href}/correction");
        view! {
            <PageTitle text=format!("Suggest a correction: {}", article.title) />
            <Meta name="robots" content="noindex" />
            <div class="wrap narrow">
                <h1 class="page-title">"Suggest a correction"</h1>
                <p>"For the article " <a href=article_href.clone()>{article.title.clone()}</a></p>
                {sent.then(|| view! {
                    <p class="notice notice-success" role="status">
                        "Thank you. The editors will review your suggestion. "
                        <a href=article_href.clone()>"Back to the article"</a>
                    </p>
                })}
                {error.as_ref().map(|e| view! { <p class="notice notice-error" role="alert">{e.to_string()}</p> })}
                <form class="stacked" method="post" action=action>
                    <TextField name="quote" label="Phrase in question (optional)" multiline=true value=form.quote.clone()
                        hint="Copy the words from the article that need fixing." error=field_error("quote") />
                    <ProblemKindField selected=form.kind.clone() error=field_error("kind") />
                    <TextField name="suggested" label="Suggested text" multiline=true required=true value=form.suggested.clone()
                        error=field_error("suggested") />
                    <TextField name="note" label="Note for the editors (optional)" multiline=true max_chars=MAX_NOTE_CHARS value=form.note.clone()
                        error=field_error("note") />
                    <TextField name="email" label="Email (optional)" input_type="email" value=form.email.clone()
                        hint="Only if you would like a reply. It is never published."
                        error=field_error("email") />
                    <Honeypot />
                    <button type="submit">"Send suggestion"</button>
                </form>
            </div>
        }
    })
}
