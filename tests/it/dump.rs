//! `copydesk export` and `copydesk import-dump` move a whole site between databases without
//! loss. When the suite runs against PostgreSQL the site goes PostgreSQL -> SQLite ->
//! PostgreSQL; otherwise SQLite -> SQLite -> SQLite.

use std::path::Path;

use crate::support::desk::app;
use crate::support::process::{copydesk, run, serve};
use crate::support::{Page, TestApp};
use copydesk::db::comments::{Insert, Parent};
use copydesk::db::{self, Pool};
use copydesk::domain::comment::Hold;
use copydesk::domain::comment::NewComment;

fn comment(article_id: i64, parent: Option<&Parent>, author: &str, body: &str, hold: Option<Hold>) -> Insert {
    Insert {
        article_id,
        parent: parent.cloned(),
        comment: NewComment {
            name: author.into(),
            email: Some(format!("{}@example.org", author.to_lowercase().replace(' ', "."))),
            body: body.into(),
            parent: parent.map(|p| p.id),
            notify: false,
        },
        hold,
        client_hash: format!("hash-of-{author}"),
        author_token: format!("token-of-{author}"),
        staff_id: None,
        confirm: None,
    }
}

/// A site with something in every table: threads in every status, reports, a ban, words,
/// an applied correction with its revision and notice, an edited article, staff and audit.
async fn lived_in_site() -> TestApp {
    let app = app().await;
    let pool = &app.pool;
    let (first, _) =
        db::comments::insert(pool, &comment(1, None, "Ann Reader", "The first word.", None)).await.unwrap();
    let parent = db::comments::parent(pool, first).await.unwrap().unwrap();
    let (reply, _) =
        db::comments::insert(pool, &comment(1, Some(&parent), "Ben Reader", "A reply to Ann.", None)).await.unwrap();
    let reply_parent = db::comments::parent(pool, reply).await.unwrap().unwrap();
    db::comments::insert(pool, &comment(1, Some(&reply_parent), "Cat Reader", "A reply to Ben.", None)).await.unwrap();
    let (held, _) =
        db::comments::insert(pool, &comment(1, None, "Dan Reader", "Held, then rejected.", Some(Hold::Premoderation)))
            .await
            .unwrap();
    db::comments::insert(pool, &comment(1, None, "Eve Reader", "Still waiting.", Some(Hold::Links(3)))).await.unwrap();
    db::comments::moderate(pool, &[held], false, Some("Off topic")).await.unwrap();
    db::comments::set_featured(pool, first, true).await.unwrap();
    db::comments::add_report(pool, reply, copydesk::domain::comment::ReportReason::Spam, Some("Looks like spam"), "h1")
        .await
        .unwrap();
    db::comments::ban_author(pool, held, "Repeated abuse", 3, false).await.unwrap();
    db::comments::add_words(pool, copydesk::domain::moderation::WordListName::Suspect, &["dubious".into()])
        .await
        .unwrap();

    let report = db::corrections::NewReport {
        article_id: 1,
        revision: 1,
        quote: "council met",
        prefix: "The ",
        suffix: ".",
        span: Some((4, 15)),
        kind: copydesk::domain::suggestion::Kind::Factual,
        suggested: "council met on Monday",
        note: Some("I was there"),
        email: Some("witness@example.org"),
        client_hash: "h2",
        comment_id: None,
    };
    let stored = db::corrections::add_report(pool, &report).await.unwrap();
    // The reporter is told of both decisions: the outbox moves too.
    let told = copydesk::domain::mail::Message::CorrectionDismissed {
        headline: "Council Meets".into(),
        article_url: "http://127.0.0.1/articles/council".into(),
        quote: "council met".into(),
        reason: None,
    };
    let accepted = db::corrections::Acceptance {
        group_id: stored.group_id,
        article_id: 1,
        fixed: Some(("Council Meets", Some("Dek of council"), "The council met on Monday.")),
        from_revision: 1,
        summary: "Named the day",
        notice_kind: "correction",
        notice: "An earlier version did not say when the council met.",
        staff_id: 2,
        staff_name: "The editor",
        told: &told,
    };
    assert_eq!(db::corrections::accept(pool, &accepted).await.unwrap(), db::corrections::Accepted::Done);
    let dismissed = db::corrections::NewReport { quote: "", prefix: "", suffix: "", span: None, ..report };
    let other = db::corrections::add_report(pool, &dismissed).await.unwrap();
    db::corrections::dismiss(pool, other.group_id, 2, "Not an error", &told).await.unwrap();
    db::outbox::unsubscribe(pool, "left@example.org", copydesk::domain::mail::List::Replies).await.unwrap();
    db::outbox::confirm_replies(pool, "witness@example.org").await.unwrap();
    db::audit::record(pool, None, db::audit::Kind::Settings, "Changed the word lists", "", "dubious").await.unwrap();
    // The copy check's house dictionary, an ignored problem and an article's language.
    db::copy_check::add_house_word(pool, "Dvořák", "The editor").await.unwrap();
    db::copy_check::ignore(pool, 1, "spelling", "Kellsbury").await.unwrap();
    db::query("UPDATE articles SET lang = 'en-US' WHERE id = 1").execute(pool).await.unwrap();
    // A story scheduled for later, with its time, and two authors (one a staff member's).
    let later = crate::support::article("later", "Later Story", "2099-06-01T09:00:00Z", &[], "Not yet.").replacen(
        "topics: []",
        "topics: []\nauthors: [Ana García, The editor]",
        1,
    );
    let reports = copydesk::import::import_sources(
        pool,
        &copydesk::media_store::MediaStore::Database,
        [("later.md".to_owned(), later.as_str())],
    )
    .await;
    assert_eq!(reports[0].result.as_ref().unwrap().0, db::articles::Upserted::Scheduled);
    assert!(db::authors::create_for_staff(pool, 2, "the-editor", "The editor").await.unwrap().is_some());
    let profile = db::authors::by_slug(pool, "the-editor").await.unwrap().unwrap();
    let edit = copydesk::domain::author::ProfileEdit {
        name: "The editor".into(),
        bio: "Edits.\n\nAnd writes.".into(),
        links: vec!["https://example.org/editor".into()],
    };
    db::authors::update(pool, profile.id, &edit).await.unwrap();

    // A photo, the article's lead image with its own caption (its files' bytes as base64).
    let photo = image::RgbImage::from_fn(400, 300, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 40]));
    let processed = copydesk::imaging::variants(image::DynamicImage::ImageRgb8(photo));
    let words = copydesk::domain::media::MediaText {
        alt: "Boats at dawn".into(),
        caption: "The harbour".into(),
        credit: "Ana García".into(),
    };
    let media_id = copydesk::services::media::store(
        pool,
        &copydesk::media_store::MediaStore::Database,
        Some(2),
        "harbour.jpg",
        &words,
        &processed,
    )
    .await
    .unwrap();
    let lead = db::media::Lead { media_id, alt: None, caption: Some("Dawn at the harbour".into()), credit: None };
    assert!(db::media::set_lead(pool, 1, Some(&lead), &[]).await.unwrap());
    app
}

async fn export(dir: &Path, url: &str, name: &str) -> String {
    let file = dir.join(name);
    run(dir, url, &["export", "--output", file.to_str().unwrap()], &[]);
    std::fs::read_to_string(file).unwrap()
}

/// A new SQLite database (the tests' own databases are PostgreSQL ones when the suite runs
/// against PostgreSQL).
fn other_database(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("copy.db").display())
}

/// What a reader sees of an article: its text, notices and comments.
fn reader_view(html: &str) -> Vec<String> {
    let page = Page::parse(html);
    [".article-body", ".correction-notice", "#comments-title", ".comment-list", ".dateline"]
        .iter()
        .map(|selector| page.text(selector).unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn a_site_moves_to_another_database_and_back_unchanged() {
    let app = lived_in_site().await;
    let dir = tempfile::tempdir().unwrap();
    let first = export(dir.path(), &app.database_url, "first.jsonl").await;
    for table in [
        "articles",
        "article_revisions",
        "comments",
        "comment_reports",
        "correction_groups",
        "staff",
        "audit_log",
        "house_words",
        "copy_check_ignores",
        "media",
        "media_variants",
        "article_media",
    ] {
        assert!(first.contains(&format!("\"table\":\"{table}\"")), "{table} is in the dump");
    }
    assert!(first.contains("A reply to Ben.") && first.contains("Off topic") && first.contains("Named the day"));
    assert!(first.contains("Dvořák") && first.contains("Kellsbury") && first.contains("en-US"));
    assert!(first.contains("Dawn at the harbour") && first.contains("\"/9j/"), "the lead image and its JPEG files");
    assert!(!first.contains("client_hash_key"), "the key client addresses are hashed with is not exported");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(dir.path().join("first.jsonl")).unwrap().permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "the file is readable by its owner alone");

    let there = other_database(dir.path());
    run(dir.path(), &there, &["import-dump", dir.path().join("first.jsonl").to_str().unwrap()], &[]);
    let second = export(dir.path(), &there, "second.jsonl").await;
    assert_eq!(first, second, "the copy holds exactly what the original held");

    // Back into a database of the original's kind.
    let back = crate::support::fresh_database(&dir.path().join("back"));
    std::fs::create_dir_all(dir.path().join("back")).unwrap();
    run(dir.path(), &back, &["import-dump", dir.path().join("second.jsonl").to_str().unwrap()], &[]);
    assert_eq!(export(dir.path(), &back, "third.jsonl").await, first, "and back again");

    // The copy serves the same article, counts the queues the same and takes new writes.
    let copy = serve(dir.path(), &there, "/articles/council").await;
    let original = app.text("/articles/council").await.1;
    let copied = reqwest::get(copy.url("/articles/council")).await.unwrap().text().await.unwrap();
    assert_eq!(reader_view(&copied), reader_view(&original));
    assert!(copied.contains("The council met on Monday."));
    // The lead image and its files came along, byte for byte.
    let lead_src = Page::parse(&original).attr(".lead-figure img", "src").expect("the lead image");
    assert!(Page::parse(&copied).text(".lead-figure figcaption").unwrap().starts_with("Dawn at the harbour"));
    let here = app.get(&lead_src).await.bytes().await.unwrap();
    let there_bytes = reqwest::get(copy.url(&lead_src)).await.unwrap().bytes().await.unwrap();
    assert!(!here.is_empty());
    assert_eq!(here, there_bytes);
    let copy_pool = db::connect(&there).await.unwrap();
    let counts = |pool: Pool| async move { db::comments::queue_counts(&pool).await.unwrap() };
    let (a, b) = (counts(app.pool.clone()).await, counts(copy_pool.clone()).await);
    assert_eq!((a.pending, a.approved, a.rejected, a.reported), (b.pending, b.approved, b.rejected, b.reported));
    let max_before: i64 = db::query_scalar("SELECT MAX(id) FROM comments").fetch_one(&app.pool).await.unwrap();
    for pool in [copy_pool, db::connect(&back).await.unwrap()] {
        let (new_id, _) = db::comments::insert(&pool, &comment(1, None, "Fay Reader", "Written after the move.", None))
            .await
            .unwrap();
        assert!(new_id > max_before, "new rows are numbered after the imported ones ({:?})", pool.kind());
    }
}

#[tokio::test]
async fn an_import_into_a_site_or_from_a_broken_file_writes_nothing() {
    let app = lived_in_site().await;
    let dir = tempfile::tempdir().unwrap();
    let dump = export(dir.path(), &app.database_url, "site.jsonl").await;
    let import = |url: &str, file: &str| {
        copydesk(dir.path(), url).args(["import-dump", file]).stderr(std::process::Stdio::piped()).output().unwrap()
    };

    let refused = import(&app.database_url, dir.path().join("site.jsonl").to_str().unwrap());
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already holds a site"));
    assert_eq!(export(dir.path(), &app.database_url, "after.jsonl").await, dump, "the live site is unchanged");

    let fresh = other_database(dir.path());
    let lines: Vec<&str> = dump.lines().collect();
    let cut = dir.path().join("cut.jsonl");
    std::fs::write(&cut, lines[..lines.len() - 3].join("\n")).unwrap();
    let broken = import(&fresh, cut.to_str().unwrap());
    assert!(!broken.status.success());
    assert!(String::from_utf8_lossy(&broken.stderr).contains("ends before the dump does"));
    let pool = db::connect(&fresh).await.unwrap();
    let articles: i64 = db::query_scalar("SELECT COUNT(*) FROM articles").fetch_one(&pool).await.unwrap();
    assert_eq!(articles, 0, "nothing of a broken dump is kept");

    let tampered = dir.path().join("tampered.jsonl");
    std::fs::write(&tampered, dump.replacen("\"body_md\"", "\"body_html\"", 1)).unwrap();
    let empty = export(dir.path(), &fresh, "empty.jsonl").await;
    let wrong = import(&fresh, tampered.to_str().unwrap());
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("expected the table articles with columns"));
    assert_eq!(export(dir.path(), &fresh, "still-empty.jsonl").await, empty, "nothing of a tampered dump is kept");
}

/// The dump carries every column the migrations make, checked in this run's own database's
/// catalogue (PostgreSQL's `information_schema` in the PostgreSQL pass).
#[tokio::test]
async fn the_dump_carries_every_column_of_this_database() {
    let app = crate::support::spawn_app(&[]).await;
    assert_eq!(db::dump::undumped(&app.pool).await.unwrap(), Vec::<String>::new());
}
