//! (ssr) `/`, the front page.

use leptos::prelude::*;
use leptos_meta::{Link, Meta};

use super::{load_page, query, state};
use crate::components::article_card::ArticleList;
use crate::components::pagination::Pagination;
use crate::services::articles::{front_page, parse_page};

#[component]
pub fn HomePage() -> impl IntoView {
    let state = state();
    let page = query("page");
    let public_url = state.config.public_url.clone();
    load_page(async move { front_page(&state.pool, parse_page(page.as_deref())?).await }, move |list| {
        crate::http::page_cache::declare([crate::cache::PageKey::Lists]);
        let canonical =
            if list.page > 1 { format!("{public_url}/?page={}", list.page) } else { format!("{public_url}/") };
        let heading =
            if list.page > 1 { format!("Latest stories, page {}", list.page) } else { "Latest stories".to_owned() };
        view! {
            <super::PageTitle text=heading.clone() />
            <Meta name="description" content="Latest reporting from Copydesk." />
            <Link rel="canonical" href=canonical />
            <div class="wrap">
                <h1 class="page-title">{heading}</h1>
                <ArticleList articles=list.articles empty="No articles have been published yet." />
                <Pagination base="/" page=list.page has_next=list.has_next />
            </div>
        }
    })
}
