//! Cards for lists of articles, and the related-articles box.

use leptos::prelude::*;

use super::byline::AuthorNames;
use super::dates::Time;
use crate::domain::article::ArticleSummary;

/// One article in a list: linked headline, dek, byline, date, its comment count, and its
/// lead image's thumbnail.
#[component]
pub fn ArticleCard(article: ArticleSummary) -> impl IntoView {
    let href = format!("/articles/{}", article.slug);
    let comments_href = format!("{href}#comments");
    let comments = article.comments_label();
    let thumb = article.image.as_ref().map(|picture| {
        let html = super::picture::thumbnail_html(picture);
        view! { <div class="card-media" inner_html=html></div> }
    });
    let class = if thumb.is_some() { "card card-with-image" } else { "card" };
    view! {
        <article class=class>
            {thumb}
            <h2 class="card-title">
                <a href=href>{article.title}</a>
            </h2>
            {article.dek.map(|dek| view! { <p class="card-dek">{dek}</p> })}
            <p class="card-meta">
                <span class="byline"><AuthorNames byline=article.byline authors=article.authors /></span>
                " · "
                <Time at=article.published_at />
                " · "
                <a class="card-comments" href=comments_href>{comments}</a>
            </p>
        </article>
    }
}

/// A list of article cards, or a short note when there are none.
#[component]
pub fn ArticleList(articles: Vec<ArticleSummary>, #[prop(into)] empty: String) -> impl IntoView {
    if articles.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <div class="cards">
            {articles.into_iter().map(|article| view! { <ArticleCard article /> }).collect_view()}
        </div>
    }
    .into_any()
}

/// "Other Topics of Interest": other articles sharing a topic, placed inside the body.
#[component]
pub fn RelatedBox(articles: Vec<ArticleSummary>) -> impl IntoView {
    view! {
        // Not part of the article's text: selections here are not corrections of it.
        <aside class="related" aria-labelledby="related-heading" data-cd-exclude="">
            <h2 id="related-heading">"Other Topics of Interest"</h2>
            <ul>
                {articles
                    .into_iter()
                    .map(|a| {
                        let href = format!("/articles/{}", a.slug);
                        view! {
                            <li>
                                <a href=href>{a.title}</a>
                                {a.dek.map(|dek| view! { <p>{dek}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </aside>
    }
}
