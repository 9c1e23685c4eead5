//! (ssr) `/authors/{slug}`: an author's profile and their stories, newest first.

use leptos::prelude::*;
use leptos_meta::{Link, Meta};

use super::{load_page, param, query, state};
use crate::components::article_card::ArticleList;
use crate::components::pagination::Pagination;
use crate::domain::author::Profile;
use crate::services::articles::parse_page;
use crate::services::authors::author_page;

#[component]
pub fn AuthorPage() -> impl IntoView {
    let state = state();
    let slug = param("slug");
    let page = query("page");
    let public_url = state.config.public_url.clone();
    load_page(async move { author_page(&state.pool, &slug, parse_page(page.as_deref())?).await }, move |author| {
        let profile = author.profile;
        let base = format!("/authors/{}", profile.slug);
        let canonical = format!("{public_url}{base}");
        let json_ld = person_json_ld(&profile, &canonical);
        let description = match profile.bio_paragraphs().first() {
            Some(first) => first.chars().take(200).collect(),
            None => format!("Stories by {} for Copydesk.", profile.name),
        };
        let heading = format!("Stories by {}", profile.name);
        let links = (!profile.links.is_empty()).then(|| {
            let items = profile
                .links
                .iter()
                .map(|l| view! { <li><a href=l.clone() rel="me noopener">{Profile::link_label(l).to_owned()}</a></li> })
                .collect_view();
            view! { <ul class="author-links" aria-label="Elsewhere">{items}</ul> }
        });
        view! {
            <super::PageTitle text=profile.name.clone() />
            <Meta name="description" content=description />
            <Meta property="og:type" content="profile" />
            <Meta property="og:title" content=profile.name.clone() />
            <Link rel="canonical" href=canonical />
            <script type="application/ld+json" inner_html=json_ld></script>
            <div class="wrap">
                <header class="author-header">
                    <span class="author-initials" aria-hidden="true">{profile.initials()}</span>
                    <div>
                        <p class="kicker author-kicker">"Author"</p>
                        <h1 class="page-title author-name">{profile.name.clone()}</h1>
                        {profile.bio_paragraphs().into_iter().map(|p| view! { <p class="author-bio">{p.to_owned()}</p> }).collect_view()}
                        {links}
                    </div>
                </header>
                <h2 class="author-stories">{heading}</h2>
                <ArticleList articles=author.list.articles empty="No published stories yet." />
                <Pagination base page=author.list.page has_next=author.list.has_next />
            </div>
        }
    })
}

/// schema.org `ProfilePage` about a `Person`; `<` escaped so no text closes the script.
fn person_json_ld(profile: &Profile, url: &str) -> String {
    let value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": {
            "@type": "Person",
            "name": profile.name,
            "url": url,
            "description": profile.bio,
            "sameAs": profile.links,
        },
    });
    super::script_json(&value)
}
