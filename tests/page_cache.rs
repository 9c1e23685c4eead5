//! The page cache: anonymous reads are answered from memory, every write readers should see
//! makes those pages stale at once, and nothing personal is ever kept.

mod support;

use std::time::{Duration, Instant};

use copydesk::db;
use copydesk::domain::staff::Role;
use copydesk::page_cache::CACHE_HEADER;
use support::desk::{app, get, post, sign_in};
use support::{Page, TestApp};

const ARTICLE: &str = "/articles/council";

/// Fetches `path` anonymously: (how the cache answered, body).
async fn read(app: &TestApp, path: &str) -> (String, String) {
    let response = get(app, path, None).await;
    assert_eq!(response.status(), 200, "{path}");
    let how = response.headers().get(CACHE_HEADER).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (how, response.text().await.unwrap())
}

/// A reader's comment form post (held for moderation, as the site's default).
async fn comment(app: &TestApp, ip: &str, body: &str) -> reqwest::Response {
    let form = [("name", "Reader"), ("body", body)];
    app.client
        .post(app.url("/articles/council/comments"))
        .header("x-forwarded-for", ip)
        .form(&form)
        .send()
        .await
        .unwrap()
}

/// Reads `path` until it comes from memory, so a later change must make it stale.
async fn warm(app: &TestApp, path: &str) -> String {
    read(app, path).await;
    let (how, body) = read(app, path).await;
    assert_eq!(how, "hit", "{path} is answered from memory the second time");
    body
}

/// The body with its per-response nonce blanked.
fn without_nonce(body: &str) -> String {
    let page = Page::parse(body);
    let nonce = page.attr("script[nonce]", "nonce").expect("the hydration script carries a nonce");
    body.replace(&nonce, "NONCE")
}

#[tokio::test]
async fn a_kept_page_is_the_rendered_page_with_a_fresh_nonce() {
    let app = app().await;
    let (first, rendered) = read(&app, ARTICLE).await;
    assert_eq!(first, "miss");
    let response = get(&app, ARTICLE, None).await;
    assert_eq!(response.headers()[CACHE_HEADER], "hit");
    let policy = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let kept = response.text().await.unwrap();
    let nonce = Page::parse(&kept).attr("script[nonce]", "nonce").unwrap();
    assert!(policy.contains(&format!("'nonce-{nonce}'")), "header and body agree: {policy}");
    assert!(!rendered.contains(&nonce), "a new nonce, not the rendered one");
    assert_eq!(without_nonce(&kept), without_nonce(&rendered));
    for path in ["/", "/topics/city-hall", "/corrections"] {
        warm(&app, path).await;
    }
}

#[tokio::test]
async fn moderation_shows_on_the_next_read() {
    let app = app().await;
    warm(&app, ARTICLE).await;
    let posted = comment(&app, "203.0.113.7", "The vote was closer than it looks.").await;
    assert_eq!(posted.status(), 303);
    // Held for moderation: the public page has not changed and may still come from memory.
    let (_, held) = read(&app, ARTICLE).await;
    assert!(!held.contains("closer than it looks"));

    let id = db::comments::all(&app.pool).await.unwrap().last().unwrap().id;
    let moderator = sign_in(&app, Role::Moderator).await;
    let done = post(&app, "/staff/comments/moderate", Some(&moderator), &[("one", &format!("approve:{id}"))]).await;
    assert_eq!(done.status(), 303);
    let (how, shown) = read(&app, ARTICLE).await;
    assert_eq!(how, "miss");
    assert!(shown.contains("The vote was closer than it looks."));
    assert!(shown.contains("Comments (1)"));

    warm(&app, ARTICLE).await;
    post(&app, "/staff/comments/moderate", Some(&moderator), &[("one", &format!("reject:{id}"))]).await;
    let (_, after) = read(&app, ARTICLE).await;
    assert!(!after.contains("closer than it looks"), "a rejected comment leaves the kept page too");
}

#[tokio::test]
async fn corrections_edits_and_unpublishing_show_on_the_next_read() {
    let app = app().await;
    for path in [ARTICLE, "/corrections", "/", "/topics/city-hall"] {
        warm(&app, path).await;
    }
    let response = app
        .call("/api/corrections/suggest", serde_json::json!({ "slug": "council", "form": { "quote": "council met", "prefix": "The ", "suffix": "", "kind": "factual", "suggested": "council met on Monday", "note": "", "email": "" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let group = db::corrections::groups_for_article(&app.pool, 1).await.unwrap()[0].id;
    let editor = sign_in(&app, Role::Editor).await;
    let applied = post(
        &app,
        &format!("/staff/corrections/{group}/apply"),
        Some(&editor),
        &[("replacement", "council met on Monday"), ("notice_kind", "correction"), ("note", "The day was missing.")],
    )
    .await;
    assert_eq!(applied.status(), 303);
    let (_, article) = read(&app, ARTICLE).await;
    assert!(article.contains("The council met on Monday.") && article.contains("The day was missing."));
    let (_, list) = read(&app, "/corrections").await;
    assert!(list.contains("The day was missing."));

    warm(&app, "/").await;
    let unpublished = post(&app, "/staff/articles/council/unpublish", Some(&editor), &[]).await;
    assert_eq!(unpublished.status(), 303);
    assert_eq!(get(&app, ARTICLE, None).await.status(), 404);
    let (_, front) = read(&app, "/").await;
    assert!(!front.contains("Council Meets"), "the front page no longer lists it");
}

#[tokio::test]
async fn another_process_writing_to_the_database_shows_within_a_moment() {
    let app = app().await;
    warm(&app, ARTICLE).await;
    // A second pool on the same database stands for the CLI or another app server.
    let other = db::connect(&app.database_url).await.unwrap();
    copydesk::db::query("UPDATE articles SET title = 'Council Meets Again' WHERE slug = 'council'")
        .execute(&other)
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let (_, body) = read(&app, ARTICLE).await;
        if body.contains("Council Meets Again") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "the change never showed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn personal_pages_are_never_kept() {
    let app = app().await;
    let posted = comment(&app, "203.0.113.8", "Only I can see this until it is approved.").await;
    let cookie = posted.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    for _ in 0..2 {
        let mine = get(&app, ARTICLE, Some(&cookie)).await;
        assert!(mine.headers().get(CACHE_HEADER).is_none());
        assert!(mine.text().await.unwrap().contains("Only I can see this"));
    }
    let (_, public) = read(&app, ARTICLE).await;
    assert!(!public.contains("Only I can see this"));
    let (_, public) = read(&app, ARTICLE).await;
    assert!(!public.contains("Only I can see this"), "the author's page did not leak into memory");

    let editor = sign_in(&app, Role::Editor).await;
    let staff_view = get(&app, ARTICLE, Some(&editor)).await;
    assert!(staff_view.headers().get(CACHE_HEADER).is_none());
    let desk = get(&app, "/staff", Some(&editor)).await;
    assert!(desk.headers().get(CACHE_HEADER).is_none());
    // Errors are rendered every time.
    let missing = get(&app, "/articles/no-such-article", None).await;
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get(CACHE_HEADER).is_none());
}

#[tokio::test]
async fn a_cdn_may_keep_anonymous_reader_pages_and_nothing_personal() {
    let cache_control = |response: &reqwest::Response| {
        response.headers().get("cache-control").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
    };
    let default = app().await;
    assert_eq!(cache_control(&get(&default, ARTICLE, None).await), "no-cache", "by default: revalidate first");

    let sources = [(
        "a.md",
        support::article("council", "Council Meets", "2026-11-01T00:00:00Z", &["City Hall"], "The council met."),
    )];
    let app = support::spawn_app_with(&sources, |config| config.cdn_max_age_secs = 60).await;
    let shared = "public, max-age=0, s-maxage=60, stale-while-revalidate=60";
    for path in ["/", ARTICLE, "/topics/city-hall", "/corrections"] {
        assert_eq!(cache_control(&get(&app, path, None).await), shared, "{path}, rendered");
        assert_eq!(cache_control(&get(&app, path, None).await), shared, "{path}, from memory");
    }
    let reader = get(&app, ARTICLE, Some("copydesk_reader=0123456789abcdef0123456789abcdef")).await;
    assert_eq!(cache_control(&reader), "private, no-cache", "a reader's own view");
    assert_eq!(cache_control(&get(&app, "/articles/missing", None).await), "private, no-cache");
    assert_eq!(cache_control(&get(&app, "/staff/login", None).await), "no-store");

    // The same without this server's own cache: the header does not depend on it.
    let uncached = support::spawn_app_with(&sources, |config| {
        config.cdn_max_age_secs = 60;
        config.page_cache_bytes = 0;
    })
    .await;
    assert_eq!(cache_control(&get(&uncached, ARTICLE, None).await), shared);
    assert_eq!(cache_control(&get(&uncached, "/articles/missing", None).await), "private, no-cache");
}
