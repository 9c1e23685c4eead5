//! (ssr) `/articles/{slug}`: the article, its corrections, related topics and comments.

use leptos::prelude::*;
use leptos_meta::{Link, Meta};

use super::comments::{CommentRejected, CommentSection, CommentUi, ReportRejected};
use super::{load_page, param, query, state};
use crate::cache::PageKey;
use crate::components::article_card::RelatedBox;
use crate::components::byline::AuthorNames;
use crate::components::dates::Time;
use crate::components::picture::{Loading, Words, figure_html};
use crate::domain::article::ArticlePage as Article;
use crate::domain::comment::Order;
use crate::domain::dates::machine_time;
use crate::domain::media::Crop;
use crate::islands::correction_widget::{CorrectionDialog, CorrectionWidget};
use crate::islands::share_link::{ShareButton, ShareLink};
use crate::services::articles::{CommentsQuery, article_page, parse_page};

#[component]
pub fn ArticlePage() -> impl IntoView {
    let state = state();
    let slug = param("slug");
    let ui = comment_ui();
    let reader = crate::http::Visitor::of_render().ok().and_then(|v| v.reader);
    let order = Order::parse(query("order").as_deref());
    let page = parse_page(query("cpage").as_deref());
    let public_url = state.config.public_url.clone();
    load_page(
        async move { article_page(&state.pool, &state.kept, &slug, &CommentsQuery { reader, order, page: page? }).await },
        move |article| view! { <ArticleView article public_url=public_url.clone() ui=ui.clone() /> },
    )
}

/// What the query string and a rejected form post ask the comment section to show.
fn comment_ui() -> CommentUi {
    let id = |name: &str| query(name).and_then(|v| v.parse::<i64>().ok());
    CommentUi {
        reply_to: id("reply"),
        report_of: id("report"),
        posted: query("posted").and_then(|v| match v.as_str() {
            "pending" => Some(true),
            "published" => Some(false),
            _ => None,
        }),
        reported: id("reported").map(|c| (c, query("again").is_none())),
        rejected: use_context::<CommentRejected>(),
        report_rejected: use_context::<ReportRejected>(),
    }
}

#[component]
fn ArticleView(article: Article, public_url: String, ui: CommentUi) -> impl IntoView {
    // The related box shows other articles of the same topics.
    crate::http::page_cache::declare(
        std::iter::once(PageKey::Article(&article.slug)).chain(article.topics.iter().map(|t| PageKey::Topic(&t.slug))),
    );
    crate::pages::PageLang::declare(article.lang.as_deref());
    let url = format!("{public_url}/articles/{}", article.slug);
    let modified = article.updated_at.unwrap_or(article.published_at);
    let json_ld = news_article_json_ld(&article, &public_url, &url);
    let description = article.dek.clone().unwrap_or_else(|| article.title.clone());

    // The related box goes after the middle paragraph; the body is split around it.
    let split = article.related_box_after().filter(|_| !article.related.is_empty());
    let (before, after) = match split {
        Some(i) => article.body.split_at(i + 1),
        None => (article.body.as_slice(), &[][..]),
    };
    let html_of =
        |blocks: &[crate::domain::article::BodyBlock]| blocks.iter().map(|b| b.html.as_str()).collect::<String>();
    let (before, after) = (html_of(before), html_of(after));
    let related = split.map(|_| view! { <RelatedBox articles=article.related.clone() /> });

    let dialog_slug = article.slug.clone();
    // The lead image: above the body, fetched first (it is the page's largest paint).
    let lead = article.lead.as_ref().map(|picture| {
        let html = figure_html(picture, Words::of(picture), Loading::Lead);
        view! { <div class="lead-figure" inner_html=html></div> }
    });
    // Shared links show the 16:9 crop (or the largest whole image).
    let social = article.lead.as_ref().and_then(|p| {
        let v = p.crop(Crop::Wide).or_else(|| p.at_width("jpeg", 1200))?;
        Some((format!("{public_url}{}", v.href()), v.width.to_string(), v.height.to_string(), p.alt.clone()))
    });
    let social_meta = match social {
        Some((src, width, height, alt)) => view! {
            <Meta property="og:image" content=src />
            <Meta property="og:image:width" content=width />
            <Meta property="og:image:height" content=height />
            <Meta property="og:image:alt" content=alt />
            <Meta name="twitter:card" content="summary_large_image" />
        }
        .into_any(),
        None => view! { <Meta name="twitter:card" content="summary" /> }.into_any(),
    };
    view! {
        <super::PageTitle text=article.title.clone() />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=url.clone() />
        <Meta property="og:type" content="article" />
        <Meta property="og:title" content=article.title.clone() />
        <Meta property="og:description" content=description />
        <Meta property="og:url" content=url.clone() />
        <Meta property="og:site_name" content="Copydesk" />
        <Meta property="article:published_time" content=machine_time(article.published_at) />
        <Meta property="article:modified_time" content=machine_time(modified) />
        {article.topics.iter().map(|t| view! { <Meta property="article:tag" content=t.name.clone() /> }).collect_view()}
        {social_meta}
        <article class="article wrap" aria-labelledby="headline">
            <header class="article-header">
                <h1 id="headline" class="headline" data-cd-scope="headline">{article.title.clone()}</h1>
                {article.dek.clone().map(|dek| view! { <p class="dek" data-cd-scope="dek">{dek}</p> })}
                <p class="byline">"By " <AuthorNames byline=article.byline.clone() authors=article.authors.clone() /></p>
                <p class="dateline">
                    <span>"Published " <Time at=article.published_at with_time=true /></span>
                    {article.updated_at.map(|at| view! { <span>" · Updated " <Time at with_time=true /></span> })}
                </p>
                {(!article.topics.is_empty()).then(|| view! {
                    <nav class="topics" aria-label="Topics">
                        <ul>
                            {article.topics.iter().map(|t| {
                                let href = format!("/topics/{}", t.slug);
                                view! { <li><a href=href>{t.name.clone()}</a></li> }
                            }).collect_view()}
                        </ul>
                    </nav>
                })}
            </header>
            {lead}
            // The body is Markdown rendered on the server with raw HTML escaped and unsafe
            // link targets removed (content::markdown), so it is safe to insert as HTML.
            <div class="article-body" data-cd-scope="body">
                <div class="body-part" inner_html=before></div>
                {related}
                {(!after.is_empty()).then(|| view! { <div class="body-part" inner_html=after></div> })}
            </div>
            {(!article.notices.is_empty()).then(|| view! {
                <section class="correction-notices" id="corrections" aria-label="Corrections and clarifications">
                    {article.notices.iter().map(|n| view! {
                        <p class=format!("correction-notice notice-{}", n.kind)>
                            <strong>{format!("{}, ", n.label())}<Time at=n.created_at />":"</strong>
                            " " {n.note.clone()}
                        </p>
                    }).collect_view()}
                </section>
            })}
            <footer class="article-footer">
                <div class="correction-invite">
                    <p>
                        "To suggest a correction or clarification, "
                        <a href=format!("/articles/{}/correction", article.slug)>"write to us here"</a>
                    </p>
                    <p class="correction-tip">"You can also highlight the text and press Ctrl + Enter"</p>
                </div>
                <CorrectionWidget><CorrectionDialog slug=dialog_slug /></CorrectionWidget>
                <ShareLink><ShareButton url=url /></ShareLink>
            </footer>
            <script type="application/ld+json" inner_html=json_ld></script>
        </article>
        <div class="wrap">
            <CommentSection thread=article.comments.clone() slug=article.slug.clone() ui />
        </div>
    }
}

/// schema.org `NewsArticle` for search engines. `<` is escaped so no text can close the
/// script element early.
fn news_article_json_ld(article: &Article, public_url: &str, url: &str) -> String {
    let authors: Vec<serde_json::Value> = if article.authors.is_empty() {
        vec![serde_json::json!({ "@type": "Person", "name": article.byline })]
    } else {
        article
            .authors
            .iter()
            .map(|a| serde_json::json!({ "@type": "Person", "name": a.name, "url": format!("{public_url}{}", a.href()) }))
            .collect()
    };
    let value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.dek,
        "datePublished": machine_time(article.published_at),
        "dateModified": machine_time(article.updated_at.unwrap_or(article.published_at)),
        "author": authors,
        "mainEntityOfPage": url,
        "url": url,
        "keywords": article.topics.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": "Copydesk",
            "url": public_url,
            "logo": { "@type": "ImageObject", "url": format!("{public_url}/logo.png"), "width": 192, "height": 192 },
        },
    });
    let mut value = value;
    if let Some(lang) = &article.lang {
        value["inLanguage"] = lang.as_str().into();
    }
    // The 16:9, 4:3 and 1:1 crops search engines ask for.
    if let Some(picture) = &article.lead {
        let crops: Vec<String> =
            Crop::ALL.iter().filter_map(|c| picture.crop(*c)).map(|v| format!("{public_url}{}", v.href())).collect();
        value["image"] = crops.into();
    }
    if !article.notices.is_empty() {
        value["correction"] = article
            .notices
            .iter()
            .map(|n| {
                serde_json::json!({
                    "@type": "CorrectionComment",
                    "name": n.label(),
                    "text": format!("{}: {}", n.label(), n.note),
                    "datePublished": machine_time(n.created_at),
                })
            })
            .collect();
    }
    super::script_json(&value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let article = Article {
            slug: "s".into(),
            title: "</script><script>alert(1)</script>".into(),
            dek: None,
            byline: "A & B".into(),
            published_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: None,
            topics: vec![],
            body: vec![],
            related: vec![],
            comments: Default::default(),
            notices: vec![],
            lang: None,
            authors: vec![],
            lead: None,
        };
        let json = news_article_json_ld(&article, "http://x", "http://x/articles/s");
        assert!(!json.contains('<'));
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["headline"], "</script><script>alert(1)</script>");
        assert_eq!(parsed["@type"], "NewsArticle");
    }
}
