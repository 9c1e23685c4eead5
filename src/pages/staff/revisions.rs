//! `/staff/articles/{slug}/revisions`: every saved version, who saved it and when, and what
//! changed from the one before, word by word.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::dates::Time;
use crate::domain::desk::Revision;
use crate::domain::diff::{Change, word_diff};
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::load_page;
use crate::pages::{PageTitle, param};
use crate::services::editing;

#[component]
pub fn RevisionsPage() -> impl IntoView {
    let slug = param("slug");
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Editor).await?;
            let (article, revisions) = editing::history(&state.pool, &slug).await?;
            Ok::<_, AppError>((staff, article, revisions))
        },
        move |(staff, article, revisions)| {
            // Newest first: each revision is compared with the next one in the list.
            let items = revisions
                .iter()
                .enumerate()
                .map(|(i, revision)| revision_item(revision, revisions.get(i + 1)))
                .collect_view();
            let title = article.content.title.clone();
            view! {
                <PageTitle text=format!("History: {title} · Staff desk") />
                <StaffFrame staff current="/staff/articles">
                    <h1 class="page-title">{format!("History: {title}")}</h1>
                    <p><a href=format!("/staff/articles/{}/edit", article.slug)>"Back to the editor"</a></p>
                    <ol class="revisions" reversed>{items}</ol>
                </StaffFrame>
            }
        },
    )
}

fn revision_item(revision: &Revision, previous: Option<&Revision>) -> impl IntoView + use<> {
    let who = revision.saved_by.clone().unwrap_or_else(|| "Imported from a file".into());
    let summary = revision
        .summary
        .clone()
        .unwrap_or_else(|| if previous.is_none() { "First version".into() } else { "No summary".into() });
    let changes = previous.map(|old| {
        let fields = [
            ("Headline", old.title.as_str(), revision.title.as_str()),
            ("Dek", old.dek.as_deref().unwrap_or_default(), revision.dek.as_deref().unwrap_or_default()),
            ("Byline", old.byline.as_str(), revision.byline.as_str()),
            // Revisions from before topics were kept say nothing about them.
            (
                "Topics",
                old.topics.as_deref().unwrap_or_else(|| revision.topics.as_deref().unwrap_or_default()),
                revision.topics.as_deref().unwrap_or_default(),
            ),
            ("Text", old.body_md.as_str(), revision.body_md.as_str()),
        ];
        fields
            .into_iter()
            .filter(|(_, old, new)| old != new)
            .map(|(label, old, new)| {
                view! {
                    <div class="revision-field">
                        <h3>{label}</h3>
                        <p class="correction-diff revision-diff">{diff_view(old, new)}</p>
                    </div>
                }
            })
            .collect_view()
    });
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

/// Removed words struck through, added ones underlined; long unchanged runs shortened.
fn diff_view(old: &str, new: &str) -> impl IntoView + use<> {
    word_diff(old, new)
        .into_iter()
        .map(|change| match change {
            Change::Same(t) => view! { <span>{shorten(&t)}</span> }.into_any(),
            Change::Removed(t) => view! { <del>{t}</del> }.into_any(),
            Change::Added(t) => view! { <ins>{t}</ins> }.into_any(),
        })
        .collect_view()
}

/// An unchanged stretch of more than 40 words keeps 12 at each end around an ellipsis.
fn shorten(text: &str) -> String {
    let words: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    if words.len() <= 40 {
        return text.to_owned();
    }
    format!("{} … {}", words[..12].concat(), words[words.len() - 12..].concat())
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn long_unchanged_runs_are_shortened() {
        assert_eq!(shorten("a few words"), "a few words");
        let long = (0..100).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        let short = shorten(&long);
        assert!(short.starts_with("w0 w1 ") && short.contains(" … ") && short.ends_with("w99"), "{short}");
        assert!(!short.contains("w50"));
    }
}
