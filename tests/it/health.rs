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
