//! (ssr) The data layer: every SQL statement of the application lives under this module.

/// Articles, revisions and topics.
pub mod articles;
/// The record of staff actions.
pub mod audit;
/// Reader comments, reports, word lists and moderation settings.
pub mod comments;
/// Reader suggestions for corrections, grouped.
pub mod corrections;
/// Articles as the staff desk writes them: drafts, revisions, publication.
pub mod editing;
/// Site-wide settings and secrets.
pub mod settings;
/// Staff accounts and sessions.
pub mod staff;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use time::OffsetDateTime;

pub type Pool = sqlx::SqlitePool;

/// Opens (creating if missing) the database and applies pending migrations.
///
/// WAL lets readers run while one writer commits; `synchronous=FULL` makes every
/// acknowledged commit survive power loss, not only a process crash. The busy timeout makes
/// concurrent writers wait for each other instead of failing at once.
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    // No ping before handing out a connection: SQLite runs in this process, so a ping checks
    // nothing a query would not, and sqlx drops a connection whose ping was cancelled.
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .min_connections(1)
        .test_before_acquire(false)
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

pub async fn migrate(pool: &Pool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
}

/// Timestamps are stored in UTC, to the second, as RFC 3339 text: equal-width strings that
/// sort in time order (fractional seconds would break that).
pub fn stored_time(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(t)
}

pub fn now() -> OffsetDateTime {
    stored_time(OffsetDateTime::now_utc())
}

/// The plan SQLite picks for `sql` (with `params` placeholders) on a new, migrated database
/// without statistics, as a new site has: one step per line, for tests that pin a hot
/// query's plan.
#[cfg(test)]
pub(crate) async fn query_plan(sql: &str, params: usize) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = connect(&format!("sqlite://{}", dir.path().join("plan.db").display())).await.expect("database");
    let mut query =
        sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")));
    for _ in 0..params {
        query = query.bind(1_i64);
    }
    let steps = query.fetch_all(&pool).await.expect("plan");
    steps.into_iter().map(|(.., detail)| detail).collect::<Vec<_>>().join("\n")
}
