//! (ssr) The HTML shell every page shares, and the table of page routes.

use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::layout::{SiteFooter, SiteHeader};
use crate::hydration::IslandScripts;
use crate::pages::corrections_list::CorrectionsPage;
use crate::pages::mail::{ConfirmRepliesPage, UnsubscribePage};
use crate::pages::staff::comment_correction::CommentCorrectionPage;
use crate::pages::staff::inbox::InboxPage;
use crate::pages::staff::outbox::OutboxPage;
use crate::pages::staff::{
    account::AccountPage, articles::ArticlesDesk, authors::AuthorEditPage, authors::AuthorsDesk, bans::BansPage,
    comments::CommentsDesk, corrections::CorrectionsDesk, desk::AuditPage, desk::DeskPage, dictionary::DictionaryPage,
    editor::EditArticlePage, editor::NewArticlePage, login::LoginPage, media::MediaItemPage, media::MediaLibraryPage,
    revisions::RevisionsPage, settings::SettingsPage, team::TeamPage,
};
use crate::pages::{
    article::ArticlePage, author::AuthorPage, correction::CorrectionPage, home::HomePage, not_found::NotFound,
    search::SearchPage, topic::TopicPage,
};

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy(&options);
    provide_context(crate::pages::PageLang::default());
    view! {
        <!DOCTYPE html>
        // `lang` is added by `DocumentLang`, once the page has said whether it has its own.
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <SiteStyles options=options.clone() />
                <IslandScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet, inlined: a render-blocking request less before the first paint (the
/// Largest Contentful Paint of an article is its text). Linked when the file cannot be read.
#[component]
fn SiteStyles(options: LeptosOptions) -> impl IntoView {
    let site = crate::built_site::built_site(&options);
    match &site.inline_css {
        Some((css, _)) => view! { <style>{css.as_str()}</style> }.into_any(),
        None => view! { <link rel="stylesheet" href=site.css.clone() /> }.into_any(),
    }
}

/// Sets the page's Content-Security-Policy. Scripts run only from this site and the one
/// inline module that starts hydration (allowed by its hash, the same on every page);
/// WebAssembly needs `wasm-unsafe-eval`, not `unsafe-eval`. No page may be framed, and
/// forms post only here.
#[cfg(feature = "ssr")]
fn content_security_policy(options: &LeptosOptions) {
    use std::sync::OnceLock;
    static POLICY: OnceLock<Option<axum::http::HeaderValue>> = OnceLock::new();
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
    let policy = POLICY.get_or_init(|| {
        let styles = crate::built_site::built_site(options).inline_css.as_ref().map(|(_, hash)| hash.as_str());
        let policy = format!(
            "default-src 'self'; script-src 'self' {} 'wasm-unsafe-eval'; style-src 'self' {}; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'none'",
            crate::hydration::loader_hash(options),
            styles.unwrap_or_default(),
        );
        axum::http::HeaderValue::from_str(&policy).ok()
    });
    if let Some(value) = policy {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value.clone());
    }
}

/// Public pages render completely on the server (`SsrMode::Async`): readers without
/// JavaScript and crawlers get the whole article, never a loading placeholder.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Link rel="alternate" type_="application/atom+xml" title="Copydesk: latest articles" href="/feed.xml" />
        <a class="skip-link" href="#main">"Skip to content"</a>
        <SiteHeader />
        <Router>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/articles/:slug") view=ArticlePage ssr=SsrMode::Async />
                    <Route path=path!("/articles/:slug/correction") view=CorrectionPage ssr=SsrMode::Async />
                    <Route path=path!("/topics/:slug") view=TopicPage ssr=SsrMode::Async />
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("/authors/:slug") view=AuthorPage ssr=SsrMode::Async />
                    <Route path=path!("/staff") view=DeskPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/comments") view=CommentsDesk ssr=SsrMode::Async />
                    <Route path=path!("/staff/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/corrections") view=CorrectionsDesk ssr=SsrMode::Async />
                    <Route path=path!("/staff/settings") view=SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/team") view=TeamPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/dictionary") view=DictionaryPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/authors") view=AuthorsDesk ssr=SsrMode::Async />
                    <Route path=path!("/staff/media") view=MediaLibraryPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/media/:id") view=MediaItemPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/authors/:slug") view=AuthorEditPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/comments/bans") view=BansPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/comments/:id/correction") view=CommentCorrectionPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/articles") view=ArticlesDesk ssr=SsrMode::Async />
                    <Route path=path!("/staff/articles/new") view=NewArticlePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/articles/:slug/edit") view=EditArticlePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/articles/:slug/revisions") view=RevisionsPage ssr=SsrMode::Async />
                    <Route path=path!("/corrections") view=CorrectionsPage ssr=SsrMode::Async />
                    <Route path=path!("/mail/unsubscribe") view=UnsubscribePage ssr=SsrMode::Async />
                    <Route path=path!("/mail/confirm") view=ConfirmRepliesPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/outbox") view=OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/inbox") view=InboxPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
        <SiteFooter />
        <DocumentLang />
    }
}

/// `<html lang>`: the page's own language (an article in another language), or the site's.
/// Leptos's meta context writes it into the `<html>` tag. It waits as a `Suspense` after
/// the routes': pages render in order, so by then the page has declared it (`PageLang`).
#[component]
fn DocumentLang() -> impl IntoView {
    let site = use_context::<crate::state::AppState>()
        .and_then(|s| s.site_lang.read().ok().map(|l| l.clone()))
        .unwrap_or_else(|| crate::domain::lang::site_default().to_string());
    let page = use_context::<crate::pages::PageLang>();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (page, site) = (page.clone(), site.clone());
                Suspend::new(async move {
                    let lang = page.and_then(|p| p.get()).unwrap_or(site);
                    view! { <leptos_meta::Html attr:lang=lang /> }
                })
            }}
        </Suspense>
    }
}
