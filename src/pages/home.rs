use leptos::prelude::*;
use leptos_meta::{Link, Meta};

use super::error::ErrorView;
use super::{query, state};
use crate::api::articles::{front_page, parse_page};
use crate::components::article_card::ArticleList;
use crate::components::pagination::Pagination;

#[component]
pub fn HomePage() -> impl IntoView {
    let state = state();
    let page = query("page");
    let load = move || {
        let state = state.clone();
        let page = page.clone();
        Suspend::new(async move {
            let list = match parse_page(page.as_deref()) {
                Ok(page) => front_page(&state.pool, page).await,
                Err(e) => Err(e),
            };
            match list {
                Err(error) => view! { <ErrorView error /> }.into_any(),
                Ok(list) => {
                    let canonical = if list.page > 1 {
                        format!("{}/?page={}", state.config.public_url, list.page)
                    } else {
                        format!("{}/", state.config.public_url)
                    };
                    let heading = if list.page > 1 {
                        format!("Latest stories, page {}", list.page)
                    } else {
                        "Latest stories".to_owned()
                    };
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
                    .into_any()
                }
            }
        })
    };
    view! { <Suspense fallback=|| ()>{load}</Suspense> }
}
