//! `/staff/articles`: the list of articles. The editor page is in `editor`, the history in
//! `revisions`, the posts in `http::forms::articles`.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::dates::Time;
use crate::components::pagination::Pagination;
use crate::domain::desk::{DeskArticle, Filter};
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::load_page;
use crate::pages::{PageTitle, query};
use crate::services::articles::parse_page;
use crate::services::editing;

#[component]
pub fn ArticlesDesk() -> impl IntoView {
    let (filter, search, page) = (query("status"), query("q").unwrap_or_default(), query("page"));
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Editor).await?;
            let filter = Filter::parse(filter.as_deref()).ok_or(AppError::NotFound)?;
            let page = parse_page(page.as_deref())?;
            let search = search.trim().chars().take(100).collect::<String>();
            let (articles, has_next) = editing::list(&state.pool, filter, &search, page).await?;
            Ok::<_, AppError>((staff, filter, search, page, has_next, articles))
        },
        move |(staff, filter, search, page, has_next, articles)| {
            let tabs = [Filter::All, Filter::Published, Filter::Drafts]
                .into_iter()
                .map(|f| {
                    let label = match f {
                        Filter::All => "All",
                        Filter::Published => "Published",
                        Filter::Drafts => "Drafts",
                    };
                    let current = (f == filter).then_some("page");
                    view! { <li><a href=format!("/staff/articles?status={}", f.as_str()) aria-current=current>{label}</a></li> }
                })
                .collect_view();
            let base = format!(
                "/staff/articles?status={}&q={}",
                filter.as_str(),
                crate::domain::text::percent_encode(&search)
            );
            let list = if articles.is_empty() {
                view! { <p class="queue-empty">"No articles here."</p> }.into_any()
            } else {
                view! {
                    <table class="desk-table">
                        <thead><tr>
                            <th scope="col">"Headline"</th><th scope="col">"Status"</th><th scope="col">"Byline"</th>
                            <th scope="col">"Last change"</th><th scope="col">"Revision"</th>
                        </tr></thead>
                        <tbody>{articles.into_iter().map(article_row).collect_view()}</tbody>
                    </table>
                }
                .into_any()
            };
            view! {
                <PageTitle text="Articles · Staff desk" />
                <StaffFrame staff current="/staff/articles">
                    <h1 class="page-title">"Articles"</h1>
                    <p><a class="button" href="/staff/articles/new">"New article"</a></p>
                    <nav class="queue-tabs" aria-label="Articles by status"><ul>{tabs}</ul></nav>
                    <form method="get" action="/staff/articles" class="audit-filter" role="search">
                        <input type="hidden" name="status" value=filter.as_str() />
                        <label for="article-search">"Search articles"</label>
                        <input id="article-search" name="q" type="search" value=search maxlength="100" />
                        <button type="submit">"Search"</button>
                    </form>
                    {list}
                    <Pagination base page has_next />
                </StaffFrame>
            }
        },
    )
}

fn article_row(article: DeskArticle) -> impl IntoView {
    let status = match (article.status.as_str(), article.ever_published, article.scheduled_at) {
        ("published", _, _) => "Published".into_any(),
        (_, _, Some(at)) => view! { "Scheduled for " <Time at with_time=true /> }.into_any(),
        (_, true, None) => "Unpublished".into_any(),
        _ => "Draft".into_any(),
    };
    let changed = article.updated_at.unwrap_or(article.published_at);
    view! {
        <tr>
            <td><a href=format!("/staff/articles/{}/edit", article.slug)>{article.title}</a></td>
            <td>{status}</td>
            <td>{article.byline}</td>
            <td><Time at=changed with_time=true /></td>
            <td><a href=format!("/staff/articles/{}/revisions", article.slug)>{article.revision}</a></td>
        </tr>
    }
}
