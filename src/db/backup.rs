//! (ssr) A consistent copy of a live SQLite database, checked before it is trusted.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use super::{Kind, Pool, query};

/// What a finished copy holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub articles: i64,
    pub comments: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "backup copies SQLite databases; for PostgreSQL use `pg_dump -Fc` (restore with `pg_restore`) or \
         `copydesk export` (restore with `copydesk import-dump` into an empty database)"
    )]
    NotSqlite,
    #[error("{0} exists already: choose a new file, so no backup is overwritten")]
    Exists(String),
    #[error("the copy at {file} failed its integrity check: {problems}")]
    Damaged { file: String, problems: String },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Writes the database to `file` with `VACUUM INTO`: one read transaction, so the copy is
/// the database as of one moment while writers carry on (WAL), compacted. Then opens the
/// copy on its own and runs `PRAGMA integrity_check`.
pub async fn sqlite(pool: &Pool, file: &Path) -> Result<Copied, BackupError> {
    if pool.kind() != Kind::Sqlite {
        return Err(BackupError::NotSqlite);
    }
    if file.exists() {
        return Err(BackupError::Exists(file.display().to_string()));
    }
    let target = file.to_str().ok_or_else(|| BackupError::Exists(format!("{} (not UTF-8)", file.display())))?;
    query("VACUUM INTO $1").bind(target).execute(pool).await?;

    let mut copy = SqliteConnectOptions::from_str("sqlite://")?.filename(file).read_only(true).connect().await?;
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut copy).await?;
    if rows != ["ok"] {
        return Err(BackupError::Damaged { file: file.display().to_string(), problems: rows.join("; ") });
    }
    let articles: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles").fetch_one(&mut copy).await?;
    let comments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comments").fetch_one(&mut copy).await?;
    copy.close().await?;
    Ok(Copied { articles, comments })
}
