//! The public site served by the real server: pages, errors, feeds.

use crate::support::{Page, article, spawn_app};

fn fixtures() -> Vec<(&'static str, String)> {
    let long_body =
        (1..=5).map(|i| format!("Paragraph number {i} of the bridge story.")).collect::<Vec<_>>().join("\n\n");
    vec![
        (
            "bridge.md",
            article(
                "bridge-reopens",
                "Bridge Reopens",
                "2026-11-20T09:00:00Z",
                &["Transport", "City Hall"],
                &long_body,
            ),
        ),
        (
            "tram.md",
            article("tram-vote", "Tram Vote Passes", "2026-11-18T09:00:00Z", &["Transport"], "The tram vote passed."),
        ),
        (
            "bus.md",
            article("bus-fares", "Bus Fares Frozen", "2026-11-16T09:00:00Z", &["Transport"], "Fares stay the same."),
        ),
        (
            "budget.md",
            article("budget-gap", "Budget Gap Widens", "2026-11-14T09:00:00Z", &["City Hall"], "A gap of millions."),
        ),
        ("river.md", article("river-record", "River Record", "2026-11-12T09:00:00Z", &["Environment"], "Hot water.")),
        (
            "old.md",
            article("old-transport", "Old Transport Story", "2026-10-01T09:00:00Z", &["Transport"], "Old news."),
        ),
    ]
}

#[tokio::test]
async fn the_front_page_lists_imported_articles_newest_first() {
    let app = spawn_app(&fixtures()).await;
    let (status, html) = app.text("/").await;
    assert_eq!(status, 200);
    let bridge = html.find("Bridge Reopens").expect("bridge listed");
    let tram = html.find("Tram Vote Passes").expect("tram listed");
    let river = html.find("River Record").expect("river listed");
    assert!(bridge < tram && tram < river, "newest first");
    assert!(html.contains(r#"href="/articles/bridge-reopens""#));
    assert!(html.contains("Dek of tram-vote"));
    assert!(html.contains("Test Writer"));
    assert!(html.contains(r#"<time datetime="2026-11-20T09:00:00Z">20 November 2026</time>"#));
}

#[tokio::test]
async fn the_front_page_is_paginated() {
    let mut sources = Vec::new();
    for i in 0..15 {
        sources.push((
            "n.md",
            article(
                &format!("story-{i:02}"),
                &format!("Story {i:02}"),
                &format!("2026-11-{:02}T08:00:00Z", i + 1),
                &[],
                "Text.",
            ),
        ));
    }
    let app = spawn_app(&sources).await;
    let (_, first) = app.text("/").await;
    assert!(first.contains("Story 14") && first.contains("Story 03"));
    assert!(!first.contains("Story 02"));
    assert!(first.contains(r#"href="/?page=2""#));
    let (status, second) = app.text("/?page=2").await;
    assert_eq!(status, 200);
    assert!(second.contains("Story 02") && second.contains("Story 00") && !second.contains("Story 03"));
    assert_eq!(app.text("/?page=3").await.0, 404);
    assert_eq!(app.text("/?page=zero").await.0, 404);
}

#[tokio::test]
async fn an_article_page_has_headline_body_metadata_and_related_box() {
    let app = spawn_app(&fixtures()).await;
    let (status, html) = app.text("/articles/bridge-reopens").await;
    assert_eq!(status, 200);
    let page = Page::parse(&html);
    assert_eq!(page.count("h1"), 1);
    assert_eq!(page.text("h1").as_deref(), Some("Bridge Reopens"));
    assert_eq!(page.text(".dek").as_deref(), Some("Dek of bridge-reopens"));
    assert_eq!(page.text(".byline").as_deref(), Some("By Test Writer"));
    assert_eq!(page.attr(".dateline time", "datetime").as_deref(), Some("2026-11-20T09:00:00Z"));
    assert_eq!(page.text("title").as_deref(), Some("Bridge Reopens | Copydesk"));
    assert_eq!(page.attr("meta[name=description]", "content").as_deref(), Some("Dek of bridge-reopens"));
    assert_eq!(page.attr("link[rel=canonical]", "href"), Some(format!("{}/articles/bridge-reopens", app.base)));
    assert_eq!(page.attr("meta[property='og:type']", "content").as_deref(), Some("article"));
    assert_eq!(
        page.attr("meta[property='article:published_time']", "content").as_deref(),
        Some("2026-11-20T09:00:00Z")
    );
    assert_eq!(page.attr("meta[property='article:modified_time']", "content").as_deref(), Some("2026-11-20T09:00:00Z"));
    let json_ld: serde_json::Value =
        serde_json::from_str(&page.text("script[type='application/ld+json']").unwrap()).unwrap();
    assert_eq!(json_ld["@type"], "NewsArticle");
    assert_eq!(json_ld["headline"], "Bridge Reopens");
    assert_eq!(json_ld["datePublished"], "2026-11-20T09:00:00Z");
    assert_eq!(json_ld["dateModified"], "2026-11-20T09:00:00Z");
    assert_eq!(json_ld["author"][0]["name"], "Test Writer");
    assert!(html.contains(r#"href="/topics/transport""#) && html.contains(r#"href="/topics/city-hall""#));

    // The box sits after the middle (third) of five paragraphs and lists three others, newest first.
    let third = html.find("Paragraph number 3").unwrap();
    let boxed = html.find("Other Topics of Interest").expect("related box");
    let fourth = html.find("Paragraph number 4").unwrap();
    assert!(third < boxed && boxed < fourth, "box after the middle paragraph");
    let related = &html[boxed..fourth];
    let tram = related.find("Tram Vote Passes").expect("tram related");
    let bus = related.find("Bus Fares Frozen").expect("bus related");
    let budget = related.find("Budget Gap Widens").expect("budget related");
    assert!(tram < bus && bus < budget, "most recent first");
    assert!(!related.contains("Old Transport Story"), "at most three");
    assert!(!related.contains("River Record"), "shares no topic");
    assert!(!related.contains(">Bridge Reopens<"), "not itself");
}

#[tokio::test]
async fn an_article_without_related_articles_has_no_box() {
    let app = spawn_app(&fixtures()).await;
    let (status, html) = app.text("/articles/river-record").await;
    assert_eq!(status, 200);
    assert!(html.contains("Hot water."));
    assert!(!html.contains("Other Topics of Interest"));
}

#[tokio::test]
async fn pages_are_complete_html_without_javascript() {
    let app = spawn_app(&fixtures()).await;
    let (_, html) = app.text("/articles/tram-vote").await;
    // Async rendering: no streamed placeholders that only a script would fill in.
    assert!(html.contains("The tram vote passed."));
    assert!(!html.contains("<template"), "no out-of-order fragments");
    assert!(html.contains("<main id=\"main\""));
    assert!(html.contains("Skip to content"));
}

#[tokio::test]
async fn unknown_articles_topics_and_paths_get_a_404_page() {
    let app = spawn_app(&fixtures()).await;
    for path in ["/articles/no-such-story", "/articles/Not%20A%20Slug", "/topics/nothing", "/no/such/page"] {
        let (status, html) = app.text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page not found"), "{path}");
        assert!(html.contains("noindex"), "{path}");
    }
}

#[tokio::test]
async fn a_topic_page_lists_its_articles() {
    let app = spawn_app(&fixtures()).await;
    let (status, html) = app.text("/topics/city-hall").await;
    assert_eq!(status, 200);
    assert!(html.contains(">City Hall</h1>"));
    assert!(html.contains("Bridge Reopens") && html.contains("Budget Gap Widens"));
    assert!(!html.contains("River Record"));
}

#[tokio::test]
async fn the_feed_is_well_formed_atom_listing_the_articles() {
    let app = spawn_app(&fixtures()).await;
    let response = app.get("/feed.xml").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let xml = response.text().await.unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    let titles: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| e.children().find(|c| c.has_tag_name("title")).unwrap().text().unwrap().to_owned())
        .collect();
    assert_eq!(titles.first().map(String::as_str), Some("Bridge Reopens"));
    assert_eq!(titles.len(), 6);
}

/// The `loc`s of an XML sitemap or sitemap index, checked to be well-formed.
fn locs(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    doc.descendants().filter(|n| n.has_tag_name("loc")).map(|n| n.text().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn the_sitemap_is_well_formed_and_lists_every_article() {
    let app = spawn_app(&fixtures()).await;
    let (status, index) = app.text("/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(index.contains("<sitemapindex"), "an index: {index}");
    let files = locs(&index);
    assert_eq!(files, [format!("{}/sitemaps/pages.xml", app.base), format!("{}/sitemaps/articles-1.xml", app.base)]);
    let mut listed = Vec::new();
    for file in &files {
        let (status, xml) = app.text(file.strip_prefix(&app.base).unwrap()).await;
        assert_eq!(status, 200, "{file}");
        listed.extend(locs(&xml));
    }
    for slug in ["bridge-reopens", "tram-vote", "bus-fares", "budget-gap", "river-record", "old-transport"] {
        assert!(listed.contains(&format!("{}/articles/{slug}", app.base)), "{slug} in {listed:?}");
    }
    assert!(listed.contains(&format!("{}/topics/transport", app.base)));
    assert!(listed.contains(&format!("{}/", app.base)));
    assert_eq!(app.get("/sitemaps/articles-2.xml").await.status(), 404, "no file past the last");
    assert_eq!(app.get("/sitemaps/nonsense.xml").await.status(), 404);
}

/// More articles than one sitemap file lists (10,000, within the protocol's 50,000) spill
/// into a second file; the files are kept in memory like reader pages, so a crawler's
/// repeats cost no queries.
#[tokio::test]
async fn a_large_site_has_several_sitemap_files_each_within_the_protocols_limit() {
    let app = spawn_app(&fixtures()).await;
    let before: i64 = copydesk::db::query_scalar("SELECT COUNT(*) FROM articles WHERE status = 'published'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let file = i64::from(copydesk::services::feeds::SITEMAP_FILE);
    // In batches: each row's trigger moves the page keys, and one statement must finish
    // within the statement timeout.
    for batch in 0..=(file - before) / 2_000 {
        let first = batch * 2_000 + 1;
        let last = (first + 1_999).min(file + 1 - before);
        copydesk::db::query(
            "WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
             INSERT INTO articles (slug, title, byline, body_md, published_at, status, revision)
             SELECT 'filler-' || i, 'Filler ' || i, 'B', 'Text.', $3, 'published', 1 FROM n",
        )
        .bind(first)
        .bind(last)
        .bind(copydesk::db::now())
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let (_, index) = app.text("/sitemap.xml").await;
    assert_eq!(locs(&index).len(), 3, "pages, and two files of articles: {index}");
    let (status, first) = app.text("/sitemaps/articles-1.xml").await;
    assert_eq!(status, 200);
    assert_eq!(locs(&first).len() as i64, file);
    let (_, second) = app.text("/sitemaps/articles-2.xml").await;
    assert_eq!(locs(&second).len(), 1);
    assert_eq!(app.get("/sitemaps/articles-3.xml").await.status(), 404);
    let again = app.get("/sitemaps/articles-1.xml").await;
    assert_eq!(again.headers()["x-copydesk-cache"], "hit", "kept like a reader page");
}

#[tokio::test]
async fn robots_txt_points_at_the_sitemap() {
    let app = spawn_app(&fixtures()).await;
    let (status, text) = app.text("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(text.contains(&format!("Sitemap: {}/sitemap.xml", app.base)));
}

#[tokio::test]
async fn text_in_titles_is_escaped_and_raw_html_in_bodies_is_not_passed_through() {
    let source = article(
        "xss",
        "<script>alert('t')</script> & more",
        "2026-11-01T00:00:00Z",
        &[],
        "Hi <img src=x onerror=alert(1)> there.",
    );
    let app = spawn_app(&[("xss.md", source)]).await;
    let (status, html) = app.text("/articles/xss").await;
    assert_eq!(status, 200);
    let page = Page::parse(&html);
    assert_eq!(page.text("title").as_deref(), Some("<script>alert('t')</script> & more | Copydesk"));
    assert_eq!(page.text("h1").as_deref(), Some("<script>alert('t')</script> & more"));
    assert!(
        page.texts("script:not([type='application/ld+json'])").iter().all(|s| !s.contains("alert('t')")),
        "no script carries the payload"
    );
    assert_eq!(page.count(".article-body img"), 0, "raw HTML not passed through");
    assert!(page.text(".article-body").unwrap().contains("Hi <img src=x onerror=alert(1)> there."));
    let (_, feed) = app.text("/feed.xml").await;
    roxmltree::Document::parse(&feed).expect("feed stays well-formed");
}

#[tokio::test]
async fn html_is_compressed_and_hashed_assets_are_cached_for_a_year() {
    let app = spawn_app(&fixtures()).await;
    let page = app.client.get(app.url("/articles/tram-vote")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(page.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"));
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    let css = app.get("/pkg/copydesk.css").await;
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(app.get("/favicon.svg").await.status(), 200);
}

#[tokio::test]
async fn assets_are_sent_as_compressed_at_build_time() {
    let app = spawn_app(&fixtures()).await;
    let pkg = app.dir.path().join("site/pkg");
    let wasm: Vec<u8> = (0..40_000u32).flat_map(|i| (i % 97).to_le_bytes()).collect();
    std::fs::write(pkg.join("copydesk.abc.wasm"), &wasm).unwrap();
    copydesk::assets::precompress(&pkg).unwrap();
    let built = std::fs::read(pkg.join("copydesk.abc.wasm.br")).unwrap();

    let sent =
        app.client.get(app.url("/pkg/copydesk.abc.wasm")).header("accept-encoding", "br, gzip").send().await.unwrap();
    assert_eq!(sent.headers()["content-encoding"], "br");
    assert_eq!(sent.headers()["content-type"], "application/wasm");
    assert_eq!(sent.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(sent.bytes().await.unwrap(), built, "the file made at build time, not a fresh compression");
    let plain =
        app.client.get(app.url("/pkg/copydesk.abc.wasm")).header("accept-encoding", "identity").send().await.unwrap();
    assert_eq!(plain.bytes().await.unwrap(), wasm);
}

#[tokio::test]
async fn static_files_cannot_escape_the_site_folder() {
    let app = spawn_app(&fixtures()).await;
    std::fs::write(app.dir.path().join("secret.txt"), "do not serve").unwrap();
    // Sent as raw request lines: an HTTP client would tidy the dots away before sending.
    for path in
        ["/pkg/../../secret.txt", "/pkg/..%2f..%2fsecret.txt", "/..%2fsecret.txt", "/pkg/%2e%2e/%2e%2e/secret.txt"]
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://")).await.unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let status: u16 = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        assert!(!response.contains("do not serve"), "{path} leaked");
        assert!((400..500).contains(&status), "{path}: {status}");
    }
}

#[tokio::test]
async fn a_headline_cannot_break_out_of_the_title_element() {
    let source = article(
        "breakout",
        "</title><script>window.x=1</script>\\\" onload=\\\"y",
        "2026-11-01T00:00:00Z",
        &[],
        "Body.",
    );
    let app = spawn_app(&[("b.md", source)]).await;
    let (status, html) = app.text("/articles/breakout").await;
    assert_eq!(status, 200);
    let page = Page::parse(&html);
    assert!(page.texts("script:not([type='application/ld+json'])").iter().all(|s| !s.contains("window.x=1")), "{html}");
    assert_eq!(page.count("head title"), 1);
    assert!(page.text("title").unwrap().starts_with("</title><script>window.x=1</script>"));
    assert_eq!(
        page.attr("meta[property='og:title']", "content").as_deref(),
        Some(r#"</title><script>window.x=1</script>\" onload=\"y"#)
    );
}

#[tokio::test]
async fn a_failure_gives_a_500_page_that_reveals_nothing_internal() {
    let app = spawn_app(&fixtures()).await;
    copydesk::db::query("DROP TABLE article_topics").execute(&app.pool).await.unwrap();
    let (status, html) = app.text("/articles/bridge-reopens").await;
    assert_eq!(status, 500);
    assert!(html.contains("Something went wrong"));
    assert!(!html.contains("article_topics") && !html.to_lowercase().contains("no such table"), "{html}");
}

#[tokio::test]
async fn every_kind_of_page_carries_the_security_headers() {
    let app = spawn_app(&fixtures()).await;
    let pages = ["/", "/articles/tram-vote", "/articles/tram-vote/correction", "/topics/transport", "/corrections"];
    for path in pages.into_iter().chain(["/staff/login", "/no-such-page"]) {
        let response = app.get(path).await;
        let headers = response.headers().clone();
        let html = response.text().await.unwrap();
        let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin", "{path}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert!(header("permissions-policy").contains("camera=()"), "{path}");
        let csp = header("content-security-policy");
        for directive in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "'wasm-unsafe-eval'",
        ] {
            assert!(csp.contains(directive), "{path}: {directive} missing from {csp}");
        }
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), "{path}: {csp}");
        // The one inline script (hydration) is allowed by the hash of its text; no other runs.
        assert!(!csp.contains("'nonce-"), "{path}: no per-response nonce: {csp}");
        let page = Page::parse(&html);
        let inline: Vec<String> = page.texts("script:not([src]):not([type='application/ld+json'])");
        assert_eq!(inline.len(), 1, "{path}: one inline script");
        let hash = {
            use base64::Engine as _;
            use sha2::Digest as _;
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(inline[0].as_bytes()))
        };
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{path}: the loader's hash is in {csp}");
        // The stylesheet is inlined (no render-blocking request) and allowed the same way.
        let styles = page.texts("style");
        assert_eq!(styles, ["body{}"], "{path}: the site's stylesheet, inlined");
        assert!(csp.contains(&copydesk::built_site::csp_hash(&styles[0])), "{path}: {csp}");
        assert_eq!(page.count("link[rel=stylesheet]"), 0, "{path}");
        // It loads the module the page preloads, then the wasm (not preloaded: its download
        // would compete with the page's own first paint on a slow line).
        let js = page.attr("link[rel=modulepreload]", "href").expect("a module preload");
        assert!(js.starts_with("/pkg/copydesk") && js.ends_with(".js"), "{path}: {js}");
        assert_eq!(page.count("link[rel=preload]"), 0, "{path}");
        let loader = page.text("script[type=module]").expect("the island loader");
        assert!(loader.contains(&format!("{js:?}")) && loader.contains(".wasm\""), "{path}: {loader}");
    }
    let second = app.get("/").await.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let first = app.get("/").await.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert_eq!(first, second, "the same policy for every response");
    let feed = app.get("/feed.xml").await;
    assert_eq!(feed.headers()["x-content-type-options"], "nosniff");
}
