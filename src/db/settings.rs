use super::Pool;

/// The secret key for hashing client addresses, created by the migrations.
pub async fn client_hash_key(pool: &Pool) -> Result<Vec<u8>, sqlx::Error> {
    let hex: String =
        sqlx::query_scalar("SELECT value FROM site_settings WHERE key = 'client_hash_key'").fetch_one(pool).await?;
    Ok(hex.into_bytes())
}
