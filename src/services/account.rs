//! (ssr) A staff member's own account: changing their password, seeing and ending their
//! other sessions. Every member may; nobody may touch another's sessions here.

use crate::db::{self, Pool, audit};
use crate::domain::staff::{Session, StaffMember, check_password};
use crate::domain::tokens::SessionId;
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
