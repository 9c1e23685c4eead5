//! `copydesk import`: good files are stored, bad ones are reported and leave nothing behind.

use std::process::Command;

use crate::support::{article, spawn_app};
use copydesk::media_store::MediaStore;

async fn count(pool: &copydesk::db::Pool, sql: &'static str) -> i64 {
    copydesk::db::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn a_bad_file_is_rejected_and_leaves_the_database_unchanged() {
    let app = spawn_app(&[("a.md", article("first", "First", "2026-11-01T00:00:00Z", &["Energy"], "One."))]).await;
    let before = (
        count(&app.pool, "SELECT COUNT(*) FROM articles").await,
        count(&app.pool, "SELECT COUNT(*) FROM topics").await,
        count(&app.pool, "SELECT COUNT(*) FROM article_revisions").await,
    );
    let bad = "---\ntitle: Broken\nbyline: X\npublished: yesterday\ntopics: [Brand New Topic]\n---\nText";
    let reports =
        copydesk::import::import_sources(&app.pool, &MediaStore::Database, [("bad.md".to_owned(), bad)]).await;
    assert_eq!(reports.len(), 1);
    let problem = reports[0].result.as_ref().unwrap_err();
    assert!(problem.contains("published"), "{problem}");
    let after = (
        count(&app.pool, "SELECT COUNT(*) FROM articles").await,
        count(&app.pool, "SELECT COUNT(*) FROM topics").await,
        count(&app.pool, "SELECT COUNT(*) FROM article_revisions").await,
    );
    assert_eq!(before, after);
}

#[tokio::test]
async fn importing_an_existing_slug_updates_the_article_as_a_new_revision() {
    let app =
        spawn_app(&[("a.md", article("story", "Original Headline", "2026-11-01T00:00:00Z", &["Energy"], "Old text."))])
            .await;
    let edited = article("story", "Corrected Headline", "2026-11-01T00:00:00Z", &["Climate"], "New text.");
    let reports =
        copydesk::import::import_sources(&app.pool, &MediaStore::Database, [("a.md".to_owned(), edited.as_str())])
            .await;
    assert!(matches!(reports[0].result, Ok((copydesk::db::articles::Upserted::Updated, _))));
    assert_eq!(count(&app.pool, "SELECT COUNT(*) FROM articles").await, 1);
    assert_eq!(count(&app.pool, "SELECT revision FROM articles").await, 2);
    assert_eq!(count(&app.pool, "SELECT COUNT(*) FROM article_revisions").await, 2);

    let (status, html) = app.text("/articles/story").await;
    assert_eq!(status, 200);
    assert!(html.contains("Corrected Headline") && html.contains("New text."));
    assert!(html.contains("Updated"), "an update time is shown");
    assert!(html.contains(r#"href="/topics/climate""#) && !html.contains(r#"href="/topics/energy""#));

    // The same file again changes nothing.
    let again =
        copydesk::import::import_sources(&app.pool, &MediaStore::Database, [("a.md".to_owned(), edited.as_str())])
            .await;
    assert!(matches!(again[0].result, Ok((copydesk::db::articles::Upserted::Unchanged, _))));
    assert_eq!(count(&app.pool, "SELECT COUNT(*) FROM article_revisions").await, 2);
}

#[test]
fn the_import_command_names_bad_files_imports_the_rest_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.md");
    let bad = dir.path().join("bad.md");
    std::fs::write(&good, article("good-one", "Good One", "2026-11-02T10:00:00Z", &["Health"], "Fine.")).unwrap();
    std::fs::write(&bad, "---\nbyline: Nobody\npublished: 2026-11-02T10:00:00Z\n---\nNo title here.").unwrap();
    let database_url = crate::support::fresh_database(dir.path());

    let output = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["import", bad.to_str().unwrap(), good.to_str().unwrap()])
        .env("DATABASE_URL", &database_url)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    assert!(stderr.contains("bad.md") && stderr.contains("title"), "{stderr}");
    assert!(stdout.contains("good.md: created /articles/good-one"), "{stdout}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let slugs: Vec<String> = runtime.block_on(async {
        let pool = copydesk::db::connect(&database_url).await.unwrap();
        copydesk::db::query_scalar("SELECT slug FROM articles").fetch_all(&pool).await.unwrap()
    });
    assert_eq!(slugs, ["good-one"]);
}

#[test]
fn the_demo_content_loads_only_into_an_empty_database() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let pool = copydesk::db::connect(&crate::support::fresh_database(dir.path())).await.unwrap();
        let loaded = copydesk::import::seed_demo(&pool, &MediaStore::Database).await.unwrap();
        assert!(loaded >= 8);
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM articles").await, loaded as i64);
        // Three stories open with a painted lead image, in every size pages ask for.
        assert_eq!(copydesk::import::seed_demo_photos(&pool, &MediaStore::Database).await.unwrap(), 3);
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM media").await, 3);
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM articles WHERE lead_media_id IS NOT NULL").await, 3);
        // 1,280 wide: four widths (320 to 1,280) in two formats, and three crops.
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM media_variants").await, 3 * 11);
        // Every queue has work in it: held and reported comments, suggestions (one with an address).
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM comments WHERE status = 'pending'").await, 2);
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM comments WHERE report_count > reviewed_reports").await, 1);
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM correction_groups WHERE status = 'open'").await, 2);
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM correction_reports WHERE email IS NOT NULL").await, 1);
        assert_eq!(copydesk::import::seed_demo(&pool, &MediaStore::Database).await.unwrap(), 0, "not loaded twice");
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM media").await, 3);
    });
}
