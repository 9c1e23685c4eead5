//! The page cache: anonymous reads are answered from memory, every write readers should see
//! makes those pages stale at once, and nothing personal is ever kept.

use std::time::{Duration, Instant};

use crate::support::TestApp;
use crate::support::desk::{app, get, post, sign_in};
use copydesk::db;
use copydesk::domain::staff::Role;
use copydesk::http::page_cache::CACHE_HEADER;

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

/// A read as a browser makes it: (how the cache answered, the response).
async fn browser_read(app: &TestApp, path: &str, encoding: &str) -> reqwest::Response {
    let response = app.client.get(app.url(path)).header("accept-encoding", encoding).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut brotli::Decompressor::new(bytes, 4096), &mut out).unwrap();
    out
}

fn ungzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out).unwrap();
    out
}

#[tokio::test]
async fn a_kept_page_is_the_same_bytes_for_every_reader_in_every_encoding() {
    let app = app().await;
    let (first, rendered) = read(&app, ARTICLE).await;
    assert_eq!(first, "miss");
    let response = get(&app, ARTICLE, None).await;
    assert_eq!(response.headers()[CACHE_HEADER], "hit");
    let policy = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("'sha256-") && !policy.contains("nonce"), "{policy}");
    assert_eq!(response.text().await.unwrap(), rendered, "byte for byte what was rendered");
    let (_, again) = read(&app, ARTICLE).await;
    assert_eq!(again, rendered, "and what the next reader gets");

    let br = browser_read(&app, ARTICLE, "gzip, deflate, br, zstd").await;
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["vary"], "accept-encoding");
    let etag = br.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(unbrotli(&br.bytes().await.unwrap()), rendered.as_bytes());
    let gz = browser_read(&app, ARTICLE, "gzip, deflate").await;
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(ungzip(&gz.bytes().await.unwrap()), rendered.as_bytes());
    let plain = browser_read(&app, ARTICLE, "identity").await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), rendered);

    let revalidated = app
        .client
        .get(app.url(ARTICLE))
        .header("accept-encoding", "gzip, deflate, br")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), 304, "the browser holds these bytes already");
    assert_eq!(revalidated.headers()["etag"], etag.as_str());
    assert!(revalidated.bytes().await.unwrap().is_empty());
    let other = app.client.get(app.url(ARTICLE)).header("if-none-match", "\"stale\"").send().await.unwrap();
    assert_eq!(other.status(), 200);

    for path in ["/", "/topics/city-hall", "/corrections"] {
        warm(&app, path).await;
    }
}

#[tokio::test]
async fn query_strings_a_page_does_not_read_share_its_entry() {
    let app = app().await;
    let body = warm(&app, ARTICLE).await;
    for path in ["/articles/council?utm_source=news&fbclid=x", "/articles/council?ref=1"] {
        let (how, shown) = read(&app, path).await;
        assert_eq!(how, "hit", "{path}");
        assert_eq!(shown, body);
    }
    let (how, _) = read(&app, "/articles/council?order=newest").await;
    assert_eq!(how, "miss", "a parameter the page reads is a page of its own");
}

#[tokio::test]
async fn many_readers_of_a_missing_page_wait_for_one_render() {
    let app = app().await;
    let mut reads = tokio::task::JoinSet::new();
    for _ in 0..24 {
        let (client, url) = (app.client.clone(), app.url(ARTICLE));
        reads.spawn(async move {
            let response = client.get(url).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.headers()[CACHE_HEADER].to_str().unwrap().to_owned()
        });
    }
    let answers = reads.join_all().await;
    let misses = answers.iter().filter(|how| *how == "miss").count();
    assert_eq!(misses, 1, "rendered once for 24 concurrent readers: {answers:?}");
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
    retitle_from_another_process(&app).await;
}

/// Renames the article through a second pool on the same database (standing for the CLI or
/// another app server), then waits for this server to show it.
async fn retitle_from_another_process(app: &TestApp) {
    let other = db::connect(&app.database_url).await.unwrap();
    copydesk::db::query("UPDATE articles SET title = 'Council Meets Again' WHERE slug = 'council'")
        .execute(&other)
        .await
        .unwrap();
    let started = Instant::now();
    while !get(app, ARTICLE, None).await.text().await.unwrap().contains("Council Meets Again") {
        assert!(started.elapsed() < Duration::from_secs(5), "another process's write never showed");
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
        crate::support::article("council", "Council Meets", "2026-11-01T00:00:00Z", &["City Hall"], "The council met."),
    )];
    let app = crate::support::spawn_app_with(&sources, |config| config.cdn_max_age_secs = 60).await;
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
    let uncached = crate::support::spawn_app_with(&sources, |config| {
        config.cdn_max_age_secs = 60;
        config.page_cache_bytes = 0;
    })
    .await;
    assert_eq!(cache_control(&get(&uncached, ARTICLE, None).await), shared);
    assert_eq!(cache_control(&get(&uncached, "/articles/missing", None).await), "private, no-cache");
}

/// Pages of a site with two stories on one topic (each in the other's related box) and one
/// on another.
const PAGES: [&str; 7] = [
    "/articles/council",
    "/articles/budget",
    "/articles/tram",
    "/",
    "/topics/city-hall",
    "/topics/transport",
    "/corrections",
];

async fn three_story_site() -> TestApp {
    let sources = [
        (
            "a.md",
            crate::support::article(
                "council",
                "Council Meets",
                "2026-11-01T00:00:00Z",
                &["City Hall"],
                "The council met.\n\nIt voted.\n\nThen it rose.",
            ),
        ),
        (
            "b.md",
            crate::support::article(
                "budget",
                "Budget Passes",
                "2026-11-02T00:00:00Z",
                &["City Hall"],
                "The budget passed.\n\nBy one vote.\n\nAt last.",
            ),
        ),
        (
            "c.md",
            crate::support::article("tram", "Tram Opens", "2026-11-03T00:00:00Z", &["Transport"], "The tram opened."),
        ),
    ];
    let app =
        crate::support::spawn_app_with(&sources, |config| config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()])
            .await;
    crate::support::desk::add_staff(&app).await;
    app
}

/// Warms every page, runs `write`, then checks which pages it made stale.
async fn stales(app: &TestApp, what: &str, stale: &[&str], write: impl std::future::Future<Output = ()>) {
    stales_among(app, &PAGES, what, stale, write).await;
}

async fn stales_among(
    app: &TestApp,
    pages: &[&str],
    what: &str,
    stale: &[&str],
    write: impl std::future::Future<Output = ()>,
) {
    for &path in pages {
        warm(app, path).await;
    }
    write.await;
    for &path in pages {
        let (how, _) = read(app, path).await;
        let expected = if stale.contains(&path) { "miss" } else { "hit" };
        assert_eq!(how, expected, "{what}: {path}");
    }
}

#[tokio::test]
async fn each_kind_of_write_stales_exactly_the_pages_that_show_it() {
    let app = three_story_site().await;
    let moderator = sign_in(&app, Role::Moderator).await;
    let editor = sign_in(&app, Role::Editor).await;
    let admin = sign_in(&app, Role::Admin).await;
    let tram = ["/articles/tram"];
    // A comment published or taken down also changes the story's comment count on the cards
    // of the front and topic pages (and, through the article's row, the corrections list).
    let counted = ["/articles/tram", "/", "/topics/transport", "/corrections"];

    let comment = |ip: &'static str, body: &'static str, cookie: Option<String>| {
        let app = &app;
        async move {
            let mut request = app
                .client
                .post(app.url("/articles/tram/comments"))
                .header("origin", &app.base)
                .header("x-forwarded-for", ip)
                .form(&[("name", "Reader"), ("body", body)]);
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            assert_eq!(request.send().await.unwrap().status(), 303);
        }
    };
    stales(
        &app,
        "a staff comment, published at once",
        &counted,
        comment("203.0.113.1", "From the desk.", Some(moderator.clone())),
    )
    .await;
    stales(&app, "a reader's comment held for moderation", &[], comment("203.0.113.2", "Held for now.", None)).await;
    let held = db::comments::all(&app.pool).await.unwrap().last().unwrap().id;
    let moderate = |action: &str| {
        let (app, moderator, one) = (&app, moderator.clone(), format!("{action}:{held}"));
        async move {
            assert_eq!(post(app, "/staff/comments/moderate", Some(&moderator), &[("one", &one)]).await.status(), 303);
        }
    };
    stales(&app, "approving it", &counted, moderate("approve")).await;
    stales(&app, "featuring it", &tram, moderate("feature")).await;
    let report = async {
        let url = app.url(&format!("/articles/tram/comments/{held}/report"));
        let response = app
            .client
            .post(url)
            .header("x-forwarded-for", "203.0.113.3")
            .form(&[("reason", "spam")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
    };
    stales(&app, "a report", &[], report).await;
    stales(&app, "rejecting it", &counted, moderate("reject")).await;

    let words = post(&app, "/staff/settings/words", Some(&admin), &[("suspect", "miracle cure"), ("banned", "")]);
    stales(&app, "the word lists", &[], async { assert_eq!(words.await.status(), 303) }).await;
    let close =
        post(&app, "/staff/settings/article", Some(&admin), &[("slug", "tram"), ("mode", "post"), ("closed", "on")]);
    stales(
        &app,
        "one article's comment settings",
        &["/articles/tram", "/", "/topics/transport", "/corrections"],
        async { assert_eq!(close.await.status(), 303) },
    )
    .await;
    let edit = post(
        &app,
        "/staff/articles/tram/edit",
        Some(&editor),
        &[
            ("title", "Tram Opens Early"),
            ("byline", "Test Writer"),
            ("topics", "Transport"),
            ("body", "The tram opened early."),
            ("base_revision", "1"),
        ],
    );
    stales(&app, "an article saved", &["/articles/tram", "/", "/topics/transport", "/corrections"], async {
        assert_eq!(edit.await.status(), 303)
    })
    .await;
    let (_, tram_page) = read(&app, "/articles/tram").await;
    assert!(tram_page.contains("Tram Opens Early"));

    // Council and budget share a topic: each is in the other's related box.
    let city_hall = ["/articles/council", "/articles/budget", "/", "/topics/city-hall", "/corrections"];
    let suggestion = serde_json::json!({ "slug": "council", "form": { "quote": "council met", "prefix": "The ", "suffix": "", "kind": "factual", "suggested": "council met on Monday", "note": "", "email": "" } });
    let suggested = app.call("/api/corrections/suggest", suggestion).header("x-forwarded-for", "203.0.113.4").send();
    stales(&app, "a reader's suggestion", &[], async { assert_eq!(suggested.await.unwrap().status(), 200) }).await;
    let group = db::corrections::groups_for_article(&app.pool, 1).await.unwrap()[0].id;
    let apply_path = format!("/staff/corrections/{group}/apply");
    let apply = post(
        &app,
        &apply_path,
        Some(&editor),
        &[("replacement", "council met on Monday"), ("notice_kind", "correction"), ("note", "The day was missing.")],
    );
    stales(&app, "a correction applied", &city_hall, async { assert_eq!(apply.await.status(), 303) }).await;
    assert!(read(&app, "/corrections").await.1.contains("The day was missing."));

    let others: Vec<&str> = PAGES.into_iter().filter(|p| *p != "/articles/budget").collect();
    let unpublish = post(&app, "/staff/articles/budget/unpublish", Some(&editor), &[]);
    let without_budget: Vec<&str> = city_hall.into_iter().filter(|p| *p != "/articles/budget").collect();
    stales_among(&app, &others, "unpublishing budget", &without_budget, async {
        assert_eq!(unpublish.await.status(), 303)
    })
    .await;
    assert_eq!(get(&app, "/articles/budget", None).await.status(), 404);
    for path in &others {
        assert!(!read(&app, path).await.1.contains("Budget Passes"), "{path} no longer shows it");
    }
    let publish = post(&app, "/staff/articles/budget/publish", Some(&editor), &[]);
    stales_among(&app, &others, "publishing it again", &without_budget, async {
        assert_eq!(publish.await.status(), 303)
    })
    .await;
    assert!(read(&app, "/topics/city-hall").await.1.contains("Budget Passes"));

    let mode = post(&app, "/staff/settings/moderation", Some(&admin), &[("mode", "post")]);
    stales(&app, "the site's moderation mode", &PAGES, async { assert_eq!(mode.await.status(), 303) }).await;
}

#[tokio::test]
async fn a_returning_commenter_gets_the_kept_page_unless_their_comment_awaits() {
    let app = three_story_site().await;
    let everyone = warm(&app, "/articles/council").await;
    let tram = warm(&app, "/articles/tram").await;
    let posted = app
        .client
        .post(app.url("/articles/tram/comments"))
        .header("x-forwarded-for", "203.0.113.9")
        .form(&[("name", "Reader"), ("body", "Is it on time?")])
        .send()
        .await
        .unwrap();
    let cookie = posted.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();

    let elsewhere = get(&app, "/articles/council", Some(&cookie)).await;
    assert_eq!(elsewhere.headers()[CACHE_HEADER], "hit", "no comment of theirs waits here");
    assert_eq!(elsewhere.headers()["cache-control"], "private, no-cache");
    assert_eq!(elsewhere.text().await.unwrap(), everyone);

    let own = get(&app, "/articles/tram", Some(&cookie)).await;
    assert!(own.headers().get(CACHE_HEADER).is_none(), "rendered for them");
    assert!(own.text().await.unwrap().contains("Is it on time?"));
    let (how, public) = read(&app, "/articles/tram").await;
    assert_eq!((how.as_str(), public), ("hit", tram), "and nobody else sees it");

    let staff = sign_in(&app, Role::Editor).await;
    let desk_reader = get(&app, "/articles/tram", Some(&staff)).await;
    assert_eq!(desk_reader.headers()[CACHE_HEADER], "hit", "staff read the public page as everyone does");

    // The answer "nothing waits here" is remembered, and forgotten when they write here.
    let posted = app
        .client
        .post(app.url("/articles/council/comments"))
        .header("x-forwarded-for", "203.0.113.9")
        .header("cookie", &cookie)
        .form(&[("name", "Reader"), ("body", "And the council?")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 303);
    let now_own = get(&app, "/articles/council", Some(&cookie)).await;
    assert!(now_own.headers().get(CACHE_HEADER).is_none());
    assert!(now_own.text().await.unwrap().contains("And the council?"));

    // Once approved, their comment is public: the kept page is theirs again.
    let id = db::comments::all(&app.pool).await.unwrap().iter().find(|c| c.body == "Is it on time?").unwrap().id;
    let moderator = sign_in(&app, Role::Moderator).await;
    post(&app, "/staff/comments/moderate", Some(&moderator), &[("one", &format!("approve:{id}"))]).await;
    read(&app, "/articles/tram").await;
    let approved = get(&app, "/articles/tram", Some(&cookie)).await;
    assert_eq!(approved.headers()[CACHE_HEADER], "hit");
    assert!(approved.text().await.unwrap().contains("Is it on time?"));
}

#[tokio::test]
async fn with_no_page_kept_the_kept_article_data_still_follows_every_write() {
    let sources = [(
        "a.md",
        crate::support::article("council", "Council Meets", "2026-11-01T00:00:00Z", &["City Hall"], "The council met."),
    )];
    let app = crate::support::spawn_app_with(&sources, |config| {
        config.page_cache_bytes = 0;
        config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    crate::support::desk::add_staff(&app).await;
    for _ in 0..2 {
        let response = get(&app, ARTICLE, None).await;
        assert!(response.headers().get(CACHE_HEADER).is_none(), "nothing kept");
        assert!(response.text().await.unwrap().contains("Comments (0)"));
    }
    let moderator = sign_in(&app, Role::Moderator).await;
    let posted = app
        .client
        .post(app.url("/articles/council/comments"))
        .header("origin", &app.base)
        .header("cookie", &moderator)
        .form(&[("name", "Desk"), ("body", "A word from the desk.")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 303);
    let shown = get(&app, ARTICLE, None).await.text().await.unwrap();
    assert!(shown.contains("A word from the desk.") && shown.contains("Comments (1)"), "on the next read");

    retitle_from_another_process(&app).await;
}
