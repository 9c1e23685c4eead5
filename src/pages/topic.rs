use leptos::prelude::*;
use leptos_meta::{Link, Meta};

use super::error::ErrorView;
use super::{param, query, state};
use crate::api::articles::{parse_page, topic_page};
use crate::components::article_card::ArticleList;
use crate::components::pagination::Pagination;

#[component]
pub fn TopicPage() -> impl IntoView {
    let state = state();
    let slug = param("slug");
    let page = query("page");
    let load = move || {
        let state = state.clone();
        let slug = slug.clone();
        let page = page.clone();
        Suspend::new(async move {
            let topic = match parse_page(page.as_deref()) {
                Ok(page) => topic_page(&state.pool, &slug, page).await,
                Err(e) => Err(e),
            };
            match topic {
                Err(error) => view! { <ErrorView error /> }.into_any(),
                Ok(topic) => {
                    let base = format!("/topics/{}", topic.topic.slug);
                    let canonical = format!("{}{base}", state.config.public_url);
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
                    .into_any()
                }
            }
        })
    };
    view! { <Suspense fallback=|| ()>{load}</Suspense> }
}
