//! (ssr) Site-wide settings and secrets.

use super::{Pool, query, query_as, query_scalar};

/// The secret key for hashing client addresses, created by the migrations.
pub async fn client_hash_key(pool: &Pool) -> Result<Vec<u8>, sqlx::Error> {
    let hex: String =
        query_scalar("SELECT value FROM site_settings WHERE key = 'client_hash_key'").fetch_one(pool).await?;
    Ok(hex.into_bytes())
}

/// A yes-or-no site setting (`1` or `0` under `key`); unset is no.
pub async fn flag(pool: &Pool, key: &str) -> Result<bool, sqlx::Error> {
    let value: Option<String> =
        query_scalar("SELECT value FROM site_settings WHERE key = $1").bind(key).fetch_optional(pool).await?;
    Ok(value.as_deref() == Some("1"))
}

pub async fn set_flag(pool: &Pool, key: &str, on: bool) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO site_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(if on { "1" } else { "0" })
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether `/corrections` shows how long each fix took from the first reader report.
pub const CORRECTIONS_TIME_TO_FIX: &str = "corrections_time_to_fix";

/// A page key whose version moved (the triggers of migration `page_keys`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PageKeyChange {
    pub key: String,
    pub version: i64,
    /// When, in milliseconds since 1970 by the database's clock.
    pub changed_ms: i64,
}

/// Page keys changed at or after `since_ms` (by the database's clock).
pub async fn page_keys_changed_since(pool: &Pool, since_ms: i64) -> Result<Vec<PageKeyChange>, sqlx::Error> {
    query_as("SELECT key, version, changed_ms FROM page_keys WHERE changed_ms >= $1")
        .bind(since_ms)
        .fetch_all(pool)
        .await
}
