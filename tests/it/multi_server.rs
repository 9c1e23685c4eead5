//! Two app servers (separate processes, as behind a load balancer) on one database: what one
//! writes, the other serves; a session made on one is valid on the other; a change made
//! through one reaches the other's kept pages; failed sign-ins count on both. On SQLite both share the file; on PostgreSQL
//! (when the suite runs against it) both share the server.

use std::time::{Duration, Instant};

use crate::support::Page;
use crate::support::process::{Server, client, run, serve, sign_in, staff_post, suggest, write_article};

use crate::support::process::PASSWORD;
const ARTICLE: &str = "/articles/tide";

/// A new database with one article and one admin, made with the CLI.
fn site() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database(dir.path());
    let file = write_article(dir.path(), "tide", "Tide Tables Printed", "The harbour office printed tide tables.");
    run(dir.path(), &url, &["import", file.to_str().unwrap()], &[]);
    run(
        dir.path(),
        &url,
        &["staff", "add", "--email", "desk@example.org", "--name", "Desk Editor", "--role", "admin"],
        &[("COPYDESK_PASSWORD", PASSWORD)],
    );
    (dir, url)
}

async fn page(server: &Server, path: &str) -> String {
    let response = client().get(server.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// Waits until `server` shows `text` at `path` (kept pages notice a change within a moment).
async fn eventually_shows(server: &Server, path: &str, text: &str) {
    let started = Instant::now();
    while !page(server, path).await.contains(text) {
        assert!(started.elapsed() < Duration::from_secs(10), "{} never showed {text:?} at {path}", server.base);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn two_servers_on_one_database_serve_each_others_writes() {
    let (dir, url) = site();
    let (a, b) = (serve(dir.path(), &url, ARTICLE).await, serve(dir.path(), &url, ARTICLE).await);
    let pool = copydesk::db::connect(&url).await.unwrap();
    // Both keep the page as it is now.
    for server in [&a, &b] {
        assert!(page(server, ARTICLE).await.contains("Write the first comment for this!"));
        page(server, "/").await;
    }

    // A comment posted on A (held for moderation) is approved through B.
    let posted = client()
        .post(a.url("/articles/tide/comments"))
        .header("x-forwarded-for", "203.0.113.7")
        .form(&[("name", "Harbour Reader"), ("body", "The printed tables are a great help.")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 303);
    let id: i64 = copydesk::db::query_scalar("SELECT id FROM comments").fetch_one(&pool).await.unwrap();
    let cookie = sign_in(&b).await;
    let approved = staff_post(
        &b,
        "/staff/comments/moderate",
        &cookie,
        &[("act", "approve"), ("ids", &id.to_string()), ("queue", "pending")],
    )
    .await;
    assert_eq!(approved.status(), 303);
    for server in [&a, &b] {
        eventually_shows(server, ARTICLE, "The printed tables are a great help.").await;
        assert_eq!(Page::parse(&page(server, ARTICLE).await).text("#comments-title").as_deref(), Some("Comments (1)"));
        // The front page both servers keep shows the story's new comment count.
        eventually_shows(server, "/", "1 comment").await;
    }

    // The session B started is valid on A (signing out on A ends it on B: below).
    let desk = client().get(a.url("/staff")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(desk.status(), 200, "the staff desk on A accepts B's session");
    assert!(desk.text().await.unwrap().contains("Desk Editor"));

    // A correction applied through A changes the page both servers keep.
    suggest(&b, "203.0.113.8", "harbour office", "harbour authority", "").await;
    let group: i64 = copydesk::db::query_scalar("SELECT id FROM correction_groups").fetch_one(&pool).await.unwrap();
    let applied = staff_post(
        &a,
        &format!("/staff/corrections/{group}/apply"),
        &cookie,
        &[
            ("replacement", "harbour authority"),
            ("notice_kind", "correction"),
            ("note", "An earlier version named the wrong office."),
        ],
    )
    .await;
    assert_eq!(applied.headers().get("location").unwrap(), "/staff/corrections?done=applied");
    for server in [&a, &b] {
        eventually_shows(server, ARTICLE, "The harbour authority printed tide tables.").await;
        assert!(page(server, ARTICLE).await.contains("An earlier version named the wrong office."));
    }

    let signed_out = staff_post(&a, "/staff/logout", &cookie, &[]).await;
    assert_eq!(signed_out.status(), 303);
    let desk = client().get(b.url("/staff")).header("cookie", &cookie).send().await.unwrap();
    let to = desk.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    assert!(
        desk.status().is_redirection() && to.is_some_and(|l| l.starts_with("/staff/login")),
        "signed out on A is signed out on B"
    );
}

#[tokio::test]
async fn failed_sign_ins_on_either_server_count_against_both() {
    let (dir, url) = site();
    let (a, b) = (serve(dir.path(), &url, ARTICLE).await, serve(dir.path(), &url, ARTICLE).await);
    let attempt = |server: &Server, password: &str| {
        client()
            .post(server.url("/staff/login"))
            .header("x-forwarded-for", "198.51.100.30")
            .form(&[("email", "desk@example.org"), ("password", password)])
            .send()
    };
    // Ten wrong guesses, taking turns between the servers: the limit is ten in all.
    for n in 0..10 {
        let server = if n % 2 == 0 { &a } else { &b };
        assert_eq!(attempt(server, "a wrong guess").await.unwrap().status(), 401, "guess {n}");
    }
    for server in [&a, &b] {
        let refused = attempt(server, PASSWORD).await.unwrap();
        assert_eq!(refused.status(), 429, "{} refuses even the right password now", server.base);
    }
}

/// Readers' write limits are counted by each server in its own memory (docs/operations.md, "Where state lives"):
/// a reader held back by one server is not held back by another, so N servers allow at most
/// N times the limit, and exactly the limit when the load balancer sends each reader to one
/// server (nginx `hash $remote_addr`, as in the example configuration).
#[tokio::test]
async fn each_server_enforces_the_comment_limit_on_its_own() {
    let (dir, url) = site();
    let (a, b) = (serve(dir.path(), &url, ARTICLE).await, serve(dir.path(), &url, ARTICLE).await);
    let post = |server: &Server, n: usize| {
        client()
            .post(server.url("/articles/tide/comments"))
            .header("x-forwarded-for", "198.51.100.20")
            .form(&[("name", "Quick Reader"), ("body", &format!("Quick comment number {n}."))])
            .send()
    };
    let limit = copydesk::services::rate_limits::COMMENT_LIMIT.max;
    for n in 0..limit {
        assert_eq!(post(&a, n).await.unwrap().status(), 303, "comment {n} on A");
    }
    assert_eq!(post(&a, limit).await.unwrap().status(), 429, "A holds the reader back");
    assert_eq!(post(&b, limit).await.unwrap().status(), 303, "B counts on its own");
}

/// Each server keeps photo files in memory; deleting the photo through one makes both
/// answer 404 (the key `media:<id>` moves; without it B would go on sending its copy).
#[tokio::test]
async fn a_photo_deleted_through_one_server_is_gone_from_both() {
    let (dir, url) = site();
    let (a, b) = (serve(dir.path(), &url, ARTICLE).await, serve(dir.path(), &url, ARTICLE).await);
    let pool = copydesk::db::connect(&url).await.unwrap();
    let cookie = sign_in(&a).await;
    let mut png = Vec::new();
    image::RgbImage::from_fn(400, 300, |x, y| image::Rgb([(x % 200) as u8, (y % 150) as u8, 60]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let part = reqwest::multipart::Part::bytes(png).file_name("quay.png").mime_str("image/png").unwrap();
    let uploaded = client()
        .post(a.url("/staff/media"))
        .header("cookie", &cookie)
        .header("origin", &a.base)
        .multipart(reqwest::multipart::Form::new().part("file", part).text("alt", "The quay at low tide"))
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 303);
    let (id, hash): (i64, String) = copydesk::db::query_as(
        "SELECT media_id, hash FROM media_variants WHERE width = 320 AND kind = 'w' AND format = 'webp'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let file = format!("/media/{hash}.webp");
    for server in [&a, &b] {
        // Twice: the second answer comes from the server's memory.
        for _ in 0..2 {
            let sent = client().get(server.url(&file)).send().await.unwrap();
            assert_eq!(sent.status(), 200, "{}", server.base);
            assert!(!sent.bytes().await.unwrap().is_empty());
        }
    }
    assert_eq!(staff_post(&a, &format!("/staff/media/{id}/delete"), &cookie, &[]).await.status(), 303);
    for server in [&a, &b] {
        let started = Instant::now();
        while client().get(server.url(&file)).send().await.unwrap().status() != 404 {
            assert!(started.elapsed() < Duration::from_secs(10), "{} still sends a deleted photo", server.base);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
