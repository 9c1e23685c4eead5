//! When the database goes away under steady reading and posting: kept pages are served
//! stale, refusals come fast as 503 with `Retry-After` (never a 500) and keep the reader's
//! text, `/readyz` says not ready, both reads and posts come back soon after the database
//! does, and every acknowledged comment is stored exactly once. PostgreSQL is crashed and
//! restarted (a server of the test's own); SQLite's file is locked by another process.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::process::{Server, assert_stored_once, run, serve_with, write_article};

const SLUG: &str = "outage";

/// Everything the load saw.
#[derive(Default)]
struct Seen {
    acknowledged: Vec<String>,
    statuses: Vec<u16>,
    slowest_refusal: Duration,
}

struct Load {
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

/// Four posters and two readers, each in a loop until stopped.
fn start_load(server: &Server) -> Load {
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let mut tasks = Vec::new();
    for poster in 0..4usize {
        let (base, stop, seen) = (server.base.clone(), stop.clone(), seen.clone());
        tasks.push(tokio::spawn(async move {
            let client = client();
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let body = format!("outage comment {poster}-{n}");
                let started = Instant::now();
                let sent = client
                    .post(format!("{base}/articles/{SLUG}/comments"))
                    .header("x-forwarded-for", format!("10.9.{poster}.{}", n % 250))
                    .form(&[("name", "Reader"), ("body", body.as_str())])
                    .send()
                    .await;
                let Ok(response) = sent else { continue };
                let status = response.status().as_u16();
                {
                    let mut seen = seen.lock().unwrap();
                    seen.statuses.push(status);
                    match status {
                        303 => seen.acknowledged.push(body),
                        503 => seen.slowest_refusal = seen.slowest_refusal.max(started.elapsed()),
                        _ => {}
                    }
                }
                if status != 303 {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }));
    }
    for _ in 0..2 {
        let (base, stop, seen) = (server.base.clone(), stop.clone(), seen.clone());
        tasks.push(tokio::spawn(async move {
            let client = client();
            while !stop.load(Ordering::Relaxed) {
                if let Ok(response) = client.get(format!("{base}/articles/{SLUG}")).send().await {
                    seen.lock().unwrap().statuses.push(response.status().as_u16());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    Load { stop, seen, tasks }
}

impl Load {
    async fn finish(self) -> Seen {
        self.stop.store(true, Ordering::Relaxed);
        for task in self.tasks {
            task.await.unwrap();
        }
        Arc::try_unwrap(self.seen).ok().unwrap().into_inner().unwrap()
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn setup(dir: &Path, url: &str, env: &[(&str, &str)]) -> Server {
    let file = write_article(dir, SLUG, "Power Cut Hits the Harbour", "The harbour lost power at noon.");
    run(dir, url, &["import", file.to_str().unwrap()], &[]);
    run(dir, url, &["settings", "--moderation", "post"], &[]);
    let server = serve_with(dir, url, &format!("/articles/{SLUG}"), env).await;
    // Kept in memory before the outage.
    for _ in 0..2 {
        assert_eq!(client().get(server.url(&format!("/articles/{SLUG}"))).send().await.unwrap().status(), 200);
    }
    server
}

/// What a reader and a commenter see while the database is away.
async fn check_during_outage(server: &Server, reads_stale: bool) {
    let client = client();
    if reads_stale {
        // Noticed at the next read of the page keys, within the connection timeout.
        let noticed = Instant::now();
        loop {
            let page = client.get(server.url(&format!("/articles/{SLUG}"))).send().await.unwrap();
            assert_eq!(page.status(), 200, "the article is served while the outage is noticed");
            if page.headers().get("x-copydesk-cache").is_some_and(|v| v == "stale") {
                break;
            }
            assert!(noticed.elapsed() < Duration::from_secs(15), "the outage is noticed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        eprintln!("outage noticed after {:?} of polling", noticed.elapsed());
    }
    let started = Instant::now();
    let page = client.get(server.url(&format!("/articles/{SLUG}"))).send().await.unwrap();
    let read_took = started.elapsed();
    assert_eq!(page.status(), 200, "the article is still served");
    if reads_stale {
        assert_eq!(page.headers().get("x-copydesk-cache").map(|v| v.to_str().unwrap()), Some("stale"));
        assert!(read_took < Duration::from_millis(900), "a kept page waits for nothing: {read_took:?}");
        assert_eq!(client.get(server.url("/readyz")).send().await.unwrap().status(), 503);
    }
    let text = "My comment <b>while</b> the database is away";
    let started = Instant::now();
    let refused = client
        .post(server.url(&format!("/articles/{SLUG}/comments")))
        .header("x-forwarded-for", "10.8.0.1")
        .form(&[("name", "Patient Reader"), ("email", "patient@example.org"), ("body", text)])
        .send()
        .await
        .unwrap();
    let post_took = started.elapsed();
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "1");
    assert!(post_took < Duration::from_secs(8), "a refusal comes without waiting on the database: {post_took:?}");
    let page = crate::support::Page::parse(&refused.text().await.unwrap());
    assert_eq!(page.text("textarea[name=body]").as_deref(), Some(text), "the text is kept, escaped");
    assert_eq!(page.attr("input[name=name]", "value").as_deref(), Some("Patient Reader"));
    assert_eq!(page.attr("input[name=email]", "value").as_deref(), Some("patient@example.org"));
    assert_eq!(page.attr("form", "action").as_deref(), Some(format!("/articles/{SLUG}/comments").as_str()));
    eprintln!("during the outage: kept page in {read_took:?}, refused post in {post_took:?}");
}

/// Time until a post is accepted and a read is answered fresh again.
async fn recovery(server: &Server) -> (Duration, Duration) {
    let client = client();
    let started = Instant::now();
    let (mut post, mut read) = (None, None);
    while (post.is_none() || read.is_none()) && started.elapsed() < Duration::from_secs(30) {
        if post.is_none() {
            let response = client
                .post(server.url(&format!("/articles/{SLUG}/comments")))
                .header("x-forwarded-for", "10.7.0.1")
                .form(&[("name", "Back".to_owned()), ("body", format!("back after {:?}", started.elapsed()))])
                .send()
                .await
                .unwrap();
            if response.status() == 303 {
                post = Some(started.elapsed());
            }
        }
        if read.is_none() {
            let response = client.get(server.url(&format!("/articles/{SLUG}"))).send().await.unwrap();
            // Sent from memory as current, or rendered (no cache header when not kept).
            let stale = response.headers().get("x-copydesk-cache").is_some_and(|v| v == "stale");
            if response.status() == 200 && !stale {
                read = Some(started.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (post.expect("posts are accepted again"), read.expect("reads are fresh again"))
}

async fn check_stored_once(url: &str, seen: &Seen) {
    assert!(!seen.statuses.contains(&500), "no request failed with 500: {:?}", seen.statuses);
    assert!(seen.statuses.iter().all(|s| [200, 303, 503].contains(s)), "{:?}", seen.statuses);
    assert_stored_once(url, "SELECT COUNT(*) FROM comments WHERE body = $1", &seen.acknowledged).await;
    let refused = seen.statuses.iter().filter(|s| **s == 503).count();
    eprintln!(
        "{} comments acknowledged, {refused} requests refused as busy (slowest refusal {:?})",
        seen.acknowledged.len(),
        seen.slowest_refusal
    );
}

fn postgres_script(args: &[&str]) -> String {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("postgres.sh");
    let output = Command::new(script).args(args).output().unwrap();
    assert!(output.status.success(), "postgres.sh {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Runs in the PostgreSQL pass only (its server is installed then); it starts a server of its
/// own, since it crashes it.
#[tokio::test]
async fn postgres_crashing_and_coming_back_under_load() {
    if crate::support::postgres_server().is_none() {
        eprintln!("skipped: the PostgreSQL pass runs this");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pg = tempfile::tempdir().unwrap();
    let pg_dir = pg.path().to_str().unwrap().to_owned();
    let server_url = postgres_script(&["start", &pg_dir]);
    struct Stop(String);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = Command::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("postgres.sh"))
                .args(["stop", &self.0])
                .status();
        }
    }
    let _stop = Stop(pg_dir.clone());
    let url = format!("{}/outage", server_url.trim_end_matches("/postgres"));
    let server = setup(dir.path(), &url, &[]).await;
    let load = start_load(&server);
    tokio::time::sleep(Duration::from_millis(800)).await;

    postgres_script(&["crash", &pg_dir]);
    check_during_outage(&server, true).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    postgres_script(&["resume", &pg_dir]);
    let (post, read) = recovery(&server).await;
    eprintln!("PostgreSQL back: posts accepted after {post:?}, fresh reads after {read:?}");
    assert!(post < Duration::from_secs(5) && read < Duration::from_secs(5), "recovered: {post:?}, {read:?}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let seen = load.finish().await;
    check_stored_once(&url, &seen).await;
}

/// SQLite: another process holds the write lock (as a stuck backup or a shell would).
/// Reads go on (WAL readers do not need the lock); posts are refused as busy, quickly, with
/// the text kept, and accepted again once the lock is gone.
#[tokio::test]
async fn sqlite_locked_by_another_process_under_load() {
    if crate::support::postgres_server().is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database(dir.path());
    let file = url.strip_prefix("sqlite://").unwrap().to_owned();
    let server = setup(dir.path(), &url, &[("COPYDESK_DB_STATEMENT_TIMEOUT_MS", "300")]).await;
    let load = start_load(&server);
    tokio::time::sleep(Duration::from_millis(800)).await;

    let ready = dir.path().join("locked");
    let mut locker = Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, sys, time, pathlib\n\
             c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
             c.execute('BEGIN IMMEDIATE')\n\
             pathlib.Path(sys.argv[2]).touch()\n\
             time.sleep(float(sys.argv[3]))\n\
             c.execute('ROLLBACK')\n",
        )
        .args([file.as_str(), ready.to_str().unwrap(), "3"])
        .spawn()
        .unwrap();
    while !ready.exists() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    check_during_outage(&server, false).await;
    assert!(locker.wait().unwrap().success());
    let (post, read) = recovery(&server).await;
    eprintln!("SQLite unlocked: posts accepted after {post:?}, reads after {read:?}");
    assert!(post < Duration::from_secs(5), "recovered: {post:?}");
    let seen = load.finish().await;
    check_stored_once(&url, &seen).await;
}
