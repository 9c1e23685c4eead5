//! (ssr) Staff accounts and sessions.

use time::OffsetDateTime;

use super::{Pool, now, query, query_as, query_scalar};
use crate::domain::staff::{Role, StaffMember};

/// Creates an account; `Ok(None)` when the email is taken.
pub async fn create(pool: &Pool, email: &str, name: &str, role: Role, hash: &str) -> Result<Option<i64>, sqlx::Error> {
    query_scalar(
        "INSERT INTO staff (email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)
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
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        let id: Option<i64> = query_scalar("UPDATE staff SET password_hash = $1 WHERE email = $2 RETURNING id")
            .bind(hash)
            .bind(email)
            .fetch_optional(&mut tx)
            .await?;
        if let Some(id) = id {
            query("DELETE FROM staff_sessions WHERE staff_id = $1").bind(id).execute(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(id.is_some())
    })
    .await
}

pub async fn remove(pool: &Pool, email: &str) -> Result<bool, sqlx::Error> {
    let done = query("DELETE FROM staff WHERE email = $1").bind(email).execute(pool).await?;
    Ok(done > 0)
}

pub async fn list(pool: &Pool) -> Result<Vec<StaffMember>, sqlx::Error> {
    query_as("SELECT id, email, name, role FROM staff ORDER BY name, id").fetch_all(pool).await
}

/// An account and its password hash, for signing in.
pub async fn credentials(pool: &Pool, email: &str) -> Result<Option<(StaffMember, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        staff: StaffMember,
        password_hash: String,
    }
    let row: Option<Row> = query_as("SELECT id, email, name, role, password_hash FROM staff WHERE email = $1")
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
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        if let Some(old) = replaces {
            query("DELETE FROM staff_sessions WHERE id_hash = $1").bind(old).execute(&mut tx).await?;
        }
        // Expired sessions go whenever someone signs in.
        query("DELETE FROM staff_sessions WHERE expires_at <= $1").bind(now()).execute(&mut tx).await?;
        query("INSERT INTO staff_sessions (id_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(id_hash)
            .bind(staff_id)
            .bind(now())
            .bind(super::stored_time(expires_at))
            .execute(&mut tx)
            .await?;
        tx.commit().await
    })
    .await
}

/// The staff member behind a session that has not expired.
pub async fn session_staff(pool: &Pool, id_hash: &str) -> Result<Option<StaffMember>, sqlx::Error> {
    query_as(
        "SELECT s.id, s.email, s.name, s.role FROM staff_sessions ss JOIN staff s ON s.id = ss.staff_id
         WHERE ss.id_hash = $1 AND ss.expires_at > $2",
    )
    .bind(id_hash)
    .bind(now())
    .fetch_optional(pool)
    .await
}

pub async fn end_session(pool: &Pool, id_hash: &str) -> Result<(), sqlx::Error> {
    query("DELETE FROM staff_sessions WHERE id_hash = $1").bind(id_hash).execute(pool).await?;
    Ok(())
}

/// Sign-in attempts since the window began, from one client and for one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts {
    pub by_client: i64,
    pub for_account: i64,
}

/// Records a sign-in attempt before its password is checked, forgets everyone's attempts
/// from before `window_start`, and counts the attempts in the window, this one included.
/// The row is written and committed before it is counted, so simultaneous attempts each
/// see the others that committed first.
pub async fn record_attempt(
    pool: &Pool,
    client_hash: &str,
    account: &str,
    window_start: OffsetDateTime,
) -> Result<Attempts, sqlx::Error> {
    let since = super::stored_time(window_start);
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        query("DELETE FROM sign_in_failures WHERE failed_at <= $1").bind(since).execute(&mut tx).await?;
        query("INSERT INTO sign_in_failures (client_hash, account, failed_at) VALUES ($1, $2, $3)")
            .bind(client_hash)
            .bind(account)
            .bind(now())
            .execute(&mut tx)
            .await?;
        tx.commit().await
    })
    .await?;
    let (by_client, for_account) = query_as(
        "SELECT (SELECT COUNT(*) FROM sign_in_failures WHERE client_hash = $1 AND failed_at > $3),
                (SELECT COUNT(*) FROM sign_in_failures WHERE account = $2 AND failed_at > $3)",
    )
    .bind(client_hash)
    .bind(account)
    .bind(since)
    .fetch_one(pool)
    .await?;
    Ok(Attempts { by_client, for_account })
}

/// Forgets a client's attempts for an account: it signed in, or its attempt was never
/// checked.
pub async fn clear_attempts(pool: &Pool, client_hash: &str, account: &str) -> Result<(), sqlx::Error> {
    query("DELETE FROM sign_in_failures WHERE client_hash = $1 AND account = $2")
        .bind(client_hash)
        .bind(account)
        .execute(pool)
        .await?;
    Ok(())
}
