use super::{Pool, query_scalar};

/// The secret key for hashing client addresses, created by the migrations.
pub async fn client_hash_key(pool: &Pool) -> Result<Vec<u8>, sqlx::Error> {
    let hex: String =
        query_scalar("SELECT value FROM site_settings WHERE key = 'client_hash_key'").fetch_one(pool).await?;
    Ok(hex.into_bytes())
}

/// The number that grows whenever something public changes (the triggers in migration
/// `site_version`): rendered pages made at an older one are out of date.
pub async fn site_version(pool: &Pool) -> Result<i64, sqlx::Error> {
    query_scalar("SELECT version FROM site_version WHERE id = 1").fetch_one(pool).await
}
