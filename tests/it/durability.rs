//! Acknowledged writes survive the server being killed mid-stream (SIGKILL: no shutdown, no
//! flush). The real binary runs as a child process on a temporary database (SQLite, or
//! PostgreSQL when the suite runs against it: see `support`).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::process::{Server, assert_stored_once, run, serve, write_article};

const SLUG: &str = "pier";
/// Concurrent clients posting while the server is killed.
const CLIENTS: usize = 16;

/// A database with one article; the directory also holds the server's site files.
fn setup() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database(dir.path());
    let file = write_article(dir.path(), SLUG, "Pier Repairs Begin", "The pier is shut until spring.");
    run(dir.path(), &url, &["import", file.to_str().unwrap()], &[]);
    (dir, url)
}

async fn start(dir: &Path, url: &str) -> Server {
    serve(dir, url, &format!("/articles/{SLUG}")).await
}

/// Posts from `CLIENTS` tasks until the server stops answering; returns the texts whose
/// posts were acknowledged (303). `path` and `fields` make one request from a sequence number.
async fn post_until_killed(
    server: &mut Server,
    path: &str,
    fields: fn(usize) -> Vec<(&'static str, String)>,
) -> Vec<String> {
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for client_no in 0..CLIENTS {
        let (url, acknowledged) = (format!("{}{path}", server.base), acknowledged.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
            for n in 0.. {
                let seq = client_no * 100_000 + n;
                let form = fields(seq);
                let request = client
                    .post(&url)
                    .header("x-forwarded-for", format!("10.{}.{}.{}", seq / 65_536 % 256, seq / 256 % 256, seq % 256))
                    .form(&form);
                match request.send().await {
                    Ok(response) if response.status() == 303 => {
                        acknowledged.lock().unwrap().push(form.last().unwrap().1.clone());
                    }
                    Ok(response) => panic!("unexpected {} for {seq}", response.status()),
                    Err(_) => return,
                }
            }
        }));
    }
    // Killed once writes are flowing (however slow the machine), not after a fixed time.
    for _ in 0..3000 {
        if acknowledged.lock().unwrap().len() >= 2 * CLIENTS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    for task in tasks {
        task.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > CLIENTS, "too few writes before the kill: {}", acknowledged.len());
    eprintln!("{path}: {} writes acknowledged before SIGKILL", acknowledged.len());
    acknowledged
}

async fn check_after_restart(dir: &Path, url: &str, count_sql: &'static str, acknowledged: &[String]) {
    let server = start(dir, url).await;
    let pool = copydesk::db::connect(url).await.unwrap();
    if pool.kind() == copydesk::db::Kind::Sqlite {
        let integrity: String = copydesk::db::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
        assert_eq!(integrity, "ok");
    }
    assert_stored_once(url, count_sql, acknowledged).await;
    let page = reqwest::get(format!("{}/articles/{SLUG}", server.base)).await.unwrap();
    assert_eq!(page.status(), 200, "the server serves again");
}

#[tokio::test]
async fn acknowledged_comments_survive_a_kill_exactly_once() {
    let (dir, url) = setup();
    let mut server = start(dir.path(), &url).await;
    let fields = |seq: usize| vec![("name", "Reader".to_owned()), ("body", format!("durable comment {seq}"))];
    let acknowledged = post_until_killed(&mut server, &format!("/articles/{SLUG}/comments"), fields).await;
    check_after_restart(dir.path(), &url, "SELECT COUNT(*) FROM comments WHERE body = $1", &acknowledged).await;
}

#[tokio::test]
async fn acknowledged_correction_suggestions_survive_a_kill_exactly_once() {
    let (dir, url) = setup();
    let mut server = start(dir.path(), &url).await;
    let fields = |seq: usize| {
        vec![
            ("kind", "factual".to_owned()),
            ("suggested", format!("The pier reopens in week {seq}.")),
            ("note", format!("durable note {seq}")),
        ]
    };
    let acknowledged = post_until_killed(&mut server, &format!("/articles/{SLUG}/correction"), fields).await;
    check_after_restart(dir.path(), &url, "SELECT COUNT(*) FROM correction_reports WHERE note = $1", &acknowledged)
        .await;
}
