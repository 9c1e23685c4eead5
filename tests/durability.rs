//! Acknowledged writes survive the server being killed mid-stream (SIGKILL: no shutdown, no
//! flush). The real binary runs as a child process on a temporary database (SQLite, or
//! PostgreSQL when the suite runs against it: see `support`).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod support;

const SLUG: &str = "pier";
/// Concurrent clients posting while the server is killed.
const CLIENTS: usize = 16;

struct Server {
    child: Child,
    base: String,
}

/// A server left running by a failing test is stopped with it.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The database of a test: a file in `dir`, or a PostgreSQL database named after it.
fn database_url(dir: &Path) -> String {
    let url = dir.join("database-url");
    if let Ok(known) = std::fs::read_to_string(&url) {
        return known;
    }
    let fresh = support::fresh_database(dir);
    std::fs::write(&url, &fresh).unwrap();
    fresh
}

fn copydesk(dir: &Path) -> Command {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/copydesk.css"), "body{}").unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    command
        .env("DATABASE_URL", database_url(dir))
        .env("LEPTOS_SITE_ROOT", &site)
        .env("LEPTOS_HASH_FILES", "false")
        .env("LEPTOS_OUTPUT_NAME", "copydesk")
        // Each request names its own client, so rate limits do not stop the stream.
        .env("COPYDESK_TRUSTED_PROXIES", "127.0.0.1")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

async fn start(dir: &Path) -> Server {
    let port = free_port();
    let child = copydesk(dir).arg("serve").env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")).spawn().unwrap();
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client.get(format!("{}/articles/{SLUG}", server.base)).send().await.is_ok_and(|r| r.status() == 200) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pier.md");
    std::fs::write(
        &file,
        "---\ntitle: Pier Repairs Begin\nslug: pier\nbyline: Test Desk\npublished: 2026-11-01T00:00:00Z\n---\nThe pier is shut until spring.\n",
    )
    .unwrap();
    let imported = copydesk(dir.path()).arg("import").arg(&file).status().unwrap();
    assert!(imported.success());
    dir
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

async fn check_after_restart(dir: &Path, count_sql: &'static str, acknowledged: &[String]) {
    let server = start(dir).await;
    let pool = copydesk::db::connect(&database_url(dir)).await.unwrap();
    if pool.kind() == copydesk::db::Kind::Sqlite {
        let integrity: String = copydesk::db::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
        assert_eq!(integrity, "ok");
    }
    for text in acknowledged {
        let copies: i64 = copydesk::db::query_scalar(count_sql).bind(text).fetch_one(&pool).await.unwrap();
        assert_eq!(copies, 1, "acknowledged {text:?} stored {copies} times");
    }
    let page = reqwest::get(format!("{}/articles/{SLUG}", server.base)).await.unwrap();
    assert_eq!(page.status(), 200, "the server serves again");
}

#[tokio::test]
async fn acknowledged_comments_survive_a_kill_exactly_once() {
    let dir = setup();
    let mut server = start(dir.path()).await;
    let fields = |seq: usize| vec![("name", "Reader".to_owned()), ("body", format!("durable comment {seq}"))];
    let acknowledged = post_until_killed(&mut server, &format!("/articles/{SLUG}/comments"), fields).await;
    check_after_restart(dir.path(), "SELECT COUNT(*) FROM comments WHERE body = $1", &acknowledged).await;
}

#[tokio::test]
async fn acknowledged_correction_suggestions_survive_a_kill_exactly_once() {
    let dir = setup();
    let mut server = start(dir.path()).await;
    let fields = |seq: usize| {
        vec![
            ("kind", "factual".to_owned()),
            ("suggested", format!("The pier reopens in week {seq}.")),
            ("note", format!("durable note {seq}")),
        ]
    };
    let acknowledged = post_until_killed(&mut server, &format!("/articles/{SLUG}/correction"), fields).await;
    check_after_restart(dir.path(), "SELECT COUNT(*) FROM correction_reports WHERE note = $1", &acknowledged).await;
}
