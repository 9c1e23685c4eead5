//! Reader search (`/search`), the desk's article search on the same index, and the comment
//! counts on cards, against the real server on SQLite and PostgreSQL.

use crate::support::desk::{add_staff, get, sign_in};
use crate::support::{Page, TestApp, article, spawn_app_with};
use copydesk::db;
use copydesk::domain::comment::Moderation;
use copydesk::domain::staff::Role;
use copydesk::import::import_sources;

fn sources() -> Vec<(String, String)> {
    vec![
        (
            "garcia.md".into(),
            article(
                "garcia-wins",
                "García Wins the Vote",
                "2026-11-01T00:00:00Z",
                &["City Hall"],
                "The mayor's race ended on Tuesday.",
            ),
        ),
        (
            "budget.md".into(),
            article(
                "budget",
                "Budget Gap Widens",
                "2026-11-03T00:00:00Z",
                &["Money"],
                "The treasurer said the gap is wider than expected.\n\nCouncillor Garcia asked for the elections office to be spared.",
            ),
        ),
        (
            "harbour.md".into(),
            article("harbour", "Harbour Opens", "2026-11-02T00:00:00Z", &["Culture"], "Boats came in at dawn."),
        ),
    ]
}

async fn app() -> TestApp {
    let sources = sources();
    let sources: Vec<(&str, String)> = sources.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    spawn_app_with(&sources, |config| config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await
}

/// `/search?q=` as a reader at `ip`: the status and the parsed page.
async fn search(app: &TestApp, ip: &str, query: &str) -> (u16, Page) {
    let response =
        app.client.get(app.url("/search")).query(&[("q", query)]).header("x-forwarded-for", ip).send().await.unwrap();
    let status = response.status().as_u16();
    (status, Page::parse(&response.text().await.unwrap()))
}

fn found(page: &Page) -> Vec<String> {
    page.attr_all(".search-hit .card-title a", "href")
}

#[tokio::test]
async fn search_ranks_headline_matches_first_and_folds_case_and_accents() {
    let app = app().await;
    for query in ["garcia", "GARCÍA", "García", "Garcia"] {
        let (status, page) = search(&app, "203.0.113.1", query).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(found(&page), ["/articles/garcia-wins", "/articles/budget"], "{query}");
    }
    let (_, page) = search(&app, "203.0.113.1", "Garcia").await;
    assert_eq!(page.text("h1").as_deref(), Some("Results for “Garcia”"));
    assert_eq!(page.attr("#search-q", "value").as_deref(), Some("Garcia"));
    // The snippet shows the words around the match, the match marked.
    let snippets = page.texts(".search-snippet");
    assert!(snippets[1].contains("Councillor Garcia asked"), "{snippets:?}");
    assert_eq!(page.texts(".search-snippet mark"), ["Garcia"]);
    // Word forms: "election" finds the body's "elections"; topics are searched too.
    let (_, page) = search(&app, "203.0.113.1", "election").await;
    assert_eq!(found(&page), ["/articles/budget"]);
    assert_eq!(page.texts(".search-snippet mark"), ["elections"]);
    let (_, page) = search(&app, "203.0.113.1", "culture").await;
    assert_eq!(found(&page), ["/articles/harbour"]);
    // Every word must be there.
    let (_, page) = search(&app, "203.0.113.1", "garcia boats").await;
    assert!(found(&page).is_empty());
    assert!(page.text(".empty").unwrap().contains("No published story matches “garcia boats”"));
    assert_eq!(page.attr("meta[name=robots]", "content").as_deref(), Some("noindex"));
}

#[tokio::test]
async fn every_page_has_the_search_box_and_an_empty_search_asks_for_words() {
    let app = app().await;
    let (_, front) = app.text("/").await;
    let front = Page::parse(&front);
    assert_eq!(front.attr("form.site-search", "action").as_deref(), Some("/search"));
    assert_eq!(front.attr("form.site-search", "method").as_deref(), Some("get"));
    assert_eq!(front.attr("form.site-search input", "name").as_deref(), Some("q"));
    let (status, page) = search(&app, "203.0.113.1", "").await;
    assert_eq!(status, 200);
    assert!(page.text(".empty").unwrap().contains("Type a word"));
    assert!(found(&page).is_empty());
}

#[tokio::test]
async fn queries_that_look_like_sql_or_search_syntax_are_plain_words() {
    let app = app().await;
    for query in [
        "\" OR 1=1 --",
        "' OR '1'='1",
        "NEAR(garcia wins)",
        "garcia AND NOT vote",
        "title:garcia",
        "\"unbalanced",
        "garcia*",
        "^garcia",
        "½ ß Æ ﬁ",
        "-- ; DROP TABLE articles;",
        "(((",
        "&|!:*",
        "a\u{0}b",
    ] {
        let (status, _) = search(&app, "203.0.113.2", query).await;
        assert_eq!(status, 200, "{query:?}");
    }
    // Operators are words, not syntax: "garcia AND NOT vote" needs "not" in the text.
    let (_, page) = search(&app, "203.0.113.2", "NEAR(garcia wins)").await;
    assert!(found(&page).is_empty(), "NEAR is a word here");
    let (_, page) = search(&app, "203.0.113.2", "garcia*").await;
    assert_eq!(found(&page).len(), 2);
    // A very long query is cut, not refused.
    let (status, _) = search(&app, "203.0.113.2", &"garcia ".repeat(2000)).await;
    assert_eq!(status, 200);
    assert_eq!(db::articles::count(&app.pool).await.unwrap(), 3, "nothing dropped");
}

#[tokio::test]
async fn unpublished_articles_are_never_found_and_edits_are_found_at_once() {
    let app = app().await;
    let budget = db::articles::published_by_slug(&app.pool, "budget").await.unwrap().unwrap();
    assert!(db::editing::set_published(&app.pool, budget.id, false).await.unwrap());
    let (_, page) = search(&app, "203.0.113.3", "garcia").await;
    assert_eq!(found(&page), ["/articles/garcia-wins"], "the draft is not found");
    assert!(db::editing::set_published(&app.pool, budget.id, true).await.unwrap());

    // A re-import with a new text: the old words are gone, the new found.
    let changed = article("harbour", "Harbour Opens", "2026-11-02T00:00:00Z", &["Culture"], "Ferries came in at dusk.");
    let reports = import_sources(
        &app.pool,
        &copydesk::media_store::MediaStore::Database,
        [("harbour.md".to_owned(), changed.as_str())],
    )
    .await;
    assert!(reports[0].result.is_ok());
    let (_, page) = search(&app, "203.0.113.3", "boats").await;
    assert!(found(&page).is_empty());
    let (_, page) = search(&app, "203.0.113.3", "ferries dusk").await;
    assert_eq!(found(&page), ["/articles/harbour"]);
}

#[tokio::test]
async fn results_come_in_pages() {
    let sources: Vec<(String, String)> = (0..23)
        .map(|i| {
            let body = format!("Story {i} about the tram line.");
            (
                format!("t{i}.md"),
                article(&format!("tram-{i}"), &format!("Tram {i}"), "2026-11-01T00:00:00Z", &[], &body),
            )
        })
        .collect();
    let sources: Vec<(&str, String)> = sources.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let app = spawn_app_with(&sources, |config| config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    let (_, first) = search(&app, "203.0.113.4", "tram").await;
    assert_eq!(found(&first).len(), 10);
    assert_eq!(first.attr("a[rel=next]", "href").as_deref(), Some("/search?q=tram&page=2"));
    assert_eq!(first.text("a[rel=next]").as_deref(), Some("More results"));
    let mut seen = found(&first);
    for page_number in [2, 3] {
        let response = app
            .client
            .get(app.url(&format!("/search?q=tram&page={page_number}")))
            .header("x-forwarded-for", "203.0.113.4")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let page = Page::parse(&response.text().await.unwrap());
        seen.extend(found(&page));
        assert_eq!(page.count("a[rel=next]"), usize::from(page_number == 2));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 23, "every story once across the pages");
    for missing in ["/search?q=tram&page=4", "/search?q=tram&page=51", "/search?q=tram&page=0"] {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }
}

#[tokio::test]
async fn searching_is_rate_limited_per_client() {
    let app = app().await;
    for _ in 0..60 {
        assert_eq!(search(&app, "203.0.113.5", "garcia").await.0, 200);
    }
    assert_eq!(search(&app, "203.0.113.5", "garcia").await.0, 429);
    assert_eq!(search(&app, "203.0.113.6", "garcia").await.0, 200, "another reader is not held up");
    // The search box without words costs nothing.
    assert_eq!(search(&app, "203.0.113.5", "").await.0, 200);
}

#[tokio::test]
async fn the_desk_article_search_uses_the_index_with_drafts_and_word_starts() {
    let app = app().await;
    add_staff(&app).await;
    let editor = sign_in(&app, Role::Editor).await;
    let budget = db::articles::published_by_slug(&app.pool, "budget").await.unwrap().unwrap();
    assert!(db::editing::set_published(&app.pool, budget.id, false).await.unwrap());
    let desk = |q: &'static str| {
        let (app, editor) = (&app, editor.clone());
        async move {
            let response = get(app, &format!("/staff/articles?q={q}"), Some(&editor)).await;
            assert_eq!(response.status(), 200);
            Page::parse(&response.text().await.unwrap()).texts(".desk-table tbody tr td:first-child a")
        }
    };
    assert_eq!(desk("garc").await, ["Budget Gap Widens", "García Wins the Vote"], "prefix, accents, drafts");
    assert_eq!(desk("GARCIA%20VOTE").await, ["García Wins the Vote"]);
    assert_eq!(desk("%22%20OR%201%3D1").await, Vec::<String>::new());
    assert_eq!(desk("").await.len(), 3);
}

#[tokio::test]
async fn cards_show_each_storys_published_comment_count() {
    let app = app().await;
    assert!(db::comments::set_article_comments(&app.pool, "harbour", Some(Moderation::Post), false).await.unwrap());
    let card_count = |path: &'static str| {
        let app = &app;
        async move {
            let (_, html) = app.text(path).await;
            let page = Page::parse(&html);
            let hrefs = page.attr_all(".card .card-comments", "href");
            let texts = page.texts(".card .card-comments");
            let i = hrefs.iter().position(|h| h == "/articles/harbour#comments").expect("the harbour card");
            texts[i].clone()
        }
    };
    assert_eq!(card_count("/").await, "No comments yet");
    for (n, name) in ["Ann", "Bo"].into_iter().enumerate() {
        let response = app
            .client
            .post(app.url("/articles/harbour/comments"))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .form(&[("name", name), ("body", "Lovely boats")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
    }
    assert_eq!(card_count("/").await, "2 comments");
    assert_eq!(card_count("/topics/culture").await, "2 comments");
    let (_, page) = search(&app, "203.0.113.7", "harbour").await;
    assert_eq!(page.text(".card-comments").as_deref(), Some("2 comments"));
    // Rejecting one (here as another app server would, straight in the database) takes it
    // off the count on the kept pages once the server has read the moved keys.
    let first = db::comments::all(&app.pool).await.unwrap()[0].id;
    assert_eq!(db::comments::moderate(&app.pool, &[first], false, None).await.unwrap(), 1);
    let started = std::time::Instant::now();
    while card_count("/").await != "1 comment" {
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "the front page kept the old count");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(card_count("/topics/culture").await, "1 comment");
}
