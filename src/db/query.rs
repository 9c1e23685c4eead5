//! Statements that run unchanged on SQLite or PostgreSQL.
//!
//! The data layer writes SQL both databases accept (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`, `TRUE`/`FALSE`) and binds values of four kinds, which each driver encodes
//! natively: integers, text, booleans and timestamps (SQLite: RFC 3339 text; PostgreSQL:
//! `TIMESTAMPTZ`). Rows decode through `sqlx::FromRow`, derived once for both. Each method
//! is one explicit `match` over where the statement runs.

/// Bound values and the columns of untyped rows.
mod values;

pub use values::{Arg, Type};
use values::{arguments, values};

use std::marker::PhantomData;
use std::time::Duration;

use sqlx::postgres::{PgConnection, PgPool, PgRow, Postgres};
use sqlx::sqlite::{Sqlite, SqliteConnection, SqlitePool, SqliteRow};
use sqlx::{FromRow, SqlSafeStr, SqlStr};

/// The application's connection pool, on whichever database `DATABASE_URL` names.
#[derive(Clone, Debug)]
pub struct Pool {
    backend: Backend,
    /// Attempts after the first when PostgreSQL reports a serialization failure or deadlock.
    retries: u32,
    /// Tells pools apart (their clones share it), for what is kept per database.
    id: u64,
}

/// The next pool's `id`.
static POOLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_id() -> u64 {
    POOLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

#[derive(Clone, Debug)]
pub(super) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which database a pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Pool {
    pub fn sqlite(pool: SqlitePool) -> Self {
        Self { backend: Backend::Sqlite(pool), retries: 0, id: next_id() }
    }

    /// This pool's number in the process; clones have the same.
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn postgres(pool: PgPool, retries: u32) -> Self {
        Self { backend: Backend::Postgres(pool), retries, id: next_id() }
    }

    /// Connections open and, of those, idle.
    pub fn usage(&self) -> (u32, usize) {
        match &self.backend {
            Backend::Sqlite(p) => (p.size(), p.num_idle()),
            Backend::Postgres(p) => (p.size(), p.num_idle()),
        }
    }

    pub fn kind(&self) -> Kind {
        match self.backend {
            Backend::Sqlite(_) => Kind::Sqlite,
            Backend::Postgres(_) => Kind::Postgres,
        }
    }

    /// Starts a transaction. Dropping it without `commit` rolls it back.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        // The wait for a connection, and `BEGIN`.
        let started = std::time::Instant::now();
        let tx = match &self.backend {
            Backend::Sqlite(pool) => Tx(TxInner::Sqlite(pool.begin().await?)),
            Backend::Postgres(pool) => Tx(TxInner::Postgres(pool.begin().await?)),
        };
        if crate::telemetry::metrics_on() {
            metrics::histogram!("db_pool_acquire_seconds").record(started.elapsed().as_secs_f64());
        }
        Ok(tx)
    }

    /// Starts a transaction that reads, then writes what it read decided. On SQLite it takes
    /// the write lock at once (`BEGIN IMMEDIATE`, waiting up to the busy timeout): a plain
    /// `BEGIN` would read a snapshot, and its first write fail at once as busy if another
    /// writer committed meanwhile. PostgreSQL locks the rows it reads `FOR UPDATE` instead.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match &self.backend {
            Backend::Sqlite(pool) => Ok(Tx(TxInner::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?))),
            Backend::Postgres(_) => self.begin().await,
        }
    }

    /// Runs `attempt` again (up to the configured number of times, with a short growing
    /// pause) while it fails with a serialization failure or deadlock, which PostgreSQL and
    /// its distributed relatives report when concurrent transactions collide. Such a failure
    /// rolled the whole transaction back, so trying again cannot apply anything twice.
    pub async fn retrying<T, Fut>(&self, attempt: impl FnMut() -> Fut) -> Result<T, sqlx::Error>
    where
        Fut: Future<Output = Result<T, sqlx::Error>>,
    {
        with_retries(self.retries, attempt).await
    }

    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(pool) => pool.close().await,
        }
    }

    pub(super) fn backend(&self) -> &Backend {
        &self.backend
    }
}

/// SQLSTATE 40001 (serialization_failure) and 40P01 (deadlock_detected).
pub fn is_retryable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(e) => matches!(e.code().as_deref(), Some("40001" | "40P01")),
        _ => false,
    }
}

/// An open transaction on either database.
pub struct Tx(TxInner);

enum TxInner {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.0 {
            TxInner::Sqlite(tx) => tx.commit().await,
            TxInner::Postgres(tx) => tx.commit().await,
        }
    }
}

/// Where a statement runs: the pool (its own transaction) or an open transaction.
pub enum On<'a> {
    SqlitePool(&'a SqlitePool),
    PostgresPool(&'a PgPool, u32),
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl<'a> From<&'a Pool> for On<'a> {
    fn from(pool: &'a Pool) -> Self {
        match &pool.backend {
            Backend::Sqlite(p) => On::SqlitePool(p),
            Backend::Postgres(p) => On::PostgresPool(p, pool.retries),
        }
    }
}

impl<'a> From<&'a mut Tx> for On<'a> {
    fn from(tx: &'a mut Tx) -> Self {
        match &mut tx.0 {
            TxInner::Sqlite(tx) => On::Sqlite(tx),
            TxInner::Postgres(tx) => On::Postgres(tx),
        }
    }
}

/// Rows that decode from either database.
pub trait FromRows: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> FromRows for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// A statement and its values; `O` is the row type it reads.
#[must_use = "a statement does nothing until it is run"]
pub struct Query<O> {
    sql: SqlStr,
    args: Vec<Arg>,
    rows: PhantomData<fn() -> O>,
}

/// `$1, $2, …, $n`: one placeholder per value of an `IN (…)` list (lists here are a page's
/// worth, a few dozen at most; each value is still bound, never written into the SQL).
pub fn placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// A statement run for its effect.
pub fn query(sql: impl SqlSafeStr) -> Query<()> {
    Query { sql: sql.into_sql_str(), args: Vec::new(), rows: PhantomData }
}

/// A statement that reads rows of `O`.
pub fn query_as<O: FromRows>(sql: impl SqlSafeStr) -> Query<O> {
    Query { sql: sql.into_sql_str(), args: Vec::new(), rows: PhantomData }
}

/// A statement that reads one column, as `O`.
pub fn query_scalar<O>(sql: impl SqlSafeStr) -> Scalar<O>
where
    (O,): FromRows,
{
    Scalar(query_as(sql))
}

impl<O> Query<O> {
    pub fn bind(mut self, value: impl Into<Arg>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Runs the statement; returns how many rows it changed. On PostgreSQL's pool it is
    /// tried again after a serialization failure or deadlock.
    pub async fn execute<'a>(self, on: impl Into<On<'a>>) -> Result<u64, sqlx::Error> {
        let Self { sql, args, .. } = self;
        match on.into() {
            On::SqlitePool(p) => Ok(sqlx::query_with(sql, arguments::<Sqlite>(&args)?)
                .execute(&mut *acquire(p).await?)
                .await?
                .rows_affected()),
            On::Sqlite(c) => Ok(sqlx::query_with(sql, arguments::<Sqlite>(&args)?).execute(c).await?.rows_affected()),
            On::Postgres(c) => {
                Ok(sqlx::query_with(sql, arguments::<Postgres>(&args)?).execute(c).await?.rows_affected())
            }
            On::PostgresPool(p, retries) => {
                let attempt = || async {
                    sqlx::query_with(sql.clone(), arguments::<Postgres>(&args)?).execute(&mut *acquire(p).await?).await
                };
                Ok(with_retries(retries, attempt).await?.rows_affected())
            }
        }
    }
}

impl<O: FromRows> Query<O> {
    pub async fn fetch_all<'a>(self, on: impl Into<On<'a>>) -> Result<Vec<O>, sqlx::Error> {
        let Self { sql, args, .. } = self;
        match on.into() {
            On::SqlitePool(p) => {
                sqlx::query_as_with(sql, arguments::<Sqlite>(&args)?).fetch_all(&mut *acquire(p).await?).await
            }
            On::Sqlite(c) => sqlx::query_as_with(sql, arguments::<Sqlite>(&args)?).fetch_all(c).await,
            On::Postgres(c) => sqlx::query_as_with(sql, arguments::<Postgres>(&args)?).fetch_all(c).await,
            On::PostgresPool(p, retries) => {
                let attempt = || async {
                    sqlx::query_as_with(sql.clone(), arguments::<Postgres>(&args)?)
                        .fetch_all(&mut *acquire(p).await?)
                        .await
                };
                with_retries(retries, attempt).await
            }
        }
    }

    pub async fn fetch_optional<'a>(self, on: impl Into<On<'a>>) -> Result<Option<O>, sqlx::Error> {
        let Self { sql, args, .. } = self;
        match on.into() {
            On::SqlitePool(p) => {
                sqlx::query_as_with(sql, arguments::<Sqlite>(&args)?).fetch_optional(&mut *acquire(p).await?).await
            }
            On::Sqlite(c) => sqlx::query_as_with(sql, arguments::<Sqlite>(&args)?).fetch_optional(c).await,
            On::Postgres(c) => sqlx::query_as_with(sql, arguments::<Postgres>(&args)?).fetch_optional(c).await,
            On::PostgresPool(p, retries) => {
                let attempt = || async {
                    sqlx::query_as_with(sql.clone(), arguments::<Postgres>(&args)?)
                        .fetch_optional(&mut *acquire(p).await?)
                        .await
                };
                with_retries(retries, attempt).await
            }
        }
    }

    pub async fn fetch_one<'a>(self, on: impl Into<On<'a>>) -> Result<O, sqlx::Error> {
        self.fetch_optional(on).await?.ok_or(sqlx::Error::RowNotFound)
    }
}

/// A statement that reads one column (see `query_scalar`).
#[must_use = "a statement does nothing until it is run"]
pub struct Scalar<O>(Query<(O,)>);

impl<O> Scalar<O>
where
    (O,): FromRows,
{
    pub fn bind(self, value: impl Into<Arg>) -> Self {
        Self(self.0.bind(value))
    }

    pub async fn fetch_all<'a>(self, on: impl Into<On<'a>>) -> Result<Vec<O>, sqlx::Error> {
        Ok(self.0.fetch_all(on).await?.into_iter().map(|(v,)| v).collect())
    }

    pub async fn fetch_optional<'a>(self, on: impl Into<On<'a>>) -> Result<Option<O>, sqlx::Error> {
        Ok(self.0.fetch_optional(on).await?.map(|(v,)| v))
    }

    pub async fn fetch_one<'a>(self, on: impl Into<On<'a>>) -> Result<O, sqlx::Error> {
        Ok(self.0.fetch_one(on).await?.0)
    }
}

impl Query<()> {
    /// Reads the rows one at a time (not all into memory), each as values of `types`, and
    /// hands them to `each`.
    pub async fn for_each_row<'a>(
        self,
        types: &[Type],
        on: impl Into<On<'a>>,
        mut each: impl FnMut(Vec<Arg>) -> Result<(), sqlx::Error>,
    ) -> Result<(), sqlx::Error> {
        use futures_util::TryStreamExt;
        let Self { sql, args, .. } = self;
        match on.into() {
            On::SqlitePool(p) => {
                let mut rows = sqlx::query_with(sql, arguments::<Sqlite>(&args)?).fetch(p);
                while let Some(row) = rows.try_next().await? {
                    each(values(&row, types)?)?;
                }
            }
            On::Sqlite(c) => {
                let mut rows = sqlx::query_with(sql, arguments::<Sqlite>(&args)?).fetch(c);
                while let Some(row) = rows.try_next().await? {
                    each(values(&row, types)?)?;
                }
            }
            On::PostgresPool(p, _) => {
                let mut rows = sqlx::query_with(sql, arguments::<Postgres>(&args)?).fetch(p);
                while let Some(row) = rows.try_next().await? {
                    each(values(&row, types)?)?;
                }
            }
            On::Postgres(c) => {
                let mut rows = sqlx::query_with(sql, arguments::<Postgres>(&args)?).fetch(c);
                while let Some(row) = rows.try_next().await? {
                    each(values(&row, types)?)?;
                }
            }
        }
        Ok(())
    }
}

/// Whether the database could not do the work just now, and the same request may succeed
/// a moment later: a pool with no free connection in time (the database not answering
/// included); a connection lost (reset, broken pipe); SQLite's BUSY (5), LOCKED (6) and their
/// extended codes; PostgreSQL's statement timeout (57014), a lock not granted (55P03), no
/// free connection slot (53300), the server shutting down or starting (57P01, 57P02, 57P03),
/// connection exceptions (class 08), and collisions still failing after the retries (40001,
/// 40P01).
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    const CODES: &[&str] = &["5", "6", "57014", "55P03", "53300", "57P01", "57P02", "57P03", "40001", "40P01"];
    let busy_code = |code: &str| {
        CODES.contains(&code)
            || code.starts_with("08")
            || code.parse::<i32>().is_ok_and(|n| n > 255 && matches!(n & 0xff, 5 | 6))
    };
    matches!(
        error,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::WorkerCrashed
    ) || error.as_database_error().and_then(|e| e.code()).is_some_and(|code| busy_code(&code))
}

/// A connection from the pool, with the wait recorded (`db_pool_acquire_seconds`).
async fn acquire<DB: sqlx::Database>(pool: &sqlx::Pool<DB>) -> Result<sqlx::pool::PoolConnection<DB>, sqlx::Error> {
    let started = std::time::Instant::now();
    let connection = pool.acquire().await;
    if crate::telemetry::metrics_on() {
        metrics::histogram!("db_pool_acquire_seconds").record(started.elapsed().as_secs_f64());
    }
    connection
}

async fn with_retries<T, Fut>(retries: u32, mut attempt: impl FnMut() -> Fut) -> Result<T, sqlx::Error>
where
    Fut: Future<Output = Result<T, sqlx::Error>>,
{
    let mut tries = 0;
    loop {
        match attempt().await {
            Err(error) if tries < retries && is_retryable(&error) => {
                tries += 1;
                tracing::debug!(%error, tries, "trying again after a serialization failure");
                tokio::time::sleep(Duration::from_millis(5 << tries.min(6))).await;
            }
            result => return result,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A database error with only a SQLSTATE.
    #[derive(Debug)]
    struct Coded(&'static str);

    impl std::fmt::Display for Coded {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "SQLSTATE {}", self.0)
        }
    }

    impl std::error::Error for Coded {}

    impl sqlx::error::DatabaseError for Coded {
        fn message(&self) -> &str {
            self.0
        }
        fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
            Some(self.0.into())
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    /// Fails with `code` the first `failures` times, then succeeds; returns the result and
    /// the number of attempts.
    async fn attempts(retries: u32, code: &'static str, failures: u32) -> (Result<u32, sqlx::Error>, u32) {
        let calls = AtomicU32::new(0);
        let result = with_retries(retries, || async {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            if n < failures { Err(sqlx::Error::Database(Box::new(Coded(code)))) } else { Ok(n) }
        })
        .await;
        (result, calls.load(Ordering::SeqCst))
    }

    #[tokio::test]
    async fn serialization_failures_and_deadlocks_are_tried_again_up_to_the_limit() {
        assert_eq!(attempts(3, "40001", 2).await.0.unwrap(), 2);
        assert_eq!(attempts(3, "40P01", 3).await.0.unwrap(), 3);
        let (given_up, calls) = attempts(3, "40001", 10).await;
        assert!(is_retryable(&given_up.unwrap_err()));
        assert_eq!(calls, 4, "the first attempt and three more");
        let (none, calls) = attempts(0, "40001", 1).await;
        assert!(none.is_err());
        assert_eq!(calls, 1, "retries = 0 turns retrying off");
    }

    #[tokio::test]
    async fn other_errors_are_not_tried_again() {
        let (unique_violation, calls) = attempts(3, "23505", 1).await;
        assert!(unique_violation.is_err());
        assert_eq!(calls, 1);
    }

    #[test]
    fn values_bind_as_their_kind() {
        assert_eq!(Arg::from(7_i64), Arg::Int(Some(7)));
        assert_eq!(Arg::from(None::<i64>), Arg::Int(None));
        assert_eq!(Arg::from("a"), Arg::Text(Some("a".into())));
        assert_eq!(Arg::from(None::<&str>), Arg::Text(None));
        assert_eq!(Arg::from(true), Arg::Bool(Some(true)));
    }
}
