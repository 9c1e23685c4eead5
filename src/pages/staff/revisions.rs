//! `/staff/articles/{slug}/revisions`: every saved version, who saved it and when, and what
//! changed from the one before, word by word; 20 a page.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::dates::Time;
use crate::components::diff::field_diffs;
use crate::components::pagination::Pagination;
use crate::domain::desk::RevisionChanges;
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::load_page;
use crate::pages::{PageTitle, param, query};
use crate::services::articles::parse_page;
use crate::services::editing;

#[component]
pub fn RevisionsPage() -> impl IntoView {
    let (slug, page) = (param("slug"), query("page"));
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Editor).await?;
            let page = parse_page(page.as_deref())?;
            let history = editing::history(&state.pool, &slug, page).await?;
            Ok::<_, AppError>((staff, history))
        },
        move |(staff, history)| {
            let editing::History { article, revisions, page, has_next } = history;
            let first = revisions.first().map_or(0, |r| r.revision.revision);
            let items = revisions.into_iter().map(revision_item).collect_view();
            let title = article.content.title.clone();
            let base = format!("/staff/articles/{}/revisions", article.slug);
            view! {
                <PageTitle text=format!("History: {title} · Staff desk") />
                <StaffFrame staff current="/staff/articles">
                    <h1 class="page-title">{format!("History: {title}")}</h1>
                    <p><a href=format!("/staff/articles/{}/edit", article.slug)>"Back to the editor"</a></p>
                    <ol class="revisions" reversed start=first>{items}</ol>
                    <Pagination base page has_next />
                </StaffFrame>
            }
        },
    )
}

fn revision_item(item: RevisionChanges) -> impl IntoView + use<> {
    let RevisionChanges { revision, fields } = item;
    let who = revision.saved_by.clone().unwrap_or_else(|| "Imported from a file".into());
    let summary = revision
        .summary
        .clone()
        .unwrap_or_else(|| if fields.is_none() { "First version".into() } else { "No summary".into() });
    let changes = fields.map(field_diffs);
    view! {
        <li class="revision" id=format!("revision-{}", revision.revision)>
            <p class="queue-head">
                <strong>{format!("Revision {}", revision.revision)}</strong>
                <Time at=revision.created_at with_time=true />
                <span>{format!("by {who}")}</span>
            </p>
            <p>{summary}</p>
            {changes}
            <details>
                <summary>{format!("Text of revision {}", revision.revision)}</summary>
                <pre class="revision-source">{revision.body_md.clone()}</pre>
            </details>
        </li>
    }
}
