//! (ssr) Every cookie Copydesk sets or reads: the reader's comment token and the staff
//! session. Both are `HttpOnly` (scripts never read them), `SameSite=Lax` (cross-site POSTs
//! never carry them) and `Secure` when the site is served over TLS.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::domain::tokens::{ReaderToken, SessionId};

/// Lets a browser see its own comments while they await moderation.
pub const READER_COOKIE: &str = "copydesk_reader";
/// The staff session, over plain HTTP (a development or test set-up).
pub const STAFF_COOKIE: &str = "copydesk_staff";
/// The staff session over TLS: browsers accept a `__Host-` cookie only from a secure origin,
/// for the whole host and no domain, so a sibling subdomain cannot set or shadow it.
pub const SECURE_STAFF_COOKIE: &str = "__Host-copydesk_staff";

fn staff_cookie(secure: bool) -> &'static str {
    if secure { SECURE_STAFF_COOKIE } else { STAFF_COOKIE }
}

/// The reader's token in the `Cookie` headers, if there is a well-formed one.
pub fn reader_token(headers: &HeaderMap) -> Option<ReaderToken> {
    value(headers, READER_COOKIE).and_then(ReaderToken::parse)
}

/// The staff session id in the `Cookie` headers, if there is a well-formed one under the
/// name this site uses (`secure`: served over TLS).
pub fn staff_session(headers: &HeaderMap, secure: bool) -> Option<SessionId> {
    value(headers, staff_cookie(secure)).and_then(SessionId::parse)
}

/// The reader's cookie: a year long.
pub fn set_reader(token: &ReaderToken, secure: bool) -> HeaderValue {
    set(format!("{READER_COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax", token.secret()), secure)
}

/// The staff cookie. No `Max-Age`: it ends with the browser session or the server-side
/// expiry, whichever comes first.
pub fn set_staff(session: &SessionId, secure: bool) -> HeaderValue {
    set(format!("{}={}; Path=/; HttpOnly; SameSite=Lax", staff_cookie(secure), session.secret()), secure)
}

/// Removes the staff cookie.
pub fn clear_staff(secure: bool) -> HeaderValue {
    set(format!("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax", staff_cookie(secure)), secure)
}

fn set(mut cookie: String, secure: bool) -> HeaderValue {
    if secure {
        cookie.push_str("; Secure");
    }
    // Names are constants and values hex digits: always a valid header value.
    HeaderValue::try_from(cookie).unwrap_or(HeaderValue::from_static(""))
}

/// The raw value of cookie `name` across all `Cookie` headers.
fn value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookie_header(set_cookie: &HeaderValue, other: &str) -> HeaderMap {
        let pair = set_cookie.to_str().unwrap().split(';').next().unwrap().to_owned();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, format!("{other}{pair}").parse().unwrap());
        headers
    }

    #[test]
    fn reader_tokens_round_trip_through_the_cookie_header() {
        let token = ReaderToken::generate();
        let cookie = set_reader(&token, false);
        let text = cookie.to_str().unwrap();
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Lax") && !text.contains("Secure"));
        assert!(set_reader(&token, true).to_str().unwrap().ends_with("; Secure"));
        assert_eq!(reader_token(&cookie_header(&cookie, "theme=dark; ")), Some(token));
    }

    #[test]
    fn session_cookies_are_http_only_and_lax() {
        let id = SessionId::generate();
        let cookie = set_staff(&id, true);
        let text = cookie.to_str().unwrap();
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.ends_with("Secure"));
        assert!(text.starts_with("__Host-copydesk_staff=") && text.contains("Path=/") && !text.contains("Domain"));
        assert_eq!(staff_session(&cookie_header(&cookie, ""), true), Some(id.clone()));
        assert_eq!(staff_session(&cookie_header(&cookie, ""), false), None, "read only under the name in use");
        let plain = set_staff(&id, false);
        assert_eq!(staff_session(&cookie_header(&plain, ""), false), Some(id));
        assert!(clear_staff(false).to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn malformed_cookies_are_ignored() {
        for value in ["", "short", "../../etc/passwd", &"G".repeat(32), &"A".repeat(32)] {
            let mut headers = HeaderMap::new();
            headers.insert(header::COOKIE, format!("{READER_COOKIE}={value}").parse().unwrap());
            assert_eq!(reader_token(&headers), None, "{value}");
        }
    }
}
