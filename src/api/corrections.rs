use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;

use crate::domain::suggestion::SuggestionForm;
use crate::error::AppError;

/// The correction widget's endpoint. The plain form posts to `/articles/{slug}/correction`
/// and ends up in the same `submit`.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "corrections/suggest")]
pub async fn suggest_correction(slug: String, form: SuggestionForm) -> Result<(), AppError> {
    let caller = crate::api::caller().await?;
    let result = ssr::submit(&caller.state, &slug, &form, &caller.client).await;
    if let Err(error) = &result {
        crate::api::set_status(error);
    }
    result
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::clients::{CORRECTION_LIMIT, ClientHash};
    use crate::content::markdown::article_plain_text;
    use crate::db::{self, corrections::NewReport};
    use crate::domain::anchor::{Selection, locate};
    use crate::domain::slug::Slug;
    use crate::state::AppState;

    pub const QUOTE_NOT_FOUND: &str = "We could not find the selected text in this article. It may have been edited since you opened the page: reload it and select the words again.";

    /// Validates, locates and stores one suggestion. A filled honeypot is accepted silently
    /// and stores nothing.
    pub async fn submit(
        state: &AppState,
        slug: &str,
        form: &SuggestionForm,
        client: &ClientHash,
    ) -> Result<(), AppError> {
        let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
        let article = db::articles::published_by_slug(&state.pool, slug.as_str()).await?.ok_or(AppError::NotFound)?;
        if form.is_bot() {
            tracing::info!("correction honeypot filled; dropped");
            return Ok(());
        }
        let suggestion = form.parse().map_err(AppError::Invalid)?;
        let anchor = match &suggestion.quote {
            None => None,
            Some(quote) => {
                let text = article_plain_text(&article.title, article.dek.as_deref(), &article.body_md);
                let selection = Selection {
                    quote,
                    prefix: &suggestion.prefix,
                    suffix: &suggestion.suffix,
                    hint_utf16: suggestion.hint,
                };
                Some(locate(&text, &selection).ok_or_else(|| AppError::invalid("quote", QUOTE_NOT_FOUND))?)
            }
        };
        if !state.limiter.allow(CORRECTION_LIMIT, client) {
            return Err(AppError::RateLimited);
        }
        let report = NewReport {
            article_id: article.id,
            revision: article.revision,
            quote: anchor.as_ref().map_or("", |a| a.quote.as_str()),
            prefix: anchor.as_ref().map_or("", |a| a.prefix.as_str()),
            suffix: anchor.as_ref().map_or("", |a| a.suffix.as_str()),
            span: anchor.as_ref().map(|a| (a.start, a.end)),
            kind: suggestion.kind,
            suggested: &suggestion.suggested,
            note: suggestion.note.as_deref(),
            email: suggestion.email.as_deref(),
            client_hash: client.as_str(),
        };
        let stored = db::corrections::add_report(&state.pool, &report).await?;
        tracing::info!(group = stored.group_id, reports = stored.report_count, "correction suggestion stored");
        Ok(())
    }
}
