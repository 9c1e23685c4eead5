//! `copydesk import-wxr` with a WordPress export written for this project: posts, their
//! HTML as Markdown, nested comments with their statuses, drafts and scheduled posts;
//! importing twice changes nothing; a broken file writes nothing; the result moves with
//! `export`/`import-dump` unchanged. On SQLite and PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use crate::support::process::{copydesk, run};
use crate::support::{Page, TestApp, article, spawn_app};
use copydesk::db;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wordpress-export.xml")
}

fn import(app: &TestApp, file: &Path) -> Output {
    copydesk(app.dir.path(), &app.database_url)
        .args(["import-wxr", file.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Author, status, depth, the parent's author, rejection reason, time.
type StoredComment = (String, String, i64, Option<String>, Option<String>, time::OffsetDateTime);

async fn count(app: &TestApp, table: &str) -> i64 {
    db::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"))).fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn a_wordpress_export_becomes_articles_with_their_comments() {
    let app = spawn_app(&[]).await;
    let output = import(&app, &fixture());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(
        report.contains(": 3 posts created, 0 updated, 0 unchanged; 6 comments added, 0 already there."),
        "{report}"
    );
    for line in [
        "skipped: 1 attachment",
        "skipped: 1 page",
        "skipped: 1 post (auto-draft)",
        "skipped: 1 pingbacks and trackbacks",
    ] {
        assert!(report.contains(line), "{line}: {report}");
    }

    let (status, html) = app.text("/articles/rock-and-roll-harbour").await;
    assert_eq!(status, 200);
    let page = Page::parse(&html);
    assert_eq!(page.text("h1").as_deref(), Some("Rock & Roll Returns to the Harbour"));
    assert_eq!(page.text(".dek").as_deref(), Some("The band’s first concert in ten years."));
    assert_eq!(page.text(".byline").as_deref(), Some("By María García"));
    assert_eq!(page.attr(".byline a", "href").as_deref(), Some("/authors/maria-garcia"));
    assert_eq!(page.attr(".dateline time", "datetime").as_deref(), Some("2024-03-05T14:30:00Z"));
    assert_eq!(page.texts(".topics a"), ["Culture", "Music", "Harbour"]);
    let body = page.text(".article-body").unwrap();
    assert!(
        body.contains("The band’s first concert in ten years drew 4,000 people to the quay & the streets around it."),
        "{body}"
    );
    assert!(body.contains("The crowd on the quay at dusk. Photo: Ana Ruiz"), "{body}");
    assert!(!body.contains("alert"), "scripts are dropped");
    assert!(!body.contains("[caption"), "shortcodes are converted");
    let links = page.attr_all(".article-body a", "href");
    assert_eq!(
        links[0], "https://gazette.example/wp-content/uploads/2024/03/quay.jpg",
        "the featured image, as a link"
    );
    assert!(links.contains(&"https://www.youtube.com/watch?v=dQw4w9WgXcQ".to_owned()), "{links:?}");
    assert!(links.contains(&"https://player.example/embed/42".to_owned()), "{links:?}");
    assert_eq!(page.text(".article-body h2").as_deref(), Some("What comes next"));
    assert_eq!(page.count(".article-body li"), 2);
    assert_eq!(page.text("#comments-title").as_deref(), Some("Comments (4)"));

    // Threads, statuses, dates and emails as WordPress had them; nesting capped at three.
    let comments: Vec<StoredComment> = db::query_as(
        "SELECT c.author_name, c.status, c.depth, p.author_name, c.rejection_reason, c.created_at
         FROM comments c LEFT JOIN comments p ON p.id = c.parent_id ORDER BY c.id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let shape: Vec<(&str, &str, i64, Option<&str>)> =
        comments.iter().map(|c| (c.0.as_str(), c.1.as_str(), c.2, c.3.as_deref())).collect();
    assert_eq!(
        shape,
        [
            ("Ann Reader", "published", 0, None),
            ("Ben", "published", 1, Some("Ann Reader")),
            ("Cat", "published", 2, Some("Ben")),
            ("Dan", "published", 2, Some("Ben")),
            ("Eve", "pending", 0, None),
            ("Cheap Pills", "rejected", 0, None),
        ]
    );
    assert_eq!(comments[5].4.as_deref(), Some("Marked as spam in WordPress"));
    assert_eq!(comments[0].5, time::macros::datetime!(2024-03-05 16:00 UTC));
    let body: String = db::query_scalar("SELECT body FROM comments WHERE author_name = 'Ann Reader'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(body, "What a night! Fish & chips sold out.", "comments are text");

    // The draft and the scheduled post are not public; the page is not imported.
    let states: Vec<(String, String, Option<time::OffsetDateTime>)> =
        db::query_as("SELECT slug, status, scheduled_at FROM articles ORDER BY id").fetch_all(&app.pool).await.unwrap();
    assert_eq!(states[1].0, "budget-notes");
    assert_eq!((states[1].1.as_str(), states[1].2), ("draft", None));
    assert_eq!(states[2].0, "ferry-timetable-summer");
    assert_eq!((states[2].1.as_str(), states[2].2), ("draft", Some(time::macros::datetime!(2099-06-01 08:00 UTC))));
    assert_eq!(app.get("/articles/budget-notes").await.status(), 404);
    assert_eq!(app.get("/articles/ferry-timetable-summer").await.status(), 404);
    assert_eq!(count(&app, "articles").await, 3);
}

#[tokio::test]
async fn importing_the_same_export_again_changes_nothing() {
    let app = spawn_app(&[]).await;
    assert!(import(&app, &fixture()).status.success());
    let before = (count(&app, "articles").await, count(&app, "article_revisions").await, count(&app, "comments").await);
    let again = import(&app, &fixture());
    assert!(again.status.success());
    let report = text(&again.stdout);
    assert!(
        report.contains(": 0 posts created, 0 updated, 3 unchanged; 0 comments added, 6 already there."),
        "{report}"
    );
    let after = (count(&app, "articles").await, count(&app, "article_revisions").await, count(&app, "comments").await);
    assert_eq!(before, after);
    assert_eq!(before, (3, 3, 6));
}

#[tokio::test]
async fn a_broken_or_foreign_file_is_reported_and_writes_nothing() {
    let app = spawn_app(&[]).await;
    let whole = std::fs::read_to_string(fixture()).unwrap();
    let cut = app.dir.path().join("cut.xml");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let output = import(&app, &cut);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("not imported: not well-formed XML"), "{}", text(&output.stderr));

    let atom = app.dir.path().join("atom.xml");
    std::fs::write(&atom, "<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>").unwrap();
    let output = import(&app, &atom);
    assert!(text(&output.stderr).contains("not a WordPress export: the root element is not <rss>"));

    // One published post without a title: reported with its id, and the good ones are not
    // written either.
    let bad = whole
        .replace("<title><![CDATA[Ferry Timetable for the Summer]]></title>", "<title></title>")
        .replace("<wp:status><![CDATA[future]]></wp:status>", "<wp:status><![CDATA[publish]]></wp:status>");
    let bad_file = app.dir.path().join("bad.xml");
    std::fs::write(&bad_file, bad).unwrap();
    let output = import(&app, &bad_file);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("1 post(s) cannot be imported, so nothing was:\npost 104 (“”): no title"), "{stderr}");
    assert_eq!(count(&app, "articles").await, 0);
    assert_eq!(count(&app, "comments").await, 0);
    assert_eq!(count(&app, "imported_ids").await, 0);
}

#[tokio::test]
async fn a_post_whose_address_is_taken_gets_its_id_and_the_import_moves_with_the_site() {
    let existing = article("rock-and-roll-harbour", "Our Own Story", "2026-11-01T00:00:00Z", &[], "Ours.");
    let app = spawn_app(&[("ours.md", existing)]).await;
    assert!(import(&app, &fixture()).status.success());
    let (_, ours) = app.text("/articles/rock-and-roll-harbour").await;
    assert!(ours.contains("Our Own Story"), "the site's own story is untouched");
    let (status, theirs) = app.text("/articles/rock-and-roll-harbour-101").await;
    assert_eq!(status, 200);
    assert!(theirs.contains("Rock &amp; Roll Returns to the Harbour"));
    // Again: the post is found by its WordPress id under its new address.
    let again = text(&import(&app, &fixture()).stdout);
    assert!(again.contains("0 posts created, 0 updated, 3 unchanged"), "{again}");

    // export → import-dump → export: the same site, ids to WordPress included.
    let dir = app.dir.path();
    let first = dir.join("first.jsonl");
    run(dir, &app.database_url, &["export", "--output", first.to_str().unwrap()], &[]);
    let copy = format!("sqlite://{}", dir.join("copy.db").display());
    run(dir, &copy, &["import-dump", first.to_str().unwrap()], &[]);
    let second = dir.join("second.jsonl");
    run(dir, &copy, &["export", "--output", second.to_str().unwrap()], &[]);
    assert_eq!(std::fs::read_to_string(&first).unwrap(), std::fs::read_to_string(&second).unwrap());
    assert!(std::fs::read_to_string(&first).unwrap().contains("wxr:https://gazette.example"));
}
