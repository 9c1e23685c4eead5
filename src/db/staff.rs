use time::OffsetDateTime;

use super::{Pool, now};
use crate::domain::staff::{Role, StaffMember};

/// Creates an account; `Ok(None)` when the email is taken.
pub async fn create(pool: &Pool, email: &str, name: &str, role: Role, hash: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO staff (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email)
    .bind(name)
    .bind(role.as_str())
    .bind(hash)
    .bind(now())
    .fetch_optional(pool)
    .await
}

/// Sets a new password and signs the account out everywhere. False when no such account.
pub async fn set_password(pool: &Pool, email: &str, hash: &str) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar("UPDATE staff SET password_hash = ? WHERE email = ? RETURNING id")
        .bind(hash)
        .bind(email)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(id) = id {
        sqlx::query("DELETE FROM staff_sessions WHERE staff_id = ?").bind(id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(id.is_some())
}

pub async fn remove(pool: &Pool, email: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM staff WHERE email = ?").bind(email).execute(pool).await?;
    Ok(done.rows_affected() > 0)
}

pub async fn list(pool: &Pool) -> Result<Vec<StaffMember>, sqlx::Error> {
    sqlx::query_as("SELECT id, email, name, role FROM staff ORDER BY name, id").fetch_all(pool).await
}

/// An account and its password hash, for signing in.
pub async fn credentials(pool: &Pool, email: &str) -> Result<Option<(StaffMember, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        staff: StaffMember,
        password_hash: String,
    }
    let row: Option<Row> = sqlx::query_as("SELECT id, email, name, role, password_hash FROM staff WHERE email = ?")
        .bind(email)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| (r.staff, r.password_hash)))
}

/// Starts a session, ending the one it replaces (a new id at every sign-in).
pub async fn start_session(
    pool: &Pool,
    id_hash: &str,
    staff_id: i64,
    expires_at: OffsetDateTime,
    replaces: Option<&str>,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    if let Some(old) = replaces {
        sqlx::query("DELETE FROM staff_sessions WHERE id_hash = ?").bind(old).execute(&mut *tx).await?;
    }
    // Expired sessions go whenever someone signs in.
    sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= ?").bind(now()).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO staff_sessions (id_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(id_hash)
        .bind(staff_id)
        .bind(now())
        .bind(super::stored_time(expires_at))
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// The staff member behind a session that has not expired.
pub async fn session_staff(pool: &Pool, id_hash: &str) -> Result<Option<StaffMember>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.email, s.name, s.role FROM staff_sessions ss JOIN staff s ON s.id = ss.staff_id
         WHERE ss.id_hash = ? AND ss.expires_at > ?",
    )
    .bind(id_hash)
    .bind(now())
    .fetch_optional(pool)
    .await
}

pub async fn end_session(pool: &Pool, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_sessions WHERE id_hash = ?").bind(id_hash).execute(pool).await?;
    Ok(())
}
