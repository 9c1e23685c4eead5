//! (ssr) A staff member's own account: changing their password, seeing and ending their
//! other sessions, the second sign-in step and its recovery codes. Every member may; nobody may touch another's sessions here.

use crate::db::{self, Pool, audit};
use crate::domain::staff::{Session, StaffMember, check_password};
use crate::domain::tokens::{SessionId, sha256_hex};
use crate::domain::totp;
use crate::error::AppError;
use crate::services::staff::{PasswordChecks, hash_blocking};

/// Sets a new password once the current one is given; the member's other sessions end,
/// this one stays. Returns how many ended.
#[tracing::instrument(skip_all, fields(staff = staff.id))]
pub async fn change_password(
    pool: &Pool,
    checks: &PasswordChecks,
    staff: &StaffMember,
    session: &SessionId,
    current: &str,
    new: &str,
) -> Result<u64, AppError> {
    check_password(new).map_err(|message| AppError::invalid("new_password", capitalised(&message)))?;
    let hash = db::staff::password_hash(pool, staff.id).await?.ok_or(AppError::Unauthorized)?;
    if !checks.verify(hash, current.to_owned()).await? {
        metrics::counter!("sign_in_failures_total").increment(1);
        return Err(AppError::invalid("current_password", "That is not your current password."));
    }
    let hash = hash_blocking(new).await?;
    let ended = db::staff::change_password(pool, staff.id, &hash, &session.hash()).await?;
    audit::record(pool, Some(staff), audit::Kind::Staff, "changed own password", &staff.email, "").await?;
    Ok(ended)
}

/// The member's sessions, newest first, each marked whether it is the one asking.
#[tracing::instrument(skip_all, fields(staff = staff.id))]
pub async fn sessions(pool: &Pool, staff: &StaffMember, session: &SessionId) -> Result<Vec<(Session, bool)>, AppError> {
    let this = session.hash();
    let sessions = db::staff::sessions(pool, staff.id).await?;
    Ok(sessions.into_iter().map(|s| (s.id_hash == this, s)).map(|(current, s)| (s, current)).collect())
}

/// Ends one of the member's own sessions (signs that browser out).
#[tracing::instrument(skip_all, fields(staff = staff.id))]
pub async fn end_session(pool: &Pool, staff: &StaffMember, id_hash: &str) -> Result<(), AppError> {
    if !db::staff::end_own_session(pool, staff.id, id_hash).await? {
        return Err(AppError::NotFound);
    }
    audit::record(pool, Some(staff), audit::Kind::Staff, "ended a session", &staff.email, "").await?;
    Ok(())
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>() + ".").unwrap_or_default()
}

/// Whether the member has the second sign-in step, and how many recovery codes are left.
#[tracing::instrument(skip_all, fields(staff = staff.id))]
pub async fn second_factor(pool: &Pool, staff: &StaffMember) -> Result<Option<i64>, AppError> {
    match db::staff::second_factor(pool, staff.id).await? {
        Some(_) => Ok(Some(db::staff::recovery_codes_left(pool, staff.id).await?)),
        None => Ok(None),
    }
}

/// Turns the second step on with the secret the member's app now holds, proven by a code
/// from it. Returns the recovery codes, to be shown once.
#[tracing::instrument(skip_all, fields(staff = staff.id))]
pub async fn enable_second_factor(
    pool: &Pool,
    staff: &StaffMember,
    secret: &str,
    code: &str,
) -> Result<Vec<String>, AppError> {
    if !totp::is_secret(secret) {
        return Err(AppError::invalid("code", "The setup expired: start again with the new key below."));
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let step = totp::verify(secret, code, now, None).ok_or_else(|| {
        AppError::invalid("code", "That code is not right: check the app's clock, and type the code it shows now.")
    })?;
    let codes = totp::new_recovery_codes();
    db::staff::enable_second_factor(pool, staff.id, secret, step, &hashes(&codes)).await?;
    audit::record(pool, Some(staff), audit::Kind::Staff, "turned on the second sign-in step", &staff.email, "").await?;
    Ok(codes)
}

/// New recovery codes (the old ones stop working), shown once.
#[tracing::instrument(skip_all, fields(staff = staff.id))]
pub async fn new_recovery_codes(pool: &Pool, staff: &StaffMember) -> Result<Vec<String>, AppError> {
    if db::staff::second_factor(pool, staff.id).await?.is_none() {
        return Err(AppError::invalid("code", "Turn the second step on first."));
    }
    let codes = totp::new_recovery_codes();
    db::staff::replace_recovery_codes(pool, staff.id, &hashes(&codes)).await?;
    audit::record(pool, Some(staff), audit::Kind::Staff, "made new recovery codes", &staff.email, "").await?;
    Ok(codes)
}

/// Turns the second step off, with the member's password; refused while the site requires
/// it of their role.
#[tracing::instrument(skip_all, fields(staff = staff.id))]
pub async fn disable_second_factor(
    pool: &Pool,
    checks: &PasswordChecks,
    staff: &StaffMember,
    password: &str,
) -> Result<(), AppError> {
    if staff.role.allows(crate::domain::staff::Role::Editor) && db::staff::second_factor_required(pool).await? {
        return Err(AppError::invalid("off_password", "The site requires the second step of admins and editors."));
    }
    let hash = db::staff::password_hash(pool, staff.id).await?.ok_or(AppError::Unauthorized)?;
    if !checks.verify(hash, password.to_owned()).await? {
        return Err(AppError::invalid("off_password", "That is not your current password."));
    }
    db::staff::disable_second_factor(pool, staff.id).await?;
    audit::record(pool, Some(staff), audit::Kind::Staff, "turned off the second sign-in step", &staff.email, "")
        .await?;
    Ok(())
}

fn hashes(codes: &[String]) -> Vec<String> {
    codes.iter().map(|c| sha256_hex(&totp::normalise_recovery_code(c))).collect()
}
