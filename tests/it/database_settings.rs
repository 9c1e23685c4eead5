//! The database settings take effect on the database the suite runs against: a statement or
//! lock wait that outlasts `COPYDESK_DB_STATEMENT_TIMEOUT_MS` fails instead of hanging.

use std::time::{Duration, Instant};

use copydesk::db::{self, Kind, Options};

#[tokio::test]
async fn a_statement_that_outlasts_the_timeout_fails() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = Options::new(crate::support::fresh_database(dir.path()));
    options.statement_timeout = Duration::from_millis(300);
    let pool = db::connect_with(&options).await.unwrap();
    let started = Instant::now();
    let error = match pool.kind() {
        // PostgreSQL cancels the statement (SQLSTATE 57014, query_canceled).
        Kind::Postgres => db::query("SELECT pg_sleep(30)").execute(&pool).await.unwrap_err(),
        // SQLite has no statement timeout: a writer gives up waiting for another's lock.
        Kind::Sqlite => {
            let holder = db::connect(&options.url).await.unwrap();
            let mut lock = holder.begin().await.unwrap();
            db::query("UPDATE site_settings SET value = value").execute(&mut lock).await.unwrap();
            db::query("UPDATE site_settings SET value = value").execute(&pool).await.unwrap_err()
        }
    };
    // Not a speed check: the default (5 s) would also end the wait; the setting makes it end
    // long before.
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(4), "gave up only after {waited:?}: {error}");
    let code = match &error {
        sqlx::Error::Database(e) => e.code().map(|c| c.into_owned()),
        _ => None,
    };
    match pool.kind() {
        Kind::Postgres => assert_eq!(code.as_deref(), Some("57014"), "{error}"),
        Kind::Sqlite => assert_eq!(code.as_deref(), Some("5"), "SQLITE_BUSY: {error}"),
    }
    // Readers are told to try again (503), not that something broke.
    assert_eq!(copydesk::error::AppError::from(error), copydesk::error::AppError::Busy);
}
