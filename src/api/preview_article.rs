//! The editor's live preview, with the copy check of what is typed.

use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub use crate::domain::draft::Draft;

/// The preview's two parts, as HTML the server rendered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Preview {
    /// The body as the published page renders it, with the check's findings marked.
    pub body: String,
    /// The copy check's list (`pages::staff::check_list`).
    pub checks: String,
}

/// The article body as the published page would render it (raw HTML shown as text, unsafe
/// links dropped), and the copy check of all the fields. Editors only.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "staff/preview")]
pub async fn preview_article(draft: Draft) -> Result<Preview, AppError> {
    use crate::domain::staff::Role;
    use crate::http::server_fn::{answer, caller};
    use crate::services::{editing, staff};

    let caller = caller()?;
    answer(
        async {
            staff::require(&caller.state.pool, caller.visitor.staff_session.as_ref(), Role::Editor).await?;
            let slug = draft.slug.clone();
            let article_id = match slug.as_deref() {
                Some(slug) => Some(editing::editable(&caller.state.pool, slug).await?.id),
                None => None,
            };
            let (text, checked) = editing::check_draft(&caller.state.pool, draft, article_id).await?;
            let media = crate::services::media::pictures_in(&caller.state.pool, &text.body_md).await?;
            Ok(crate::pages::staff::editor::preview_parts(&text, checked, slug, &media))
        }
        .await,
    )
}

/// What a button in the check's list asks: ignore a problem in this article, show the
/// ignored ones again, or add a word to the house dictionary. Editors only.
#[server(input = Postcard, output = Postcard, prefix = "/api", endpoint = "staff/check-action")]
pub async fn check_action(action: String, slug: Option<String>, kind: String, text: String) -> Result<(), AppError> {
    use crate::domain::staff::Role;
    use crate::http::server_fn::{answer, caller};
    use crate::services::{copy_check, editing, staff};

    let caller = caller()?;
    answer(
        async {
            let pool = &caller.state.pool;
            let member = staff::require(pool, caller.visitor.staff_session.as_ref(), Role::Editor).await?;
            let article = || async {
                let slug = slug.as_deref().ok_or(AppError::NotFound)?;
                editing::editable(pool, slug).await
            };
            match action.as_str() {
                "ignore" => copy_check::ignore(pool, article().await?.id, &kind, &text).await,
                "show-ignored" => copy_check::show_ignored(pool, article().await?.id).await.map(drop),
                "add" => copy_check::add_word(pool, &member, &text).await.map(drop),
                _ => Err(AppError::invalid("action", "Unknown action.")),
            }
        }
        .await,
    )
}
