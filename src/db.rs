//! (ssr) The data layer: every SQL statement of the application lives under this module.

/// Articles, revisions and topics.
pub mod articles;
/// The record of staff actions.
pub mod audit;
/// Author profiles and who wrote each article.
pub mod authors;
/// Consistent copies of a live SQLite database.
pub mod backup;
/// Reader comments, reports, word lists and moderation settings.
pub mod comments;
/// The house dictionary, ignored problems and names for the copy check.
pub mod copy_check;
/// Reader suggestions for corrections, grouped.
pub mod corrections;
/// A whole site as one file, for moving between databases.
pub mod dump;
/// Articles as the staff desk writes them: drafts, revisions, publication.
pub mod editing;
/// The staff inbox: every kind of waiting work together.
pub mod inbox;
/// The photo library, its files, and which stories show which image.
pub mod media;
/// The mail outbox and unsubscribes.
pub mod outbox;
/// Full-text search over articles, for readers and the desk.
pub mod search;
/// Site-wide settings and secrets.
pub mod settings;
/// Staff accounts and sessions.
pub mod staff;
/// WordPress exports written in one transaction, remembered by their ids.
pub mod wxr;

/// Statements that run on SQLite or PostgreSQL, and the pool they run on.
pub mod query;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use time::OffsetDateTime;

pub use query::{Arg, Kind, On, Pool, Tx, is_unavailable, placeholders, query, query_as, query_scalar};

/// How to reach the database, from `DATABASE_URL` and the `COPYDESK_DB_*` settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// `sqlite://FILE` (created when missing) or `postgres://USER@HOST/DB`.
    pub url: String,
    /// Connections kept open; `None`: 8 for SQLite (one writer at a time anyway), 16 for
    /// PostgreSQL (per app server: several servers share the database's own limit).
    pub pool_size: Option<u32>,
    /// PostgreSQL: how long one statement may run before the server cancels it. SQLite: how
    /// long a writer waits for another's lock before giving up.
    pub statement_timeout: Duration,
    /// How often a transaction is tried again after a serialization failure or deadlock
    /// (PostgreSQL and compatible databases; SQLite has neither).
    pub retries: u32,
    /// How long a query waits for a connection, including connecting to a database that
    /// is not answering; then it fails as busy (503) instead of hanging.
    pub acquire_timeout: Duration,
}

impl Options {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            pool_size: None,
            statement_timeout: Duration::from_secs(5),
            retries: 3,
            acquire_timeout: Duration::from_secs(1),
        }
    }

    pub fn kind(&self) -> Result<Kind, sqlx::Error> {
        kind_of(&self.url)
    }
}

/// Which database a `DATABASE_URL` names.
pub fn kind_of(url: &str) -> Result<Kind, sqlx::Error> {
    if url.starts_with("sqlite:") {
        Ok(Kind::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Kind::Postgres)
    } else {
        Err(sqlx::Error::Configuration(
            "DATABASE_URL must start with sqlite:// (a file) or postgres:// (a PostgreSQL server)".into(),
        ))
    }
}

/// A database URL fit for logs: any password replaced by `***`.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    match rest.split_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

/// Opens the database with default settings and applies pending migrations.
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    connect_with(&Options::new(url)).await
}

/// Opens (for SQLite, creating if missing) the database and applies pending migrations.
///
/// SQLite: WAL lets readers run while one writer commits; `synchronous=FULL` makes every
/// acknowledged commit survive power loss, not only a process crash. The busy timeout makes
/// concurrent writers wait for each other instead of failing at once.
///
/// PostgreSQL: commits are durable with the server's defaults (`fsync`, `synchronous_commit`
/// on); each connection gets the statement timeout. Several app servers may start at once:
/// the migrator holds an advisory lock while it works.
pub async fn connect_with(options: &Options) -> Result<Pool, sqlx::Error> {
    let pool = match options.kind()? {
        Kind::Sqlite => {
            let connect = SqliteConnectOptions::from_str(&options.url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(options.statement_timeout);
            // No ping before handing out a connection: SQLite runs in this process, so a ping
            // checks nothing a query would not, and sqlx drops a connection whose ping was
            // cancelled.
            let pool = SqlitePoolOptions::new()
                .max_connections(options.pool_size.unwrap_or(8))
                .min_connections(1)
                .acquire_timeout(options.acquire_timeout)
                .test_before_acquire(false)
                .connect_with(connect)
                .await?;
            Pool::sqlite(pool)
        }
        Kind::Postgres => {
            let timeout = options.statement_timeout.as_millis();
            let connect = PgConnectOptions::from_str(&options.url)?
                .application_name("copydesk")
                .options([("statement_timeout", timeout.to_string())]);
            let pool_options = PgPoolOptions::new()
                .max_connections(options.pool_size.unwrap_or(16))
                .min_connections(1)
                .acquire_timeout(options.acquire_timeout);
            let pool = match pool_options.clone().connect_with(connect.clone()).await {
                // A missing database is created, as SQLite creates a missing file (this needs
                // the CREATEDB privilege; without it, create the database first).
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("3D000") => {
                    create_postgres_database(&options.url).await?;
                    pool_options.connect_with(connect).await?
                }
                connected => connected?,
            };
            Pool::postgres(pool, options.retries)
        }
    };
    migrate(&pool).await?;
    Ok(pool)
}

async fn create_postgres_database(url: &str) -> Result<(), sqlx::Error> {
    use sqlx::migrate::MigrateDatabase;
    match sqlx::Postgres::create_database(url).await {
        // Another app server starting at the same moment made it first.
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P04") => Ok(()),
        created => created,
    }
}

/// Whether the database answers and holds every migration this build knows, applied
/// successfully: `Ok(None)` when ready, else what is missing.
pub async fn readiness(pool: &Pool) -> Result<Option<String>, sqlx::Error> {
    let known = match pool.backend() {
        query::Backend::Sqlite(_) => sqlx::migrate!("./migrations/sqlite").iter().count(),
        query::Backend::Postgres(_) => sqlx::migrate!("./migrations/postgres").iter().count(),
    };
    let applied: i64 = query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success").fetch_one(pool).await?;
    Ok((usize::try_from(applied).unwrap_or(0) < known).then(|| format!("{applied} of {known} migrations applied")))
}

/// Applies the migrations of the pool's database (`migrations/sqlite` or
/// `migrations/postgres`: the same schema, version by version).
pub async fn migrate(pool: &Pool) -> Result<(), sqlx::migrate::MigrateError> {
    // Migrations a newer build applied are not refused: during a rolling restart (or a
    // rollback) an older server runs on the newer schema, which only ever adds.
    match pool.backend() {
        query::Backend::Sqlite(sqlite) => {
            let mut migrator = sqlx::migrate!("./migrations/sqlite");
            migrator.set_ignore_missing(true);
            migrator.run(sqlite).await
        }
        query::Backend::Postgres(postgres) => {
            let mut migrator = sqlx::migrate!("./migrations/postgres");
            migrator.set_ignore_missing(true);
            migrator.run(postgres).await
        }
    }
}

/// Timestamps are stored in UTC, to the second, as RFC 3339 text: equal-width strings that
/// sort in time order (fractional seconds would break that).
pub fn stored_time(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(t)
}

pub fn now() -> OffsetDateTime {
    stored_time(OffsetDateTime::now_utc())
}

/// A new, migrated SQLite database in `dir` for a unit test. It waits longer for a
/// connection than a server does: the suite runs its tests at once on two cores.
#[cfg(test)]
pub(crate) async fn test_pool(dir: &std::path::Path, name: &str) -> Pool {
    let url = format!("sqlite://{}", dir.join(name).display());
    connect_with(&Options { acquire_timeout: Duration::from_secs(30), ..Options::new(url) }).await.expect("database")
}

/// The plan SQLite picks for `sql` (with `params` placeholders) on a new, migrated database
/// without statistics, as a new site has: one step per line, for tests that pin a hot
/// query's plan.
#[cfg(test)]
pub(crate) async fn query_plan(sql: &str, params: usize) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = test_pool(dir.path(), "plan.db").await;
    let mut query = query_as::<(i64, i64, i64, String)>(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")));
    for _ in 0..params {
        query = query.bind(1_i64);
    }
    let steps = query.fetch_all(&pool).await.expect("plan");
    steps.into_iter().map(|(.., detail)| detail).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_stay_out_of_logs() {
        assert_eq!(
            super::redacted("postgres://desk:s3cret@db.internal:5432/copydesk"),
            "postgres://desk:***@db.internal:5432/copydesk"
        );
        assert_eq!(super::redacted("postgres://desk@db.internal/copydesk"), "postgres://desk@db.internal/copydesk");
        assert_eq!(super::redacted("sqlite://copydesk.db"), "sqlite://copydesk.db");
    }
}
