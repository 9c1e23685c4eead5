//! Running it in production: SIGTERM drains, backups of a live database restore, the
//! systemd unit is valid, an older binary starts on a newer schema. The real binary, as
//! child processes.

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::process::{Server, assert_stored_once, copydesk, run, serve, write_article};

const SLUG: &str = "ferry";

fn setup() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database(dir.path());
    let file = write_article(dir.path(), SLUG, "Night Ferry Returns", "The night ferry sails again from May.");
    run(dir.path(), &url, &["import", file.to_str().unwrap()], &[]);
    run(dir.path(), &url, &["settings", "--moderation", "post"], &[]);
    (dir, url)
}

/// Posters that run until told to stop or the server goes; the acknowledged texts.
struct Posting {
    acknowledged: Arc<Mutex<Vec<String>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

fn start_posting(server: &Server, clients: usize) -> Posting {
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let tasks = (0..clients)
        .map(|client_no| {
            let (url, acknowledged, stop) =
                (format!("{}/articles/{SLUG}/comments", server.base), acknowledged.clone(), stop.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
                for n in 0.. {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        return;
                    }
                    let body = format!("lifecycle comment {client_no}-{n}");
                    let sent = client
                        .post(&url)
                        .header("x-forwarded-for", format!("10.6.{client_no}.{}", n % 250))
                        .form(&[("name", "Reader"), ("body", body.as_str())])
                        .send()
                        .await;
                    match sent {
                        Ok(response) if response.status() == 303 => acknowledged.lock().unwrap().push(body),
                        Ok(response) => panic!("unexpected {} while posting", response.status()),
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    Posting { acknowledged, stop, tasks }
}

impl Posting {
    async fn wait_for(&self, count: usize) {
        for _ in 0..3000 {
            if self.acknowledged.lock().unwrap().len() >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("too few comments were acknowledged");
    }

    async fn finish(self) -> Vec<String> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for task in self.tasks {
            task.await.unwrap();
        }
        self.acknowledged.lock().unwrap().clone()
    }
}

const COUNT: &str = "SELECT COUNT(*) FROM comments WHERE body = $1";

/// SIGTERM under load: requests in flight finish (their comments committed), the process
/// exits by itself with success, and every comment a reader was told is saved is stored.
#[tokio::test]
async fn sigterm_drains_and_keeps_every_acknowledged_comment() {
    let (dir, url) = setup();
    let mut server = serve(dir.path(), &url, &format!("/articles/{SLUG}")).await;
    let posting = start_posting(&server, 12);
    posting.wait_for(30).await;
    let pid = server.child.id().to_string();
    // The shell's own `kill`: no procps needed on the machine.
    assert!(Command::new("sh").args(["-c", &format!("kill -TERM {pid}")]).status().unwrap().success());
    let mut exited = None;
    for _ in 0..200 {
        if let Some(status) = server.child.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let status = exited.expect("the server exits within 10 s of SIGTERM");
    assert!(status.success(), "a drained shutdown exits with success: {status}");
    let acknowledged = posting.finish().await;
    eprintln!("{} comments acknowledged before and during the drain", acknowledged.len());
    assert_stored_once(&url, COUNT, &acknowledged).await;
}

/// `copydesk backup FILE` while comments are being posted: the copy passes its integrity
/// check, and a server started on it serves every comment acknowledged before the backup.
#[tokio::test]
async fn a_backup_taken_under_writes_restores_every_acknowledged_comment() {
    let (dir, url) = setup();
    let copy = dir.path().join("backup.db");
    if crate::support::postgres_server().is_some() {
        let output = copydesk(dir.path(), &url)
            .args(["backup", copy.to_str().unwrap()])
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        assert!(!output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains("pg_dump"), "PostgreSQL is pointed to pg_dump");
        return;
    }
    let server = serve(dir.path(), &url, &format!("/articles/{SLUG}")).await;
    let posting = start_posting(&server, 6);
    posting.wait_for(40).await;
    let before: Vec<String> = posting.acknowledged.lock().unwrap().clone();
    let output = copydesk(dir.path(), &url)
        .args(["backup", copy.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("integrity check ok") && said.contains("1 articles"), "{said}");
    let during = posting.finish().await.len() - before.len();
    assert!(during > 0, "comments kept coming while the backup ran");
    drop(server);

    // A second backup to the same file is refused: nothing is overwritten.
    let again = copydesk(dir.path(), &url)
        .args(["backup", copy.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));

    let restored_url = format!("sqlite://{}", copy.display());
    let restored = serve(dir.path(), &restored_url, &format!("/articles/{SLUG}")).await;
    assert_stored_once(&restored_url, COUNT, &before).await;
    let mut shown = 0;
    for cpage in 1.. {
        let page = reqwest::get(restored.url(&format!("/articles/{SLUG}?cpage={cpage}"))).await.unwrap();
        let html = page.text().await.unwrap();
        let found = before.iter().filter(|text| html.contains(text.as_str())).count();
        if found == 0 {
            break;
        }
        shown += found;
    }
    assert_eq!(shown, before.len(), "the restored site shows every comment acknowledged before the backup");
}

/// The unit in docs/ is one systemd accepts (with this build's binary in `ExecStart`).
#[test]
fn the_systemd_unit_passes_systemd_analyze_verify() {
    if Command::new("systemd-analyze").arg("--version").output().is_err() {
        eprintln!("skipped: no systemd-analyze on this machine");
        return;
    }
    let unit = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/copydesk.service")).unwrap();
    for hardening in ["DynamicUser=yes", "ProtectSystem=strict", "ReadWritePaths=", "NoNewPrivileges=yes", "Restart="] {
        assert!(unit.contains(hardening), "the unit sets {hardening}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copydesk.service");
    std::fs::write(&file, unit.replace("/opt/copydesk/copydesk", env!("CARGO_BIN_EXE_copydesk"))).unwrap();
    let output = Command::new("systemd-analyze").arg("verify").arg(&file).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success() && !said.contains("copydesk.service:"), "systemd-analyze verify: {said}");
}

/// During a rolling restart an older server meets a schema a newer one migrated: it starts
/// and serves (the migration it does not know is ignored, not refused).
#[tokio::test]
async fn an_older_binary_starts_on_a_newer_schema() {
    let (dir, url) = setup();
    let pool = copydesk::db::connect(&url).await.unwrap();
    copydesk::db::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         SELECT 29991231000000, 'from a newer build', TRUE, checksum, 1 FROM _sqlx_migrations \
         ORDER BY version DESC LIMIT 1",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let server = serve(dir.path(), &url, "/readyz").await;
    let page = reqwest::get(server.url(&format!("/articles/{SLUG}"))).await.unwrap();
    assert_eq!(page.status(), 200);
}

/// What `./dev.sh run` does: `COPYDESK_DEMO=1` (any of 1/yes/true) loads the sample site.
#[tokio::test]
async fn the_demo_switch_takes_the_usual_spellings() {
    for value in ["1", "yes", "true"] {
        let dir = tempfile::tempdir().unwrap();
        let url = crate::support::fresh_database(dir.path());
        let server = crate::support::process::serve_with(dir.path(), &url, "/", &[("COPYDESK_DEMO", value)]).await;
        let page = reqwest::get(server.url("/articles/council-approves-eastern-tram-line-after-six-hour-debate"))
            .await
            .unwrap();
        assert_eq!(page.status(), 200, "COPYDESK_DEMO={value} loads the demo");
    }
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database(dir.path());
    let refused = copydesk(dir.path(), &url)
        .arg("serve")
        .env("COPYDESK_DEMO", "maybe")
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("COPYDESK_DEMO"));
}
