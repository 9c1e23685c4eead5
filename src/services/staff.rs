//! (ssr) Staff accounts and sign-in: password hashes, sessions, role checks, and the
//! account commands the CLI runs. Every change is written to the audit log.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

use crate::db::{self, Pool, audit};
use crate::domain::staff::{Role, StaffMember, check_password, parse_account};
use crate::domain::tokens::{Client, SessionId, random_token, sha256_hex};
use crate::domain::totp;
use crate::error::AppError;
use crate::services::rate_limits::SIGN_IN_FAILURES;

/// A session lasts a working day; then staff sign in again.
pub const SESSION_LENGTH: time::Duration = time::Duration::hours(12);
/// Failed sign-ins from one client before each further attempt is slowed.
const SLOW_AFTER: usize = 3;

/// Argon2id with the crate's defaults (19 MiB, 2 passes): OWASP's recommended minimum.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        AppError::Internal
    })
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Checked against when the email is unknown, so that the answer takes as long as for a
/// known one and does not tell which addresses have accounts.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| hash_password(&random_token(16)).unwrap_or_default());

/// The staff member whose live session this is.
#[tracing::instrument(skip_all)]
pub async fn current(pool: &Pool, session: Option<&SessionId>) -> Result<Option<StaffMember>, AppError> {
    match session {
        None => Ok(None),
        Some(id) => Ok(db::staff::session_staff(pool, &id.hash()).await?),
    }
}

/// The staff member of the session when their role allows `role`: otherwise 401 (nobody
/// signed in) or 403 (the wrong role).
#[tracing::instrument(skip_all)]
pub async fn require(pool: &Pool, session: Option<&SessionId>, role: Role) -> Result<StaffMember, AppError> {
    let staff = current(pool, session).await?.ok_or(AppError::Unauthorized)?;
    if staff.role.allows(role) { Ok(staff) } else { Err(AppError::Forbidden) }
}

/// Password checks: at most `permits` run at once (each holds about 19 MiB while it runs),
/// and how many have run, for the tests and the operator.
pub struct PasswordChecks {
    permits: Semaphore,
    checked: AtomicU64,
    running: AtomicU64,
    peak: AtomicU64,
}

/// How long a sign-in waits for a free password check before it is answered 503.
const CHECK_WAIT: Duration = Duration::from_secs(2);

impl PasswordChecks {
    pub fn new(permits: usize) -> Self {
        Self {
            permits: Semaphore::new(permits.max(1)),
            checked: AtomicU64::new(0),
            running: AtomicU64::new(0),
            peak: AtomicU64::new(0),
        }
    }

    /// The most checks that have run at once.
    pub fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }

    /// Password verifications run so far.
    pub fn checked(&self) -> u64 {
        self.checked.load(Ordering::Relaxed)
    }

    /// Verifies on the blocking pool once a permit is free; `Busy` after `CHECK_WAIT`.
    pub(super) async fn verify(&self, hash: String, password: String) -> Result<bool, AppError> {
        let permit = tokio::time::timeout(CHECK_WAIT, self.permits.acquire()).await.map_err(|_| AppError::Busy)?;
        let _permit = permit.map_err(|_| AppError::Internal)?;
        self.checked.fetch_add(1, Ordering::Relaxed);
        let running = self.running.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(running, Ordering::Relaxed);
        let verified = tokio::task::spawn_blocking(move || verify_password(&hash, &password)).await;
        self.running.fetch_sub(1, Ordering::Relaxed);
        verified.map_err(|_| AppError::Internal)
    }
}

/// Failed sign-ins for one account before each further attempt on it is slowed. Accounts are
/// slowed, never locked: an attacker guessing at an editor's password from many addresses
/// makes the editor wait a few seconds, not lose access.
const ACCOUNT_SLOW_AFTER: i64 = 5;
/// The longest an attempt on an account is held back.
const ACCOUNT_MAX_DELAY: Duration = Duration::from_secs(4);

/// Signs in with email and password; the new session replaces any the browser had. Every
/// failure says the same. The attempt is recorded before the password is checked: a client
/// past its limit is refused without a check (however many attempts it sends at once), an
/// account with many recent failures is slowed, and at most a few checks run at a time.
#[tracing::instrument(skip_all)]
pub async fn sign_in(
    pool: &Pool,
    checks: &PasswordChecks,
    email: &str,
    password: &str,
    client: &Client,
    replaces: Option<&SessionId>,
) -> Result<SignIn, AppError> {
    let email = email.trim().to_lowercase();
    let account = sha256_hex(&email);
    // Counted in the database, not this server's memory: every server sees every attempt.
    let window_start = time::OffsetDateTime::now_utc() - SIGN_IN_FAILURES.window;
    let attempts = db::staff::record_attempt(pool, client.limited.as_str(), &account, window_start).await?;
    let by_client = usize::try_from(attempts.by_client).unwrap_or(usize::MAX);
    if by_client > SIGN_IN_FAILURES.max {
        metrics::counter!("rate_limit_refusals_total", "action" => SIGN_IN_FAILURES.name).increment(1);
        tracing::warn!(client = client.limited.as_str(), %email, "staff sign-in refused: too many attempts from this client");
        return Err(AppError::RateLimited);
    }
    let mut delay = Duration::ZERO;
    if by_client > SLOW_AFTER {
        delay += Duration::from_millis(250 * (by_client - SLOW_AFTER).min(4) as u64);
    }
    if attempts.for_account > ACCOUNT_SLOW_AFTER {
        let steps = u32::try_from(attempts.for_account - ACCOUNT_SLOW_AFTER).unwrap_or(u32::MAX);
        delay += (Duration::from_millis(500) * steps).min(ACCOUNT_MAX_DELAY);
    }
    tokio::time::sleep(delay).await;
    let found = db::staff::credentials(pool, &email).await?;
    let (staff, hash) = match found {
        Some((staff, hash)) => (Some(staff), hash),
        None => (None, DECOY_HASH.clone()),
    };
    // Refused as busy, the attempt still counts: clearing it would clear the client's
    // earlier failures too, and flooding the checks would then reset a guesser's count.
    let ok = checks.verify(hash, password.to_owned()).await?;
    let Some(staff) = staff.filter(|_| ok) else {
        metrics::counter!("sign_in_failures_total").increment(1);
        tracing::warn!(client = client.limited.as_str(), %email, "failed staff sign-in");
        return Err(AppError::invalid("password", "The email or password is not right."));
    };
    db::staff::clear_attempts(pool, client.limited.as_str(), &account).await?;
    if db::staff::second_factor(pool, staff.id).await?.is_some() {
        let pending = PendingSignIn::generate();
        let expires = time::OffsetDateTime::now_utc() + SECOND_STEP_LENGTH;
        db::staff::start_pending(pool, &pending.hash(), staff.id, expires).await?;
        return Ok(SignIn::CodeNeeded(pending));
    }
    let session = start_session(pool, &staff, replaces, "").await?;
    Ok(SignIn::Done(staff, session))
}

/// How a right password ends: signed in, or the second step still to take.
pub enum SignIn {
    Done(StaffMember, SessionId),
    /// The account has a second step: its code goes with this token.
    CodeNeeded(PendingSignIn),
}

/// The token a second-step form carries: the password was right a moment ago.
pub type PendingSignIn = crate::domain::tokens::Token<32>;

/// How long the second step may take after the password.
const SECOND_STEP_LENGTH: Duration = Duration::from_secs(300);
/// Wrong codes before a pending sign-in is dropped (the password must be given again, and
/// that is counted and slowed as above).
const MAX_CODE_TRIES: i64 = 5;

/// The second step: a code from the member's app, or one of their recovery codes (used up).
#[tracing::instrument(skip_all)]
pub async fn second_step(
    pool: &Pool,
    pending: &PendingSignIn,
    code: &str,
    replaces: Option<&SessionId>,
) -> Result<(StaffMember, SessionId), AppError> {
    let token_hash = pending.hash();
    let Some((staff, tries)) = db::staff::try_pending(pool, &token_hash).await? else { return Err(expired_sign_in()) };
    if tries > MAX_CODE_TRIES {
        db::staff::end_pending(pool, &token_hash).await?;
        return Err(expired_sign_in());
    }
    let Some((secret, last_step)) = db::staff::second_factor(pool, staff.id).await? else {
        return Err(expired_sign_in());
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let how = match totp::verify(&secret, code, now, last_step) {
        Some(step) if db::staff::use_step(pool, staff.id, step).await? => Some("with a code"),
        Some(_) => None,
        None => {
            let recovery = sha256_hex(&totp::normalise_recovery_code(code));
            db::staff::use_recovery_code(pool, staff.id, &recovery).await?.then_some("with a recovery code")
        }
    };
    let Some(how) = how else {
        metrics::counter!("sign_in_failures_total").increment(1);
        tracing::warn!(staff = staff.id, "wrong second-step code");
        return Err(AppError::invalid("code", "That code is not right. Codes change every 30 seconds."));
    };
    db::staff::end_pending(pool, &token_hash).await?;
    let session = start_session(pool, &staff, replaces, how).await?;
    Ok((staff, session))
}

/// A second step that can no longer be taken: the password must be given again.
pub fn expired_sign_in() -> AppError {
    AppError::invalid("expired", "This sign-in has expired: give your email and password again.")
}

/// A new session for `staff`, replacing the browser's old one, audited.
async fn start_session(
    pool: &Pool,
    staff: &StaffMember,
    replaces: Option<&SessionId>,
    how: &str,
) -> Result<SessionId, AppError> {
    let session = SessionId::generate();
    let expires = time::OffsetDateTime::now_utc() + SESSION_LENGTH;
    let old = replaces.map(SessionId::hash);
    db::staff::start_session(pool, &session.hash(), staff.id, expires, old.as_deref()).await?;
    audit::record(pool, Some(staff), audit::Kind::SignIn, "signed in", &staff.email, how).await?;
    tracing::info!(staff = staff.id, "staff signed in");
    Ok(session)
}

/// Whether the site asks admins and editors for a second sign-in step.
pub async fn second_factor_required(pool: &Pool) -> Result<bool, AppError> {
    Ok(db::staff::second_factor_required(pool).await?)
}

/// Admins: ask (or stop asking) admins and editors for a second sign-in step.
#[tracing::instrument(skip_all, fields(required))]
pub async fn require_second_factor(pool: &Pool, actor: &StaffMember, required: bool) -> Result<(), AppError> {
    db::staff::set_second_factor_required(pool, required).await?;
    let what = if required { "required a second sign-in step" } else { "made the second sign-in step optional" };
    audit::record(pool, Some(actor), audit::Kind::Staff, what, "admins and editors", "").await?;
    Ok(())
}

/// Whether `staff` must set up the second step before anything else on the desk.
pub async fn must_set_up_second_factor(pool: &Pool, staff: &StaffMember) -> Result<bool, AppError> {
    Ok(db::staff::must_set_up_second_factor(pool, staff.id).await?)
}

/// Ends the session, if it is one.
#[tracing::instrument(skip_all)]
pub async fn sign_out(pool: &Pool, session: &SessionId) -> Result<(), AppError> {
    if let Some(staff) = current(pool, Some(session)).await? {
        audit::record(pool, Some(&staff), audit::Kind::SignIn, "signed out", &staff.email, "").await?;
    }
    Ok(db::staff::end_session(pool, &session.hash()).await?)
}

/// Creates an account. `actor` is who did it; `None` is the command line.
#[tracing::instrument(skip_all, fields(role = role.as_str()))]
pub async fn add_account(
    pool: &Pool,
    actor: Option<&StaffMember>,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> Result<StaffMember, AppError> {
    let (email, name) =
        parse_account(email, name, password).map_err(|message| AppError::invalid("account", message))?;
    let hash = hash_blocking(password).await?;
    let Some(id) = db::staff::create(pool, &email, &name, role, &hash).await? else {
        return Err(AppError::invalid("email", format!("An account with the email {email} exists already.")));
    };
    audit::record(pool, actor, audit::Kind::Staff, "added account", &email, role.as_str()).await?;
    Ok(StaffMember { id, email, name, role })
}

/// Sets a new password; the account's sessions end.
#[tracing::instrument(skip_all)]
pub async fn set_password(
    pool: &Pool,
    actor: Option<&StaffMember>,
    email: &str,
    password: &str,
) -> Result<(), AppError> {
    let email = email.trim().to_lowercase();
    check_password(password).map_err(|message| AppError::invalid("password", message))?;
    let hash = hash_blocking(password).await?;
    if !db::staff::set_password(pool, &email, &hash).await? {
        return Err(no_account(&email));
    }
    audit::record(pool, actor, audit::Kind::Staff, "set password", &email, "").await?;
    Ok(())
}

/// Deletes an account; its audit entries stay. The last admin cannot be removed.
#[tracing::instrument(skip_all)]
pub async fn remove_account(pool: &Pool, actor: Option<&StaffMember>, email: &str) -> Result<(), AppError> {
    let email = email.trim().to_lowercase();
    changed(db::staff::remove(pool, &email).await?, &email)?;
    audit::record(pool, actor, audit::Kind::Staff, "removed account", &email, "").await?;
    Ok(())
}

/// Gives an account another role. The last admin cannot be demoted.
#[tracing::instrument(skip_all, fields(role = role.as_str()))]
pub async fn change_role(pool: &Pool, actor: Option<&StaffMember>, email: &str, role: Role) -> Result<(), AppError> {
    let email = email.trim().to_lowercase();
    let before = changed(db::staff::set_role(pool, &email, role).await?, &email)?.role;
    if before != role {
        let detail = format!("{} → {}", before.as_str(), role.as_str());
        audit::record(pool, actor, audit::Kind::Staff, "changed role", &email, &detail).await?;
    }
    Ok(())
}

/// The account as it was, or the refusal if a guarded change was refused.
fn changed(outcome: db::staff::Changed, email: &str) -> Result<StaffMember, AppError> {
    match outcome {
        db::staff::Changed::Done(member) => Ok(member),
        db::staff::Changed::NoSuchAccount => Err(no_account(email)),
        db::staff::Changed::LastAdmin => {
            Err(AppError::invalid("last_admin", "The site needs at least one admin: make someone else an admin first."))
        }
    }
}

#[tracing::instrument(skip_all)]
pub async fn accounts(pool: &Pool) -> Result<Vec<StaffMember>, AppError> {
    Ok(db::staff::list(pool).await?)
}

/// Every member with their last sign-in, for `/staff/team`.
#[tracing::instrument(skip_all)]
pub async fn team(pool: &Pool) -> Result<Vec<crate::domain::staff::TeamMember>, AppError> {
    Ok(db::staff::team(pool).await?)
}

fn no_account(email: &str) -> AppError {
    AppError::invalid("email", format!("No account has the email {email}."))
}

/// Hashing takes tens of milliseconds of CPU: off the async threads.
pub(super) async fn hash_blocking(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password)).await.map_err(|_| AppError::Internal)?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse battery"));
        assert!(!verify_password(&hash, "correct horse batterY"));
        assert!(!verify_password("not a hash", "anything"));
    }
}
