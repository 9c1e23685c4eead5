//! (ssr) Staff sign-in: password hashes, sessions in cookies, role checks, and the
//! same-origin rule for requests that change something.

use std::sync::LazyLock;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::http::{HeaderMap, header};

use crate::clients::{ClientHash, SIGN_IN_FAILURES, cookie_token, random_token, sha256_hex};
use crate::db;
use crate::domain::staff::{Role, StaffMember};
use crate::error::AppError;
use crate::state::AppState;

pub const STAFF_COOKIE: &str = "copydesk_staff";
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

/// The random session id in the staff cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionId(String);

impl SessionId {
    fn generate() -> Self {
        Self(random_token(32))
    }

    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        cookie_token(headers, STAFF_COOKIE, 64).map(Self)
    }

    /// What the database keeps.
    pub fn hash(&self) -> String {
        sha256_hex(&self.0)
    }

    /// Scripts never read it; cross-site requests never send it (`SameSite=Lax` keeps it off
    /// cross-site POSTs); `Secure` over TLS. No `Max-Age`: it ends with the browser session or
    /// the server-side expiry, whichever comes first.
    pub fn cookie(&self, secure: bool) -> String {
        let secure = if secure { "; Secure" } else { "" };
        format!("{STAFF_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax{secure}", self.0)
    }

    pub fn clear_cookie(secure: bool) -> String {
        let secure = if secure { "; Secure" } else { "" };
        format!("{STAFF_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}")
    }
}

/// The signed-in staff member, if the request carries a live session.
pub async fn current(state: &AppState, headers: &HeaderMap) -> Result<Option<StaffMember>, AppError> {
    match SessionId::from_headers(headers) {
        None => Ok(None),
        Some(id) => Ok(db::staff::session_staff(&state.pool, &id.hash()).await?),
    }
}

/// The signed-in staff member when their role allows `role`: otherwise 401 (nobody signed
/// in) or 403 (the wrong role).
pub async fn require(state: &AppState, headers: &HeaderMap, role: Role) -> Result<StaffMember, AppError> {
    let staff = current(state, headers).await?.ok_or(AppError::Unauthorized)?;
    if staff.role.allows(role) { Ok(staff) } else { Err(AppError::Forbidden) }
}

/// Signs in with email and password; the new session replaces any the browser had. Every
/// failure says the same, and repeated failures from one client are slowed, then refused.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    client: &ClientHash,
    replaces: Option<&SessionId>,
) -> Result<(StaffMember, SessionId), AppError> {
    // Counted in the database, not this server's memory: every server sees every failure.
    let window_start = time::OffsetDateTime::now_utc() - SIGN_IN_FAILURES.window;
    let failures = db::staff::failures_since(&state.pool, client.as_str(), window_start).await?;
    let failures = usize::try_from(failures).unwrap_or(usize::MAX);
    if failures >= SIGN_IN_FAILURES.max {
        return Err(AppError::RateLimited);
    }
    if failures >= SLOW_AFTER {
        let steps = (failures - SLOW_AFTER + 1).min(4) as u64;
        tokio::time::sleep(Duration::from_millis(250 * steps)).await;
    }
    let email = email.trim().to_lowercase();
    let found = db::staff::credentials(&state.pool, &email).await?;
    let password = password.to_owned();
    let (staff, ok) = tokio::task::spawn_blocking(move || match found {
        Some((staff, hash)) => {
            let ok = verify_password(&hash, &password);
            (Some(staff), ok)
        }
        None => {
            verify_password(&DECOY_HASH, &password);
            (None, false)
        }
    })
    .await
    .map_err(|_| AppError::Internal)?;
    let Some(staff) = staff.filter(|_| ok) else {
        db::staff::record_failure(&state.pool, client.as_str(), window_start).await?;
        tracing::info!("failed staff sign-in");
        return Err(AppError::invalid("password", "The email or password is not right."));
    };
    let session = SessionId::generate();
    let expires = time::OffsetDateTime::now_utc() + SESSION_LENGTH;
    let old = replaces.map(SessionId::hash);
    db::staff::start_session(&state.pool, &session.hash(), staff.id, expires, old.as_deref()).await?;
    db::audit::record(&state.pool, Some(&staff), db::audit::Kind::SignIn, "signed in", &staff.email, "").await?;
    Ok((staff, session))
}

/// Whether a request that changes something comes from this site's own pages. Browsers say
/// so in `Sec-Fetch-Site` and `Origin`; a request with neither (not from a browser) has no
/// ambient cookies to abuse and is judged by its session alone.
pub fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    origin == public_url.trim_end_matches('/')
        || origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
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

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        let site = "https://news.example";
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")]), site));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")]), site));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")]), site));
        assert!(same_origin(&headers(&[("origin", "https://news.example")]), site));
        assert!(same_origin(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]), site));
        assert!(!same_origin(&headers(&[("origin", "https://evil.example"), ("host", "news.example")]), site));
        assert!(!same_origin(&headers(&[("origin", "null")]), site));
        assert!(same_origin(&headers(&[]), site));
    }

    #[test]
    fn session_cookies_are_http_only_and_lax() {
        let id = SessionId::generate();
        let cookie = id.cookie(true);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.ends_with("Secure"));
        let mut map = HeaderMap::new();
        map.insert(header::COOKIE, cookie.split(';').next().unwrap().parse().unwrap());
        assert_eq!(SessionId::from_headers(&map), Some(id.clone()));
        assert_ne!(id.hash(), id.0);
    }
}
