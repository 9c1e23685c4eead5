//! (ssr) Staff accounts and sessions.

use time::OffsetDateTime;

use super::{Pool, now, query, query_as, query_scalar};
use crate::domain::staff::{Role, Session, StaffMember, TeamMember};

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

/// What a change to an account's role or existence came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// The account as it was before the change.
    Done(StaffMember),
    NoSuchAccount,
    /// Refused: the site would have no admin left.
    LastAdmin,
}

/// Deletes the account with `email`, unless it is the last admin.
pub async fn remove(pool: &Pool, email: &str) -> Result<Changed, sqlx::Error> {
    guarded_change(pool, email, None).await
}

/// Gives the account with `email` a new role, unless that demotes the last admin.
pub async fn set_role(pool: &Pool, email: &str, role: Role) -> Result<Changed, sqlx::Error> {
    guarded_change(pool, email, Some(role)).await
}

/// A role change (`Some`) or removal (`None`) that leaves at least one admin. The admins'
/// rows are read first in a write transaction (locked on PostgreSQL, where two admins
/// demoting each other at once would otherwise both see the other still an admin; SQLite's
/// write lock is taken before the read).
async fn guarded_change(pool: &Pool, email: &str, role: Option<Role>) -> Result<Changed, sqlx::Error> {
    let lock = if pool.kind() == super::Kind::Postgres { " FOR UPDATE" } else { "" };
    let admins_sql = format!("SELECT id FROM staff WHERE role = 'admin' ORDER BY id{lock}");
    pool.retrying(|| async {
        let mut tx = pool.begin_write().await?;
        let admins: Vec<i64> = query_scalar(sqlx::AssertSqlSafe(admins_sql.clone())).fetch_all(&mut tx).await?;
        let target: Option<StaffMember> = query_as("SELECT id, email, name, role FROM staff WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut tx)
            .await?;
        let Some(target) = target else { return Ok(Changed::NoSuchAccount) };
        let loses_admin = target.role == Role::Admin && role != Some(Role::Admin);
        if loses_admin && admins.iter().all(|id| *id == target.id) {
            return Ok(Changed::LastAdmin);
        }
        match role {
            Some(role) => {
                query("UPDATE staff SET role = $1 WHERE id = $2")
                    .bind(role.as_str())
                    .bind(target.id)
                    .execute(&mut tx)
                    .await?;
            }
            None => {
                query("DELETE FROM staff WHERE id = $1").bind(target.id).execute(&mut tx).await?;
            }
        }
        tx.commit().await?;
        Ok(Changed::Done(target))
    })
    .await
}

pub async fn list(pool: &Pool) -> Result<Vec<StaffMember>, sqlx::Error> {
    query_as("SELECT id, email, name, role FROM staff ORDER BY name, id").fetch_all(pool).await
}

/// Every account with when it last signed in, for the team page.
pub async fn team(pool: &Pool) -> Result<Vec<TeamMember>, sqlx::Error> {
    query_as("SELECT id, email, name, role, last_sign_in_at FROM staff ORDER BY name, id").fetch_all(pool).await
}

/// An account's password hash, by id.
pub async fn password_hash(pool: &Pool, staff_id: i64) -> Result<Option<String>, sqlx::Error> {
    query_scalar("SELECT password_hash FROM staff WHERE id = $1").bind(staff_id).fetch_optional(pool).await
}

/// Sets a new password and ends the account's other sessions; `keep` (a session's id hash)
/// stays signed in.
pub async fn change_password(pool: &Pool, staff_id: i64, hash: &str, keep: &str) -> Result<u64, sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        query("UPDATE staff SET password_hash = $1 WHERE id = $2").bind(hash).bind(staff_id).execute(&mut tx).await?;
        let ended = query("DELETE FROM staff_sessions WHERE staff_id = $1 AND id_hash <> $2")
            .bind(staff_id)
            .bind(keep)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(ended)
    })
    .await
}

/// The account's sessions that have not expired, newest first.
pub async fn sessions(pool: &Pool, staff_id: i64) -> Result<Vec<Session>, sqlx::Error> {
    query_as(
        "SELECT id_hash, created_at, expires_at FROM staff_sessions WHERE staff_id = $1 AND expires_at > $2
         ORDER BY created_at DESC, id_hash",
    )
    .bind(staff_id)
    .bind(now())
    .fetch_all(pool)
    .await
}

/// Ends one of the account's own sessions; false when it is not theirs (or gone).
pub async fn end_own_session(pool: &Pool, staff_id: i64, id_hash: &str) -> Result<bool, sqlx::Error> {
    let ended = query("DELETE FROM staff_sessions WHERE staff_id = $1 AND id_hash = $2")
        .bind(staff_id)
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(ended > 0)
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
        query("UPDATE staff SET last_sign_in_at = $1 WHERE id = $2")
            .bind(now())
            .bind(staff_id)
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

/// The account's second-step secret and the last step a code was accepted for; `None`
/// when it signs in with a password alone.
pub async fn second_factor(pool: &Pool, staff_id: i64) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    let row: Option<(Option<String>, Option<i64>)> =
        query_as("SELECT totp_secret, totp_last_step FROM staff WHERE id = $1")
            .bind(staff_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(secret, step)| secret.map(|s| (s, step))))
}

/// Turns the second step on with `secret` (its first code was accepted at `step`) and
/// replaces the recovery codes with `code_hashes`.
pub async fn enable_second_factor(
    pool: &Pool,
    staff_id: i64,
    secret: &str,
    step: i64,
    code_hashes: &[String],
) -> Result<(), sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        query("UPDATE staff SET totp_secret = $1, totp_last_step = $2 WHERE id = $3")
            .bind(secret)
            .bind(step)
            .bind(staff_id)
            .execute(&mut tx)
            .await?;
        replace_codes(&mut tx, staff_id, code_hashes).await?;
        tx.commit().await
    })
    .await
}

/// New recovery codes; the old ones stop working.
pub async fn replace_recovery_codes(pool: &Pool, staff_id: i64, code_hashes: &[String]) -> Result<(), sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        replace_codes(&mut tx, staff_id, code_hashes).await?;
        tx.commit().await
    })
    .await
}

async fn replace_codes(tx: &mut super::Tx, staff_id: i64, code_hashes: &[String]) -> Result<(), sqlx::Error> {
    query("DELETE FROM staff_recovery_codes WHERE staff_id = $1").bind(staff_id).execute(&mut *tx).await?;
    for hash in code_hashes {
        query("INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2)")
            .bind(staff_id)
            .bind(hash.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Turns the second step off and forgets the recovery codes.
pub async fn disable_second_factor(pool: &Pool, staff_id: i64) -> Result<(), sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        query("UPDATE staff SET totp_secret = NULL, totp_last_step = NULL WHERE id = $1")
            .bind(staff_id)
            .execute(&mut tx)
            .await?;
        query("DELETE FROM staff_recovery_codes WHERE staff_id = $1").bind(staff_id).execute(&mut tx).await?;
        tx.commit().await
    })
    .await
}

/// Records that a code for `step` was used; false when that step (or a later one) was used
/// already, by this request's twin for instance.
pub async fn use_step(pool: &Pool, staff_id: i64, step: i64) -> Result<bool, sqlx::Error> {
    let done =
        query("UPDATE staff SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
            .bind(step)
            .bind(staff_id)
            .execute(pool)
            .await?;
    Ok(done > 0)
}

/// Uses up a recovery code; false when the account has no such code (left).
pub async fn use_recovery_code(pool: &Pool, staff_id: i64, code_hash: &str) -> Result<bool, sqlx::Error> {
    let done = query("DELETE FROM staff_recovery_codes WHERE staff_id = $1 AND code_hash = $2")
        .bind(staff_id)
        .bind(code_hash)
        .execute(pool)
        .await?;
    Ok(done > 0)
}

pub async fn recovery_codes_left(pool: &Pool, staff_id: i64) -> Result<i64, sqlx::Error> {
    query_scalar("SELECT COUNT(*) FROM staff_recovery_codes WHERE staff_id = $1").bind(staff_id).fetch_one(pool).await
}

/// Remembers a sign-in whose password was right and whose code is still to come.
pub async fn start_pending(
    pool: &Pool,
    token_hash: &str,
    staff_id: i64,
    expires_at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    query("DELETE FROM staff_pending_sign_ins WHERE expires_at <= $1").bind(now()).execute(pool).await?;
    query("INSERT INTO staff_pending_sign_ins (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)")
        .bind(token_hash)
        .bind(staff_id)
        .bind(super::stored_time(expires_at))
        .execute(pool)
        .await?;
    Ok(())
}

/// Counts one try of a pending sign-in's code and returns its account and the tries so far
/// (this one included); `None` when it expired or never was.
pub async fn try_pending(pool: &Pool, token_hash: &str) -> Result<Option<(StaffMember, i64)>, sqlx::Error> {
    let tried: Option<(i64, i64)> = query_as(
        "UPDATE staff_pending_sign_ins SET attempts = attempts + 1 WHERE token_hash = $1 AND expires_at > $2
         RETURNING staff_id, attempts",
    )
    .bind(token_hash)
    .bind(now())
    .fetch_optional(pool)
    .await?;
    let Some((staff_id, attempts)) = tried else { return Ok(None) };
    let staff: Option<StaffMember> =
        query_as("SELECT id, email, name, role FROM staff WHERE id = $1").bind(staff_id).fetch_optional(pool).await?;
    Ok(staff.map(|s| (s, attempts)))
}

pub async fn end_pending(pool: &Pool, token_hash: &str) -> Result<(), sqlx::Error> {
    query("DELETE FROM staff_pending_sign_ins WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
    Ok(())
}

/// Whether the site asks admins and editors for the second step.
pub async fn second_factor_required(pool: &Pool) -> Result<bool, sqlx::Error> {
    super::settings::flag(pool, "require_second_factor").await
}

pub async fn set_second_factor_required(pool: &Pool, required: bool) -> Result<(), sqlx::Error> {
    super::settings::set_flag(pool, "require_second_factor", required).await
}

/// Whether the account must set the second step up before using the desk: the site asks
/// it of admins and editors, and this one is either and has none.
pub async fn must_set_up_second_factor(pool: &Pool, staff_id: i64) -> Result<bool, sqlx::Error> {
    query_scalar(
        "SELECT COUNT(*) > 0 FROM staff s JOIN site_settings r ON r.key = 'require_second_factor' AND r.value = '1'
         WHERE s.id = $1 AND s.role IN ('admin', 'editor') AND s.totp_secret IS NULL",
    )
    .bind(staff_id)
    .fetch_one(pool)
    .await
}
