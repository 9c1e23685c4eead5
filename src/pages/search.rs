//! (ssr) `/search?q=`: published articles matching what the reader typed, best first, with
//! the words around each match. Rendered for each query (not kept: queries are endless).

use leptos::prelude::*;
use leptos_meta::Meta;

use super::{load_page, query, state};
use crate::components::article_card::ArticleCard;
use crate::components::pagination::Pagination;
use crate::domain::search::{MAX_QUERY_CHARS, Piece, SearchHit};
use crate::error::AppError;
use crate::services::articles::parse_page;
use crate::services::search::search;

#[component]
pub fn SearchPage() -> impl IntoView {
    let state = state();
    let (raw, page) = (query("q").unwrap_or_default(), query("page"));
    load_page(
        async move {
            let page = parse_page(page.as_deref())?;
            let visitor = crate::http::Visitor::of_render()?;
            let results = search(&state.pool, &state.limiter, visitor.client(), &raw, page).await?;
            Ok::<_, AppError>((raw, results))
        },
        move |(raw, results)| {
            let typed: String = raw.trim().chars().take(MAX_QUERY_CHARS).collect();
            let heading = match &results {
                None => "Search".to_owned(),
                Some(r) if r.page > 1 => format!("Results for “{}”, page {}", r.query, r.page),
                Some(r) => format!("Results for “{}”", r.query),
            };
            let body = match results {
                None if typed.is_empty() => view! {
                    <p class="empty">"Type a word or a name to find the stories that mention it."</p>
                }
                .into_any(),
                None => view! { <p class="empty">"Type letters or numbers to search for."</p> }.into_any(),
                Some(r) if r.hits.is_empty() => view! {
                    <p class="empty">{format!("No published story matches “{}”. Try fewer or other words.", r.query)}</p>
                }
                .into_any(),
                Some(r) => {
                    let base = format!("/search?q={}", crate::domain::text::percent_encode(&r.query));
                    view! {
                        <div class="search-results">{r.hits.into_iter().map(hit).collect_view()}</div>
                        <Pagination base page=r.page has_next=r.has_next noun="results" ranked=true />
                    }
                    .into_any()
                }
            };
            view! {
                <super::PageTitle text=heading.clone() />
                <Meta name="robots" content="noindex" />
                <div class="wrap">
                    <h1 class="page-title">{heading}</h1>
                    <form method="get" action="/search" class="search-form" role="search">
                        <label for="search-q">"Search the stories"</label>
                        <input id="search-q" name="q" type="search" value=typed maxlength=MAX_QUERY_CHARS.to_string() />
                        <button type="submit">"Search"</button>
                    </form>
                    {body}
                </div>
            }
        },
    )
}

/// A result: the story's card with the words around the match, matches marked.
fn hit(hit: SearchHit) -> impl IntoView {
    let snippet = hit
        .snippet
        .into_iter()
        .map(|Piece { text, hit }| if hit { view! { <mark>{text}</mark> }.into_any() } else { text.into_any() })
        .collect_view();
    view! {
        <div class="search-hit">
            <ArticleCard article=hit.article />
            <p class="search-snippet">{snippet}</p>
        </div>
    }
}
