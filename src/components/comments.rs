//! How a comment shows its author, time and text.

use leptos::prelude::*;

use crate::domain::comment::{Segment, paragraphs, segments};

/// Who wrote a comment and when, with its badges. Times come formatted (`machine` for the
/// `datetime` attribute, `label` to read), so the browser needs no date code.
#[component]
pub fn CommentHead(
    #[prop(into)] name: String,
    #[prop(into)] machine: String,
    #[prop(into)] label: String,
    #[prop(into)] relative: String,
    #[prop(optional)] pending: bool,
    #[prop(optional)] featured: bool,
    #[prop(optional)] staff: bool,
) -> impl IntoView {
    view! {
        <p class="comment-head">
            <span class="comment-author">{name}</span>
            {staff.then(|| view! { <span class="badge badge-staff">"Staff"</span> })}
            {featured.then(|| view! { <span class="badge badge-featured">"Featured"</span> })}
            {pending.then(|| view! { <span class="badge badge-pending">"Awaiting moderation"</span> })}
            <span class="comment-when">
                <time datetime=machine>{label}</time>
                " · "
                <span class="comment-ago">{relative}</span>
            </span>
        </p>
    }
}

/// A comment's text, always as text: paragraphs at blank lines, line breaks kept, bare web
/// addresses made into links that pass no reputation and no window handle.
#[component]
pub fn CommentBody(#[prop(into)] text: String) -> impl IntoView {
    let paragraphs: Vec<Vec<String>> =
        paragraphs(&text).into_iter().map(|lines| lines.into_iter().map(str::to_owned).collect()).collect();
    view! {
        <div class="comment-body">
            {paragraphs
                .into_iter()
                .map(|lines| {
                    let count = lines.len();
                    let lines = lines
                        .into_iter()
                        .enumerate()
                        .map(|(i, line)| view! { {line_view(&line)} {(i + 1 < count).then(|| view! { <br /> })} })
                        .collect_view();
                    view! { <p>{lines}</p> }
                })
                .collect_view()}
        </div>
    }
}

fn line_view(line: &str) -> impl IntoView + use<> {
    segments(line)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => text.to_owned().into_any(),
            Segment::Link { text, href } => {
                view! { <a href=href rel="nofollow ugc noopener">{text.to_owned()}</a> }.into_any()
            }
        })
        .collect_view()
}
