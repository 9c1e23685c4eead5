//! (ssr) Site-wide settings and secrets.

use super::{Pool, query_as, query_scalar};

/// The secret key for hashing client addresses, created by the migrations.
pub async fn client_hash_key(pool: &Pool) -> Result<Vec<u8>, sqlx::Error> {
    let hex: String =
        query_scalar("SELECT value FROM site_settings WHERE key = 'client_hash_key'").fetch_one(pool).await?;
    Ok(hex.into_bytes())
}

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
