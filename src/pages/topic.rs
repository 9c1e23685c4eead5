//! (ssr) `/topics/{slug}`: the stories on one topic.

use leptos::prelude::*;
use leptos_meta::{Link, Meta};

use super::{load_page, param, query, state};
use crate::components::article_card::ArticleList;
use crate::components::pagination::Pagination;
use crate::services::articles::{parse_page, topic_page};

#[component]
pub fn TopicPage() -> impl IntoView {
    let state = state();
    let slug = param("slug");
    let page = query("page");
    let public_url = state.config.public_url.clone();
    load_page(async move { topic_page(&state.pool, &slug, parse_page(page.as_deref())?).await }, move |topic| {
        crate::http::page_cache::declare([crate::cache::PageKey::Topic(&topic.topic.slug)]);
        let base = format!("/topics/{}", topic.topic.slug);
        let canonical = format!("{public_url}{base}");
        let name = topic.topic.name;
        view! {
            <super::PageTitle text=name.clone() />
            <Meta name="description" content=format!("Articles about {name} from Copydesk.") />
            <Link rel="canonical" href=canonical />
            <div class="wrap">
                <p class="kicker">"Topic"</p>
                <h1 class="page-title">{name}</h1>
                <ArticleList articles=topic.list.articles empty="No articles on this topic yet." />
                <Pagination base page=topic.list.page has_next=topic.list.has_next />
            </div>
        }
    })
}
