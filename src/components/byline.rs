//! Who wrote a story, as its page and its cards say it.

use leptos::prelude::*;

use crate::domain::author::AuthorRef;

/// "Ana García and Rui Okafor", each linked to their page (`rel="author"`); the byline text
/// as written when no author has a profile (wire copy).
#[component]
pub fn AuthorNames(byline: String, authors: Vec<AuthorRef>) -> impl IntoView {
    if authors.is_empty() {
        return view! { <span class="author">{byline}</span> }.into_any();
    }
    let last = authors.len() - 1;
    authors
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let joint = match i {
                0 => None,
                _ if i == last => Some(" and "),
                _ => Some(", "),
            };
            let href = a.href();
            view! { {joint}<a class="author" rel="author" href=href>{a.name}</a> }
        })
        .collect_view()
        .into_any()
}
