//! The load balancer's checks: `/healthz` answers while the process runs, `/readyz` only
//! while the server can do its work, with the reason when it cannot; neither is cached.

use crate::support::spawn_app;

#[tokio::test]
async fn readiness_follows_the_database_and_liveness_the_process() {
    let app = spawn_app(&[]).await;
    let check = |path: &'static str| {
        let app = &app;
        async move {
            let response = app.get(path).await;
            assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
            assert!(response.headers().get("x-copydesk-cache").is_none(), "{path} is never kept");
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    assert_eq!(check("/healthz").await, (200, "ok\n".into()));
    assert_eq!(check("/readyz").await, (200, "ready\n".into()));

    // A migration this build knows is not applied: not ready, and it says which.
    let newest: i64 =
        copydesk::db::query_scalar("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&app.pool).await.unwrap();
    copydesk::db::query("UPDATE _sqlx_migrations SET success = FALSE WHERE version = $1")
        .bind(newest)
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, text) = check("/readyz").await;
    assert_eq!(status, 503);
    assert!(text.starts_with("not ready: ") && text.contains("migrations applied"), "{text}");

    // The database gone: not ready; the process still answers.
    app.pool.close().await;
    let (status, text) = check("/readyz").await;
    assert_eq!((status, text.as_str()), (503, "not ready: the database is not reachable\n"));
    assert_eq!(check("/healthz").await.0, 200);
}

/// `COPYDESK_LOG_FORMAT=json`: every log line is one JSON object, request lines among them
/// with their status; an unknown format stops start-up, naming the variable.
#[tokio::test]
async fn logs_can_be_json_lines_for_log_shippers() {
    use crate::support::process::copydesk;
    let dir = tempfile::tempdir().unwrap();
    let database = crate::support::fresh_database(dir.path());
    let log = dir.path().join("log.jsonl");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = copydesk(dir.path(), &database)
        .arg("serve")
        .env("COPYDESK_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .env("COPYDESK_LOG_FORMAT", "json")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/healthz");
    let mut answered = false;
    for _ in 0..600 {
        if reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) {
            answered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(answered, "the server started");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let request = lines
        .iter()
        .find(|l| l["fields"]["message"] == "finished processing request" && l["span"]["uri"] == "/healthz")
        .unwrap_or_else(|| panic!("a request line for /healthz in {text}"));
    assert_eq!(request["fields"]["status"], 200);
    assert_eq!(request["level"], "INFO");

    let refused = copydesk(dir.path(), &database)
        .arg("migrate")
        .env("COPYDESK_LOG_FORMAT", "xml")
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("COPYDESK_LOG_FORMAT must be"));
}
